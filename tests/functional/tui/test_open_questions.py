"""A complete, honest assessment reaches zero open questions in the wizard: a question counts as open only
when it applies and its answer can change the verdict (a rule, an applicability condition or a notice reads
it); an optional text such as practice knowledge, left empty, is recorded, never open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label, Static

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import answers_read, evaluate
from kwaliteitskader.core.rules.values import answered
from kwaliteitskader.tui.screens.wizard import CHECK_STEP, WizardScreen
from kwaliteitskader.tui.widgets.overview import AnswerItem
from tests.conftest import SAMPLES
from tests.functional.tui.drive import answer, settle, sync, wait_for_screen

SIZE = (120, 40)


def complete_samples() -> list[Path]:
    """The samples whose verdict (class and advice) is decided and whose every applicable question that a
    rule, applicability condition or notice reads has an answer, worked out by the core alone."""
    from kwaliteitskader.core.io.load import load_criteria

    criteria = load_criteria()
    questions = {q.field for q in criteria.document.questions} | {
        f"harm_signals.{s.id}" for s in criteria.document.harm_signals}
    found = []
    for path in sorted(SAMPLES.glob("*.toml")):
        assessment = load_assessment(path).assessment
        verdict = evaluate(assessment, criteria)
        if verdict.provisional or verdict.advice_provisional:
            continue
        asked = (answers_read(criteria) & questions) - set(verdict.not_applicable)
        if all(answered(get_path(assessment, field)) for field in asked):
            found.append(path)
    return found


COMPLETE = complete_samples()


def test_the_complete_samples_include_the_two_known_complete_ones() -> None:
    names = {path.name for path in COMPLETE}
    assert {"ajb_rotterdam.toml", "wijkaanpak_samen_sterk_eindhoven.toml"} <= names


@pytest.mark.parametrize("sample", COMPLETE, ids=lambda path: path.stem)
@sync
async def test_a_complete_sample_has_no_open_question(make_app: Any, sample: Path) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, WizardScreen)
        await settle(pilot)
        assert not screen.verdict.missing_answers
        assert "Nog 0 vragen open." in str(screen.query_one("#open-total", Static).render())
        assert all(screen.open_questions(step) == 0 for step in screen.steps)


@sync
async def test_an_empty_optional_text_is_not_open_but_an_empty_rule_answer_is(make_app: Any) -> None:
    sample = SAMPLES / "wijkaanpak_samen_sterk_eindhoven.toml"
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, WizardScreen)
        spec = next(s for s in screen.specs if s.path == "evidence.practice_knowledge")
        assert not screen.matters(spec)  # no rule or notice reads it
        assert not str(get_path(app.assessment, spec.path) or "").strip()
        assert screen.open_questions("bewijs") == 0
        # the answers overview says so too: optional, not "nog niet ingevuld"
        await screen.show_step(CHECK_STEP)
        await pilot.pause()
        rows = {item.path: str(item.query_one(Label).render()) for item in screen.query(AnswerItem)}
        assert "optioneel, niet ingevuld" in rows["evidence.practice_knowledge"]
        assert not any("nog niet ingevuld" in row for row in rows.values())
        await answer(pilot, "delivery.monitoring_plan", "onbekend")
        assert screen.open_questions("uitvoering") == 1


@sync
async def test_a_changed_recognition_year_is_read_at_once(make_app: Any, criteria: Criteria) -> None:
    # the year is read through the recognition's age (a years_since condition), not as a plain field
    app = make_app(SAMPLES / "ajb_rotterdam.toml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, WizardScreen)
        before = screen.verdict
        await answer(pilot, "evidence.recognition_year", 2001)
        await settle(pilot)
        assert get_path(app.assessment, "evidence.recognition_year") == 2001
        now = evaluate(app.assessment, criteria)
        assert (now.rule, now.trace, now.notices) != (before.rule, before.trace, before.notices)
        assert (screen.verdict.rule, screen.verdict.trace, screen.verdict.notices) == (now.rule, now.trace, now.notices)
