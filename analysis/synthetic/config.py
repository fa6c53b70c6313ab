"""Calibration of the generator: LA profiles, rates and code mixes from ``calibration.yml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis.synthetic.util import Picker
from analysis.yamldata import load_yaml

CALIBRATION_FILE = Path(__file__).with_name("calibration.yml")
DEFAULT_LA_CODES = ["841", "805", "806", "807", "808"]


@dataclass(frozen=True)
class LAProfile:
    """How one council's synthetic data looks.

    Attributes
    ----------
    code
        DfE 3-digit LA code.
    name
        Council name (synthetic councils get a generic name).
    cla_target
        Children looked after at 31 March the simulation aims at.
    postcode_districts
        Outward codes of the council's own area (in-area placements and home addresses).
    id_style
        Format of CHILD ids: ``zero6``, ``zero8``, ``plain7`` or ``prefixed``.
    wbri
        Percentage White British among children who are not UASC.
    cin_need
        Name of the category-of-need mix for CLA episodes.
    uasc_cin
        Category of need given to UASC episodes.
    distance_columns, iro_extracts, full_history
        Whether the LA writes PL_DISTANCE/PL_LOCATION, has IRO extracts, and sends its full
        episode history every year.
    file_naming
        ``standard`` (``header.csv`` ...) or ``stockton`` (``SSDA903_2024_Header.csv`` ...).
    """

    code: str
    name: str
    cla_target: int
    postcode_districts: tuple[str, ...]
    id_style: str
    wbri: float
    cin_need: str
    uasc_cin: str
    distance_columns: bool
    iro_extracts: bool
    full_history: bool
    file_naming: str

    @property
    def scale(self) -> float:
        """Size relative to Middlesbrough (513 children looked after at 31 March 2024)."""
        return self.cla_target / 513.0


@dataclass
class Calibration:
    """Parsed ``calibration.yml``: profiles, rates and pickers for every code mix."""

    raw: dict
    rates: dict[str, float]
    pickers: dict[str, Picker] = field(default_factory=dict)
    out_of_area: tuple[str, ...] = ()

    def picker(self, name: str) -> Picker:
        """The weighted picker for mix ``name`` (nested mixes use ``outer.inner``)."""
        if name not in self.pickers:
            node = self.raw["mixes"]
            for part in name.split("."):
                node = node[part]
            self.pickers[name] = Picker(node)
        return self.pickers[name]

    def profile(self, code: str) -> LAProfile:
        """The profile of ``code``; unknown codes get the documented default."""
        if not re.fullmatch(r"\d{3}", code):
            raise ValueError(f"LA code must be a 3-digit string, got {code!r}")
        spec = dict(self.raw["default_la"])
        known = self.raw["las"].get(code)
        if known is not None:
            spec.update(known)
        else:
            areas = spec["postcode_areas"]
            area = areas[int(code) % len(areas)]
            first = 1 + int(code) % 5
            spec.update(
                name=f"{spec['name']} {code}",
                cla_31march_2024=200 + (int(code) * 7919) % 600,
                postcode_districts=[f"{area}{n}" for n in range(first, first + 5)],
            )
        return LAProfile(
            code=code,
            name=spec["name"],
            cla_target=int(spec["cla_31march_2024"]),
            postcode_districts=tuple(spec["postcode_districts"]),
            id_style=spec["id_style"],
            wbri=float(spec["wbri"]),
            cin_need=spec["cin_need"],
            uasc_cin=spec["uasc_cin"],
            distance_columns=bool(spec["distance_columns"]),
            iro_extracts=bool(spec["iro_extracts"]),
            full_history=bool(spec["full_history"]),
            file_naming=spec["file_naming"],
        )


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    """Read ``calibration.yml`` once."""
    raw = load_yaml(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return Calibration(
        raw=raw,
        rates={k: float(v) for k, v in raw["rates"].items()},
        out_of_area=tuple(raw["out_of_area_districts"]),
    )
