"""The view's "side by side" tab: two marked assessments, the answers that differ and the rules that come out otherwise."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.cells import advice_text, class_text
from kwaliteitskader.core.portfolio.row import VerdictFields, verdict_fields
from kwaliteitskader.core.portfolio.side_by_side import Diff
from kwaliteitskader.core.rules.engine import Truth
from kwaliteitskader.tui.compare.rows_pane import clip
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.widgets.verdict import RESULT_MARK, RESULT_STYLE, class_style


class SideBySidePane(VerticalScroll):
    """Shows one :class:`Diff` (:meth:`show`), A on the left and B on the right."""

    def __init__(self, criteria: Criteria, lang: str) -> None:
        super().__init__(id="side")
        self.criteria = criteria
        self.lang = lang
        self._shown: tuple[Diff, str, str] | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(t("compare.tui.mark_two", lang=lang), id="side-head", markup=False)
        yield Static(t("compare.tui.side_answers", lang=lang), classes="heading", markup=False)
        yield DataTable(id="side-answers", cursor_type="row", zebra_stripes=True)
        yield Static(t("compare.tui.side_rules", lang=lang), classes="heading", markup=False)
        yield DataTable(id="side-rules", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        if self._shown is not None:
            self._fill(*self._shown)

    def show(self, diff: Diff, left_file: str, right_file: str) -> None:
        self._shown = (diff, left_file, right_file)
        if self.is_mounted:
            self._fill(diff, left_file, right_file)

    def _fill(self, diff: Diff, left_file: str, right_file: str) -> None:
        lang = self.lang
        head = Text()
        head.append_text(self._verdict_line("A", left_file, verdict_fields(diff.left)))
        head.append("\n")
        head.append_text(self._verdict_line("B", right_file, verdict_fields(diff.right)))
        head.append("\n" + t("compare.tui.side_summary", lang=lang, answers=len(diff.answers), rules=len(diff.rules)))
        self.query_one("#side-head", Static).update(head)
        # fixed column widths from the screen width, so that A and B are both in view (long texts wrap)
        width = max(60, self.screen.size.width - 8)
        question, side = int(width * 0.4), int(width * 0.3) - 2
        answers = self.query_one("#side-answers", DataTable)
        answers.clear(columns=True)
        for key, column_width in (("question", question), ("left", side), ("right", side)):
            answers.add_column(t(f"compare.tui.side_col_{key}", lang=lang), key=key, width=column_width)
        for a in diff.answers:
            answers.add_row(Text(shown(a.label)), Text(shown(clip(a.left, side * 3))),
                            Text(shown(clip(a.right, side * 3))), key=a.path, height=None)
        rules = self.query_one("#side-rules", DataTable)
        rules.clear(columns=True)
        rule_width, truth = int(width * 0.3), 16
        for key, column_width in (("rule", rule_width), ("left", truth), ("right", truth),
                                  ("conditions", width - rule_width - 2 * truth - 8)):
            rules.add_column(t(f"compare.tui.rule_col_{key}", lang=lang), key=key, width=column_width)
        for r in diff.rules:
            conditions = "; ".join(f"{label}: {RESULT_MARK[a.value]}→{RESULT_MARK[b.value]}" for label, a, b in r.conditions)
            rules.add_row(Text(r.label), self._truth(r.left, r.left_decided), self._truth(r.right, r.right_decided),
                          Text(conditions), key=r.rule, height=None)

    def _verdict_line(self, name: str, file: str, verdict: VerdictFields) -> Text:
        criteria, lang = self.criteria, self.lang
        line = Text(f"{name}: ", "bold")
        style = class_style(criteria, verdict.decided_class) if verdict.decided_class else "bold yellow"
        line.append(f" {class_text(verdict, criteria, lang)} ", style)
        line.append(f" {advice_text(verdict, criteria, lang)}  ")
        line.append(shown(file), "dim")
        return line

    def _truth(self, value: Truth, decided: bool) -> Text:
        text = Text(f"{RESULT_MARK[value.value]} {t('result.' + value.value, lang=self.lang)}", RESULT_STYLE[value.value])
        if decided:
            text.append(" ← " + t("compare.tui.decided", lang=self.lang), "bold")
        return text
