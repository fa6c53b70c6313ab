"""Project paths, resolved from the package location, never from the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"
CATALOGUE = REPORTS_DIR / "catalogue.yml"
BUILD_DIR = PROJ_ROOT / "build"


def resolve(path: str | Path) -> Path:
    """Resolve ``path`` against the project root unless it is absolute (``~`` expanded)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (PROJ_ROOT / p).resolve()
