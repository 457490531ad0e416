"""What a policy officer on their own needs to answer clearly: the chosen answer apart from the highlight,
one-key answers, only the questions that apply, where am I, every answer checked before saving, whole
text, Dutch everywhere, and a result page that is never half drawn. Each driven through the real app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.color import Color
from textual.widgets import Checkbox, DataTable, RadioButton, RadioSet, Select, SelectionList, Static, TextArea
from textual.widgets._footer import FooterKey

from kwaliteitskader.core.model.assessment import get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.screens.wizard import CHECK_STEP, WizardScreen
from kwaliteitskader.tui.widgets.overview import AnswerItem, AnswersOverview
from kwaliteitskader.tui.widgets.questions import QuestionField, widget_id
from kwaliteitskader.tui.widgets.verdict import LONGEST_WORD, MissingItem, VerdictView
from tests.functional.tui.drive import go_to, new_assessment, settle, sync, wait_for_screen, whole_footer_keys

SAMPLES = Path(__file__).resolve().parents[3] / "sample_assessments"
SIZE = (120, 40)



def drawn(widget: Any) -> str:
    """The lines a widget draws, as plain text."""
    return "\n".join("".join(segment.text for segment in widget.render_line(y)) for y in range(widget.size.height))


@sync
async def test_the_chosen_answer_is_marked_apart_from_the_highlight(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        field = await go_to(pilot, "intervention.manual")
        radio = field.query_one(RadioSet)
        buttons = list(radio.query(RadioButton))
        await pilot.press("left", "left")  # the highlight moves to "ja"; "onbekend" stays chosen
        await pilot.pause()
        assert radio._selected == 0 and get_path(app.assessment, "intervention.manual") == "onbekend"
        assert drawn(buttons[2]).startswith("(•)") and drawn(buttons[0]).startswith("( )")
        await pilot.press("enter")  # Enter chooses the highlighted answer
        await pilot.pause()
        assert get_path(app.assessment, "intervention.manual") == "ja"
        assert drawn(buttons[0]).startswith("(•)") and drawn(buttons[2]).startswith("( )")
        # away from the question no answer looks highlighted: only the mark says which is chosen
        await pilot.press("tab")
        await pilot.pause()
        label_backgrounds = {button.get_visual_style("toggle--label").background for button in buttons}
        assert len(label_backgrounds) == 1


@sync
async def test_yes_no_unknown_questions_take_one_key_answers(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        field = await go_to(pilot, "delivery.monitoring_plan")
        for key, expected in (("j", "ja"), ("n", "nee"), ("o", "onbekend"), ("j", "ja")):
            await pilot.press(key)
            await pilot.pause()
            assert get_path(app.assessment, "delivery.monitoring_plan") == expected, key
            assert drawn(list(field.query(RadioButton))[("ja", "nee", "onbekend").index(expected)]).startswith("(•)")
        assert "j / n / o" in str(field.query_one(".question-label", Static).render())


@sync
async def test_english_one_key_answers_are_y_n_u(make_app: Any) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await go_to(pilot, "delivery.monitoring_plan")
        await pilot.press("y")
        await pilot.pause()
        assert get_path(app.assessment, "delivery.monitoring_plan") == "ja"
        await pilot.press("u")
        await pilot.pause()
        assert get_path(app.assessment, "delivery.monitoring_plan") == "onbekend"


@sync
async def test_step_6_asks_the_domains_of_the_chosen_ingredients_only(make_app: Any, criteria: Criteria) -> None:
    several = [i for i, item in criteria.catalogues["active_ingredients"].items() if len(item.domains) > 1]
    single = [i for i, item in criteria.catalogues["active_ingredients"].items() if len(item.domains) == 1]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await screen.show_step("werkzame_bestanddelen")
        await pilot.pause()
        pairs = screen.query_one(f"#{widget_id('factors.ingredient_domains')}", QuestionField)
        assert not pairs.display  # nothing chosen yet: nothing to ask
        assert screen.open_questions("werkzame_bestanddelen") == 1
        app.set_answer("factors.active_ingredients", [single[0]])
        await pilot.pause()
        assert not pairs.display  # one possible domain: it counts there by itself
        app.set_answer("factors.active_ingredients", [single[0], several[0]])
        await pilot.pause()
        assert pairs.display
        listing = pairs.query_one(SelectionList)
        offered = [listing.get_option_at_index(n).value for n in range(listing.option_count)]
        assert offered == [f"{several[0]}@{d}" for d in criteria.catalogues["active_ingredients"][several[0]].domains]
        shown = drawn(listing)
        assert "(" + criteria.label("domains", criteria.catalogues["active_ingredients"][several[0]].domains[0],
                                    "nl") + ")" not in shown  # the domain once, not "— gezin  (gezin)"
        assert screen.open_questions("werkzame_bestanddelen") == 1  # the pairs are now asked
        # a ticked pair is kept when its ingredient is unticked and ticked again (never lost silently)
        listing.select(offered[0])
        await pilot.pause()
        assert get_path(app.assessment, "factors.ingredient_domains") == [offered[0]]
        app.set_answer("factors.active_ingredients", [single[0]])
        await pilot.pause()
        assert not pairs.display and screen.open_questions("werkzame_bestanddelen") == 0
        assert get_path(app.assessment, "factors.ingredient_domains") == [offered[0]]


@sync
async def test_where_you_are_and_a_check_of_every_answer_before_saving(make_app: Any, criteria: Criteria) -> None:
    app = make_app(SAMPLES / "wijkaanpak_samen_sterk_eindhoven.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen: WizardScreen = await wait_for_screen(pilot, WizardScreen)
        total = len(criteria.document.steps) + 1
        assert str(screen.query_one("#page-interventie .step-progress", Static).render()) == f"Stap 1 van {total}"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert str(screen.query_one("#page-doelgroep .step-progress", Static).render()) == f"Stap 2 van {total}"
        await screen.show_step(CHECK_STEP)
        await pilot.pause()
        assert "Controleer uw antwoorden" in str(screen.query_one(f"#page-{CHECK_STEP} .step-title", Static).render())
        items = list(screen.query_one(AnswersOverview).query(AnswerItem))
        asked = [spec.path for spec in screen.specs if screen.asked(spec)]
        assert [item.path for item in items] == asked  # every asked question, in step order
        manual = next(item for item in items if item.path == "intervention.manual")
        assert "Is er een handleiding?: ja" in str(manual.query_one("Label").render())
        # choosing an answer goes back to its question
        listing = screen.query_one("#overview-answers")
        listing.focus()
        listing.index = listing.children.index(manual)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == "interventie"
        assert app.focused is screen.query_one(f"#{widget_id('intervention.manual')}").query_one(RadioSet)
        # and ctrl+n goes back to the overview, which follows the change
        await pilot.press("n", "ctrl+n")
        await pilot.pause()
        assert screen.current == CHECK_STEP
        manual = next(i for i in screen.query(AnswerItem) if i.path == "intervention.manual")
        assert "Is er een handleiding?: nee" in str(manual.query_one("Label").render())


@sync
async def test_missing_answer_lines_wrap_at_80_columns(make_app: Any) -> None:
    app = make_app(SAMPLES / "onvolledig_weerbaarheid_enschede.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await wait_for_screen(pilot, WizardScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        items = list(app.screen.query(MissingItem))
        assert items
        for item in items:
            label = item.query_one("Label")
            text = " ".join(drawn(label).split())
            assert text == " ".join(str(label.render()).split()), text  # nothing cut off
            assert label.region.right <= item.region.right


@sync
async def test_the_full_table_keeps_words_whole_at_120_columns(make_app: Any) -> None:
    app = make_app(SAMPLES / "onvolledig_weerbaarheid_enschede.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen = await wait_for_screen(pilot, WizardScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        view = screen.query_one("#result", VerdictView)
        table = view.query_one("#verdict-trace", DataTable)
        assert table.row_count == sum(1 + len(r.conditions) for r in screen.verdict.trace)
        source = view._trace_rows(screen.verdict)
        whole = 0
        for row, cells in zip(range(table.row_count), source, strict=True):
            for shown, original in zip(table.get_row_at(row), cells, strict=True):
                assert isinstance(shown, Text)
                words = [w for line in shown.plain.split("\n") for w in line.split()]
                assert "".join(words) == "".join(original.plain.split())  # nothing cut off
                if all(len(word) <= LONGEST_WORD for word in original.plain.split()):  # longer ones are folded
                    assert words == original.plain.split(), (shown.plain, original.plain)
                    whole += 1
        assert whole > table.row_count * 4


@sync
async def test_the_short_description_wraps_over_several_lines(make_app: Any) -> None:
    app = make_app(SAMPLES / "wijkaanpak_samen_sterk_eindhoven.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await wait_for_screen(pilot, WizardScreen)
        field = await go_to(pilot, "intervention.description")
        area = field.query_one(TextArea)
        assert app.focused is area
        assert area.region.height > 3
        assert " ".join(drawn(area).split()) == " ".join(app.assessment.intervention.description.split())


@sync
async def test_list_marks_show_ticked_and_unticked_alike_and_focus_marks_one_control(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        field = await go_to(pilot, "factors.risk_factors")
        listing = field.query_one(SelectionList)
        box = field.query_one(Checkbox)
        lines = drawn(listing).splitlines()
        assert all("X" not in line[:6] for line in lines if line.strip())
        assert drawn(box).strip().startswith("[x]")  # "onbekend / nog niet ingevuld" is ticked, same marks
        await pilot.press("space")
        await pilot.pause()
        assert drawn(listing).splitlines()[0].lstrip("▊ ").startswith("[x]")
        assert drawn(box).strip().startswith("[ ]")
        # the focused control alone carries the accent bar: the list now, the box after shift+tab
        accent = Color.parse(app.current_theme.accent)

        def is_accent(colour: Color) -> bool:
            return all(abs(a - b) <= 4 for a, b in zip(colour.rgb, accent.rgb, strict=True))

        assert app.focused is listing and is_accent(listing.styles.border_left[1])
        assert box.styles.border_left[0] in ("", "none", "hidden", "blank")
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is box
        assert box.styles.border_left[0] == "thick" and is_accent(box.styles.border_left[1])
        assert not is_accent(listing.styles.border_left[1])
        assert field.styles.border_left[0] != "thick"


@sync
async def test_footer_keys_are_dutch_on_a_dutch_screen(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_assessment(pilot)
        await settle(pilot)
        descriptions = {key.description for key in app.screen.query(FooterKey)}
        assert "palette" not in descriptions and "Opdrachten" in descriptions
        field = await go_to(pilot, "target_group.risk_level")
        field.query_one(Select).action_show_overlay()
        await settle(pilot)
        descriptions = {key.description for key in app.screen.query(FooterKey)}
        assert "Dismiss menu" not in descriptions and "Sluit de lijst" in descriptions
        assert "escape" in whole_footer_keys(app.screen, SIZE[0])  # the longer footer is fitted again, none cut off


@sync
async def test_the_result_page_is_never_drawn_half_filled(make_app: Any) -> None:
    """Every frame drawn after ctrl+r either still shows the step before or the whole result page."""
    app = make_app(SAMPLES / "onvolledig_weerbaarheid_enschede.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        screen = await wait_for_screen(pilot, WizardScreen)
        await settle(pilot)
        frames: list[str] = []
        original = app._display

        def display(target: Any, renderable: Any) -> None:
            if renderable is not None:
                frames.append("\n".join("".join(s.text for s in strip) for strip in target._compositor.render_strips()))
            original(target, renderable)

        app._display = display  # type: ignore[method-assign]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.current == "resultaat"
        missing = str(screen.query(MissingItem).first().query_one("Label").render()).split("\n")[0][:30]
        result_frames = [frame for frame in frames if "Ontbrekende antwoorden" in frame]
        assert result_frames
        for frame in result_frames:
            assert missing in frame and "Wat is er nodig" in frame and "STOPPEN" in frame.split("Ontbrekende")[0]


@sync
async def test_the_overview_ends_with_saving(make_app: Any) -> None:
    from kwaliteitskader.tui.screens.file_dialog import FileScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_assessment(pilot)
        await pilot.press("ctrl+r", "ctrl+n")
        await pilot.pause()
        assert screen.current == CHECK_STEP
        assert not screen.query(f"#page-{CHECK_STEP} .next")  # the last page: no further step
        screen.query_one(f"#page-{CHECK_STEP} .save").focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, FileScreen)  # a new assessment is saved under a name the user chooses
