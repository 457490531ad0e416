"""Probe: the comparison view on a folder of assessments, headless.

``python benchmarks/probes/compare.py FOLDER`` prints ``first_rows_ms`` (from the start of this process's
Python code, imports included, until the first rows are in the view's table), ``all_rows_ms``, ``rows``,
``peak_rss_mb`` (this process or one of its worker processes, whichever is larger) and ``tui=1``. The view is
set up as ``kwaliteitskader compare`` sets it up (``run_compare``): worker processes forked before Textual
starts, the first batch loaded in the view's own thread. Without
the view (``kwaliteitskader.tui.compare``) it measures the core loading (``core.portfolio.loading.iter_batches``)
and prints ``tui=0``.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import asyncio  # noqa: E402 - the clock starts before any import
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children)


async def view(folder: Path) -> None:
    from textual.widgets import DataTable

    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.portfolio.loading import default_workers, start_pool
    from kwaliteitskader.tui.compare.app import CompareApp

    criteria = load_criteria(light=True)  # as run_compare loads them
    pool = start_pool(criteria, default_workers())  # as run_compare does, before Textual starts its threads
    app = CompareApp([folder], criteria, "nl", pool=pool)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.compare_screen
        table = screen.query_one("#rows", DataTable)
        first = None
        while screen.loading_rows or first is None:
            if first is None and table.row_count:
                first = time.perf_counter() - START
            if time.perf_counter() - START > 300:
                sys.exit(3)
            await pilot.pause(0.005)
        print(f"first_rows_ms={first * 1000:.1f}")
        print(f"all_rows_ms={(time.perf_counter() - START) * 1000:.1f}")
        print(f"rows={len(screen.rows)}")
    if pool is not None:
        pool.close()
    print(f"peak_rss_mb={peak_mb():.1f}")
    print("tui=1")


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
    target = Path(sys.argv[1])
    try:
        import kwaliteitskader.tui.compare.app  # noqa: F401
    except ImportError:
        core(target)
    else:
        asyncio.run(view(target))
