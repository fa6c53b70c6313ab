"""Reading the package's own YAML data files (code lists, the table catalogue, schemas)."""

from __future__ import annotations

from typing import Any

import yaml

#: libyaml's parser when PyYAML has it (its wheels do): the same documents as the pure-Python
#: ``SafeLoader`` builds, about eight times faster; every notebook kernel reads these files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML ``text`` safely (as ``yaml.safe_load``), with the fastest safe loader."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
