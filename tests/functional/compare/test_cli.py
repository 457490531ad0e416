"""``kwaliteitskader compare`` and ``reclassify`` as a user runs them (separate processes)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate
from tests.conftest import ROOT, SAMPLES, data_file, run_cli, sample_files


def _classes() -> dict[str, str | None]:
    """Each sample's class as ``classify`` decides it (None: no verdict yet)."""
    from kwaliteitskader.core.io.load import load_criteria

    criteria = load_criteria()
    return {f.name: evaluate(load_assessment(f).assessment, criteria).class_ for f in sample_files()}


def test_table_is_the_default_when_not_a_terminal() -> None:
    result = run_cli("compare", SAMPLES)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Gemeente")
    assert any("Rotterdam" in line for line in lines)
    assert f"{len(sample_files())} beoordeling(en) geladen, 0 fout(en)." in result.stdout


def test_csv(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kwaliteitskader", "compare", str(SAMPLES), "--format", "csv"],
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=120,
        env={**os.environ, "KWALITEITSKADER_LANG": "nl", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig")), delimiter=";"))
    classes = _classes()
    assert {Path(r["Bestand"]).name for r in rows} == set(classes)
    from kwaliteitskader.core.io.load import load_criteria

    criteria = load_criteria()
    for r in rows:
        decided = classes[Path(r["Bestand"]).name]
        if decided is None:
            assert r["Klasse"].startswith("nog geen oordeel: ")
        else:
            assert r["Klasse"] == criteria.label("classes", decided, "nl")


def test_json_with_filter_and_sort() -> None:
    result = run_cli("compare", SAMPLES, "--format", "json", "--filter", "klasse:kansrijk", "--sort", "date", "--desc")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = {name for name, cls in _classes().items() if cls == "kansrijk"}
    assert {Path(r["file"]).name for r in data["rows"]} == expected
    dates = [r["assessed_on"] for r in data["rows"]]
    assert dates == sorted(dates, reverse=True)
    assert data["filter"] == "klasse:kansrijk"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_to_stdout(fmt: str) -> None:
    result = run_cli("compare", SAMPLES, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "Rotterdam" in result.stdout
    if fmt == "html":
        assert result.stdout.startswith("<!DOCTYPE html>")
    else:
        assert result.stdout.startswith("# ")


def test_xlsx_to_file(tmp_path: Path) -> None:
    out = tmp_path / "overzicht.xlsx"
    result = run_cli("compare", SAMPLES, "--output", out)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stderr
    wb = load_workbook(out)
    rows = list(wb["Beoordelingen"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(sample_files())


@pytest.mark.parametrize(("suffix", "check"), [(".csv", b"\xef\xbb\xbf"), (".html", b"<!DOCTYPE"), (".md", b"# ")])
def test_output_format_follows_suffix(tmp_path: Path, suffix: str, check: bytes) -> None:
    out = tmp_path / f"rapport{suffix}"
    assert run_cli("compare", SAMPLES, "-o", out).returncode == 0
    assert out.read_bytes().startswith(check)


def test_broken_file_is_reported_and_the_rest_still_exported(samples: Path) -> None:
    data_file("assessments/unclosed_string.toml", samples / "kapot.toml")
    result = run_cli("compare", samples, "--format", "json")
    assert result.returncode == 2  # unusable input, like validate
    data = json.loads(result.stdout)
    assert len(data["rows"]) == len(sample_files())
    assert data["errors"][0]["line"] == 3
    assert "kapot.toml:3" in result.stderr


def test_no_textual_on_report_paths() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from kwaliteitskader.cli import main\n"
        "buf = io.StringIO()\n"
        f"main(['compare', {str(SAMPLES)!r}, '--format', 'md'])\n"
        f"main(['reclassify', {str(SAMPLES)!r}, '--criteria', {str(ROOT / 'criteria' / '2024.1')!r}])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'openpyxl')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr


def test_reclassify_text_and_json(samples: Path, criteria_copy: Path, criteria: Criteria) -> None:
    regels = criteria_copy / "regels.toml"
    block = 'id = "kansrijk_ongemonitord"\nclass = "kansrijk"\nadvice = "bijstellen"'
    text = regels.read_text(encoding="utf-8")
    assert block in text
    regels.write_text(text.replace(block, block.replace('class = "kansrijk"', 'class = "stoppen"')), encoding="utf-8")
    expected = {
        f.name
        for f in sample_files()
        if evaluate(load_assessment(f).assessment, criteria).rule == "kansrijk_ongemonitord"
    }
    assert expected

    result = run_cli("reclassify", samples, "--criteria", criteria_copy, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {Path(c["file"]).name for c in data["changes"]} == expected
    for change in data["changes"]:
        assert change["old"]["class"] == "kansrijk" and change["new"]["class"] == "stoppen"
        assert change["old"]["rule"] == change["new"]["rule"] == "kansrijk_ongemonitord"
    assert data["total"] == len(sample_files())

    text_result = run_cli("reclassify", samples, "--criteria", criteria_copy)
    assert text_result.returncode == 0
    assert f"{len(expected)} van {len(sample_files())} oordelen veranderen (klasse of advies)" in text_result.stdout
    for name in expected:
        assert name in text_result.stdout


def test_reclassify_needs_a_criteria_folder(tmp_path: Path) -> None:
    result = run_cli("reclassify", SAMPLES, "--criteria", tmp_path)
    assert result.returncode == 2
    assert "kader.toml" in result.stderr


def test_english(tmp_path: Path) -> None:
    result = run_cli("--lang", "en", "compare", SAMPLES, "--format", "table")
    assert result.stdout.startswith("Municipality")


def test_in_a_terminal_without_format_the_view_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    import kwaliteitskader.tui.compare.app as view
    from kwaliteitskader.cli import main

    calls: list[dict[str, object]] = []

    def fake_run_compare(paths: list[Path], **options: object) -> int:
        calls.append({"paths": paths, **options})
        return 0

    monkeypatch.setattr(view, "run_compare", fake_run_compare)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["compare", str(SAMPLES), "--filter", "klasse:kansrijk"]) == 0
    assert calls == [
        {"paths": [SAMPLES], "criteria_folder": None, "lang": "nl", "query": "klasse:kansrijk", "index": None}
    ]
    # with a format it is a report, even in a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert main(["compare", str(SAMPLES / "ajb_rotterdam.toml"), "--format", "json"]) == 0
    assert len(calls) == 1
