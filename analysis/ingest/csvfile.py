"""Reading raw CSV files as text, keeping line numbers, and recognising tables by their columns."""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from analysis.errors import InputError
from analysis.ingest.rawcolumn import RawColumn
from analysis.ingest.spec import TableSpec

log = logging.getLogger(__name__)

#: Tried in order; a file starting with a UTF-16 byte order mark is read as UTF-16.
ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass
class RawCsv:
    """A CSV file read as stripped strings.

    Attributes
    ----------
    columns
        One column per header name, in order, values stripped, ``""`` when blank; wholly blank
        lines dropped.
    lines
        Line number of each row in the file (the header is line 1).
    encoding
        The encoding that decoded the file.
    """

    columns: dict[str, RawColumn]
    lines: pd.Series
    encoding: str


def _bom_encoding(path: Path) -> str | None:
    """``utf-16`` for a file starting with a UTF-16 byte order mark (Excel's "Unicode text")."""
    with open(path, "rb") as fh:
        start = fh.read(2)
    return "utf-16" if start in (b"\xff\xfe", b"\xfe\xff") else None


def _header(path: Path, shown: str) -> tuple[list[str], str]:
    utf16 = _bom_encoding(path)
    for encoding in (utf16,) if utf16 else ENCODINGS:
        try:
            with open(path, encoding=encoding, newline="") as fh:
                row = next(csv.reader(fh), None)
            return (row or []), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(shown, f"cannot be decoded as {utf16 or 'UTF-8 or Windows-1252'} text")


def header_names(path: Path, shown: str, upper: bool) -> tuple[list[str], str]:
    """Column names of a CSV, stripped and upper-cased (SSDA903) or lower-cased, and its encoding.

    Raises
    ------
    InputError
        An empty file, no header, or a column name used twice.
    """
    header, encoding = _header(path, shown)
    names = [h.strip().upper() if upper else h.strip().lower() for h in header]
    if not any(names):
        raise InputError(shown, "is empty or has no header line")
    names = [name or f"(unnamed column {i + 1})" for i, name in enumerate(names)]
    seen = set()
    for name in names:
        if name in seen:
            raise InputError(shown, "column appears more than once in the header", field=name)
        seen.add(name)
    return names, encoding


def _read_text(path: Path, encoding: str, names: list[str]) -> pd.DataFrame:
    """Every value of the CSV as text, blank rows kept, under the given column ``names``."""
    return pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        encoding=encoding,
        header=0,
        names=names,
    )


def _read_plain(path: Path, names: list[str]) -> pa.Table | None:
    """Every value of a plain UTF-8 CSV as text, read by pyarrow; None if the file is not plain.

    Plain: valid UTF-8, no quote character, lines ending LF or CRLF (no lone CR), every line
    with as many values as the header. Such a file is only split at commas and line ends, which
    pyarrow and pandas do alike; anything else (including any problem to report) is left to
    :func:`_read_text`, whose behaviour and messages are the contract.
    """
    data = path.read_bytes()
    if b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    try:
        return pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None


def _plain_columns(table: pa.Table) -> dict[str, RawColumn]:
    """The stripped columns of a table read by :func:`_read_plain`.

    Arrow finds each column's distinct values; they are stripped in Python, whose
    :meth:`str.strip` (Unicode whitespace) is the contract.
    """
    out = {}
    for name in table.column_names:
        encoded = table.column(name).combine_chunks().dictionary_encode()
        out[name] = RawColumn.stripped(
            encoded.indices.to_numpy(zero_copy_only=False),
            encoded.dictionary.to_numpy(zero_copy_only=False),
        )
    return out


def _text_columns(frame: pd.DataFrame) -> dict[str, RawColumn]:
    """The stripped columns of a frame read by :func:`_read_text` (missing values are blank)."""
    out = {}
    for name in frame.columns:
        raw = RawColumn.of(frame[name].fillna("").to_numpy(dtype=object))
        out[name] = RawColumn.stripped(raw.codes, raw.distinct)
    return out


def read_csv(path: Path, shown: str, upper: bool) -> RawCsv:
    """Read a CSV file with every value as text, so ids keep their leading zeros.

    Parameters
    ----------
    path
        The file.
    shown
        Its name as shown in messages and the log.
    upper
        Upper-case the column names (SSDA903); otherwise lower-case them (local extracts).

    Raises
    ------
    InputError
        An empty file, a repeated column name, or a row with more values than the header.
    """
    names, encoding = header_names(path, shown, upper)
    plain = _read_plain(path, names) if encoding == ENCODINGS[0] else None
    try:
        try:
            frame = _read_text(path, encoding, names) if plain is None else None
        except UnicodeDecodeError:
            if encoding in (ENCODINGS[-1], "utf-16"):
                raise InputError(shown, "cannot be decoded as UTF-8 or Windows-1252 text") from None
            encoding = ENCODINGS[-1]
            frame = _read_text(path, encoding, names)
    except pd.errors.ParserError as err:
        match = re.search(r"line (\d+), saw (\d+)", str(err))
        if match:
            raise InputError(
                shown,
                f"has {match.group(2)} values where the header has {len(names)}",
                row=int(match.group(1)),
            ) from None
        raise InputError(shown, f"cannot be read as CSV ({err})") from None
    if encoding != ENCODINGS[0]:
        log.warning("%s is not UTF-8; read as %s", shown, encoding)
    columns = _plain_columns(plain) if frame is None else _text_columns(frame)
    blank = np.ones(len(plain) if frame is None else len(frame), dtype=bool)
    for column in columns.values():
        blank &= column.is_blank()
    if blank.any():  # wholly blank lines are not rows
        columns = {name: column.take(~blank) for name, column in columns.items()}
    lines = pd.Series(np.flatnonzero(~blank) + 2)  # the header is line 1
    return RawCsv(columns=columns, lines=lines, encoding=encoding)


def recognise(
    columns: list[str], specs: dict[str, TableSpec], shown: str, kind: str
) -> tuple[TableSpec, list[str]]:
    """Find the table a file holds from its columns.

    The table is the one whose required columns are all present; when several are, the one with
    most columns (an IRP file also has every column of a concerns file).

    Returns
    -------
    (TableSpec, list of str)
        The table and the file's columns that it does not use (to warn about).

    Raises
    ------
    InputError
        No table has all its columns in the file; the message names the closest table, its
        missing columns, and the file's unknown columns.
    """
    cols = set(columns)
    full = [s for s in specs.values() if {f.source for f in s.fields} <= cols]
    if full:
        best = max(len(s.fields) for s in full)
        top = [s for s in full if len(s.fields) == best]
        if len(top) > 1:
            raise InputError(
                shown,
                f"its columns fit more than one {kind} table: " + ", ".join(s.name for s in top),
            )
        spec = top[0]
        known = {f.source for f in spec.fields + spec.optional}
        return spec, [c for c in columns if c not in known]

    def overlap(s: TableSpec) -> tuple[int, int]:
        names = {f.source for f in s.fields}
        return (len(names & cols), -len(names - cols))

    closest = max(specs.values(), key=overlap)
    needed = [f.source for f in closest.fields]
    missing = [c for c in needed if c not in cols]
    known = set(needed) | {f.source for f in closest.optional}
    unknown = [c for c in columns if c not in known]
    message = (
        f"columns match no {kind} table; the closest is {closest.name}, "
        f"which lacks {', '.join(missing)}"
    )
    if unknown:
        message += f"; columns not in {closest.name}: {', '.join(unknown)}"
    raise InputError(shown, message, field=", ".join(missing))
