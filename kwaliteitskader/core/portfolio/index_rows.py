"""The portfolio index's tables, and how a portfolio row is kept in them and made again.

:mod:`.index` opens, checks and writes the index file; this module says what its tables hold. The ``rows``
table's columns are derived from the declaration of :class:`.row.Row` (:func:`.row.stored_fields`): each
stored field is written as its declared kind (:func:`row_record`) and read back as that kind
(:class:`RowDecoder`). A CSV whose first cells the index keeps is written from a :class:`CsvRow`, made from
only the few columns its other cells and sorts read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.row import DATE, FLAG, IDS, SQL_TYPES, Row, stored_fields
from kwaliteitskader.core.portfolio.table import LEAN_SORT_KEYS

INDEX_FORMAT = 6
"""Bumped whenever the tables change shape; an index of another format is rebuilt."""

STORED = stored_fields()
"""The stored :class:`Row` fields (name, kind), in the order of the ``rows`` table's columns after sha and criteria."""
STORED_NAMES = [name for name, _kind in STORED]
ROW_COLUMNS = ", ".join(STORED_NAMES)
_FILE_ENTRY_TYPES = (("sha", "TEXT"), ("size", "INTEGER"), ("mtime_ns", "INTEGER"), ("ctime_ns", "INTEGER"),
                     ("inode", "INTEGER"), ("checked_ns", "INTEGER"))
"""What a path looked like when it was read: in ``files``, and in each ``csv_heads`` record as it was when the
record was written."""
FILE_COLUMNS = ", ".join(("path", *(name for name, _kind in _FILE_ENTRY_TYPES)))
_FILE_ENTRY = ",\n    ".join(f"{name} {kind} NOT NULL" for name, kind in _FILE_ENTRY_TYPES)
LEAN_NAMES = ("municipality", "intervention", "rule", "valid_until")
"""The stored columns a :class:`CsvRow` is made of (besides sha): a lean record is (sha, *these)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    {file_entry},
    seal BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rows (
    sha TEXT NOT NULL,
    criteria TEXT NOT NULL,
    {row_columns},
    seal BLOB NOT NULL,
    PRIMARY KEY (sha, criteria)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS csv_heads (
    path TEXT NOT NULL,
    criteria TEXT NOT NULL,
    texts TEXT NOT NULL,
    {file_entry},
    head TEXT NOT NULL,
    {lean_columns},
    seal BLOB NOT NULL,
    PRIMARY KEY (path, criteria, texts)
) WITHOUT ROWID;
""".replace("{file_entry}", _FILE_ENTRY).replace(
    "{row_columns}", ",\n    ".join(f"{name} {SQL_TYPES[kind]}" for name, kind in STORED)
).replace("{lean_columns}", ",\n    ".join(f"{name} {SQL_TYPES[dict(STORED)[name]]}" for name in LEAN_NAMES))
"""The index's tables: ``meta``, ``files`` (what each path looked like), ``rows`` (per content and criteria)
and ``csv_heads`` (per file, criteria and language). A ``csv_heads`` record holds all a warm CSV reads of a
file, under one seal (:mod:`.index_trust`): what the file looked like (its ``files`` entry when the record was
written), the CSV text of its row's first cells and the row's :data:`LEAN_NAMES`; an unchanged file's line is
made of it alone, without its ``files`` and ``rows`` records."""

Stored = tuple[Any, ...]
"""A record as SQLite gives it."""
SEP = "\n"
"""Lists of ids are stored joined by a newline (ids never contain one; an empty list is '')."""


def _stored_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _unchanged(value: Any) -> Any:
    return value


_ENCODE: dict[str, Callable[[Any], Any]] = {IDS: SEP.join, DATE: _stored_date, FLAG: int}
_ENCODERS = tuple((name, _ENCODE.get(kind, _unchanged)) for name, kind in STORED)
"""How each stored field is written: lists joined (:data:`SEP`), dates as ISO text, flags as 0/1."""
_LEAN_ENCODERS = tuple((name, dict(_ENCODERS)[name]) for name in LEAN_NAMES)


def absolute(files: Iterable[str]) -> list[str]:
    """The files' absolute paths, as the index keys them (a relative path is taken from the working folder)."""
    cwd = os.getcwd()
    return [name if name.startswith(os.sep) else os.path.join(cwd, name) for name in files]


def row_record(row: Row, key: str) -> Stored:
    """The ``rows`` record of a row under the criteria ``key`` (sha, criteria, then the columns), without its seal."""
    return (row.digest, key, *(encode(getattr(row, name)) for name, encode in _ENCODERS))


def lean_values(row: Row) -> Stored:
    """The :data:`LEAN_NAMES` of a row as the ``rows`` table stores them (what a ``csv_heads`` record keeps)."""
    return tuple(encode(getattr(row, name)) for name, encode in _LEAN_ENCODERS)


class CsvRow(NamedTuple):
    """A row of a CSV whose first cells the index keeps (``Report.heads``, :meth:`.index.PortfolioIndex.lean_batches`):
    what the rest of its line (out of date, rule, file), the kept head (digest) and the sorts of
    :data:`LEAN_SORTS` read (a :class:`.row.LeanRow`). Made from four stored columns, without a :class:`Row`'s
    other fields: making whole rows is most of the work of a warm ``compare --format csv`` of a large portfolio."""

    file: str
    municipality: str
    intervention: str
    rule: str
    out_of_date: bool
    digest: str


LEAN_SORTS = frozenset(LEAN_SORT_KEYS)
"""The sorts (:func:`.table.sort_key`) that read nothing but a :class:`CsvRow`'s fields."""
LEAN_COLUMNS = ", ".join(LEAN_NAMES)
LINE_COLUMNS = f"{FILE_COLUMNS}, head, {LEAN_COLUMNS}"
"""A ``csv_heads`` record as it is read and sealed: the file's entry, its head, its row's lean columns."""
_LINE_LEAN_AT = LINE_COLUMNS.split(", ").index(LEAN_NAMES[0])


class _StoredLists(dict[str, tuple[str, ...]]):
    """Stored list of ids → the tuple, split once per distinct list."""

    def __missing__(self, stored: str) -> tuple[str, ...]:
        found = self[stored] = tuple(stored.split(SEP)) if stored else ()
        return found


class _StoredDates(dict[str | None, dt.date | None]):
    """Stored ISO date (or None) → the date, parsed once per distinct date."""

    def __missing__(self, stored: str | None) -> dt.date | None:
        found = self[stored] = dt.date.fromisoformat(stored) if stored else None
        return found


class RowDecoder:
    """Makes rows from ``rows`` records. Lists and dates repeat across a portfolio: each distinct one is split
    or parsed once per decoder and shared (they are immutable), which keeps a large portfolio's rows small and
    quick to make."""

    def __init__(self) -> None:
        self._lists = _StoredLists()
        self._dates = _StoredDates()

    def maker(self, criteria: Criteria, today: dt.date) -> Callable[[str, Stored], Row]:
        """Makes the :class:`Row` of a file from its ``rows`` record (sha, then the columns of :data:`STORED`,
        which are the row's fields after ``file``, in order): each column decoded as its declared kind, then the
        fields made now (:data:`.row.MADE_FIELDS`)."""
        lists, dates = self._lists, self._dates
        decoders: dict[str, Callable[[Any], Any]] = {IDS: lists.__getitem__, DATE: dates.__getitem__, FLAG: bool}
        decoding = [(at, decoders[kind]) for at, (_name, kind) in enumerate(STORED) if kind in decoders]
        until_at = STORED_NAMES.index("valid_until")
        version, digest = criteria.version, criteria.digest

        def make(file: str, c: Stored) -> Row:
            values = list(c)
            for at, decode in decoding:
                values[at + 1] = decode(values[at + 1])
            until = values[until_at + 1]
            values[0] = file
            values += (version, digest, until is not None and until < today, c[0])  # MADE_FIELDS
            return Row(*values)

        return make

    def line_maker(self, today: dt.date) -> Callable[[str, Stored], CsvRow]:
        """Makes the :class:`CsvRow` of a file from its ``csv_heads`` record (:data:`LINE_COLUMNS`)."""
        dates = self._dates

        def make(file: str, line: Stored) -> CsvRow:
            municipality, intervention, rule, stored_until = line[_LINE_LEAN_AT:]
            until = dates[stored_until]
            return CsvRow(file, municipality, intervention, rule, until is not None and until < today, line[1])

        return make
