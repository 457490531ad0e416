""""Controleer uw antwoorden": every answer, step by step, before saving (the check-answers page of
government forms). Choosing an answer (Enter or a click) posts :class:`AnswersOverview.Change` so the
screen can go back to that question.

Answers are shown as a person reads them: the labels of catalogue items, ``ja``/``nee``/``onbekend``, and
an open question marked as open, an optional one left empty as optional. Text from the file is shown,
never obeyed (:func:`~kwaliteitskader.tui.safety.shown`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, ListItem, ListView

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.assessment import UNKNOWN, FieldKind, get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.widgets.questions import QuestionSpec, is_open


def answer_text(spec: QuestionSpec, criteria: Criteria, value: Any, lang: str, *, optional: bool = False) -> Text:
    """One answer as the overview shows it; an open answer in yellow, said in words. An ``optional`` question
    (no rule reads it) left empty is said to be optional, not open."""
    if optional and is_open(spec, value) and value != UNKNOWN:
        return Text(t("tui.overview.optional", lang=lang), "dim")
    if is_open(spec, value):
        key = "tui.overview.unknown" if value == UNKNOWN else "tui.overview.open"
        return Text(t(key, lang=lang), "yellow")
    catalogue = criteria.catalogues.get(spec.catalogue or "", {})
    if spec.kind is FieldKind.MULTI:
        labels = [catalogue[item].label.get(lang) if item in catalogue else shown(item) for item in value]
        return Text("; ".join(labels) if labels else t("tui.overview.none", lang=lang))
    if spec.kind is FieldKind.TRI:
        return Text(t(f"tui.tri.{value}", lang=lang))
    if spec.kind is FieldKind.CHOICE:
        return Text(catalogue[value].label.get(lang) if value in catalogue else shown(str(value)))
    return Text(shown(str(value), one_line=False))


class AnswerItem(ListItem):
    """One question and its answer; choosing it asks to change the answer."""

    DEFAULT_CSS = """
    AnswerItem { padding: 0 1; }
    AnswerItem > Label { width: 1fr; }
    """

    def __init__(self, path: str, text: Text) -> None:
        super().__init__(Label(text, markup=False))
        self.path = path


class StepHeading(ListItem):
    """A step's name between its answers (skipped by the cursor)."""

    DEFAULT_CSS = """
    StepHeading { margin-top: 1; }
    StepHeading > Label { text-style: bold; color: $accent; width: 1fr; }
    """

    def __init__(self, text: Text) -> None:
        super().__init__(Label(text, markup=False), disabled=True)


class AnswersOverview(Vertical):
    """``AnswersOverview(criteria, lang)``, then ``.show(steps, specs, assessment, asked)``."""

    DEFAULT_CSS = """
    AnswersOverview { height: auto; }
    AnswersOverview > ListView { height: auto; background: transparent; }
    """

    class Change(Message):
        """The user wants to change the answer at ``path`` (a dotted answer path)."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, criteria: Criteria, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.criteria = criteria
        self.lang = lang
        self._shown: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield ListView(id="overview-answers")

    def show(self, steps: list[tuple[str, str]], specs: list[QuestionSpec], assessment: Any,
             asked: Callable[[QuestionSpec], bool],
             matters: Callable[[QuestionSpec], bool] = lambda spec: True) -> AwaitComplete:
        """Show every asked question's answer under its step; ``steps`` are (step id, "n. label") in order.
        A question that does not ``matter`` (no rule reads it) and is left empty reads as optional.
        Await the result to know the list is mounted."""
        lang = self.lang
        rows: list[tuple[str | None, Text]] = []  # (answer path, text); a step's heading has no path
        for step_id, title in steps:
            answers = [spec for spec in specs if spec.step == step_id and asked(spec)]
            if answers:
                rows.append((None, Text(title)))
            for spec in answers:
                text = Text(spec.label + ": ", "bold")
                value = get_path(assessment, spec.path)
                text.append_text(answer_text(spec, self.criteria, value, lang, optional=not matters(spec)))
                text.append("  " + t("tui.overview.change", lang=lang), "dim underline")
                rows.append((spec.path, text))
        key = [f"{path}={text.plain}" for path, text in rows]
        if key == self._shown:
            return AwaitComplete()
        self._shown = key
        items = [StepHeading(text) if path is None else AnswerItem(path, text) for path, text in rows]
        listing = self.query_one(ListView)
        cleared = listing.clear()
        added = listing.extend(items)
        listing.index = 1 if len(items) > 1 else None
        return AwaitComplete(cleared, added)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, AnswerItem):
            event.stop()
            self.post_message(self.Change(event.item.path))
