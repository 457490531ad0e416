"""An open verdict (``classify``: "Nog geen oordeel", class null) is shown as open in every output of a portfolio,
never as the lowest class it can still reach: per format, the row of ``vios_arnhem`` (kansrijk or stoppen)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from kwaliteitskader.cli.reclassify import reclassify_dict, reclassify_text
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import Report, render
from kwaliteitskader.core.portfolio.loading import Row, load_rows
from kwaliteitskader.core.portfolio.reclassify import reclassify
from kwaliteitskader.core.portfolio.table import filter_rows, parse_filter, sort_rows
from kwaliteitskader.core.rules.engine import evaluate, next_steps
from kwaliteitskader.core.rules.explain_words import verdict_dict
from tests.conftest import ROOT, SAMPLES, TODAY

OPEN_CLASS = "nog geen oordeel: kansrijk of stoppen"
OPEN_ADVICE = "nog open: bewezen alternatief kiezen, monitoren en onderzoeken of bijstellen"
ARNHEM = "vios_arnhem.toml"


@pytest.fixture(scope="module")
def rows(criteria: Criteria) -> list[Row]:
    return load_rows([SAMPLES], criteria, today=TODAY).rows


@pytest.fixture
def report(rows: list[Row], criteria: Criteria) -> Report:
    return Report(rows, [], criteria, lang="nl")


def test_an_open_verdict_has_no_class(criteria: Criteria) -> None:
    """The verdict itself, as the engine returns it: no class while the class is open, only what is still possible;
    its next steps start above the lowest class it can still reach."""
    verdict = evaluate(load_assessment(SAMPLES / ARNHEM).assessment, criteria)
    assert verdict.class_ is None and verdict.provisional
    assert verdict.possible_classes == ("kansrijk", "stoppen") and verdict.lowest_possible_class == "stoppen"
    data = verdict_dict(verdict, criteria, lang="nl")
    assert (data["class"], data["class_label"], data["possible_classes"]) == (None, None, ["kansrijk", "stoppen"])
    assert {step.class_ for step in next_steps(verdict, criteria)} <= {"kansrijk", "bewezen_effectief"}
    assert verdict.next_class == "kansrijk"


def test_a_decided_verdict_has_its_class(criteria: Criteria) -> None:
    verdict = evaluate(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, criteria)
    assert not verdict.provisional and verdict.class_ is not None
    assert (verdict.class_,) == verdict.possible_classes and verdict.lowest_possible_class == verdict.class_


def test_the_row_carries_the_open_verdict(rows: list[Row]) -> None:
    arnhem = next(r for r in rows if r.file.endswith(ARNHEM))
    assert arnhem.decided_class is None and arnhem.possible_classes == ("kansrijk", "stoppen")
    assert arnhem.advice is None and arnhem.possible_advice == ("kiezen_voor_bewezen_alternatief", "monitoren_en_onderzoeken", "bijstellen")
    assert arnhem.provisional and arnhem.advice_provisional


def test_csv(report: Report) -> None:
    lines = list(csv.DictReader(io.StringIO(render(report, "csv").decode("utf-8-sig")), delimiter=";"))
    arnhem = next(line for line in lines if line["Bestand"].endswith(ARNHEM))
    assert (arnhem["Klasse"], arnhem["Advies"], arnhem["Voorlopig"]) == (OPEN_CLASS, OPEN_ADVICE, "ja")
    decided = next(line for line in lines if line["Bestand"].endswith("ajb_rotterdam.toml"))
    assert (decided["Klasse"], decided["Advies"]) == ("bewezen effectief", "inzetten")


def test_xlsx_rows_spread_and_coverage(report: Report) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    table = list(book["Beoordelingen"].iter_rows(values_only=True))
    heading = table[0]
    arnhem = next(r for r in table if str(r[heading.index("Bestand")]).endswith(ARNHEM))
    assert (arnhem[heading.index("Klasse")], arnhem[heading.index("Advies")]) == (OPEN_CLASS, OPEN_ADVICE)
    spread = list(book["Spreiding"].iter_rows(values_only=True))
    assert spread[0] == ("Gemeente", "bewezen effectief", "kansrijk", "stoppen", "Nog geen oordeel", "Totaal")
    assert next(r for r in spread if r[0] == "Arnhem") == ("Arnhem", 0, 0, 0, 1, 1)
    coverage = list(book["Dekking"].iter_rows(values_only=True))
    column = coverage[0].index("Arnhem")
    assert sum(r[column] for r in coverage[1:]) == len(set(next(r for r in report.rows if r.file.endswith(ARNHEM)).risk_factors))


def test_json(report: Report) -> None:
    data = json.loads(render(report, "json"))
    arnhem = next(r for r in data["rows"] if r["file"].endswith(ARNHEM))
    assert arnhem["class"] is None and arnhem["class_label"] is None and arnhem["class_text"] == OPEN_CLASS
    assert arnhem["possible_classes"] == ["kansrijk", "stoppen"] and arnhem["advice"] is None
    assert data["portfolio"]["counts"]["Arnhem"] == {"bewezen_effectief": 0, "kansrijk": 0, "stoppen": 0}
    assert data["portfolio"]["open"]["Arnhem"] == 1


def test_markdown_and_table(report: Report) -> None:
    md = render(report, "md").decode()
    assert "| Arnhem | 0 | 0 | 0 | 1 | 1 |" in md  # the spread: the open bucket, never stoppen
    assert "| Nog geen oordeel | Totaal |" in md
    line = next(line for line in md.splitlines() if line.startswith("| Arnhem | Veilig"))
    assert OPEN_CLASS in line and OPEN_ADVICE in line
    table = render(report, "table").decode()
    assert "nog geen oordeel: kansrijk of stoppen" in next(line for line in table.splitlines() if "Arnhem" in line)


def test_html_chart_has_no_class_colour_for_an_open_verdict(report: Report) -> None:
    html = render(report, "html").decode()
    bar = re.search(r'<div class="bar-row"><div class="bar-label">Arnhem</div>(.*?)</div></div>', html)
    assert bar is not None
    assert 'title="Nog geen oordeel: 1"' in bar.group(1)
    assert "#c62828" not in bar.group(1) and "#f9a825" not in bar.group(1)  # no red (stoppen) or yellow bar
    assert f"<td>{OPEN_CLASS}</td>" in html


def test_sqlite(report: Report, tmp_path: Path) -> None:
    target = tmp_path / "portfolio.sqlite"
    target.write_bytes(render(report, "sqlite"))
    with sqlite3.connect(target) as db:
        found = db.execute(
            "SELECT v.class, v.class_label, v.class_rank, v.class_text, v.possible_classes, v.advice, v.advice_text,"
            " v.provisional FROM assessments a JOIN verdicts v ON v.assessment_id = a.id WHERE a.file LIKE ?",
            (f"%{ARNHEM}",),
        ).fetchone()
    assert found == (None, None, None, OPEN_CLASS, "kansrijk,stoppen", None, OPEN_ADVICE, 1)
    with sqlite3.connect(target) as db:
        overview = db.execute("SELECT class, class_text FROM overview WHERE file LIKE ?", (f"%{ARNHEM}",)).fetchone()
    assert overview == (None, OPEN_CLASS)


def test_sorting_by_class_puts_open_verdicts_after_the_decided_ones(rows: list[Row], criteria: Criteria) -> None:
    ordered = sort_rows(rows, "class", criteria=criteria)
    opened = [r.decided_class is None for r in ordered]
    assert opened == sorted(opened) and any(opened)  # decided first, then the open ones
    ranks = [criteria.class_rank[r.decided_class] for r in ordered if r.decided_class is not None]
    assert ranks == sorted(ranks)
    assert sort_rows(rows, "class", descending=True, criteria=criteria)[0].decided_class is None


def test_the_class_filter_knows_open_verdicts(rows: list[Row]) -> None:
    for query in ("klasse:open", 'klasse:"nog geen oordeel"', "klasse:onbepaald"):
        assert {Path(r.file).name for r in filter_rows(rows, parse_filter(query))} == {
            ARNHEM,
            "onvolledig_weerbaarheid_enschede.toml",
        }
    assert ARNHEM not in {Path(r.file).name for r in filter_rows(rows, parse_filter("klasse:stoppen"))}


def test_reclassify_speaks_in_labels_and_counts_verdict_changes_apart(criteria: Criteria) -> None:
    old = load_criteria(ROOT / "criteria" / "2024.1")
    result = reclassify([SAMPLES], old, criteria)
    text = reclassify_text(result, old, criteria)
    enschede = text.split("onvolledig_weerbaarheid_enschede.toml")[1].split("\n==")[0]
    assert "klasse: nog geen oordeel (bewezen effectief, kansrijk of stoppen) → nog geen oordeel (bewezen" in enschede
    for raw in ("None", "True", "False", "bijstellen_of_stoppen", "niet_bewezen_niet_kansrijk"):
        assert raw not in text
    assert "instelling Strenge standaard: minimaal aantal gecontroleerde studies: niet gezet → 2" in text
    assert f"{result.verdicts_changed} van 11 oordelen veranderen (klasse of advies); bij {result.rules_only} " in text
    data = reclassify_dict(result, old, criteria)
    change = next(c for c in data["changes"] if c["file"].endswith("onvolledig_weerbaarheid_enschede.toml"))
    assert change["old"]["class"] is None and change["new"]["possible_classes"] == ["bewezen_effectief", "stoppen"]
    assert change["change"] == "verdict"


def test_a_change_of_the_deciding_rule_alone_is_counted_apart(criteria: Criteria, criteria_copy: Path) -> None:
    """Two rules with the same class and advice swap places: the same verdict, another deciding rule."""
    regels = criteria_copy / "regels.toml"
    text = regels.read_text(encoding="utf-8")
    renamed = text.replace('id = "schade"', 'id = "schade_hernoemd"')
    assert renamed != text
    regels.write_text(renamed, encoding="utf-8")
    new = load_criteria(criteria_copy)
    result = reclassify([SAMPLES], criteria, new)
    assert result.changes and result.verdicts_changed == 0 and result.rules_only == len(result.changes)
    words = reclassify_text(result, criteria, new)
    assert f"0 van 11 oordelen veranderen (klasse of advies); bij {len(result.changes)} verandert alleen" in words
    assert "klasse:" not in words and "alleen de beslissende regel verandert" in words
