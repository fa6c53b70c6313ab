"""Report notebooks run side by side (analysis.pipeline): same outputs, failures named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import UserFacingError
from analysis.pipeline import NotebookFailed, execute_notebooks, notebook_workers


def _notebook(path: Path, code: str) -> None:
    cells = [
        {
            "id": "parameters",
            "cell_type": "code",
            "metadata": {"tags": ["parameters"]},
            "source": "out = ''",
            "outputs": [],
            "execution_count": None,
        },
        {
            "id": "work",
            "cell_type": "code",
            "metadata": {},
            "source": code,
            "outputs": [],
            "execution_count": None,
        },
    ]
    book = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(book), encoding="utf-8")


class Params:
    """Picklable stand-in for RunParams (SimpleNamespace methods do not pickle)."""

    report = "test"

    def __init__(self, executed_dir: Path, out: Path) -> None:
        self.executed_dir = executed_dir
        self.out = out

    def notebook_parameters(self) -> dict[str, str]:
        return {"out": str(self.out)}


def test_workers_one_per_core_at_most_the_notebooks(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert notebook_workers(None, 7) == 2
    assert notebook_workers(None, 1) == 1
    assert notebook_workers(3, 7) == 3
    assert notebook_workers(5, 2) == 2
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert notebook_workers(None, 7) == 4  # kernels are memory-hungry: at most 4 by default
    with pytest.raises(UserFacingError, match="--jobs must be at least 1"):
        notebook_workers(0, 7)


@pytest.mark.parametrize("workers", [1, 2])
def test_every_notebook_runs_with_the_run_parameters(tmp_path, workers):
    books = tmp_path / "books"
    books.mkdir()
    for name in ("a", "b", "c"):
        _notebook(books / f"{name}.ipynb", f"open(out + '/{name}.txt', 'w').write('{name}')")
    params = Params(tmp_path / "executed", tmp_path)
    names = ("a.ipynb", "b.ipynb", "c.ipynb")
    execute_notebooks(names, params, None, workers, 2, 4, notebooks_dir=books)
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == ["a.txt", "b.txt", "c.txt"]
    assert sorted(p.name for p in (tmp_path / "executed").iterdir()) == list(names)


def test_a_failing_notebook_stops_the_build_with_its_name(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    _notebook(books / "good.ipynb", "x = 1")
    _notebook(books / "bad.ipynb", "raise ValueError('no episodes for LA 999')")
    params = Params(tmp_path / "executed", tmp_path)
    with pytest.raises(NotebookFailed) as err:
        execute_notebooks(("good.ipynb", "bad.ipynb"), params, None, 2, 2, 3, books)
    message = str(err.value)
    assert message.startswith("notebook bad.ipynb failed in cell")
    assert "ValueError: no episodes for LA 999" in message and "\n" not in message
