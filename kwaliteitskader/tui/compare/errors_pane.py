"""The view's errors tab: the files that could not be used, with line and reason."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria


class ErrorsPane(Vertical):
    """Lists the findings it is given (:meth:`show`); says so when there are none."""

    def __init__(self, criteria: Criteria, lang: str) -> None:
        super().__init__(id="errors-pane")
        self.lang = lang
        self._shown: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield Static(t("compare.tui.no_errors", lang=self.lang), id="errors-none", markup=False)
        table: DataTable[Text] = DataTable(id="errors", cursor_type="row", zebra_stripes=True)
        for key in ("file", "line", "reason"):
            table.add_column(t(f"compare.err.{key}", lang=self.lang), key=key)
        table.display = False
        yield table

    def on_mount(self) -> None:
        self._fill()

    def show(self, errors: Sequence[Finding]) -> None:
        self._shown = list(errors)
        if self.is_mounted:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#errors", DataTable)
        table.clear()
        for e in self._shown:
            table.add_row(Text(e.file), Text(str(e.line or "")), Text(f"[{e.key}] {e.message}" if e.key else e.message))
        table.display = bool(self._shown)
        self.query_one("#errors-none", Static).display = not self._shown
