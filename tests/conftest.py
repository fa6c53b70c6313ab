import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from refdata import REFERENCE_DIR

from analysis.paths import PROJ_ROOT


def pytest_sessionstart(session):
    if not (REFERENCE_DIR / "dfe_cla_number_and_rate_per_10k_2021_2025.csv").is_file():
        pytest.exit(
            f"reference data not found in {REFERENCE_DIR}: set REFERENCE_DIR to the folder "
            "of published DfE/ONS reference files",
            returncode=1,
        )


# --- Both reports built once per session, and a real browser (test_browser, test_pdf,
# test_accessibility) ---------------------------------------------------------------------------

REPORT_PARAMS = {
    "iro-annual": "params/iro_annual_2023-24.yml",
    "atv-biannual": "params/atv_biannual_2024-25_h1.yml",
}
#: Debian's Chromium (installed by `make browser-deps`); CHROMIUM overrides the path.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Screenshots and PDF page images kept as CI artefacts.
SCREENSHOTS = PROJ_ROOT / "build" / "screenshots"


@dataclass(frozen=True)
class Built:
    """One report built from synthetic data: its outputs, executed notebooks and params file."""

    out: Path
    executed: Path
    params: Path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="session")
def report_builds(tmp_path_factory) -> dict[str, Built]:
    """Generate synthetic returns and build both reports into a temporary folder, once.

    To test existing builds instead (while working on the renderer), set REPORTS_BUILT to a
    folder laid out as this fixture's: ``out/<report>``, ``executed/<report>``, ``<report>.yml``.
    """
    existing = os.environ.get("REPORTS_BUILT")
    if existing:
        root = Path(existing)
        return {
            r: Built(root / "out" / r, root / "executed" / r, root / f"{r}.yml")
            for r in REPORT_PARAMS
        }
    root = tmp_path_factory.mktemp("reports")
    result = _cli("generate", "--out", str(root / "raw"))
    assert result.returncode == 0, result.stderr[-3000:]
    builds = {}
    for report, params_file in REPORT_PARAMS.items():
        raw = yaml.safe_load((PROJ_ROOT / params_file).read_text())
        raw.update(
            raw_dir=str(root / "raw"),
            processed_dir=str(root / "processed"),
            reference_dir=str(REFERENCE_DIR),
            output_dir=str(root / "out" / report),
            executed_dir=str(root / "executed" / report),
            key_path=str(root / "demo.key"),
        )
        params = root / f"{report}.yml"
        params.write_text(yaml.safe_dump(raw))
        result = _cli("build", "--params", str(params))
        assert result.returncode == 0, result.stderr[-3000:]
        builds[report] = Built(root / "out" / report, root / "executed" / report, params)
    return builds


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, with every network lookup blocked."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser-deps` (apt-get install "
            "chromium) or set CHROMIUM to the browser's path"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--host-resolver-rules=MAP * ~NOTFOUND", "--no-sandbox", "--disable-gpu"],
        )
        yield instance
        instance.close()
