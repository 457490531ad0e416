"""Loading a portfolio through its index: the same batches as :func:`.loading.iter_batches`, the rows of
unchanged files taken from the index (:meth:`.index.PortfolioIndex.lookup`), only the other files judged,
and the freshly judged rows handed to the index to keep (:meth:`.index.PortfolioIndex.remember`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.loading import FIRST_BATCH, Batch, BatchCounter, RowBatch
from kwaliteitskader.core.portfolio.row import Row

if TYPE_CHECKING:
    from kwaliteitskader.core.findings import Finding


R = TypeVar("R")
"""The kind of row the index hands back for an unchanged file (a whole :class:`Row`, or a lean row)."""

Lookup = Callable[[Sequence[str], Criteria, dt.date, int], tuple[list[R | None], dict[str, Any]]]
"""``lookup(files, criteria, today, started_ns)``: the stored row of each unchanged file (None: judge it again)
and the stat of every file judged again (:meth:`.index.PortfolioIndex.lookup`)."""


class RowStore(Protocol):
    """What loading through an index needs of it besides a :data:`Lookup` (:class:`.index.PortfolioIndex` is
    one): this module never imports the index itself, so the index can use it without an import circle."""

    def forget(self, file: str) -> None: ...

    def remember(self, rows: Iterable[Row], criteria: Criteria, stats: dict[str, Any], started_ns: int) -> None: ...

    def commit(self, seen: Sequence[str] | None = None) -> None: ...

CACHED_BATCH = 1000
"""Rows taken from the index are handed on in batches of this size (they cost nothing to make)."""

Evaluate = Callable[[list[str]], Iterator[Batch]]
"""Judges the given files (in order, batch by batch): :func:`.loading.iter_batches` without the walk."""


def indexed_batches(
    files: list[str],
    missing: list[Finding],
    criteria: Criteria,
    index: RowStore,
    lookup: Lookup[R],
    evaluate: Evaluate,
    *,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[RowBatch[R | Row]]:
    """Like :func:`.loading.iter_batches` (the same rows, errors and order), taking unchanged rows from
    the index (``lookup``) and judging only the other files (whole rows); freshly judged rows are stored for
    the next time."""
    total = len(files)
    started_ns = time.time_ns()  # before any stat: a change after this is seen by the next run
    emit = BatchCounter(total, progress).batch

    if missing:
        yield RowBatch([], missing, 0, total)
    # the first few on their own, judged at once where the index has no row for them, so that a view shows
    # rows before the whole folder is checked (a first run would otherwise stat every file first)
    lead = min(FIRST_BATCH, total)
    head, stats = lookup(files[:lead], criteria, today, started_ns)
    resolved: list[R | Row | None] = [*head, *([None] * (total - lead))]
    fresh: dict[str, Row] = {}
    position = 0

    def flush(upto: int, errors: list[Finding]) -> Iterator[RowBatch[R | Row]]:
        nonlocal position
        pending_errors = errors
        while position < upto or pending_errors:
            end = min(upto, position + CACHED_BATCH)
            rows: list[R | Row] = []
            for i in range(position, end):
                row = resolved[i] if resolved[i] is not None else fresh.pop(files[i], None)
                if row is not None:
                    rows.append(row)
                else:
                    index.forget(files[i])  # unreadable now: its old entry must not outlive it
            yield emit(rows, pending_errors, end - position)
            pending_errors = []
            position = end

    def judge(todo: list[int], upto_end: int) -> Iterator[RowBatch[R | Row]]:
        """Judge ``files[i]`` for ``i`` in ``todo`` and hand on everything before each judged batch's end."""
        for batch in evaluate([files[i] for i in todo]):
            fresh.update((r.file, r) for r in batch.rows)
            # their times are checked against when they were read: in a first run of a folder copied just
            # before, most files were read seconds after the start, and need no second look the next time
            index.remember(batch.rows, criteria, stats, max(batch.read_ns, started_ns))
            yield from flush(todo[batch.done] if batch.done < len(todo) else upto_end, batch.errors)

    try:
        yield from judge([i for i in range(lead) if resolved[i] is None], lead)
        yield from flush(lead, [])
        rest, rest_stats = lookup(files[lead:], criteria, today, started_ns)
        stats.update(rest_stats)
        resolved[lead:] = rest
        yield from judge([i for i in range(lead, total) if resolved[i] is None], total)
        yield from flush(total, [])
    finally:
        index.commit(seen=files if position == total else None)
