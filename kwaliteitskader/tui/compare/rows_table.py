"""The view's table: Textual's ``DataTable``, drawing its plain rows straight from their cells.

``DataTable`` draws a row by laying out every one of its cells through Rich (a padded, styled renderable
per cell, also for the columns scrolled out of view) and keeps what it drew until the table changes; a row
added changes it, so while rows come in, every drawing lays out every visible cell again. The view's cells
are :class:`~.table_cell.Cell`\\ s, one line of text in one style, so a row's line can be put together from
their texts and styles directly, for the columns in view only. :meth:`RowsTable.render_line` (the line API
``DataTable`` draws with) does that and gives the same line ``DataTable`` gives: the same characters in the
same styles, each cell telling the mouse its row and column.

``DataTable`` itself still draws the header, the cursor's row, the row under the mouse (their highlight
depends on the table's focus and on the mouse) and any table this does not cover: fixed rows or columns,
a cursor on cells or columns, rows with a label or taller than one line, cells of another kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import TextType
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from kwaliteitskader.tui.compare.table_cell import Cell

AFTER_DRAWN = 1 / 60
"""Seconds between the table's drawing and what waits for it (:meth:`RowsTable.after_drawn`): a frame, in which
keys and other events that came meanwhile are handled first."""


@dataclass(frozen=True)
class _Drawing:
    """What every line of one drawing of the table shares: the styles of its rows and where its columns are."""

    base: Style
    even: Style
    odd: Style
    widths: tuple[int, ...]
    table_width: int
    padding: int


class RowsTable(DataTable[Cell]):
    """The view's table (see the module text). :meth:`after_drawn` runs a callback a frame after the table
    has drawn what it holds now: what follows a change of the table (the detail pane reading a file and
    drawn) is not drawn in the same frame, and a key waits for one drawing, not for both."""

    def __init__(self) -> None:
        super().__init__(id="rows", cursor_type="row", zebra_stripes=True)
        self._after_drawn: list[Callable[[], object]] = []
        self._drawing: _Drawing | None = None
        self._plain_rows = True
        """Every row added was one line high and without a label (the rows :meth:`render_line` draws itself)."""

    def after_drawn(self, callback: Callable[[], object]) -> None:
        self._after_drawn.append(callback)

    def add_row(
        self, *cells: Cell, height: int | None = 1, key: str | None = None, label: TextType | None = None
    ) -> RowKey:
        if height != 1 or label is not None:
            self._plain_rows = False  # DataTable draws every row from now on (a label widens them all)
        return super().add_row(*cells, height=height, key=key, label=label)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawing = None  # styles and column widths are looked up again, once for the whole drawing
        lines = super().render_lines(crop)
        callbacks, self._after_drawn = self._after_drawn, []
        for callback in callbacks:
            self.set_timer(AFTER_DRAWN, callback)
        return lines

    def render_line(self, y: int) -> Strip:
        line = self._plain_line(y)
        return super().render_line(y) if line is None else line

    def _plain_line(self, y: int) -> Strip | None:
        """Line ``y`` of the widget drawn from its row's cells, or None where ``DataTable`` draws it."""
        if not self._plain_rows or self.fixed_rows or self.fixed_columns or self.cursor_type != "row":
            return None
        header = self.header_height if self.show_header else 0
        scroll_x, scroll_y = self.scroll_offset
        index = y - header + scroll_y
        if y < header or index < 0:
            return None
        if index >= self.row_count:  # below the last row: the table's background
            return Strip.blank(self.size.width, (self._drawing or self._look_up()).base)
        if index in (self.cursor_coordinate.row, self.hover_coordinate.row):
            return None  # highlighted, or highlighted once the mouse moves
        cells = self.get_row_at(index)
        if not all(type(cell) is Cell for cell in cells):
            return None
        drawing = self._drawing or self._look_up()
        row_style = (drawing.odd if index % 2 else drawing.even) if self.zebra_stripes else drawing.base
        return _line(cells, index, row_style, drawing, scroll_x, self.size.width)

    def _look_up(self) -> _Drawing:
        columns = self.ordered_columns
        widths = tuple(column.get_render_width(self) for column in columns)
        self._drawing = _Drawing(
            base=self.rich_style,
            even=self.get_component_styles("datatable--even-row").rich_style,
            odd=self.get_component_styles("datatable--odd-row").rich_style,
            widths=widths,
            table_width=sum(widths),
            padding=self.cell_padding,
        )
        return self._drawing


def _line(cells: Sequence[Cell], row: int, row_style: Style, drawing: _Drawing, x: int, width: int) -> Strip:
    """The row's line between ``x`` and ``x + width``: each cell in view padded to its column's width in the
    row's style, its text in its own style over it, and the row's style on to the widget's right edge."""
    pad = " " * drawing.padding
    segments: list[Segment] = []
    start = left = 0  # where the first cell drawn starts; where the next cell starts
    end = x + width
    for column, (cell, column_width) in enumerate(zip(cells, drawing.widths, strict=True)):
        right = left + column_width
        if right <= x:
            start = left = right
            continue
        if left >= end:
            break
        style = row_style + Style.from_meta({"row": row, "column": column})
        inner = column_width - 2 * drawing.padding
        text = cell.plain if cell.width <= inner else set_cell_size(cell.plain, inner)
        if text:
            segments += (Segment(pad, style), Segment(text, style + cell.style),
                         Segment(" " * (inner - min(cell.width, inner)) + pad, style))
        else:
            segments.append(Segment(pad + " " * inner + pad, style))
        left = right
    if left == drawing.table_width <= end:  # the row's style on beyond the last column (to the widget's edge)
        beyond = max(0, width - drawing.table_width)
        segments.append(Segment(" " * beyond, row_style + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})))
    return Strip(segments).crop(x - start, end - start).adjust_cell_length(width, drawing.base).simplify()
