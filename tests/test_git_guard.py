"""The git guard (.githooks/pre-commit) refuses real data, keys and large files; allows fixtures.

Each test makes a throwaway git repository with the hook installed the way ``make setup`` does
(``git config core.hooksPath .githooks``), plants files, and tries to commit them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.paths import PROJ_ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "guard@example.org")
    git(repo, "config", "user.name", "Guard test")
    git(repo, "config", "commit.gpgsign", "false")
    (repo / ".githooks").mkdir()
    shutil.copy2(PROJ_ROOT / ".githooks" / "pre-commit", repo / ".githooks" / "pre-commit")
    shutil.copy2(PROJ_ROOT / ".gitignore", repo / ".gitignore")
    git(repo, "config", "core.hooksPath", ".githooks")
    git(repo, "add", ".githooks", ".gitignore")
    assert git(repo, "commit", "-q", "-m", "guard").returncode == 0
    return repo


def plant(repo: Path, rel: str, data: bytes) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    assert git(repo, "add", "-f", rel).returncode == 0  # -f: past .gitignore, as a slip would


def commit(repo: Path) -> subprocess.CompletedProcess:
    return git(repo, "commit", "-q", "-m", "planted")


def committed(repo: Path) -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", "HEAD").stdout.split()


@pytest.mark.parametrize(
    "rel, size, why",
    [
        ("data/raw/806/x.csv", 40, "real data never enters git"),
        ("data/processed/synthetic/806/children.parquet", 40, "real data never enters git"),
        ("data/raw/806/cin_census/2023-24.xml", 40, "real data never enters git"),
        ("notes/big.bin", 6_000_000, "large file of 6000000 bytes"),
        ("analysis/extract.csv", 2_000_000, "data file of 2000000 bytes"),
        ("config/pseudonymisation.key", 32, "a pseudonymisation key stays outside"),
        ("build/children.parquet", 40, "processed tables stay in data/processed"),
    ],
)
def test_guard_refuses(repo, rel, size, why):
    plant(repo, rel, b"x" * size)
    result = commit(repo)
    assert result.returncode != 0
    assert f"git guard: refusing to commit {rel} ({why}" in result.stderr
    assert rel not in committed(repo)


def test_guard_refuses_a_file_renamed_into_data_raw(repo):
    plant(repo, "tests/episodes.csv", b"CHILD\n1\n")
    assert commit(repo).returncode == 0
    (repo / "data" / "raw" / "806").mkdir(parents=True)
    assert git(repo, "mv", "tests/episodes.csv", "data/raw/806/episodes.csv").returncode == 0
    result = commit(repo)
    assert result.returncode != 0 and "data/raw/806/episodes.csv" in result.stderr


def test_guard_judges_the_staged_content_not_the_working_tree(repo):
    plant(repo, "notes/big.bin", b"x" * 6_000_000)
    (repo / "notes" / "big.bin").write_bytes(b"small now")  # not staged: 6 MB would be committed
    assert commit(repo).returncode != 0


def test_guard_allows_fixtures_readmes_and_code(repo):
    plant(repo, "data/raw/README.md", b"# raw data: read only\n")
    plant(repo, "data/processed/README.md", b"# processed data\n")
    plant(repo, "data/raw/fixtures/synthetic_header.csv", b"CHILD,SEX\nC1,1\n")
    plant(repo, "tests/bad_inputs/base/806/ssda903/2023-24/header.csv", b"CHILD,SEX\nC1,1\n")
    plant(repo, "tests/fixtures/small.parquet", b"PAR1")
    plant(repo, "analysis/module.py", b"x = 1\n")
    result = commit(repo)
    assert result.returncode == 0, result.stderr
    assert "data/raw/fixtures/synthetic_header.csv" in committed(repo)
    assert "tests/bad_inputs/base/806/ssda903/2023-24/header.csv" in committed(repo)
