"""One widget per kind of question. Labels, help and choices come from the criteria data.

Each :class:`QuestionField` shows its label, its control and (for numbers) a Dutch validation message
next to the field, and posts :class:`QuestionField.Answered` with the new value. Unknown is explicit:
``onbekend`` for yes/no and choices, ``None`` for numbers and lists (a list can be *not yet filled in*,
which is different from *none of these*).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Checkbox, Input, OptionList, RadioButton, RadioSet, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import OptionDoesNotExist
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

    def label_text(self) -> Text:
        """The question, marked when it is a design choice of this program (F1 gives the reason)."""
        label = Text(self.spec.label)
        if self.spec.design_choice:
            label.append(" " + t("tui.design_choice", lang=self.lang), "italic dim")
        return label

    def compose(self) -> ComposeResult:
        yield Static(self.label_text(), classes="question-label", markup=False)
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


LONG_TEXTS = frozenset({
    "intervention.description", "target_group.selection", "evidence.refusal_reason", "evidence.practice_knowledge",
    "evidence.experiential_knowledge", "participation.notes",
})
"""Answers of a sentence or more: a field that wraps its text over several lines (a one-line field hides
most of what was written)."""


class LongTextQuestion(QuestionField):
    """Free text over several lines; Tab goes on to the next question (it does not insert a tab)."""

    DEFAULT_CSS = """
    LongTextQuestion TextArea { height: auto; min-height: 4; max-height: 10; width: 100%; max-width: 80; }
    """

    def compose_control(self) -> ComposeResult:
        control = TextArea(str(self.initial or ""), soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                           placeholder=t("tui.question.text_placeholder", lang=self.lang))
        control.cursor_blink = self.blink
        yield control

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.answer(event.text_area.text)

    def set_value(self, value: Any) -> None:
        control = self.query_one(TextArea)
        with control.prevent(TextArea.Changed):
            control.text = str(value or "")


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


CHOSEN, NOT_CHOSEN = "(•)", "( )"
TICKED, NOT_TICKED = "[x]", "[ ]"
"""Chosen and ticked are shown by a mark, not by colour alone (readable with NO_COLOR, on any theme, by a
screen magnifier); the keyboard highlight is a separate, underlined background."""


class MarkedRadioButton(RadioButton):
    """A radio button drawn as ``(•) ja`` when chosen and ``( ) ja`` when not."""

    @property
    def _button(self) -> Content:
        return Content.styled(CHOSEN if self.value else NOT_CHOSEN, self.get_visual_style("toggle--button"))


class MarkedCheckbox(Checkbox):
    """A checkbox drawn as ``[x]`` when ticked and ``[ ]`` when not, like the items of a list question."""

    @property
    def _button(self) -> Content:
        return Content.styled(TICKED if self.value else NOT_TICKED, self.get_visual_style("toggle--button"))


class MarkedSelectionList(SelectionList[str]):
    """A selection list whose items read ``[x] label`` / ``[ ] label`` (the same marks as the checkbox above
    it); the highlighted item keeps the list's cursor background."""

    DEFAULT_CSS = """
    MarkedSelectionList > .selection-list--button { color: $foreground-muted; background: transparent; }
    MarkedSelectionList > .selection-list--button-highlighted { color: $foreground-muted; background: transparent; }
    MarkedSelectionList > .selection-list--button-selected { color: $text-success; background: transparent;
        text-style: bold; }
    MarkedSelectionList > .selection-list--button-selected-highlighted { color: $text-success;
        background: transparent; text-style: bold; }
    """

    def _get_left_gutter_width(self) -> int:
        return len(TICKED) + 1

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        chosen = selection.value in self._selected
        component = "selection-list--button" + ("-selected" if chosen else "")
        component += "-highlighted" if self.highlighted == index else ""
        underlying = next(iter(line)).style or self.rich_style
        style = underlying + self.get_component_rich_style(component) + Style(meta={"option": index})
        return Strip([Segment(TICKED if chosen else NOT_TICKED, style), Segment(" ", underlying), *line])


class TriRadioSet(RadioSet):
    """Ja / nee / onbekend. The keyboard highlight starts at the current answer; the first letter of each
    answer (j, n, o; in English y, n, u) chooses it at once."""

    DEFAULT_CSS = """
    TriRadioSet.tri { width: auto; }
    TriRadioSet.tri > RadioButton { width: auto; margin-right: 3; }
    TriRadioSet.tri > RadioButton > .toggle--button { background: transparent; color: $foreground-muted; }
    TriRadioSet.tri > RadioButton.-on > .toggle--button { color: $text-success; text-style: bold; }
    TriRadioSet.tri > RadioButton.-on > .toggle--label { text-style: bold; }
    TriRadioSet.tri:blur > RadioButton.-selected > .toggle--label { background: transparent; }
    TriRadioSet.tri:focus > RadioButton.-selected > .toggle--label { text-style: bold underline; }
    """

    def __init__(self, *buttons: RadioButton, keys: dict[str, int]) -> None:
        super().__init__(*buttons, classes="tri")
        self.keys = keys
        for key, index in keys.items():
            self._bindings.bind(key, f"choose({index})", show=False)

    def on_focus(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index

    def action_choose(self, index: int) -> None:
        """Choose the answer at ``index`` (a one-key answer), and move the highlight there."""
        self._selected = index
        buttons = list(self.query(RadioButton))
        if not buttons[index].value:
            buttons[index].value = True


class TriQuestion(QuestionField):
    def labels(self) -> list[str]:
        return [t(f"tui.tri.{option.value}", lang=self.lang) for option in TRI_ORDER]

    def label_text(self) -> Text:
        label = super().label_text()
        keys = " / ".join(answer[0] for answer in self.labels())
        label.append("  " + t("tui.question.tri_keys", lang=self.lang, keys=keys), "dim not bold")
        return label

    def compose_control(self) -> ComposeResult:
        current = Tri(self.initial or Tri.ONBEKEND)
        labels = self.labels()
        with TriRadioSet(keys={label[0]: n for n, label in enumerate(labels)}):
            for option, label in zip(TRI_ORDER, labels, strict=True):
                yield MarkedRadioButton(Text(label), value=option is current)

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


PAIR_LISTS: dict[str, tuple[str, str]] = {"ingredient_domains": ("factors.active_ingredients", "active_ingredients")}
"""A list of (item, domain) pairs: its catalogue → the answer it refines and that answer's catalogue. Only the
pairs of items chosen there are asked, and only for items that can work in more than one domain (an item with
one possible domain counts there by itself)."""


def shown_choices(spec: QuestionSpec, criteria: Criteria, assessment: Any) -> list[str]:
    """The catalogue items a list question offers now: all of them, or for a pair list only the pairs of
    the items chosen in the answer it refines."""
    catalogue = criteria.catalogues.get(spec.catalogue or "", {})
    if spec.catalogue not in PAIR_LISTS:
        return list(catalogue)
    source, parent = PAIR_LISTS[spec.catalogue]
    chosen = set(get_path(assessment, source) or ())
    several = {item_id for item_id, item in criteria.catalogues.get(parent, {}).items() if len(item.domains) > 1}
    return [pair_id for pair_id, pair in catalogue.items() if pair.ingredient in chosen & several]


def asks_nothing(spec: QuestionSpec, criteria: Criteria, assessment: Any) -> bool:
    """A pair list with no pair to ask about (nothing chosen, or only one-domain items): not open, not shown."""
    return spec.catalogue in PAIR_LISTS and not shown_choices(spec, criteria, assessment)


class MultiQuestion(QuestionField):
    """A list: tick items, or leave it explicitly *not yet filled in* (None), distinct from an empty list."""

    DEFAULT_CSS = """
    MultiQuestion SelectionList { height: auto; max-height: 16; }
    MultiQuestion.-unknown SelectionList { opacity: 60%; }
    MultiQuestion MarkedCheckbox { border: none; padding: 0 1; background: transparent; }
    MultiQuestion MarkedCheckbox > .toggle--button { background: transparent; color: $foreground-muted; }
    MultiQuestion MarkedCheckbox.-on > .toggle--button { color: $text-success; text-style: bold; }
    """

    def __init__(self, spec: QuestionSpec, criteria: Criteria, lang: str, value: Any, assessment: Any = None) -> None:
        super().__init__(spec, criteria, lang, value)
        self.assessment = assessment
        self.choices = shown_choices(spec, criteria, assessment) if assessment is not None else \
            list(criteria.catalogues.get(spec.catalogue or "", {}))

    def _selections(self, chosen: set[str]) -> list[Selection[str]]:
        catalogue = self.criteria.catalogues.get(self.spec.catalogue or "", {})
        selections: list[Selection[str]] = []
        for item_id in self.choices:
            item = catalogue[item_id]
            label = Text(item.label.get(self.lang))
            domain = getattr(item, "domain", None)
            if domain and self.spec.catalogue not in PAIR_LISTS:  # a pair's label names its domain already
                label.append(f"  ({self.criteria.label('domains', domain, self.lang)})", "dim")
            if getattr(item, "dynamic", None) is False:
                label.append(" " + t("tui.question.static", lang=self.lang), "dim italic")
            selections.append(Selection(label, item_id, item_id in chosen))
        return selections

    def compose_control(self) -> ComposeResult:
        yield MarkedCheckbox(Text(t("tui.question.list_unknown", lang=self.lang)), value=self.initial is None,
                             classes="list-unknown", compact=True)
        yield MarkedSelectionList(*self._selections(set(self.initial or [])))
        self.set_class(self.initial is None, "-unknown")

    def current(self) -> list[str] | None:
        """The ticked items in catalogue order (so a saved file does not depend on the order of clicking).
        Ticked pairs that are not offered now (their item was unticked above) are kept: never lost silently."""
        if self.query_one(Checkbox).value:
            return None
        chosen = set(self.query_one(SelectionList).selected)
        kept = set(get_path(self.assessment, self.spec.path) or ()) - set(self.choices) if self.assessment else set()
        return [item for item in self.criteria.catalogues.get(self.spec.catalogue or "", {}) if item in chosen | kept]

    def offer(self, assessment: Any) -> None:
        """Offer the choices that fit ``assessment`` (a pair list follows the items chosen above it)."""
        self.assessment = assessment
        choices = shown_choices(self.spec, self.criteria, assessment)
        if choices == self.choices:
            return
        self.choices = choices
        listing: SelectionList[str] = self.query_one(SelectionList)
        with listing.prevent(SelectionList.SelectedChanged):
            listing.clear_options()
            listing.add_options(self._selections(set(get_path(assessment, self.spec.path) or ())))

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
            for item in set(value or []) & set(self.choices):
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
    if cls is MultiQuestion:
        return MultiQuestion(spec, criteria, lang, value, assessment)
    if cls is TextQuestion and spec.path in LONG_TEXTS:
        cls = LongTextQuestion
    return cls(spec, criteria, lang, value)
