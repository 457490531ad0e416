"""Widgets that show a :class:`~kwaliteitskader.core.rules.engine.Verdict`: reusable by every screen.

- :class:`ClassBadge`: the class as a coloured badge (colour from the criteria's ``classes[*].colour``).
- :class:`VerdictSummary`: badge, provisional flag and the top reason, compact (the wizard's side panel).
- :class:`VerdictView`: the full result: badge, advice verb, provisional flag, the rule that decided, the
  rule trace as a table, "Wat is er nodig?" as a checklist and the missing answers, each of which posts
  :class:`VerdictView.JumpTo` when chosen so the screen can jump to its question.

Everything user- or criteria-written is shown through :class:`rich.text.Text` (never parsed as markup),
so text like ``[/oeps]`` or ``[bold`` is shown literally.

Usage::

    view = VerdictView(criteria, lang)
    ...
    view.show(evaluate(assessment, criteria))

    def on_verdict_view_jump_to(self, message: VerdictView.JumpTo) -> None:
        go_to_question(message.field)
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.color import Color, ColorParseError
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Label, ListItem, ListView, Static

from kwaliteitskader.core.i18n import t, tn
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Verdict, next_steps, steps_by_class
from kwaliteitskader.core.rules.explain import (
    actor_text,
    advice_text,
    class_list,
    distinct_options,
    field_label,
    looked_at,
    outcome_text,
    rule_sentence,
    summary_text,
    verdict_dict,
)
from kwaliteitskader.core.rules.target import target_group_rows
from kwaliteitskader.tui.keys import localize_bindings

RESULT_MARK = {"pass": "✔", "fail": "✘", "unknown": "?"}
RESULT_STYLE = {"pass": "green", "fail": "red", "unknown": "yellow"}


def class_style(criteria: Criteria, class_id: str) -> Style:
    """A badge style: the class colour as background, black or white text for contrast."""
    item = criteria.item("classes", class_id)
    colour = getattr(item, "colour", "default") or "default"
    try:
        parsed = Color.parse(colour)
    except ColorParseError:
        return Style(bold=True, reverse=True)
    if parsed.is_default:
        return Style(bold=True, reverse=True)
    r, g, b = parsed.get_truecolor()
    light = (0.299 * r + 0.587 * g + 0.114 * b) > 140
    # true colours, so the terminal theme cannot turn the badge into low-contrast text
    return Style(bold=True, bgcolor=Color.from_rgb(r, g, b), color="#000000" if light else "#ffffff")


def badge_text(criteria: Criteria, class_id: str, lang: str) -> Text:
    return Text(f" {criteria.label('classes', class_id, lang).upper()} ", style=class_style(criteria, class_id))


class ClassBadge(Static):
    """A class shown as a coloured badge; a range of classes as badges joined by "of"."""

    DEFAULT_CSS = """
    ClassBadge { width: auto; height: auto; }
    """

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.criteria = criteria
        self.lang = lang
        self.class_id: str | None = None
        self.class_ids: tuple[str, ...] = ()

    def show_class(self, class_id: str) -> None:
        self.show_classes((class_id,))

    def show_classes(self, class_ids: tuple[str, ...]) -> None:
        """One badge for a decided class; for a range, every class it can still become."""
        self.class_ids = tuple(class_ids)
        self.class_id = class_ids[0] if len(class_ids) == 1 else None
        text = Text()
        for n, class_id in enumerate(class_ids):
            if n:
                text.append(" " + t("verdict.or", lang=self.lang) + " ", "dim")
            text.append_text(badge_text(self.criteria, class_id, self.lang))
        self.update(text)


def _status_text(verdict: Verdict, criteria: Criteria, lang: str) -> Text:
    if verdict.provisional:
        return Text(summary_text(verdict, criteria, lang), style="bold yellow")
    return Text(t("tui.verdict.definite", lang=lang), style="dim")


def _advice_text(verdict: Verdict, criteria: Criteria, lang: str) -> Text:
    text = Text()
    text.append(t("tui.verdict.advice", lang=lang) + ": ", "bold")
    text.append(advice_text(verdict, criteria, lang), "yellow" if verdict.advice_provisional else "")
    return text


class VerdictSummary(Vertical):
    """Compact live verdict: the class (or the range it can still become), advice and the top reason."""

    DEFAULT_CSS = """
    VerdictSummary { height: auto; }
    VerdictSummary > Static { height: auto; }
    """

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.criteria = criteria
        self.lang = lang
        self.verdict: Verdict | None = None

    def compose(self) -> ComposeResult:
        yield ClassBadge(self.criteria, self.lang, id="summary-badge")
        yield Static("", id="summary-status", markup=False)
        yield Static("", id="summary-advice", markup=False)
        yield Static("", id="summary-reason", markup=False)

    def show(self, verdict: Verdict) -> None:
        self.verdict = verdict
        if not self.is_mounted:
            return
        lang, criteria = self.lang, self.criteria
        self.query_one("#summary-badge", ClassBadge).show_classes(verdict.possible_classes)
        self.query_one("#summary-status", Static).update(_status_text(verdict, criteria, lang))
        self.query_one("#summary-advice", Static).update(_advice_text(verdict, criteria, lang))
        reason = Text("" if verdict.provisional or len(verdict.possible_rules) > 1 else verdict.deciding_rule.label.get(lang))
        if verdict.missing_answers:
            reason.append(("\n" if reason else "") + tn("tui.verdict.open_count", len(verdict.missing_answers), lang=lang),
                          "yellow")
        self.query_one("#summary-reason", Static).update(reason)

    def on_mount(self) -> None:
        if self.verdict is not None:
            self.show(self.verdict)


class MissingItem(ListItem):
    """One missing answer; choosing it asks the screen to jump to its question. Its text wraps."""

    DEFAULT_CSS = "MissingItem > Label { width: 1fr; }"

    def __init__(self, field: str, text: Text) -> None:
        super().__init__(Label(text, markup=False))
        self.field = field


def wrapped(text: Text, width: int) -> Text:
    """``text`` broken into lines of at most ``width`` cells, between words (a word longer than the line
    is folded), every line indented as the first: a table cell that shows whole words, with a known height.
    The indentation gives way to the longest word, so a word that fits the line is never split."""
    indent = min(len(text.plain) - len(text.plain.lstrip(" ")), width // 2)
    longest = max((len(word) for word in text.plain.split()), default=0)
    if longest <= width:
        indent = min(indent, width - longest)
    lines = text[indent:].wrap(_MEASURE, width - indent, overflow="fold")
    return Text("\n").join(Text(" " * indent) + line for line in lines)


_MEASURE = Console(width=1000, color_system=None, legacy_windows=False)
"""A console used only to break text into lines (wrapping depends on cell widths, not on a terminal)."""

TRACE_SHARES = {"rule": 0.2, "condition": 0.34, "input": 0.18, "result": 0.12, "source": 0.16}
"""The trace table's columns and their share of its width."""
LONGEST_WORD = 30
"""A column grows to hold a word up to this long whole (a source key like ``petrosino-2013,``)."""


def _widest_word(cell: Text) -> int:
    """Cells a line needs to hold the cell's longest word (up to :data:`LONGEST_WORD`) whole, after the
    cell's indentation."""
    plain = cell.plain
    longest = min(LONGEST_WORD, max((len(word) for word in plain.split()), default=0))
    return len(plain) - len(plain.lstrip(" ")) + longest


def fit_columns(width: int, shares: list[float], rows: list[tuple[Text, ...]]) -> list[int]:
    """Column widths for ``width`` cells: each its share, widened to hold its longest word (up to
    :data:`LONGEST_WORD`), the widening taken from the columns that have room to spare, widest first."""
    gaps = 2 * len(shares)  # the table's cell padding
    widths = [max(8, int((width - gaps) * share)) for share in shares]
    needed = [max((_widest_word(row[n]) for row in rows), default=1) for n in range(len(shares))]
    for n, need in enumerate(needed):
        short = need - widths[n]
        if short <= 0:
            continue
        widths[n] = need
        for other in sorted(range(len(widths)), key=lambda i: widths[i] - needed[i], reverse=True):
            spare = min(short, widths[other] - max(8, needed[other]))
            if other != n and spare > 0:
                widths[other] -= spare
                short -= spare
    return widths


OUTCOMES_SHOWN = 6
"""Open questions for which the view works out what each answer leads to (each costs a small search)."""


class VerdictView(Vertical):
    """The full verdict. ``VerdictView(criteria, lang)``, then ``.show(verdict)`` (again on every change).

    The derivation is shown as one sentence per rule; ``t`` (or :meth:`toggle_table`) switches to the full
    table of every condition and back. The table is built when it is first shown for a verdict."""

    DEFAULT_CSS = """
    VerdictView { height: auto; }
    VerdictView > Static { height: auto; margin-bottom: 1; }
    VerdictView > .verdict-heading { text-style: bold; margin-bottom: 0; }
    VerdictView #verdict-head { height: auto; margin-bottom: 1; }
    VerdictView #verdict-trace { height: auto; margin-bottom: 1; display: none; }
    VerdictView.-table #verdict-trace { display: block; }
    VerdictView.-table #verdict-sentences { display: none; }
    VerdictView #verdict-missing { height: auto; max-height: 14; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("t", "toggle_table", "tui.key.trace_table")]

    class JumpTo(Message):
        """The user chose a missing answer: go to the question for ``field`` (a dotted answer path)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        localize_bindings(self)
        self.criteria = criteria
        self.lang = lang
        self.verdict: Verdict | None = None
        self._table_width = 0
        self._table_for: Verdict | None = None
        self._missing_shown: list[tuple[str, str]] | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield ClassBadge(self.criteria, lang, id="verdict-badge")
        yield Static("", id="verdict-head", markup=False)
        yield Static(t("tui.verdict.missing", lang=lang), classes="verdict-heading", markup=False)
        yield Static("", id="verdict-missing-none", markup=False)
        yield ListView(id="verdict-missing")
        yield Static(t("tui.verdict.needed", lang=lang), classes="verdict-heading", markup=False)
        yield Static("", id="verdict-needed", markup=False)
        yield Static(t("tui.verdict.trace", lang=lang), id="verdict-trace-heading", classes="verdict-heading",
                     markup=False)
        yield Button(Text(t("tui.verdict.show_table", lang=lang)), id="verdict-toggle", compact=True)
        yield Static("", id="verdict-sentences", markup=False)
        table: DataTable[Text] = DataTable(id="verdict-trace", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        if self.verdict is not None:
            self.show(self.verdict)

    def on_resize(self) -> None:
        if self.table_shown and self.verdict is not None and self._table_width != self._trace_width():
            self._fill_trace(self.verdict)

    def _trace_width(self) -> int:
        """The table's width; 0 until the view is laid out (the table is filled once its width is known)."""
        return max(60, self.content_size.width - 4) if self.content_size.width else 0

    @property
    def table_shown(self) -> bool:
        return self.has_class("-table")

    def action_toggle_table(self) -> None:
        self.toggle_table()

    def toggle_table(self) -> None:
        """Switch between the sentences and the full table of the derivation."""
        self.toggle_class("-table")
        self._update_trace_heading()
        if self.table_shown and self.verdict is not None and self._table_for is not self.verdict:
            self._fill_trace(self.verdict)

    def _update_trace_heading(self) -> None:
        key = "tui.verdict.trace_table" if self.table_shown else "tui.verdict.trace_sentences"
        self.query_one("#verdict-trace-heading", Static).update(Text(t(key, lang=self.lang)))
        label = "tui.verdict.show_sentences" if self.table_shown else "tui.verdict.show_table"
        self.query_one("#verdict-toggle", Button).label = Text(t(label, lang=self.lang))

    @on(Button.Pressed, "#verdict-toggle")
    def _toggle_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.toggle_table()

    # --- rendering ---------------------------------------------------------------------------------

    def show(self, verdict: Verdict, assessment: Any = None) -> AwaitComplete:
        """Show (or refresh with) a new verdict; with the assessment the target group is shown too.
        Await the result to know the list of missing answers is mounted too (the view is then complete)."""
        self.verdict = verdict
        if assessment is not None:
            self.assessment = assessment
        if not self.is_mounted or not self.query("#verdict-trace"):
            return AwaitComplete()
        self.query_one("#verdict-badge", ClassBadge).show_classes(verdict.possible_classes)
        self.query_one("#verdict-head", Static).update(self._head(verdict))
        self._update_trace_heading()
        self.query_one("#verdict-sentences", Static).update(self._sentences(verdict))
        self._table_for = None
        if self.table_shown:  # the table is filled when it is shown (it is the longest part to build)
            self._fill_trace(verdict)
        self.query_one("#verdict-needed", Static).update(self._needed(verdict))
        return self._fill_missing(verdict)

    def _head(self, verdict: Verdict) -> Text:
        lang, criteria = self.lang, self.criteria
        rule = verdict.deciding_rule
        text = _advice_text(verdict, criteria, lang)
        text.append("\n")
        text.append_text(_status_text(verdict, criteria, lang))
        if not verdict.provisional and len(verdict.possible_rules) > 1:  # the class is known, its rule not yet
            labels = {r.id: r.label.get(lang) for r in verdict.trace}
            text.append("\n" + t("tui.verdict.rule", lang=lang) + ": ", "bold")
            text.append(t("verdict.rule_open", lang=lang))
            for rule_id in verdict.possible_rules:
                text.append(f"\n  - {labels[rule_id]}")
        elif not verdict.provisional:
            text.append("\n" + t("tui.verdict.rule", lang=lang) + ": ", "bold")
            text.append(rule.label.get(lang))
            text.append("\n" + rule.explanation.get(lang))
            text.append(f"\n[{t('verdict.source', lang=lang)}: {cite.short(rule.source)}]", "dim")
            if rule.design_choice:
                decided = next((r for r in criteria.document.rules if r.id == rule.id), None)
                text.append("\n" + cite.design_text(decided, lang), "italic dim")
        if getattr(self, "assessment", None) is not None:  # the risk principle and responsivity
            text.append("\n" + t("verdict.target_group", lang=lang) + ": ", "bold")
            text.append("; ".join(f"{k}: {v}" for k, v in target_group_rows(self.assessment, criteria, lang)))
        for notice in verdict.notices:
            text.append(f"\n{t('verdict.notices', lang=lang)}: ", "bold")
            text.append(notice.label.get(lang) + ". " + notice.explanation.get(lang))
            if notice.value:
                text.append(f" {notice.value}")
            text.append(f" [{cite.short(notice.source)}]", "dim")
        if verdict.ignored:
            text.append("\n" + t("verdict.ignored", lang=lang) + ": ", "bold")
            text.append(", ".join(field_label(criteria, f, lang) for f in verdict.ignored))
        text.append("\n" + t("tui.verdict.criteria", lang=lang, version=verdict.criteria_version,
                             digest=verdict.criteria_digest[:19]), "dim")
        return text

    def _sentences(self, verdict: Verdict) -> Text:
        text = Text()
        for i, rule in enumerate(verdict.trace):
            if i:
                text.append("\n")
            style = "bold" if rule.decided and not verdict.provisional else ""
            text.append(rule_sentence(verdict, self.criteria, i, self.lang), style)
        return text

    def _fill_trace(self, verdict: Verdict) -> None:
        width = self._trace_width()
        if not width:
            return  # not laid out yet: on_resize fills it at its real width
        table = self.query_one("#verdict-trace", DataTable)
        table.clear(columns=True)
        self._table_for = verdict
        self._table_width = width
        rows = self._trace_rows(verdict)
        widths = fit_columns(width, list(TRACE_SHARES.values()), rows)
        for key, column_width in zip(TRACE_SHARES, widths, strict=True):
            table.add_column(t(f"tui.verdict.col_{key}", lang=self.lang), key=key, width=column_width)
        for cells in rows:
            # each cell broken between words to its column beforehand: the row's height is known, so the
            # table need not draw every cell to measure it, and no word is split
            lines = [wrapped(cell, column_width) for cell, column_width in zip(cells, widths, strict=True)]
            table.add_row(*lines, height=max(len(cell.plain.split("\n")) for cell in lines))

    def _trace_rows(self, verdict: Verdict) -> list[tuple[Text, ...]]:
        """The derivation as table cells: per rule a row, then a row per condition (indented by depth)."""
        lang, criteria = self.lang, self.criteria
        design = " " + t("tui.design_choice", lang=lang)
        rows: list[tuple[Text, ...]] = []
        decides = len(verdict.possible_rules) <= 1  # "→" only where one rule is known to decide
        for index, (rule, row) in enumerate(zip(
                verdict.trace, verdict_dict(verdict, criteria, lang, trace=True, answers=False)["trace"], strict=True)):
            style = "bold" if rule.decided else ""
            result = rule.result.value
            outcome = (Text(f"{RESULT_MARK[result]} {t('result.' + result, lang=lang)}", style=RESULT_STYLE[result])
                       if looked_at(verdict, index) else Text("· " + t("verdict.not_looked_at", lang=lang), style="dim"))
            rows.append((
                Text(("→ " if rule.decided and decides else "  ") + rule.id, style=style),
                Text(rule.label.get(lang), style=style),
                Text(""),
                outcome,
                Text(cite.short(rule.source) + (design if rule.design_choice else ""), style="dim"),
            ))
            for cond in row["conditions"]:
                result = cond["result"]
                rows.append((
                    Text(""),
                    Text("  " * (cond["depth"] + 1) + cond["label"]),
                    Text(cond["reading"]),
                    Text(f"{RESULT_MARK[result]} {t('result.' + result, lang=lang)}", style=RESULT_STYLE[result]),
                    Text(cond["source"] + (design if cond["design_choice"] else ""), style="dim"),
                ))
        return rows

    def _needed(self, verdict: Verdict) -> Text:
        lang, criteria = self.lang, self.criteria
        if verdict.next_class is None:
            return Text(t("verdict.top", lang=lang))
        found = next_steps(verdict, criteria)
        if not found:
            return Text(t("verdict.no_path_any", lang=lang))
        text = Text()
        for g, (class_id, options) in enumerate(steps_by_class(found).items()):
            if g:
                text.append("\n")
            text.append(t("verdict.next", lang=lang, klass=criteria.label("classes", class_id, lang)), "bold")
            for n, steps in enumerate(distinct_options(options, criteria, lang), 1):
                text.append("\n" + t("verdict.option", lang=lang, n=n) + ":", "bold")
                for step, change in steps:
                    text.append("\n  ☐ ")
                    text.append(step, "yellow" if change.answer else "")
                    text.append(f" ({actor_text(change, lang)})", "dim")
                    if change.answer and len(change.fields) == 1 and len(verdict.missing) <= OUTCOMES_SHOWN:
                        outcomes = outcome_text(verdict, criteria, change.fields[0], lang)
                        if outcomes:
                            text.append(f": {outcomes}", "dim")
        return text

    def _fill_missing(self, verdict: Verdict) -> AwaitComplete:
        lang, criteria = self.lang, self.criteria
        wanted = [(m.field, ",".join(m.could_lead_to)) for m in verdict.missing]
        if wanted == self._missing_shown:
            return AwaitComplete()  # unchanged: keep the list (and the user's place in it)
        self._missing_shown = wanted
        listing = self.query_one("#verdict-missing", ListView)
        cleared = listing.clear()
        items = []
        for n, missing in enumerate(verdict.missing):
            text = Text("→ ")
            text.append(field_label(criteria, missing.field, lang))
            leads = class_list(criteria, missing.could_lead_to, lang)
            key = "tui.verdict.advice_only" if missing.advice_only else "verdict.leads_to"
            text.append(f"  ({t(key, lang=lang, classes=leads)})", "dim")
            outcomes = outcome_text(verdict, criteria, missing.field, lang) if n < OUTCOMES_SHOWN else ""
            if outcomes:
                text.append(f"\n    {outcomes}", "dim")
            items.append(MissingItem(missing.field, text))
        none = self.query_one("#verdict-missing-none", Static)
        none.update(Text("" if items else t("tui.verdict.no_missing", lang=lang)))
        none.display = not items
        listing.display = bool(items)
        if not items:
            return AwaitComplete(cleared)
        added = listing.extend(items)
        listing.index = 0  # Enter jumps at once, without pressing Down first
        return AwaitComplete(cleared, added)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, MissingItem):
            event.stop()
            self.post_message(self.JumpTo(event.item.field))
