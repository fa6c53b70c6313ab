"""Tests of the synthetic data generator (analysis.synthetic).

Reference code lists are read from ``REFERENCE_DIR`` (tests/refdata.py); without them the
session stops (conftest.py). Expected ranges come from the brief and the
published Middlesbrough figures, never from running the generator.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from refdata import REFERENCE_DIR

from analysis.synthetic import generate
from analysis.synthetic.__main__ import main

LAS = ["841", "805", "806", "807", "808"]
YEARS = ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
HORIZON = pd.Timestamp(2025, 3, 31)
REQUIRED = ["Header", "Episodes", "Reviews"]
OPTIONAL = ["UASC", "Missing", "AD1", "PlacedAdoption", "PrevPerm", "OC2", "OC3", "SocialWorker"]
DISTANCE = ["PL_DISTANCE", "PL_LOCATION"]


# ---------------------------------------------------------------- fixtures and helpers
@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict]:
    raw = tmp_path_factory.mktemp("synthetic") / "raw"
    return raw, generate(raw)


@pytest.fixture(scope="module")
def raw(run) -> Path:
    return run[0]


@pytest.fixture(scope="module")
def reference() -> dict:
    cols = pd.read_csv(REFERENCE_DIR / "ssda903_2024_columns_liiatools.csv", dtype=str)
    codes = pd.read_csv(
        REFERENCE_DIR / "ssda903_2024_valid_codes_liiatools.csv", dtype=str, keep_default_na=False
    )
    cin = pd.read_csv(
        REFERENCE_DIR / "cin_census_2024_xsd_code_lists.csv", dtype=str, keep_default_na=False
    )
    return {
        "columns": {t: list(g.column) for t, g in cols.groupby("table", sort=False)},
        "types": {(r.table, r.column): r.type for r in cols.itertuples()},
        "blank": {(r.table, r.column): r.canbeblank == "True" for r in cols.itertuples()},
        "codes": {k: set(g.code) for k, g in codes.groupby(["table", "column"])},
        "cin": {k: set(g.code) for k, g in cin.groupby("xsd_type")},
    }


# table recognised by its columns, as ingest must (808 names its files differently)
SIGNATURES = {
    "Header": {"UPN", "ETHNIC"},
    "Episodes": {"DECOM", "RNE"},
    "Reviews": {"REVIEW"},
    "UASC": {"DUC"},
    "Missing": {"MIS_START"},
    "AD1": {"DATE_MATCH"},
    "PlacedAdoption": {"DATE_PLACED"},
    "PrevPerm": {"PREV_PERM"},
    "OC2": {"SDQ_SCORE"},
    "OC3": {"IN_TOUCH"},
    "SocialWorker": {"SW_ID"},
}


def year_tables(raw: Path, la: str, year: str) -> dict[str, pd.DataFrame]:
    out = {}
    for f in sorted((raw / la / "ssda903" / year).glob("*.csv")):
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        names = [t for t, sig in SIGNATURES.items() if sig <= set(df.columns)]
        assert len(names) == 1, f"{f} matches {names}"
        df.attrs["file"] = f.name
        out[names[0]] = df
    return out


def dates(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.replace("", None), format="%d/%m/%Y", errors="raise")


def eighteenth_birthday(dob: pd.Series) -> pd.Series:
    """DOB + 18 years; a 29 February baby turns 18 on 1 March (analysis.dates convention)."""
    b18 = dob + pd.DateOffset(years=18)
    leap = (dob.dt.month == 2) & (dob.dt.day == 29) & (b18.dt.day == 28)
    return b18.where(~leap, b18 + pd.Timedelta(days=1))


def episodes_history(raw: Path, la: str) -> pd.DataFrame:
    """All episodes over the returns, de-duplicated on CHILD + DECOM (latest return wins)."""
    frames = []
    for n, y in enumerate(YEARS):
        e = year_tables(raw, la, y)["Episodes"].assign(_year=n)
        frames.append(e)
    e = pd.concat(frames).sort_values("_year").drop_duplicates(["CHILD", "DECOM"], keep="last")
    e["decom"], e["dec"] = dates(e.DECOM), dates(e.DEC)
    return e.sort_values(["CHILD", "decom"]).reset_index(drop=True)


def cin_plans(raw: Path, la: str, year: str) -> pd.DataFrame:
    rows = []
    root = ET.parse(raw / la / "cin_census" / f"{year}.xml").getroot()
    for child in root.iter("Child"):
        cid = child.findtext("ChildIdentifiers/LAchildID")
        for plan in child.iter("ChildProtectionPlans"):
            rows.append(
                {
                    "child": cid,
                    "start": plan.findtext("CPPstartDate"),
                    "end": plan.findtext("CPPendDate"),
                    "nprev": int(plan.findtext("NumberOfPreviousCPP")),
                }
            )
    df = pd.DataFrame(rows).drop_duplicates(["child", "start"])
    df["start"], df["end"] = pd.to_datetime(df.start), pd.to_datetime(df.end)
    return df


# ---------------------------------------------------------------- determinism and interface
def test_same_seed_gives_identical_bytes(tmp_path):
    # 805 (full history) and 808 (own file names) over two years, twice
    kwargs = {"first_year": 2023, "last_year": 2024, "la_codes": ["805", "808"]}
    first, second = generate(tmp_path / "a", **kwargs), generate(tmp_path / "b", **kwargs)
    assert first["files"] == second["files"] and first["rows"] == second["rows"]
    for rel in first["files"]:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_council_data_independent_of_other_councils_and_seed_matters(raw, tmp_path):
    alone = tmp_path / "alone"
    generate(alone, la_codes=["806"])
    for f in sorted((raw / "806").rglob("*")):
        if f.is_file():
            assert f.read_bytes() == (alone / f.relative_to(raw)).read_bytes(), f
    other = tmp_path / "other"
    generate(other, seed=7, first_year=2023, last_year=2023, la_codes=["806"])
    assert (other / "806/ssda903/2023-24/episodes.csv").read_bytes() != (
        raw / "806/ssda903/2023-24/episodes.csv"
    ).read_bytes()


def test_marker_and_summary(run):
    raw, summary = run
    assert (
        raw / "SYNTHETIC"
    ).read_text() == "synthetic data generated by analysis.synthetic, seed 2024\n"
    assert summary["years"] == YEARS
    assert set(summary["rows"]) == set(LAS) | {"raa"}
    assert all((raw / rel).is_file() for rel in summary["files"])


def test_rerun_removes_stale_files_but_nothing_else(tmp_path):
    raw = tmp_path / "raw"
    generate(raw, first_year=2023, last_year=2023, la_codes=["841"])
    stale = raw / "841" / "ssda903" / "2019-20" / "episodes.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    (raw / "999").mkdir()
    keep = raw / "notes.txt"
    keep.write_text("keep me")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me too")
    generate(raw, first_year=2023, last_year=2023, la_codes=["841"])
    assert not stale.exists()
    assert not (raw / "999").exists()  # an LA folder left by an earlier synthetic run
    assert keep.read_text() == "keep me" and outside.read_text() == "keep me too"


def test_unknown_council_gets_default_size_and_bad_code_is_refused(tmp_path):
    summary = generate(tmp_path / "raw", first_year=2024, last_year=2024, la_codes=["123"])
    header = summary["rows"]["123"]["2024-25"]["Header"]
    assert 150 < header < 1500
    with pytest.raises(ValueError, match="3-digit"):
        generate(tmp_path / "bad", la_codes=["80"])


def test_cli(tmp_path):
    out = tmp_path / "cli"
    assert (
        main(
            [
                "--out",
                str(out),
                "--seed",
                "3",
                "--first-year",
                "2024",
                "--last-year",
                "2024",
                "--la",
                "841",
                "-q",
            ]
        )
        == 0
    )
    assert (out / "SYNTHETIC").read_text().endswith("seed 3\n")
    assert (out / "841/ssda903/2024-25/header.csv").is_file()


# ---------------------------------------------------------------- contract shape
def test_files_and_columns(raw, reference):
    for la in LAS:
        for year in YEARS:
            tables = year_tables(raw, la, year)
            expected = REQUIRED + OPTIONAL
            if year < "2023-24":
                expected = [t for t in expected if t != "SocialWorker"]
            assert sorted(tables) == sorted(expected), (la, year)
            for name, df in tables.items():
                cols = list(reference["columns"][name])
                if name == "Episodes" and la in ("806", "807"):
                    cols += DISTANCE
                assert list(df.columns) == cols, (la, year, name)
            assert (raw / la / "cin_census" / f"{year}.xml").is_file()
            raw_bytes = (
                raw / la / "ssda903" / year / tables["Episodes"].attrs["file"]
            ).read_bytes()
            assert b"\r" not in raw_bytes and not raw_bytes.startswith(b"\xef\xbb\xbf")
        iro = raw / la / "iro"
        assert iro.is_dir() == (la in ("806", "805", "808"))
    assert (raw / "808/ssda903/2023-24/SSDA903_2024_Episodes.csv").is_file()
    assert (raw / "806/ssda903/2023-24/episodes.csv").is_file()
    for name in ("referrals", "adopters"):
        assert (raw / "raa" / f"{name}.csv").is_file()


def test_codes_dates_and_blanks(raw, reference):
    for la in LAS:
        for year in YEARS:
            ye = pd.Timestamp(int(year[:4]) + 1, 3, 31)
            for name, df in year_tables(raw, la, year).items():
                for col in reference["columns"][name]:
                    values = df[col]
                    blank = values == ""
                    if not reference["blank"][(name, col)]:
                        assert not blank.any(), (la, year, name, col)
                    kind = reference["types"][(name, col)]
                    if kind == "date" and (name, col) == ("UASC", "DUC"):
                        # DUC is the 18th birthday, known in advance (DfE rule 205B)
                        b18 = dates(df.DOB) + pd.DateOffset(years=18)
                        assert (dates(values) == b18).all(), (la, year)
                    elif kind == "date":
                        parsed = dates(values)
                        assert (parsed.dropna() <= ye).all(), (la, year, name, col)
                    allowed = reference["codes"].get((name, col))
                    if allowed:
                        bad = set(values[~blank]) - allowed
                        assert not bad, (la, year, name, col, bad)


def test_ids_are_strings_with_leading_zeros(raw):
    header = pd.read_csv(raw / "806/ssda903/2023-24/header.csv", dtype=str)
    assert header.CHILD.str.startswith("0").any()
    episodes = pd.concat(year_tables(raw, "806", y)["Episodes"] for y in YEARS)
    assert "000123" in set(episodes.CHILD)
    upn = header.UPN[header.UPN != "UN1"]
    assert upn.str.fullmatch(r"[A-Z]\d{12}").all()
    episodes = year_tables(raw, "806", "2023-24")["Episodes"]
    postcodes = episodes.PL_POST[episodes.PL_POST != ""]  # blank for short breaks (V3/V4)
    assert len(postcodes) > 400
    assert postcodes.str.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}").all()


# ---------------------------------------------------------------- episodes and reviews
def test_episodes_contiguous_in_order_and_before_18(raw):
    for la in LAS:
        for year in YEARS:
            t = year_tables(raw, la, year)
            e = t["Episodes"].assign(decom=lambda d: dates(d.DECOM), dec=lambda d: dates(d.DEC))
            e = e.sort_values(["CHILD", "decom"])
            assert not e.duplicated(["CHILD", "DECOM"]).any()
            assert set(e.CHILD) == set(t["Header"].CHILD)
            nxt = e.groupby("CHILD").shift(-1)
            has_next = nxt.DECOM.notna()
            assert (e.dec[has_next].notna()).all(), (la, year, "open episode before another")
            cont = has_next & (e.REC == "X1")
            assert (nxt.decom[cont] == e.dec[cont]).all(), (la, year)
            assert (nxt.RNE[cont] != "S").all(), (la, year)
            new = has_next & (e.REC != "X1")
            assert (nxt.RNE[new] == "S").all() and (nxt.decom[new] > e.dec[new]).all()
            assert (e.dec.isna() | (e.dec > e.decom)).all()
            dob = dates(t["Header"].set_index("CHILD").DOB)
            b18 = eighteenth_birthday(e.CHILD.map(dob))
            assert (e.decom < b18).all() and (e.dec.isna() | (e.dec <= b18)).all(), (la, year)
            moved = cont & nxt.RNE.isin(["P", "B", "T", "U"])
            assert (e.REASON_PLACE_CHANGE[moved] != "").all(), (la, year)
            assert (e.REASON_PLACE_CHANGE[~moved & has_next] == "").all(), (la, year)


def test_reviews_in_care_and_pn0_only_under_4(raw):
    for la in ("806", "841"):
        e = episodes_history(raw, la)
        for year in YEARS:
            t = year_tables(raw, la, year)
            r = t["Reviews"].assign(d=lambda x: dates(x.REVIEW), dob=lambda x: dates(x.DOB))
            under4 = r.d < r.dob + pd.DateOffset(years=4)
            assert ((r.REVIEW_CODE == "PN0") == under4).all(), (la, year)
            m = r.merge(e, on="CHILD")
            inside = (m.decom <= m.d) & (m.dec.isna() | (m.dec > m.d))
            assert inside.groupby([m.CHILD, m.REVIEW]).any().all(), (la, year)


# ---------------------------------------------------------------- calibration (Middlesbrough)
def test_calibration_806(raw):
    t = year_tables(raw, "806", "2023-24")
    e = episodes_history(raw, "806")
    short = e.groupby("CHILD").LS.apply(lambda s: s.isin(["V3", "V4"]).all())
    e = e[~e.CHILD.map(short)]
    d = pd.Timestamp(2024, 3, 31)
    cla = e[(e.decom <= d) & (e.dec.isna() | (e.dec > d))].CHILD.nunique()
    assert 430 <= cla <= 600
    ys = pd.Timestamp(2023, 4, 1)
    starters = e[(e.RNE == "S") & e.decom.between(ys, d)].CHILD.nunique()
    assert 150 <= starters <= 300
    reviews = dates(t["Reviews"].REVIEW).between(ys, d).sum()
    assert 1000 <= reviews <= 1500
    adopted = (e.REC.isin(["E11", "E12"]) & e.dec.between(ys, d)).sum()
    assert 5 <= adopted <= 35
    assert len(t["AD1"]) == adopted
    plans = cin_plans(raw, "806", "2023-24")
    open_plans = ((plans.start <= d) & (plans.end.isna() | (plans.end > d))).sum()
    assert 280 <= open_plans <= 520


def test_icpc_volume_and_timeliness_806(raw):
    root = ET.parse(raw / "806/cin_census/2023-24.xml").getroot()
    icpcs = [
        (
            c.findtext("ChildIdentifiers/LAchildID"),
            s.findtext("S47ActualStartDate"),
            s.findtext("DateOfInitialCPC"),
        )
        for c in root.iter("Child")
        for s in c.iter("Section47")
        if s.findtext("DateOfInitialCPC")
    ]
    df = pd.DataFrame(icpcs, columns=["child", "s47", "icpc"]).drop_duplicates()
    df = df[pd.to_datetime(df.icpc).between("2023-04-01", "2024-03-31")]
    assert 300 <= len(df) <= 500
    plans = cin_plans(raw, "806", "2023-24")
    led = df.merge(plans.assign(icpc=plans.start.dt.strftime("%Y-%m-%d")), on=["child", "icpc"])
    assert 0.8 <= len(led) / len(df) <= 0.97


# ---------------------------------------------------------------- CIN census XML
def test_cin_xml_codes(raw, reference):
    cin = reference["cin"]
    checks = {
        "GenderCurrent": "gendertype",
        "Ethnicity": "ethnicitytype",
        "ReferralSource": "referralsourcetype",
        "PrimaryNeedCode": "primaryneedcodetype",
        "ReasonForClosure": "reasonforclosuretype",
        "ICPCnotRequired": "yesnotype",
        "ReferralNFA": "yesnotype",
        "InitialCategoryOfAbuse": "categoryofabuse",
        "LatestCategoryOfAbuse": "categoryofabuse",
        "UPNunknown": "unknownupntype",
    }
    for la in LAS:
        root = ET.parse(raw / la / "cin_census" / "2024-25.xml").getroot()
        assert root.findtext("Header/Source/LEA") == la
        assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
        for tag, xsd in checks.items():
            values = {el.text for el in root.iter(tag)}
            assert values <= cin[xsd], (la, tag, values - cin[xsd])
        for tag in (
            "CINreferralDate",
            "CPPstartDate",
            "CPPendDate",
            "CPPreviewDate",
            "DateOfInitialCPC",
            "S47ActualStartDate",
            "CINclosureDate",
        ):
            for el in root.iter(tag):
                assert dt.date.fromisoformat(el.text) <= dt.date(2025, 3, 31), (la, tag)


def test_cla_and_cp_children_overlap(raw):
    header = pd.concat(year_tables(raw, "806", y)["Header"] for y in YEARS)
    plans = pd.concat(cin_plans(raw, "806", y) for y in YEARS)
    assert len(set(header.CHILD) & set(plans.child)) > 50


# ---------------------------------------------------------------- edge cases
def test_edge_cases_806(raw):
    e = episodes_history(raw, "806")
    starts = e[e.RNE == "S"].groupby("CHILD").size()
    assert (starts >= 2).any(), "re-entry to care"
    only_short = e.groupby("CHILD").LS.apply(lambda s: s.isin(["V3", "V4"]).all())
    assert only_short.sum() >= 2, "children looked after only under short breaks"
    assert {"V3", "V4"} <= set(e.LS)
    short = e.LS.isin(["V3", "V4"])
    # DfE rules 214, 398, 420: no location for a short break; 399: no reviews for such a child
    assert (e.loc[short, ["HOME_POST", "PL_POST", "URN"]] == "").all().all()
    assert (e.loc[~short, "PL_POST"] != "").all()
    reviews = pd.concat(year_tables(raw, "806", y)["Reviews"] for y in YEARS)
    assert not reviews.CHILD.isin(only_short.index[only_short]).any()
    on_31_march = e.DEC.str.startswith("31/03/") & (e.REC != "X1")
    assert on_31_march.any(), "care ends on 31 March"
    assert not e.REC[on_31_march].isin(["E11", "E12"]).any()  # rule 187: no AD1 for OC2 child
    header = (
        pd.concat(year_tables(raw, "806", y)["Header"] for y in YEARS)
        .drop_duplicates("CHILD")
        .set_index("CHILD")
    )
    b18 = eighteenth_birthday(dates(header.DOB))
    assert (e.dec == e.CHILD.map(b18)).any(), "care ends on the 18th birthday"
    uasc = pd.concat(year_tables(raw, "806", y)["UASC"] for y in YEARS)
    assert len(uasc) > 0 and (uasc.SEX == "1").mean() > 0.8
    assert header.loc[uasc.CHILD.unique(), "ETHNIC"].isin(["OOTH", "AOTH", "BAFR"]).mean() > 0.5
    ad1 = pd.concat(year_tables(raw, "806", y)["AD1"] for y in YEARS)
    fc = ad1[ad1.FOSTER_CARE == "1"]
    assert len(fc) > 0, "adopted by own foster carers"
    assert e[e.CHILD.isin(fc.CHILD)].PLACE.isin(["A3", "A5"]).any()
    reviews = pd.concat(year_tables(raw, "806", y)["Reviews"] for y in YEARS)
    on_holiday = dates(reviews.REVIEW).dt.strftime("%d/%m").eq("26/12")
    assert on_holiday.any(), "review on Boxing Day"
    assert (
        dates(reviews.REVIEW)
        .isin(
            [
                pd.Timestamp(2021, 4, 5),
                pd.Timestamp(2022, 4, 18),
                pd.Timestamp(2023, 4, 10),
                pd.Timestamp(2024, 4, 1),
            ]
        )
        .any()
    ), "review on Easter Monday"
    plans = (
        pd.concat(cin_plans(raw, "806", y) for y in YEARS)
        .drop_duplicates(["child", "start"], keep="last")
        .sort_values(["child", "start"])
    )
    later = plans.duplicated("child")
    assert (later & (plans.nprev == 0)).any(), "NumberOfPreviousCPP 0 with an earlier plan"
    d = pd.Timestamp(2023, 3, 31)
    spans = plans[(plans.start <= d) & (plans.end > d)]
    assert len(spans) > 0, "CP plans spanning collection years"


def test_full_history_and_optional_columns(raw):
    e805 = year_tables(raw, "805", "2024-25")["Episodes"]
    assert (dates(e805.DEC) < pd.Timestamp(2024, 4, 1)).sum() > 100, "805 sends full history"
    e806 = year_tables(raw, "806", "2024-25")["Episodes"]
    assert (dates(e806.DEC) < pd.Timestamp(2024, 4, 1)).sum() == 0
    assert set(e806.PL_LOCATION[~e806.LS.isin(["V3", "V4"])]) == {"IN", "OUT"}
    assert (e806.PL_LOCATION[e806.LS.isin(["V3", "V4"])] == "").all()  # no location (rule 214)
    assert "PL_DISTANCE" not in year_tables(raw, "841", "2024-25")["Episodes"]


def test_local_extracts(raw):
    caseload = pd.read_csv(raw / "806/iro/caseload.csv", dtype=str)
    assert list(caseload.columns) == ["month", "iro_id", "fte", "open_cla", "open_cp"]
    march = caseload[caseload.month == "2024-03"]
    assert 12 <= march.fte.astype(float).sum() <= 16
    per_fte = (march.open_cla.astype(int) + march.open_cp.astype(int)).sum() / march.fte.astype(
        float
    ).sum()
    assert 45 <= per_fte <= 90
    irp = pd.read_csv(raw / "806/iro/irp.csv", dtype=str, keep_default_na=False)
    assert set(irp.plan_type) <= {"CLA", "CP", "dual", "none"}
    assert irp.irp_id.is_unique and "drift and delay" in set(irp.reason)
    assert set(irp.resolution_level) <= {"", "1", "2", "3", "4"}
    footprint = pd.read_csv(raw / "806/iro/footprint.csv", dtype=str)
    assert set(footprint.activity) == {"midway_review", "visit"}
    referrals = pd.read_csv(raw / "raa/referrals.csv", dtype=str, keep_default_na=False)
    assert list(referrals.columns) == ["child_id", "la_code", "referral_date", "sibling_group_id"]
    assert set(referrals.la_code) == set(LAS)
    groups = referrals[referrals.sibling_group_id != ""].groupby("sibling_group_id").size()
    assert len(groups) > 0 and groups.between(2, 4).all()
    adopters = pd.read_csv(raw / "raa/adopters.csv", dtype=str, keep_default_na=False)
    for col in adopters.columns[1:]:
        assert (dates(adopters[col]).dropna() <= HORIZON).all()


# ---------------------------------------------------------------- DfE validation consistency
# Hand-built children; expected values worked out from DfE's SSDA903 guide and validation rules.
def _episode(decom, dec=None, rec=None, rne="S", ls="C2", place="U1"):
    from analysis.synthetic.model import Episode, Placement

    pl = Placement(place, "PR1", "TS1 1AA", "XXXXXXX", "IN", 1.0)
    return Episode(decom, rne, ls, "N1", pl, "TS1 1AA", dec, rec)


def _period(*episodes, pathway="lt"):
    from analysis.synthetic.model import Period

    return Period(pathway, list(episodes))


YS, YE = dt.date(2023, 4, 1), dt.date(2024, 3, 31)


def test_continuously_looked_after_as_dfe_rules_define_it():
    from analysis.synthetic.returns import continuously_looked_after as cla

    d = dt.date
    assert cla([_period(_episode(d(2020, 5, 1)))], YS, YE)
    assert cla([_period(_episode(d(2023, 4, 1)))], YS, YE)  # from 1 April: the whole year
    assert not cla([_period(_episode(d(2023, 4, 2)))], YS, YE)  # started after 1 April
    assert cla([_period(_episode(d(2020, 5, 1), d(2024, 3, 31), "E4A"))], YS, YE)
    assert not cla([_period(_episode(d(2020, 5, 1), d(2024, 3, 30), "E4A"))], YS, YE)
    moved = _period(_episode(d(2020, 5, 1), d(2023, 9, 1), "X1"), _episode(d(2023, 9, 1), rne="P"))
    assert cla([moved], YS, YE)  # a placement move is no break
    assert not cla([_period(_episode(d(2020, 5, 1), ls="V3"))], YS, YE)
    assert not cla([_period(_episode(d(2020, 5, 1), d(2023, 3, 1), "E13"))], YS, YE)


def test_oc2_items_due_by_age():
    import numpy as np

    from analysis.synthetic.returns import _oc2_row

    rng = np.random.default_rng(1)
    for _ in range(30):
        # 3 at 31 March: health check, no SDQ, no conviction
        r = _oc2_row("1", dt.date(2020, 6, 1), YS, YE, rng)
        assert r["HEALTH_CHECK"] in "01" and r["HEALTH_CHECK"] != ""
        assert r["SDQ_SCORE"] == r["SDQ_REASON"] == r["CONVICTED"] == ""
        # 7: SDQ score or a reason other than SDQ1 (4 at the start, under 16 at the end)
        r = _oc2_row("1", dt.date(2016, 6, 1), YS, YE, rng)
        assert r["HEALTH_CHECK"] == "" and r["CONVICTED"] == ""
        assert (r["SDQ_SCORE"] == "") != (r["SDQ_REASON"] == "")
        assert r["SDQ_REASON"] != "SDQ1"
        # 17 on 1 June 2023: SDQ still due (turns 17 in the year), conviction due
        r = _oc2_row("1", dt.date(2006, 6, 1), YS, YE, rng)
        assert (r["SDQ_SCORE"] == "") != (r["SDQ_REASON"] == "") and r["CONVICTED"] != ""
        # 17 before 1 April 2023: no SDQ
        r = _oc2_row("1", dt.date(2006, 3, 1), YS, YE, rng)
        assert r["SDQ_SCORE"] == r["SDQ_REASON"] == ""
        for row in (r, _oc2_row("1", dt.date(2020, 6, 1), YS, YE, rng)):
            for item in ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"):
                assert row[item] in ("0", "1")


def test_mother_recorded_for_every_girl_looked_after_except_short_breaks():
    from analysis.synthetic.model import Child
    from analysis.synthetic.returns import mother_fields

    girl = Child("1", 2, dt.date(2016, 1, 1), "WBRI", "UN1", "TS1 1AA")
    care = [_period(_episode(dt.date(2023, 5, 1)))]
    assert mother_fields(girl, care, YE) == {"MOTHER": "0", "MC_DOB": ""}
    breaks = [_period(_episode(dt.date(2023, 5, 1), ls="V4"), pathway="short_break")]
    assert mother_fields(girl, breaks, YE) == {"MOTHER": "", "MC_DOB": ""}
    boy = Child("2", 1, dt.date(2008, 1, 1), "WBRI", "UN1", "TS1 1AA")
    assert mother_fields(boy, care, YE) == {"MOTHER": "", "MC_DOB": ""}
    mum = Child("3", 2, dt.date(2007, 1, 1), "WBRI", "UN1", "TS1 1AA")
    mum.mother_child_dob = dt.date(2023, 10, 2)
    assert mother_fields(mum, care, YE) == {"MOTHER": "1", "MC_DOB": "02/10/2023"}
    earlier = [_period(_episode(dt.date(2022, 5, 1)))]
    assert mother_fields(mum, earlier, dt.date(2023, 3, 31))["MOTHER"] == "0"  # not yet born


def test_social_worker_episodes_reason_at_start_and_no_gaps():
    from analysis.synthetic.model import Child
    from analysis.synthetic.returns import social_worker_episodes

    d = dt.date
    child = Child("1", 1, d(2010, 1, 1), "WBRI", "UN1", "TS1 1AA")
    first = _period(_episode(d(2022, 6, 1), d(2023, 8, 1), "E13"))
    first.social_workers = [
        ("SW1", d(2022, 6, 1), d(2023, 1, 10), "LEFTRL"),
        ("SW2", d(2023, 1, 10), d(2023, 8, 1), "OTHERS"),
    ]
    again = _period(_episode(d(2023, 11, 20), d(2024, 3, 28), "E13"))
    again.social_workers = [("SW3", d(2023, 11, 20), d(2024, 3, 28), "OTHERS")]
    child.periods = [first, again]
    assert social_worker_episodes(child) == [
        ("SW1", d(2022, 6, 1), d(2023, 1, 10), "FCONTA"),
        ("SW2", d(2023, 1, 10), d(2023, 11, 20), "LEFTRL"),  # kept until care starts again
        ("SW3", d(2023, 11, 20), d(2024, 4, 1), "TSPROC"),  # not ending in March's last days
    ]


def test_care_leaver_information_due():
    from analysis.synthetic.model import Child
    from analysis.synthetic.returns import care_leaver_due

    d = dt.date

    def young_person(start, end, rec="E8"):
        child = Child("1", 1, d(2005, 10, 10), "WBRI", "UN1", "TS1 1AA")  # 18 on 10/10/2023
        child.periods = [_period(_episode(start, end, rec))]
        return child

    def due(child):
        return care_leaver_due(child, child.periods, child.periods, YS, YE)

    assert due(young_person(d(2021, 1, 5), d(2023, 5, 1)))  # left at 17, relevant child
    assert not due(young_person(d(2021, 1, 5), d(2023, 10, 10)))  # left on the 18th birthday
    assert not due(young_person(d(2023, 3, 1), d(2023, 5, 1)))  # 61 days in care: not relevant
    assert not due(young_person(d(2021, 1, 5), d(2023, 5, 1), "E3"))  # moved to another council
    assert not due(young_person(d(2021, 1, 5), d(2022, 5, 1)))  # left before the year


def test_upns_unique_with_a_valid_check_letter():
    import numpy as np

    from analysis.synthetic.children import IdFactory, upn_check_letter

    ids = IdFactory("zero6", np.random.default_rng(0))
    body = "806250020999"
    upn = upn_check_letter(body) + body
    assert ids.unique_upn(upn) == upn
    again = ids.unique_upn(upn)
    assert again[1:] == "806250020000"  # serial 999 + 1 wraps to 000
    assert again[0] == upn_check_letter(again[1:])


def test_returns_pass_dfe_side_table_checks(raw):
    """Whole-return checks of the DfE rules fixed in the generator (hand-stated conditions)."""
    for la in LAS:
        for year in ["2022-23", "2023-24", "2024-25"]:
            t = year_tables(raw, la, year)
            assert t["PrevPerm"].CHILD.is_unique, (la, year)  # INT35
            header, eps = t["Header"], t["Episodes"]
            girls = header[header.SEX == "2"]
            looked_after = set(eps.CHILD[~eps.LS.isin(["V3", "V4"])])
            assert girls[girls.CHILD.isin(looked_after)].MOTHER.isin(["0", "1"]).all()  # 393
            assert (header[header.SEX == "1"].MOTHER == "").all()  # 165
            oc2 = t["OC2"]
            for item in ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"):
                assert (oc2[item] != "").all(), (la, year, item)  # 182
            assert not set(oc2.CHILD) & set(t["OC3"].CHILD)  # 187, 215
            if "SocialWorker" in t:
                assert (t["SocialWorker"].SW_REASON != "").all()  # SW13STG1, SW03STG1
            root = ET.parse(raw / la / "cin_census" / f"{year}.xml").getroot()
            upns = [u.text for u in root.iter("UPN")]
            assert len(upns) == len(set(upns)), (la, year)  # CIN 1520
            ye = dt.date(int(year[:4]) + 1, 3, 31)
            for s47 in root.iter("Section47"):
                start = dt.date.fromisoformat(s47.findtext("S47ActualStartDate"))
                if s47.findtext("ICPCnotRequired") == "false" and (ye - start).days > 28:
                    assert s47.findtext("DateOfInitialCPC"), (la, year)  # CIN 8675Q


# ---------------------------------------------------------------- DfE episode rules (issue 5)
def _ep903(decom, dec=None, rec=None, ls="C2", place="U6"):
    from analysis.synthetic.model import Episode, Placement

    pl = Placement(place, "PR1", "TS1 1AA", "XXXXXXX", "IN", 1.0)
    return Episode(decom, "S", ls, "N1", pl, "TS1 1AA", dec, rec)


def test_missing_episodes_end_inside_care_and_open_only_in_the_open_episode():
    from analysis.synthetic.cla import _missing_end
    from analysis.synthetic.model import Period

    d = dt.date
    first = _ep903(d(2023, 1, 1), d(2023, 3, 20), "X1")
    period = Period("lt", [first, _ep903(d(2023, 3, 20), d(2023, 6, 10), "E8")])
    horizon = d(2025, 3, 31)
    # starts in the episode open on 31 March: stays open across the year end (575)
    assert _missing_end(period, d(2023, 3, 25), d(2023, 4, 5), horizon) == d(2023, 4, 5)
    # starts on the last day of an episode that ended before 31 March: ends on 31 March
    assert _missing_end(period, d(2023, 3, 20), d(2023, 4, 2), horizon) == d(2023, 3, 31)
    # would run past the end of care (10 June): ends the day before (577, 580)
    assert _missing_end(period, d(2023, 6, 8), d(2023, 6, 12), horizon) == d(2023, 6, 9)
    assert _missing_end(period, d(2023, 6, 10), d(2023, 6, 10), horizon) is None
    still = Period("lt", [_ep903(d(2023, 5, 1))])
    assert _missing_end(still, d(2024, 3, 30), d(2024, 4, 2), horizon) == d(2024, 4, 2)


def test_reason_ceased_and_placement_with_parents_follow_dfe_rules():
    from analysis.synthetic.cla import _not_with_parents_under_s20, _rec_for_age

    dob = dt.date(2008, 5, 1)
    assert _rec_for_age("E7", dob, dt.date(2024, 4, 30)) == "E8"  # 15: not adult services
    assert _rec_for_age("E7", dob, dt.date(2024, 5, 1)) == "E7"  # 16th birthday
    assert _rec_for_age("E4A", dob, dt.date(2020, 1, 1)) == "E4A"
    v2 = _ep903(dt.date(2023, 5, 1), dt.date(2023, 6, 1), "X1", ls="V2", place="P1")
    c1 = _ep903(dt.date(2023, 6, 1), ls="C1")
    c1.placement = v2.placement  # the same placement continues under the interim order
    _not_with_parents_under_s20([v2, c1])
    assert (v2.placement.place, v2.placement.provider, c1.placement.place) == ("U6", "PR1", "U6")
    p1 = _ep903(dt.date(2023, 5, 1), ls="C2", place="P1")
    _not_with_parents_under_s20([p1])
    assert p1.placement.place == "P1"  # with parents under a care order is fine


def test_placements_follow_the_supported_accommodation_reform_and_provider_rules():
    import types

    import numpy as np

    from analysis.synthetic.children import PlacementMaker
    from analysis.synthetic.cla import CareSimulator
    from analysis.synthetic.config import load_calibration

    calib = load_calibration()
    maker = PlacementMaker(np.random.default_rng(7), calib.profile("806"), calib)
    before, reform = dt.date(2023, 10, 27), dt.date(2023, 10, 28)
    assert maker.make("H5", before).urn == "XXXXXXX"
    after = maker.make("P2", reform)
    assert after.place == "H5" and after.urn.startswith("SC")
    assert maker.make("P2", before).place == "P2"
    for _ in range(200):
        assert maker.make("Z1", before).provider == ""
        assert maker.make("K1", before).provider != "PR3"
        pl = maker.make("K2", before)
        assert pl.provider != "PR1" or pl.location == "IN"
    h5 = maker.make("H5", dt.date(2023, 6, 1))
    k2 = maker.make("K2", dt.date(2024, 1, 10))
    fake = types.SimpleNamespace(places=maker)
    timeline = [(dt.date(2023, 6, 1), h5, False, ""), (dt.date(2024, 1, 10), k2, False, "CHILD")]
    out = CareSimulator.reform(fake, timeline, dt.date(2024, 3, 1))
    assert [t[0] for t in out] == [dt.date(2023, 6, 1), reform, dt.date(2024, 1, 10)]
    registered = out[1][1]
    assert out[1][2:] == (True, "PLACE")  # same carer: RNE T
    assert (registered.place, registered.pl_post, registered.provider) == (
        "H5",
        h5.pl_post,
        h5.provider,
    )
    assert registered.urn.startswith("SC") and h5.urn == "XXXXXXX"
    # a placement that ends before the reform is not split
    assert CareSimulator.reform(fake, timeline[:1], dt.date(2023, 10, 28)) == timeline[:1]


def test_social_worker_change_in_the_last_days_of_march_moves_to_1_april():
    from analysis.synthetic.model import Child
    from analysis.synthetic.returns import social_worker_episodes

    d = dt.date
    child = Child("1", 2, d(2012, 1, 1), "WBRI", "UN1", "TS1 1AA")
    period = _period(_episode(d(2023, 6, 1)))
    period.social_workers = [
        ("SWA", d(2023, 6, 1), d(2024, 3, 29), "LEFTRL"),
        ("SWB", d(2024, 3, 29), d(2024, 9, 1), "ABSENC"),
        ("SWC", d(2024, 9, 1), None, None),
    ]
    child.periods = [period]
    assert social_worker_episodes(child) == [
        ("SWA", d(2023, 6, 1), d(2024, 4, 1), "FCONTA"),
        ("SWB", d(2024, 4, 1), d(2024, 9, 1), "LEFTRL"),
        ("SWC", d(2024, 9, 1), None, "ABSENC"),
    ]


def test_worker_kept_when_care_ends_in_march_and_starts_again_in_the_next_year():
    """SW10STG2, SW11aSTG2: the end moved to 1 April joins the next period in that year."""
    from analysis.synthetic.model import Child
    from analysis.synthetic.returns import social_worker_episodes

    d = dt.date
    child = Child("1", 1, d(2019, 7, 11), "WBRI", "UN1", "TS1 1AA")
    first = _period(_episode(d(2023, 1, 8), d(2023, 3, 31), "E4A", ls="V2"))
    first.social_workers = [("SW1", d(2023, 1, 8), d(2023, 3, 31), "OTHERS")]
    again = _period(_episode(d(2023, 12, 27), None, None, ls="V2"))
    again.social_workers = [("SW2", d(2023, 12, 27), None, None)]
    child.periods = [first, again]
    assert social_worker_episodes(child) == [
        ("SW1", d(2023, 1, 8), d(2023, 12, 27), "FCONTA"),  # not 1 April, then a gap
        ("SW2", d(2023, 12, 27), None, "TSPROC"),
    ]
    # back in care only in the following collection year: the allocation ends on 1 April
    later = _period(_episode(d(2024, 5, 2), None, None, ls="V2"))
    later.social_workers = [("SW2", d(2024, 5, 2), None, None)]
    child.periods = [first, later]
    assert social_worker_episodes(child) == [
        ("SW1", d(2023, 1, 8), d(2023, 4, 1), "FCONTA"),
        ("SW2", d(2024, 5, 2), None, "FCONTA"),
    ]


def test_adoptions_agree_with_ad1_and_oc2(raw):
    """Rules 335 and 187 on every council's returns (conditions stated from the rules)."""
    for la in LAS:
        for year in YEARS:
            t = year_tables(raw, la, year)
            eps = t["Episodes"]
            adopted = eps[eps.REC.isin(["E11", "E12"])]
            # 187: an adoption order on 31 March would make the child continuously looked after
            assert not adopted.DEC.str.startswith("31/03/").any(), (la, year)
            ad1 = t["AD1"].merge(adopted[["CHILD", "PLACE"]], on="CHILD", how="left")
            # 335: adopted by the current foster carers exactly when placed with them (A3/A5)
            with_carers = ad1.PLACE.isin(["A3", "A5"])
            assert (ad1.FOSTER_CARE == with_carers.map({True: "1", False: "0"})).all(), (la, year)
