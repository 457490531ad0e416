"""Text from files, shown in the application but never obeyed by the terminal.

Textual passes the characters of a widget's text on to the terminal. An assessment whose provider field
holds ``"\\x1b]2;PWNED\\x07"`` retitled the terminal when opened in the wizard, ``"\\x1b[31m"`` coloured the
input, and in the compare view a name with such a sequence moved the cursor so that two rows showed the
wrong name. Two layers (both from :mod:`kwaliteitskader.core.safetext`, the one sanitiser):

- where file text is shown, it is shown visibly: :class:`SafeInput` draws each control or bidi character as
  one stand-in character (``␛``), keeping the exact value and its cursor positions; tables, titles and
  lists get :func:`shown` (``\\x1b`` as text, as the command line shows it);
- :class:`InertControls`, a line filter on every line every widget draws, removes whatever such character
  is still left (from criteria texts, a widget not covered above, a future one): none reaches the terminal.
  Removing keeps the layout right (Rich counts these characters as zero cells wide).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.widgets import Input

from kwaliteitskader.core.safetext import control_pictures, is_safe, strip_unsafe, terminal_safe


def shown(text: str, *, one_line: bool = True) -> str:
    """File text for a read-only widget: control and bidi characters as visible escapes."""
    return terminal_safe(text, one_line=one_line)


class InertControls(LineFilter):
    """Removes control, bidi and separator characters from every drawn line (see the module text)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(is_safe(segment.text, one_line=True) for segment in segments if not segment.control):
            return segments
        return [
            segment if segment.control or is_safe(segment.text, one_line=True)
            else Segment(strip_unsafe(segment.text), segment.style, segment.control)
            for segment in segments
        ]


def install(app: object) -> None:
    """Add :class:`InertControls` to an app's line filters (call in its ``__init__``)."""
    filters = getattr(app, "_filters", None)
    if isinstance(filters, list) and not any(isinstance(f, InertControls) for f in filters):
        filters.append(InertControls())


class SafeInput(Input):
    """An :class:`Input` that shows control and bidi characters in its value as visible stand-ins
    (``␛``), one per character, instead of passing them to the terminal; the value itself is unchanged."""

    @property
    def _value(self) -> Text:
        if self.password or is_safe(self.value, one_line=True):
            return super()._value
        text = Text(control_pictures(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    def _position_to_cell(self, position: int) -> int:
        if is_safe(self.value, one_line=True):
            return super()._position_to_cell(position)
        return cell_len(control_pictures(self.value[:position]))

    def _cell_offset_to_index(self, offset: int) -> int:
        if is_safe(self.value, one_line=True):
            return super()._cell_offset_to_index(offset)
        pictured = control_pictures(self.value)  # one stand-in per character: the same indices
        cell_offset = 0
        offset += self.scroll_offset[0]
        for index, char in enumerate(pictured):
            width = cell_len(char)
            if cell_offset <= offset < cell_offset + width:
                return index
            cell_offset += width
        return max(0, min(offset, len(self.value)))
