"""``--index PATH`` follows the output-path rule: only a regular file that is new or an index of ours is ever
opened. A device, FIFO, socket, folder, symbolic link, an input, an empty file or another program's database
(also one in WAL mode) is refused and left exactly as it was, without a ``-journal``, ``-wal`` or ``-shm``
beside it."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kwaliteitskader.core.portfolio import index as ix
from tests.conftest import run_cli


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()} - {path.name}


def _refused_unchanged(path: Path, portfolio: Path) -> None:
    before = path.read_bytes() if path.is_file() else None
    others = _siblings(path)
    assert ix.open_index([portfolio], path) is None
    assert (path.read_bytes() if path.is_file() else None) == before
    assert _siblings(path) == others  # no -journal, -wal or -shm left beside it


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "port"
    folder.mkdir()
    return folder


def test_a_database_of_another_program_in_wal_mode_is_left_byte_identical(tmp_path: Path, portfolio: Path) -> None:
    where = tmp_path / "app.db"
    db = sqlite3.connect(where)
    assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    db.execute("CREATE TABLE assessments (id INTEGER)")
    db.execute("INSERT INTO assessments VALUES (1)")
    db.commit()
    db.close()
    _refused_unchanged(where, portfolio)


def test_other_sqlite_files_text_and_empty_files_are_refused(tmp_path: Path, portfolio: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('kind', 'something else')")
    db.close()
    _refused_unchanged(other, portfolio)
    text = tmp_path / "notes.txt"
    text.write_text("mijn aantekeningen\n")
    _refused_unchanged(text, portfolio)
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    _refused_unchanged(empty, portfolio)


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def test_devices_fifos_sockets_folders_links_and_inputs_are_refused(tmp_path: Path, portfolio: Path,
                                                                    unix_socket: Path) -> None:
    fifo = tmp_path / "pipe.sqlite"
    os.mkfifo(fifo)
    folder = tmp_path / "map.sqlite"
    folder.mkdir()
    target = tmp_path / "target.sqlite"
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    inside = portfolio / "in.toml"
    for path in (fifo, folder, unix_socket, link, inside):
        _refused_unchanged(path, portfolio)
    assert not target.exists() and not inside.exists()
    device = Path("/dev/null")
    assert ix.open_index([portfolio], device) is None
    assert not Path("/dev/null-journal").exists()


def test_a_new_path_and_our_own_index_are_used(tmp_path: Path, portfolio: Path) -> None:
    where = tmp_path / "idx.sqlite"
    index = ix.open_index([portfolio], where)
    assert index is not None
    index.close()
    index = ix.open_index([portfolio], where)
    assert index is not None
    index.close()


def test_compare_says_the_refused_index_is_not_used(tmp_path: Path, samples: Path) -> None:
    empty = tmp_path / "leeg.sqlite"
    empty.touch()
    result = run_cli("compare", samples, "--format", "csv", "--index", empty)
    assert result.returncode in (0, 1) and "Tilburg" in result.stdout
    assert "wordt niet gebruikt" in result.stderr
    assert empty.read_bytes() == b""
