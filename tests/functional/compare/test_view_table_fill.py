"""The table of a large view: rows enter it when the user comes near its end (by keys or by scrolling), never
beyond its limit, in the order of the rows shown; and the loading worker hands over one batch at a time."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import TabbedContent

from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.tui.compare import loader
from kwaliteitskader.tui.compare.app import CompareApp
from kwaliteitskader.tui.compare.rows_pane import AHEAD, TABLE_CHUNK, RowsPane, RowsTable
from kwaliteitskader.tui.compare.screen import CompareScreen
from tests.conftest import SAMPLES, TODAY
from tests.functional.compare.conftest import drive, table_keys
from tests.pilot import wait_until


def many(tmp_path: Path, count: int, skip: int = 0) -> Path:
    """A folder of ``count`` assessments (copies of the samples under their own names, the first of them
    a copy of the sample ``skip`` places after the first by name)."""
    folder = tmp_path / "veel"
    folder.mkdir()
    sources = sorted(SAMPLES.glob("*.toml"))
    for i in range(count):
        source = sources[(i + skip) % len(sources)]
        shutil.copyfile(source, folder / f"b{i:04d}_{source.name}")
    return folder


def in_order(screen: CompareScreen) -> bool:
    """The table shows the first rows of what the view shows, in the same order."""
    keys = table_keys(screen)
    return keys == [r.file for r in screen.shown[: len(keys)]]


def test_rows_enter_the_table_as_the_cursor_comes_near_its_end(tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        assert len(screen.shown) > 3 * TABLE_CHUNK
        assert 0 < table.row_count < len(screen.shown)  # the rest wait until someone comes near
        assert in_order(screen)
        # nobody moved the cursor while the rows loaded: they show in their order from the top, not around
        # the first file loaded (the view's own pick, further down in this order)
        first_loaded = min(r.file for r in screen.shown)
        assert [r.file for r in screen.shown].index(first_loaded) > AHEAD
        await wait_until(pilot, lambda: screen.selected == screen.shown[0].file, "the detail pane on the first row")
        assert table.cursor_row == 0 and table.scroll_y == 0
        seen = [table.row_count]
        for _ in range(len(screen.shown)):
            if table.row_count == len(screen.shown):
                break
            await pilot.press("ctrl+end")  # the cursor to the table's last row: the next chunk comes
            await pilot.pause()
            assert table.row_count > seen[-1]
            seen.append(table.row_count)
        assert table.row_count == len(screen.shown)
        assert in_order(screen)

    drive([many(tmp_path, 4 * TABLE_CHUNK, skip=1)], scenario, size=(160, 40))


def test_scrolling_to_the_end_brings_more_rows(tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        before = table.row_count
        table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert before < table.row_count < len(screen.shown)
        assert table.cursor_row == 0  # scrolling moves no cursor
        assert in_order(screen)

    drive([many(tmp_path, 4 * TABLE_CHUNK)], scenario, size=(160, 40))


def test_the_table_never_holds_more_than_its_limit(tmp_path: Path) -> None:
    limit = TABLE_CHUNK + TABLE_CHUNK // 2

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        for _ in range(10):
            await pilot.press("ctrl+end")
            await pilot.pause()
        assert table.row_count == limit < len(screen.shown)
        assert in_order(screen)
        assert f"de tabel toont de eerste {limit}" in str(screen.query_one("#status").render())

    drive([many(tmp_path, 3 * TABLE_CHUNK)], scenario, size=(160, 40), table_limit=limit)


async def _cursor_deep(pilot: Pilot[None], screen: CompareScreen, chunks: int) -> str:
    """Move the cursor ``chunks`` chunks down the table (each brings the next chunk); its file."""
    for _ in range(chunks):
        await pilot.press("ctrl+end")
        await pilot.pause()
    kept = screen.rows_pane.cursor_file()
    assert kept is not None and screen.rows_pane.table.cursor_row >= chunks * TABLE_CHUNK - 1
    return kept


async def _sought(pilot: Pilot[None], screen: CompareScreen) -> None:
    for _ in range(100):
        if not screen.rows_pane.seeking:
            return
        await pilot.pause()
    raise AssertionError("the table never reached the selected file")


def test_a_new_order_shows_at_once_and_the_cursor_finds_its_file_again(tmp_path: Path) -> None:
    """A sort with the cursor deep in the table: the new order is in the table at once (its first chunk,
    never all rows up to the cursor in one go), the detail pane keeps the file, and the table fills up to
    the file a chunk at a time until the cursor is on it again."""

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        kept = await _cursor_deep(pilot, screen, 3)
        screen.sort_by(screen.sort_column, descending=True)  # as a second click on the column's header
        position = [r.file for r in screen.shown].index(kept)
        assert position > 2 * TABLE_CHUNK  # deep in the new order too
        assert table.row_count <= TABLE_CHUNK and in_order(screen)  # the new order, at once
        assert screen.rows_pane.seeking and screen.selected == kept
        await _sought(pilot, screen)
        await pilot.pause()
        assert screen.rows_pane.cursor_file() == kept and screen.selected == kept
        assert in_order(screen)
        assert position < table.row_count <= position + 1 + AHEAD + 2 * TABLE_CHUNK  # up to it, not all rows

    drive([many(tmp_path, 8 * TABLE_CHUNK)], scenario, size=(160, 40))


def test_moving_the_cursor_while_the_table_fills_keeps_it_where_the_user_put_it(tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        kept = await _cursor_deep(pilot, screen, 3)
        screen.sort_by(screen.sort_column, descending=True)
        assert screen.rows_pane.seeking
        table.move_cursor(row=2)  # as the arrow keys do, before the table reached the file
        await _sought(pilot, screen)
        await pilot.pause()
        assert table.cursor_row == 2
        chosen = screen.rows_pane.cursor_file()
        assert chosen != kept and screen.selected == chosen  # the detail pane follows the cursor
        assert in_order(screen)

    drive([many(tmp_path, 8 * TABLE_CHUNK)], scenario, size=(160, 40))


def test_a_new_order_without_the_selected_file_puts_the_cursor_on_top(tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        table = screen.rows_pane.table
        await _cursor_deep(pilot, screen, 2)
        screen.apply_filter("zzz-nergens")  # matches no row: the selected file is not among them
        await pilot.pause()
        assert not screen.rows_pane.seeking and table.row_count == 0 and screen.selected is None
        screen.apply_filter("")
        assert not screen.rows_pane.seeking and table.cursor_row == 0
        # the detail pane opens a file once the table has drawn the new order, not in the same drawing: the
        # row the cursor is on by then, whatever it passed meanwhile
        assert screen.selected is None
        table.move_cursor(row=2)
        await wait_until(pilot, lambda: screen.selected, "the detail pane once the table is drawn")
        assert table.cursor_row == 2 and screen.selected == screen.shown[2].file and in_order(screen)

    drive([many(tmp_path, 4 * TABLE_CHUNK)], scenario, size=(160, 40))


def test_the_worker_posts_a_batch_only_once_the_view_took_in_the_one_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker never reads ahead while the view handles (and draws) a batch: when it posts a batch, the
    view has handled every batch posted before. And rows enter the table only once the screen's first frame
    is drawn (the table in it, still empty): the first frame does not wait for them."""
    posted: list[int] = []
    handled: list[int] = []
    ahead: list[tuple[int, int]] = []
    drawn: list[int] = []
    post = CompareScreen.post_message
    add = RowsPane.add
    render_lines = RowsTable.render_lines

    def posting(self: CompareScreen, message: object) -> bool:
        if isinstance(message, loader.RowsArrived):
            if len(posted) != len(handled):
                ahead.append((len(posted), len(handled)))
            posted.append(1)
        return post(self, message)  # type: ignore[arg-type]

    def adding(self: RowsPane, *args: object, **kwargs: object) -> bool:
        if self.screen.loading_rows:  # type: ignore[attr-defined]
            handled.append(len(drawn))
        return add(self, *args, **kwargs)  # type: ignore[arg-type]

    def drawing(self: RowsTable, crop: Region) -> list[Strip]:
        drawn.append(self.row_count)
        return render_lines(self, crop)

    monkeypatch.setattr(CompareScreen, "post_message", posting)
    monkeypatch.setattr(RowsPane, "add", adding)
    monkeypatch.setattr(RowsTable, "render_lines", drawing)

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert len(posted) > 10
        assert not ahead
        assert handled[0] > 0 and drawn[0] == 0  # the first frame drew the table empty, then the rows came

    drive([many(tmp_path, 2 * TABLE_CHUNK)], scenario, batch_size=7)


def test_the_worker_goes_on_after_the_first_rows_once_the_detail_pane_shows_the_first_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detail pane opens a file and draws a view of its own: the worker does not read on meanwhile.
    When it posts its second batch, the detail pane shows the first row (and no later batch was posted
    before that)."""
    monkeypatch.setattr(loader, "DETAIL_WAIT", 60.0)  # the wait's bound is for a table that is not drawn
    shown_at_post: list[str | None] = []
    post = CompareScreen.post_message

    def posting(self: CompareScreen, message: object) -> bool:
        if isinstance(message, loader.RowsArrived):
            shown_at_post.append(self.selected if self.query(RowsPane) else None)  # posted before it is composed
        return post(self, message)  # type: ignore[arg-type]

    monkeypatch.setattr(CompareScreen, "post_message", posting)

    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        assert len(shown_at_post) > 2
        assert shown_at_post[0] is None
        first_loaded = min(r.file for r in screen.rows)
        assert shown_at_post[1] == first_loaded

    drive([many(tmp_path, 2 * TABLE_CHUNK)], scenario, batch_size=7)


def test_rows_load_and_the_detail_follows_while_another_tab_is_shown(tmp_path: Path) -> None:
    """The table is not drawn while another tab is shown: the rows still load to the end, and the detail pane
    shows the cursor's row once the table is shown (and drawn) again."""
    folder = many(tmp_path, 2 * TABLE_CHUNK, skip=1)

    async def main() -> None:
        app = CompareApp([folder], load_criteria(), "nl", today=TODAY, batch_size=7)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = app.compare_screen
            tabs = screen.query_one("#tabs", TabbedContent)
            tabs.active = "tab-errors"
            await wait_until(pilot, lambda: not screen.loading_rows, "all rows, with the table hidden")
            assert len(screen.rows) == 2 * TABLE_CHUNK and in_order(screen)
            tabs.active = "tab-rows"
            await wait_until(pilot, lambda: screen.selected == screen.rows_pane.cursor_file(), "the detail pane")
            assert screen.selected == screen.shown[0].file

    asyncio.run(main())
