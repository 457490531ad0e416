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
  content digest, size, times, inode), a ``rows`` record under one criteria key, a kept CSV head under one
  criteria key and language. A record whose seal does not hold is treated as absent: the file is judged again
  and the record written anew.

What this does not answer: someone who can read the user's key file (the user's own account, or root) can
forge records; such a person can also change the program itself.
Standard library only; nothing is ever executed or deserialised (records are compared as their ``repr``).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path
from typing import Any

from kwaliteitskader.core.places import data_dir

KEY_FILE = "index.key"
KEY_BYTES = 32
SEAL_BYTES = 16
Record = tuple[Any, ...]

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
    if key is None or not index_id or not hmac.compare_digest(_derive(key, "id", index_id).hex(), seal):
        return None
    return IndexTrust(_derive(key, "index", index_id, program))


class Sealer:
    """Seals and checks the records of one kind (a table, under one criteria key…): a record's seal is the
    keyed BLAKE2b of its ``repr`` (str, int and None values: one text per record, and one record per text)."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        self._key = key

    def seal(self, record: Sequence[object]) -> bytes:
        text = repr(tuple(record)).encode("utf-8", "surrogatepass")
        return blake2b(text, key=self._key, digest_size=SEAL_BYTES).digest()

    def sealed(self, records: Iterable[Record]) -> list[Record]:
        """The records, each with its seal as a last value (as they are stored)."""
        return [(*record, self.seal(record)) for record in records]

    def holds(self, stored: Record) -> bool:
        """Whether the last value of a stored record is the seal of the others."""
        seal = stored[-1]
        return isinstance(seal, bytes) and hmac.compare_digest(self.seal(stored[:-1]), seal)

    def valid(self, stored: Iterable[Record]) -> list[Record]:
        """The stored records whose seal holds, without it; the others are left out (as if absent). What
        :meth:`holds` does, written out in one loop: a warm compare checks three records per file."""
        key, same = self._key, hmac.compare_digest
        found = []
        for record in stored:
            body, seal = record[:-1], record[-1]
            text = repr(body).encode("utf-8", "surrogatepass")
            if isinstance(seal, bytes) and same(blake2b(text, key=key, digest_size=SEAL_BYTES).digest(), seal):
                found.append(body)
        return found


class IndexTrust:
    """The sealers of one index (its id and this program, under the user's key)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.files = Sealer(_derive(key, "files"))
        """``files`` records: (path, sha, size, mtime_ns, ctime_ns, inode, checked_ns)."""
        self._rows: dict[str, Sealer] = {}
        self._heads: dict[tuple[str, str], Sealer] = {}

    def rows(self, criteria: str) -> Sealer:
        """``rows`` records under the criteria key ``criteria``: (sha, the row's columns in stored order)."""
        found = self._rows.get(criteria)
        if found is None:
            found = self._rows[criteria] = Sealer(_derive(self._key, "rows", criteria))
        return found

    def heads(self, criteria: str, texts: str) -> Sealer:
        """``csv_heads`` records under a criteria key and language: (sha, head)."""
        found = self._heads.get((criteria, texts))
        if found is None:
            found = self._heads[(criteria, texts)] = Sealer(_derive(self._key, "heads", criteria, texts))
        return found


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
