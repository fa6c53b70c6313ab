"""Table specifications for ingest: raw fields, their checks, and the processed columns.

The processed tables and their de-duplication keys are set out in ``schemas.yml`` beside this
module (data/README.md sections 2 and 3). The SSDA903 columns, which may be blank, and the valid
codes come from DfE's specification in ``reference_dir`` (liiatools' 2024 schema); the CIN census
elements, their minOccurs and code lists from the 2024 XSD, also in ``reference_dir``. Nothing in
the reference files is copied into the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from analysis.errors import ParameterError
from analysis.yamldata import load_yaml

SSDA903_COLUMNS = "ssda903_2024_columns_liiatools.csv"
SSDA903_CODES = "ssda903_2024_valid_codes_liiatools.csv"
CIN_ELEMENTS = "cin_census_2024_xsd_elements.csv"
CIN_CODES = "cin_census_2024_xsd_code_lists.csv"
REFERENCE_FILES = (SSDA903_COLUMNS, SSDA903_CODES, CIN_ELEMENTS, CIN_CODES)

#: Kinds of field and the pandas dtype of their processed column when none is given.
DEFAULT_DTYPES = {
    "id": "string",
    "str": "string",
    "code": "string",
    "la_code": "string",
    "date": "datetime64[ns]",
    "month": "datetime64[ns]",
    "int": "Int64",
    "float": "float64",
    "bool": "bool",
}
DATE_FORMATS = {"csv": "%d/%m/%Y", "xml": "%Y-%m-%d"}


@dataclass(frozen=True)
class Field:
    """One raw column (CSV) or element (XML) and its checks.

    Attributes
    ----------
    source
        Name in the raw file (``DECOM``, ``CPPstartDate``, ``raised_date``).
    name
        Processed column name, or ``None`` when the field is dropped on ingest (problems in a
        dropped field are warnings: the row is kept).
    kind
        ``id`` (child id, pseudonymised), ``str``, ``code``, ``la_code``, ``date``, ``month``,
        ``int``, ``float`` or ``bool``.
    required
        Blank is a problem.
    codes
        Valid codes (``code`` and ``bool`` kinds).
    minimum, maximum
        Range of ``int`` and ``float`` fields, inclusive.
    dtype
        pandas dtype of the processed column.
    link
        Copied from an enclosing XML element, where it has already been checked: parsed, not
        checked again.
    redact
        Never shown in the data-quality log.
    """

    source: str
    name: str | None
    kind: str
    required: bool = False
    codes: frozenset[str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    dtype: str = "string"
    link: bool = False
    redact: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A raw table and the processed table made from it.

    Attributes
    ----------
    name
        DfE table name (``Episodes``) or, for XML and local extracts, the processed name.
    processed
        Processed table name (``episodes``): the parquet file is ``<processed>.parquet``.
    fields
        Columns every file of this table must have, in raw order.
    optional
        Columns used when present (the derived ``PL_DISTANCE`` and ``PL_LOCATION`` of episodes).
    key
        Raw names of the fields identifying one event (data/README.md §3); ``None`` means the whole
        processed row; an empty tuple means no duplicate check at all.
    date_order
        ``(earlier, later)`` raw field pairs.
    required_table
        A collection year without this table is an input error.
    date_format
        ``strptime`` format of dates in the file.
    element
        XML element giving one row (CIN census only).
    la_column
        The processed table has ``la_code`` (set from the folder unless a field carries it).
    """

    name: str
    processed: str
    fields: tuple[Field, ...]
    optional: tuple[Field, ...] = ()
    key: tuple[str, ...] | None = None
    date_order: tuple[tuple[str, str], ...] = ()
    required_table: bool = False
    date_format: str = DATE_FORMATS["csv"]
    element: str | None = None
    la_column: bool = True

    @property
    def columns(self) -> list[str]:
        """Processed columns, ``la_code`` first when the table has it."""
        return list(self.dtypes)

    @property
    def dtypes(self) -> dict[str, str]:
        """Pandas dtype of each processed column, in order."""
        out = {"la_code": "string"} if self.la_column else {}
        for f in self.fields + self.optional:
            if f.name:
                out[f.name] = f.dtype
        return out

    @property
    def id_field(self) -> str | None:
        """Raw name of the child id field, if the table is child-level."""
        return next((f.source for f in self.fields if f.kind == "id"), None)

    def field(self, source: str) -> Field:
        """Return the field with raw name ``source``."""
        return next(f for f in self.fields + self.optional if f.source == source)


@dataclass(frozen=True)
class Specs:
    """All ingest specifications, from ``schemas.yml`` and the reference code lists."""

    ssda903: dict[str, TableSpec]
    cin: dict[str, TableSpec]
    iro: dict[str, TableSpec]
    raa: dict[str, TableSpec]
    redact: frozenset[str] = field(default_factory=frozenset)


@cache
def _schemas() -> dict:
    with open(Path(__file__).with_name("schemas.yml"), encoding="utf-8") as fh:
        return load_yaml(fh.read())


def _read_reference(reference_dir: Path, name: str) -> list[dict[str, str]]:
    path = Path(reference_dir) / name
    if not path.is_file():
        raise ParameterError(
            f"reference_dir {reference_dir} has no {name}: point reference_dir at the folder "
            "holding the DfE specification files (see data/README.md)"
        )
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _column_options(value: str | dict | None) -> dict:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"name": value}
    return dict(value)


def _numeric_codes(codes: frozenset[str] | None) -> bool:
    return bool(codes) and all(c.isdigit() for c in codes)


def _make_field(
    source: str,
    kind: str,
    required: bool,
    codes: frozenset[str] | None,
    opts: dict,
    redact: frozenset[str],
) -> Field:
    name = opts.get("name")
    kind = opts.get("kind", kind)
    if "codes" in opts:
        codes = frozenset(str(c) for c in opts["codes"])
    required = opts.get("required", required)
    if kind == "code" and name and opts.get("dtype", "").startswith(("int", "Int")):
        if not _numeric_codes(codes):
            raise ValueError(f"{source}: integer dtype for non-numeric codes")
    dtype = opts.get("dtype") or DEFAULT_DTYPES[kind]
    if not required:  # a blank value needs a nullable dtype
        dtype = {"int64": "Int64", "bool": "boolean"}.get(dtype, dtype)
    return Field(
        source=source,
        name=name,
        kind=kind,
        required=bool(required),
        codes=codes,
        minimum=opts.get("min"),
        maximum=opts.get("max"),
        dtype=dtype,
        link=bool(opts.get("link", False)),
        redact=source in redact,
    )


def _ssda903_specs(reference_dir: Path, conf: dict, redact: frozenset[str]) -> dict[str, TableSpec]:
    columns = _read_reference(reference_dir, SSDA903_COLUMNS)
    codes: dict[tuple[str, str], set[str]] = {}
    for row in _read_reference(reference_dir, SSDA903_CODES):
        codes.setdefault((row["table"], row["column"]), set()).add(row["code"])
    kinds = {"date": "date", "category": "code", "numeric": "int", "string": "str"}
    specs = {}
    for table, tconf in conf.items():
        rows = [r for r in columns if r["table"] == table]
        if not rows:
            raise ParameterError(f"{SSDA903_COLUMNS} in reference_dir has no columns for {table}")
        keep = tconf.get("columns", {})
        fields = []
        for r in rows:
            col = r["column"]
            kind = "id" if col == "CHILD" else kinds.get(r["type"], "str")
            if kind == "int" and r["format"] not in ("integer", ""):
                kind = "float"
            col_codes = frozenset(codes[(table, col)]) if (table, col) in codes else None
            if kind == "code" and col_codes is None:
                kind = "str"
            opts = _column_options(keep.get(col))
            fields.append(
                _make_field(col, kind, r["canbeblank"].lower() == "false", col_codes, opts, redact)
            )
        unknown = set(keep) - {f.source for f in fields}
        if unknown:
            raise ValueError(f"schemas.yml: {table} keeps unknown columns {sorted(unknown)}")
        optional = tuple(
            _make_field(col, opts.get("kind", "str"), False, None, dict(opts), redact)
            for col, opts in (tconf.get("optional_columns") or {}).items()
        )
        specs[table] = TableSpec(
            name=table,
            processed=tconf["processed"],
            fields=tuple(fields),
            optional=optional,
            key=tuple(tconf["key"]) if tconf.get("key") else None,
            date_order=tuple(tuple(p) for p in tconf.get("date_order", [])),
            required_table=bool(tconf.get("required", False)),
        )
    return specs


def _cin_specs(reference_dir: Path, conf: dict, redact: frozenset[str]) -> dict[str, TableSpec]:
    elements = _read_reference(reference_dir, CIN_ELEMENTS)
    code_lists: dict[str, set[str]] = {}
    for row in _read_reference(reference_dir, CIN_CODES):
        code_lists.setdefault(row["xsd_type"], set()).add(row["code"])
    by_parent = {(r["parent_type"], r["element"]): r for r in elements if r["parent_type"]}
    by_name: dict[str, dict[str, str]] = {}
    for r in elements:
        if r["parent_type"]:
            by_name.setdefault(r["element"], r)
    specs = {}
    for table, tconf in conf.items():
        fields = []
        for source, raw_opts in tconf["columns"].items():
            opts = _column_options(raw_opts)
            ref = next(
                (by_parent[(p, source)] for p in tconf["parent"] if (p, source) in by_parent), None
            ) or by_name.get(source)
            if ref is None:
                raise ParameterError(f"{CIN_ELEMENTS} in reference_dir has no element {source}")
            xsd_type = ref["type"]
            codes = None
            if source == "LAchildID":
                kind = "id"
            elif xsd_type == "xs:date":
                kind = "date"
            elif xsd_type in ("xs:positiveInteger", "xs:integer", "xs:nonNegativeInteger"):
                kind = "int"
            elif xsd_type == "yesnotype":
                kind, codes = "bool", frozenset(code_lists["yesnotype"])
            elif xsd_type in code_lists:
                kind, codes = "code", frozenset(code_lists[xsd_type])
            else:
                kind = "str"
            required = ref["minOccurs"] == "1" and not opts.get("link", False)
            fields.append(_make_field(source, kind, required, codes, opts, redact))
        specs[table] = TableSpec(
            name=table,
            processed=table,
            fields=tuple(fields),
            key=tuple(tconf["key"]) if tconf.get("key") else None,
            date_order=tuple(tuple(p) for p in tconf.get("date_order", [])),
            date_format=DATE_FORMATS["xml"],
            element=tconf["element"],
        )
    return specs


def _local_specs(conf: dict, redact: frozenset[str], la_column: bool) -> dict[str, TableSpec]:
    specs = {}
    for table, tconf in conf.items():
        fields = tuple(
            _make_field(
                col,
                opts["kind"],
                bool(opts.get("required", False)),
                None,
                {**opts, "name": col},
                redact,
            )
            for col, opts in tconf["columns"].items()
        )
        key = tconf.get("key")
        specs[table] = TableSpec(
            name=table,
            processed=table,
            fields=fields,
            key=() if key is False else (tuple(key) if key else None),
            date_order=tuple(tuple(p) for p in tconf.get("date_order", [])),
            la_column=la_column or any(f.source == "la_code" for f in fields),
        )
    return specs


def load_specs(reference_dir: Path) -> Specs:
    """Build every table specification from ``schemas.yml`` and the files in ``reference_dir``.

    Raises
    ------
    ParameterError
        When ``reference_dir`` lacks one of the DfE specification files.
    """
    conf = _schemas()
    redact = frozenset(conf.get("redact", []))
    return Specs(
        ssda903=_ssda903_specs(Path(reference_dir), conf["ssda903"], redact),
        cin=_cin_specs(Path(reference_dir), conf["cin_census"], redact),
        iro=_local_specs(conf["iro"], redact, True),
        raa=_local_specs(conf["raa"], redact, False),
        redact=redact,
    )
