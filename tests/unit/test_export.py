"""core.output.export: every report says the same thing, and user text is escaped for its format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import EXPORT_COLUMNS, Report, md_escape, render, spreadsheet_safe
from kwaliteitskader.core.portfolio import loading
from kwaliteitskader.core.portfolio.cells import class_text
from tests.conftest import SAMPLES, TODAY, Variant, data_file

NASTY = '=HYPERLINK("http://x","klik") | <script>alert(1)</script> & *vet* `code`'


@pytest.fixture
def report(samples: Path, variant: Variant, criteria: Criteria) -> Report:
    variant(
        "vios_arnhem",
        "gevaarlijk",
        **{"intervention.name": NASTY, "intervention.municipality": "-Rijswijk|Zuid", "meta.assessor": "Zoë Çelik"},
    )
    data_file("assessments/unclosed_string_with_markup.toml", samples / "kapot.toml")
    result = loading.load_rows([samples], criteria, today=TODAY)
    return Report(result.rows, result.errors, criteria, lang="nl")


def test_spreadsheet_safe() -> None:
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("+31 6") == "'+31 6"
    assert spreadsheet_safe("-x") == "'-x"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("Rotterdam") == "Rotterdam"
    assert spreadsheet_safe("") == ""


def test_csv_for_dutch_excel(report: Report) -> None:
    data = render(report, "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(report.rows)
    assert all(len(r) == len(EXPORT_COLUMNS) for r in rows)
    header = rows[0]
    name, municipality = header.index("Interventie"), header.index("Gemeente")
    dangerous = next(r for r in rows[1:] if "HYPERLINK" in r[name])
    assert dangerous[name] == "'" + NASTY
    assert dangerous[municipality] == "'-Rijswijk|Zuid"
    for r in rows[1:]:
        assert not r[name].startswith(("=", "+", "-", "@"))
    # accents survive (the BOM makes Excel read UTF-8)
    assert dangerous[header.index("Beoordelaar")] == "Zoë Çelik"


def test_xlsx_reads_back(report: Report) -> None:
    wb = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert wb.sheetnames == ["Beoordelingen", "Spreiding", "Dekking", "Fouten"]
    ws = wb["Beoordelingen"]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == report.headers()
    assert len(values) == 1 + len(report.rows)
    col = {h: i for i, h in enumerate(values[0])}
    files = {r.file: r for r in report.rows}
    for v in values[1:]:
        row = files[v[col["Bestand"]]]
        assert v[col["Klasse"]] == class_text(row, report.criteria, "nl")
        assert v[col["Domeinen"]] == row.domain_count
        if row.assessed_on:
            assert v[col["Datum"]].date() == row.assessed_on
    danger = next(c for c in ws[("B")] if c.value and "HYPERLINK" in str(c.value))
    assert danger.data_type == "s" and str(danger.value).startswith("'=")
    spread = list(wb["Spreiding"].iter_rows(values_only=True))
    pf = report.pf
    assert len(spread) == 1 + len(pf.municipalities)
    # each row once: under its class, or (no class yet) in the column of the open verdicts
    assert sum(sum(r[1 : 2 + len(pf.classes)]) for r in spread[1:]) == len(report.rows)
    assert spread[0][1 + len(pf.classes)] == "Nog geen oordeel"
    assert sum(r[1 + len(pf.classes)] for r in spread[1:]) == sum(r.decided_class is None for r in report.rows) > 0
    errors = list(wb["Fouten"].iter_rows(values_only=True))[1:]
    assert [Path(e[0]).name for e in errors] == ["kapot.toml"]
    assert errors[0][1] == report.errors[0].line


def test_json_carries_rows_errors_and_portfolio(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert len(data["rows"]) == len(report.rows)
    assert data["errors"][0]["file"].endswith("kapot.toml")
    assert data["portfolio"]["uncovered_dynamic"] == report.pf.uncovered_dynamic
    assert {r["intervention"] for r in data["rows"]} >= {NASTY}


def test_markdown_escapes_table_syntax(report: Report) -> None:
    text = render(report, "md").decode()
    line = next(x for x in text.splitlines() if "HYPERLINK" in x and x.startswith("|"))
    header = next(x for x in text.splitlines() if x.startswith("| Gemeente | Interventie"))
    unescaped = re.compile(r"(?<!\\)\|")
    assert len(unescaped.findall(line)) == len(unescaped.findall(header))
    assert "<script>" not in text
    assert md_escape("a|b") == r"a\|b"
    assert md_escape("regel\nnieuw") == "regel nieuw"


def test_html_is_self_contained_and_escaped(report: Report) -> None:
    text = render(report, "html").decode()
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<link" not in text
    # the chart: one bar row per municipality, one segment per non-empty class count
    pf = report.pf
    assert text.count('class="bar-row"') == len(pf.municipalities)
    # and one for the open verdicts (no class yet) where there are any
    segments = sum(1 for m in pf.municipalities for c in pf.classes if pf.counts[m][c])
    assert text.count('class="seg"') == segments + sum(1 for m in pf.municipalities if pf.open[m]) > segments
    for factor in pf.uncovered_dynamic:
        label = report.criteria.label("risk_factors", factor, "nl")
        assert re.search(r'<tr class="gap"><td>' + re.escape(label.replace("&", "&amp;")), text)


def test_table_lists_rows_and_errors(report: Report) -> None:
    text = render(report, "table").decode()
    assert "kapot.toml" in text
    assert len(text.splitlines()) >= len(report.rows) + 2


def test_english_report_uses_english_labels(report: Report) -> None:
    english = Report(report.rows, report.errors, report.criteria, lang="en")
    text = render(english, "md").decode()
    assert "Municipality" in text and "Gemeente" not in text
    assert report.criteria.label("classes", "kansrijk", "en") in text


def test_error_section_only_when_there_are_errors(report: Report, criteria: Criteria) -> None:
    clean = loading.load_rows([SAMPLES], criteria, today=TODAY)
    heading = "## Bestanden die niet gelezen konden worden"
    assert heading not in render(Report(clean.rows, clean.errors, criteria, lang="nl"), "md").decode()
    assert heading in render(report, "md").decode()


def _varied_rows(report: Report) -> list[loading.Row]:
    """The samples' rows and, for every field, copies with that field taken from another row: rows that
    share some values and differ in others, as 50,000 rows of a portfolio do."""
    import dataclasses

    rows = list(report.rows)
    for field in dataclasses.fields(loading.Row):
        for a, b in zip(report.rows, report.rows[1:], strict=False):
            rows.append(dataclasses.replace(a, **{field.name: getattr(b, field.name)}))
    return rows


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_table_cells_are_the_cell_texts_made_once_per_value(report: Report, lang: str) -> None:
    """``Report.table`` makes each column's text once per value of what it depends on: the cells must be
    exactly what ``cell_text`` says for every row, escaped, whatever the rows share."""
    from kwaliteitskader.core.output.portfolio_table import CELL_DEPENDS_ON
    from kwaliteitskader.core.portfolio.cells import cell_text

    assert set(CELL_DEPENDS_ON) == set(EXPORT_COLUMNS)
    rows = _varied_rows(report)
    varied = Report(rows, [], report.criteria, lang=lang)
    expected = [tuple(spreadsheet_safe(cell_text(r, c, report.criteria, lang)) for c in EXPORT_COLUMNS) for r in rows]
    assert list(varied.table(spreadsheet_safe)) == expected
    assert next(iter(varied.table())) == tuple(cell_text(rows[0], c, report.criteria, lang) for c in EXPORT_COLUMNS)
    assert list(Report([], [], report.criteria, lang=lang).table()) == []


def test_cell_texts_depend_on_the_declared_fields_only(report: Report) -> None:
    """A field a column's text reads but ``CELL_DEPENDS_ON`` leaves out would give rows that share the
    declared fields the text of another row: change every other field and the text must stay."""
    import dataclasses
    import itertools

    from kwaliteitskader.core.output.portfolio_table import CELL_DEPENDS_ON
    from kwaliteitskader.core.portfolio.cells import cell_text

    rows = report.rows
    for column, fields in CELL_DEPENDS_ON.items():
        for a, b in itertools.pairwise(rows):
            mixed = dataclasses.replace(b, **{name: getattr(a, name) for name in fields})  # a's fields, b's others
            assert cell_text(mixed, column, report.criteria, "nl") == cell_text(a, column, report.criteria, "nl"), column


def test_xlsx_escapes_the_labels_criteria_files_give(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    # a criteria folder comes from someone else (--criteria): a label that starts like a formula would be a live
    # formula in the workbook, and a control character makes openpyxl refuse to write it at all
    monkeypatch.setattr(Report, "class_label", lambda self, class_id: f"=HYPERLINK(\"http://x\",\"{class_id}\")")
    monkeypatch.setattr(Report, "factor_label", lambda self, factor: f"@{factor}\x07\x1b[2J")
    wb = load_workbook(io.BytesIO(render(report, "xlsx")))
    heading = [c for c in wb["Spreiding"][1] if "HYPERLINK" in str(c.value)]
    assert len(heading) == len(report.pf.classes)
    assert all(c.data_type == "s" and str(c.value).startswith("'=") for c in heading)
    factors = [c for c in wb["Dekking"]["A"][1:] if c.value]
    assert factors and all(str(c.value).startswith("'@") and "\\x07\\x1b[2J" in str(c.value) for c in factors)


def test_one_markdown_escaper_for_every_report() -> None:
    """The assessment report and the portfolio report escape Markdown with the same function."""
    from kwaliteitskader.core.output import export, markdown, report

    assert export.md_escape is report.md_escape is markdown.md_escape
    assert md_escape("evidence.study_design <b>") == "evidence.study_design &lt;b&gt;"
