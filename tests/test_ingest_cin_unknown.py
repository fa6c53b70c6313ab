"""CIN census parsing: unknown and namespaced elements below the elements rows are read from.

``cin.parse`` checks element names while it reads the rows and walks the whole subtree only of
elements that the rows do not read (an element with children where a field is expected, an odd
element in ``<Reviews>``); these tests pin what it reports there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_fixtures import REFERENCE_DIR

from analysis.errors import InputError
from analysis.ingest import cin
from analysis.ingest.spec import load_specs

NESTED = """<?xml version="1.0" encoding="utf-8"?>
<Message>
<Children>
<Child>
<ChildIdentifiers><LAchildID>7</LAchildID></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>HAND</Disability><Wheels>2</Wheels></Disabilities></ChildCharacteristics>
<CINdetails>
<CINreferralDate>2023-04-10<Note>late</Note></CINreferralDate>
<CINreferralDate> 2023-04-11 </CINreferralDate>
<ChildProtectionPlans>
<CPPstartDate>2023-04-28</CPPstartDate>
<Reviews><CPPreviewDate>2023-07-20</CPPreviewDate><Memo/></Reviews>
</ChildProtectionPlans>
</CINdetails>
</Child>
</Children>
</Message>
"""  # noqa: E501


def _parse(tmp_path: Path, text: str) -> cin.CinRows:
    path = tmp_path / "2023-24.xml"
    path.write_text(text, encoding="utf-8")
    specs = load_specs(REFERENCE_DIR).cin
    fields = {t: tuple(f.source for f in specs[t].fields) for t in cin.TABLES}
    return cin.parse(path, "806/cin_census/2023-24.xml", cin.known_elements(REFERENCE_DIR), fields)


def test_unknown_elements_nested_below_fields_are_found(tmp_path: Path) -> None:
    raw = _parse(tmp_path, NESTED)
    assert raw.unknown == {"Wheels": 6, "Note": 8, "Memo": 12}
    children = raw.tables["cin_children"]
    assert (children.values["LAchildID"], children.at["LAchildID"]) == (["7"], [5])
    assert (children.values["Ethnicity"], children.at["Ethnicity"]) == (["WBRI"], [6])
    episodes = raw.tables["cin_episodes"]
    # the first CINreferralDate has an element inside, so it is not a field: the second one is
    assert (episodes.values["CINreferralDate"], episodes.at["CINreferralDate"]) == (
        ["2023-04-11"],
        [9],
    )
    reviews = raw.tables["cp_reviews"]
    assert (reviews.values["CPPreviewDate"], reviews.rows) == (["2023-07-20"], [12])
    assert (reviews.values["CPPstartDate"], reviews.values["LAchildID"]) == (["2023-04-28"], ["7"])
    assert raw.review_plan == [0]


def test_namespaced_element_inside_reviews_is_an_input_error(tmp_path: Path) -> None:
    text = NESTED.replace("<Memo/>", '<p:Memo xmlns:p="urn:x"/>')
    with pytest.raises(InputError, match=r"element \{urn:x\}Memo uses an XML namespace") as err:
        _parse(tmp_path, text)
    assert err.value.row == 12


def test_all_known_child_reports_nothing(tmp_path: Path) -> None:
    text = NESTED.replace("<Wheels>2</Wheels>", "").replace("<Note>late</Note>", "")
    raw = _parse(tmp_path, text.replace("<Memo/>", ""))
    assert raw.unknown == {}
    # without the inner element the first CINreferralDate is a field too; the last one wins
    assert raw.tables["cin_episodes"].at["CINreferralDate"] == [9]
