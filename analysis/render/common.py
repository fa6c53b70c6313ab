"""Pieces shared by the shortcode resolver and both renderers: the error type and metadata."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from analysis.errors import UserFacingError

__all__ = [
    "RenderError",
    "SYNTHETIC_BANNER",
    "split_front_matter",
    "lookup_meta",
    "format_meta_value",
    "plain_meta",
    "merge_meta",
    "PAGE_KEYS",
]

#: Banner shown on every output rendered from synthetic data (HTML top, PDF title page and
#: footer, DOCX first page).
SYNTHETIC_BANNER = "Synthetic data — not real children's records"

_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_MISSING = object()


class RenderError(UserFacingError):
    """A report cannot be rendered; the message names the report source and what is wrong."""


def split_front_matter(text: str, source: str = "<qmd>") -> tuple[dict[str, Any], str]:
    """Split a Quarto document into its YAML front matter (a dict) and its body.

    Parameters
    ----------
    text
        The whole ``.qmd`` text.
    source
        Name of the document, for error messages.

    Returns
    -------
    tuple
        The front matter (empty when there is none) and the body after it.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        front = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{source}: the YAML front matter is not valid YAML ({exc})") from None
    if not isinstance(front, dict):
        raise RenderError(f"{source}: the YAML front matter must be a mapping of keys to values")
    return front, text[match.end() :]


def _get(mapping: Mapping[str, Any], key: str) -> Any:
    """``mapping[key]``, else walk the dotted ``key`` through nested mappings."""
    if key in mapping:
        return mapping[key]
    node: Any = mapping
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def lookup_meta(key: str, *sources: Mapping[str, Any]) -> Any:
    """Value of ``key`` in the first source that has it (``None`` counts as absent).

    ``key`` may be dotted (``report.la_name``): a literal key with dots is tried first, then the
    path through nested mappings.

    Raises
    ------
    KeyError
        When no source has the key.
    """
    for source in sources:
        value = _get(source, key)
        if value is not _MISSING and value is not None:
            return value
    raise KeyError(key)


def format_meta_value(value: Any) -> str:
    """Text of a metadata value as it appears in a report.

    Dates read ``31 March 2024`` (GOV.UK style), booleans ``true``/``false`` (as Quarto prints
    them), a list of scalars as its items joined by commas, numbers and strings as they are.

    Raises
    ------
    TypeError
        For mappings and nested lists, which have no single text form.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list | tuple) and not any(
        isinstance(v, Mapping | list | tuple) for v in value
    ):
        return ", ".join(format_meta_value(v) for v in value)
    if isinstance(value, Mapping | list | tuple | set):
        raise TypeError(f"a {type(value).__name__} has no single text form")
    return str(value)


def plain_meta(value: Any) -> Any:
    """``value`` as plain YAML/JSON types: dates formatted for display, other objects as text."""
    if isinstance(value, Mapping):
        return {str(k): plain_meta(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_meta(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return format_meta_value(value)


#: Run metadata keys passed on to pandoc (page furniture). Other run metadata only feeds
#: ``{{< meta >}}``: pandoc writes every metadata field into the DOCX file properties, and run
#: parameters (folder paths and the like) do not belong there.
PAGE_KEYS = (
    "title",
    "subtitle",
    "author",
    "date",
    "abstract",
    "lang",
    "la_name",
    "period_label",
    "data_as_at",
    "report_of",
    "submitted_to",
)
#: Front matter keys that configure Quarto itself, not the document.
QUARTO_KEYS = (
    "format",
    "execute",
    "jupyter",
    "engine",
    "knitr",
    "filters",
    "crossref",
    "editor",
    "params",
    "embed-resources",
    "self-contained",
    "number-sections",
    "toc",
)


def merge_meta(front: Mapping[str, Any], meta: Mapping[str, Any]) -> dict[str, Any]:
    """Document metadata for pandoc: the front matter overlaid by the run's page furniture.

    Only the :data:`PAGE_KEYS` of ``meta`` are used, and only when not ``None``; Quarto's own
    settings (:data:`QUARTO_KEYS`) are dropped from the front matter. Dates become display
    strings; ``lang`` defaults to ``en-GB`` and ``toc-title`` to ``Contents``.
    """
    merged: dict[str, Any] = {"lang": "en-GB", "toc-title": "Contents"}
    merged.update({k: v for k, v in plain_meta(dict(front)).items() if k not in QUARTO_KEYS})
    merged.update(
        {k: v for k, v in plain_meta(dict(meta)).items() if k in PAGE_KEYS and v is not None}
    )
    return merged
