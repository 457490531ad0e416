"""The table's cells draw exactly what a Rich ``Text`` of the same text and style draws, and are as wide."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from kwaliteitskader.tui.compare.table_cell import Cell

CASES = [
    ("Rotterdam", None),
    ("kansrijk", Style.parse("bold #ffffff on #3a7d44")),
    ("", Style.parse("bold magenta")),  # an unmarked row's mark
    ("Bureau Halt – Jeugd & Gezin 日本", Style.parse("bold red")),  # wide characters
    ("a name far longer than its column", Style.parse("bold yellow")),
]


@pytest.mark.parametrize(("text", "style"), CASES)
@pytest.mark.parametrize("width", [4, 12, 40])
def test_a_cell_draws_what_a_text_draws(text: str, style: Style | None, width: int) -> None:
    console = Console(width=80, color_system="truecolor", legacy_windows=False)
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    row_style = Style.parse("on #1c1c1c")

    def drawn(cell: object) -> list[list[tuple[str, Style | None]]]:
        padded = Styled(Padding(cell, (0, 1)), pre_style=row_style, post_style=Style())  # as the table draws a cell
        lines = console.render_lines(padded, options)
        return [[(s.text, s.style) for s in line] for line in lines]

    expected = Text(text, style=style or "", no_wrap=True, end="")
    assert drawn(Cell(text, style)) == drawn(expected)
    # the table sizes a column by the widest cell (a cell is one line: it never wraps to its longest word)
    assert Measurement.get(console, options, Cell(text, style)).maximum == Measurement.get(console, options, expected).maximum
    assert str(Cell(text, style)) == text == Cell(text, style).plain
