"""The look of the comparison view, pinned as SVG screenshots (table with detail, portfolio).

Relative paths, a fixed date and a fixed theme keep the pictures stable. To update after an intended
change: ``pytest tests/functional/compare/test_snapshots.py --update-snapshots`` and look at the
SVGs in ``tests/functional/compare/snapshots/`` (a browser shows them) before committing."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.compare.app import CompareApp
from tests.conftest import ROOT, TODAY
from tests.functional.compare.conftest import wait_loaded


def test_table_detail_and_portfolio(criteria: Criteria, monkeypatch: pytest.MonkeyPatch, snapshot: Any) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)

    async def main() -> None:
        app = CompareApp([Path("sample_assessments")], criteria, "nl", today=TODAY)
        app.theme = "textual-dark"
        async with app.run_test(size=(150, 42)) as pilot:
            await wait_loaded(pilot, app.compare_screen)
            await pilot.pause()
            snapshot(app, "compare_rows")
            await pilot.press("p")
            await pilot.pause()
            await pilot.pause()
            snapshot(app, "compare_portfolio")

    asyncio.run(main())
