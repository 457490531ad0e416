"""Filtering and sorting 50,000 rows quickly enough for a keystroke.

:class:`RowSet` holds the rows of a view and gives exactly what
``sort_rows(filter_rows(rows, flt), column, descending=…, criteria=…)`` gives (a test compares them), but:

- what a filter compares is prepared once per row, when the row is added (its class and domains and risk
  factors as the filter normalises them; the free-text haystack when a text filter is first used), so a
  filter is one cheap pass;
- the order of every column (and direction) is worked out once and kept until rows are added, so a sort
  is a lookup and filter and sort together are one pass over a list of positions.

Sorting is stable and filtering keeps order, so sorting first and filtering after gives the same rows in
the same order as filtering first. No UI here; the compare view calls :meth:`RowSet.query`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.row import Row
from kwaliteitskader.core.portfolio.table import OPEN_CLASS, Filter, _norm, sort_key, text_haystack


class _Prepared(NamedTuple):
    class_: str
    municipality: str
    domains: frozenset[str]
    risk_factors: frozenset[str]


STEP = 8192
"""Items sorted in one call at most (see :func:`sorted_in_steps`)."""

T = TypeVar("T")


def sorted_in_steps(items: Sequence[T], key: Callable[[T], Any], descending: bool = False) -> list[T]:
    """``sorted(items, key=key, reverse=descending)``, in calls over at most twice :data:`STEP` items each.

    One ``sorted()`` of 50,000 items is one call that holds the interpreter until it is done: a worker
    thread sorting them keeps the UI thread from running that long. Sorted a piece at a time and then merged
    two pieces at a time (``sorted()`` finds the two sorted runs in a merged list and only merges them, and
    keeps equal items in the order of the list, so the first piece's go first), the other threads get their
    turn between the calls and the result is the same."""
    runs = [sorted(items[i : i + STEP], key=key, reverse=descending) for i in range(0, len(items), STEP)]
    while len(runs) > 1:
        runs = [
            sorted(runs[i] + runs[i + 1], key=key, reverse=descending) if i + 1 < len(runs) else runs[i]
            for i in range(0, len(runs), 2)
        ]
    return runs[0] if runs else []


class RowSet:
    """The rows of one view, with what makes filtering and sorting them quick."""

    def __init__(self, criteria: Criteria | None = None) -> None:
        self.criteria = criteria
        self.rows: list[Row] = []
        self._prepared: list[_Prepared] = []
        self._haystacks: list[str] = []
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._positions: list[int] = []
        self._sets: dict[tuple[str, ...], frozenset[str]] = {}  # the same few lists recur: share their sets
        self._words: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def extend(self, rows: Iterable[Row]) -> None:
        words, sets = self._words, self._sets

        def norm(value: str) -> str:
            found = words.get(value)
            if found is None:
                found = words[value] = _norm(value)
            return found

        def normset(values: tuple[str, ...]) -> frozenset[str]:
            found = sets.get(values)
            if found is None:
                found = sets[values] = frozenset(norm(v) for v in values)
            return found

        for row in rows:
            self.rows.append(row)
            self._prepared.append(
                _Prepared(OPEN_CLASS if row.decided_class is None else norm(row.decided_class),
                          row.municipality.casefold(), normset(row.domains), normset(row.risk_factors))
            )
        self._orders.clear()

    def order(self, column: str, descending: bool = False) -> list[int]:
        """Positions of all rows in the order of ``column`` (kept until rows are added)."""
        found = self._orders.get((column, descending))
        if found is None:
            key = sort_key(column, self.criteria)
            keys = [key(row) for row in self.rows]
            if len(self._positions) != len(keys):
                self._positions = list(range(len(keys)))
            # sorted from one list of positions: every order holds the same int objects, not a copy of each
            found = sorted_in_steps(self._positions, keys.__getitem__, descending)
            self._orders[(column, descending)] = found
        return found

    def prepare_text(self) -> None:
        """Make the free-text haystacks now (a worker thread can, before anyone types)."""
        self._text()

    def _text(self) -> list[str]:
        if len(self._haystacks) < len(self.rows):
            self._haystacks += [text_haystack(r) for r in self.rows[len(self._haystacks) :]]
        return self._haystacks

    def query(self, flt: Filter, column: str, descending: bool = False) -> list[Row]:
        """The rows ``flt`` matches, sorted by ``column``."""
        rows, order = self.rows, self.order(column, descending)
        if flt.empty:
            return [rows[i] for i in order]
        prepared = self._prepared
        wanted: list[int] = order
        if flt.class_:
            class_ = _norm(flt.class_)  # OPEN_CLASS for the open verdicts (parse_filter)
            wanted = [i for i in wanted if prepared[i].class_ == class_]
        if flt.municipality:
            municipality = flt.municipality.casefold()
            wanted = [i for i in wanted if prepared[i].municipality == municipality]
        if flt.domain:
            domain = _norm(flt.domain)
            wanted = [i for i in wanted if domain in prepared[i].domains]
        if flt.risk_factor:
            factor = _norm(flt.risk_factor)
            wanted = [i for i in wanted if factor in prepared[i].risk_factors]
        if flt.text:
            haystacks = self._text()
            for word in flt.text.casefold().split():
                wanted = [i for i in wanted if word in haystacks[i]]
        return [rows[i] for i in wanted]
