"""The start screen: new assessment, open a file, recent files, sample assessments, recovered work.

It is the first thing every officer sees, so it is kept cheap: the file lists are
option lists (one widget each, not one per file) and the samples' names are read with the fast TOML reader,
without the pydantic models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.toml import loads
from kwaliteitskader.tui.keys import BROWSER_KEYS, localize_bindings
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.session import Recovery
from kwaliteitskader.tui.widgets.footer import KeyFooter


class FileList(OptionList):
    """A list of files to open; ``template`` files (samples) open as a new, unsaved assessment."""

    def __init__(self, paths: list[Path], texts: list[Text], *, template: bool = False, id: str) -> None:
        super().__init__(*[Option(text) for text in texts], id=id)
        self.paths = paths
        self.template = template

    def on_mount(self) -> None:
        self.highlighted = 0


def sample_text(path: Path) -> Text:
    """A sample's intervention name and municipality (its file name if it cannot be read as TOML).

    Only for the list: opening the sample still goes through the full load, which reports any problem."""
    data: dict[str, object] | None
    try:
        from kwaliteitskader.core.io.safefiles import read_regular

        data = loads(read_regular(path, 1 << 20).decode("utf-8-sig"))  # never waits on a FIFO
    except (OSError, ValueError):  # TomlError and UnicodeDecodeError are ValueErrors
        data = None
    intervention = data.get("intervention") if data is not None else None
    if not isinstance(intervention, dict):
        return Text(shown(path.name))
    name, municipality = intervention.get("name"), intervention.get("municipality")
    text = Text(shown(name) if isinstance(name, str) and name else shown(path.stem))
    if isinstance(municipality, str) and municipality:
        text.append(f" — {shown(municipality)}", "dim")
    return text


def recent_text(path: Path) -> Text:
    """A recent file as its intervention and municipality, then the file name (dim): people know their
    assessments by name, not by path."""
    text = sample_text(path)
    if text.plain != path.name:
        text.append(f"  {shown(path.name)}", "dim italic")
    return text


class StartScreen(Screen[None]):
    CSS_PATH = "start.tcss"
    # the first of these in the screen (restore, when there is recovered work) gets the focus as the screen is
    # shown, rather than being moved there afterwards, which would redraw the footer once more
    AUTO_FOCUS = "#restore, #new"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "app.new_assessment", "tui.key.new"),
        # ctrl+n in a browser opens a window (priority: checked before any focused widget sees the key)
        Binding("alt+n", "app.new_assessment", "tui.key.new", show=False, priority=True),
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
            quit_key = BROWSER_KEYS["ctrl+q"] if self.app.is_web else "ctrl+q"  # the footer's key, in a browser too
            yield Static(Text(t("tui.start.criteria", lang=lang, version=self.criteria.version, quit=quit_key)),
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
                yield FileList(self.recent, [recent_text(p) for p in self.recent], id="recent")
            else:
                yield Static(Text(t("tui.start.no_recent", lang=lang)), classes="dim", markup=False)
            if self.samples:
                yield Static(Text(t("tui.start.samples", lang=lang)), classes="heading", markup=False)
                yield Static(Text(t("tui.start.samples_hint", lang=lang)), classes="dim", markup=False)
                yield FileList(self.samples, [sample_text(p) for p in self.samples], template=True, id="samples")
        yield KeyFooter()

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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        files = event.option_list
        if isinstance(files, FileList):
            self.post_message(self.OpenPath(files.paths[event.option_index], files.template))
