"""How the comparison view starts: the hidden tabs get their content when first shown, by key, by mouse
or from the tab bar; the loading worker posts the core's rows in the core's order, closes the index it
opened even when the view closes first, and leaves Python's garbage collector alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, Tabs

from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.index import PortfolioIndex, open_index
from kwaliteitskader.core.portfolio.loading import load_rows
from kwaliteitskader.tui.compare import loader
from kwaliteitskader.tui.compare.app import CompareApp
from kwaliteitskader.tui.compare.screen import CompareScreen
from kwaliteitskader.tui.compare.widgets import ClassBars
from tests.conftest import TODAY, data_file
from tests.functional.compare.conftest import drive, wait_loaded

HIDDEN = {  # a tab, and a widget of its content with what it shows before anything happened
    "tab-side": ("#side-head", "Markeer"),
    "tab-portfolio": ("#coverage-note", "Aantal beoordeelde interventies"),
    "tab-errors": ("#errors-none", ""),
    "tab-reclassify": ("#re-head", ""),
}


def content_of(screen: CompareScreen, tab: str) -> list[str]:
    return [str(w.id) for w in screen.query_one(f"#{tab}").query("*") if w.id]


def test_hidden_tabs_have_no_content_until_shown(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        for tab in HIDDEN:
            assert content_of(screen, tab) == [], tab
        assert screen.query("#detail-verdict")  # the detail pane's verdict came with the first row

    drive([samples], scenario)


def test_a_tab_opened_by_its_key_shows_its_content(samples: Path, criteria: Criteria) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        await pilot.press("p")
        await pilot.pause()
        assert screen.query_one("#tabs").active == "tab-portfolio"
        coverage = screen.query_one("#coverage", DataTable)
        assert coverage.region.height > 0 and coverage.row_count == len(criteria.catalogues["risk_factors"])
        bars = screen.query_one("#bars", ClassBars)
        assert bars.portfolio is not None and bars.region.height > 0
        assert screen.focused is coverage  # focus follows

    drive([samples], scenario)


def test_each_tab_opened_by_a_click_on_its_name_shows_its_content(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        for tab, (widget, text) in HIDDEN.items():
            await pilot.click(f"#--content-tab-{tab}")
            await pilot.pause()
            await pilot.pause()
            assert screen.query_one("#tabs").active == tab
            shown = screen.query_one(widget, Static)
            assert shown.region.height > 0, tab
            assert text in str(shown.render()), tab
        # the portfolio, opened by mouse, is filled as when opened by key
        await pilot.click("#--content-tab-tab-portfolio")
        await pilot.pause()
        assert screen.query_one("#bars", ClassBars).portfolio is not None
        assert screen.query_one("#coverage", DataTable).row_count > 0
        await pilot.click("#--content-tab-tab-rows")
        await pilot.pause()
        assert screen.query_one("#rows", DataTable).region.height > 0

    drive([samples], scenario)


def test_tabs_reached_with_the_arrow_keys_on_the_tab_bar_show_their_content(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        screen.query_one(Tabs).focus()
        for tab in ("tab-side", "tab-portfolio", "tab-errors", "tab-reclassify"):
            await pilot.press("right")
            await pilot.pause()
            await pilot.pause()
            assert screen.query_one("#tabs").active == tab
            widget, _ = HIDDEN[tab]
            assert screen.query_one(widget).region.height > 0, tab

    drive([samples], scenario)


def test_errors_fill_their_tab_while_it_is_hidden(samples: Path) -> None:
    data_file("assessments/unclosed_string.toml", samples / "kapot.toml")

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert screen.query_one("#tabs").active == "tab-rows"
        errors = screen.query_one("#errors", DataTable)
        assert errors.row_count == 1 and not screen.query_one("#errors-none").display
        await pilot.click("#--content-tab-tab-errors")
        await pilot.pause()
        assert errors.region.height > 0
        assert errors.get_row_at(0)[0].plain.endswith("kapot.toml")

    drive([samples], scenario, batch_size=3)


def test_the_rows_are_those_of_the_core_in_the_same_order(samples: Path, criteria: Criteria) -> None:
    """Batch by batch, from the worker to the view: none lost or twice, in the core's order."""
    data_file("assessments/unclosed_string.toml", samples / "kapot.toml")
    expected = load_rows([samples], criteria, today=TODAY)

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert screen.rows == expected.rows
        assert [e.file for e in screen.errors] == [e.file for e in expected.errors]

    for batch_size in (1, 3, 250):
        drive([samples], scenario, criteria=criteria, batch_size=batch_size)


def test_a_view_shown_after_its_first_rows_were_read_gets_them_all(samples: Path, criteria: Criteria) -> None:
    """The app starts loading before it shows the view. A worker whose first batch is ready before the view
    is mounted waits for the view, and then posts every row (posting to a view that does not belong to the
    app yet fails in the worker)."""
    expected = load_rows([samples], criteria, today=TODAY)

    class ShownLate(CompareApp):
        async def on_mount(self) -> None:
            await asyncio.sleep(0.5)  # the worker has read its first batch of one file long before
            self.push_screen(self.compare_screen)

    async def main() -> None:
        app = ShownLate([samples], criteria, "nl", today=TODAY, batch_size=1)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.compare_screen
            await wait_loaded(pilot, screen)
            assert screen.rows == expected.rows
        assert all(worker.error is None for worker in app.workers)

    asyncio.run(asyncio.wait_for(main(), timeout=120))


def test_a_view_closed_while_loading_closes_its_index(samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker opens the portfolio index and closes it when it stops, also when the view closes before
    all rows are in (the worker is cancelled then)."""
    opened: list[PortfolioIndex] = []

    def recording(paths: list[Path], where: str | Path | None) -> PortfolioIndex | None:
        index = open_index(paths, where)
        if index is not None:
            opened.append(index)
        return index

    monkeypatch.setattr(loader, "open_index", recording)

    async def main() -> None:
        app = CompareApp([samples], load_criteria(), "nl", today=TODAY, index=tmp_path / "index.sqlite", batch_size=1)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
        for worker in app.workers:
            await worker.wait()

    asyncio.run(main())
    assert len(opened) == 1
    assert not opened[0].usable


def test_the_view_leaves_the_garbage_collector_alone() -> None:
    """How Python collects garbage is the application's decision, made in one module (``gc_policy``): no module
    of the view imports ``gc`` or the core's collector helpers."""
    import ast

    import kwaliteitskader.tui.compare as package

    for module in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                     for alias in node.names}
        assert not {"gc", "kwaliteitskader.core.heap"} & imported, module.name
        assert not any(name.startswith("kwaliteitskader.core.heap") for name in imported), module.name


def test_the_rows_are_out_of_the_collectors_sight_while_the_view_holds_them(tmp_path: Path) -> None:
    """The view keeps its rows out of the cycle collector's sight while it holds them (a full pass would walk
    them all again each time a quarter more objects are kept) and gives them back when it closes."""
    import gc

    from tests.functional.compare.test_view_table_fill import many

    before = gc.get_freeze_count()
    seen: list[tuple[int, int]] = []

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert len(screen.rows) == 120
        seen.append((gc.get_freeze_count(), len(screen.rows)))
        assert all(gc.is_tracked(row) for row in screen.rows)  # still objects the collector could visit…

    drive([many(tmp_path, 120)], scenario, batch_size=10)
    (frozen, rows), = seen
    assert frozen - before > rows  # …but frozen with everything else alive when they were taken in
    assert gc.get_freeze_count() == 0  # the view closed: everything back in sight


def test_an_app_that_ends_before_the_view_is_shown_lets_its_loading_worker_end(samples: Path) -> None:
    """The app starts loading before the view is composed; the worker waits for the view before it posts rows.
    When the app ends first, the worker is let go and ends (it would otherwise keep the process from ending)."""

    class NeverShown(CompareApp):
        def on_mount(self) -> None:
            pass  # the view is never pushed, so it never draws

    async def main() -> None:
        app = NeverShown([samples], load_criteria(), "nl", today=TODAY, batch_size=1)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)  # time for the worker to post its first batch and wait
        for worker in app.workers:
            await asyncio.wait_for(worker.wait(), timeout=60)

    asyncio.run(asyncio.wait_for(main(), timeout=120))


def test_the_first_frame_is_laid_out_and_drawn_in_two_turns_of_the_event_loop(
    samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A callback the event loop is given when the screen is shown runs before the screen is first drawn:
    styling and laying out the screen and drawing it are not one stretch of work (keys get in between)."""
    events: list[str] = []
    resume = CompareScreen.on_screen_resume
    render_lines = CompareScreen.render_lines

    def resuming(self: CompareScreen) -> None:
        asyncio.get_running_loop().call_soon(events.append, "other task")
        events.append("shown")
        resume(self)

    def drawing(self: CompareScreen, crop: object) -> object:
        events.append("drawn")
        return render_lines(self, crop)  # type: ignore[arg-type]

    monkeypatch.setattr(CompareScreen, "on_screen_resume", resuming)
    monkeypatch.setattr(CompareScreen, "render_lines", drawing)

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert events[:3] == ["shown", "other task", "drawn"], events[:5]

    drive([samples], scenario)
