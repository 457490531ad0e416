"""One cell of the view's table: a line of text in one style, drawn as a single segment.

Textual's ``DataTable`` measures every cell it is given and draws every visible row again after any change
to the table (a row added, the cursor moved to another row). A :class:`rich.text.Text` cell goes through
Rich's text layout (spans, wrapping, justification) each time; the table's cells are one line in one
style, so :class:`Cell` skips that layout: it knows its width and yields its text as one segment, cut to
the column when needed. It draws exactly what a ``Text`` of the same text and style draws.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style


class Cell:
    """``text`` on one line in ``style``; ``str(cell)`` and ``cell.plain`` are the text."""

    __slots__ = ("plain", "style", "width")

    def __init__(self, text: str, style: Style | None = None) -> None:
        self.plain = text
        self.style = style
        self.width = cell_len(text)

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Cell({self.plain!r}, {self.style!r})"

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.plain:  # as a Text: nothing for no text (the padding around it fills the cell)
            text = self.plain if self.width <= options.max_width else set_cell_size(self.plain, options.max_width)
            yield Segment(text, self.style)
