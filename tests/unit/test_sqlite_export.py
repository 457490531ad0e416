"""``compare --format sqlite`` (issue 17): a documented SQLite file that says what the other reports say,
and the ``--index`` option of ``compare`` and ``reclassify`` as a user runs them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kwaliteitskader.core.findings import Finding, Severity
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import Report, render
from kwaliteitskader.core.output.sqlite_export import ANSWER_KINDS, TABLES
from kwaliteitskader.core.portfolio.loading import load_rows
from tests.conftest import SAMPLES, TODAY, run_cli


def _open(payload: bytes, tmp_path: Path) -> sqlite3.Connection:
    target = tmp_path / "portfolio.sqlite"
    target.write_bytes(payload)
    return sqlite3.connect(target)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_table_and_column_is_there_and_described(criteria: Criteria, tmp_path: Path, lang: str) -> None:
    result = load_rows([SAMPLES], criteria, today=TODAY)
    db = _open(render(Report(result.rows, [], criteria, lang=lang), "sqlite"), tmp_path)
    for table, columns in TABLES.items():
        found = tuple(name for (_cid, name, *_rest) in db.execute(f"PRAGMA table_info({table})"))
        assert found == columns, table
    described = {(t, c): d for t, c, d in db.execute("SELECT table_name, column_name, description FROM columns")}
    assert set(described) == {(t, c) for t, cs in TABLES.items() for c in cs}
    assert all(d and not d.startswith("compare.sqlite.") for d in described.values())  # a text, not a key
    about = dict(db.execute("SELECT key, value FROM about"))
    assert about["criteria_version"] == criteria.version and about["criteria_digest"] == criteria.digest
    assert about["language"] == lang and about["assessments"] == str(len(result.rows))


def test_it_says_what_the_rows_say(criteria: Criteria, tmp_path: Path) -> None:
    rows = load_rows([SAMPLES], criteria, today=TODAY).rows
    errors = [Finding("kapot.toml", 3, "evidence", "Onbekende waarde", "invalid", Severity.ERROR)]
    db = _open(render(Report(rows, errors, criteria, lang="nl", filter="klasse:kansrijk"), "sqlite"), tmp_path)
    overview = db.execute(
        "SELECT file, municipality, intervention, class, advice, rule, provisional, evidence, assessed_on,"
        " valid_until, out_of_date, assessor, criteria_version, recorded_criteria_version FROM overview ORDER BY id"
    ).fetchall()
    assert overview == [
        (
            r.file,
            r.municipality,
            r.intervention,
            r.decided_class,
            r.advice,
            r.rule,
            int(r.provisional),
            r.evidence,
            r.assessed_on.isoformat() if r.assessed_on else None,
            r.valid_until.isoformat() if r.valid_until else None,
            int(r.out_of_date),
            r.assessor,
            criteria.version,
            r.criteria_version,
        )
        for r in rows
    ]
    labels = dict(db.execute("SELECT class, class_label FROM verdicts"))
    assert labels == {r.decided_class: r.decided_class and criteria.label("classes", r.decided_class, "nl") for r in rows}
    assert None in labels  # the samples hold open verdicts: no class, no label
    for n, row in enumerate(rows, 1):
        for kind, attribute, _catalogue in ANSWER_KINDS:
            items = [i for (i,) in db.execute("SELECT item FROM answers WHERE assessment_id = ? AND kind = ?", (n, kind))]
            assert items == list(getattr(row, attribute)), (row.file, kind)
    assert db.execute("SELECT file, line, key, reason FROM errors").fetchall() == [
        ("kapot.toml", 3, "evidence", "Onbekende waarde")
    ]
    dynamic = dict(db.execute("SELECT item, dynamic FROM catalogue WHERE catalogue = 'risk_factors'"))
    assert dynamic == {f: int(criteria.item("risk_factors", f).dynamic) for f in criteria.catalogues["risk_factors"]}
    # the query of docs/compare.md: open verdicts in a bucket of their own, never under a class
    spread = db.execute(
        "SELECT a.municipality, coalesce(v.class_label, 'nog geen oordeel') AS klasse, count(*)"
        " FROM assessments a JOIN verdicts v ON v.assessment_id = a.id"
        " GROUP BY a.municipality, klasse ORDER BY a.municipality"
    ).fetchall()
    assert sum(n for *_, n in spread) == len(rows)
    assert ("Arnhem", "nog geen oordeel", 1) in spread


def test_cli_writes_it_with_output_and_refuses_the_terminal(tmp_path: Path) -> None:
    target = tmp_path / "portfolio.sqlite"
    done = run_cli("compare", SAMPLES, "-o", target)  # the format follows the extension
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM assessments").fetchone() == (len(list(SAMPLES.glob("*.toml"))),)


def test_cli_index_option(tmp_path: Path) -> None:
    where = tmp_path / "index.sqlite"
    plain = run_cli("compare", SAMPLES, "--format", "csv", "--index", "off")
    first = run_cli("compare", SAMPLES, "--format", "csv", "--index", where)
    second = run_cli("compare", SAMPLES, "--format", "csv", "--index", where)
    assert plain.returncode == first.returncode == second.returncode == 0, first.stderr
    assert where.is_file()
    assert first.stdout.splitlines()[1:] == plain.stdout.splitlines()[1:] == second.stdout.splitlines()[1:]
    mine = tmp_path / "notities.sqlite"
    mine.write_bytes(b"mijn eigen bestand")
    refused = run_cli("compare", SAMPLES, "--format", "csv", "--index", mine)
    assert refused.returncode == 0
    assert "notities.sqlite" in refused.stderr and "niet gebruikt" in refused.stderr
    assert mine.read_bytes() == b"mijn eigen bestand"
    again = run_cli("reclassify", SAMPLES, "--criteria", SAMPLES.parent / "criteria" / "2024.1", "--index", where)
    assert again.returncode == 0, again.stderr
