import datetime as dt

import pytest

from analysis.errors import ParameterError
from analysis.params import load_params, parse_params

REF = "/work/shared/reference"


def base(**over):
    raw = {
        "report": "iro-annual",
        "la_codes": ["806"],
        "period_start": "2023-04-01",
        "period_end": "2024-03-31",
        "raw_dir": "data/raw/synthetic",
        "reference_dir": REF,
        "output_dir": "build/out",
        "disclosure": "public",
    }
    raw.update(over)
    return {k: v for k, v in raw.items() if v is not None}


@pytest.fixture(autouse=True)
def _reference(tmp_path, monkeypatch):
    global REF
    REF = str(tmp_path)


def test_valid_params_and_period_label():
    p = parse_params(base())
    assert p.period_start == dt.date(2023, 4, 1)
    assert p.period_label == "2023-24"
    assert p.processed_dir.name == "synthetic"
    assert parse_params(base(period_end="2023-09-30")).period_label == "2023-04-01_2023-09-30"


@pytest.mark.parametrize(
    "key",
    [
        "report",
        "la_codes",
        "period_start",
        "period_end",
        "raw_dir",
        "reference_dir",
        "output_dir",
        "disclosure",
    ],
)
def test_missing_parameter_named(key):
    raw = base()
    del raw[key]
    with pytest.raises(ParameterError, match=f"missing required parameter {key}$"):
        parse_params(raw)


@pytest.mark.parametrize(
    ("over", "named"),
    [
        ({"report": "annual"}, "report"),
        ({"la_codes": ["80"]}, "la_codes"),
        ({"period_start": "31/03/2024"}, "period_start"),
        ({"period_end": "2023-01-01"}, "period_end"),
        ({"disclosure": "open"}, "disclosure"),
        ({"reference_dir": "/nonexistent/ref"}, "reference_dir"),
        ({"colour": "blue"}, "colour"),
        ({"targets": {"x": "high"}}, "targets"),
    ],
)
def test_invalid_parameter_named(over, named):
    with pytest.raises(ParameterError, match=named):
        parse_params(base(**over))


def test_integer_la_code_is_padded():
    assert parse_params(base(la_codes=[806])).la_codes == ["806"]


def test_params_file_errors(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        load_params(tmp_path / "none.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("report: [unclosed\n")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_params(bad)


def test_shipped_params_files_are_valid(monkeypatch):
    from analysis.paths import PROJ_ROOT

    for path in sorted((PROJ_ROOT / "params").glob("*.yml")):
        raw = __import__("yaml").safe_load(path.read_text())
        raw["reference_dir"] = REF
        assert parse_params(raw, str(path)).report in ("iro-annual", "atv-biannual")
