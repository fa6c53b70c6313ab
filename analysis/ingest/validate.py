"""Row checks and typing, vectorised over a whole table of raw strings.

Checks, per field (:class:`analysis.ingest.spec.Field`):

- a required field is not blank;
- a date parses in the file's format (``dd/mm/YYYY`` in CSV, ``YYYY-MM-DD`` in XML) and falls
  between 1900 and 2100; a month parses as ``YYYY-MM``;
- a code is in the valid code list (whitespace stripped; ``1.0`` is read as ``1`` for numeric
  codes, as spreadsheets write them);
- a whole number is one (``10.0`` accepted) and in range; a decimal parses and is in range;
- an LA code has 3 digits; a child id has only letters, digits and ``- _ / .`` (a spreadsheet's
  ``1.2E+05`` is caught);

and per row, each ``(earlier, later)`` pair in date order when both are present.

A problem in a kept field quarantines the row; a problem in a field dropped on ingest is a
warning and the row is kept. All problems of a quarantined row are logged, so it can be fixed in
one go; warnings are logged for kept rows only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.ingest.pseudonymise import pseudonymise
from analysis.ingest.quality import QUARANTINED, WARNING, LogBuilder, safe_values
from analysis.ingest.spec import Field, TableSpec

_INT_FLOAT = r"^([+-]?\d+)\.0*$"
# A child id as LAs write them; this catches ids a spreadsheet turned into numbers (1.2E+05).
_CHILD_ID = r"[A-Za-z0-9][A-Za-z0-9_\-/.]*"
_HUMAN_FORMAT = {"%d/%m/%Y": "dd/mm/YYYY", "%Y-%m-%d": "YYYY-MM-DD", "%Y-%m": "YYYY-MM"}
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass
class Checked:
    """Result of :func:`check_table`.

    Attributes
    ----------
    data
        Kept rows, typed, with the processed columns plus ``_line`` (the row's line in the file).
    log
        Data-quality log entries for this table.
    rows_in
        Rows read.
    quarantined
        Boolean mask over the input rows: left out of ``data``.
    """

    data: pd.DataFrame
    log: pd.DataFrame
    rows_in: int
    quarantined: np.ndarray


def _int_text(raw: pd.Series) -> pd.Series:
    """``"10.0"`` -> ``"10"``; anything else unchanged."""
    return raw.str.replace(_INT_FLOAT, r"\1", regex=True)


def _to_dtype(values: pd.Series, dtype: str) -> pd.Series:
    if dtype == "string":
        out = values.astype(object)
        return out.where(values.notna(), None)
    if dtype in ("int64", "Int64"):
        return pd.to_numeric(values).astype(dtype)
    if dtype == "float64":
        return pd.to_numeric(values).astype("float64")
    if dtype == "datetime64[ns]":
        return pd.to_datetime(values).astype("datetime64[ns]")
    return values.astype(dtype)


@dataclass
class _Problem:
    mask: np.ndarray
    field: Field
    reason: str
    action: str


def _check_field(f: Field, raw: pd.Series, date_format: str,
                 problems: list[_Problem]) -> pd.Series:
    """Check one field; append its problems; return its typed values (missing where bad)."""
    blank = raw.eq("").to_numpy()
    action = QUARANTINED if f.name else WARNING

    def problem(mask: np.ndarray | pd.Series, reason: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            problems.append(_Problem(mask, f, reason, action))

    if f.required and not f.link:
        problem(blank, "required field is blank")
    kind = f.kind
    if kind in ("date", "month"):
        fmt = "%Y-%m" if kind == "month" else date_format
        val = pd.to_datetime(raw.where(~blank), format=fmt, errors="coerce")
        bad = ~blank & (val.isna() | ~val.dt.year.between(FIRST_YEAR, LAST_YEAR)).to_numpy()
        if not f.link:
            what = "month" if kind == "month" else "date"
            problem(bad, f"not a valid {what} (expected {_HUMAN_FORMAT[fmt]})")
        return val.where(~bad)
    if kind == "int":
        text = _int_text(raw)
        ok = text.str.fullmatch(r"[+-]?\d+").to_numpy()
        problem(~blank & ~ok, "not a whole number")
        val = pd.to_numeric(text.where(ok), errors="coerce")
        return _range(f, val, problem)
    if kind == "float":
        val = pd.to_numeric(raw.where(~blank), errors="coerce")
        problem(~blank & val.isna().to_numpy(), "not a number")
        return _range(f, val, problem)
    if kind in ("code", "bool"):
        numeric = bool(f.codes) and all(c.lstrip("-").isdigit() for c in f.codes)
        text = _int_text(raw) if (numeric or kind == "bool") else raw
        ok = text.isin(f.codes or ()).to_numpy()
        problem(~blank & ~ok, "not a valid code")
        if kind == "bool":
            val = text.str.lower().isin(["true", "1"]).astype("boolean")
            return val.where(~blank & ok)
        return text.where(~blank & ok)
    if kind == "id":
        ok = raw.str.fullmatch(_CHILD_ID).to_numpy()
        problem(~blank & ~ok, "not a valid child id (letters, digits and - _ / . only)")
        return raw.where(~blank & ok)
    if kind == "la_code":
        ok = raw.str.fullmatch(r"\d{3}").to_numpy()
        problem(~blank & ~ok, "not a 3-digit LA code")
        return raw.where(~blank & ok)
    return raw.where(~blank)


def _range(f: Field, val: pd.Series, problem) -> pd.Series:
    bad = np.zeros(len(val), dtype=bool)
    if f.minimum is not None:
        low = (val < f.minimum).to_numpy()
        problem(low, f"less than {f.minimum:g}")
        bad |= low
    if f.maximum is not None:
        high = (val > f.maximum).to_numpy()
        problem(high, f"more than {f.maximum:g}")
        bad |= high
    return val.where(~bad)


def check_table(frame: pd.DataFrame, spec: TableSpec, *, file: str, la_code: str | None,
                key: bytes, lines: pd.Series,
                field_lines: dict[str, pd.Series] | None = None,
                extra_problems: list[tuple[np.ndarray, str, str, pd.Series]] | None = None,
                ) -> Checked:
    """Check every row of one raw table and type the rows that pass.

    Parameters
    ----------
    frame
        Raw values as stripped strings ("" when blank), one column per raw field present.
    spec
        The table's specification.
    file
        File name as shown in the log (relative to the raw folder).
    la_code
        The LA whose data this is; ``None`` when the table carries ``la_code`` per row.
    key
        Pseudonymisation key.
    lines
        Line of each row in the file, for the log.
    field_lines
        Line of each field's own XML element, when known (defaults to ``lines``).
    extra_problems
        Further ``(mask, field, reason, values)`` problems found by the caller that quarantine
        rows; ``values`` (one per row) are shown in the log.

    Returns
    -------
    Checked
    """
    field_lines = field_lines or {}
    lines = pd.Series(np.asarray(lines), index=frame.index)
    problems: list[_Problem] = []
    values: dict[str, pd.Series] = {}
    present = [f for f in spec.fields + spec.optional if f.source in frame.columns]
    for f in present:
        values[f.source] = _check_field(f, frame[f.source], spec.date_format, problems)
    for earlier, later in spec.date_order:
        if earlier in values and later in values:
            mask = (values[later] < values[earlier]).to_numpy()
            if mask.any():
                problems.append(_Problem(mask, spec.field(later), f"{later} is before {earlier}",
                                         QUARANTINED))
    quarantined = np.zeros(len(frame), dtype=bool)
    for p in problems:
        if p.action == QUARANTINED:
            quarantined |= p.mask
    for mask, *_ in extra_problems or []:
        quarantined |= mask

    # Pseudonymised ids, for the data and for the log.
    la_values: str | pd.Series | None = la_code
    if la_code is None:
        la_values = frame["la_code"] if "la_code" in frame.columns else ""
    id_source = spec.id_field
    pseudo = (pseudonymise(frame[id_source], la_values, key)
              if id_source and id_source in frame.columns else None)

    log = LogBuilder(file)
    for p in problems:
        mask = p.mask if p.action == QUARANTINED else (p.mask & ~quarantined)
        if not mask.any():
            continue
        raw = frame[p.field.source][mask]
        shown = safe_values(raw, p.field.redact,
                            pseudo[mask] if p.field.kind == "id" and pseudo is not None else None)
        rows = field_lines.get(p.field.source, lines)[mask]
        log.add(rows.to_numpy(), p.field.source, shown, p.reason, p.action)
    for mask, fname, reason, shown_values in extra_problems or []:
        if mask.any():
            log.add(lines[mask].to_numpy(), fname, list(np.asarray(shown_values)[mask]), reason,
                    QUARANTINED)

    keep = ~quarantined
    out = {}
    if spec.la_column and "la_code" not in {f.name for f in present}:
        out["la_code"] = pd.Series([la_code] * int(keep.sum()), dtype=object)
    for f in spec.fields + spec.optional:
        if not f.name:
            continue
        if f.source not in values:  # an optional column the file does not have
            col = pd.Series([None] * int(keep.sum()), dtype=object)
        elif f.kind == "id":
            col = pseudo[keep].reset_index(drop=True)
        else:
            col = values[f.source][keep].reset_index(drop=True)
        out[f.name] = _to_dtype(col, f.dtype)
    data = pd.DataFrame(out)
    data = data[spec.columns]
    data["_line"] = lines[keep].to_numpy()
    return Checked(data=data, log=log.frame(), rows_in=len(frame), quarantined=quarantined)
