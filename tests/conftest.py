import pytest
from refdata import REFERENCE_DIR


def pytest_sessionstart(session):
    if not (REFERENCE_DIR / "dfe_cla_number_and_rate_per_10k_2021_2025.csv").is_file():
        pytest.exit(
            f"reference data not found in {REFERENCE_DIR}: set REFERENCE_DIR to the folder "
            "of published DfE/ONS reference files",
            returncode=1,
        )
