"""Shared set-up for the comparison view's pilot tests: start the real app, wait until its rows are in, run a scenario."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Unpack

from textual.pilot import Pilot
from textual.widgets import DataTable

from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.compare.app import CompareApp
from kwaliteitskader.tui.compare.screen import CompareScreen, ViewOptions
from tests.conftest import TODAY

Scenario = Callable[[Pilot[None], CompareScreen], Awaitable[None]]


async def wait_loaded(pilot: Pilot[None], screen: CompareScreen) -> None:
    """Wait until the view has all its rows and has shown them: its loading worker is done and the
    messages it posted are handled."""
    await pilot.pause()  # the screen is mounted and has started its worker
    await screen.app.workers.wait_for_complete()
    await pilot.pause()
    assert not screen.loading_rows


def drive(
    paths: list[Path],
    scenario: Scenario,
    *,
    criteria: Criteria | None = None,
    size: tuple[int, int] = (180, 50),
    **options: Unpack[ViewOptions],
) -> None:
    """Open the view on ``paths`` (dated :data:`TODAY`), wait until it is loaded, and run ``scenario``."""

    async def main() -> None:
        app = CompareApp(paths, criteria or load_criteria(), "nl", **{"today": TODAY, **options})
        async with app.run_test(size=size) as pilot:
            screen = app.compare_screen
            await wait_loaded(pilot, screen)
            await scenario(pilot, screen)

    asyncio.run(main())


def table_keys(screen: CompareScreen, selector: str = "#rows") -> list[str]:
    """The row keys of a table, top to bottom (for ``#rows``: the files shown, in their order)."""
    table = screen.query_one(selector, DataTable)
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]  # type: ignore[arg-type]


def column_span(table: DataTable[object], column: str) -> tuple[int, int]:
    """Where a column starts and ends (x, in cells) inside the table's content."""
    x = 0
    for key, col in table.columns.items():
        width = col.get_render_width(table)
        if key.value == column:
            return x, x + width
        x += width
    raise KeyError(column)
