"""Whether a record of the portfolio index was written by this program, for this user: the index's seals.

The index (:mod:`.index`) hands out verdicts without judging the file again. It can sit in a shared folder
(``--index`` beside a shared portfolio), be copied, or be edited with any SQLite tool, so anyone who can write
that file could otherwise change the verdict every coordinator reads (``update rows set class=…``), or point a
file at the row of another content. A verdict read from the index must be one this program computed for
exactly these bytes, under exactly these criteria and this program, and the program must be able to tell.

- **The user's key.** 32 random bytes in the user's own data folder (:func:`data_dir`, file ``index.key``,
  mode 0600 in a folder of mode 0700), made on first use. A key file that others may read, or that is not a
  regular file of this user, is replaced by a new key (every index sealed with the old one is then rebuilt).
  Without a usable key no index is used at all: the work is done without one.
- **The index's identity.** Each index holds a random id and a seal of that id under the user's key
  (:func:`new_identity`). An index whose id does not carry a valid seal (made by another user, by another key,
  or by hand) is foreign (:func:`trust_for` gives None): it is emptied and rebuilt, never read.
- **Every record is sealed.** A keyed BLAKE2b (a standard MAC, quicker per short record than HMAC-SHA256)
  over the record's exact stored values, under a key derived from the user's key, the index id, the program
  fingerprint (:func:`.index.program_fingerprint`) and what the record is for: a ``files`` entry (path,
  content digest, size, times, inode), a ``rows`` record under one criteria key, a file's kept CSV head
  with its ``files`` entry and its row's lean columns (all a warm CSV reads of a file, so one record) under one
  criteria key and language. A record whose seal does not hold is treated as absent: the file is judged again
  and the record written anew.

What this does not answer: someone who can read the user's key file (the user's own account, or root) can
forge records; such a person can also change the program itself.
Standard library only; nothing is ever executed or deserialised: a record's seal is made of its values as
the bytes of their texts and numbers (:class:`Sealer`).
"""

from __future__ import annotations

import contextlib
import os
import stat
from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.hashes import blake2b
from kwaliteitskader.core.places import data_dir
from kwaliteitskader.core.portfolio.index_rows import LEAN_NAMES, STORED
from kwaliteitskader.core.portfolio.row import DATE, FLAG, OPTIONAL_TEXT

if TYPE_CHECKING:
    from hmac import compare_digest
else:
    try:  # the constant-time comparison hmac gives, without loading OpenSSL
        from _operator import _compare_digest as compare_digest
    except ImportError:  # pragma: no cover - other Python builds
        from hmac import compare_digest

KEY_FILE = "index.key"
KEY_BYTES = 32
SEAL_BYTES = 16
Record = tuple[Any, ...]
SEPARATOR = "\x1f"
"""Between the values of a record in the text its seal is made of (:meth:`Sealer.seal`)."""


def _private(status: os.stat_result) -> bool:
    """A regular file of this user that nobody else may read or write (permissions mean little on Windows)."""
    if not stat.S_ISREG(status.st_mode) or status.st_size != KEY_BYTES:
        return False
    if os.name == "nt":
        return True
    return status.st_uid == os.getuid() and status.st_mode & 0o077 == 0


def _read_key(path: Path) -> bytes | None:
    """The key in ``path`` if it is private (:func:`_private`); None if missing or not to be trusted."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if not _private(os.fstat(fd)):
            return None
        key = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _write_key(path: Path) -> None:
    """A new key at ``path``: written whole to a private temporary file first, then linked in place (another
    process that made one meanwhile wins; both then read the same key). A key file that is there but not
    private is replaced."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    import secrets  # only here and in new_identity: a warm run reads a key and seals, it makes neither

    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            if _read_key(path) is None:  # not private: others may know it
                os.replace(temp, path)
        except OSError:  # no hard links here (some shared file systems)
            os.replace(temp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


@lru_cache(maxsize=4)
def _key_in(folder: str) -> bytes | None:
    path = Path(folder) / KEY_FILE
    key = _read_key(path)
    if key is None:
        try:
            _write_key(path)
        except OSError:
            return None  # a read-only home: no index rather than one nobody can check
        key = _read_key(path)
    return key


def user_key() -> bytes | None:
    """The user's index key (made on first use); None when it cannot be kept privately."""
    return _key_in(str(data_dir()))


def _derive(key: bytes, *parts: str) -> bytes:
    return blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), key=key, digest_size=KEY_BYTES).digest()


def new_identity() -> list[tuple[str, str]] | None:
    """The ``meta`` entries of a new index (its id and the id's seal); None without a user key."""
    import secrets

    key = user_key()
    if key is None:
        return None
    index_id = secrets.token_hex(16)
    return [("id", index_id), ("id_seal", _derive(key, "id", index_id).hex())]


def trust_for(meta: dict[str, str], program: str) -> IndexTrust | None:
    """The seals of the index with these ``meta`` entries; None if it is foreign (its id's seal does not
    hold under this user's key) or there is no user key."""
    key = user_key()
    index_id, seal = meta.get("id", ""), meta.get("id_seal", "")
    if key is None or not index_id or not compare_digest(_derive(key, "id", index_id).hex(), seal):
        return None
    return IndexTrust(_derive(key, "index", index_id, program))


TEXT, OPTIONAL, NUMBER = "text", "optional", "number"
"""How a value of a sealed record is written for its seal (a record's *layout* says it for each value): a text
(``str``), a text or None, a number (``int``)."""
_OPTIONAL_KINDS = {OPTIONAL_TEXT: OPTIONAL, DATE: OPTIONAL, FLAG: NUMBER}
FILES_LAYOUT = (TEXT, TEXT, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER)
"""``files``: (path, sha, size, mtime_ns, ctime_ns, inode, checked_ns)."""
ROWS_LAYOUT = (TEXT, *(_OPTIONAL_KINDS.get(kind, TEXT) for _name, kind in STORED))
"""``rows``: (sha, the row's columns in stored order)."""
HEADS_LAYOUT = (*FILES_LAYOUT, TEXT, *(_OPTIONAL_KINDS.get(dict(STORED)[name], TEXT) for name in LEAN_NAMES))
"""``csv_heads``: (the file's ``files`` entry, its head, its row's lean columns)."""


def _picker(positions: Sequence[int]) -> Callable[[Record], tuple[Any, ...]]:
    """The values at ``positions`` (one or more) of a record, as a tuple."""
    picker: Callable[[Record], tuple[Any, ...]] = (
        itemgetter(*positions) if len(positions) != 1 else itemgetter(slice(positions[0], positions[0] + 1))
    )
    return picker


class Sealer:
    """Seals and checks the records of one kind (a table, under one criteria key…) and one layout. A record's
    seal is a keyed BLAKE2b of its bytes (:meth:`_digest`): its texts and optional texts (as their ``repr``:
    None, or the text quoted) joined by :data:`SEPARATOR`, then its numbers as 8-byte integers. A value of
    another type than its layout says (a text where a number was sealed, a number or None where a text was)
    makes no bytes, and the record is not taken; so does a text holding the separator (one text is one
    record). Each step is a C call per record, none per value."""

    __slots__ = ("_keyed", "_numbers", "_optional", "_separators", "_texts", "_width")

    def __init__(self, key: bytes, layout: Sequence[str]) -> None:
        self._keyed = blake2b(key=key, digest_size=SEAL_BYTES).copy  # the key's block hashed once, not per record
        self._width = len(layout)
        self._texts = _picker([i for i, kind in enumerate(layout) if kind == TEXT])
        optional = [i for i, kind in enumerate(layout) if kind == OPTIONAL]
        numbers = [i for i, kind in enumerate(layout) if kind == NUMBER]
        self._optional = _picker(optional) if optional else None
        self._numbers = _picker(numbers) if numbers else None
        self._separators = self._width - len(numbers) - 1

    def _text(self, values: Record) -> str:
        """The texts and optional texts of a record, joined; TypeError for a value that does not fit the layout,
        ValueError for a text holding the separator (so one text is one record)."""
        text = SEPARATOR.join(self._texts(values))
        if self._optional is not None:  # repr: None, or the text quoted (with a separator in it escaped)
            text = SEPARATOR.join((text, *map(repr, self._optional(values))))
        if len(values) != self._width or text.count(SEPARATOR) != self._separators:
            raise ValueError  # another number of values, or a text holding the separator (never shown)
        return text

    def _digest(self, values: Record) -> bytes:
        """The seal of a record with these values: the keyed BLAKE2b of :meth:`_text`, then of the numbers as
        8-byte integers (TypeError for a value that is no number, OverflowError for one that is no 8-byte
        integer)."""
        mac = self._keyed()
        mac.update(self._text(values).encode("utf-8", "surrogatepass"))
        if self._numbers is not None:
            mac.update(array("q", self._numbers(values)))
        return mac.digest()

    def seal(self, record: Sequence[object]) -> bytes:
        """The seal of a record (of values that do not fit the layout: one no record's bytes give)."""
        try:
            return self._digest(tuple(record))
        except (TypeError, ValueError, OverflowError):
            return bytes(SEAL_BYTES)

    def sealed(self, records: Iterable[Record]) -> list[Record]:
        """The records, each with its seal as a last value (as they are stored)."""
        return [(*record, self.seal(record)) for record in records]

    def holds(self, stored: Record) -> bool:
        """Whether the last value of a stored record is the seal of the others."""
        return bool(self.valid([stored]))

    def valid(self, stored: Iterable[Record]) -> list[Record]:
        """The stored records whose seal holds, without it; the others are left out (as if absent)."""
        found = []
        for record in stored:
            body = record[:-1]
            try:
                if compare_digest(self._digest(body), record[-1]):
                    found.append(body)
            except (TypeError, ValueError, OverflowError):  # a value of another type, a seal that is no bytes…
                continue
        return found


class IndexTrust:
    """The sealers of one index (its id and this program, under the user's key)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.files = Sealer(_derive(key, "files"), FILES_LAYOUT)
        """``files`` records: (path, sha, size, mtime_ns, ctime_ns, inode, checked_ns)."""
        self._sealers: dict[tuple[str, ...], Sealer] = {}

    def _sealer(self, layout: Sequence[str], *kind: str) -> Sealer:
        found = self._sealers.get(kind)
        if found is None:
            found = self._sealers[kind] = Sealer(_derive(self._key, *kind), layout)
        return found

    def rows(self, criteria: str) -> Sealer:
        """``rows`` records under the criteria key ``criteria``: (sha, the row's columns in stored order)."""
        return self._sealer(ROWS_LAYOUT, "rows", criteria)

    def heads(self, criteria: str, texts: str) -> Sealer:
        """``csv_heads`` records under a criteria key and language: (path, sha, size, mtime_ns, ctime_ns, inode,
        checked_ns, head, the row's lean columns)."""
        return self._sealer(HEADS_LAYOUT, "heads", criteria, texts)


SQLITE_HEADER = b"SQLite format 3\x00"


def may_open(path: Path, inputs: Iterable[Path | str], kind: str) -> bool:
    """Whether ``path``, chosen by the user (``--index``), may be opened as the index: the output-path rule
    (:func:`..io.safefiles.check_output`: no device, FIFO, socket, folder or symbolic link, no input of the
    command, no assessment), and an existing file must be an SQLite database whose ``meta.kind`` is ``kind``.
    An empty file, or a database of another program (in WAL mode too), is refused. The check reads without
    writing anything: the header through :func:`..io.safefiles.read_regular` (never blocks), the meta table
    through an immutable read-only connection (no journal, no lock, no ``-wal`` or ``-shm`` file)."""
    from urllib.parse import quote

    from kwaliteitskader.core.io.safefiles import OutputRefused, check_output, read_regular

    try:
        check_output(path, inputs=[Path(p) for p in inputs], force=True)
    except OutputRefused:
        return False
    if not os.path.lexists(path):
        return True  # made new
    try:
        header = read_regular(path, len(SQLITE_HEADER))
    except OSError:
        return False
    if not header.startswith(SQLITE_HEADER):
        return False  # empty, or not a database
    import sqlite3

    uri = f"file:{quote(os.path.abspath(path))}?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            found = db.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return found is not None and found[0] == kind
