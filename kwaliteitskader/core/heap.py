"""Keeping Python's cycle collector away from the rows a portfolio has loaded (issue 17).

A full pass of the cycle collector visits every object that can be part of a cycle. While 50,000 rows
load, such passes come again and again, each visiting every row loaded so far, and while a view shows
them, one can fall in the middle of a keystroke. Measured: 0.5 s of the 2.9 s CPU of a warm
``compare --format csv`` of 50,000 files, and filters of 200 ms instead of 20 ms in the compare view
(docs/performance.md). Rows hold only strings, tuples and dates: there is no cycle among them to find.

:func:`settle` takes everything alive now out of the collector's sight (``gc.freeze``); :func:`release`
gives it back (``gc.unfreeze``), so what became garbage meanwhile (a closed view, for one) is collected
as before. Whoever settles, releases: ``load_rows`` when it returns, the compare view when it closes.
:func:`paused` keeps the collector off while rows are made in one go, before they can be settled.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def settle() -> None:
    """After storing a batch of rows: the collector no longer visits anything alive now."""
    gc.freeze()


def tidy() -> None:
    """Between two batches of a worker process: one collection of what is not settled (settled objects are
    not visited, so it costs what the batch left alive), then that is settled too. A worker's caches grow
    with every file (the engine's and the explanation's memos); without this, every full pass of the
    collector walked all of them again (measured: 0.08 ms of the 0.9 ms a file costs ``classify``). Only
    garbage is collected before settling, so nothing unreachable is kept."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """When the rows are no longer held (or no longer many): the collector sees everything again."""
    gc.unfreeze()


def renew() -> None:
    """At the end of a long load: everything back in the collector's sight, one full collection, and what
    is alive then out of its sight again. Freezing also keeps whatever was alive at that moment, and what
    of it later became garbage in a cycle (a view's passing messages, render caches, an old table) is never
    collected while frozen: measured, 10 MB of a 90 MB compare view of 5,000 files (docs/performance.md).
    Callers drop what they can first, so it goes in this one collection."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


YOUNG_THRESHOLD = 20_000
"""Objects made between two passes over the youngest generation in a worker (Python's default: 700)."""


def for_workers() -> None:
    """In a worker process that judges file after file: the collector passes over young objects less often.

    Judging one assessment makes thousands of short-lived objects (the search's states, the options, the text),
    freed by their reference counts, not in cycles; with the default threshold the collector looks at them
    (and every few passes at the whole heap, which grows with the engine's kept decisions) about twenty times
    per file. Measured: 0.08-0.1 ms of ≈ 0.9 ms per classified file (docs/performance.md). What does end up in a
    cycle is still found, at the latest after this many new objects."""
    gc.set_threshold(YOUNG_THRESHOLD, 50, 1000)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collector pass while this runs: the portfolio index makes its 50,000 rows (a million tuples and
    strings, no cycle among them) in one call, before any batch is settled; with the collector on, the
    growing heap was walked again and again (a quarter of that call's time). It runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
