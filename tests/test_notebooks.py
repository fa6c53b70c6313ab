"""Committed notebooks are thin, deterministic and carry no machine-specific output."""

import json
import re

import pytest

from analysis.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
MACHINE_PATH = re.compile(r"(/work/|/home/|/tmp/|/root/|[A-Z]:\\\\)")


def test_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == [
        "01_ingest.ipynb",
        "10_cla.ipynb",
        "11_cla_population.ipynb",
        "20_cp.ipynb",
        "30_iro_activity.ipynb",
        "35_next_steps.ipynb",
        "40_adoption.ipynb",
        "41_adoption_agency.ipynb",
        "50_trends.ipynb",
        "90_definitions.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_clean(path):
    book = json.loads(path.read_text())
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, "exactly one parameters cell"
    assert "papermill" not in book["metadata"], "run timestamps stripped"
    for cell in code:
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class) ", source, re.M), "logic belongs in analysis/"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), source
            assert not MACHINE_PATH.search(json.dumps(output)), "no machine paths in outputs"
        labelled = re.search(r"^#\|\s*label:", source, re.M)
        assert cell.get("outputs") or cell is tagged[0] or not labelled, (
            "labelled cells have outputs"
        )
