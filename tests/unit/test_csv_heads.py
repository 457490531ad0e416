"""The CSV text the portfolio index keeps per content (issue 17): the first cells of a row (``HEAD_COLUMNS``)
are kept per content digest, criteria and language, so that a warm ``compare --format csv`` writes 50,000
rows without making their cells again. It must never show in the output: the CSV is byte for byte the one
made without an index, and a kept text is only used when the content, the criteria, the language and
messages and the program are the same as when it was made.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.synth import generate
from kwaliteitskader.cli.compare import _csv_with_heads, _kept_csv_heads
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output import export
from kwaliteitskader.core.output.export import Report, to_csv
from kwaliteitskader.core.output.portfolio_table import (
    CELL_DEPENDS_ON,
    EXPORT_COLUMNS,
    HEAD_COLUMNS,
    STORED_FIELDS,
    TAIL_COLUMNS,
)
from kwaliteitskader.core.portfolio import index as ix
from kwaliteitskader.core.portfolio.cells import LEAN_CELLS
from kwaliteitskader.core.portfolio.index_rows import LINE_COLUMNS
from kwaliteitskader.core.portfolio.loading import load_rows
from kwaliteitskader.core.portfolio.row import Row
from kwaliteitskader.core.portfolio.table import sort_rows
from tests.conftest import TODAY, rewrite

GENERATED = dt.datetime(2026, 1, 15, 9, 30)
MARK = "KEPT-HEAD"


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory, criteria: Criteria) -> Path:
    folder = tmp_path_factory.mktemp("heads") / "beoordelingen"
    generate(folder, 300, seed=4242, criteria=criteria)
    return folder


@pytest.fixture
def folder(portfolio: Path, tmp_path: Path) -> Path:
    target = tmp_path / "beoordelingen"
    shutil.copytree(portfolio, target)
    return target


def _report(folder: Path, criteria: Criteria, lang: str, today: dt.date, index: ix.PortfolioIndex | None) -> Report:
    result = load_rows([folder], criteria, today=today, index=index)
    rows = sort_rows(result.rows, "municipality", criteria=criteria)
    return Report(rows, result.errors, criteria, lang=lang, generated=GENERATED)


def fresh_csv(folder: Path, criteria: Criteria, lang: str = "nl", today: dt.date = TODAY) -> bytes:
    return to_csv(_report(folder, criteria, lang, today, None))


def indexed_csv(folder: Path, criteria: Criteria, where: Path, lang: str = "nl", today: dt.date = TODAY) -> bytes:
    """What ``compare --format csv --index where`` writes (the CLI's own functions; whole rows)."""
    index = ix.open_index([folder], where)
    assert index is not None
    try:
        kept = _kept_csv_heads(index, criteria, lang)
        assert kept is not None
        return _csv_with_heads(_report(folder, criteria, lang, today, index), index, kept)
    finally:
        index.close()


def _heads(where: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(where) as db:
        return db.execute("SELECT sha, criteria, texts, head FROM csv_heads").fetchall()


def _mark_every_head(where: Path) -> None:
    """Replace every kept text by one that no real row has: wherever it shows, a kept text was used. Sealed
    with the user's key as the program seals it (a text changed without its seal would be ignored)."""
    from kwaliteitskader.core.portfolio.index import program_fingerprint
    from kwaliteitskader.core.portfolio.index_trust import trust_for

    with sqlite3.connect(where) as db:
        trust = trust_for(dict(db.execute("SELECT key, value FROM meta")), program_fingerprint())
        assert trust is not None
        query = f"SELECT criteria, texts, {LINE_COLUMNS} FROM csv_heads"  # noqa: S608 - fixed names
        for key, texts, *line in db.execute(query).fetchall():
            line[LINE_COLUMNS.split(", ").index("head")] = head = MARK + line[1]
            db.execute("UPDATE csv_heads SET head = ?, seal = ? WHERE path = ? AND criteria = ? AND texts = ?",
                       (head, trust.heads(key, texts).seal(line), line[0], key, texts))


def test_the_kept_columns_depend_on_the_content_criteria_and_language_alone() -> None:
    assert HEAD_COLUMNS and HEAD_COLUMNS + TAIL_COLUMNS == EXPORT_COLUMNS
    for column in HEAD_COLUMNS:
        assert set(CELL_DEPENDS_ON[column]) <= STORED_FIELDS, column
    # the path and today's date are never kept: the file and out-of-date columns are made every run
    assert "file" in TAIL_COLUMNS and "out_of_date" in TAIL_COLUMNS
    assert "file" not in STORED_FIELDS and "out_of_date" not in STORED_FIELDS
    # and they are made of lean rows too (a warm CSV's stored rows): they read nothing a lean row lacks
    for column in TAIL_COLUMNS:
        assert column in LEAN_CELLS and set(CELL_DEPENDS_ON[column]) <= set(ix.CsvRow._fields), column


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_csv_is_the_same_bytes_with_kept_heads_after_edits_renames_copies_and_deletions(
    folder: Path, criteria: Criteria, tmp_path: Path, lang: str
) -> None:
    where = tmp_path / "index.sqlite"
    expected = fresh_csv(folder, criteria, lang)
    assert indexed_csv(folder, criteria, where, lang) == expected  # cold: makes and keeps the heads
    assert len(_heads(where)) == 300
    assert indexed_csv(folder, criteria, where, lang) == expected  # warm: every head from the index

    files = sorted(folder.glob("*.toml"))
    for path in files[:10]:  # other verdicts and texts
        rewrite(path, "Synthetische beoordeling", "Bewerkte beoordeling")
        text = path.read_text(encoding="utf-8").replace('effect_direction = "positief"', 'effect_direction = "geen"')
        path.write_text(text, encoding="utf-8")
    # texts a spreadsheet or the CSV must escape, in a kept column
    rewrite(files[10], 'municipality = "', 'municipality = "=1+2;\\"x\\" ')
    rewrite(files[11], 'assessor = "', 'assessor = "a\\u0007b;')
    for path in files[20:25]:
        path.rename(path.with_name("hernoemd_" + path.name))
    (folder / "sub").mkdir()
    for path in files[30:35]:
        shutil.copy2(path, folder / "sub" / path.name)
    for path in files[40:45]:
        path.unlink()
    files[50].write_text("[intervention\nname = 'kapot'\n", encoding="utf-8")

    expected = fresh_csv(folder, criteria, lang)
    assert "=1+2" in expected.decode("utf-8")
    assert indexed_csv(folder, criteria, where, lang) == expected
    assert indexed_csv(folder, criteria, where, lang) == expected
    # the heads of contents no file has any more are forgotten with their rows
    with sqlite3.connect(where) as db:
        rows = {sha for (sha,) in db.execute("SELECT sha FROM rows")}
    assert {sha for sha, *_ in _heads(where)} == rows


def test_kept_heads_are_used_and_only_under_the_same_criteria_language_and_program(
    folder: Path, criteria: Criteria, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "index.sqlite"
    indexed_csv(folder, criteria, where)
    _mark_every_head(where)
    # the same content, criteria, language and program: the kept texts are used (which is what this test
    # can see them by; a real kept text is the same as a made one)
    assert indexed_csv(folder, criteria, where).decode("utf-8").count(MARK) == 300

    setting = "eerste_aanwijzingen_telt"
    other = criteria.with_settings(**{setting: not criteria.settings[setting]})
    assert indexed_csv(folder, other, where) == fresh_csv(folder, other)  # other criteria
    assert indexed_csv(folder, criteria, where, "en") == fresh_csv(folder, criteria, "en")  # other language
    assert indexed_csv(folder, criteria, where).decode("utf-8").count(MARK) == 300  # still kept for nl

    # the messages of the language changed (a new program version would also rebuild the index)
    monkeypatch.setattr(export, "csv_texts_key", lambda lang: f"other messages {lang}")
    assert indexed_csv(folder, criteria, where) == fresh_csv(folder, criteria)
    monkeypatch.undo()
    assert indexed_csv(folder, criteria, where).decode("utf-8").count(MARK) == 300

    monkeypatch.setattr(ix, "program_fingerprint", lambda: "another program")
    assert indexed_csv(folder, criteria, where) == fresh_csv(folder, criteria)


def test_a_changed_file_never_gets_the_kept_head_of_its_old_content(
    folder: Path, criteria: Criteria, tmp_path: Path
) -> None:
    where = tmp_path / "index.sqlite"
    indexed_csv(folder, criteria, where)
    _mark_every_head(where)
    target = sorted(folder.glob("*.toml"))[7]
    before = target.stat()
    rewrite(target, 'municipality = "', 'municipality = "X')  # same size, same modification time
    rewrite(target, "Synthetische", "Synthetisch")
    assert target.stat().st_size == before.st_size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    lines = indexed_csv(folder, criteria, where).decode("utf-8").splitlines()
    own = [line for line in lines if line.endswith(str(target))]
    assert len(own) == 1 and MARK not in own[0]
    assert own[0] in fresh_csv(folder, criteria).decode("utf-8").splitlines()
    assert sum(MARK in line for line in lines) == 299


def test_out_of_date_follows_today_not_the_day_the_head_was_kept(
    folder: Path, criteria: Criteria, tmp_path: Path
) -> None:
    for path in sorted(folder.glob("*.toml"))[:20]:
        rewrite(path, "[meta]\n", "[meta]\nvalid_until = 2027-06-01\n")
    where = tmp_path / "index.sqlite"
    indexed_csv(folder, criteria, where, today=TODAY)
    later = dt.date(2031, 1, 1)
    expected = fresh_csv(folder, criteria, today=later)
    assert expected != fresh_csv(folder, criteria, today=TODAY)  # some assessments run out in between
    assert indexed_csv(folder, criteria, where, today=later) == expected


def test_the_texts_key_follows_the_language_and_the_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kwaliteitskader.core import i18n

    assert export.csv_texts_key("nl") != export.csv_texts_key("en")
    copy = tmp_path / "locale"
    shutil.copytree(i18n._LOCALE_DIR, copy)
    monkeypatch.setattr(i18n, "_LOCALE_DIR", copy)
    before = export.csv_texts_key("nl")
    message = next(copy.rglob("*.toml"))
    message.write_text(message.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert export.csv_texts_key("nl") != before


@pytest.mark.parametrize(
    "options",
    [
        ["--sort", "municipality"],
        ["--sort", "intervention", "--desc"],
        ["--sort", "file", "--desc"],
        ["--sort", "class"],  # reads more than a lean row has: whole rows
        ["--filter", "klasse:stoppen"],  # the filter reads the rows: whole rows
    ],
)
def test_the_cli_csv_from_lean_rows_is_the_same_bytes_as_without_an_index(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str]
) -> None:
    """``compare --format csv`` as a user runs it (in this process, so that the portfolio of 300 counts as a
    large one): with kept heads, the stored rows come as lean rows where the sort and filter allow it."""
    from kwaliteitskader import cli
    from kwaliteitskader.core.portfolio import table

    monkeypatch.setattr(ix, "WHOLE_TABLES_FROM", 50)  # how 50,000 files are read
    monkeypatch.setattr(ix, "RACY_NS", 0)  # the files were copied just now: trust their times (tested elsewhere)
    sorted_rows: list[list[object]] = []

    def spy_on(name: str) -> None:
        sort = getattr(table, name)

        def spy(rows: list[object], *args: object, **kwargs: object) -> object:
            sorted_rows.append(list(rows))
            return sort(rows, *args, **kwargs)

        monkeypatch.setattr(table, name, spy)

    spy_on("sort_rows")
    spy_on("sort_lean_rows")
    where = tmp_path / "index.sqlite"
    out = tmp_path / "out.csv"

    def compare(index: str | Path) -> bytes:
        sorted_rows.clear()
        code = cli.main(["compare", str(folder), "--format", "csv", "-o", str(out), "--force", "--index", str(index),
                         *options])
        assert code in (0, 1)
        return out.read_bytes()

    def lean_count() -> int:
        return sum(isinstance(row, ix.CsvRow) for row in sorted_rows[-1])

    lean = options[1] in ix.LEAN_SORTS and "--filter" not in options
    for path in sorted(folder.glob("*.toml"))[100:110]:  # out of date: a cell made every run, from today
        rewrite(path, "[meta]\n", "[meta]\nvalid_until = 2020-06-01\n")
    expected = compare("off")
    assert ";ja;" in expected.decode("utf-8") or "--filter" in options
    assert compare(where) == expected  # cold: builds the index and keeps the heads
    assert lean_count() == 0
    assert compare(where) == expected  # warm
    assert lean_count() == (300 if lean else 0)  # every stored row: each content has a kept head

    files = sorted(folder.glob("*.toml"))
    for path in files[:10]:
        rewrite(path, "Synthetische beoordeling", "Bewerkte beoordeling")
    rewrite(files[10], 'municipality = "', 'municipality = "=1+2;\\"x\\" ')
    files[11].rename(folder / "aaa_hernoemd.toml")
    files[12].unlink()
    rewrite(files[200], "Synthetische beoordeling", "Nog een bewerkte beoordeling")  # among the lean rows
    expected = compare("off")
    assert compare(where) == expected  # lean rows and freshly judged whole rows, sorted together
    # all but the 12 edited contents and the renamed file (looked up by its content, and given a record of its own)
    assert lean_count() == (299 - 13 if lean else 0)
    assert compare(where) == expected


@pytest.mark.parametrize(
    "odd",
    ["a;b.toml", 'a"b.toml', "=1+2.toml", "-x.toml", "@x.toml", "\tx.toml", "a\nb.toml", "a\rb.toml", "a\x1bb.toml",
     "a\u202eb.toml", "a\u2028b.toml"],
)
def test_the_quick_tail_cells_are_the_writers_own_and_an_odd_path_takes_the_writer(
    portfolio: Path, criteria: Criteria, odd: str
) -> None:
    report = _report(portfolio, criteria, "nl", TODAY, None)
    rows = report.rows[:40]
    assert len({(row.out_of_date, row.rule) for row in rows}) > 2  # the cells before the path vary
    assert export._plain_cells([row.file for row in rows])  # the quick way is taken
    lean = export._lean_cell_texts(criteria, "nl")

    def writers_own(rows: list[Row]) -> list[str] | None:
        return export._csv_lines(report.table(export.spreadsheet_safe, TAIL_COLUMNS, rows), len(rows))

    assert export._tail_lines(rows, lean) == writers_own(rows)
    as_lean = [ix.CsvRow(row.file, row.municipality, row.intervention, row.rule, row.out_of_date, row.digest)
               for row in rows]
    assert export._tail_lines(as_lean, lean) == writers_own(rows)

    mixed = [replace(row, file=odd if i == 17 else row.file) for i, row in enumerate(rows)]
    assert not export._plain_cells([row.file for row in mixed])  # escaped, marked or quoted by the writer
    assert export._tail_lines(mixed, lean) == writers_own(mixed)
    before_path = export._tail_lines(rows, lean)[17].rsplit(";", 1)[0]
    assert export._tail_lines(mixed, lean)[17] != f"{before_path};{odd}"  # never written as it is


def test_a_lean_row_is_written_from_its_kept_head_and_never_without_one(portfolio: Path, criteria: Criteria) -> None:
    report = _report(portfolio, criteria, "nl", TODAY, None)
    rows = report.rows[:30]
    heads: dict[str, str] = {}
    expected = export.csv_with_heads(rows, heads, criteria, "nl")  # whole rows: every head made and kept
    assert expected == to_csv(replace(report, rows=rows)) and len(heads) == len({row.digest for row in rows})
    lean = [ix.CsvRow(row.file, row.municipality, row.intervention, row.rule, row.out_of_date, row.digest)
            for row in rows]
    mixed = [row if i % 3 else lean[i] for i, row in enumerate(rows)]
    assert export.csv_with_heads(lean, heads, criteria, "nl") == expected
    assert export.csv_with_heads(mixed, dict(heads), criteria, "nl") == expected
    with pytest.raises(ValueError, match="lean row"):
        export.csv_with_heads(mixed, {}, criteria, "nl")  # its first cells cannot be made of a lean row
