"""Code descriptions and groups (analysis.codes) against the published specifications."""

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis import codes


@pytest.mark.parametrize(
    ("field", "code", "text"),
    [
        ("PLACE", "U4", "Placement with other foster carer(s) - long-term fostering"),
        ("PLACE", "K2", "Children's homes subject to Children's Homes Regulations"),
        (
            "LS",
            "J2",
            "Placed in local authority accommodation under the Police and Criminal Evidence "
            "Act 1984, including secure accommodation",
        ),
        (
            "REC",
            "E8",
            "Period of being looked after ceased for any other reason (where none of the "
            "other reasons apply)",
        ),
        ("REC", "E43", "Special guardianship made to former foster carers"),
        ("RNE", "T", "Change of placement only (but same carer(s))"),
        ("CIN", "N8", "Absent parenting"),
        ("REVIEW_CODE", "PN0", "Child aged under 4 at the time of the review"),
        ("ETHNIC", "WROM", "Gypsy/Roma"),
        (
            "review_code",
            "PN7",
            "Child does not attend nor are his or her views conveyed to the review",
        ),
    ],
)
def test_describe(field, code, text):
    assert codes.describe(field, code) == text


def test_describe_missing_and_unknown():
    assert codes.describe("PLACE", None) == "Not known"
    assert codes.describe("PLACE", float("nan")) == "Not known"
    assert codes.describe("PLACE", "Not known") == "Not known"
    with pytest.raises(KeyError, match="ZZ"):
        codes.describe("PLACE", "ZZ")
    with pytest.raises(KeyError, match="NOPE"):
        codes.describe("NOPE", "A1")


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("WBRI", "White"),
        ("WIRT", "White"),
        ("WROM", "White"),
        ("MWBA", "Mixed"),
        ("MOTH", "Mixed"),
        ("ABAN", "Asian"),
        ("AOTH", "Asian"),
        ("BAFR", "Black"),
        ("BCRB", "Black"),
        ("CHNE", "Other"),
        ("OOTH", "Other"),
        ("REFU", "Not known"),
        ("NOBT", "Not known"),
        (None, "Not known"),
        ("XXXX", "Not known"),
    ],
)
def test_major_ethnic_group(code, group):
    assert codes.major_ethnic_group(code) == group


def test_every_ethnic_code_has_one_major_group():
    members = [c for group in codes.groups("ETHNIC").values() for c in group]
    assert sorted(members) == sorted(codes.codes("ETHNIC"))


def test_describe_cin():
    assert codes.describe_cin("categoryofabuse", "NEG") == "Neglect"
    assert codes.cin_codes("categoryofabuse") == ["NEG", "PHY", "SAB", "EMO", "MUL"]
    assert codes.describe_cin("gendertype", 2) == "Female"


@pytest.fixture(scope="module")
def valid_codes() -> pd.DataFrame:
    path = REFERENCE_DIR / "ssda903_2024_valid_codes_liiatools.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("field", "table"),
    [
        ("PLACE", "Episodes"),
        ("LS", "Episodes"),
        ("RNE", "Episodes"),
        ("REC", "Episodes"),
        ("CIN", "Episodes"),
        ("REVIEW_CODE", "Reviews"),
        ("ETHNIC", "Header"),
    ],
)
def test_code_lists_match_the_2024_specification(valid_codes, field, table):
    spec = valid_codes.loc[
        (valid_codes["table"] == table) & (valid_codes["column"] == field), "code"
    ].tolist()
    assert codes.codes(field) == spec


def test_ethnic_wording_matches_the_specification(valid_codes):
    spec = valid_codes.loc[valid_codes["column"] == "ETHNIC"].set_index("code")["name"]
    for code, name in spec.items():
        assert codes.describe("ETHNIC", code).lower() == name.lower()
