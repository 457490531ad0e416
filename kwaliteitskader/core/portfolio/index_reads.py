"""Reading the portfolio index's ``rows`` and ``csv_heads`` records under one criteria key, each checked by its
seal (:mod:`.index_trust`). A record whose seal does not hold is left out, as if absent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter

from kwaliteitskader.core.portfolio import index_trust
from kwaliteitskader.core.portfolio.index_rows import LEAN_COLUMNS, ROW_COLUMNS, Stored

_first = itemgetter(0)
_second = itemgetter(1)


class SealedReads:
    """The reads of :class:`.index.PortfolioIndex` (its ``db`` and seals)."""

    db: sqlite3.Connection | None
    _trust: index_trust.IndexTrust | None
    _kept: dict[str, dict[str, Stored]]
    """Criteria key → content digest → its ``csv_heads`` record (sha, head, lean columns), as last read."""

    def _fail(self, exc: sqlite3.Error) -> None:
        raise NotImplementedError

    @property
    def _seals(self) -> index_trust.IndexTrust:
        assert self._trust is not None  # noqa: S101 - set with db, and only used while db is
        return self._trust

    def _kept_heads(self, key: str, texts: str) -> dict[str, str]:
        """Content digest → kept CSV head under the criteria ``key`` and ``texts``, of every ``csv_heads`` record
        whose seal holds; the records are kept (:attr:`_kept`) for :meth:`_whole_rows`."""
        assert self.db is not None  # noqa: S101 - only called while db is
        query = f"SELECT sha, head, {LEAN_COLUMNS}, seal FROM csv_heads WHERE criteria = ? AND texts = ?"  # noqa: S608
        records = self._seals.heads(key, texts).valid(self.db.execute(query, (key, texts)))
        self._kept[key] = dict(zip(map(_first, records), records, strict=True))  # made in C: 50,000 of each
        return dict(zip(map(_first, records), map(_second, records), strict=True))

    def _whole_rows(self, key: str, lean: Collection[str], shas: Iterable[str]) -> dict[str, Stored]:
        """The ``rows`` records under the criteria ``key`` by sha, each checked by its seal: all of them; with
        ``lean``, the kept ``csv_heads`` record (:meth:`_kept_heads`) of a content in ``lean`` instead (it holds the
        lean columns, under a seal of its own), and the ``rows`` records of the other contents of ``shas`` only."""
        assert self.db is not None  # noqa: S101 - only called while db is
        kept = self._kept.get(key, {})
        rows = {sha: kept[sha] for sha in lean if sha in kept}
        if not rows:
            query = f"SELECT sha, {ROW_COLUMNS}, seal FROM rows WHERE criteria = ?"  # noqa: S608 - fixed names
            records = self._seals.rows(key).valid(self.db.execute(query, (key,)))
            return dict(zip(map(_first, records), records, strict=True))  # made in C: 50,000 of each
        rows.update(self._rows_by_sha(sorted({sha for sha in shas if sha not in rows}), key))
        return rows

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

