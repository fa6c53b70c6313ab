"""Project paths, resolved from the package location, never from the working directory."""

from __future__ import annotations

from pathlib import Path

from analysis.errors import InputError

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


def reference_file(reference_dir: str | Path, name: str) -> Path:
    """The path of the published reference file ``name`` in ``reference_dir``.

    Raises
    ------
    InputError
        The file is not there (the message says where to get it).
    """
    path = Path(reference_dir).expanduser() / name
    if not path.is_file():
        raise InputError(
            str(path),
            "reference file not found; download it as described in "
            "reference/SOURCES.md and point reference_dir at its folder",
        )
    return path
