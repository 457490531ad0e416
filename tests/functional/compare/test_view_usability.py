"""The comparison view for a coordinator on an ordinary screen: class and advice in view at 100
columns, filter typos reported, no stale detail, both sides of side by side in view, marks explained, a
Dutch command palette, and Escape closing the keys panel."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from kwaliteitskader.tui.compare.screen import CompareScreen
from kwaliteitskader.tui.widgets.verdict import VerdictView
from tests.conftest import run_cli
from tests.functional.compare.conftest import Scenario, column_span
from tests.functional.compare.conftest import drive as shared_drive
from tests.pilot import wait_until


def drive(paths: list[Path], scenario: Scenario, *, size: tuple[int, int] = (100, 30)) -> None:
    shared_drive(paths, scenario, size=size)


def test_class_and_advice_are_in_view_at_100_columns(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        rows = screen.query_one("#rows", DataTable)
        visible = rows.scrollable_content_region.width
        for column in ("municipality", "intervention", "class", "advice"):
            start, end = column_span(rows, column)
            assert end <= visible, (column, start, end, visible)
        assert screen.query_one("#detail").region.width > 0  # the detail is still there, under the table

    drive([samples], scenario, size=(100, 30))


def test_an_unknown_filter_key_is_reported_with_the_valid_ones(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        warning = screen.query_one("#filter-warning", Static)
        assert not warning.display
        screen.query_one("#filter", Input).value = "klase:stoppen"
        await pilot.pause()
        assert warning.display
        text = str(warning.render())
        assert "Onbekende filtersleutel: klase" in text
        assert "klasse" in text and "gemeente" in text and "domein" in text and "factor" in text
        screen.query_one("#filter", Input).value = "klasse:stoppen"
        await pilot.pause()
        assert not warning.display

    drive([samples], scenario, size=(160, 40))


def test_the_cli_refuses_an_unknown_filter_key(samples: Path) -> None:
    result = run_cli("compare", samples, "--format", "csv", "--filter", "klase:stoppen")
    assert result.returncode == 2
    assert "Onbekende filtersleutel: klase" in result.stderr and "klasse" in result.stderr


def test_the_detail_shows_no_stale_assessment_when_the_filter_leaves_nothing(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        title = screen.query_one("#detail-title", Static)
        verdict = screen.query_one("#detail-verdict", VerdictView)
        first = screen.shown[0]
        assert first.intervention in str(title.render()) and verdict.display
        screen.query_one("#filter", Input).value = "geen-enkele-beoordeling-heet-zo"
        await wait_until(pilot, lambda: not screen.shown, "the filter to leave no rows")
        assert first.intervention not in str(title.render())
        assert "het filter laat geen rijen over" in str(title.render())
        assert not verdict.display
        screen.query_one("#filter", Input).value = ""
        # the detail follows once the table is drawn again: on a busy machine that is more than one pause
        await wait_until(pilot, lambda: verdict.display and screen.selected is not None, "the detail of a row again")

    drive([samples], scenario, size=(160, 40))


def test_side_by_side_shows_both_columns_at_120_columns(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        await pilot.press("m", "down", "m", "v")
        await pilot.pause()
        answers = screen.query_one("#side-answers", DataTable)
        assert answers.row_count > 0
        visible = answers.scrollable_content_region.width
        for column in ("question", "left", "right"):
            assert column_span(answers, column)[1] <= visible, column
        rules = screen.query_one("#side-rules", DataTable)
        for column in ("rule", "left", "right"):
            assert column_span(rules, column)[1] <= rules.scrollable_content_region.width, column

    drive([samples], scenario, size=(120, 40))


def test_marking_a_third_row_says_which_mark_was_removed(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        first = screen.shown[0]
        await pilot.press("m", "down", "m", "down")
        assert not screen.app._notifications
        await pilot.press("m")
        await pilot.pause()
        assert len(screen.marked) == 2 and first.file not in screen.marked
        messages = [str(n.message) for n in screen.app._notifications]
        assert any(first.intervention in m and "twee" in m for m in messages), messages

    drive([samples], scenario, size=(160, 40))


def test_the_command_palette_is_dutch_and_escape_closes_the_keys_panel(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        app = screen.app
        titles = [c.title for c in app.get_system_commands(screen)]
        for dutch in ("Filteren", "Sorteren", "Markeren", "Naast elkaar", "Exporteren", "Kleurenschema", "Toetsen",
                      "Afsluiten"):
            assert dutch in titles, titles
        assert not {"Theme", "Keys", "Quit", "Screenshot"} & set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "Zoek een opdracht…"
        await pilot.press(*"toetsen", "enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.query("HelpPanel")
        screen.query_one("#filter", Input).value = "rotterdam"
        await pilot.pause()
        screen.query_one("#rows", DataTable).focus()
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query("HelpPanel")
        assert screen.query_one("#filter", Input).value == "rotterdam"  # the first Escape only closed the panel
        await pilot.press("escape")
        assert screen.query_one("#filter", Input).value == ""

    drive([samples], scenario, size=(160, 40))
