"""Shared fixtures: the bundled criteria, a writable copy to mutate, and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kwaliteitskader.core.io.criteria import default_criteria_folder, load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria

# Tests never write into the user's own cache (the criteria cache, the portfolio index): one temporary
# folder per test run, inherited by every program the tests start.
os.environ["KWALITEITSKADER_CACHE"] = tempfile.mkdtemp(prefix="kk-test-cache-")
atexit.register(shutil.rmtree, os.environ["KWALITEITSKADER_CACHE"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_assessments"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow (full fuzz runs)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def criteria() -> Criteria:
    return load_criteria()


@pytest.fixture
def criteria_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled criteria folder, for tests that break it on purpose."""
    target = tmp_path / "criteria"
    shutil.copytree(default_criteria_folder(), target)
    return target


def run_cli(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kwaliteitskader`` as a user would, in a separate process."""
    full_env = {**os.environ, "KWALITEITSKADER_LANG": "nl", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kwaliteitskader", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=120,
        check=False,
    )
