"""``compare --format sqlite``: the portfolio as a documented SQLite file for analysts.

One file that DuckDB, Excel and Power BI (through the SQLite ODBC driver) and any SQL tool open directly.
Tables (each column is described in the table ``columns``, in the report's language):

- ``about``: what this file is — generated when, by which program, under which criteria, with which filter;
- ``assessments``: one row per assessment (file, municipality, intervention, evidence level, dates, assessor,
  the criteria version recorded in the file);
- ``verdicts``: per assessment the class, advice, deciding rule and whether it is provisional, with the
  criteria version and digest it was judged under;
- ``answers``: one row per assessment and answer item: targeted risk factors, protective factors, active
  ingredients, the risk factors the local problem analysis calls high, and the derived life domains;
- ``catalogue``: the ids used above with their labels (and a risk factor's domain and whether it is dynamic);
- ``errors``: files that could not be used, with line and reason;
- the view ``overview`` joins assessments and verdicts, one row per assessment, as the CSV export shows them.

Values are plain SQL types: text, integers (0/1 for yes/no) and ISO dates as text (``YYYY-MM-DD``).
Built in memory and returned as bytes, so it is written like every other report (atomically, by ``-o``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from kwaliteitskader import __version__
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.output.portfolio_table import Report

FORMAT_VERSION = 1

TABLES: dict[str, tuple[str, ...]] = {
    "about": ("key", "value"),
    "assessments": (
        "id",
        "file",
        "municipality",
        "intervention",
        "evidence",
        "evidence_label",
        "assessed_on",
        "valid_until",
        "out_of_date",
        "assessor",
        "recorded_criteria_version",
        "recorded_criteria_digest",
        "content_sha256",
    ),
    "verdicts": (
        "assessment_id",
        "class",
        "class_label",
        "class_rank",
        "advice",
        "advice_label",
        "rule",
        "rule_label",
        "provisional",
        "criteria_version",
        "criteria_digest",
    ),
    "answers": ("assessment_id", "kind", "item", "label"),
    "catalogue": ("catalogue", "item", "label", "domain", "dynamic", "rank"),
    "errors": ("file", "line", "key", "reason", "code"),
    "columns": ("table_name", "column_name", "description"),
}
"""Every table and its columns, in order; ``columns`` documents each (locale key ``compare.sqlite.<table>.<column>``)."""

SCHEMA = """
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    municipality TEXT NOT NULL,
    intervention TEXT NOT NULL,
    evidence TEXT NOT NULL,
    evidence_label TEXT NOT NULL,
    assessed_on TEXT,
    valid_until TEXT,
    out_of_date INTEGER NOT NULL,
    assessor TEXT NOT NULL,
    recorded_criteria_version TEXT NOT NULL,
    recorded_criteria_digest TEXT NOT NULL,
    content_sha256 TEXT NOT NULL
);
CREATE TABLE verdicts (
    assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id),
    class TEXT NOT NULL,
    class_label TEXT NOT NULL,
    class_rank INTEGER,
    advice TEXT NOT NULL,
    advice_label TEXT NOT NULL,
    rule TEXT NOT NULL,
    rule_label TEXT NOT NULL,
    provisional INTEGER NOT NULL,
    criteria_version TEXT NOT NULL,
    criteria_digest TEXT NOT NULL
);
CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE INDEX answers_by_item ON answers (kind, item);
CREATE INDEX answers_by_assessment ON answers (assessment_id);
CREATE TABLE catalogue (
    catalogue TEXT NOT NULL,
    item TEXT NOT NULL,
    label TEXT NOT NULL,
    domain TEXT,
    dynamic INTEGER,
    rank INTEGER,
    PRIMARY KEY (catalogue, item)
);
CREATE TABLE errors (file TEXT NOT NULL, line INTEGER, key TEXT, reason TEXT NOT NULL, code TEXT);
CREATE TABLE columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, description TEXT NOT NULL,
                      PRIMARY KEY (table_name, column_name));
CREATE VIEW overview AS
    SELECT a.id, a.municipality, a.intervention, v.class, v.class_label, v.advice, v.advice_label,
           v.provisional, a.evidence, a.evidence_label, a.assessed_on, a.valid_until, a.out_of_date,
           a.assessor, v.rule, v.rule_label, v.criteria_version, a.recorded_criteria_version, a.file
    FROM assessments a JOIN verdicts v ON v.assessment_id = a.id;
"""

ANSWER_KINDS: tuple[tuple[str, str, str], ...] = (
    # (kind in the answers table, Row attribute, catalogue of its labels)
    ("risk_factor", "risk_factors", "risk_factors"),
    ("protective_factor", "protective_factors", "protective_factors"),
    ("active_ingredient", "active_ingredients", "active_ingredients"),
    ("local_risk_factor", "local_risk_factors", "risk_factors"),
    ("domain", "domains", "domains"),
)
CATALOGUES = ("classes", "advice", "recognition_levels", "risk_factors", "protective_factors", "active_ingredients",
              "domains")


def to_sqlite(report: Report) -> bytes:
    """The report as the bytes of a SQLite database file (see the module docstring for its tables)."""
    criteria, lang = report.criteria, report.lang
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        labels: dict[tuple[str, str], str] = {}

        def label(catalogue: str, item: str) -> str:
            key = (catalogue, item)
            found = labels.get(key)
            if found is None:
                found = labels[key] = str(criteria.label(catalogue, item, lang))
            return found

        rules = {r.id: r.label.get(lang) for r in criteria.document.rules}
        unknown = t("compare.unknown", lang=lang)
        with db:
            db.executemany(
                "INSERT INTO about VALUES (?, ?)",
                [
                    ("format", str(FORMAT_VERSION)),
                    ("program", f"kwaliteitskader {__version__}"),
                    ("generated", report.generated.isoformat()),
                    ("language", lang),
                    ("criteria_id", str(getattr(criteria.document.criteria, "id", ""))),
                    ("criteria_version", criteria.version),
                    ("criteria_digest", criteria.digest),
                    ("filter", report.filter),
                    ("assessments", str(len(report.rows))),
                    ("errors", str(len(report.errors))),
                ],
            )
            db.executemany(
                "INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        n,
                        r.file,
                        r.municipality,
                        r.intervention,
                        r.evidence,
                        unknown if r.evidence == "onbekend" else label("recognition_levels", r.evidence),
                        r.assessed_on.isoformat() if r.assessed_on else None,
                        r.valid_until.isoformat() if r.valid_until else None,
                        int(r.out_of_date),
                        r.assessor,
                        r.criteria_version,
                        r.criteria_digest,
                        r.digest,
                    )
                    for n, r in enumerate(report.rows, 1)
                ),
            )
            db.executemany(
                "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        n,
                        r.class_,
                        label("classes", r.class_),
                        criteria.class_rank.get(r.class_),
                        r.advice,
                        label("advice", r.advice),
                        r.rule,
                        rules.get(r.rule, r.rule),
                        int(r.provisional),
                        r.loaded_version,
                        r.loaded_digest,
                    )
                    for n, r in enumerate(report.rows, 1)
                ),
            )
            db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)", _answers(report, label))
            db.executemany("INSERT OR IGNORE INTO catalogue VALUES (?, ?, ?, ?, ?, ?)", _catalogue(report, label))
            db.executemany(
                "INSERT INTO errors VALUES (?, ?, ?, ?, ?)",
                ((e.file, e.line, e.key or None, e.message, e.code) for e in report.errors),
            )
            db.executemany(
                "INSERT INTO columns VALUES (?, ?, ?)",
                (
                    (table, column, t(f"compare.sqlite.{table}.{column}", lang=lang))
                    for table, columns in TABLES.items()
                    for column in columns
                ),
            )
        return bytes(db.serialize())
    finally:
        db.close()


def _answers(report: Report, label: Any) -> Iterator[tuple[int, str, str, str]]:
    for n, row in enumerate(report.rows, 1):
        for kind, attribute, catalogue in ANSWER_KINDS:
            for item in getattr(row, attribute):
                yield n, kind, item, label(catalogue, item)


def _catalogue(report: Report, label: Any) -> Iterator[tuple[str, str, str, str | None, int | None, int | None]]:
    criteria = report.criteria
    for catalogue in CATALOGUES:
        for item_id in criteria.catalogues.get(catalogue, {}):
            item = criteria.item(catalogue, item_id)
            domain = getattr(item, "domain", None)
            dynamic = getattr(item, "dynamic", None)
            rank = criteria.class_rank.get(item_id) if catalogue == "classes" else getattr(item, "rank", None)
            yield (
                catalogue,
                item_id,
                label(catalogue, item_id),
                domain if isinstance(domain, str) else None,
                int(dynamic) if isinstance(dynamic, bool) else None,
                rank if isinstance(rank, int) else None,
            )
