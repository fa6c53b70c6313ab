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

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.ingest.pseudonymise import pseudonymise
from analysis.ingest.quality import QUARANTINED, WARNING, LogBuilder, safe_values
from analysis.ingest.rawcolumn import RawColumn
from analysis.ingest.spec import Field, TableSpec

_INT_FLOAT = re.compile(r"^([+-]?\d+)\.0*$")
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
# A child id as LAs write them; this catches ids a spreadsheet turned into numbers (1.2E+05).
_CHILD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.]*")
_LA_CODE = re.compile(r"\d{3}")
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


_FIRST = np.datetime64(f"{FIRST_YEAR}-01-01", "ns")
_AFTER_LAST = np.datetime64(f"{LAST_YEAR + 1}-01-01", "ns")


#: Parsed dates by format and text, kept for the process: the returns of one LA repeat the same
#: dates year after year. ``now`` and ``today``, which pandas reads as the current time, are not
#: kept.
_DATES: dict[str, dict[str, np.datetime64]] = {}
_DATES_MAX = 1 << 18  # texts kept per format (a few tens of MB at most)
_NOT_KEPT = frozenset({"now", "today"})


def _parse_dates(texts: np.ndarray, fmt: str) -> np.ndarray:
    """``pd.to_datetime(texts, format=fmt, errors="coerce")`` as datetime64[ns] (NaT if not a date).

    Each text is parsed on its own (the result for one does not depend on the others), so texts
    already parsed in this process are looked up instead.
    """
    known = _DATES.setdefault(fmt, {})
    new = [t for t in texts if t not in known]
    if new:
        parsed = pd.to_datetime(
            pd.Series(new, dtype=object), format=fmt, errors="coerce", cache=False
        )
        if len(known) + len(new) > _DATES_MAX:
            known.clear()
        known.update(zip(new, parsed.to_numpy(dtype="datetime64[ns]"), strict=True))
    out = np.array([known[t] for t in texts], dtype="datetime64[ns]")
    for t in _NOT_KEPT.intersection(new):
        del known[t]
    return out


def _int_text(raw: pd.Series) -> pd.Series:
    """``"10.0"`` -> ``"10"``; anything else unchanged."""
    sub = _INT_FLOAT.sub
    return pd.Series([sub(r"\1", v) for v in raw], index=raw.index, dtype=object)


def _matches(raw: pd.Series, pattern: re.Pattern) -> np.ndarray:
    """Whether each text matches ``pattern`` as a whole (as ``Series.str.fullmatch``)."""
    match = pattern.fullmatch
    return np.fromiter((match(v) is not None for v in raw), dtype=bool, count=len(raw))


def _text(values: pd.Series | np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Text values where ``keep``, else None (an object array)."""
    return np.where(keep, np.asarray(values, dtype=object), None)


def _column(values: np.ndarray, dtype: str) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """Typed values (from :func:`_check_values`) as the processed column's dtype."""
    if dtype == "int64":
        return values.astype(np.int64)
    if dtype == "Int64":
        return pd.array(values, dtype="Int64")
    if dtype == "bool":
        return values.astype(bool)
    if dtype == "boolean":
        return pd.array(values, dtype="boolean")
    return values  # object text (None when blank), float64, datetime64[ns]


@dataclass
class _Problem:
    mask: np.ndarray
    field: Field
    reason: str
    action: str


def _check_values(
    f: Field, raw: pd.Series, date_format: str, found: list[tuple[np.ndarray, str]]
) -> np.ndarray:
    """Check distinct raw values of one field; append ``(mask, reason)``; return typed values.

    ``raw`` holds each distinct value once (checks run on distinct values, then are spread back
    to the rows: a column of 100,000 dates has a few thousand distinct ones). Typed values are
    datetime64[ns] (NaT), float64 (NaN) or object (None) arrays, missing where blank or bad.
    """
    blank = raw.to_numpy(dtype=object) == ""

    def problem(mask: np.ndarray, reason: str) -> None:
        if mask.any():
            found.append((mask, reason))

    if f.required and not f.link:
        problem(blank, "required field is blank")
    kind = f.kind
    if kind in ("date", "month"):
        fmt = "%Y-%m" if kind == "month" else date_format
        val = _parse_dates(raw.to_numpy(dtype=object), fmt)
        bad = ~blank & ~((val >= _FIRST) & (val < _AFTER_LAST))
        if not f.link:
            what = "month" if kind == "month" else "date"
            problem(bad, f"not a valid {what} (expected {_HUMAN_FORMAT[fmt]})")
        val[bad | blank] = np.datetime64("NaT")
        return val
    if kind == "int":
        text = _int_text(raw)
        ok = _matches(text, _WHOLE_NUMBER)
        problem(~blank & ~ok, "not a whole number")
        val = pd.to_numeric(text.where(ok), errors="coerce").to_numpy(dtype=float)
        return _range(f, val, problem)
    if kind == "float":
        val = pd.to_numeric(raw.where(~blank), errors="coerce").to_numpy(dtype=float)
        problem(~blank & np.isnan(val), "not a number")
        return _range(f, val, problem)
    if kind in ("code", "bool"):
        numeric = bool(f.codes) and all(c.lstrip("-").isdigit() for c in f.codes)
        text = _int_text(raw) if (numeric or kind == "bool") else raw
        ok = text.isin(f.codes or ()).to_numpy()
        problem(~blank & ~ok, "not a valid code")
        if kind == "bool":
            yes = np.isin(np.array([t.lower() for t in text], dtype=object), ["true", "1"])
            return np.where(~blank & ok, yes, None)
        return _text(text, ~blank & ok)
    if kind == "id":
        ok = _matches(raw, _CHILD_ID)
        problem(~blank & ~ok, "not a valid child id (letters, digits and - _ / . only)")
        return _text(raw, ~blank & ok)
    if kind == "la_code":
        ok = _matches(raw, _LA_CODE)
        problem(~blank & ~ok, "not a 3-digit LA code")
        return _text(raw, ~blank & ok)
    return _text(raw, ~blank)


def _range(f: Field, val: np.ndarray, problem) -> np.ndarray:
    bad = np.zeros(len(val), dtype=bool)
    if f.minimum is not None:
        low = val < f.minimum
        problem(low, f"less than {f.minimum:g}")
        bad |= low
    if f.maximum is not None:
        high = val > f.maximum
        problem(high, f"more than {f.maximum:g}")
        bad |= high
    val[bad] = np.nan
    return val


def _check_field(
    f: Field, raw: RawColumn, date_format: str, problems: list[_Problem]
) -> np.ndarray:
    """Check one field; append its problems; return its typed values (missing where bad)."""
    codes = raw.codes
    found: list[tuple[np.ndarray, str]] = []
    typed = _check_values(f, pd.Series(raw.distinct, dtype=object), date_format, found)
    action = QUARANTINED if f.name else WARNING
    for mask, reason in found:
        problems.append(_Problem(mask[codes], f, reason, action))
    return typed[codes]


def check_table(
    raw: dict[str, RawColumn],
    spec: TableSpec,
    *,
    file: str,
    la_code: str | None,
    key: bytes,
    lines: pd.Series,
    field_lines: dict[str, pd.Series | np.ndarray] | None = None,
    extra_problems: list[tuple[np.ndarray, str, str, pd.Series]] | None = None,
) -> Checked:
    """Check every row of one raw table and type the rows that pass.

    Parameters
    ----------
    raw
        Raw values as stripped strings ("" when blank), one column per raw field present, by
        its name in the return.
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
    row_lines = np.asarray(lines)
    n = len(row_lines)
    problems: list[_Problem] = []
    values: dict[str, np.ndarray] = {}
    present = [f for f in spec.fields + spec.optional if f.source in raw]
    for f in present:
        values[f.source] = _check_field(f, raw[f.source], spec.date_format, problems)
    for earlier, later in spec.date_order:
        if earlier in values and later in values:
            mask = values[later] < values[earlier]
            if mask.any():
                problems.append(
                    _Problem(mask, spec.field(later), f"{later} is before {earlier}", QUARANTINED)
                )
    quarantined = np.zeros(n, dtype=bool)
    for p in problems:
        if p.action == QUARANTINED:
            quarantined |= p.mask
    for mask, *_ in extra_problems or []:
        quarantined |= mask

    # Pseudonymised ids, for the data and for the log.
    id_source = spec.id_field
    pseudo = None
    if id_source and id_source in raw:
        ids = raw[id_source]
        if la_code is not None:  # one LA: each distinct id pseudonymised once
            pseudo = pseudonymise(pd.Series(ids.distinct, dtype=object), la_code, key)
            pseudo = pseudo.to_numpy(dtype=object)[ids.codes]
        else:
            la_values = pd.Series(raw["la_code"].values()) if "la_code" in raw else ""
            pseudo = pseudonymise(pd.Series(ids.values()), la_values, key).to_numpy(dtype=object)

    log = LogBuilder(file)
    for p in problems:
        mask = p.mask if p.action == QUARANTINED else (p.mask & ~quarantined)
        if not mask.any():
            continue
        src = p.field.source
        shown = safe_values(
            pd.Series(raw[src].values(mask), dtype=object),
            p.field.redact,
            pd.Series(pseudo[mask], dtype=object)
            if p.field.kind == "id" and pseudo is not None
            else None,
        )
        at = np.asarray(field_lines[src]) if src in field_lines else row_lines
        log.add(at[mask], src, shown, p.reason, p.action)
    for mask, fname, reason, shown_values in extra_problems or []:
        if mask.any():
            log.add(
                row_lines[mask], fname, list(np.asarray(shown_values)[mask]), reason, QUARANTINED
            )

    keep = ~quarantined
    kept = int(keep.sum())
    out: dict[str, object] = {}
    for col, dtype in spec.dtypes.items():
        f = next((f for f in spec.fields + spec.optional if f.name == col), None)
        if f is None:  # la_code from the folder
            out[col] = np.full(kept, la_code, dtype=object)
        elif f.source not in values:  # an optional column the file does not have
            out[col] = _column(
                np.full(
                    kept,
                    np.nan if dtype == "float64" else None,
                    dtype=float if dtype == "float64" else object,
                ),
                dtype,
            )
        elif f.kind == "id":
            out[col] = pseudo[keep]
        else:
            out[col] = _column(values[f.source][keep], dtype)
    out["_line"] = row_lines[keep]
    data = pd.DataFrame(out)
    return Checked(data=data, log=log.frame(), rows_in=n, quarantined=quarantined)
