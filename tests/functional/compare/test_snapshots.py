"""The look of the comparison view, pinned as SVG screenshots (table with detail, portfolio).

Relative paths, a fixed date and a fixed theme keep the pictures stable. To update after an intended
change: ``KWALITEITSKADER_UPDATE_SNAPSHOTS=1 pytest tests/functional/compare/test_snapshots.py`` and look at the
SVGs in ``tests/functional/compare/snapshots/`` (a browser shows them) before committing."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from textual.app import App

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.compare.app import CompareApp
from tests.conftest import ROOT, TODAY
from tests.functional.compare.conftest import wait_loaded

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check(app: App[None], name: str) -> None:
    svg = app.export_screenshot(title="kwaliteitskader")
    expected, actual = SNAPSHOTS / f"{name}.svg", SNAPSHOTS / f"{name}.actual.svg"
    if os.environ.get("KWALITEITSKADER_UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        expected.write_text(svg, encoding="utf-8")
        actual.unlink(missing_ok=True)
        return
    if not expected.is_file() or expected.read_text(encoding="utf-8") != svg:
        actual.write_text(svg, encoding="utf-8")
        pytest.fail(f"screen differs from {expected.name}; compare with {actual.name} and update if intended")
    actual.unlink(missing_ok=True)


def test_table_detail_and_portfolio(criteria: Criteria, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)

    async def main() -> None:
        app = CompareApp([Path("sample_assessments")], criteria, "nl", today=TODAY)
        app.theme = "textual-dark"
        async with app.run_test(size=(150, 42)) as pilot:
            await wait_loaded(pilot, app.compare_screen)
            await pilot.pause()
            check(app, "compare_rows")
            await pilot.press("p")
            await pilot.pause()
            await pilot.pause()
            check(app, "compare_portfolio")

    asyncio.run(main())
