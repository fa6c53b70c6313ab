"""One params file per run, shared by papermill and the renderer (DESIGN section 2).

A params file is YAML. Required keys: ``report`` (``iro-annual`` or ``atv-biannual``),
``la_codes``, ``period_start``, ``period_end``, ``raw_dir``, ``reference_dir``, ``output_dir`` and
``disclosure`` (``public`` or ``internal``). Optional keys have defaults (see ``OPTIONAL``).
Relative paths are resolved from the project root. Parameters carry periods, codes, paths and
targets, never data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ParameterError
from analysis.paths import resolve

REPORTS = ("iro-annual", "atv-biannual")
REQUIRED = (
    "report",
    "la_codes",
    "period_start",
    "period_end",
    "raw_dir",
    "reference_dir",
    "output_dir",
    "disclosure",
)
OPTIONAL: dict[str, Any] = {
    "processed_dir": None,  # default: data/processed/<name of raw_dir>
    "key_path": "~/.config/csc-reports/pseudonymisation.key",
    "executed_dir": None,  # default: build/executed/<report>/<period_label>
    "reference_docx": None,
    "report_of": "Head of Review and Development",
    "submitted_to": "Corporate Parenting Board",
    "report_date": None,
    "targets": {},
}
LA_CODE = re.compile(r"^\d{3}$")


@dataclass
class RunParams:
    """Validated parameters of one run."""

    report: str
    la_codes: list[str]
    period_start: dt.date
    period_end: dt.date
    raw_dir: Path
    reference_dir: Path
    output_dir: Path
    disclosure: str
    processed_dir: Path
    key_path: Path
    executed_dir: Path
    reference_docx: Path | None = None
    report_of: str = ""
    submitted_to: str = ""
    report_date: str | None = None
    targets: dict[str, float] = field(default_factory=dict)

    @property
    def period_label(self) -> str:
        """``2023-24`` for a full collection year, else ``2024-04-01_2024-09-30``."""
        s, e = self.period_start, self.period_end
        if (s.month, s.day, e.month, e.day) == (4, 1, 3, 31) and e.year == s.year + 1:
            return f"{s.year}-{str(e.year)[-2:]}"
        return f"{s.isoformat()}_{e.isoformat()}"

    def notebook_parameters(self) -> dict[str, Any]:
        """Parameters injected by papermill: plain strings and lists only."""
        return {
            "la_codes": list(self.la_codes),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "raw_dir": str(self.raw_dir),
            "processed_dir": str(self.processed_dir),
            "reference_dir": str(self.reference_dir),
            "key_path": str(self.key_path),
            "tables_dir": str(self.output_dir / "tables"),
            "disclosure": self.disclosure,
            "targets": dict(self.targets),
        }

    def as_dict(self) -> dict[str, Any]:
        """All parameters as plain YAML-friendly values."""
        out = asdict(self)
        return {k: (str(v) if isinstance(v, Path | dt.date) else v) for k, v in out.items()}


def _date(name: str, value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = f"parameter {name}: {value!r} is not a date (use YYYY-MM-DD)"
        raise ParameterError(message) from None


def parse_params(raw: dict[str, Any], source: str = "params") -> RunParams:
    """Validate a params mapping; raise :class:`ParameterError` naming the first bad key."""
    if not isinstance(raw, dict):
        raise ParameterError(f"{source}: expected a YAML mapping of parameters")
    for key in REQUIRED:
        if raw.get(key) in (None, ""):
            raise ParameterError(f"{source}: missing required parameter {key}")
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ParameterError(f"{source}: unknown parameter {unknown[0]}")
    values = {**OPTIONAL, **raw}
    if values["report"] not in REPORTS:
        raise ParameterError(
            f"{source}: parameter report must be one of {', '.join(REPORTS)}, "
            f"not {values['report']!r}"
        )
    codes = values["la_codes"]
    if isinstance(codes, str | int):
        codes = [codes]
    codes = [str(c).zfill(3) if isinstance(c, int) else str(c) for c in codes]
    bad = [c for c in codes if not LA_CODE.match(c)]
    if not codes or bad:
        raise ParameterError(
            f"{source}: parameter la_codes must list 3-digit DfE LA codes"
            + (f", not {bad[0]!r}" if bad else "")
        )
    start = _date("period_start", values["period_start"])
    end = _date("period_end", values["period_end"])
    if end < start:
        raise ParameterError(
            f"{source}: parameter period_end ({end}) is before period_start ({start})"
        )
    if values["disclosure"] not in ("public", "internal"):
        raise ParameterError(
            f"{source}: parameter disclosure must be public or internal, "
            f"not {values['disclosure']!r}"
        )
    reference_dir = resolve(values["reference_dir"])
    if not reference_dir.is_dir():
        raise ParameterError(f"{source}: parameter reference_dir: folder {reference_dir} not found")
    raw_dir = resolve(values["raw_dir"])
    processed = values["processed_dir"] or Path("data/processed") / raw_dir.name
    targets = values["targets"] or {}
    if not isinstance(targets, dict) or not all(
        isinstance(v, int | float) for v in targets.values()
    ):
        raise ParameterError(f"{source}: parameter targets must map names to numbers")
    params = RunParams(
        report=values["report"],
        la_codes=codes,
        period_start=start,
        period_end=end,
        raw_dir=raw_dir,
        reference_dir=reference_dir,
        output_dir=resolve(values["output_dir"]),
        disclosure=values["disclosure"],
        processed_dir=resolve(processed),
        key_path=resolve(values["key_path"]),
        executed_dir=Path(),
        reference_docx=resolve(values["reference_docx"]) if values["reference_docx"] else None,
        report_of=values["report_of"],
        submitted_to=values["submitted_to"],
        report_date=str(values["report_date"]) if values["report_date"] else None,
        targets={k: float(v) for k, v in targets.items()},
    )
    params.executed_dir = (
        resolve(values["executed_dir"])
        if values["executed_dir"]
        else resolve(Path("build/executed") / params.report / params.period_label)
    )
    return params


def load_params(path: str | Path) -> RunParams:
    """Read and validate a params YAML file."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"params file {path} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"params file {path} is not valid YAML: {exc}") from None
    return parse_params(raw, source=str(path))
