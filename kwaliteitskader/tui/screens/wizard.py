"""The wizard: steps from the criteria data in a sidebar, one page per step, a live verdict beside it.

The screen only shows and collects answers; the app owns the assessment (``app.set_answer``), saving
and autosave. After every change the app calls :meth:`WizardScreen.refresh_state`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Label, ListItem, ListView, Static

from kwaliteitskader.core.i18n import t, tn
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.assessment import Assessment, get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import DERIVED, Verdict, answers_read, evaluate
from kwaliteitskader.core.rules.explain import used_references
from kwaliteitskader.tui.keys import localize_bindings
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.screens import wizard_help
from kwaliteitskader.tui.session import dated
from kwaliteitskader.tui.widgets.footer import KeyFooter
from kwaliteitskader.tui.widgets.overview import AnswersOverview
from kwaliteitskader.tui.widgets.questions import (
    PAIR_LISTS,
    MultiQuestion,
    QuestionField,
    QuestionSpec,
    asks_nothing,
    is_open,
    make_question,
    question_specs,
    widget_id,
)
from kwaliteitskader.tui.widgets.verdict import VerdictSummary, VerdictView, badge_text

if TYPE_CHECKING:
    pass

DOMAINS_STEP = "domeinen"
RESULT_STEP = "resultaat"
CHECK_STEP = "controleren"
"""The last page, after the criteria's steps: "Controleer uw antwoorden", every answer before saving."""
NARROW = 130
"""Below this width the live panel folds into the sidebar, so that the step page has room for whole labels
(a list cannot wrap them) — at 120 columns too."""


class TitleBar(Widget):
    """One line at the top: assessment name, file, unsaved marker. Repaints without a layout pass."""

    DEFAULT_CSS = "TitleBar { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text()

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text


class StepItem(ListItem):
    def __init__(self, step_id: str, number: int) -> None:
        super().__init__(Label("", markup=False), id=f"nav-{step_id}")
        self.step_id = step_id
        self.number = number


class WizardScreen(Screen[None]):
    CSS_PATH = "wizard.tcss"
    # in footer order: what a new user needs most first (on a narrow screen the last ones are left out)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "tui.key.help"),
        Binding("ctrl+n", "next_step", "tui.key.next"),
        # ctrl+n in a browser opens a window; priority, or a text field would take alt+n as an "n"
        Binding("alt+n", "next_step", "tui.key.next", show=False, priority=True),
        Binding("ctrl+b", "previous_step", "tui.key.previous"),
        Binding("ctrl+r", "show_result", "tui.key.result"),
        Binding("ctrl+s", "app.save", "tui.key.save"),
        Binding("f2", "app.save_as", "tui.key.save_as"),
        Binding("f3", "app.export_report", "tui.key.report", show=False),
        Binding("ctrl+o", "app.open_file", "tui.key.open"),
        Binding("ctrl+l", "focus_steps", "tui.key.steps"),
        Binding("alt+w", "delete_word", "tui.key.delete_word", show=False, priority=True),  # ctrl+w closes a tab
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        # the result page has the focus (so PageDown scrolls it), not the verdict inside it: t works from here too
        Binding("t", "toggle_table", show=False),
    ]
    NARROW_HIDDEN = ("focus_steps", "app.open_file", "app.save_as")
    """Left out of the footer, first to last, when the screen is too narrow for every key (still bound; F1 lists every key)."""

    def __init__(self, criteria: Criteria, lang: str, assessment: Assessment,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.today = today
        localize_bindings(self)
        self.criteria = criteria
        self.lang = lang
        self.assessment = assessment
        self.specs: list[QuestionSpec] = question_specs(criteria, lang)
        self.steps = [s.id for s in criteria.document.steps] + [CHECK_STEP]
        self.current = self.steps[0]
        self.live: Verdict = evaluate(dated(assessment, today()), criteria, conditions=False)
        """The verdict the live panel, the step marks and the counts show, worked out at every change of an
        answer a rule reads: without the condition rows, which only the result page shows (:attr:`verdict`)."""
        self._verdict: Verdict | None = None
        self._result_stale = True
        self._hidden: set[str] = set(self.live.not_applicable)
        self._built: set[str] = set()
        self._back_to_check = False
        self._shown: dict[str, object] = {}
        self._read_fields = answers_read(criteria)
        """The answers that can change the verdict; only these are recomputed on and counted as open."""

    # --- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield TitleBar(id="titlebar")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Static(Text(t("tui.wizard.steps", lang=lang)), classes="panel-title", markup=False)
                yield ListView(*[StepItem(s, n) for n, s in enumerate(self.steps, 1)], id="steps")
                yield Static("", id="open-total", markup=False)
                yield Static("", id="narrow-verdict", markup=False)  # shown when the live panel is folded away
            yield ContentSwitcher(id="pages")  # pages are built when first shown
            with Vertical(id="live"):
                yield Static(Text(t("tui.wizard.live", lang=lang)), classes="panel-title", markup=False)
                yield VerdictSummary(self.criteria, lang, id="summary")
                yield Static(Text(t("tui.wizard.live_hint", lang=lang)), classes="hint", markup=False)
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.refresh_state(self.assessment)
        await self.show_step(self.current)

    def step_label(self, step_id: str) -> str:
        if step_id == CHECK_STEP:
            return t("tui.overview.title", lang=self.lang)
        return str(self.criteria.item("steps", step_id).label.get(self.lang))

    def _heading(self, step_id: str) -> list[Widget]:
        """Where the user is ("Stap 6 van 13"), the step's name and what it asks, with its source."""
        lang = self.lang
        n = self.steps.index(step_id) + 1
        progress = Text(t("tui.wizard.progress", lang=lang, n=n, total=len(self.steps)))
        if step_id == CHECK_STEP:
            explanation = Text(t("tui.overview.explanation", lang=lang))
        else:
            step = self.criteria.item("steps", step_id)
            explanation = Text(step.explanation.get(lang))
            explanation.append(f"  [{cite.short(step.source)}]", "dim")
            if step.design_choice:
                explanation.append(" " + t("tui.design_choice", lang=lang), "dim italic")
        return [
            Static(progress, classes="step-progress", markup=False),
            Static(Text(f"{n}. {self.step_label(step_id)}"), classes="step-title", markup=False),
            Static(explanation, classes="step-explanation", markup=False),
        ]

    def _page(self, step_id: str) -> VerticalScroll:
        """One step's page: title, explanation, its questions (or derived domains / result / overview),
        navigation. Built hidden: it is shown once it is complete."""
        lang = self.lang
        n = self.steps.index(step_id) + 1
        children = self._heading(step_id)
        if step_id == DOMAINS_STEP:
            children.append(Static(self._domains_text(), id="derived-domains", markup=False))
        if step_id == RESULT_STEP:
            children.append(VerdictView(self.criteria, lang, id="result"))
        if step_id == CHECK_STEP:
            children.append(AnswersOverview(self.criteria, lang, id="overview"))
        questions = [make_question(spec, self.criteria, lang, self.assessment)
                     for spec in self.specs if spec.step == step_id]
        for question in questions:  # a question that does not apply (n.v.t.) or asks nothing is not asked
            question.display = self.asked(question.spec)
        children += questions
        buttons: list[Widget] = []
        if n > 1:
            previous = Button(Text("← " + t("tui.key.previous", lang=lang)), classes="prev")
            # Tab after the last question goes on to "next", not back: "previous" is for the mouse and ctrl+b
            previous.can_focus = False
            buttons.append(previous)
        if n < len(self.steps):
            buttons.append(Button(Text(t("tui.key.next", lang=lang) + " →"), classes="next", variant="primary"))
        else:
            buttons.append(Button(Text(t("tui.overview.save", lang=lang)), classes="save", variant="primary"))
        children.append(Horizontal(*buttons, classes="page-nav"))
        page = VerticalScroll(*children, id=f"page-{step_id}", classes="page")
        page.display = False
        return page

    async def _ensure_built(self, step_id: str) -> None:
        """Pages are mounted when their step is first shown: a fast start, however many questions."""
        if step_id in self._built:
            return
        self._built.add(step_id)
        await self.query_one("#pages", ContentSwitcher).mount(self._page(step_id))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.query_one(KeyFooter).fit(event.size.width, self.NARROW_HIDDEN)

    # --- state ---------------------------------------------------------------------------------------

    def refresh_state(self, assessment: Assessment, *, changed: str | None = None, reload: bool = False) -> None:
        """Show a (changed) assessment: verdict, step marks, open counts, derived domains, title.

        ``changed`` names the one answer that changed; when no rule reads it the verdict is not recomputed.
        Widgets are only updated when their text really changes (typing stays fast)."""
        self.assessment = assessment
        if reload:
            for field in self.query(QuestionField):
                field.set_value(get_path(assessment, field.spec.path))
        if reload or changed is None or changed in self._pair_sources:
            self._offer_pairs()
        if changed is None or changed in self._read_fields:
            self.live, self._verdict = evaluate(dated(assessment, self.today()), self.criteria, conditions=False), None
            self._show_applicable()
            self.query_one("#summary", VerdictSummary).show(self.live)
            self._update("#narrow-verdict", self._narrow_verdict())
            self._result_stale = True
            if self.current == RESULT_STEP:
                self._show_result()
            if DOMAINS_STEP in self._built:
                self._update("#derived-domains", self._domains_text())
        if self.current == CHECK_STEP:
            self._show_overview()
        self._update_steps()
        self.update_title()

    @property
    def verdict(self) -> Verdict:
        """:attr:`live` with every rule's condition rows, for the result page and the sources it cites: made
        when first asked for after a change."""
        if self._verdict is None:
            self._verdict = evaluate(dated(self.assessment, self.today()), self.criteria)
        return self._verdict

    @property
    def _pair_sources(self) -> set[str]:
        return {source for source, _ in PAIR_LISTS.values()}

    def _offer_pairs(self) -> None:
        """A pair list (ingredient × domain) offers the pairs of what is chosen above it; with none to
        offer it is not asked."""
        for field in self.query(MultiQuestion):
            if field.spec.catalogue in PAIR_LISTS:
                field.offer(self.assessment)
                field.display = self.asked(field.spec)

    def asked(self, spec: QuestionSpec) -> bool:
        """Whether a question is asked now: it applies (``applies_when`` in the criteria; the engine says
        which do not) and, for a pair list, there is something to choose. Only asked questions count as open."""
        return spec.path not in self._hidden and not asks_nothing(spec, self.criteria, self.assessment)

    def _show_applicable(self) -> None:
        """Hide the questions that do not apply (n.v.t.), show them again when they do."""
        hidden = set(self.live.not_applicable)
        if hidden == self._hidden:
            return
        self._hidden = hidden
        for field in self.query(QuestionField):
            field.display = self.asked(field.spec)

    def _narrow_verdict(self) -> Text:
        text = Text()
        for n, class_id in enumerate(self.live.possible_classes):
            if n:
                text.append(" " + t("verdict.or", lang=self.lang) + " ", "dim")
            text.append_text(badge_text(self.criteria, class_id, self.lang))
        if self.live.provisional:
            text.append(" " + t("tui.wizard.provisional_short", lang=self.lang), "bold yellow")
        return text

    def _update(self, selector: str, text: Text) -> None:
        """Update a Static only when its text changes (each update costs a layout pass)."""
        widget = self.query_one(selector, Static)
        key = (text.plain, tuple((str(span.style), span.start, span.end) for span in text.spans))
        if self._shown.get(selector) != key:
            self._shown[selector] = key
            widget.update(text)

    def _update_steps(self) -> None:
        total = 0
        for item in self.query(StepItem):
            open_count = self.open_questions(item.step_id)
            total += open_count
            text = self._step_text(item, open_count)
            key = (text.plain, tuple((str(span.style), span.start, span.end) for span in text.spans))
            if self._shown.get(item.step_id) != key:
                self._shown[item.step_id] = key
                item.query_one(Label).update(text)
        # the same sentence, from the same count, as the live panel and the result page
        counts = Text(tn("tui.wizard.open_total", total, lang=self.lang))
        if self.live.missing_answers:
            counts.append("\n" + tn("tui.verdict.open_count", len(self.live.missing_answers), lang=self.lang),
                          "yellow")
        self._update("#open-total", counts)

    def update_title(self) -> None:
        app: Any = self.app
        name = self.assessment.intervention.name.strip() or t("tui.app.untitled", lang=self.lang)
        text = Text(t("tui.app.title", lang=self.lang) + " — ", "bold")
        text.append(shown(name))  # file text: visible, never obeyed
        path = getattr(app, "path", None)
        text.append("  ·  " + (shown(path.name) if path else t("tui.app.not_saved", lang=self.lang)), "dim")
        if getattr(app, "dirty", False):
            text.append("  ● " + t("tui.app.modified", lang=self.lang), "bold yellow")
        if self._shown.get("#titlebar") != text.plain + str(text.spans):
            self._shown["#titlebar"] = text.plain + str(text.spans)
            self.query_one("#titlebar", TitleBar).show(text)

    def open_questions(self, step_id: str) -> int:
        """The questions of a step that are asked (see :meth:`asked`), can matter (:meth:`matters`) and are
        not yet answered."""
        return sum(
            1 for spec in self.specs if spec.step == step_id and self.asked(spec) and self.matters(spec)
            and is_open(spec, get_path(self.assessment, spec.path))
        )

    def matters(self, spec: QuestionSpec) -> bool:
        """Whether an answer to the question can change the verdict (a rule, an applicability condition or a
        notice reads it). Any other question is optional: left empty, it is not open."""
        return spec.path in self._read_fields

    def _step_text(self, item: StepItem, open_count: int) -> Text:
        has_questions = any(spec.step == item.step_id for spec in self.specs)
        mark = ("✔" if open_count == 0 else "○") if has_questions else "·"
        text = Text(f"{mark} {item.number}. ", "green" if mark == "✔" else "")
        text.append(self.step_label(item.step_id), "bold" if item.step_id == self.current else "")
        if open_count:
            text.append("\u00a0" + t("tui.wizard.open", lang=self.lang, count=open_count), "dim")
        return text

    def _domains_text(self) -> Text:
        lang = self.lang
        derived = DERIVED["derived.domains"].compute(self.assessment, self.criteria, None)
        if derived is None:
            return Text(t("tui.wizard.domains_unknown", lang=lang), "yellow")
        text = Text(t("tui.wizard.domains_found", lang=lang, count=len(derived.items)) + "\n", "bold")
        delivered = DERIVED["derived.delivery_domains"].compute(self.assessment, self.criteria, None)
        shown = delivered.items if delivered is not None else ()
        text.append(t("tui.wizard.domains_delivered", lang=lang, count=len(shown)) + "\n")
        for domain in self.criteria.document.domains:
            if domain.id in shown:  # an ingredient is actually delivered here: counts for multimodal
                text.append("  ✔ " + domain.label.get(lang), "green")
            elif domain.id in derived.items:  # only a factor, or an ingredient that could work here
                text.append("  ○ " + domain.label.get(lang))
            else:
                text.append("  · " + domain.label.get(lang), "dim")
            text.append("\n")
        if not derived.complete:
            text.append(t("tui.wizard.domains_incomplete", lang=lang), "yellow")
        return text

    def _show_result(self) -> AwaitComplete:
        if self._result_stale and RESULT_STEP in self._built:
            self._result_stale = False
            return self.query_one("#result", VerdictView).show(self.verdict, self.assessment)
        return AwaitComplete()

    def _show_overview(self) -> AwaitComplete:
        if CHECK_STEP not in self._built:
            return AwaitComplete()
        steps = [(step_id, f"{n}. {self.step_label(step_id)}") for n, step_id in enumerate(self.steps, 1)]
        return self.query_one("#overview", AnswersOverview).show(steps, self.specs, self.assessment, self.asked,
                                                                 self.matters)

    # --- navigation ------------------------------------------------------------------------------------

    async def show_step(self, step_id: str, *, focus: bool = True) -> None:
        if step_id not in self.steps:
            return
        self.current = step_id
        self._back_to_check = False  # going anywhere ends a change made from the overview
        await self._ensure_built(step_id)
        # the result and the overview are filled before they are shown: never half drawn
        if step_id == RESULT_STEP:
            await self._show_result()
        if step_id == CHECK_STEP:
            await self._show_overview()
        # the result and the overview need the width; a class on the panel restyles only the panel
        self.query_one("#live").set_class(step_id in (RESULT_STEP, CHECK_STEP), "-away")
        self.query_one("#pages", ContentSwitcher).current = f"page-{step_id}"
        self._mark_current()
        self._update_steps()
        if focus:
            self._focus_first()

    def _mark_current(self) -> None:
        steps = self.query_one("#steps", ListView)
        steps.index = self.steps.index(self.current)

    def _focus_first(self) -> None:
        page = self.query_one(f"#page-{self.current}", VerticalScroll)
        page.scroll_home(animate=False, immediate=True)
        fields = list(page.query(QuestionField))
        # the page starts at its top: focusing must not scroll it (that would depend on timing)
        if fields:
            fields[0].focus_control(scroll_visible=False)
        elif self.current == RESULT_STEP:
            page.focus(scroll_visible=False)  # PageDown/PageUp scroll the result at once; Tab enters the lists
        else:
            buttons = list(page.query(Button))
            if buttons:
                buttons[-1].focus(scroll_visible=False)

    async def jump_to(self, path: str) -> None:
        """Show the question for an answer path (derived paths go to their first input)."""
        target = path
        if path in DERIVED:
            target = DERIVED[path].reads[0]
        spec = next((s for s in self.specs if s.path == target), None)
        if spec is None:
            return
        await self.show_step(spec.step, focus=False)
        field = self.query_one(f"#{widget_id(spec.path)}", QuestionField)
        field.focus_control()
        self.call_after_refresh(field.scroll_visible, animate=False)

    async def action_next_step(self) -> None:
        """The next step; after changing an answer from the overview, back to the overview."""
        if self._back_to_check:
            self._back_to_check = False
            await self.show_step(CHECK_STEP)
            return
        index = self.steps.index(self.current)
        if index + 1 < len(self.steps):
            await self.show_step(self.steps[index + 1])

    async def action_previous_step(self) -> None:
        index = self.steps.index(self.current)
        if index > 0:
            await self.show_step(self.steps[index - 1])

    async def action_show_result(self) -> None:
        await self.show_step(RESULT_STEP)

    def action_focus_steps(self) -> None:
        self.query_one("#steps", ListView).focus()

    def action_toggle_table(self) -> None:
        """On the result page: sentences ↔ the full table (elsewhere ``t`` is just a letter)."""
        if self.current == RESULT_STEP:
            self.query_one("#result", VerdictView).toggle_table()

    def _current_page(self) -> VerticalScroll:
        return self.query_one(f"#page-{self.current}", VerticalScroll)

    def action_page_down(self) -> None:
        """PageDown scrolls the step page, whatever inside it has the focus (a list keeps its own)."""
        self._current_page().scroll_page_down()

    def action_page_up(self) -> None:
        self._current_page().scroll_page_up()

    def action_delete_word(self) -> None:
        """alt+w: what ctrl+w does in a text field, for the browser (where ctrl+w closes the tab)."""
        from textual.widgets import Input

        if isinstance(self.focused, Input):
            self.focused.action_delete_left_word()

    # --- events ---------------------------------------------------------------------------------------

    @on(ListView.Selected, "#steps")
    async def _step_chosen(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, StepItem):
            await self.show_step(event.item.step_id)

    @on(Button.Pressed, ".next")
    async def _next(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_next_step()

    @on(Button.Pressed, ".save")
    async def _save(self, event: Button.Pressed) -> None:
        event.stop()
        await self.app.run_action("app.save")

    async def on_answers_overview_change(self, message: AnswersOverview.Change) -> None:
        message.stop()
        await self.jump_to(message.path)
        self._back_to_check = True
        self.notify(t("tui.overview.back", lang=self.lang), markup=False)

    @on(Button.Pressed, ".prev")
    async def _previous(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_previous_step()

    async def on_verdict_view_jump_to(self, message: VerdictView.JumpTo) -> None:
        message.stop()
        await self.jump_to(message.field)

    def on_question_field_answered(self, message: QuestionField.Answered) -> None:
        message.stop()
        app: Any = self.app
        app.set_answer(message.path, message.value)

    # --- help ----------------------------------------------------------------------------------------

    def _highlighted_item(self, field: QuestionField) -> Any:
        """The catalogue item under the cursor of a focused list (a factor, an ingredient), if any."""
        from textual.widgets import SelectionList

        listing = self.focused
        if not isinstance(listing, SelectionList) or listing.highlighted is None or not field.spec.catalogue:
            return None
        item_id = listing.get_option_at_index(listing.highlighted).value
        return self.criteria.catalogues.get(field.spec.catalogue, {}).get(item_id)

    def help_content(self) -> tuple[str, Text]:
        """Help for the focused question (or the factor or ingredient highlighted in it), else for the
        current step (title, body): see :mod:`.wizard_help`."""
        lang = self.lang
        node: Widget | None = self.focused
        while node is not None and not isinstance(node, QuestionField):
            node = node.parent if isinstance(node.parent, Widget) else None
        if isinstance(node, QuestionField):
            item = self._highlighted_item(node)
            if item is not None:
                return wizard_help.item_help(self.criteria, node.spec, item, lang)
            return wizard_help.question_help(self.criteria, node.spec, lang)
        if self.current == CHECK_STEP:
            return self.step_label(CHECK_STEP), Text(t("tui.overview.explanation", lang=lang) + "\n\n"
                                                     + t("tui.help.keys", lang=lang))
        # on the result step: the sources the verdict cites, in full (its rules, conditions, notices)
        references = used_references(self.verdict, self.criteria) if self.current == RESULT_STEP else None
        return wizard_help.step_help(self.criteria, self.current, lang, references=references, browser=self.app.is_web)
