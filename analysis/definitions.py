"""The "how these figures are calculated" appendix, generated from the code that computes them.

Each report ends with an appendix that defines every published table and measure. It is not
written by hand: it joins the table catalogue (``reports/catalogue.yml``: title, definition,
source and measure labels) with the docstrings of the metric functions that compute each figure
(which cite the DfE or statutory definition and state the boundary conventions), so the appendix
always describes the code that produced the report.

:func:`definitions_markdown` returns the appendix as pandoc markdown (a definition list per
table); the notebook ``notebooks/90_definitions.ipynb`` shows it for each report.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable

from analysis.tables import SMALL_MAX, SMALL_MIN, SUPPRESSED, TableSpec, load_catalogue

__all__ = [
    "CALCULATED_BY",
    "REPORT_AREAS",
    "docstring_markdown",
    "definitions_markdown",
    "report_tables",
]

#: Catalogue tables each report publishes, by the area prefix of their id (``cla_summary`` is in
#: area ``cla``). New catalogue tables join their report's appendix by following the prefix.
REPORT_AREAS: dict[str, tuple[str, ...]] = {
    "iro-annual": ("cla", "cp", "iro", "dq"),
    "atv-biannual": ("atv", "adoption", "dq"),
}

#: The function that computes each published figure: catalogue table id -> measure -> dotted
#: path (measure ``None``: the whole table). Tables not listed show their catalogue definition.
CALCULATED_BY: dict[str, dict[str | None, str]] = {
    "cla_summary": {
        "cla_count": "analysis.cla.cla_at",
        "cla_rate_per_10k": "analysis.cla.rate_per_10k",
        "started_count": "analysis.cla.started_in_period",
        "ceased_count": "analysis.cla.ceased_in_period",
        "reviews_held": "analysis.cla.reviews_held",
        "reviews_in_timescale_pct": "analysis.cla.review_timeliness",
        "short_term_stability_pct": "analysis.cla.short_term_stability_pct",
        "long_term_stability_pct": "analysis.cla.long_term_stability_pct",
    },
    "cla_monthly": {None: "analysis.cla.monthly_cla"},
    "cla_ceased_by_reason": {None: "analysis.cla.ceased_by_reason"},
    "cla_review_participation": {None: "analysis.cla.review_participation"},
    "cla_review_timeliness_monthly": {None: "analysis.cla.monthly_review_timeliness"},
    "cla_by_ethnicity": {None: "analysis.cla.ethnicity_at"},
    "cla_placement_type": {None: "analysis.cla.placement_type_at"},
    "cla_legal_status": {None: "analysis.cla.legal_status_at"},
    "cla_started_by_need": {None: "analysis.cla.category_of_need_started"},
    "cp_summary": {
        "cp_plans_count": "analysis.cp.cp_count_at",
        "plans_started_count": "analysis.cp.plans_started",
        "second_subsequent_count": "analysis.cp.second_subsequent_plans",
        "icpc_count": "analysis.cp.icpcs",
        "plans_15_months_plus_count": "analysis.cp.plans_15_months_plus_at",
        "plans_24_months_plus_count": "analysis.cp.plans_24_months_plus_at",
    },
    "cp_by_category": {None: "analysis.cp.cp_by_category_at"},
    "cp_duration": {None: "analysis.cp.plans_by_duration_at"},
    "cp_icpc_monthly": {None: "analysis.cp.monthly_icpc_timeliness"},
    "iro_caseload_monthly": {None: "analysis.iro.caseload_per_iro"},
    "iro_irp_by_plan_type": {None: "analysis.iro.irp_by_plan_type"},
    "atv_la_measures": {
        "adm_decisions": "analysis.adoption.adm_decisions",
        "placement_orders": "analysis.adoption.placement_orders",
        "placements_for_adoption": "analysis.adoption.placements_for_adoption",
        "early_permanence": "analysis.adoption.early_permanence",
        "adoption_orders": "analysis.adoption.adoption_orders",
        "disruptions": "analysis.adoption.disruptions",
        "a10_days": "analysis.adoption.a10_a2_children",
        "a2_days": "analysis.adoption.mean_days",
    },
    "dq_summary": {None: "analysis.quality.dq_summary"},
}

_SECTION = re.compile(r"^(\S[^\n]*)\n-{3,}\s*$", re.MULTILINE)
#: References to the project's design notes, which readers of a report do not have (the general
#: conventions of the appendix state what they point to).
_DESIGN_REFERENCES = (
    (re.compile(r" ?\(DESIGN\s+section\s+\d+\)"), ""),
    (re.compile(r"DESIGN\s+section\s+\d+\s*/\s*"), ""),
    (re.compile(r",?\s*DESIGN\s+section\s+\d+"), ""),
)
_ROLE = re.compile(r":(?:func|mod|class|meth|attr|data):`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def _resolve(path: str) -> Callable[..., object]:
    """The object at dotted ``path`` (``package.module.name``)."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def docstring_markdown(function: Callable[..., object]) -> str:
    """The descriptive part of a numpy-style docstring as markdown.

    Everything before the first section (``Parameters``, ``Returns`` ...), with reST literals
    (````x````) as code and cross-references (``:func:`~a.b.c```) as the code name they point
    to (``c``; the full path when written without ``~``). References to the project's design
    notes ("DESIGN section 5") are dropped: the appendix states the conventions they name.
    """
    text = inspect.getdoc(function) or ""
    match = _SECTION.search(text)
    if match:
        text = text[: match.start()]

    def role(m: re.Match[str]) -> str:
        target = m.group(1)
        short = m.group(0).find("`~") >= 0
        return f"`{target.rsplit('.', 1)[-1] if short else target}`"

    text = _ROLE.sub(role, text)
    text = _LITERAL.sub(lambda m: f"`{m.group(1)}`", text)
    for pattern, replacement in _DESIGN_REFERENCES:
        text = pattern.sub(replacement, text)
    return text.strip()


def report_tables(report: str, catalogue: dict[str, TableSpec] | None = None) -> list[TableSpec]:
    """The catalogue entries of ``report``'s tables, in catalogue order.

    Raises
    ------
    ValueError
        For an unknown report name.
    """
    if report not in REPORT_AREAS:
        raise ValueError(f"unknown report {report!r} (choose from {', '.join(REPORT_AREAS)})")
    catalogue = load_catalogue() if catalogue is None else catalogue
    areas = REPORT_AREAS[report]
    return [spec for tid, spec in catalogue.items() if tid.split("_", 1)[0] in areas]


def _label(spec: TableSpec, measure: str) -> str:
    if measure in spec.labels:
        return spec.labels[measure]
    if spec.id.startswith("atv_"):
        from analysis.adoption.presentation import MEASURE_LABELS

        if measure in MEASURE_LABELS:
            return MEASURE_LABELS[measure]
    return measure.replace("_", " ").capitalize()


def _indented(text: str) -> str:
    """``text`` as the body of a definition-list item (pandoc markdown)."""
    lines = [("    " + line) if line.strip() else "" for line in text.splitlines()]
    lines[0] = ":   " + lines[0][4:]
    return "\n".join(lines)


def _computed_by(path: str) -> str:
    return f"*Computed by* `{path}`."


def _table_section(spec: TableSpec, functions: dict[str | None, str]) -> str:
    """Markdown for one table of the appendix.

    A heading (unnumbered, not in the contents), the catalogue entry, then the docstring of the
    function computing the whole table, or a definition list of its measures.
    """
    about = " ".join(spec.definition.split())
    if spec.source:
        about += f" Source: {' '.join(spec.source.split())}."
    about += f" File: `tables/{spec.id}.csv`."
    parts = [f"## {spec.title} {{.unnumbered .unlisted}}", about.strip()]
    if None in functions:
        parts += [docstring_markdown(_resolve(functions[None])), _computed_by(functions[None])]
    measures: Iterable[str] = list(spec.labels) or [m for m in functions if m is not None]
    for measure in measures:
        path = functions.get(measure)
        if path is None:
            continue
        body = docstring_markdown(_resolve(path))
        parts.append(
            f"{_label(spec, measure)}\n\n{_indented(body + chr(10) * 2 + _computed_by(path))}"
        )
    return "\n\n".join(part for part in parts if part)


def _disclosure_sentence(disclosure: str) -> str:
    if disclosure == "internal":
        return (
            "- This is an internal report: small numbers are shown. In public outputs counts "
            f"from {SMALL_MIN} to {SMALL_MAX} are shown as `{SUPPRESSED}`, and so is a "
            "percentage or rate computed from such a count (DfE convention)."
        )
    return (
        f"- Counts from {SMALL_MIN} to {SMALL_MAX} are shown as `{SUPPRESSED}`, and so is a "
        "percentage or rate computed from such a count, so that no child can be identified "
        "(DfE convention)."
    )


def _conventions(disclosure: str) -> str:
    return "\n".join(
        [
            "- A period includes its first and its last day. A child is looked after, or has a "
            "plan, on a date when their episode or plan started on or before it and had not "
            "ended before it; care ending on the last day counts as ceasing, not as looked "
            "after at the end.",
            "- Children are counted, not episodes: a child who starts or ceases care twice in a "
            "period counts once. Children looked after only under short breaks (legal status "
            "V3/V4) are never counted.",
            _disclosure_sentence(disclosure),
            "- Percentages and rates are shown to one decimal place, and average days as whole "
            "days; the CSV files keep at least one decimal place.",
            "- Working days exclude weekends and the bank holidays of England and Wales.",
        ]
    )


def definitions_markdown(report: str, disclosure: str = "public") -> str:
    """The "how these figures are calculated" appendix of ``report`` as pandoc markdown.

    Parameters
    ----------
    report
        ``iro-annual`` or ``atv-biannual`` (:data:`REPORT_AREAS`).
    disclosure
        ``public`` or ``internal``: the run's disclosure mode, stated in the conventions.

    Returns
    -------
    str
        An introduction, the general conventions, then for each of the report's catalogue tables
        its title, file, definition and source, and a definition list of its measures, each with
        the docstring of the function that computes it.
    """
    intro = (
        "These definitions are generated from the table catalogue (`reports/catalogue.yml`) "
        "and from the documentation of the functions that compute each figure, so they "
        "describe the code that produced this report. Every table is also published as a CSV "
        "file in the `tables` folder beside the report."
    )
    sections = [
        _table_section(spec, CALCULATED_BY.get(spec.id, {})) for spec in report_tables(report)
    ]
    conventions = _conventions(disclosure)
    heading = "## General conventions {.unnumbered .unlisted}"
    return "\n\n".join([intro, heading, conventions, *sections]) + "\n"
