"""Widgets of the comparison view: the class bar chart and the two small dialogs (export, re-classify)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import FORMATS
from kwaliteitskader.core.portfolio.summary import Portfolio
from kwaliteitskader.tui.widgets.verdict import class_style


class ClassBars(Widget):
    """A horizontal stacked bar per municipality: how many interventions in each class.

    Shows the spread, never an average: every class keeps its own coloured segment and count.
    """

    DEFAULT_CSS = """
    ClassBars { height: auto; min-height: 3; }
    """

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.criteria = criteria
        self.lang = lang
        self.portfolio: Portfolio | None = None

    def show(self, portfolio: Portfolio) -> None:
        self.portfolio = portfolio
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        rows = len(self.portfolio.municipalities) if self.portfolio else 0
        return rows + 2

    def render(self) -> Text:
        pf = self.portfolio
        text = Text(no_wrap=True, overflow="ellipsis")
        if pf is None or not pf.municipalities:
            text.append(t("compare.tui.no_rows", lang=self.lang), "dim")
            return text
        for c in pf.classes:
            text.append("  ")
            text.append(" ■ ", class_style(self.criteria, c))
            text.append(" " + self.criteria.label("classes", c, self.lang))
        if any(pf.open.values()):
            text.append("   ░ ", "reverse").append(" " + t("compare.portfolio.open", lang=self.lang))
        text.append("\n")
        name_width = min(24, max(len(m) for m in pf.municipalities))
        most = max(pf.total(m) for m in pf.municipalities) or 1
        bar_width = max(10, self.size.width - name_width - 40)  # room for the counts and "(n voorlopig)"
        for m in pf.municipalities:
            text.append("\n" + m[:name_width].ljust(name_width) + " ")
            used = 0
            for c in pf.classes:
                n = pf.counts[m][c]
                if not n:
                    continue
                cells = max(1, round(bar_width * n / most))
                label = str(n).center(cells) if cells >= len(str(n)) else "█" * cells
                text.append(label, class_style(self.criteria, c))
                used += cells
            if pf.open[m]:  # the open verdicts (no class yet): a bucket of their own, never a class's colour
                cells = max(1, round(bar_width * pf.open[m] / most))
                text.append(str(pf.open[m]).center(cells) if cells >= len(str(pf.open[m])) else "░" * cells, "reverse")
                used += cells
            text.append(" " * max(0, bar_width - used + 1))
            counts = " · ".join(str(pf.counts[m][c]) for c in pf.classes)
            text.append(f" {counts}", "dim")
            if pf.open[m]:
                text.append(" " + t("compare.tui.open_count", lang=self.lang, count=pf.open[m]), "yellow")
        return text


_Answer = TypeVar("_Answer")


class _FormDialog(ModalScreen[_Answer | None]):
    """A small form: Enter or the button ``OK`` submits (:meth:`_submit`); the other button or Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", t("compare.tui.cancel"))]
    OK: ClassVar[str]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK:
            self._submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def _submit(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportDialog(_FormDialog[tuple[str, Path, bool]]):
    """Choose a format and a file name; returns (format, path, overwrite) or None."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 70; height: auto; border: thick $accent; padding: 1 2; background: $surface; }
    ExportDialog Horizontal { height: auto; margin-top: 1; }
    ExportDialog Input, ExportDialog Select { width: 100%; }
    """
    OK = "export-ok"

    SUFFIX: ClassVar[dict[str, str]] = {
        "table": "txt",
        "csv": "csv",
        "json": "json",
        "md": "md",
        "html": "html",
        "xlsx": "xlsx",
        "sqlite": "sqlite",
    }

    def __init__(self, lang: str, default_name: str = "kwaliteitskader-overzicht") -> None:
        super().__init__()
        self.lang = lang
        self.default_name = default_name

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Label(t("compare.tui.export_title", lang=lang))
            yield Select(
                [(t(f"compare.tui.format_{f}", lang=lang), f) for f in FORMATS if f != "table"],
                value="html",
                allow_blank=False,
                id="export-format",
            )
            yield Input(value=f"{self.default_name}.html", id="export-path")
            yield Checkbox(t("compare.tui.overwrite", lang=lang), id="export-overwrite")
            with Horizontal():
                yield Button(t("compare.tui.export_do", lang=lang), variant="primary", id="export-ok")
                yield Button(t("compare.tui.cancel", lang=lang), id="export-cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        current = Path(path.value or self.default_name)
        if isinstance(event.value, str):
            path.value = str(current.with_suffix("." + self.SUFFIX[event.value]))

    def _submit(self) -> None:
        fmt = self.query_one("#export-format", Select).value
        path = self.query_one("#export-path", Input).value.strip()
        if not isinstance(fmt, str) or not path:
            self.notify(t("compare.tui.export_need_path", lang=self.lang), severity="warning")
            return
        self.dismiss((fmt, Path(path).expanduser(), self.query_one("#export-overwrite", Checkbox).value))


class FolderDialog(_FormDialog[Path]):
    """Ask for a criteria folder (a folder with ``kader.toml``)."""

    DEFAULT_CSS = """
    FolderDialog { align: center middle; }
    FolderDialog > Vertical { width: 80; height: auto; border: thick $accent; padding: 1 2; background: $surface; }
    FolderDialog Horizontal { height: auto; margin-top: 1; }
    """
    OK = "folder-ok"

    def __init__(self, lang: str, start: str = "") -> None:
        super().__init__()
        self.lang = lang
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(t("compare.tui.reclassify_title", lang=self.lang))
            yield Input(value=self.start, placeholder="criteria/2025.1", id="folder-path")
            with Horizontal():
                yield Button(t("compare.tui.reclassify_do", lang=self.lang), variant="primary", id="folder-ok")
                yield Button(t("compare.tui.cancel", lang=self.lang), id="folder-cancel")

    def _submit(self) -> None:
        value = self.query_one("#folder-path", Input).value.strip()
        folder = Path(value).expanduser() if value else None
        if folder is None or not (folder / "kader.toml").is_file():
            self.notify(t("compare.tui.not_criteria", lang=self.lang, folder=value), severity="error")
            return
        self.dismiss(folder)
