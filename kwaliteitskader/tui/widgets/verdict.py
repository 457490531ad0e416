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

from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Label, ListItem, ListView, Static

from kwaliteitskader.core.i18n import t, tn
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Verdict
from kwaliteitskader.core.rules.explain import change_text, field_label

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
    """A class shown as a coloured badge."""

    DEFAULT_CSS = """
    ClassBadge { width: auto; height: 1; }
    """

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.criteria = criteria
        self.lang = lang
        self.class_id: str | None = None

    def show_class(self, class_id: str) -> None:
        self.class_id = class_id
        self.update(badge_text(self.criteria, class_id, self.lang))


def _status_text(verdict: Verdict, lang: str) -> Text:
    if verdict.provisional:
        return Text(t("tui.verdict.provisional", lang=lang), style="bold yellow")
    return Text(t("tui.verdict.definite", lang=lang), style="dim")


class VerdictSummary(Vertical):
    """Compact live verdict: badge, provisional or not, advice and the top reason."""

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
        lang = self.lang
        self.query_one("#summary-badge", ClassBadge).show_class(verdict.class_)
        self.query_one("#summary-status", Static).update(_status_text(verdict, lang))
        advice = Text.assemble(
            (t("tui.verdict.advice", lang=lang) + ": ", "bold"), self.criteria.label("advice", verdict.advice, lang)
        )
        self.query_one("#summary-advice", Static).update(advice)
        reason = Text(verdict.deciding_rule.label.get(lang))
        if verdict.missing_answers:
            reason.append("\n" + tn("tui.verdict.open_count", len(verdict.missing_answers), lang=lang), "yellow")
        self.query_one("#summary-reason", Static).update(reason)

    def on_mount(self) -> None:
        if self.verdict is not None:
            self.show(self.verdict)


class MissingItem(ListItem):
    """One missing answer; choosing it asks the screen to jump to its question."""

    def __init__(self, field: str, text: Text) -> None:
        super().__init__(Label(text, markup=False))
        self.field = field


class VerdictView(Vertical):
    """The full verdict. ``VerdictView(criteria, lang)``, then ``.show(verdict)`` (again on every change)."""

    DEFAULT_CSS = """
    VerdictView { height: auto; }
    VerdictView > Static { height: auto; margin-bottom: 1; }
    VerdictView > .verdict-heading { text-style: bold; margin-bottom: 0; }
    VerdictView #verdict-head { height: auto; margin-bottom: 1; }
    VerdictView #verdict-trace { height: auto; margin-bottom: 1; }
    VerdictView #verdict-missing { height: auto; max-height: 14; margin-bottom: 1; }
    """

    class JumpTo(Message):
        """The user chose a missing answer: go to the question for ``field`` (a dotted answer path)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.criteria = criteria
        self.lang = lang
        self.verdict: Verdict | None = None
        self._table_width = 0
        self._missing_shown: list[tuple[str, str]] | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield ClassBadge(self.criteria, lang, id="verdict-badge")
        yield Static("", id="verdict-head", markup=False)
        yield Static(t("tui.verdict.needed", lang=lang), classes="verdict-heading", markup=False)
        yield Static("", id="verdict-needed", markup=False)
        yield Static(t("tui.verdict.missing", lang=lang), classes="verdict-heading", markup=False)
        yield Static("", id="verdict-missing-none", markup=False)
        yield ListView(id="verdict-missing")
        yield Static(t("tui.verdict.trace", lang=lang), classes="verdict-heading", markup=False)
        table: DataTable[Text] = DataTable(id="verdict-trace", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        if self.verdict is not None:
            self.show(self.verdict)

    def on_resize(self) -> None:
        if self.verdict is not None and self._table_width != self._trace_width():
            self._fill_trace(self.verdict)

    def _trace_width(self) -> int:
        return max(60, self.content_size.width - 4)

    # --- rendering ---------------------------------------------------------------------------------

    def show(self, verdict: Verdict) -> None:
        """Show (or refresh with) a new verdict."""
        self.verdict = verdict
        if not self.is_mounted or not self.query("#verdict-trace"):
            return
        self.query_one("#verdict-badge", ClassBadge).show_class(verdict.class_)
        self.query_one("#verdict-head", Static).update(self._head(verdict))
        self._fill_trace(verdict)
        self.query_one("#verdict-needed", Static).update(self._needed(verdict))
        self._fill_missing(verdict)

    def _head(self, verdict: Verdict) -> Text:
        lang, criteria = self.lang, self.criteria
        rule = verdict.deciding_rule
        text = Text()
        text.append(t("tui.verdict.advice", lang=lang) + ": ", "bold")
        text.append(criteria.label("advice", verdict.advice, lang), "bold")
        text.append("\n")
        text.append_text(_status_text(verdict, lang))
        text.append("\n" + t("tui.verdict.rule", lang=lang) + ": ", "bold")
        text.append(rule.label.get(lang))
        text.append("\n" + rule.explanation.get(lang))
        text.append(f"\n[{rule.source}]", "dim")
        if rule.design_choice:
            text.append(" " + t("verdict.design_choice"), "italic dim")
        text.append("\n" + t("tui.verdict.criteria", lang=lang, version=verdict.criteria_version,
                             digest=verdict.criteria_digest[:19]), "dim")
        return text

    def _fill_trace(self, verdict: Verdict) -> None:
        lang = self.lang
        table = self.query_one("#verdict-trace", DataTable)
        table.clear(columns=True)
        width = self._table_width = self._trace_width()
        shares = {"rule": 0.2, "condition": 0.34, "input": 0.18, "result": 0.12, "source": 0.16}
        for key, share in shares.items():
            # fixed widths make long labels wrap inside their cell instead of running off the screen
            table.add_column(t(f"tui.verdict.col_{key}", lang=lang), key=key, width=max(8, int(width * share) - 2))
        for rule in verdict.trace:
            marker = "→ " if rule.decided else "  "
            style = "bold" if rule.decided else ""
            result = rule.result.value
            table.add_row(
                Text(marker + rule.id, style=style),
                Text(rule.label.get(lang), style=style),
                Text(""),
                Text(f"{RESULT_MARK[result]} {t('result.' + result, lang=lang)}", style=RESULT_STYLE[result]),
                Text(rule.source + (" " + t("verdict.design_choice") if rule.design_choice else ""), style="dim"),
                height=None,
            )
            for cond in rule.conditions:
                result = cond.result.value
                value = f"{cond.input} {cond.expected}".strip()
                table.add_row(
                    Text(""),
                    Text("  " * (cond.depth + 1) + cond.label.get(lang)),
                    Text(value),
                    Text(f"{RESULT_MARK[result]} {t('result.' + result, lang=lang)}", style=RESULT_STYLE[result]),
                    Text(cond.source + (" " + t("verdict.design_choice") if cond.design_choice else ""), style="dim"),
                    height=None,
                )

    def _needed(self, verdict: Verdict) -> Text:
        lang, criteria = self.lang, self.criteria
        if verdict.next_class is None:
            return Text(t("verdict.top", lang=lang))
        text = Text()
        text.append(t("verdict.next", lang=lang, klass=criteria.label("classes", verdict.next_class, lang)), "bold")
        if not verdict.next_steps:
            text.append("\n  " + t("verdict.no_path", lang=lang))
        for n, step in enumerate(verdict.next_steps, 1):
            text.append("\n" + t("verdict.option", lang=lang, n=n) + ":", "bold")
            for change in step.changes:
                kind = t(f"verdict.kind_{change.kind}", lang=lang)
                text.append("\n  ☐ ")
                text.append(change_text(change, criteria, lang))
                text.append(f" ({kind})", "dim")
        return text

    def _fill_missing(self, verdict: Verdict) -> None:
        lang, criteria = self.lang, self.criteria
        wanted = [(class_id, field) for class_id, fields in verdict.missing.items() for field in fields]
        if wanted == self._missing_shown:
            return  # unchanged: keep the list (and the user's place in it)
        self._missing_shown = wanted
        listing = self.query_one("#verdict-missing", ListView)
        listing.clear()
        items = []
        for class_id, fields in verdict.missing.items():
            klass = criteria.label("classes", class_id, lang)
            for field in fields:
                text = Text("→ ")
                text.append(field_label(criteria, field, lang))
                text.append(f"  ({klass})", "dim")
                items.append(MissingItem(field, text))
        none = self.query_one("#verdict-missing-none", Static)
        none.update(Text("" if items else t("tui.verdict.no_missing", lang=lang)))
        none.display = not items
        listing.display = bool(items)
        if items:
            listing.extend(items)
            listing.index = 0  # Enter jumps at once, without pressing Down first

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, MissingItem):
            event.stop()
            self.post_message(self.JumpTo(event.item.field))
