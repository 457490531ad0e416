"""Drive the real app with the keyboard: fill, save, classify the saved file, quit, recover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.io.validate import validate_paths
from kwaliteitskader.core.model.assessment import Assessment, answer_fields, get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate
from kwaliteitskader.tui.screens.choice import ChoiceScreen
from kwaliteitskader.tui.screens.file_dialog import FileScreen
from kwaliteitskader.tui.screens.start import StartScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.widgets.verdict import VerdictSummary
from tests.functional.tui.conftest import TODAY
from tests.functional.tui.drive import STAMPED, answer, fill, new_assessment, sync, type_text, wait_for_screen

ROOT = Path(__file__).resolve().parents[3]
KANSRIJK_SAMPLE = ROOT / "sample_assessments" / "wijkaanpak_samen_sterk_eindhoven.toml"
SIZE = (120, 40)


async def save_as(pilot: Any, target: Path) -> None:
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, FileScreen)
    await type_text(pilot, str(target))
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def answers(a: Assessment) -> dict[str, Any]:
    """Every answer (lists as sets: the wizard stores them in catalogue order)."""
    paths = [p for p in answer_fields() if p not in STAMPED] + [f"harm_signals.{k}" for k in a.harm_signals]
    values = {p: get_path(a, p) for p in paths}
    return {p: frozenset(v) if isinstance(v, list) else v for p, v in values.items()}


@sync
async def test_fill_kansrijk_from_empty_and_save(make_app: Any, criteria: Criteria, tmp_path: Path) -> None:
    target = load_assessment(KANSRIJK_SAMPLE).assessment
    expected = evaluate(target, criteria)
    assert expected.class_ == "kansrijk" and not expected.provisional  # the sample is what this test needs
    saved = tmp_path / "wijkaanpak.toml"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        assert pilot.app.screen.verdict.class_ != "kansrijk"
        changed = await fill(pilot, target)
        assert len(changed) > 30
        shown = pilot.app.screen.query_one(VerdictSummary).verdict
        assert shown.class_ == "kansrijk" and not shown.provisional
        await save_as(pilot, saved)
        assert not pilot.app.dirty
    loaded = load_assessment(saved).assessment
    assert answers(loaded) == answers(target)
    findings, checked = validate_paths([saved])
    assert (findings, checked) == ([], 1)  # what `kwaliteitskader validate` would say
    verdict = evaluate(loaded, criteria)
    assert (verdict.class_, verdict.advice, verdict.provisional) == (expected.class_, expected.advice, False)
    assert loaded.meta.assessed_on == TODAY
    assert loaded.meta.valid_until is not None and loaded.meta.valid_until > TODAY
    assert (loaded.meta.criteria_version, loaded.meta.criteria_digest) == (criteria.version, criteria.digest)


@sync
async def test_harm_signal_gives_stoppen(make_app: Any, criteria: Criteria, tmp_path: Path) -> None:
    """Start from the kansrijk answers and add one harm signal: the harm signal decides first."""
    sample = load_assessment(KANSRIJK_SAMPLE)
    saved = tmp_path / "met_schade.toml"
    saved.write_bytes(KANSRIJK_SAMPLE.read_bytes())
    app = make_app(path=saved)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pilot.app.screen.verdict.class_ == "kansrijk"
        await answer(pilot, "harm_signals.afschrikking", "ja")
        shown = pilot.app.screen.verdict
        assert shown.class_ == "stoppen" and not shown.provisional
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not pilot.app.dirty
    loaded = load_assessment(saved).assessment
    assert loaded.harm_signals["afschrikking"] == "ja"
    verdict = evaluate(loaded, criteria)
    assert verdict.class_ == "stoppen" and verdict.advice == "stoppen"
    decided = verdict.deciding_rule
    assert any(c.fields == ("harm_signals.afschrikking",) and c.result.value == "pass" for c in decided.conditions)
    assert answers(loaded) | {"harm_signals.afschrikking": "nee"} == answers(sample.assessment)


@sync
async def test_quit_with_unsaved_changes_asks(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await type_text(pilot, "Iets")
        assert pilot.app.dirty
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("escape")  # cancel: keep working
        await pilot.app.workers.wait_for_complete()
        await wait_for_screen(pilot, WizardScreen)
        assert pilot.app.assessment.meta.assessor == "Iets"
        assert pilot.app.is_running
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.click("#choice-discard")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not pilot.app.is_running


@sync
async def test_quit_without_changes_does_not_ask(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await pilot.press("ctrl+q")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not pilot.app.is_running


@sync
async def test_recovered_autosave_restores_every_answer(make_app: Any, data_folder: Path, tmp_path: Path) -> None:
    """Open a complete sample, change one answer of every kind, let the autosave run, "crash", restart."""
    original = tmp_path / "wijk.toml"
    original.write_bytes(KANSRIJK_SAMPLE.read_bytes())
    changes = {
        "intervention.name": "Wijk [/oeps]",
        "target_group.age_max": 19,
        "intervention.manual": "onbekend",
        "target_group.risk_level": "hoog",
        "factors.protective_factors": None,
        "target_group.special_needs": [],
        "harm_signals.afschrikking": "onbekend",
    }
    app = make_app(path=original)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for path, value in changes.items():
            await answer(pilot, path, value)
        edited = pilot.app.assessment
        assert pilot.app.write_autosave()
        # the program is killed here: no save, no quit dialog
    assert load_assessment(original).assessment == load_assessment(KANSRIJK_SAMPLE).assessment
    for path, value in changes.items():
        assert get_path(edited, path) == value, path
    target = edited
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        assert pilot.app.focused is not None and pilot.app.focused.id == "restore"
        await pilot.press("enter")
        await wait_for_screen(pilot, WizardScreen)
        assert answers(pilot.app.assessment) == answers(target)
        assert pilot.app.assessment == target
        assert pilot.app.dirty  # restored work is not saved yet
        assert pilot.app.path == original  # saving goes back to the file it came from


@sync
async def test_markup_typed_in_every_text_field_is_kept_literally(
    make_app: Any, criteria: Criteria, tmp_path: Path
) -> None:
    oeps = "[/oeps] [bold"
    text_fields = [p for p, info in answer_fields().items() if info.kind.value == "text" and p in criteria.questions]
    assert len(text_fields) >= 8
    saved = tmp_path / "oeps.toml"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        for n, path in enumerate(text_fields):
            # the first key by key, the others pasted: both go through the input's own change events
            await answer(pilot, path, oeps, paste_over=100 if n == 0 else 0)
        screen = pilot.app.screen
        title = str(screen.query_one("#titlebar").render())
        assert oeps in title
        for path in text_fields:
            field = screen.query_one(f"#q-{path.replace('.', '--')}")
            control = field.query_one("Input, TextArea")
            assert (control.value if isinstance(control, Input) else control.text) == oeps
        await save_as(pilot, saved)
        assert pilot.app.is_running
    loaded = load_assessment(saved).assessment
    for path in text_fields:
        assert get_path(loaded, path) == oeps, path


@sync
async def test_invalid_number_shows_dutch_error_next_to_field(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await answer(pilot, "target_group.age_min", "abc")
        field = pilot.app.screen.query_one("#q-target_group--age_min")
        error = str(field.query_one(".question-error").render())
        assert "geen geheel getal" in error
        assert pilot.app.assessment.target_group.age_min is None
        await answer(pilot, "target_group.age_min", "300")
        assert "van 0 tot en met 120" in str(field.query_one(".question-error").render())
        await answer(pilot, "target_group.age_min", "12")
        assert pilot.app.assessment.target_group.age_min == 12
        assert not field.has_class("-invalid")


@sync
async def test_unrestored_recovery_is_kept_aside(make_app: Any, data_folder: Path) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await type_text(pilot, "Eerste")
        assert pilot.app.write_autosave()
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#new")  # ignore the offer and start something else
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await type_text(pilot, "Tweede")
        assert pilot.app.write_autosave()
    kept = load_assessment(data_folder / "herstel-vorige.toml").assessment
    assert kept.meta.assessor == "Eerste"
    assert load_assessment(data_folder / "herstel.toml").assessment.meta.assessor == "Tweede"
