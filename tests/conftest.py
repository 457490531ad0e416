"""Shared fixtures: the bundled criteria, a writable copy to mutate, a CLI runner, for the portfolio
(compare/export) tests a writable folder of the samples with variants made on the fly, the SVG snapshot of a
Textual app (:func:`snapshot`), and the switch between the everyday and the full run (:func:`repetitions`).

``--run-slow`` runs the tests marked ``slow`` and gives the tests marked ``repeated`` their full count of
rounds or examples; ``.ci/run`` runs ``pytest --run-slow -m "slow or repeated"`` after the everyday run."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.assessments import dump_assessment
from kwaliteitskader.core.io.criteria import default_criteria_folder
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import set_path
from kwaliteitskader.core.model.criteria_set import Criteria

# Tests never write into the user's own cache (the criteria cache, the portfolio index): one temporary
# folder per test run, inherited by every program the tests start.
os.environ["KWALITEITSKADER_CACHE"] = tempfile.mkdtemp(prefix="kk-test-cache-")
atexit.register(shutil.rmtree, os.environ["KWALITEITSKADER_CACHE"], ignore_errors=True)
# nor into the user's data folder (the portfolio index's key, recent files): one of its own, made by the test
# run and removed at its end by the process that made it. A process the run starts inherits it; one that imports
# this module (a test's helper run in a fresh interpreter) keeps it and leaves it in place, for the tests still
# using it (removing it at that process's end took the index key from under the run's other tests).
_TEST_RUN = "KWALITEITSKADER_TEST_RUN"
if not os.environ.get(_TEST_RUN):
    os.environ[_TEST_RUN] = "1"
    os.environ["KWALITEITSKADER_DATA_DIR"] = tempfile.mkdtemp(prefix="kk-test-data-")  # never the user's own
    atexit.register(shutil.rmtree, os.environ["KWALITEITSKADER_DATA_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_assessments"
DATA = ROOT / "tests" / "data"  # one file per bad or edge-case input: tests/data/<area>/<case>.toml
TODAY = dt.date(2026, 1, 15)  # the portfolio tests' fixed date (the TUI tests have their own)


_full_run = False  # --run-slow was given: repeated checks run their full count


def repetitions(everyday: int, full: int) -> int:
    """How often a repeated check runs (rounds, generated examples): ``everyday`` in the everyday run, enough to
    find what the test was written for most of the time; ``full`` with ``--run-slow``. A test that uses it is
    marked ``@pytest.mark.repeated`` so that the full run (``-m "slow or repeated"``) selects it."""
    return full if _full_run else everyday


def full_run() -> bool:
    """Whether this is the full run (``--run-slow``): a ``repeated`` test that does an extra, costly part only
    there asks this."""
    return _full_run


def pytest_configure(config: pytest.Config) -> None:
    """No test writes into the user's real cache folder (~/.cache/kwaliteitskader): the whole session, and
    every CLI process it starts, uses a cache folder of its own, removed at the end."""
    global _full_run
    _full_run = bool(config.getoption("--run-slow"))
    folder = tempfile.mkdtemp(prefix="kk-test-cache-")
    config.stash[_CACHE_KEY] = folder
    os.environ["KWALITEITSKADER_CACHE"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_KEY, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true",
                     help="also run the tests marked slow, and the repeated checks at their full count")
    parser.addoption("--update-snapshots", action="store_true", help="rewrite the stored SVG snapshots")


WORKERS_PER_CORE = 2
MAX_WORKERS = 16


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """What ``-n auto`` (the default, ``addopts``) starts: two test processes per usable core, at most
    :data:`MAX_WORKERS`. Many tests spend much of their time waiting rather than computing (for a command
    they started, a browser, an app's timers), and a second process per core runs meanwhile."""
    from kwaliteitskader.core.parallel import usable_cores

    return min(MAX_WORKERS, WORKERS_PER_CORE * usable_cores())


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


def rewrite(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the text file ``path`` by ``new``, after checking that ``old`` is there (a
    test that edits a copy must fail when the text it edits has moved, not pass unchanged)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def data_file(case: str, target: Path) -> Path:
    """Copy the input ``tests/data/<case>`` byte for byte to ``target`` (where the test wants it); return ``target``."""
    target.write_bytes((DATA / case).read_bytes())
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


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A writable copy of the sample assessments."""
    target = tmp_path / "beoordelingen"
    shutil.copytree(SAMPLES, target)
    return target


Variant = Callable[..., Path]


@pytest.fixture
def variant(samples: Path) -> Variant:
    """``variant("ajb_rotterdam", "nieuw", **{"evidence.study_design": "beschrijvend"})`` writes a changed copy."""

    def make(source: str, name: str, folder: Path | None = None, **changes: Any) -> Path:
        assessment = load_assessment(SAMPLES / f"{source}.toml").assessment
        for path, value in changes.items():
            assessment = set_path(assessment, path, value)
        target = (folder or samples) / f"{name}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_assessment(assessment), encoding="utf-8")
        return target

    return make


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))




@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[Any, str], None]:
    """``snapshot(app, name)``: compare what the Textual ``app`` shows now with ``snapshots/<name>.svg`` next
    to the test file (``App.export_screenshot``; fix the theme, size, clock and cursor blink for a stable
    picture). A difference or a missing picture fails the test and writes ``<name>.actual.svg`` beside it, to
    open in a browser. ``pytest --update-snapshots`` (or ``KWALITEITSKADER_UPDATE_SNAPSHOTS=1``) writes the
    pictures instead; look at them before committing."""
    folder = request.path.parent / "snapshots"
    update = bool(request.config.getoption("--update-snapshots")) or bool(os.environ.get("KWALITEITSKADER_UPDATE_SNAPSHOTS"))

    def check(app: Any, name: str) -> None:
        svg = app.export_screenshot(title="kwaliteitskader")
        expected, actual = folder / f"{name}.svg", folder / f"{name}.actual.svg"
        if update:
            folder.mkdir(exist_ok=True)
            expected.write_text(svg, encoding="utf-8")
            actual.unlink(missing_ok=True)
            return
        if expected.is_file() and expected.read_text(encoding="utf-8") == svg:
            actual.unlink(missing_ok=True)
            return
        folder.mkdir(exist_ok=True)
        actual.write_text(svg, encoding="utf-8")
        problem = "differs from" if expected.is_file() else "has no stored picture"
        pytest.fail(f"the screen {problem} {expected}; look at {actual.name} (a browser shows it) and run "
                    "pytest --update-snapshots if the change is intended")

    return check
