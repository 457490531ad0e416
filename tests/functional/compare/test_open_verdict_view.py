"""The compare view shows an open verdict (no class yet) as open: in the table, side by side and in the
portfolio's bars, never as the lowest class it can still reach."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from kwaliteitskader.tui.compare.screen import CompareScreen
from kwaliteitskader.tui.compare.widgets import ClassBars
from tests.functional.compare.test_view import drive, table_files

OPEN_ARNHEM = "nog geen oordeel: kansrijk of stoppen"


def test_open_verdicts_in_the_table_side_by_side_and_the_bars(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        screen.query_one("#filter", Input).value = "klasse:open"
        await pilot.pause()
        files = table_files(screen)
        assert [Path(f).name for f in files] == ["vios_arnhem.toml", "onvolledig_weerbaarheid_enschede.toml"]
        table = screen.query_one("#rows", DataTable)
        assert str(table.get_cell(files[0], "class")) == "nog geen oordeel"  # short: advice stays in view
        assert str(table.get_cell(files[0], "advice")) == "nog open"
        await pilot.press("m", "down", "m", "v")
        await pilot.pause()
        head = str(screen.query_one("#side-head", Static).render())
        a, b = head.splitlines()[:2]  # "A: <class> <advice> <file>": open, never a class or advice as decided
        assert a.startswith(f"A:  {OPEN_ARNHEM}  nog open: bewezen alternatief kiezen, monitoren en onderzoeken of bijstellen ")
        assert b.startswith("B:  nog geen oordeel: bewezen effectief of stoppen  nog open: ")
        await pilot.press("p")
        await pilot.pause()
        bars = screen.query_one("#bars", ClassBars).render().plain
        assert "Nog geen oordeel" in bars and "(1 nog geen oordeel)" in bars

    drive([samples], scenario)
