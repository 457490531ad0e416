"""Probe: the comparison view on a folder of assessments, headless.

``python benchmarks/probes/compare.py FOLDER`` prints ``first_rows_ms`` (from the start of this process's
Python code, imports included, until the first rows are in the view's table), ``all_rows_ms``, ``rows``,
``peak_rss_mb`` (this process or one of its worker processes, whichever is larger), ``max_stall_ms`` (the
longest the app's event loop was kept busy while rows loaded, the view's start included), ``max_stall_after_first_ms``
(the same from the moment the first rows are in the table), ``max_stall_end_ms`` (the same in the half second
after all rows are in, when the view shows them in its order) and ``tui=1``; ``--index FILE`` gives the view a
portfolio index (default off), ``--interact`` also times filters and sorts over all rows (``filter_ms_*``,
``sort_ms_*``: from the request until the table shows the new order). The view is
set up as ``kwaliteitskader compare`` sets it up (``run_compare``): worker processes forked before Textual
starts, the rows loaded by the view's own worker. Without
the view (``kwaliteitskader.tui.compare``) it measures the core loading (``core.portfolio.loading.iter_batches``)
and prints ``tui=0``.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before any import
import asyncio  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children)


FILTERS = ("klasse:kansrijk", "gemeente:Utrecht", "factor:impulsiviteit", "domein:gezin", "Interventie 0001", "")
SORTS = ("class", "date", "municipality", "evidence")


async def view(folder: Path, index: str, interact: bool) -> None:
    from textual.widgets import DataTable

    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.tui.compare.app import CompareApp, start_view_pool

    criteria = load_criteria(light=True)  # as run_compare loads them
    pool = start_view_pool(criteria)  # as run_compare does, before Textual starts its threads
    app = CompareApp([folder], criteria, "nl", pool=pool, index=index)
    watched = asyncio.ensure_future(watch(app))  # from the app's start, not only once the pilot is ready
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.compare_screen
        table = screen.query_one("#rows", DataTable)
        first, stall, stall_shown, loaded = await watched
        stall_end = await watch_end()
        print(f"first_rows_ms={first * 1000:.1f}")
        print(f"all_rows_ms={loaded * 1000:.1f}")
        print(f"rows={len(screen.rows)}")
        print(f"max_stall_ms={stall * 1000:.1f}")
        print(f"max_stall_after_first_ms={stall_shown * 1000:.1f}")
        print(f"max_stall_end_ms={stall_end * 1000:.1f}")
        if interact:
            # as a user would: not in the same instant, but once the view has prepared its sort orders
            while not getattr(screen, "prepared", True) and time.perf_counter() - START < 900:
                await pilot.pause(0.01)
            await pilot.pause()
            await _interact(screen, table, pilot)
    if pool is not None:
        pool.close()
    print(f"peak_rss_mb={peak_mb():.1f}")
    print("tui=1")


async def watch(app: Any) -> tuple[float, float, float, float]:
    """On the app's own event loop, until all rows are loaded: when the first rows are in the view's table,
    and how late a 5 ms sleep wakes up at most (the UI thread was busy that long; once the first rows are
    shown, and overall). It runs beside the app from its start: the pilot itself is only ready once the
    view's messages are all handled, which can be after the first rows are drawn."""
    first: float | None = None
    stall = stall_shown = 0.0
    screen = app.compare_screen
    while first is None or getattr(screen, "loading_rows", True):
        if first is None and screen.is_mounted and any(t.row_count for t in screen.query("#rows")):
            first = time.perf_counter() - START
        if time.perf_counter() - START > 600:
            sys.exit(3)
        tick = time.perf_counter()
        await asyncio.sleep(0.005)
        waited = time.perf_counter() - tick - 0.005
        stall = max(stall, waited)
        if first is not None:
            stall_shown = max(stall_shown, waited)
    return first, stall, stall_shown, time.perf_counter() - START


END_WATCH = 0.5
"""Seconds watched once all rows are in: the view then shows them in its order (the table and the detail pane
drawn again)."""


async def watch_end() -> float:
    """How late a 5 ms sleep wakes up at most in the :data:`END_WATCH` seconds after all rows are in."""
    stall = 0.0
    end = time.perf_counter() + END_WATCH
    while time.perf_counter() < end:
        tick = time.perf_counter()
        await asyncio.sleep(0.005)
        stall = max(stall, time.perf_counter() - tick - 0.005)
    return stall


async def _interact(screen: Any, table: Any, pilot: Any) -> None:
    """Filters and sorts over all loaded rows: from the request until the table shows the new first row
    (the view may finish the rest of the table afterwards)."""

    async def shown(action: Any) -> float:
        before = screen.shown
        start = time.perf_counter()
        action()
        while screen.shown is before or (screen.shown and not table.row_count):
            await pilot.pause(0.001)
        return time.perf_counter() - start

    filters = [await shown(lambda q=q: screen.apply_filter(q)) for q in FILTERS]
    sorts = [await shown(lambda c=c: screen.sort_by(c)) for c in SORTS]  # as a click on a header does
    print(f"filter_ms_median={statistics.median(filters) * 1000:.1f}")
    print(f"filter_ms_max={max(filters) * 1000:.1f}")
    print(f"sort_ms_median={statistics.median(sorts) * 1000:.1f}")
    print(f"sort_ms_max={max(sorts) * 1000:.1f}")


def core(folder: Path) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.portfolio.loading import iter_batches

    first = None
    rows = 0
    for batch in iter_batches([folder], load_criteria()):
        rows += len(batch.rows)
        if first is None and batch.rows:
            first = time.perf_counter() - START
    print(f"first_rows_ms={(first or 0) * 1000:.1f}")
    print(f"all_rows_ms={(time.perf_counter() - START) * 1000:.1f}")
    print(f"rows={rows}")
    print(f"peak_rss_mb={peak_mb():.1f}")
    print("tui=0")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--index", default="off", help="the view's portfolio index: a file, or off (default)")
    parser.add_argument("--interact", action="store_true", help="also time filters and sorts once all rows are in")
    args = parser.parse_args()
    try:
        import kwaliteitskader.tui.compare.app  # noqa: F401
    except ImportError:
        core(args.folder)
    else:
        asyncio.run(view(args.folder, args.index, args.interact))
