"""The portfolio index's ``csv_heads`` records: for each file, criteria and language, all that a warm
``compare --format csv`` reads of the file, under one seal (:mod:`.index_trust`).

A record holds the file's ``files`` entry as it was when the record was written (path, content digest, size,
times, inode, when it was checked), the CSV text of its row's first cells (``Report.heads``) and the row's lean
columns (:data:`.index_rows.LEAN_NAMES`). An unchanged file (the same size, times and inode, checked well
after its last change: the rule of :meth:`.index.PortfolioIndex.lookup`) is then made of its one record; a
changed, new, renamed or copied file, or one whose record does not hold, is looked up in ``files`` and ``rows``
as for any other use of the index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from kwaliteitskader.core.portfolio import index_trust
from kwaliteitskader.core.portfolio.index_rows import LINE_COLUMNS, CsvRow, Stored, absolute, lean_values

_FILE_WIDTH = LINE_COLUMNS.split(", ").index("head")
"""The values of a ``files`` entry at the start of a ``csv_heads`` record (the head follows them)."""
_path, _sha, _head = itemgetter(0), itemgetter(1), itemgetter(_FILE_WIDTH)


class KeptLines:
    """The ``csv_heads`` records of :class:`.index.PortfolioIndex` (its ``db`` and seals)."""

    db: sqlite3.Connection | None
    _lines: dict[str, dict[str, Stored]]
    """Criteria key → path → its ``csv_heads`` record whose seal holds, as :meth:`_kept_heads` last read them."""
    _checked: dict[str, Stored]
    """Path → the ``files`` entry of each file whose content this run knows (read from a sealed entry, or just
    now): what a new ``csv_heads`` record is written with. Kept only once :meth:`_kept_heads` has read them."""

    @property
    def _seals(self) -> index_trust.IndexTrust:
        raise NotImplementedError

    def _fail(self, exc: sqlite3.Error) -> None:
        raise NotImplementedError

    def _kept_heads(self, key: str, texts: str) -> dict[str, str]:
        """Content digest → kept CSV head under the criteria ``key`` and ``texts``, of every ``csv_heads`` record
        whose seal holds; the records are kept by path (:attr:`_lines`)."""
        if self.db is None:
            return {}
        query = f"SELECT {LINE_COLUMNS}, seal FROM csv_heads WHERE criteria = ? AND texts = ?"  # noqa: S608
        try:
            records = self._seals.heads(key, texts).valid(self.db.execute(query, (key, texts)))
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        self._lines[key] = dict(zip(map(_path, records), records, strict=True))  # made in C
        return dict(zip(map(_sha, records), map(_head, records), strict=True))

    def _keep_lines(self, key: str, texts: str, rows: Iterable[Any], heads: dict[str, str]) -> None:
        """Write a ``csv_heads`` record for each whole row (a :class:`CsvRow` was made of its record) whose file
        has no record like it yet: its ``files`` entry as this run knows it, its head in ``heads`` and its lean
        columns. Only for a file in ``files`` with that content (nothing would remove a record of another)."""
        if self.db is None:
            return
        lines, checked = self._lines.get(key, {}), self._checked
        whole = [row for row in rows if type(row) is not CsvRow and row.digest in heads]
        records = []
        for row, name in zip(whole, absolute([row.file for row in whole]), strict=True):
            entry = checked.get(name)
            if entry is None or entry[1] != row.digest:
                continue  # not known to have this content (read while it changed, or not indexed)
            line = lines.get(name)
            if line is None or line[:_FILE_WIDTH] != entry:
                records.append((*entry, heads[row.digest], *lean_values(row)))
        if not records:
            return
        seal = self._seals.heads(key, texts).seal
        marks = ", ".join(f"?{i}" for i in range(4, len(records[0]) + 4))
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany(
                    f"INSERT OR REPLACE INTO csv_heads (path, criteria, texts, {LINE_COLUMNS.removeprefix('path, ')}, seal) "  # noqa: S608
                    f"SELECT ?1, ?2, ?3, {marks} WHERE EXISTS (SELECT 1 FROM files WHERE path = ?1 AND sha = ?4)",
                    # in the order of the table's key, which SQLite inserts quickest (a first run writes them all)
                    ((record[0], key, texts, *record[1:], seal(record)) for record in sorted(records)),
                )
        except sqlite3.Error as exc:
            self._fail(exc)
