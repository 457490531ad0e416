"""The comparison view, driven with the pilot: sort, filter, detail, side by side, portfolio, errors,
re-classify and export."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from textual.events import Resize
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select

from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import loading, side_by_side, summary, table
from kwaliteitskader.core.rules.engine import evaluate
from kwaliteitskader.tui.compare.app import CompareApp
from kwaliteitskader.tui.compare.loader import RowsArrived
from kwaliteitskader.tui.compare.screen import CompareScreen
from kwaliteitskader.tui.compare.widgets import ClassBars, ExportDialog, FolderDialog
from kwaliteitskader.tui.widgets.verdict import VerdictView
from tests.conftest import TODAY, Variant, data_file
from tests.functional.compare.conftest import drive, table_keys
from tests.functional.tui.drive import whole_footer_keys


def table_files(screen: CompareScreen) -> list[str]:
    return table_keys(screen)


def header_x(screen: CompareScreen, column: str) -> int:
    """Where to click (x within the table) to hit a column's header."""
    table = screen.query_one("#rows", DataTable)
    x = 0
    for key, col in table.columns.items():
        if key.value == column:
            return x + 1
        x += col.get_render_width(table)
    raise KeyError(column)


def test_rows_load_in_batches_and_errors_are_listed(samples: Path) -> None:
    data_file("assessments/unclosed_string.toml", samples / "kapot.toml")
    expected = {str(f) for f in samples.glob("*.toml") if f.name != "kapot.toml"}

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert set(table_files(screen)) == expected
        errors = screen.query_one("#errors", DataTable)
        assert errors.row_count == 1
        assert errors.get_row_at(0)[0].plain.endswith("kapot.toml")
        assert errors.get_row_at(0)[1].plain == "3"
        assert "(1)" in str(screen.query_one("#tabs").get_tab("tab-errors").label)
        assert not screen.query_one("#progress").display

    drive([samples], scenario, batch_size=3)


def test_big_sets_fill_the_table_up_to_the_limit_and_filters_reach_the_rest(samples: Path, criteria: Criteria) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert len(screen.rows) > 4
        assert (
            table_files(screen) == [r.file for r in table.sort_rows(screen.rows, "municipality", criteria=criteria)][:4]
        )
        assert "de tabel toont de eerste 4" in str(screen.query_one("#status").render())
        last = table.sort_rows(screen.rows, "municipality", criteria=criteria)[-1]
        screen.query_one("#filter", Input).value = f'gemeente:"{last.municipality}"'
        await pilot.pause()
        assert last.file in table_files(screen)
        await pilot.press("d")  # reversed order brings the other end into the table
        assert (
            table_files(screen)[0]
            == table.sort_rows(
                [r for r in screen.rows if r.municipality == last.municipality],
                "municipality",
                descending=True,
                criteria=criteria,
            )[0].file
        )

    drive([samples], scenario, batch_size=3, table_limit=4)


def test_sort_by_key_and_by_clicking_a_header(samples: Path, criteria: Criteria) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        rows = screen.rows
        assert table_files(screen) == [r.file for r in table.sort_rows(rows, "municipality", criteria=criteria)]
        await pilot.press("s")  # next column: intervention
        assert screen.sort_column == "intervention"
        assert table_files(screen) == [r.file for r in table.sort_rows(rows, "intervention", criteria=criteria)]
        await pilot.press("d")
        assert table_files(screen) == [
            r.file for r in table.sort_rows(rows, "intervention", descending=True, criteria=criteria)
        ]
        # click the "Klasse" header: sort by class; click again: reversed
        await pilot.click("#rows", offset=(header_x(screen, "class"), 0))
        await pilot.pause()
        assert (screen.sort_column, screen.descending) == ("class", False)
        assert table_files(screen) == [r.file for r in table.sort_rows(rows, "class", criteria=criteria)]
        await pilot.click("#rows", offset=(header_x(screen, "class"), 0))
        await pilot.pause()
        assert (screen.sort_column, screen.descending) == ("class", True)

    drive([samples], scenario)


def test_filter_is_visible_and_can_be_cleared(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        everything = set(table_files(screen))
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#filter", Input)
        for key in "gemeente":
            await pilot.press(key)
        await pilot.press("colon")
        for key in "rotterdam":
            await pilot.press(key)
        await pilot.pause()
        expected = {r.file for r in screen.rows if r.municipality == "Rotterdam"}
        assert set(table_files(screen)) == expected and expected
        status = str(screen.query_one("#status").render())
        assert "gemeente:rotterdam" in status
        screen.query_one("#filter", Input).value = "klasse:kansrijk domein:buurt"
        await pilot.pause()
        assert set(table_files(screen)) == {
            r.file for r in screen.rows if r.decided_class == "kansrijk" and "buurt" in r.domains
        }
        await pilot.click("#clear-filter")
        await pilot.pause()
        assert set(table_files(screen)) == everything
        assert screen.query_one("#filter", Input).value == ""

    drive([samples], scenario)


def test_the_footer_shows_whole_keys_at_every_width_the_most_needed_ones_always(samples: Path) -> None:
    """Every key the footer shows is drawn whole (never "v N" cut off), export and quit always among them."""
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        counts = {}
        for width in (180, 120, 80):
            await pilot.resize_terminal(width, 40)
            for _ in range(3):
                await pilot.pause()
            keys = whole_footer_keys(screen, width)
            assert {"slash", "s", "v", "e", "q"} <= keys, width
            counts[width] = len(keys)
        assert counts[180] > counts[120] > counts[80], counts
        assert screen.active_bindings["q"].binding.description == "Afsluiten"  # not "Stoppen", a class

    drive([samples], scenario)


def test_a_resize_to_the_size_shown_redraws_nothing_another_size_lays_the_view_out_anew(samples: Path) -> None:
    """Textual hands the terminal's size to the screen again after it is shown: the view, laid out for that size
    already, is not laid out and drawn again. A new size is: the detail pane goes under the table when narrow."""

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        drawn: list[int] = []
        render_lines = table.render_lines
        table.render_lines = lambda crop: (drawn.append(1), render_lines(crop))[1]  # type: ignore[method-assign]
        for _ in range(3):
            await pilot.pause()
        drawn.clear()
        screen.post_message(Resize(screen.size, screen.size))
        for _ in range(3):
            await pilot.pause()
        assert not drawn
        assert not screen.has_class("-narrow")
        await pilot.resize_terminal(100, 40)
        for _ in range(3):
            await pilot.pause()
        assert drawn and screen.has_class("-narrow")
        detail = screen.query_one("#detail")
        assert detail.region.y > table.region.y and detail.region.width == table.region.width

    drive([samples], scenario)


def test_detail_shows_the_verdict_of_the_selected_row(samples: Path, criteria: Criteria) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        view = screen.query_one("#detail-verdict", VerdictView)
        view.toggle_table()  # the full table is built when it is shown
        await pilot.pause()
        for _ in range(3):
            file = screen._cursor_file()
            assert file is not None and screen.selected == file
            expected = evaluate(load_assessment(file).assessment, criteria)
            assert view.verdict is not None
            assert (view.verdict.class_, view.verdict.rule) == (expected.class_, expected.rule)
            trace = view.query_one("#verdict-trace", DataTable)
            assert trace.row_count == sum(1 + len(r.conditions) for r in expected.trace)
            await pilot.press("down")
            await pilot.pause()

    drive([samples], scenario)


def test_side_by_side_of_two_marked_rows(samples: Path, variant: Variant, criteria: Criteria) -> None:
    variant(
        "ajb_rotterdam", "ajb_met_afschrikking", **{"harm_signals.afschrikking": "ja", "delivery.supervision": "nee"}
    )

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        screen.query_one("#filter", Input).value = "ajb gemeente:Rotterdam"
        await pilot.pause()
        files = table_files(screen)
        assert len(files) == 2
        await pilot.press("v")  # nothing marked yet: a notice, no change
        assert screen.query_one("#tabs").active == "tab-rows"
        await pilot.press("m", "down", "m", "v")
        await pilot.pause()
        assert screen.marked == files
        assert screen.query_one("#tabs").active == "tab-side"
        assert screen.query_one("#side-answers").region.height > 0
        answers = screen.query_one("#side-answers", DataTable)
        keys = {str(answers.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(answers.row_count)}  # type: ignore[arg-type]
        assert keys == {"harm_signals.afschrikking", "delivery.supervision"}
        left, right = (load_assessment(f).assessment for f in files)
        diff = side_by_side.diff_assessments(left, right, criteria)
        rules = screen.query_one("#side-rules", DataTable)
        assert rules.row_count == len(diff.rules) > 0

    drive([samples], scenario)


def test_portfolio_chart_and_coverage(samples: Path, criteria: Criteria) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        await pilot.press("p")
        await pilot.pause()
        assert screen.query_one("#tabs").active == "tab-portfolio"
        assert screen.query_one("#tab-portfolio").region.height > 0  # really laid out, not just selected
        assert screen.query_one("#tab-rows").region.height == 0 or not screen.query_one("#tab-rows").display
        bars = screen.query_one("#bars", ClassBars)
        assert bars.portfolio is not None
        rendered = bars.render().plain
        for m in bars.portfolio.municipalities:
            assert m in rendered
        coverage = screen.query_one("#coverage", DataTable)
        assert coverage.row_count == len(criteria.catalogues["risk_factors"])
        uncovered = str(screen.query_one("#uncovered").render())
        pf = summary.build_portfolio(screen.rows, criteria)
        for f in pf.uncovered_dynamic:
            assert criteria.label("risk_factors", f, "nl") in uncovered
        # filtering narrows the portfolio too
        screen.query_one("#filter", Input).value = "gemeente:Rotterdam"
        await pilot.pause()
        assert bars.portfolio.municipalities == ["Rotterdam"]

    drive([samples], scenario)


def test_export_from_the_view(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit" / "overzicht.csv"
    out.parent.mkdir()

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        screen.query_one("#filter", Input).value = "klasse:kansrijk"
        await pilot.pause()
        shown = table_files(screen)
        await pilot.press("e")
        await pilot.pause()
        dialog = screen.app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.click("#export-ok")
        await pilot.pause()
        assert screen.app.screen is screen
        rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
        assert [r["Bestand"] for r in rows] == shown  # what the table shows, in its order
        # a second export to the same name is refused unless "overwrite" is ticked
        before = out.read_bytes()
        assert not screen.export("md", out)
        assert out.read_bytes() == before
        await pilot.press("e")
        await pilot.pause()
        dialog = screen.app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "html"
        await pilot.pause()
        assert dialog.query_one("#export-path", Input).value.endswith(".html")
        dialog.query_one("#export-path", Input).value = str(out)
        dialog.query_one("#export-overwrite", Checkbox).value = True
        await pilot.click("#export-ok")
        await pilot.pause()
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    drive([samples], scenario)


def test_reclassify_from_the_view(samples: Path, criteria_copy: Path, criteria: Criteria) -> None:
    regels = criteria_copy / "regels.toml"
    block = 'id = "kansrijk_gemonitord"\nclass = "kansrijk"\nadvice = "monitoren_en_onderzoeken"'
    text = regels.read_text(encoding="utf-8")
    assert block in text
    regels.write_text(text.replace(block, block.replace("monitoren_en_onderzoeken", "versterken")), encoding="utf-8")

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        # the rule's own verdicts, and the open ones that can still end there (their possible advice changes)
        expected = {r.file for r in screen.rows if "monitoren_en_onderzoeken" in r.possible_advice}
        assert {r.file for r in screen.rows if r.rule == "kansrijk_gemonitord"} < expected
        await pilot.press("r")
        await pilot.pause()
        dialog = screen.app.screen
        assert isinstance(dialog, FolderDialog)
        dialog.query_one("#folder-path", Input).value = str(samples)  # not a criteria folder
        await pilot.click("#folder-ok")
        await pilot.pause()
        assert screen.app.screen is dialog
        field = dialog.query_one("#folder-path", Input)
        field.value = str(criteria_copy)
        field.focus()
        await pilot.press("enter")  # submitting the field works like the button
        await pilot.pause()
        await screen.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.reclassified is not None
        assert screen.query_one("#tabs").active == "tab-reclassify"
        assert screen.query_one("#re-changes").region.height > 0
        table = screen.query_one("#re-changes", DataTable)
        keys = {str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)}  # type: ignore[arg-type]
        assert keys == expected
        head = str(screen.query_one("#re-head").render())
        assert f"{len(expected)} van {len(screen.rows)}" in head

    drive([samples], scenario, criteria=criteria)


def test_a_batch_that_arrives_after_the_view_closed_is_dropped(samples: Path, criteria: Criteria) -> None:
    """The loading worker may post a batch just as the view closes (it checks for cancellation before it
    posts, not after): the closed view does not take it, and closing during loading ends without an error."""
    loaded = loading.load_rows([samples], criteria, today=TODAY)
    late = loading.Batch(loaded.rows[:2], [], 2, len(loaded.rows))

    async def main() -> CompareScreen:
        app = CompareApp([samples], criteria, "nl", today=TODAY)
        async with app.run_test(size=(180, 50)) as pilot:
            await pilot.pause()
        return app.compare_screen

    screen = asyncio.run(main())
    before = list(screen.rows)
    assert not screen.post_message(RowsArrived(late))
    assert screen.rows == before


_FIRST_ROWS = """
import asyncio, sys
from pathlib import Path
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.tui.compare.app import CompareApp
from kwaliteitskader.tui.compare.loader import RowsArrived

async def main():
    app = CompareApp([Path(sys.argv[1])], load_criteria(light=True), "nl")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.compare_screen
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(len(screen.rows), "pydantic" in sys.modules)

asyncio.run(main())
"""


def test_the_view_loads_its_rows_without_pydantic(samples: Path, tmp_path: Path) -> None:
    """As ``kwaliteitskader compare`` starts it (criteria from the checked cache): importing pydantic and
    building the models would delay the first rows (docs/performance.md)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root), "KWALITEITSKADER_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-c", _FIRST_ROWS, str(samples)]
    subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=True)  # fills the cache
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=True)
    count, pydantic = done.stdout.split()
    assert int(count) == len(loading.load_rows([samples], load_criteria()).rows) > 0
    assert pydantic == "False", done.stderr
