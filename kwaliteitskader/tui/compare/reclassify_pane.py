"""The view's re-classification tab: the verdicts that change under another criteria set, and why."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.reclassify import Reclassified, ReclassifyResult, change_texts, summary_lines
from kwaliteitskader.tui.widgets.verdict import RESULT_MARK

COLUMNS = ("intervention", "municipality", "class", "advice", "rule", "first")


class ReclassifyPane(Vertical):
    """Says what it is doing (:meth:`working`) and then shows one :class:`ReclassifyResult` (:meth:`show`)."""

    def __init__(self, criteria: Criteria, lang: str) -> None:
        super().__init__(id="reclassify")
        self.lang = lang
        self._head: Text | str = t("compare.tui.reclassify_hint", lang=lang)
        self._shown: tuple[ReclassifyResult, Criteria, Criteria] | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._head, id="re-head", markup=False)
        table: DataTable[Text] = DataTable(id="re-changes", cursor_type="row", zebra_stripes=True)
        for key in COLUMNS:
            table.add_column(t(f"compare.tui.re_col_{key}", lang=self.lang), key=key)
        yield table

    def on_mount(self) -> None:
        if self._shown is not None:
            self._fill(*self._shown)

    def working(self, folder: Path) -> None:
        self._head = t("compare.tui.reclassifying", lang=self.lang, folder=folder)
        if self.is_mounted:
            self.query_one("#re-head", Static).update(self._head)

    def show(self, result: ReclassifyResult, old: Criteria, new: Criteria) -> None:
        self._shown = (result, old, new)
        if self.is_mounted:
            self._fill(result, old, new)

    def _fill(self, result: ReclassifyResult, old: Criteria, new: Criteria) -> None:
        lang = self.lang
        first_line, *rest = summary_lines(result, old, new, lang)
        head = Text(first_line, "bold")
        head.append("".join(f"\n{line}" for line in rest))
        self._head = head
        self.query_one("#re-head", Static).update(head)
        table = self.query_one("#re-changes", DataTable)
        table.clear()
        for change in result.changes:
            table.add_row(*self._cells(change, old, new), key=change.file)

    def _cells(self, c: Reclassified, old: Criteria, new: Criteria) -> list[Text]:
        lang = self.lang
        first = "—"
        if c.first_rule is not None:
            marks = [RESULT_MARK[v.value] if v is not None else "∅" for v in (c.first_old, c.first_new)]
            first = f"{c.first_rule}: {marks[0]}→{marks[1]}"
        return [
            Text(c.intervention or Path(c.file).name),
            Text(c.municipality),
            *(Text(cell) for cell in change_texts(c, old, new, lang)),
            Text(first),
        ]
