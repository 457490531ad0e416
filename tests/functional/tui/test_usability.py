"""The stumbling blocks a new user met in the wizard (issue 16), each driven through the real app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from unittest import mock

from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import Button, Input, ListView, SelectionList, Static
from textual.widgets._footer import FooterKey

from kwaliteitskader.core.i18n import t, tn
from kwaliteitskader.core.model.assessment import get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.screens.choice import ChoiceScreen
from kwaliteitskader.tui.screens.help import HelpScreen
from kwaliteitskader.tui.screens.start import StartScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.session import remember_file
from kwaliteitskader.tui.widgets.questions import QuestionField
from kwaliteitskader.tui.widgets.verdict import MissingItem, VerdictSummary
from tests.functional.tui.drive import go_to, new_assessment, settle, sync, type_text, wait_for_screen, whole_footer_keys

SAMPLES = Path(__file__).resolve().parents[3] / "sample_assessments"
SIZE = (120, 40)



def lines_of(widget: Any) -> str:
    """What a widget shows, as plain text (its rendered lines joined, whitespace collapsed)."""
    text = " ".join("".join(segment.text for segment in widget.render_line(y)) for y in range(widget.size.height))
    return " ".join(text.split())


@sync
async def test_after_ctrl_n_the_list_shows_where_you_are_and_tab_goes_to_next(make_app: Any, criteria: Criteria) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert screen.current == "risicofactoren"
        listing = app.focused
        assert isinstance(listing, SelectionList)
        assert listing.highlighted == 0  # a visible cursor on the first factor
        field = next(a for a in listing.ancestors if isinstance(a, QuestionField))
        assert field.has_pseudo_class("focus-within")  # the question being answered is marked
        await pilot.press("space")
        await pilot.pause()
        first = listing.get_option_at_index(0).value
        assert get_path(app.assessment, field.spec.path) == [first]  # space ticked the highlighted factor
        await pilot.press("tab")
        assert isinstance(app.focused, Button) and app.focused.has_class("next")  # not back to "previous"


@sync
async def test_list_labels_are_not_cut_off_at_120_columns(make_app: Any, criteria: Criteria) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await screen.show_step("risicofactoren")
        await settle(pilot)
        listing = screen.query_one("#page-risicofactoren SelectionList", SelectionList)
        listing.styles.max_height = 100  # every item on screen at once (the width, which matters here, stays)
        await settle(pilot)
        shown = lines_of(listing)
        assert "…" not in shown
        for item in criteria.catalogues["risk_factors"].values():
            assert " ".join(item.label.get("nl").split()) in shown, item.label.get("nl")


@sync
async def test_f1_explains_the_highlighted_factor(make_app: Any, criteria: Criteria) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await screen.show_step("werkzame_bestanddelen")
        await pilot.pause()
        listing = app.focused
        assert isinstance(listing, SelectionList)
        await pilot.press("down", "down")
        item = list(criteria.catalogues["active_ingredients"].values())[2]
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        assert help_screen.help_title == item.label.get("nl")
        assert item.explanation.get("nl") in help_screen.body.plain


@sync
async def test_f1_on_risk_level_says_what_each_level_means(make_app: Any, criteria: Criteria) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await go_to(pilot, "target_group.risk_level")
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        body = help_screen.body.plain
        for level in ("laag", "gemiddeld", "hoog"):
            item = criteria.item("risk_levels", level)
            assert f"{item.label.get('nl')}: {item.explanation.get('nl')}" in body


@sync
async def test_one_count_of_open_answers_in_proper_dutch(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await settle(pilot)
        sidebar = str(screen.query_one("#open-total", Static).render())
        panel = str(screen.query_one("#summary-reason", Static).render())
        for text in (sidebar, panel):
            assert "vraag/vragen" not in text and "(e)" not in text and "(en)" not in text
        missing = len(screen.verdict.missing_answers)
        sentence = f"{missing} ontbrekende antwoorden kunnen de uitkomst veranderen."
        assert sentence in sidebar and sentence in panel  # the same count, in the same words
        assert re.search(r"Nog \d+ vragen open\.", sidebar)
        await pilot.press("ctrl+r")
        await pilot.pause()
        # the result page lists exactly those answers (one may be listed under more than one class)
        assert len({item.field for item in screen.query(MissingItem)}) == missing


def test_singular_and_plural_in_both_languages() -> None:
    assert tn("tui.wizard.open_total", 1, lang="nl") == "Nog 1 vraag open."
    assert tn("tui.wizard.open_total", 2, lang="nl") == "Nog 2 vragen open."
    assert tn("tui.verdict.open_count", 1, lang="nl") == "1 ontbrekend antwoord kan de uitkomst veranderen."
    assert tn("tui.verdict.open_count", 1, lang="en") == "1 missing answer may change the outcome."
    assert tn("tui.wizard.open_total", 3, lang="en") == "3 questions still open."


@sync
async def test_result_page_scrolls_with_pagedown_and_enter_jumps_from_the_missing_list(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        page = screen.query_one("#page-resultaat")
        assert page.scroll_y == 0 and page.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert page.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert page.scroll_y == 0
        for _ in range(10):  # Tab into the missing answers
            if isinstance(app.focused, ListView):
                break
            await pilot.press("tab")
        listing = app.focused
        assert isinstance(listing, ListView) and listing.id == "verdict-missing"
        first = screen.query(MissingItem).first()
        await pilot.press("enter")  # no Down first
        await pilot.pause()
        await pilot.pause()
        assert screen.current != "resultaat"
        focused_field = next(n for n in app.focused.ancestors if isinstance(n, QuestionField))
        assert focused_field.spec.path == first.field or first.field.startswith("derived.")


@sync
async def test_arrow_keys_move_between_the_buttons_of_the_unsaved_changes_dialog(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await go_to(pilot, "intervention.name")
        await type_text(pilot, "Buurtvaders")
        assert app.dirty
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert app.focused.id == "choice-save"
        await pilot.press("right")
        assert app.focused.id == "choice-discard"
        await pilot.press("right")
        assert app.focused.id == "choice-cancel"
        await pilot.press("left", "right")
        await pilot.press("enter")
        await wait_for_screen(pilot, WizardScreen)
        assert dialog not in app.screen_stack
        assert app.dirty and app.is_running  # cancelled: nothing saved, nothing lost, still open


@sync
async def test_command_palette_is_dutch_and_lists_the_steps_in_order(make_app: Any, criteria: Criteria) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        assert palette.query_one(Input).placeholder == "Zoek een opdracht…"
        for _ in range(50):
            await pilot.pause()
            commands = palette.query_one(CommandList)
            if commands.option_count:
                break
        shown = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        steps = [line for line in shown if line.startswith("Ga naar stap")]
        expected = [f"Ga naar stap: {n}. {s.label.get('nl')}" for n, s in enumerate(criteria.document.steps, 1)]
        assert [line.split("\n")[0] for line in steps] == expected
        assert not any(english in shown for english in ("Theme", "Quit", "Keys", "Screenshot"))
        assert any(line.startswith("Kleurenschema") for line in shown)


@sync
async def test_recent_files_show_the_intervention_name(make_app: Any, data_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "werk" / "mijn_beoordeling.toml"
    copy.parent.mkdir()
    copy.write_bytes((SAMPLES / "kapot_sterk_tilburg.toml").read_bytes())
    remember_file(copy, data_folder)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        start = await wait_for_screen(pilot, StartScreen)
        recent = start.query_one("#recent")
        prompt = str(recent.get_option_at_index(0).prompt)
        assert prompt.startswith("Kapot Sterk — Tilburg")
        assert str(copy.parent) not in prompt and "mijn_beoordeling.toml" in prompt


@sync
async def test_the_footer_at_80x24_shows_f1_and_ctrl_r(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_assessment(pilot)
        await settle(pilot)
        keys = {key.key: key for key in screen.query(FooterKey)}
        for wanted in ("f1", "ctrl+r", "ctrl+n", "ctrl+b", "ctrl+s"):
            assert wanted in keys, sorted(keys)
            assert keys[wanted].region.right <= 80 and keys[wanted].region.width > 0, wanted
        await pilot.press("f2")  # a key left out of the footer still works
        await pilot.pause()
        from kwaliteitskader.tui.screens.file_dialog import FileScreen

        assert isinstance(app.screen, FileScreen)


@sync
async def test_no_footer_key_is_cut_off_at_any_width_and_a_wide_screen_shows_them_all(make_app: Any) -> None:
    """At 120 columns the Dutch footer used to cut "^l Stappenlijst" in half (its width was a fixed 100)."""
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await new_assessment(pilot)
        counts = {}
        for width in (160, 130, 120, 100, 90, 80):
            await pilot.resize_terminal(width, 30)
            await settle(pilot)
            keys = whole_footer_keys(screen, width)
            assert {"f1", "ctrl+r", "ctrl+n", "ctrl+b", "ctrl+s"} <= keys, width
            counts[width] = len(keys)
            if width == 160:
                assert {"f2", "ctrl+o", "ctrl+l"} <= keys  # wide enough for every key
        assert counts[160] > counts[120] > counts[80], counts  # as many keys as fit, not a fixed cut


@sync
async def test_in_the_browser_the_footer_shows_browser_safe_keys_and_they_work(make_app: Any) -> None:
    app = make_app()
    with mock.patch.object(App, "is_web", new_callable=mock.PropertyMock, return_value=True):
        async with app.run_test(size=(140, 40)) as pilot:
            start = await wait_for_screen(pilot, StartScreen)
            await settle(pilot)
            assert "alt+n" in {key.key for key in start.query(FooterKey)}
            await pilot.press("alt+n")  # a new assessment, as ctrl+n does in a terminal
            screen = await wait_for_screen(pilot, WizardScreen)
            await settle(pilot)
            shown = {key.key for key in screen.query(FooterKey)}
            assert {"alt+n", "alt+q"} <= shown and not {"ctrl+n", "ctrl+q"} & shown
            await pilot.press("alt+n")
            await pilot.pause()
            assert screen.current == screen.steps[1]
            await go_to(pilot, "intervention.name")
            await type_text(pilot, "Buurt vaders")
            await pilot.press("alt+w")  # ctrl+w closes a browser tab; alt+w deletes the word
            await pilot.pause()
            assert app.assessment.intervention.name == "Buurt "
            await pilot.press("alt+q")
            await wait_for_screen(pilot, ChoiceScreen)
            await pilot.press("escape")
            await wait_for_screen(pilot, WizardScreen)
            await pilot.press("ctrl+l", "f1")  # help for the step (not a question) names the browser keys
            help_screen = await wait_for_screen(pilot, HelpScreen)
            assert t("tui.help.browser_keys") in help_screen.body.plain


@sync
async def test_verdict_summary_uses_the_plural_form(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        summary = screen.query_one("#summary", VerdictSummary)
        assert "ontbrekend(e)" not in str(summary.query_one("#summary-reason", Static).render())


@sync
async def test_alt_n_in_a_text_field_moves_on_and_types_nothing(make_app: Any) -> None:
    """A browser's terminal sends alt+n as ESC n, which arrives with the character "n": it must not be typed."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await go_to(pilot, "intervention.name")
        await type_text(pilot, "Buurtvaders")
        app.post_message(events.Key("alt+n", "n"))
        await pilot.pause()
        await pilot.pause()
        assert app.assessment.intervention.name == "Buurtvaders"
        assert screen.current == screen.steps[1]
