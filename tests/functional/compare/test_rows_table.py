"""The view's table draws its rows from their cells exactly as Textual's ``DataTable`` draws them: the same
characters in the same styles, the same row and column for the mouse, scrolled or not, with the cursor and
the mouse anywhere; and only the columns in view."""

from __future__ import annotations

import asyncio

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable

from kwaliteitskader.tui.compare.rows_table import RowsTable
from kwaliteitskader.tui.compare.table_cell import Cell

STYLES = [None, Style.parse("bold magenta"), Style.parse("bold #ffffff on #3a7d44"), Style.parse("bold red")]
TEXTS = ["Rotterdam", "", "kansrijk", "Bureau Halt – Jeugd & Gezin 日本", "●", "a text longer than its column is wide"]


class TableApp(App[None]):
    def __init__(self, columns: int, table_width: int | None, rows: int = 60) -> None:
        super().__init__()
        self.rows = rows
        self.columns = columns
        self.table_width = table_width

    def compose(self) -> ComposeResult:
        table = RowsTable()
        if self.table_width is not None:
            table.styles.width = self.table_width
        yield table

    def on_mount(self) -> None:
        table = self.query_one(RowsTable)
        rows = self.rows
        for c in range(self.columns):
            # a fixed width for some columns: their longer texts are cut
            table.add_column(f"Kolom {c}", key=f"c{c}", width=8 if c % 4 == 3 else None)
        for r in range(rows):
            cells = [Cell(TEXTS[(r + c) % len(TEXTS)], STYLES[(r * c) % len(STYLES)]) for c in range(self.columns)]
            table.add_row(*cells, key=f"r{r}")


def lines(table: DataTable[Cell], draw: object) -> list[list[tuple[str, Style | None, object]]]:
    drawn: list[list[tuple[str, Style | None, object]]] = []
    for y in range(table.size.height):
        strip = draw(table, y)  # type: ignore[operator]
        assert isinstance(strip, Strip)
        drawn.append([(s.text, s.style, s.style.meta if s.style else None) for s in strip])
    return drawn


async def compare(app: TableApp, states: list[tuple[int, int, int, int]]) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(RowsTable)
        await pilot.pause()
        for scroll_x, scroll_y, cursor, hover in states:
            table.scroll_to(scroll_x, scroll_y, animate=False)
            table.move_cursor(row=cursor, scroll=False)
            table.hover_coordinate = Coordinate(hover, 0)
            await pilot.pause()
            ours = lines(table, RowsTable.render_line)
            theirs = lines(table, DataTable.render_line)
            assert ours == theirs, (scroll_x, scroll_y, cursor, hover)
            assert any(text.strip() for line in ours for text, _, _ in line)


@pytest.mark.parametrize(("columns", "table_width", "rows"), [(13, None, 60), (3, None, 60), (13, 50, 60), (5, None, 8)])
def test_the_table_draws_its_rows_as_data_table_draws_them(columns: int, table_width: int | None, rows: int) -> None:
    """Not scrolled, scrolled sideways into the middle of a column and down, the cursor and the mouse on
    rows in view and out of it; a table narrower than the screen (the rows' style fills the rest) and wider,
    and one of fewer rows than it has lines (its background below them)."""
    states = [(0, 0, 0, 0), (7, 0, 3, 5), (23, 4, 10, 2), (101, 20, 59, 0), (0, 31, 0, 40)]
    states = [(x, y, min(cursor, rows - 1), min(hover, rows - 1)) for x, y, cursor, hover in states]
    asyncio.run(compare(TableApp(columns, table_width, rows), states))


def test_only_the_columns_in_view_are_drawn() -> None:
    """A row's cells out of view are not drawn (but in the cursor's row, which ``DataTable`` draws whole)."""

    async def main() -> None:
        app = TableApp(13, 50)
        async with app.run_test(size=(120, 30)) as pilot:
            table = app.query_one(RowsTable)
            await pilot.pause()
            read: set[tuple[int, int]] = set()
            for row in range(table.row_count):
                for c, key in enumerate(table.columns):
                    cell = table.get_cell_at(Coordinate(row, c))
                    cell.plain = Noted(cell.plain, read, (row, c))
                    table.update_cell(f"r{row}", key, cell)
            await pilot.pause()
            read.clear()
            table.refresh()
            await pilot.pause()
            starts = [0]
            for column in table.ordered_columns:
                starts.append(starts[-1] + column.get_render_width(table))
            in_view = {c for c in range(13) if starts[c] < table.size.width}
            assert 2 <= len(in_view) < 13
            assert {c for row, c in read if row != table.cursor_row} == in_view
            # every other row in view (below the header) was drawn; the cursor's from DataTable's own cache
            assert {row for row, _ in read} >= set(range(1, table.size.height - 1))

    asyncio.run(main())


class Noted(str):
    """A cell's text that notes its cell each time it is drawn."""

    def __new__(cls, text: str, read: set[tuple[int, int]], where: tuple[int, int]) -> Noted:
        made = super().__new__(cls, text)
        made.read = read
        made.where = where
        return made

    read: set[tuple[int, int]]
    where: tuple[int, int]

    def __len__(self) -> int:
        self.read.add(self.where)
        return super().__len__()
