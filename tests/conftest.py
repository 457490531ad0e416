"""Shared fixtures: the bundled criteria, a writable copy to mutate, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kwaliteitskader.core.io.criteria import default_criteria_folder
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_assessments"


def pytest_configure(config: pytest.Config) -> None:
    """No test writes into the user's real cache folder (~/.cache/kwaliteitskader): the whole session, and
    every CLI process it starts, uses a cache folder of its own, removed at the end."""
    folder = tempfile.mkdtemp(prefix="kk-test-cache-")
    config.stash[_CACHE_KEY] = folder
    os.environ["KWALITEITSKADER_CACHE"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_KEY, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_KEY = pytest.StashKey[str]()


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
