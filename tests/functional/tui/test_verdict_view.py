"""Issue 13 in the wizard: the live panel shows the range a provisional assessment can still become,
questions that do not apply are hidden (and come back when they apply), and the result switches between
one sentence per rule and the full table."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static

from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.widgets.questions import QuestionField, widget_id
from kwaliteitskader.tui.widgets.verdict import ClassBadge, VerdictView
from tests.conftest import SAMPLES
from tests.functional.tui.drive import answer, sync, wait_for_screen

SIZE = (120, 40)


async def _new(pilot: Any) -> WizardScreen:
    from kwaliteitskader.tui.screens.start import StartScreen

    await wait_for_screen(pilot, StartScreen)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    screen: WizardScreen = await wait_for_screen(pilot, WizardScreen)
    return screen


def _plain(widget: Static) -> str:
    shown = widget.render()
    return shown.plain if hasattr(shown, "plain") else str(shown)


@sync
async def test_live_panel_of_an_empty_assessment_shows_every_class_and_no_verdict(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _new(pilot)
        badge = screen.query_one("#summary-badge", ClassBadge)
        assert badge.class_ids == ("bewezen_effectief", "kansrijk", "stoppen") and badge.class_id is None
        status = _plain(screen.query_one("#summary-status", Static))
        assert status.startswith("Nog geen oordeel: kan bewezen effectief, kansrijk of stoppen worden")
        assert "STOPPEN" in _plain(badge) and "BEWEZEN EFFECTIEF" in _plain(badge)


@sync
async def test_questions_that_do_not_apply_are_hidden_and_come_back(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _new(pilot)
        await answer(pilot, "evidence.study_design", "geen_onderzoek")
        await answer(pilot, "evidence.recognition_level", "geen_erkenning")
        await pilot.pause()
        same_group = screen.query_one(f"#{widget_id('evidence.same_target_group')}", QuestionField)
        direction = screen.query_one(f"#{widget_id('evidence.effect_direction')}", QuestionField)
        assert not same_group.display and not direction.display
        assert screen.query_one(f"#{widget_id('evidence.study_design')}", QuestionField).display
        open_before = screen.open_questions("bewijs")
        await answer(pilot, "evidence.study_design", "rct")
        await pilot.pause()
        assert same_group.display and direction.display
        assert screen.open_questions("bewijs") > open_before


@sync
async def test_result_shows_sentences_and_switches_to_the_full_table(make_app: Any) -> None:
    app = make_app(SAMPLES / "kapot_sterk_tilburg.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen: WizardScreen = await wait_for_screen(pilot, WizardScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        view = screen.query_one("#result", VerdictView)
        sentences = view.query_one("#verdict-sentences", Static)
        table = view.query_one("#verdict-trace", DataTable)
        assert sentences.display and not table.display
        text = _plain(sentences)
        assert len(text.splitlines()) >= len(screen.verdict.trace) and "geldt niet" in text
        await pilot.press("t")
        await pilot.pause()
        assert view.table_shown and table.display and not sentences.display
        assert table.row_count > len(screen.verdict.trace)
        await pilot.press("t")
        await pilot.pause()
        assert not view.table_shown and sentences.display


@sync
async def test_one_open_answer_shows_the_range_and_what_each_answer_leads_to(make_app: Any) -> None:
    """Issue 13's case in the wizard: proven, delivered as tested, only the dose registration open."""
    app = make_app(SAMPLES / "ajb_rotterdam.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen: WizardScreen = await wait_for_screen(pilot, WizardScreen)
        app.set_answer("delivery.dose_registration", "onbekend")
        await pilot.pause()
        badge = screen.query_one("#summary-badge", ClassBadge)
        assert badge.class_ids == ("bewezen_effectief", "kansrijk")
        status = _plain(screen.query_one("#summary-status", Static))
        assert status.startswith("Nog geen oordeel: kan bewezen effectief of kansrijk worden")
        await pilot.press("ctrl+r")
        await pilot.pause()
        needed = _plain(screen.query_one("#verdict-needed", Static))
        assert "Beantwoord: Wordt de geleverde dosis geregistreerd?" in needed
        assert "ja → bewezen effectief; nee → kansrijk" in needed
