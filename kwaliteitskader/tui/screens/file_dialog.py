"""Choose a file to open or a name to save as: type a path, or browse the folders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Static

from kwaliteitskader.core.i18n import t
from kwaliteitskader.tui.keys import localize_bindings


class TomlTree(DirectoryTree):
    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".toml")]


class FileScreen(ModalScreen[Path | None]):
    """Dismisses with the chosen path, or None. ``check(path)`` returns an error message or None."""

    CSS_PATH = "file_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.key.cancel")]

    def __init__(self, title: str, initial: Path, folder: Path, check: Callable[[Path], str | None]) -> None:
        super().__init__()
        localize_bindings(self)
        self.file_title = title
        self.initial = initial
        self.folder = folder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="file-box"):
            yield Static(Text(self.file_title), id="file-title", markup=False)
            yield Static(Text(t("tui.file.path_label")), markup=False)
            path_input = Input(str(self.initial), id="file-path")
            path_input.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
            yield path_input
            yield Static("", id="file-error", markup=False)
            yield TomlTree(self.folder, id="file-tree")
            with Horizontal(id="file-buttons"):
                yield Button(Text(t("tui.file.ok")), id="file-ok", variant="primary")
                yield Button(Text(t("tui.key.cancel")), id="file-cancel")

    def on_mount(self) -> None:
        self.query_one("#file-path", Input).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#file-path", Input).value = str(event.path)
        self._try(event.path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try(Path(event.value.strip()).expanduser())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "file-ok":
            self._try(Path(self.query_one("#file-path", Input).value.strip()).expanduser())
        else:
            self.dismiss(None)

    def _try(self, path: Path) -> None:
        if not str(path).strip() or str(path) == ".":
            self.query_one("#file-error", Static).update(Text(t("tui.file.empty")))
            return
        error = self.check(path)
        if error:
            self.query_one("#file-error", Static).update(Text(error))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
