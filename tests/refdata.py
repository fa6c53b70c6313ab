"""Where the tests find the published reference files (never copied into the project).

``REFERENCE_DIR`` from the environment, else ``../shared/reference`` beside the project, which
is where CI has it. When the folder is missing the test session stops with one clear line
(see conftest.py): these tests must fail, not skip, without their reference data.
"""

import os
from pathlib import Path

from analysis.paths import PROJ_ROOT

REFERENCE_DIR = Path(os.environ.get("REFERENCE_DIR", PROJ_ROOT.parent / "shared" / "reference"))
