"""The conda environment and pyproject.toml must not disagree; the Makefile documents itself."""

import subprocess
import tomllib

import yaml

from analysis.paths import PROJ_ROOT


def test_environment_yml_installs_the_package_with_its_extras():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e .[dev]" in pip
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    project = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text())["project"]
    minor = python.split("=")[1]
    assert f">={minor}" in project["requires-python"]
    # no other Python package is pinned in environment.yml, so the two cannot disagree
    assert [d for d in deps if isinstance(d, str)] == [python, "pip"]


def test_make_help_lists_documented_targets():
    out = subprocess.run(
        ["make", "-s", "help"], cwd=PROJ_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for target in ("report", "test", "setup", "data", "nbval", "lint"):
        assert target in out
