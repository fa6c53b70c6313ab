"""Builders of tiny, hand-typed processed tables for the CLA tests (data/README.md section 2)."""

from __future__ import annotations

import pandas as pd

EPISODE_COLUMNS = ["la_code", "child_id", "decom", "rne", "ls", "cin", "place", "dec", "rec"]


def ep(
    child: str,
    decom: str,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    dec: str | None = None,
    rec: str | None = None,
    cin: str = "N1",
) -> dict:
    """One episode row; dates as ISO strings, ``dec``/``rec`` blank while open."""
    return {
        "la_code": "806",
        "child_id": child,
        "decom": decom,
        "rne": rne,
        "ls": ls,
        "cin": cin,
        "place": place,
        "dec": dec,
        "rec": rec,
    }


def episodes(*rows: dict) -> pd.DataFrame:
    """Episodes with the processed dtypes: codes and ids ``string``, dates ``datetime64[ns]``."""
    frame = pd.DataFrame(list(rows), columns=EPISODE_COLUMNS)
    for col in ("decom", "dec"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in ("la_code", "child_id", "rne", "ls", "cin", "place", "rec"):
        frame[col] = frame[col].astype("string")
    return frame


def children(*rows: tuple) -> pd.DataFrame:
    """Rows ``(child_id, sex, dob, ethnic)``."""
    frame = pd.DataFrame(list(rows), columns=["child_id", "sex", "dob", "ethnic"])
    frame.insert(0, "la_code", "806")
    frame["dob"] = pd.to_datetime(frame["dob"]).astype("datetime64[ns]")
    frame["sex"] = frame["sex"].astype("Int64")
    for col in ("la_code", "child_id", "ethnic"):
        frame[col] = frame[col].astype("string")
    return frame


def reviews(*rows: tuple) -> pd.DataFrame:
    """Rows ``(child_id, review date, review_code)``."""
    frame = pd.DataFrame(list(rows), columns=["child_id", "review", "review_code"])
    frame.insert(0, "la_code", "806")
    frame["review"] = pd.to_datetime(frame["review"]).astype("datetime64[ns]")
    for col in ("la_code", "child_id", "review_code"):
        frame[col] = frame[col].astype("string")
    return frame
