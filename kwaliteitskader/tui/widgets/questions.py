"""One widget per kind of question. Labels, help and choices come from the criteria data.

Each :class:`QuestionField` shows its label, its control and (for numbers) a Dutch validation message
next to the field, and posts :class:`QuestionField.Answered` with the new value. Unknown is explicit:
``onbekend`` for yes/no and choices, ``None`` for numbers and lists (a list can be *not yet filled in*,
which is different from *none of these*).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.assessment import UNKNOWN, Assessment, FieldInfo, FieldKind, Tri, answer_fields, get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.safety import SafeInput


@dataclass(frozen=True)
class QuestionSpec:
    """Everything the wizard needs to ask one question."""

    path: str
    kind: FieldKind
    label: str
    help: str
    source: str
    """The short reference (``hic-2024, voetnoot 15; kader-2024``); ``citations`` expand it in the help."""
    design_choice: bool
    step: str
    catalogue: str | None = None
    citations: tuple[Any, ...] = ()
    design_reason: str = ""


def question_specs(criteria: Criteria, lang: str) -> list[QuestionSpec]:
    """All questions in step order: the criteria's questions, then one per harm signal (step schadesignalen)."""
    fields: dict[str, FieldInfo] = answer_fields()
    specs: list[QuestionSpec] = []
    for q in criteria.document.questions:
        info = fields.get(q.field)
        if info is None or info.kind is FieldKind.DATE:
            continue
        specs.append(
            QuestionSpec(q.field, info.kind, q.label.get(lang), q.help.get(lang), cite.short(q.source), q.design_choice,
                         q.step, info.catalogue, tuple(q.source), _reason(q, lang))
        )
    for signal in criteria.document.harm_signals:
        specs.append(
            QuestionSpec(
                f"harm_signals.{signal.id}", FieldKind.TRI, signal.question.get(lang),
                f"{signal.label.get(lang)}: {signal.explanation.get(lang)}", cite.short(signal.source),
                signal.design_choice, "schadesignalen", None, tuple(signal.source), _reason(signal, lang),
            )
        )
    order = [s.id for s in criteria.document.steps]
    specs.sort(key=lambda s: order.index(s.step) if s.step in order else len(order))
    return specs


def _reason(item: Any, lang: str) -> str:
    reason = getattr(item, "design_reason", None)
    return str(reason.get(lang)) if reason is not None and getattr(item, "design_choice", False) else ""


def is_open(spec: QuestionSpec, value: Any) -> bool:
    """Whether a question still waits for an answer (text fields count as open while empty)."""
    if spec.kind is FieldKind.TEXT:
        return not str(value or "").strip()
    return value is None or value == UNKNOWN


def number_bounds(path: str) -> tuple[float | None, float | None]:
    section, _, name = path.partition(".")
    model = Assessment.model_fields[section].annotation
    low = high = None
    for item in model.model_fields[name].metadata:  # type: ignore[union-attr]
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def widget_id(path: str) -> str:
    return "q-" + path.replace(".", "--")


class QuestionField(Vertical):
    """Base: label, control, error line. Subclasses build the control and convert values."""

    DEFAULT_CSS = """
    QuestionField { height: auto; margin-bottom: 1; }
    QuestionField > .question-label { text-style: bold; }
    QuestionField > .question-error { color: $error; height: auto; display: none; }
    QuestionField.-invalid > .question-error { display: block; }
    """

    class Answered(Message):
        def __init__(self, field: QuestionField, path: str, value: Any) -> None:
            super().__init__()
            self.field = field
            self.path = path
            self.value = value

    def __init__(self, spec: QuestionSpec, criteria: Criteria, lang: str, value: Any) -> None:
        super().__init__(id=widget_id(spec.path), classes="question")
        self.spec = spec
        self.criteria = criteria
        self.lang = lang
        self.initial = value

    def compose(self) -> ComposeResult:
        label = Text(self.spec.label)
        if self.spec.design_choice:
            label.append(" " + t("verdict.design_choice"), "italic dim")
        yield Static(label, classes="question-label", markup=False)
        yield from self.compose_control()
        yield Static("", classes="question-error", markup=False)

    def compose_control(self) -> ComposeResult:
        raise NotImplementedError

    @property
    def blink(self) -> bool:
        return bool(getattr(self.app, "cursor_blink", True))

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_control(self, scroll_visible: bool = True) -> None:
        for child in self.children:
            if child.can_focus:
                child.focus(scroll_visible=scroll_visible)
                return

    def show_error(self, message: str) -> None:
        error = self.query_one(".question-error", Static)
        error.update(Text(message))
        self.set_class(bool(message), "-invalid")

    def answer(self, value: Any) -> None:
        self.post_message(self.Answered(self, self.spec.path, value))


class TextQuestion(QuestionField):
    def compose_control(self) -> ComposeResult:
        control = SafeInput(str(self.initial or ""), placeholder=t("tui.question.text_placeholder", lang=self.lang),
                        select_on_focus=False)
        control.cursor_blink = self.blink
        yield control

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.answer(event.value)

    def set_value(self, value: Any) -> None:
        control = self.query_one(Input)
        with control.prevent(Input.Changed):
            control.value = str(value or "")


class NumberQuestion(QuestionField):
    """Whole or decimal numbers, empty for unknown; range and form checked with a Dutch message."""

    def compose_control(self) -> ComposeResult:
        control = SafeInput("" if self.initial is None else _number_text(self.initial),
                        placeholder=t("tui.question.number_placeholder", lang=self.lang), select_on_focus=False)
        control.cursor_blink = self.blink
        yield control

    def parse(self, raw: str) -> tuple[Any, str]:
        text = raw.strip().replace(",", ".") if self.spec.kind is FieldKind.FLOAT else raw.strip()
        if not text:
            return None, ""
        low, high = number_bounds(self.spec.path)
        try:
            value: float | int = int(text) if self.spec.kind is FieldKind.INT else float(text)
        except ValueError:
            key = "tui.question.not_int" if self.spec.kind is FieldKind.INT else "tui.question.not_number"
            return None, t(key, lang=self.lang, value=raw)
        if value != value or value in (float("inf"), float("-inf")):
            return None, t("tui.question.not_number", lang=self.lang, value=raw)
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                return None, t("tui.question.too_low", lang=self.lang, low=_number_text(low))
            return None, t("tui.question.out_of_range", lang=self.lang, low=_number_text(low),
                           high=_number_text(high))
        return value, ""

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        value, error = self.parse(event.value)
        self.show_error(error)
        self.answer(value)

    def set_value(self, value: Any) -> None:
        control = self.query_one(Input)
        with control.prevent(Input.Changed):
            control.value = "" if value is None else _number_text(value)
        self.show_error("")


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


TRI_ORDER = (Tri.JA, Tri.NEE, Tri.ONBEKEND)


class MarkedRadioButton(RadioButton):
    """A radio button whose dot is only drawn when chosen: readable without colour (NO_COLOR, light themes)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "\u25cf" if self.value else " "


class MarkedCheckbox(Checkbox):
    """A checkbox that shows its X only when ticked."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "


class TriRadioSet(RadioSet):
    """A RadioSet whose keyboard highlight starts at the current answer (not at nothing)."""

    def on_focus(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index


class TriQuestion(QuestionField):
    def compose_control(self) -> ComposeResult:
        current = Tri(self.initial or Tri.ONBEKEND)
        with TriRadioSet():
            for option in TRI_ORDER:
                yield MarkedRadioButton(Text(t(f"tui.tri.{option.value}", lang=self.lang)), value=option is current)

    @on(RadioSet.Changed)
    def _changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.answer(TRI_ORDER[event.index].value)

    def set_value(self, value: Any) -> None:
        radio = self.query_one(RadioSet)
        index = TRI_ORDER.index(Tri(value or Tri.ONBEKEND))
        buttons = list(radio.query(RadioButton))
        with radio.prevent(RadioSet.Changed, RadioButton.Changed):
            for n, button in enumerate(buttons):
                button.value = n == index
        radio._pressed_button = buttons[index]  # RadioSet's own bookkeeping, normally kept by the messages
        radio._selected = index

    def focus_control(self, scroll_visible: bool = True) -> None:
        self.query_one(RadioSet).focus(scroll_visible=scroll_visible)


class ChoiceQuestion(QuestionField):
    def options(self) -> list[tuple[Text, str]]:
        catalogue = self.criteria.catalogues.get(self.spec.catalogue or "", {})
        options = [(Text(item.label.get(self.lang)), item_id) for item_id, item in catalogue.items()]
        if UNKNOWN not in catalogue:
            options.append((Text(t("tui.unknown", lang=self.lang)), UNKNOWN))
        return options

    def compose_control(self) -> ComposeResult:
        yield Select(self.options(), value=self.initial or UNKNOWN, allow_blank=False)

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self.answer(event.value)

    def set_value(self, value: Any) -> None:
        control = self.query_one(Select)
        with control.prevent(Select.Changed):
            control.value = value or UNKNOWN


class MultiQuestion(QuestionField):
    """A list: tick items, or leave it explicitly *not yet filled in* (None), distinct from an empty list."""

    DEFAULT_CSS = """
    MultiQuestion SelectionList { height: auto; max-height: 16; }
    MultiQuestion.-unknown SelectionList { opacity: 60%; }
    """

    def compose_control(self) -> ComposeResult:
        chosen = set(self.initial or [])
        catalogue = self.criteria.catalogues.get(self.spec.catalogue or "", {})
        yield MarkedCheckbox(Text(t("tui.question.list_unknown", lang=self.lang)), value=self.initial is None,
                             classes="list-unknown")
        selections: list[Selection[str]] = []
        for item_id, item in catalogue.items():
            label = Text(item.label.get(self.lang))
            domain = getattr(item, "domain", None)
            if domain:
                label.append(f"  ({self.criteria.label('domains', domain, self.lang)})", "dim")
            if getattr(item, "dynamic", None) is False:
                label.append(" " + t("tui.question.static", lang=self.lang), "dim italic")
            selections.append(Selection(label, item_id, item_id in chosen))
        yield SelectionList[str](*selections)
        self.set_class(self.initial is None, "-unknown")

    def current(self) -> list[str] | None:
        """The ticked items in catalogue order (so a saved file does not depend on the order of clicking)."""
        if self.query_one(Checkbox).value:
            return None
        chosen = set(self.query_one(SelectionList).selected)
        return [item for item in self.criteria.catalogues.get(self.spec.catalogue or "", {}) if item in chosen]

    @on(Checkbox.Changed)
    def _unknown_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        listing: SelectionList[str] = self.query_one(SelectionList)
        if event.value:
            with listing.prevent(SelectionList.SelectedChanged):
                listing.deselect_all()
        self.set_class(event.value, "-unknown")
        self.answer(self.current())

    @on(SelectionList.SelectedChanged)
    def _selected(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        box = self.query_one(Checkbox)
        if box.value and event.selection_list.selected:
            with box.prevent(Checkbox.Changed):
                box.value = False
            self.set_class(False, "-unknown")
        self.answer(self.current())

    def set_value(self, value: Any) -> None:
        box = self.query_one(Checkbox)
        listing: SelectionList[str] = self.query_one(SelectionList)
        with box.prevent(Checkbox.Changed), listing.prevent(SelectionList.SelectedChanged):
            box.value = value is None
            listing.deselect_all()
            for item in value or []:
                listing.select(item)
        self.set_class(value is None, "-unknown")

    def focus_control(self, scroll_visible: bool = True) -> None:
        self.query_one(SelectionList).focus(scroll_visible=scroll_visible)


def make_question(spec: QuestionSpec, criteria: Criteria, lang: str, assessment: Assessment) -> QuestionField:
    value = get_path(assessment, spec.path)
    cls: type[QuestionField] = {
        FieldKind.TEXT: TextQuestion,
        FieldKind.INT: NumberQuestion,
        FieldKind.FLOAT: NumberQuestion,
        FieldKind.TRI: TriQuestion,
        FieldKind.CHOICE: ChoiceQuestion,
        FieldKind.MULTI: MultiQuestion,
    }[spec.kind]
    return cls(spec, criteria, lang, value)
