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
                    if kind == "date":
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
    postcodes = year_tables(raw, "806", "2023-24")["Episodes"].PL_POST
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
    assert (e.DEC.str.startswith("31/03/") & (e.REC != "X1")).any(), "care ends on 31 March"
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
    assert set(e806.PL_LOCATION) == {"IN", "OUT"}
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
