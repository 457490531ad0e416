"""Help, jumping from a missing answer to its question, step list, English texts, the open command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Static

from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import DERIVED
from kwaliteitskader.tui.screens.help import HelpScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.widgets.questions import QuestionField
from kwaliteitskader.tui.widgets.verdict import MissingItem
from tests.functional.tui.drive import go_to, new_assessment, sync, wait_for_screen

SIZE = (120, 40)



@sync
async def test_f1_explains_the_focused_question_and_marks_design_choices(make_app: Any, criteria: Criteria) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await go_to(pilot, "evidence.study_design")
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        question = criteria.questions["evidence.study_design"]
        assert pilot.app.screen.help_title == question.label.get("nl")
        body = pilot.app.screen.body.plain
        assert question.help.get("nl") in body and cite.short(question.source) in body
        # each short reference expands to its full citation
        for key in cite.keys(question.source):
            assert criteria.references[key].citation in body
        assert "[eigen keuze]" not in body
        await pilot.press("escape")
        await wait_for_screen(pilot, WizardScreen)
        # a question that is our own design choice says so in words (not "[ontwerp]", which reads as "draft"),
        # on the question and on the step, and F1 gives the reason
        designed = next(q for q in criteria.document.questions if q.design_choice)
        field = await go_to(pilot, designed.field)
        label = field.query_one(".question-label", Static).render()
        assert "[eigen keuze]" in str(label) and "ontwerp" not in str(label)
        page_text = " ".join(str(s.render()) for s in pilot.app.wizard.query(".step-explanation"))
        assert "[ontwerp]" not in page_text
        await pilot.press("f1")
        await pilot.pause()
        assert "[eigen keuze]" in pilot.app.screen.body.plain
        assert "ontwerpkeuze van dit programma: " + designed.design_reason.get("nl") in pilot.app.screen.body.plain


@sync
async def test_missing_answer_link_jumps_to_its_question(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.current == "resultaat"
        items = list(screen.query(MissingItem))
        assert items, "an empty assessment must list missing answers"
        target = items[-1].field
        listing = screen.query_one("#verdict-missing")
        listing.focus()
        listing.index = len(items) - 1
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        expected = target if target in {s.path for s in screen.specs} else None
        focused_field = next((n for n in pilot.app.focused.ancestors if isinstance(n, QuestionField)), None)
        assert focused_field is not None
        if expected:
            assert focused_field.spec.path == expected
        assert screen.current == focused_field.spec.step != "resultaat"


@sync
async def test_every_missing_answer_has_a_question_to_jump_to(make_app: Any) -> None:
    """A new assessment has no date until it is saved: the wizard judges it as assessed today (the date
    a save stamps), so the date is not listed as an open answer that no step asks for."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        assert screen.assessment.meta.assessed_on is None
        questions = {s.path for s in screen.specs} | set(DERIVED)
        fields = [m.field for m in screen.verdict.missing]
        assert fields and "meta.assessed_on" not in fields
        assert set(fields) <= questions, set(fields) - questions


@sync
async def test_step_list_and_keys_move_between_steps(make_app: Any, criteria: Criteria) -> None:
    steps = [s.id for s in criteria.document.steps]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == steps[1]
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.current == steps[0]
        await pilot.press("ctrl+l", "down", "down", "down", "enter")
        await pilot.pause()
        assert screen.current == steps[3]
        assert screen.open_questions(steps[3]) == 1
        # the command palette can go to a step too
        bewijs = criteria.item("steps", "bewijs").label.get("nl")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*bewijs)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.current == "bewijs"


@sync
async def test_english_texts(make_app: Any, criteria: Criteria) -> None:
    from kwaliteitskader.core.i18n import set_language

    set_language("en")
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        question = criteria.questions["meta.assessor"]
        assert str(screen.query_one("#q-meta--assessor .question-label").render()).startswith(question.label.en)
        bindings = {b.binding.description for b in pilot.app.active_bindings.values()}
        assert "Save" in bindings and "Opslaan" not in bindings


def test_locale_files_have_the_same_keys() -> None:
    import tomllib

    root = Path(__file__).resolve().parents[3] / "kwaliteitskader" / "locale"
    for area in ("app", "wizard"):  # the application's texts: its shell and the wizard
        nl = tomllib.loads((root / "nl" / f"{area}.toml").read_text(encoding="utf-8"))
        en = tomllib.loads((root / "en" / f"{area}.toml").read_text(encoding="utf-8"))
        assert set(nl) == set(en)
        assert all(key.startswith("tui.") for key in nl)


def test_open_command_is_registered() -> None:
    from kwaliteitskader.cli import build_parser

    args = build_parser().parse_args(["open", "beoordeling.toml"])
    assert args.file == Path("beoordeling.toml")
    assert args.handler.__module__ == "kwaliteitskader.cli.open"


@sync
async def test_result_shows_target_group_and_notices_with_sources(make_app: Any) -> None:
    """Issue 14: the result names tier, risk level, intensity and special needs, and the notices (here: ages
    18–35 are outside the funding scope, which never changes the class) with their short references."""
    from tests.conftest import SAMPLES

    app = make_app(SAMPLES / "rio_den_haag.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen: WizardScreen = await wait_for_screen(pilot, WizardScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.current == "resultaat"
        head = screen.query_one("#verdict-head")
        shown = head.render()
        text = shown.plain if hasattr(shown, "plain") else str(shown)
        assert "Doelgroep: Preventieniveau: zorg/behandeling; Risiconiveau: hoog; Intensiteit: intensief" in text
        assert "LVB (licht verstandelijke beperking)" in text
        assert "Buiten de leeftijd van Preventie met Gezag (8–27 jaar)" in text and "[su-pmg-2026" in text
        # F1 on the result lists the sources of this verdict in full
        pilot.app.screen.set_focus(None)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        body = pilot.app.screen.body.plain
        assert "Bronnen:" in body and "[su-pmg-2026] Minister van Justitie en Veiligheid (2025). Regeling van 18 september 2025" in body
