"""The portfolio index (issue 17): it skips work, and it never changes a verdict.

Every indexed run is compared with a fresh run (no index) over the same files: the same rows in the same
order, the same errors. In between, files are edited (also so that size and modification time stay
the same), renamed, copied, touched, broken and deleted; criteria settings and the program change.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from benchmarks.synth import generate
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import index as ix
from kwaliteitskader.core.portfolio import loading
from kwaliteitskader.core.portfolio.loading import LoadResult, load_rows
from kwaliteitskader.core.portfolio.reclassify import reclassify
from tests.conftest import TODAY, repetitions, rewrite

PORTFOLIO = repetitions(600, 2000)
"""Generated assessments in the module's portfolio: 2,000 in the slow set (``--run-slow``); everyday enough for
a run with a few hundred changed files (above the cold pool threshold, below the warm one)."""


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory, criteria: Criteria) -> Path:
    """:data:`PORTFOLIO` generated assessments (the benchmark's generator, fixed seed), made once for this module."""
    folder = tmp_path_factory.mktemp("portfolio") / "beoordelingen"
    generate(folder, PORTFOLIO, seed=1717, criteria=criteria)
    return folder


@pytest.fixture
def folder(portfolio: Path, tmp_path: Path) -> Path:
    """A private copy to change."""
    target = tmp_path / "beoordelingen"
    shutil.copytree(portfolio, target)
    return target


class Counter:
    """Counts the files that are actually read and judged (rows taken from the index are not)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        judge = loading.evaluate_file

        def counted(file: Path, criteria: Criteria, today: dt.date) -> object:
            self.files.append(str(file))
            return judge(file, criteria, today)

        monkeypatch.setattr(loading, "evaluate_file", counted)

    def take(self) -> list[str]:
        taken, self.files = self.files, []
        return taken


def fresh(folder: Path, criteria: Criteria) -> LoadResult:
    return load_rows([folder], criteria, today=TODAY)


def indexed(folder: Path, criteria: Criteria, where: Path) -> LoadResult:
    index = ix.open_index([folder], where)
    assert index is not None
    try:
        return load_rows([folder], criteria, today=TODAY, index=index)
    finally:
        index.close()


def assert_same(got: LoadResult, expected: LoadResult) -> None:
    assert [r.file for r in got.rows] == [r.file for r in expected.rows]  # same order
    assert got.rows == expected.rows  # every column, the digest included
    assert got.errors == expected.errors
    assert got.total == expected.total


@pytest.mark.repeated
@pytest.mark.parametrize("whole_tables", [False, True], ids=["files looked up", "tables read whole"])
def test_indexed_results_equal_fresh_ones_after_edits_renames_copies_and_deletions(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_tables: bool
) -> None:
    if whole_tables:  # how 50,000 files are read; 2,000 are looked up in parts
        monkeypatch.setattr(ix, "WHOLE_TABLES_FROM", 100)
    where = tmp_path / "index.sqlite"
    counter = Counter(monkeypatch)
    files = sorted(folder.glob("*.toml"))

    first = fresh(folder, criteria)
    assert len(first.rows) == PORTFOLIO
    counter.take()
    assert_same(indexed(folder, criteria, where), first)  # cold: builds the index
    assert len(counter.take()) == PORTFOLIO
    assert_same(indexed(folder, criteria, where), first)  # warm: nothing read or judged again
    assert counter.take() == []

    # between two runs: edits that change verdicts, renames, copies, touches, deletions, broken files
    edited = files[0:40]
    for path in edited:
        text = path.read_text(encoding="utf-8")
        for old, new in (('effect_direction = "positief"', 'effect_direction = "negatief"'),
                         ('study_design = "rct"', 'study_design = "geen_onderzoek"')):
            text = text.replace(old, new)
        path.write_text(text.replace("Synthetische beoordeling", "Bewerkte beoordeling"), encoding="utf-8")
    same_size = files[40]  # same size and modification time as before: only the change time shows it
    stat = same_size.stat()
    rewrite(same_size, 'municipality = "', 'municipality = "X')
    rewrite(same_size, "Synthetische", "Synthetisch")
    assert same_size.stat().st_size == stat.st_size
    os.utime(same_size, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    renamed = files[100:130]
    for path in renamed:
        path.rename(path.with_name("hernoemd_" + path.name))
    (folder / "sub").mkdir()
    for path in files[200:210]:
        shutil.copy2(path, folder / "sub" / path.name)  # a copy: same content, another path
    for path in files[300:310]:
        os.utime(path)  # touched: new time, same content
    for path in files[400:420]:
        path.unlink()
    for path in files[500:505]:
        path.write_text("[intervention\nname = 'kapot'\n", encoding="utf-8")

    second = fresh(folder, criteria)
    assert len(second.errors) == 5 and len(second.rows) == PORTFOLIO - 20 - 5 + 10
    assert any(r.municipality.startswith("X") for r in second.rows)
    counter.take()
    assert_same(indexed(folder, criteria, where), second)
    judged = set(counter.take())
    # only new content is judged: the edits and the broken files; renamed, copied and touched files are not
    assert judged == {str(p) for p in [*edited, same_size, *files[500:505]]}

    assert_same(indexed(folder, criteria, where), second)  # and the run after that: only the broken files
    assert set(counter.take()) == {str(p) for p in files[500:505]}

    # the deleted and renamed paths are forgotten, and so is content no file has any more
    with sqlite3.connect(where) as db:
        paths = {p for (p,) in db.execute("SELECT path FROM files")}
        shas = {s for (s,) in db.execute("SELECT DISTINCT sha FROM rows")}
    assert paths == {os.path.abspath(r.file) for r in second.rows}
    assert shas == {r.digest for r in second.rows}

    # edits alone (no file gone): the rows of the old contents go too
    for path in files[600:605]:
        rewrite(path, "Synthetische", "Nogmaals gewijzigde")
    third = fresh(folder, criteria)
    assert_same(indexed(folder, criteria, where), third)
    with sqlite3.connect(where) as db:
        shas = {s for (s,) in db.execute("SELECT DISTINCT sha FROM rows")}
        count = db.execute("SELECT count(*) FROM rows").fetchone()[0]
    assert shas == {r.digest for r in third.rows}
    assert count == len(shas)  # one set of criteria: one row per content


@pytest.mark.repeated
def test_other_settings_or_criteria_are_judged_again_and_agree(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "index.sqlite"
    indexed(folder, criteria, where)
    setting = "eerste_aanwijzingen_telt"
    assert setting in criteria.settings
    other = criteria.with_settings(**{setting: not criteria.settings[setting]})
    counter = Counter(monkeypatch)
    expected = fresh(folder, other)
    counter.take()
    got = indexed(folder, other, where)
    assert_same(got, expected)
    assert len(counter.take()) == PORTFOLIO  # nothing reused across criteria
    assert [r.possible_classes for r in got.rows] != [r.possible_classes for r in fresh(folder, criteria).rows]  # the setting matters
    counter.take()
    assert_same(indexed(folder, criteria, where), fresh(folder, criteria))  # both kept side by side
    assert len(counter.take()) == PORTFOLIO  # (the fresh run only)


@pytest.mark.repeated
def test_an_index_of_another_program_version_is_rebuilt(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "index.sqlite"
    indexed(folder, criteria, where)
    monkeypatch.setattr(ix, "program_fingerprint", lambda: "another program")
    counter = Counter(monkeypatch)
    assert_same(indexed(folder, criteria, where), fresh(folder, criteria))
    assert len(counter.take()) == 2 * PORTFOLIO  # everything judged again (and once for the fresh run)
    with sqlite3.connect(where) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["program"] == "another program"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign tables", "dropped table", "half a page"])
def test_a_damaged_index_in_the_cache_folder_is_rebuilt(
    damage: str, samples: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KWALITEITSKADER_CACHE", str(tmp_path / "cache"))
    where = ix.default_index_path([samples])
    assert where is not None

    def run() -> LoadResult:
        index = ix.open_index([samples])
        try:
            return load_rows([samples], criteria, today=TODAY, index=index)
        finally:
            if index is not None:
                index.close()

    expected = fresh(samples, criteria)
    assert_same(run(), expected)
    if damage == "garbage":
        where.write_bytes(b"this is not a database\n" * 100)
    elif damage == "truncated":
        where.write_bytes(where.read_bytes()[:1500])
    elif damage == "half a page":
        data = bytearray(where.read_bytes())
        data[4096:] = b"\xff" * (len(data) - 4096)
        where.write_bytes(bytes(data))
    elif damage == "foreign tables":
        where.unlink()
        with sqlite3.connect(where) as db:
            db.execute("CREATE TABLE something (x)")
    else:
        with sqlite3.connect(where) as db:
            db.execute("DROP TABLE rows")
    assert_same(run(), expected)  # damaged: results as fresh, the index is rebuilt (now or in the next run)
    assert_same(run(), expected)
    with sqlite3.connect(where) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone() == (len(expected.rows),)


def test_a_file_given_with_index_that_is_not_an_index_is_left_alone(
    samples: Path, criteria: Criteria, tmp_path: Path
) -> None:
    for name, content in (("notes.txt", b"my notes\n"), ("export.sqlite", None)):
        where = tmp_path / name
        if content is None:
            with sqlite3.connect(where) as db:
                db.execute("CREATE TABLE assessments (id INTEGER)")
                db.execute("INSERT INTO assessments VALUES (1)")
            db.close()
        else:
            where.write_bytes(content)
        before = where.read_bytes()
        assert ix.open_index([samples], where) is None
        assert where.read_bytes() == before


def test_an_index_of_ours_given_with_index_is_emptied_when_outdated(
    samples: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "mijn-index.sqlite"
    indexed(samples, criteria, where)
    monkeypatch.setattr(ix, "program_fingerprint", lambda: "another program")
    assert_same(indexed(samples, criteria, where), fresh(samples, criteria))


def test_an_index_that_cannot_be_written_means_work_not_an_error(
    samples: Path, criteria: Criteria, tmp_path: Path
) -> None:
    (tmp_path / "a-folder.sqlite").mkdir()
    assert ix.open_index([samples], tmp_path / "a-folder.sqlite") is None
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    assert ix.open_index([samples], blocked / "index.sqlite") is None
    assert ix.open_index([samples], "off") is None


def test_the_default_index_lives_in_the_cache_folder_and_follows_its_setting(
    samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KWALITEITSKADER_CACHE", str(tmp_path / "cache"))
    index = ix.open_index([samples])
    assert index is not None
    index.close()
    assert index.path.parent == tmp_path / "cache" / "portfolio"
    assert ix.default_index_path([samples]) == index.path
    assert ix.default_index_path([samples.parent]) != index.path  # one index per set of folders
    monkeypatch.setenv("KWALITEITSKADER_CACHE", "off")
    assert ix.open_index([samples]) is None


def test_the_test_run_never_writes_into_the_real_cache() -> None:
    home = Path(os.path.expanduser("~")) / ".cache"
    folder = ix.default_index_path(["x"])
    assert folder is not None and home not in folder.parents


def test_a_file_changed_just_after_it_was_read_is_read_again(
    samples: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racily clean: a change in the same clock tick as the read keeps size and times; the bytes decide."""
    where = tmp_path / "index.sqlite"
    counter = Counter(monkeypatch)
    now = time.time_ns()
    # every file keeps the same size, times and inode, all of them just now (a coarse clock, a quick editor)
    real_stat = os.stat

    def same_every_time(path: str) -> Any:
        real = real_stat(path)  # still raises for a missing file
        return SimpleNamespace(st_mode=real.st_mode, st_size=1, st_mtime_ns=now, st_ctime_ns=now, st_ino=4)

    monkeypatch.setattr(ix, "_os_stat", same_every_time)
    indexed(samples, criteria, where)
    counter.take()
    indexed(samples, criteria, where)
    assert counter.take() == []  # hashed (their times are too recent to trust), found by content, not judged
    target = sorted(samples.glob("*.toml"))[0]
    rewrite(target, 'study_design = "', 'study_design = "x')  # same row count, other answers
    got = indexed(samples, criteria, where)
    assert counter.take() == [str(target)]
    assert_same(got, fresh(samples, criteria))


@pytest.mark.repeated
def test_reclassify_with_the_index_equals_without_and_skips_unchanged_files(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kwaliteitskader.core.io import load as loader

    for extra in sorted(folder.glob("*.toml"))[repetitions(250, 2000):]:
        extra.unlink()  # each of the six runs judges every file twice: a part of the portfolio is enough everyday
    setting = "eerste_aanwijzingen_telt"
    new = criteria.with_settings(**{setting: not criteria.settings[setting]})
    where = tmp_path / "index.sqlite"
    loads: list[Path] = []
    load = loader.load_assessment

    def counted(path: Path | str, **options: Any) -> Any:
        loads.append(Path(path))
        return load(path, **options)

    monkeypatch.setattr(loader, "load_assessment", counted)

    def run(with_index: bool) -> object:
        index = ix.open_index([folder], where) if with_index else None
        try:
            return reclassify([folder], criteria, new, index=index)
        finally:
            if index is not None:
                index.close()

    expected = run(False)
    assert expected.changes  # type: ignore[attr-defined]
    assert run(True) == expected
    loads.clear()
    assert run(True) == expected
    changed = {Path(c.file) for c in expected.changes}  # type: ignore[attr-defined]
    assert set(loads) == changed  # only the files whose verdict changes are read again (for the why)

    files = sorted(folder.glob("*.toml"))
    for path in files[:30]:
        rewrite(path, "Synthetische", "Gewijzigde")
    files[40].rename(folder / "nieuw.toml")
    files[50].unlink()
    expected = run(False)
    assert run(True) == expected
    assert run(True) == expected


@pytest.mark.repeated
def test_a_few_changed_files_are_judged_here_without_starting_workers(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers forked from a process that holds the whole table warm up on their own: for a few hundred
    changed files that costs more than it saves, so they are judged in this process; many are shared."""
    where = tmp_path / "index.sqlite"
    indexed(folder, criteria, where)
    started: list[int] = []
    real_start = loading.start_pool

    def start_pool(chosen: Criteria, workers: int) -> Any:
        started.append(workers)
        return real_start(chosen, workers)

    monkeypatch.setattr(loading, "start_pool", start_pool)
    files = sorted(folder.glob("*.toml"))

    def warm_run_after_editing(edited: list[Path]) -> None:
        for path in edited:
            rewrite(path, "Synthetische", "Gewijzigde")
        index = ix.open_index([folder], where)
        assert index is not None
        try:
            got = load_rows([folder], criteria, today=TODAY, index=index, workers=2)
        finally:
            index.close()
        assert_same(got, fresh(folder, criteria))

    warm_run_after_editing(files[:300])  # more than the pool threshold of a cold run, fewer than this one's
    assert loading.POOL_THRESHOLD <= 300 and loading.INDEXED_POOL_THRESHOLD > 300
    assert started == []
    monkeypatch.setattr(loading, "INDEXED_POOL_THRESHOLD", 200)
    warm_run_after_editing(files[300:600])
    assert started == [2]


@pytest.mark.repeated
@pytest.mark.parametrize("first_run", [True, False], ids=["no index yet", "first files changed"])
def test_the_first_rows_come_before_the_rest_of_the_folder_is_checked(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_run: bool
) -> None:
    """A view shows its first rows while the rest loads: the first few files are looked up and, where the
    index has no row for them (a first run, or they changed), judged, before the other files are even
    stat'ed; the rows and their order are those of a run without the index."""
    where = tmp_path / "index.sqlite"
    if not first_run:
        indexed(folder, criteria, where)
        for path in sorted(folder.glob("*.toml"))[:3]:
            rewrite(path, "Synthetische", "Gewijzigde")
    looked_up: list[int] = []
    real_lookup = ix.PortfolioIndex.lookup

    def lookup(self: ix.PortfolioIndex, files: Any, *args: Any) -> Any:
        looked_up.append(len(files))
        return real_lookup(self, files, *args)

    monkeypatch.setattr(ix.PortfolioIndex, "lookup", lookup)
    index = ix.open_index([folder], where)
    assert index is not None
    try:
        batches = loading.iter_batches([folder], criteria, today=TODAY, index=index)
        first = next(batches)
        assert first.rows and first.done <= loading.FIRST_BATCH
        assert looked_up == [loading.FIRST_BATCH]  # only the first few so far
        rest = list(batches)
    finally:
        index.close()
    assert looked_up == [loading.FIRST_BATCH, PORTFOLIO - loading.FIRST_BATCH]
    expected = fresh(folder, criteria)
    assert [r for batch in [first, *rest] for r in batch.rows] == expected.rows


def test_a_file_is_trusted_by_the_time_it_was_read_not_the_start_of_the_run(
    samples: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files changed just before a run (a folder copied in) have times too recent to trust if compared with
    the start of the run; compared with when each batch was read, the ones read well after their change are
    trusted the next time, and only the others are read (hashed) again."""
    import types

    where = tmp_path / "index.sqlite"
    hashed: list[str] = []
    digest = ix._digest

    def counted(path: str, *args: Any) -> str | None:
        hashed.append(path)
        return digest(path, *args)

    monkeypatch.setattr(ix, "_digest", counted)
    indexed(samples, criteria, where)  # read at once: every file changed less than RACY_NS before
    indexed(samples, criteria, where)
    assert len(hashed) == len(list(samples.glob("*.toml")))  # none trusted: each read again (by content)
    hashed.clear()
    indexed(samples, criteria, where)  # stored with the time of that second look, still too recent
    hashed.clear()

    later = time.time_ns() + ix.RACY_NS + 1_000_000_000
    clock = types.SimpleNamespace(time_ns=lambda: later)  # the batches are read "later" (a slow first run)
    monkeypatch.setattr(loading, "time", clock)
    where.unlink()
    indexed(samples, criteria, where)  # judged afresh, each batch saying when it was read
    monkeypatch.undo()
    monkeypatch.setattr(ix, "_digest", counted)
    hashed.clear()
    assert_same(indexed(samples, criteria, where), fresh(samples, criteria))
    assert hashed == []  # read well after their last change: trusted


def test_a_row_of_another_year_is_judged_again(
    samples: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An assessment without a date has its recognition judged on today's date (whole years): a row made last
    year may not be this year's verdict."""
    where = tmp_path / "index.sqlite"
    indexed(samples, criteria, where)
    counter = Counter(monkeypatch)
    indexed(samples, criteria, where)
    assert counter.take() == []
    monkeypatch.setattr(ix, "_this_year", lambda: dt.date.today().year + 1)
    expected = fresh(samples, criteria)
    counter.take()
    assert_same(indexed(samples, criteria, where), expected)
    assert len(counter.take()) == len(list(samples.glob("*.toml")))  # every file judged again
