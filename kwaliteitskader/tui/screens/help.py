"""F1 help: the focused question's label, help text and source (or the step's explanation and the keys)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kwaliteitskader.core.i18n import t
from kwaliteitskader.tui.keys import localize_bindings


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss_help", "tui.key.close")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        localize_bindings(self)
        self.help_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text(self.help_title), id="help-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(self.body, markup=False)
            yield Button(Text(t("tui.key.close")), id="help-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#help-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
