"""Spread many independent files over the machine's cores, keeping the results in input order.

Used by ``validate`` and ``classify`` when they are given many files: each file is read and judged on
its own, so worker processes can share the work. Few files (or one core) run in this process as
before, so a single file is never slowed down by starting workers. ``KWALITEITSKADER_JOBS=1`` turns it
off; ``KWALITEITSKADER_JOBS=N`` sets the number of worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_FILES = 200
"""Below this many files starting workers costs more than it saves (measured: docs/performance.md)."""


def jobs(count: int) -> int:
    """How many worker processes to use for ``count`` files (1 means: no workers)."""
    setting = os.environ.get("KWALITEITSKADER_JOBS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        wanted = int(setting)
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if count < MIN_FILES:
        return 1
    return max(1, min(wanted, count // (MIN_FILES // 2)))


def in_order(
    func: Callable[[T], R],
    items: Sequence[T],
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``func(item)`` for every item, in order; in worker processes when there are many items.

    ``initializer(*initargs)`` prepares a worker (e.g. loads the criteria once); it also runs here when
    the work stays in this process, so ``func`` can rely on it either way."""
    workers = jobs(len(items))
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(func, items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where available: workers start in milliseconds with everything already imported
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    if initializer is not None:
        initializer(*initargs)  # prepared once here: forked workers inherit it, spawned ones run it again
    chunk = max(16, min(256, len(items) // (workers * 8)))
    setup = None if fork else initializer
    with ProcessPoolExecutor(workers, mp_context=context, initializer=setup, initargs=initargs) as pool:
        yield from pool.map(func, items, chunksize=chunk)
