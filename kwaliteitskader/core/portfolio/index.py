"""The portfolio index: a SQLite file that remembers every assessment's row.

Opening a portfolio of 50,000 assessments a second time should not read and judge 50,000 files when
almost nothing changed. The index keeps, per file, what it looked like (size, times, inode) and the
SHA-256 of its content, and per content and criteria the row that :mod:`.loading` makes of it: the
answers the table, filters, side-by-side and coverage matrix use, and the verdict columns. A file is
judged again unless *all* of these are unchanged:

- its content: the same size, modification and change time and inode as when it was last read, and
  that read began well after the last change (:data:`RACY_NS`, the "racily clean" rule git uses);
  otherwise its bytes are hashed and a row for the same content is looked up (a renamed or touched
  file costs a read, not a judgement);
- the criteria: their digest and the settings in force, and the year (:func:`criteria_key`);
- the program: every source file of the domain core, the package version and the index format
  (:func:`program_fingerprint`); an index written by another version is emptied and rebuilt.

For ``compare --format csv`` it also keeps, per file, criteria and language, the CSV text of the row's first
columns (:meth:`PortfolioIndex.csv_heads`, ``Report.heads``: the cells that content, criteria and the
language's messages decide) with all else a warm CSV reads of the file (:mod:`.index_lines`); a warm CSV then
makes only the out-of-date, rule and file cells.

So the index can skip work but never change a verdict: a row comes from the index only when judging
the file again would give exactly that row, and only when its seal shows that this program wrote it for this
user (:mod:`.index_trust`): a record changed by anyone else is judged again, an index sealed under another
user's key is rebuilt. Files that cannot be read or judged are never indexed;
their findings are made afresh every time. Whether a file is *out of date* depends on today's date and
is worked out when the row is read, never stored.

The index lives in the user's cache folder (``KWALITEITSKADER_CACHE``, see
:func:`kwaliteitskader.core.places.cache_dir`; ``off`` turns it off), one file per set of portfolio
folders, or wherever ``--index PATH`` puts it. A missing or outdated index is (re)built, a damaged one in
the cache folder too; a file given with ``--index`` that is not an index of ours (or no regular file, or
empty) is never opened for writing (:func:`.index_trust.may_open`). When the
index cannot be read or written (read-only folder, disk full, locked by another process) the work is
simply done without it.
Standard library only (``sqlite3``); nothing in it is ever executed. Its tables and records are in
:mod:`.index_rows`, reading its rows by their seals in :mod:`.index_reads`, loading a portfolio through it
in :mod:`.index_batches`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from kwaliteitskader.core.hashes import blake2b, sha256
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.places import cache_dir
from kwaliteitskader.core.portfolio import index_trust
from kwaliteitskader.core.portfolio.index_batches import Evaluate, indexed_batches
from kwaliteitskader.core.portfolio.index_lines import KeptLines
from kwaliteitskader.core.portfolio.index_reads import SealedReads
from kwaliteitskader.core.portfolio.index_rows import (
    FILE_COLUMNS,
    INDEX_FORMAT,
    ROW_COLUMNS,
    SCHEMA,
    STORED,
    RowDecoder,
    Stored,
    absolute,
    row_record,
)
from kwaliteitskader.core.portfolio.index_rows import LEAN_SORTS as LEAN_SORTS  # part of this module's API
from kwaliteitskader.core.portfolio.index_rows import CsvRow as CsvRow  # part of this module's API
from kwaliteitskader.core.portfolio.row import LeanRow, Row, row_verdict
from kwaliteitskader.core.portfolio.rowset import sorted_in_steps

if TYPE_CHECKING:
    from kwaliteitskader.core.findings import Finding
    from kwaliteitskader.core.portfolio.loading import Batch, LeanBatch

KIND = "kwaliteitskader portfolio index"
"""``meta.kind``: only a file that says this is ever emptied or rebuilt."""
RACY_NS = 3_000_000_000
"""A file changed less than this long before it was last read may change again within the same
timestamp tick (2 s on FAT, a few ms elsewhere): its size and times are then not trusted, its bytes are."""
INDEX_ENTRIES = 12
"""Index files kept in the cache folder (one per set of portfolio folders); the oldest go first."""
READ_LIMIT = 5 * 1024 * 1024
WHOLE_TABLES_FROM = 2000
"""From this many files on, both tables are read whole instead of looking the files up in parts."""

_UNKNOWN: Stored = ()
"""What :meth:`PortfolioIndex._known` has for a path that is not in the index."""
_NO_ROW: tuple[str, None] = ("", None)
"""What :meth:`PortfolioIndex.lookup` kept for an unsure file without a row: no digest, no row."""
_first = itemgetter(0)
_first_two = itemgetter(0, 1)
R = TypeVar("R")


class Stat(NamedTuple):
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


_os_stat = os.stat
"""How a file is stat'ed (a test stands in a clock that cannot tell two changes apart)."""


@lru_cache(maxsize=1)
def program_fingerprint() -> str:
    """Changes with any source file of the domain core, the package version or the index format."""
    from kwaliteitskader import __version__

    sha = blake2b(f"{INDEX_FORMAT}:{__version__}".encode())  # the quickest hash built into Python
    core = Path(__file__).resolve().parent.parent
    for source in sorted(core.rglob("*.py")):
        with contextlib.suppress(OSError):
            sha.update(str(source.relative_to(core)).encode() + b"\0" + source.read_bytes() + b"\0")
    return sha.hexdigest()


def _this_year() -> int:
    return dt.date.today().year


def criteria_key(criteria: Criteria) -> str:
    """The criteria a verdict was reached under: their digest and the settings in force, and the year: an
    assessment without a date is judged on the day the rows are made (``evaluate``'s ``on``; whether a
    recognition has expired counts whole years), so a row of last year is not trusted this year."""
    settings = sorted(criteria.settings.items())
    return sha256(f"{criteria.digest}\0{settings!r}\0{_this_year()}".encode()).hexdigest()[:32]


def default_index_path(paths: Iterable[Path | str]) -> Path | None:
    """``<cache>/portfolio/index-<hash of the folders>.sqlite``; None when the cache is off."""
    folder = cache_dir()
    if folder is None:
        return None
    roots = sorted({os.path.abspath(str(p)) for p in paths})
    key = sha256("\0".join(roots).encode()).hexdigest()[:24]
    return folder / "portfolio" / f"index-{key}.sqlite"


class PortfolioIndex(SealedReads, KeptLines):
    """One open index file. Every method is best effort: a failing index means work, never an error."""

    def __init__(self, path: Path, *, owned: bool = False) -> None:
        self.path = path
        self.owned = owned
        """In our own cache folder: a damaged file may be deleted and made again (never a file someone chose)."""
        self.refused = False
        """``path`` is something else than an index of ours (or damaged); it was left alone and not used."""
        self.db: sqlite3.Connection | None = None
        self._trust: index_trust.IndexTrust | None = None
        """The seals of this index (:mod:`.index_trust`): set whenever ``db`` is."""
        self._files: list[tuple[object, ...]] = []
        self._rows: list[tuple[object, ...]] = []
        self._present: dict[str, str] = {}
        """path → digest of the files this run found in the index (to see what must be forgotten)."""
        self._decoder = RowDecoder()
        self._lines: dict[str, dict[str, Stored]] = {}
        self._checked: dict[str, Stored] = {}
        self._stats: dict[str, Stat] = {}
        self._forget: list[str] = []
        self._started_ns = 0
        self._open()

    # --- opening -----------------------------------------------------------------------------------

    def _open(self) -> None:
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None, check_same_thread=False)
            except (OSError, sqlite3.Error):
                return  # cannot even create it: work without an index
            try:
                state = self._state(db)
                if state == "ours":
                    self._use(db)
                    return
                if state == "outdated":  # ours, of another format or program version: empty it, keep the file
                    db.executescript(
                        "DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS rows; DROP TABLE IF EXISTS csv_heads; "
                        "DROP TABLE meta;"
                    )
                    self._create(db)
                    self._use(db)
                    return
            except sqlite3.OperationalError:  # locked by another process (or a full disk): not damaged, left be
                db.close()
                return
            except sqlite3.Error:
                pass
            db.close()
            if attempt == 0 and self.owned:
                self._remove()  # corrupt, or not ours, in our own cache folder: start afresh
            else:
                self.refused = True  # a file someone chose (--index) that is not an index of ours: leave it be
                return

    def _state(self, db: sqlite3.Connection) -> str:
        """``ours`` (usable), ``outdated`` (ours, another version), ``created`` (was empty) or ``foreign``."""
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=NORMAL")
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            self._create(db)
            return "ours"
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
        if meta.get("kind") != KIND:
            return "foreign"
        current = (
            {"meta", "files", "rows", "csv_heads"} <= tables
            and meta.get("format") == str(INDEX_FORMAT)
            and meta.get("program") == program_fingerprint()
            and index_trust.trust_for(meta, program_fingerprint()) is not None  # sealed by another key: rebuilt
        )
        if current:
            db.execute("SELECT count(*) FROM files").fetchone()  # a damaged file shows here, not later
        return "ours" if current else "outdated"

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.executescript(SCHEMA)
        with db:
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("kind", KIND), ("format", str(INDEX_FORMAT)), ("program", program_fingerprint()),
                 *(index_trust.new_identity() or [])],
            )

    def _use(self, db: sqlite3.Connection) -> None:
        """Use ``db`` if its seals can be checked (a user key exists); else work without an index."""
        self._trust = index_trust.trust_for(dict(db.execute("SELECT key, value FROM meta")), program_fingerprint())
        if self._trust is None:
            db.close()
            return
        self.db = db

    def _remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    @property
    def usable(self) -> bool:
        return self.db is not None

    def _fail(self, exc: sqlite3.Error) -> None:
        """The index broke while in use (damaged, locked, disk full): stop using it for this run; a damaged
        index in our own cache folder is removed, so that the next run builds it again."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None
        if type(exc) is sqlite3.DatabaseError and self.owned:  # "malformed", "not a database" (not busy, full)
            self._remove()

    def batches(
        self,
        files: list[str],
        missing: list[Finding],
        criteria: Criteria,
        judge: Evaluate,
        *,
        today: dt.date,
        progress: Callable[[int, int], None] | None,
    ) -> Iterator[Batch]:
        """:func:`.index_batches.indexed_batches` with this index (what :func:`.loading.iter_batches` calls)."""
        return indexed_batches(files, missing, criteria, self, self.lookup, judge, today=today, progress=progress)

    def lean_batches(
        self, files: list[str], missing: list[Finding], criteria: Criteria, lean: Collection[str], judge: Evaluate, *,
        today: dt.date, progress: Callable[[int, int], None] | None,
    ) -> Iterator[LeanBatch]:
        """:meth:`batches` for a caller that reads nothing of a row but a :class:`.row.LeanRow`'s fields (what
        :func:`.loading.load_lean_rows` calls): lean rows where :meth:`_lean_lookup` can, else whole rows."""
        lookup = partial(self._lean_lookup, lean)
        return indexed_batches(files, missing, criteria, self, lookup, judge, today=today, progress=progress)

    def _lean_lookup(
        self, lean: Collection[str], files: Sequence[str], criteria: Criteria, today: dt.date, started_ns: int
    ) -> tuple[list[LeanRow | None], dict[str, Stat]]:
        """:meth:`lookup`; a file with a ``csv_heads`` record (read by :meth:`csv_heads`) of a content in ``lean``
        and the size, times and inode it says (checked well after its last change, as in :meth:`_lookup`) as a
        :class:`CsvRow` made of that record alone, the others as whole rows (so that a record can be made of them)."""
        lines = self._lines.get(criteria_key(criteria), {})
        make_row, present = self._decoder.line_maker(today), self._present
        names = absolute(files)
        result: list[LeanRow | None] = [None] * len(files)
        rest: list[int] = []
        is_regular, os_stat = stat.S_ISREG, _os_stat
        for i, name in enumerate(names):  # once per file of the portfolio: names bound locally
            line = lines.get(name, _UNKNOWN)
            try:
                st = os_stat(name) if line and line[1] in lean else None
            except (OSError, ValueError):
                st = None
            if st is not None and is_regular(st.st_mode) and _as_checked(line, st):
                result[i] = make_row(files[i], line)
                present[name] = line[1]  # in the index: what commit compares this run's digests with
                del lines[name]  # only a whole row's record is read again: 50,000 records are not held twice
            else:
                rest.append(i)
        stats: dict[str, Stat] = {}
        if rest:
            found, stats = self._lookup(self._decoder.maker, [files[i] for i in rest], criteria, today, started_ns)
            for i, row in zip(rest, found, strict=True):
                result[i] = row
        return result, stats

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    # --- reading -----------------------------------------------------------------------------------

    def _known(self, paths: Sequence[str], key: str) -> tuple[dict[str, Stored], dict[str, Stored]]:
        """The index's ``files`` records (path, sha, size, mtime, ctime, inode, checked) by path, at least of
        ``paths``, and its ``rows`` records under these criteria (sha, *columns) by sha, at least of their digests."""
        if self.db is None or not paths:
            return {}, {}
        entries: dict[str, Stored] = {}
        rows: dict[str, Stored] = {}
        try:
            if len(paths) > WHOLE_TABLES_FROM:  # most of the index: one pass over each table beats a join
                rows = self._whole_rows(key)
                query = f"SELECT {FILE_COLUMNS}, seal FROM files"  # noqa: S608 - fixed names
                records = self._seals.files.valid(self.db.execute(query))
                entries = dict(zip(map(_first, records), records, strict=True))
            else:
                file_columns = ", ".join(f"f.{name}" for name in FILE_COLUMNS.split(", "))
                select = (
                    f"SELECT {file_columns}, f.seal, r.sha, {ROW_COLUMNS}, r.seal "  # noqa: S608 - fixed names; values are '?' parameters
                    "FROM files f LEFT JOIN rows r ON r.sha = f.sha AND r.criteria = ?"
                )
                width = file_columns.count(",") + 2  # with its seal
                file_seals, row_seals = self._seals.files, self._seals.rows(key)
                for start in range(0, len(paths), 500):
                    part = paths[start : start + 500]
                    query = f"{select} WHERE f.path IN ({','.join('?' * len(part))})"
                    for record in self.db.execute(query, (key, *part)):
                        entry, row = record[:width], record[width:]
                        if file_seals.holds(entry):  # a record that fails is as good as absent: judged again
                            entries[record[0]] = entry[:-1]
                        if row[0] is not None and row_seals.holds(row):
                            rows[row[0]] = row[:-1]
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}, {}
        return entries, rows

    def has_rows(self, key: str) -> bool:
        if self.db is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM rows WHERE criteria = ? LIMIT 1", (key,)).fetchone() is not None
        except sqlite3.Error as exc:
            self._fail(exc)
            return False

    def lookup(
        self, files: Sequence[str], criteria: Criteria, today: dt.date, started_ns: int
    ) -> tuple[list[Row | None], dict[str, Stat]]:
        """Rows for the files whose content, criteria and program are unchanged (None: judge it again),
        and the stat of every file judged again, taken before it is read (stored with its row afterwards)."""
        return self._lookup(self._decoder.maker, files, criteria, today, started_ns)

    def _lookup(
        self, maker: Callable[[Criteria, dt.date], Callable[[str, Stored], R]],
        files: Sequence[str], criteria: Criteria, today: dt.date, started_ns: int,
    ) -> tuple[list[R | None], dict[str, Stat]]:
        """:meth:`lookup`, each row made from its record by ``maker(criteria, today)``."""
        make_row = maker(criteria, today)
        key = criteria_key(criteria)
        names = absolute(files)
        entries, known_rows = self._known(names, key)
        result: list[R | None] = [None] * len(files)
        stats: dict[str, Stat] = {}
        unsure: list[int] = []
        kept: dict[int, tuple[str, Stored]] = {}
        """Unsure files that have a row: their stored digest and row (the same bytes need no query)."""
        present, checked = self._present, (self._checked if self._lines else {})  # for a CSV's records (KeptLines)
        is_regular, os_stat = stat.S_ISREG, _os_stat
        for i, name in enumerate(names):  # once per file of the portfolio: names bound locally
            entry, row = entries.get(name, _UNKNOWN), None
            if entry:
                present[name] = entry[1]  # in the index: what commit compares this run's digests with
                row = known_rows.get(entry[1])
            try:
                st = os_stat(name)
            except (OSError, ValueError):
                continue  # missing: judged (for its findings), never indexed
            if not is_regular(st.st_mode):
                continue  # no regular file (a FIFO): judged, never indexed
            if row is not None and _as_checked(entry, st):  # a row under these criteria, of this very file
                result[i] = make_row(files[i], row)
                checked[name] = entry
            else:
                stats[name] = Stat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                unsure.append(i)
                if row is not None:
                    kept[i] = (entry[1], row)
        if unsure and self.has_rows(key):
            # changed, touched, renamed or copied: the same bytes may still have a row. Many files at once (a
            # folder copied or linked again just before the last run: times too recent to trust) are hashed
            # with OpenSSL's SHA-256, about 4x quicker than the built-in one that saves loading it for a few
            digest_of = _digest if len(unsure) < 1000 else _quick_digest
            read_ns = time.time_ns()  # before any of them is read (stored as when they were checked)
            digests: dict[int, str] = {}
            for i in unsure:
                digest = digest_of(names[i])
                if digest is not None:
                    digests[i] = digest
            rows = self._rows_by_sha(sorted({d for i, d in digests.items() if kept.get(i, _NO_ROW)[0] != d}), key)
            for i, digest in digests.items():
                had, row = kept.get(i, _NO_ROW)
                found = row if had == digest else rows.get(digest)
                if found is not None:
                    result[i] = make_row(files[i], found)
                    checked[names[i]] = (names[i], digest, *stats[names[i]], read_ns)
                    self._files.append(checked[names[i]])
        return result, stats

    def same_verdicts(self, files: Sequence[str], old: Criteria, new: Criteria) -> set[int]:
        """Positions of the files whose unchanged content has rows under both criteria sets with the same
        verdict (:func:`.row.row_verdict`): re-classifying them cannot show a change."""
        today = dt.date.today()
        started_ns = time.time_ns()
        before, stats_before = self.lookup(files, old, today, started_ns)
        after, self._stats = self.lookup(files, new, today, started_ns)
        self._stats.update(stats_before)  # a file judged again lacks a row under one of the two at least
        self._started_ns = started_ns
        return {
            i
            for i, (a, b) in enumerate(zip(before, after, strict=True))
            if a is not None and b is not None and row_verdict(a) == row_verdict(b)
        }

    def remember_verdicts(self, loaded: Any, verdicts: Iterable[tuple[Any, Criteria]]) -> None:
        """Keep the rows of a file read in full after :meth:`same_verdicts`, one per (verdict, criteria)."""
        from kwaliteitskader.core.portfolio.loading import make_row

        today = dt.date.today()
        for verdict, criteria in verdicts:
            self.remember([make_row(loaded, verdict, criteria, today)], criteria, self._stats, self._started_ns)

    def csv_heads(self, criteria: Criteria, texts: str) -> dict[str, str]:
        """Content digest → the CSV text of a row's first columns under these criteria and ``texts`` (the language
        and messages, :func:`.output.export.csv_texts_key`), kept per file with all else a warm CSV reads of it
        (:mod:`.index_lines`; :meth:`lean_batches` makes an unchanged file's row of that record alone)."""
        return self._kept_heads(criteria_key(criteria), texts)

    def store_csv_heads(self, criteria: Criteria, texts: str, rows: Iterable[Any], heads: dict[str, str]) -> None:
        """Keep a ``csv_heads`` record for each whole row of ``rows`` whose file has none like it, with its head in
        ``heads`` (content digest → CSV text, made or kept this run): :meth:`.index_lines.KeptLines._keep_lines`."""
        self._keep_lines(criteria_key(criteria), texts, rows, heads)

    # --- writing -----------------------------------------------------------------------------------

    def forget(self, file: str) -> None:
        """Drop a file that could not be judged this time (its findings are made afresh each run)."""
        self._forget.append(absolute([file])[0])

    def remember(self, rows: Iterable[Row], criteria: Criteria, stats: dict[str, Stat], started_ns: int) -> None:
        """Keep freshly judged rows (written by :meth:`commit`)."""
        key = criteria_key(criteria)
        rows = list(rows)
        for row, name in zip(rows, absolute([row.file for row in rows]), strict=True):
            st = stats.get(name)
            if not row.digest or st is None:
                continue
            self._files.append((name, row.digest, *st, started_ns))
            if self._lines:
                self._checked[name] = self._files[-1]
            self._rows.append(row_record(row, key))

    def commit(self, seen: Sequence[str] | None = None) -> None:
        """Write what was remembered; with ``seen`` (all files of a complete run) forget every other path
        and every row no file has any more (deleted and renamed files)."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                # in each table's key order (several times quicker than file order), sorted in steps (beside the UI thread)
                if self._files:
                    files = sorted_in_steps(self._seals.files.sealed(self._files), _first)
                    self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", files)
                if self._rows:
                    marks = ",".join("?" * (2 + len(STORED) + 1))
                    rows = [(*r, self._seals.rows(str(r[1])).seal((r[0], *r[2:]))) for r in self._rows]  # sha, columns
                    self.db.executemany(f"INSERT OR REPLACE INTO rows VALUES ({marks})", sorted_in_steps(rows, _first_two))  # noqa: S608
                if self._forget:
                    self.db.executemany("DELETE FROM files WHERE path = ?", ((name,) for name in self._forget))
                current = dict(self._present)  # path → digest of every file of this run now in the table
                current.update((str(f[0]), str(f[1])) for f in self._files)
                for name in self._forget:
                    current.pop(name, None)
                before = self._present
                changed = [p for p in before if current.get(p) != before[p]]  # edited, broken or forgotten
                self.db.executemany("DELETE FROM csv_heads WHERE path = ?", ((p,) for p in changed))
                old = {before[p] for p in changed}
                replaced = bool(old)
                (count,) = self.db.execute("SELECT count(*) FROM files").fetchone()
                if seen is not None and count == len(current):  # the table holds exactly this run's files
                    gone = old - set(current.values())
                    self.db.executemany("DELETE FROM rows WHERE sha = ?", ((sha,) for sha in gone))
                    replaced = False
                elif seen is not None:  # files deleted or renamed since the last run
                    names = set(absolute(seen))
                    self.db.execute("CREATE TEMP TABLE IF NOT EXISTS seen (path TEXT PRIMARY KEY) WITHOUT ROWID")
                    self.db.execute("DELETE FROM seen")
                    self.db.executemany("INSERT INTO seen VALUES (?)", ((name,) for name in names))
                    self.db.execute("DELETE FROM files WHERE path NOT IN (SELECT path FROM seen)")
                    self.db.execute("DELETE FROM seen")
                    replaced = True
                if replaced:  # rows of content that no file has any more
                    self.db.execute("DELETE FROM rows WHERE sha NOT IN (SELECT sha FROM files)")
                    self.db.execute("DELETE FROM csv_heads WHERE path NOT IN (SELECT path FROM files)")
        except sqlite3.Error as exc:
            self._fail(exc)
        finally:
            self._files.clear()
            self._rows.clear()
            self._present.clear()
            self._forget.clear()


def _as_checked(entry: Stored, st: os.stat_result) -> bool:
    """Whether a file is as its ``files`` entry says (size, times, inode), checked well after its last change."""
    return bool(entry[2] == st.st_size and entry[3] == st.st_mtime_ns and entry[4] == st.st_ctime_ns and entry[5] == st.st_ino
                and max(st.st_mtime_ns, st.st_ctime_ns) < entry[6] - RACY_NS)


def _digest(path: str, hasher: Callable[[bytes], Any] = sha256) -> str | None:
    from kwaliteitskader.core.io.safefiles import read_regular

    try:
        raw = read_regular(path, READ_LIMIT)  # never waits on a FIFO
    except OSError:
        return None
    return hasher(raw).hexdigest() if len(raw) <= READ_LIMIT else None


def _quick_digest(path: str) -> str | None:
    """:func:`_digest` with OpenSSL's SHA-256 (the same digest)."""
    import hashlib

    return _digest(path, hashlib.sha256)


def open_index(paths: Iterable[Path | str], where: Path | str | None = None) -> PortfolioIndex | None:
    """The index for these portfolio paths: at ``where`` (``--index PATH``), else in the cache folder;
    None when the cache is off or ``where`` is ``off``."""
    if where is not None and str(where).lower() in ("off", "no", "0", "false"):
        return None
    paths = list(paths)
    path = Path(where) if where is not None else default_index_path(paths)
    if path is None:
        return None
    if where is not None and not index_trust.may_open(path, paths, KIND):  # the output-path rule, and ours
        return None
    index = PortfolioIndex(path, owned=where is None)
    if where is None and index.usable:
        _prune(path)
    return index if index.usable else None


def _prune(keep: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(keep)
        entries = sorted(keep.parent.glob("index-*.sqlite"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[INDEX_ENTRIES:]:
            if old != keep:
                old.unlink(missing_ok=True)
