"""A small modal question with a few buttons (unsaved changes, file changed on disk, overwrite)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kwaliteitskader.tui.keys import localize_bindings


class ChoiceScreen(ModalScreen[str | None]):
    """Dismisses with the id of the chosen button, or None on escape (= cancel)."""

    CSS_PATH = "choice.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel"),
        # the buttons stand in a row: the arrow keys move between them as Tab does
        Binding("left,up", "app.focus_previous", show=False),
        Binding("right,down", "app.focus_next", show=False),
    ]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str, str]]) -> None:
        """``choices``: (id, label, variant) with variant one of default/primary/warning/error."""
        super().__init__()
        localize_bindings(self)
        self.choice_title = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Text(self.choice_title), id="choice-title", markup=False)
            yield Static(Text(self.message), id="choice-message", markup=False)
            with Horizontal(id="choice-buttons"):
                for choice_id, label, variant in self.choices:
                    yield Button(Text(label), id=f"choice-{choice_id}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)
