"""A tampered, copied or foreign portfolio index never changes a verdict shown or exported.

The index can sit beside a shared portfolio (``--index``), so whoever can write that folder can edit it with
``sqlite3``, or put there an index made and sealed under their own key. Every attack below is followed by a
compare whose output must be exactly that of a compare without any index.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import csv_texts_key, csv_with_heads
from kwaliteitskader.core.portfolio import index as ix
from kwaliteitskader.core.portfolio import index_trust
from kwaliteitskader.core.portfolio.loading import LoadResult, load_lean_rows, load_rows
from kwaliteitskader.core.portfolio.row import Row
from tests.conftest import TODAY, run_cli

TILBURG = "kapot_sterk_tilburg.toml"
ROTTERDAM = "ajb_rotterdam.toml"  # bewezen effectief


def _csv(samples: Path, *extra: str | Path, env: dict[str, str] | None = None) -> str:
    result = run_cli("compare", samples, "--format", "csv", *extra, env=env)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def _line(csv: str, municipality: str) -> str:
    (line,) = [line for line in csv.splitlines() if municipality in line]
    return line


def test_rows_changed_with_sqlite_are_judged_again(samples: Path, tmp_path: Path) -> None:
    """The attack as reported: a stoppen row turned into bewezen effectief, and the CSV heads deleted."""
    where = tmp_path / "idx.sqlite"
    truth = _csv(samples, "--index", "off")
    assert "bewezen effectief" not in _line(truth, "Tilburg")
    assert _csv(samples, "--index", where) == truth
    with sqlite3.connect(where) as db:
        changed = db.execute(
            "UPDATE rows SET decided_class='bewezen_effectief', advice='inzetten', rule='bewezen_effectief' "
            "WHERE municipality='Tilburg'"
        ).rowcount
        db.execute("DELETE FROM csv_heads")
    assert changed == 1
    assert _csv(samples, "--index", where) == truth
    # the row was judged again and written anew, with its seal: a further run reads it from the index
    with sqlite3.connect(where) as db:
        assert db.execute("SELECT decided_class FROM rows WHERE municipality='Tilburg'").fetchone()[0] != "bewezen_effectief"
    assert _csv(samples, "--index", where) == truth


def _indexed(folder: Path, criteria: Criteria, where: Path) -> LoadResult:
    index = ix.open_index([folder], where)
    assert index is not None
    try:
        return load_rows([folder], criteria, today=TODAY, index=index)
    finally:
        index.close()


def _fresh(folder: Path, criteria: Criteria) -> LoadResult:
    return load_rows([folder], criteria, today=TODAY)


def _same(got: LoadResult, expected: LoadResult) -> None:
    assert got.rows == expected.rows and got.errors == expected.errors


def test_a_file_pointed_at_the_row_of_other_content_is_judged_again(samples: Path, tmp_path: Path,
                                                                     criteria: Criteria) -> None:
    """``files`` says which content a file had: pointing Tilburg's file at Rotterdam's (sealed, bewezen
    effectief) row must not give Tilburg that verdict."""
    where = tmp_path / "idx.sqlite"
    truth = _fresh(samples, criteria)
    _same(_indexed(samples, criteria, where), truth)
    with sqlite3.connect(where) as db:
        (other,) = db.execute("SELECT sha FROM files WHERE path = ?", (str(samples / ROTTERDAM),)).fetchone()
        assert db.execute("UPDATE files SET sha = ? WHERE path = ?", (other, str(samples / TILBURG))).rowcount == 1
    _same(_indexed(samples, criteria, where), truth)


def test_a_changed_csv_head_is_not_used(samples: Path, tmp_path: Path) -> None:
    where = tmp_path / "idx.sqlite"
    truth = _csv(samples, "--index", "off")
    assert _csv(samples, "--index", where) == truth
    with sqlite3.connect(where) as db:
        assert db.execute("UPDATE csv_heads SET head = replace(head, 'stoppen', 'bewezen effectief')").rowcount
    assert _csv(samples, "--index", where) == truth


def _lean_load(samples: Path, criteria: Criteria, where: Path) -> list[Any]:
    """A warm CSV's load of a large portfolio: the kept CSV heads read, then the rows of their contents as lean
    rows made of the kept records (the tables read whole, as from ``WHOLE_TABLES_FROM`` files on)."""
    index = ix.open_index([samples], where)
    assert index is not None
    try:
        heads = index.csv_heads(criteria, csv_texts_key("nl"))
        return load_lean_rows([samples], criteria, index, heads, today=TODAY).rows
    finally:
        index.close()


@pytest.mark.parametrize(("column", "value"), [
    ("municipality", "Breda"), ("rule", "bewezen_effectief"), ("valid_until", "2099-01-01"),  # the row's
    ("sha", "0" * 64), ("checked_ns", 2**62), ("size", 1),  # what the file looked like
])
def test_a_changed_column_of_a_kept_csv_record_is_not_used(samples: Path, tmp_path: Path, criteria: Criteria,
                                                               monkeypatch: pytest.MonkeyPatch, column: str,
                                                               value: object) -> None:
    """A warm CSV of a large portfolio makes the row of each unchanged file of its ``csv_heads`` record alone
    (the file's entry, the CSV head and the row's lean columns, under one seal), without its ``files`` and
    ``rows`` records: changing any column there (the municipality every coordinator filters on, the rule, the
    date the row goes out of date, the content or the times it says the file had) gets the file looked up in
    ``files`` and ``rows`` as for any other use: a whole row, the same as without the record."""
    monkeypatch.setattr(ix, "WHOLE_TABLES_FROM", 0)
    monkeypatch.setattr(ix, "RACY_NS", 0)  # the files were copied just now: trust their times (tested elsewhere)
    where = tmp_path / "idx.sqlite"
    index = ix.open_index([samples], where)
    assert index is not None
    try:
        heads = index.csv_heads(criteria, csv_texts_key("nl"))  # none yet: every head made and kept
        rows = load_lean_rows([samples], criteria, index, heads, today=TODAY).rows
        assert not heads and all(isinstance(row, Row) for row in rows)
        csv_with_heads(rows, heads, criteria, "nl")
        index.store_csv_heads(criteria, csv_texts_key("nl"), rows, heads)
    finally:
        index.close()
    truth = {row.file: row for row in rows}
    lean = _lean_load(samples, criteria, where)
    assert all(isinstance(row, ix.CsvRow) for row in lean)  # every row made of its kept record
    with sqlite3.connect(where) as db:
        (sha,) = db.execute("SELECT sha FROM rows WHERE municipality = 'Tilburg'").fetchone()
        assert db.execute(f"UPDATE csv_heads SET {column} = ? WHERE sha = ?", (value, sha)).rowcount == 1  # noqa: S608
    again = _lean_load(samples, criteria, where)
    (tilburg,) = [row for row in again if row.digest == sha]
    assert isinstance(tilburg, Row) and tilburg == truth[tilburg.file]  # not made of the record
    assert all(isinstance(row, ix.CsvRow) for row in again if row.digest != sha)


@pytest.mark.parametrize(("change", "left"), [
    # the same digits, as bytes (a flag that would read as true): SQLite keeps a blob as it is, where it turns a
    # text of digits in a column of numbers into the number
    ("UPDATE rows SET provisional = CAST(provisional AS BLOB)", "SELECT count(*) FROM rows WHERE typeof(provisional) = 'blob'"),
    # the text of None
    ("UPDATE rows SET advice = 'None' WHERE advice IS NULL", "SELECT count(*) FROM rows WHERE advice = 'None'"),
    ("UPDATE files SET size = CAST(size AS BLOB)", "SELECT count(*) FROM files WHERE typeof(size) = 'blob'"),
])
def test_a_value_of_another_type_with_the_same_text_is_not_taken(samples: Path, tmp_path: Path, criteria: Criteria,
                                                                  change: str, left: str) -> None:
    """A seal covers each value with its type: a value that reads like the number (or the None) it replaces
    does not pass for it; the record is made again (the file judged, or its content hashed) and written anew."""
    where = tmp_path / "idx.sqlite"
    truth = _fresh(samples, criteria)
    _same(_indexed(samples, criteria, where), truth)
    with sqlite3.connect(where) as db:
        assert db.execute(change).rowcount
    _same(_indexed(samples, criteria, where), truth)
    with sqlite3.connect(where) as db:
        assert db.execute(left).fetchone()[0] == 0


def _reseal_all(where: Path, data: Path) -> None:
    """What someone with their own key can do: change every verdict and seal it again under that key."""
    old = os.environ.get("KWALITEITSKADER_DATA_DIR")
    os.environ["KWALITEITSKADER_DATA_DIR"] = str(data)
    try:
        with sqlite3.connect(where) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            trust = index_trust.trust_for(meta, ix.program_fingerprint())
            assert trust is not None
            db.execute("UPDATE rows SET decided_class='bewezen_effectief', advice='inzetten', rule='bewezen_effectief'")
            columns = [c[1] for c in db.execute("PRAGMA table_info(rows)")]
            for record in db.execute(f"SELECT {', '.join(columns)} FROM rows").fetchall():  # noqa: S608
                row = dict(zip(columns, record, strict=True))
                values = (row["sha"], *[row[c] for c in columns if c not in ("sha", "criteria", "seal")])
                db.execute("UPDATE rows SET seal = ? WHERE sha = ? AND criteria = ?",
                           (trust.rows(row["criteria"]).seal(values), row["sha"], row["criteria"]))
            db.execute("DELETE FROM csv_heads")
    finally:
        os.environ["KWALITEITSKADER_DATA_DIR"] = old or ""


def test_an_index_sealed_under_another_key_is_rebuilt(samples: Path, tmp_path: Path, criteria: Criteria) -> None:
    """An index made (and tampered with, and sealed again) by another user, put beside the portfolio."""
    where = tmp_path / "idx.sqlite"
    theirs = tmp_path / "their-data"
    truth = _csv(samples, "--index", "off")
    env = {"KWALITEITSKADER_DATA_DIR": str(theirs)}
    assert _csv(samples, "--index", where, env=env) == truth
    _reseal_all(where, theirs)
    assert "bewezen effectief" in _line(_csv(samples, "--index", where, env=env), "Tilburg")  # their own view
    with sqlite3.connect(where) as db:
        their_id = dict(db.execute("SELECT key, value FROM meta"))["id"]
    assert _csv(samples, "--index", where) == truth  # ours: not trusted, rebuilt
    with sqlite3.connect(where) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["id"] != their_id and index_trust.trust_for(meta, ix.program_fingerprint()) is not None


def test_an_index_copied_beside_another_copy_of_the_portfolio(samples: Path, tmp_path: Path,
                                                              criteria: Criteria) -> None:
    """The same user's index, copied beside a copy of the portfolio in which Tilburg's file differs."""
    where = tmp_path / "idx.sqlite"
    _indexed(samples, criteria, where)
    other = tmp_path / "kopie"
    shutil.copytree(samples, other)
    shutil.copy2(other / ROTTERDAM, other / TILBURG)  # another content under Tilburg's name
    copied = other / "idx.sqlite"
    shutil.copy2(where, copied)
    _same(_indexed(other, criteria, copied), _fresh(other, criteria))


def test_the_key_is_private_and_a_readable_key_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           samples: Path, criteria: Criteria) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("KWALITEITSKADER_DATA_DIR", str(data))
    index_trust._key_in.cache_clear()
    key = index_trust.user_key()
    path = data / index_trust.KEY_FILE
    assert key is not None and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(data.stat().st_mode) == 0o700
    where = tmp_path / "idx.sqlite"
    _indexed(samples, criteria, where)
    path.chmod(0o644)  # others could read it: it may be known, so it is no longer used
    index_trust._key_in.cache_clear()
    assert index_trust.user_key() not in (None, key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(where) as db:
        old_id = dict(db.execute("SELECT key, value FROM meta"))["id"]
    _same(_indexed(samples, criteria, where), _fresh(samples, criteria))  # sealed with the old key: rebuilt
    with sqlite3.connect(where) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["id"] != old_id
    index_trust._key_in.cache_clear()


def test_without_a_place_for_the_key_no_index_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KWALITEITSKADER_DATA_DIR", str(blocker / "data"))  # under a file: cannot be made
    index_trust._key_in.cache_clear()
    try:
        assert index_trust.user_key() is None
        assert ix.open_index([tmp_path], tmp_path / "idx.sqlite") is None
    finally:
        index_trust._key_in.cache_clear()


def test_a_record_that_does_not_fit_leaves_the_others_of_its_table_valid() -> None:
    """A record with a value of another type, a text holding the separator, a seal that is no bytes or a number
    that is no 8-byte integer is left out alone: the other records of the same read still hold."""
    files = index_trust.IndexTrust(bytes(32)).files
    records = [(f"/p/{i}.toml", "ab" * 32, 100 + i, 1, 2, 3, 4) for i in range(5)]
    stored = files.sealed(records)
    assert files.valid(stored) == records
    tampered = [
        (*stored[0][:2], str(stored[0][2]), *stored[0][3:]),  # the size as the text of its digits
        (f"/p/0.toml{index_trust.SEPARATOR}x", *stored[1][1:]),  # a separator in a text
        (*stored[2][:-1], stored[2][-1].hex()),  # the seal as a text
        stored[3],
        (*stored[4][:2], 2**63, *stored[4][3:]),  # no 8-byte integer
    ]
    assert files.valid(tampered) == [records[3]]
    assert files.valid([stored[3], (*stored[4][:2], 101, *stored[4][3:])]) == [records[3]]  # a changed number
