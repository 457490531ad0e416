"""Fixtures for driving the real app: fixed clock, temporary data folder, fixed theme, no blinking cursor,
and a small SVG snapshot helper on ``App.export_screenshot()`` (pytest-textual-snapshot pins an older
pytest, so it is not used). ``pytest tests/functional/tui --update-snapshots`` rewrites the stored pictures."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.i18n import set_language
from kwaliteitskader.core.model.criteria_set import Criteria

SNAPSHOTS = Path(__file__).parent / "snapshots"
TODAY = dt.date(2025, 3, 14)
NOW = dt.datetime(2025, 3, 14, 10, 30, 0)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="rewrite the TUI snapshot SVGs")


@pytest.fixture(autouse=True)
def _dutch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("KWALITEITSKADER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    set_language("nl")
    yield
    set_language(None)


@pytest.fixture(scope="session")
def criteria(tmp_path_factory: pytest.TempPathFactory) -> Criteria:
    """The criteria as ``run_app`` loads them on every start but the first: from the checked cache, without
    pydantic models (``LiteCriteria``), so the TUI tests drive the app on what users run."""
    from kwaliteitskader.core.io.fastpath import LiteCriteria
    from kwaliteitskader.tui.app import load_app_criteria

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KWALITEITSKADER_CACHE", str(tmp_path_factory.mktemp("cache")))
        load_app_criteria()  # the first start checks the set in full and fills the cache
        loaded = load_app_criteria()
    assert isinstance(loaded, LiteCriteria)
    return loaded


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_app(criteria: Criteria, data_folder: Path) -> Callable[..., Any]:
    """Build the app as ``run_app`` would, with a fixed clock and no timers."""
    from kwaliteitskader.tui.app import KwaliteitskaderApp

    def build(path: Path | None = None, lang: str = "nl", **options: Any) -> KwaliteitskaderApp:
        options.setdefault("samples", data_folder / "geen_voorbeelden")  # no samples: stable pictures
        return KwaliteitskaderApp(
            criteria, lang, path, data_folder=data_folder, today=lambda: TODAY, now=lambda: NOW,
            autosave_seconds=None, cursor_blink=False, **options,
        )

    return build


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[Any, str], None]:
    """``snapshot(app, name)``: compare the current screen with ``snapshots/<name>.svg``."""
    update = bool(request.config.getoption("--update-snapshots", default=False)) or bool(
        os.environ.get("KWALITEITSKADER_UPDATE_SNAPSHOTS")
    )

    def check(app: Any, name: str) -> None:
        svg = app.export_screenshot(title="kwaliteitskader")
        expected_file = SNAPSHOTS / f"{name}.svg"
        actual_file = SNAPSHOTS / f"{name}.actual.svg"
        if update:
            SNAPSHOTS.mkdir(exist_ok=True)
            expected_file.write_text(svg, encoding="utf-8")
            actual_file.unlink(missing_ok=True)
            return
        if not expected_file.is_file():
            actual_file.write_text(svg, encoding="utf-8")
            pytest.fail(f"no snapshot {expected_file.name}; look at {actual_file} and run with --update-snapshots")
        if expected_file.read_text(encoding="utf-8") != svg:
            actual_file.write_text(svg, encoding="utf-8")
            pytest.fail(f"screen differs from {expected_file.name}; compare with {actual_file.name} "
                        "(open both in a browser) and run with --update-snapshots if the change is intended")
        actual_file.unlink(missing_ok=True)

    return check
