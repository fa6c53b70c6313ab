"""Code descriptions and groupings of the statutory returns, as data.

- ``ssda903.yml``: per 903 field (``PLACE``, ``LS``, ``RNE``, ``REC``, ``CIN``, ``REVIEW_CODE``,
  ``ETHNIC``, ``SEX``), the valid codes of the 2023-24 return in DfE order with the DfE guidance
  wording, ``extra`` codes that can be described but are not valid in that return, and the groups
  DfE publishes (ethnic major groups, legal status groups). Read with :func:`describe`,
  :func:`codes`, :func:`groups`, :func:`major_ethnic_group`.
- ``cin_census.yml``: CIN census XSD code lists (category of abuse, primary need, reason for
  closure, referral source, gender). Read with :func:`describe_cin` and :func:`cin_codes`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from analysis.yamldata import load_yaml

__all__ = [
    "NOT_KNOWN",
    "cin_codes",
    "codes",
    "describe",
    "describe_cin",
    "descriptions",
    "fields",
    "group_of",
    "groups",
    "major_ethnic_group",
    "title",
]

#: Label used for a missing code (and for the ethnic group of REFU/NOBT).
NOT_KNOWN = "Not known"


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return load_yaml(text)


def _spec() -> dict[str, Any]:
    return _load("ssda903.yml")


def _field(field: str) -> dict[str, Any]:
    spec = _spec()
    try:
        return spec[field.upper()]
    except KeyError:
        raise KeyError(f"unknown SSDA903 field {field!r}; known: {', '.join(spec)}") from None


def _cin_type(xsd_type: str) -> dict[str, str]:
    spec = _load("cin_census.yml")
    try:
        listed = spec[xsd_type.lower()]["codes"]
    except KeyError:
        raise KeyError(
            f"unknown CIN census code list {xsd_type!r}; known: {', '.join(spec)}"
        ) from None
    return {str(k): str(v) for k, v in listed.items()}


def _is_missing(code: object) -> bool:
    return code is None or (not isinstance(code, str) and bool(pd.isna(code)))


def fields() -> list[str]:
    """Return the 903 fields that have code lists here."""
    return list(_spec())


def title(field: str) -> str:
    """Display title of ``field`` (``"LS"`` -> ``"Legal status"``)."""
    return str(_field(field)["title"])


def codes(field: str) -> list[str]:
    """Return the valid codes of ``field`` in the 2023-24 return, in DfE (table row) order."""
    return [str(c) for c in _field(field)["codes"]]


def descriptions(field: str) -> dict[str, str]:
    """Code -> description for every code of ``field``, valid and ``extra``."""
    f = _field(field)
    merged = {**f["codes"], **(f.get("extra") or {})}
    return {str(k): str(v) for k, v in merged.items()}


def describe(field: str, code: object) -> str:
    """Describe one code, in the DfE SSDA903 guidance wording.

    Parameters
    ----------
    field
        903 field name, e.g. ``"PLACE"`` (case-insensitive).
    code
        The code, e.g. ``"U4"``. A missing code (None/NaN) or ``"Not known"`` gives ``"Not known"``.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        When the field or the code is unknown (a code that passed ingest validation is known).
    """
    if _is_missing(code) or code == NOT_KNOWN:
        return NOT_KNOWN
    table = descriptions(field)
    try:
        return table[str(code).strip()]
    except KeyError:
        raise KeyError(f"unknown {field.upper()} code {code!r}") from None


def groups(field: str) -> dict[str, list[str]]:
    """Group name -> member codes, for fields with published groups (``ETHNIC``, ``LS``)."""
    f = _field(field)
    if "groups" not in f:
        raise KeyError(f"SSDA903 field {field.upper()!r} has no groups")
    return {str(k): [str(c) for c in v] for k, v in f["groups"].items()}


def group_of(field: str, code: object) -> str:
    """Return the published group of ``code`` (``"Not known"`` for a missing code).

    Raises
    ------
    KeyError
        When the code belongs to no group of ``field``.
    """
    if _is_missing(code):
        return NOT_KNOWN
    c = str(code).strip()
    for name, members in groups(field).items():
        if c in members:
            return name
    raise KeyError(f"{field.upper()} code {code!r} belongs to no group")


def major_ethnic_group(code: object) -> str:
    """Major ethnic group of an SSDA903/CIN ``ETHNIC`` code, as DfE publishes them.

    Groups: White, Mixed, Asian, Black, Other, Not known. Chinese (``CHNE``) is in Other, as in the
    DfE CLA and CIN publications (the 2001 Census grouping the returns use); Census 2021 puts
    Chinese under Asian. ``REFU`` (refused), ``NOBT`` (not yet obtained), a missing code and an
    unrecognised code are Not known.

    Parameters
    ----------
    code
        Detailed ethnicity code, e.g. ``"WBRI"``.

    Returns
    -------
    str
    """
    try:
        return group_of("ETHNIC", code)
    except KeyError:
        return NOT_KNOWN


def cin_codes(xsd_type: str) -> list[str]:
    """Return the codes of a CIN census XSD code list (``"categoryofabuse"``), in schema order."""
    return list(_cin_type(xsd_type))


def describe_cin(xsd_type: str, code: object) -> str:
    """Describe a CIN census code in the wording of the DfE CIN census XML schema.

    Parameters
    ----------
    xsd_type
        XSD code-list name: ``"categoryofabuse"``, ``"primaryneedcodetype"``,
        ``"reasonforclosuretype"``, ``"referralsourcetype"`` or ``"gendertype"``.
    code
        The code, e.g. ``"NEG"``. A missing code or ``"Not known"`` gives ``"Not known"``.

    Raises
    ------
    KeyError
        When the code list or the code is unknown.
    """
    if _is_missing(code) or code == NOT_KNOWN:
        return NOT_KNOWN
    table = _cin_type(xsd_type)
    try:
        return table[str(code).strip()]
    except KeyError:
        raise KeyError(f"unknown {xsd_type} code {code!r}") from None
