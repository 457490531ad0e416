"""The start screen: new assessment, open a file, recent files, sample assessments, recovered work."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, ListItem, ListView, Static

from ...core.criteria import Criteria
from ...core.findings import FindingsError
from ...core.i18n import t
from ...core.storage import load_assessment
from ..keys import localize_bindings
from ..session import Recovery


class FileItem(ListItem):
    def __init__(self, path: Path, text: Text, *, template: bool = False) -> None:
        super().__init__(Label(text, markup=False))
        self.path = path
        self.template = template


def sample_text(path: Path) -> Text:
    """A sample's intervention name and municipality (its file name if it cannot be read)."""
    try:
        intervention = load_assessment(path).assessment.intervention
    except FindingsError:
        return Text(path.name)
    text = Text(intervention.name or path.stem)
    if intervention.municipality:
        text.append(f" — {intervention.municipality}", "dim")
    return text


class StartScreen(Screen[None]):
    CSS_PATH = "start.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "app.new_assessment", "tui.key.new"),
        Binding("ctrl+o", "app.open_file", "tui.key.open"),
    ]

    class OpenPath(Message):
        """Open a file; a ``template`` (a sample) opens as a new, unsaved assessment."""

        def __init__(self, path: Path, template: bool = False) -> None:
            super().__init__()
            self.path = path
            self.template = template

    def __init__(self, criteria: Criteria, lang: str, recent: list[Path], samples: list[Path],
                 recovery: Recovery | None) -> None:
        super().__init__()
        localize_bindings(self)
        self.criteria = criteria
        self.lang = lang
        self.recent = recent
        self.samples = samples
        self.recovery = recovery

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="start"):
            yield Static(Text(t("tui.app.title", lang=lang)), id="start-title", markup=False)
            yield Static(Text(self.criteria.header.title.get(lang)), id="start-criteria", markup=False)
            yield Static(Text(t("tui.start.criteria", lang=lang, version=self.criteria.version)),
                         classes="dim", markup=False)
            if self.recovery is not None:
                with Vertical(id="start-recovery"):
                    name = self.recovery.assessment.intervention.name or t("tui.app.untitled", lang=lang)
                    yield Static(Text(t("tui.start.recovery", lang=lang, name=name, when=self.recovery.written_at)),
                                 markup=False)
                    with Horizontal(classes="buttons"):
                        yield Button(Text(t("tui.start.restore", lang=lang)), id="restore", variant="warning")
                        yield Button(Text(t("tui.start.discard_recovery", lang=lang)), id="discard-recovery")
            with Horizontal(classes="buttons"):
                yield Button(Text(t("tui.start.new", lang=lang)), id="new", variant="primary")
                yield Button(Text(t("tui.start.open", lang=lang)), id="open")
            yield Static(Text(t("tui.start.recent", lang=lang)), classes="heading", markup=False)
            if self.recent:
                yield ListView(*[FileItem(p, Text(str(p))) for p in self.recent], id="recent")
            else:
                yield Static(Text(t("tui.start.no_recent", lang=lang)), classes="dim", markup=False)
            if self.samples:
                yield Static(Text(t("tui.start.samples", lang=lang)), classes="heading", markup=False)
                yield Static(Text(t("tui.start.samples_hint", lang=lang)), classes="dim", markup=False)
                yield ListView(*[FileItem(p, sample_text(p), template=True) for p in self.samples], id="samples")
        yield Footer()

    def on_mount(self) -> None:
        first = "#restore" if self.recovery is not None else "#new"
        self.query_one(first, Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        app: Any = self.app
        if button == "new":
            app.action_new_assessment()
        elif button == "open":
            app.action_open_file()
        elif button == "restore":
            app.action_restore_recovery()
        elif button == "discard-recovery":
            app.action_discard_recovery()
            self.query_one("#start-recovery").remove()
            self.query_one("#new", Button).focus()

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, FileItem):
            self.post_message(self.OpenPath(event.item.path, event.item.template))
