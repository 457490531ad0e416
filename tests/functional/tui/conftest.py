"""Fixtures for driving the real app: fixed clock, temporary data folder, fixed theme, no blinking cursor
(the SVG snapshot fixture, ``snapshot``, is shared by all tests: tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.i18n import set_language
from kwaliteitskader.core.model.criteria_set import Criteria

TODAY = dt.date(2025, 3, 14)
NOW = dt.datetime(2025, 3, 14, 10, 30, 0)


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
