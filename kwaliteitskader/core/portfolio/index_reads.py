"""Reading the portfolio index's ``rows`` records under one criteria key, each checked by its seal
(:mod:`.index_trust`). A record whose seal does not hold is left out, as if absent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from operator import itemgetter

from kwaliteitskader.core.portfolio import index_trust
from kwaliteitskader.core.portfolio.index_rows import ROW_COLUMNS, Stored

_first = itemgetter(0)


class SealedReads:
    """The reads of :class:`.index.PortfolioIndex` (its ``db`` and seals)."""

    db: sqlite3.Connection | None
    _trust: index_trust.IndexTrust | None

    def _fail(self, exc: sqlite3.Error) -> None:
        raise NotImplementedError

    @property
    def _seals(self) -> index_trust.IndexTrust:
        assert self._trust is not None  # noqa: S101 - set with db, and only used while db is
        return self._trust

    def _whole_rows(self, key: str) -> dict[str, Stored]:
        """Every ``rows`` record under the criteria ``key`` by sha, each checked by its seal."""
        assert self.db is not None  # noqa: S101 - only called while db is
        query = f"SELECT sha, {ROW_COLUMNS}, seal FROM rows WHERE criteria = ?"  # noqa: S608 - fixed names
        records = self._seals.rows(key).valid(self.db.execute(query, (key,)))
        return dict(zip(map(_first, records), records, strict=True))  # made in C: 50,000 of each

    def _rows_by_sha(self, shas: Sequence[str], key: str) -> dict[str, Stored]:
        if self.db is None or not shas:
            return {}
        found: dict[str, Stored] = {}
        try:
            for start in range(0, len(shas), 500):
                part = shas[start : start + 500]
                marks = ",".join("?" * len(part))
                query = f"SELECT sha, {ROW_COLUMNS}, seal FROM rows WHERE criteria = ? AND sha IN ({marks})"  # noqa: S608
                for record in self._seals.rows(key).valid(self.db.execute(query, (key, *part))):
                    found[record[0]] = record
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return found

