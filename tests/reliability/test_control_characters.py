"""Markup and control characters in user text are shown literally by the CLI, never obeyed by the terminal.

An assessment from another municipality may carry ANSI escapes (clear screen, change the window
title), a carriage return that overwrites the start of a line, a bidirectional override that
reverses what follows, or Rich markup. ``classify`` and ``validate`` print all of it as visible
text; JSON output keeps the exact value (json.dumps escapes control characters itself).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.io.assessments import save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import set_path
from kwaliteitskader.core.safetext import terminal_safe
from tests.conftest import SAMPLES, data_file, repetitions, run_cli
from tests.reliability.fuzz import run_main

HOSTILE_NAME = "\x1b[2J\x1b]0;gehackt\x07[bold red]Opmaak[/] \rover\u202eschreven\x9b31m\x00 — Zaanstad ë 🙂"
BIDI = {"\u200e", "\u200f", "\u2028", "\u2029", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def _unsafe(text: str, *, one_line: bool) -> list[str]:
    allowed = set() if one_line else {"\n", "\t"}
    return [ch for ch in text if (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in BIDI]


def _hostile_assessment(tmp_path: Path) -> Path:
    assessment = load_assessment(SAMPLES / "kapot_sterk_tilburg.toml").assessment
    assessment = set_path(assessment, "intervention.name", HOSTILE_NAME)
    assessment = set_path(assessment, "factors.risk_factors", ["\x1b[31mrood\x1b[0m", "antisociale_houding"])
    target = tmp_path / "vijandig.toml"
    save_assessment(assessment, target)
    return target


def test_terminal_safe_shows_controls_as_escapes_and_keeps_normal_text() -> None:
    assert terminal_safe("\x1b[31mrood") == "\\x1b[31mrood"
    assert terminal_safe("a\rb\u202ec\x9bd\x7f") == "a\\x0db\\u202ec\\x9bd\\x7f"
    assert terminal_safe("regel 1\nregel 2\tkolom") == "regel 1\nregel 2\tkolom"
    assert terminal_safe("regel 1\nregel 2\t", one_line=True) == "regel 1\\x0aregel 2\\x09"
    assert terminal_safe("[bold]Zaanstad[/] ë ĳ 中文 🙂 – ‘quote’") == "[bold]Zaanstad[/] ë ĳ 中文 🙂 – ‘quote’"
    # printable lines, one of them with a line separator: the whole text is scanned, not only its first line
    assert terminal_safe("één ✔\ntwee\u2028drie\nvier\u00a0") == "één ✔\ntwee\\u2028drie\nvier\u00a0"


@pytest.mark.repeated
@settings(max_examples=repetitions(60, 300), deadline=None)
@given(st.text(), st.booleans())
def test_terminal_safe_never_lets_a_control_character_through(text: str, one_line: bool) -> None:
    shown = terminal_safe(text, one_line=one_line)
    assert _unsafe(shown, one_line=one_line) == []
    if not _unsafe(text, one_line=one_line):
        assert shown == text  # text without controls is untouched


def test_classify_prints_the_name_literally(tmp_path: Path) -> None:
    target = _hostile_assessment(tmp_path)
    result = run_cli("classify", target)  # a real process, as in a terminal
    assert result.returncode == 0, result.stderr
    assert _unsafe(result.stdout, one_line=False) == []
    title = result.stdout.splitlines()[0]
    assert title == f"== {target}: " + terminal_safe(HOSTILE_NAME, one_line=True)
    assert "[bold red]Opmaak[/]" in title  # markup is text, not formatting
    assert "\\x1b]0;gehackt\\x07" in title


def test_validate_text_and_github_output_escape_values_from_the_file(tmp_path: Path) -> None:
    target = _hostile_assessment(tmp_path)
    for fmt in ("text", "github"):
        code, out, err = run_main(["validate", "--format", fmt, str(target)])
        assert code == 1
        assert _unsafe(out + err, one_line=False) == []
        assert "\\x1b[31mrood\\x1b[0m" in out
        assert len(out.strip().splitlines()) == 1  # one finding, one line: nothing injected a second one


def test_json_output_keeps_the_exact_value(tmp_path: Path) -> None:
    target = _hostile_assessment(tmp_path)
    code, out, _ = run_main(["validate", "--format", "json", str(target)])
    assert code == 1
    assert "\x1b" not in out  # json.dumps writes \u001b
    [finding] = json.loads(out)
    assert "\x1b[31mrood\x1b[0m" in finding["message"]
    code, out, _ = run_main(["classify", "--json", str(target)])
    assert json.loads(out)[0]["intervention"] == HOSTILE_NAME


def test_compare_csv_guards_against_formula_injection_and_table_output_is_literal(tmp_path: Path) -> None:
    """Names from other municipalities' files that a spreadsheet would run as a formula are neutralised
    in the CSV export; the terminal table shows control characters as text."""
    import csv
    import io

    folder = tmp_path / "portfolio"
    folder.mkdir()
    base = load_assessment(SAMPLES / "kapot_sterk_tilburg.toml").assessment
    names = ['=HYPERLINK("http://x","klik")', "+31 6 1234", "-2+3", "@SUM(A1)", "\x1b[31mrood"]
    for i, name in enumerate(names):
        a = set_path(set_path(base, "intervention.name", name), "intervention.municipality", f"=cmd|' /C calc'!A{i}")
        save_assessment(a, folder / f"a{i}.toml")
    code, _, err = run_main(["compare", "--format", "csv", "--output", str(tmp_path / "r.csv"), str(folder)])
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_bytes().decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    for name in names[:4]:
        assert "'" + name in cells and name not in cells
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    result = run_cli("compare", "--format", "table", folder)  # writes bytes to the real stdout
    assert result.returncode == 0, result.stderr
    assert "rood" in result.stdout
    assert _unsafe(result.stdout, one_line=False) == []


def test_reclassify_and_findings_of_any_command_show_controls_literally(tmp_path: Path, criteria_copy: Path) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.rules.engine import evaluate

    bundled = load_criteria()
    sample = next(f for f in sorted(SAMPLES.glob("*.toml"))
                  if evaluate(load_assessment(f).assessment, bundled).rule == "kansrijk_ongemonitord")
    folder = tmp_path / "map"
    folder.mkdir()
    save_assessment(set_path(load_assessment(sample).assessment, "intervention.name", HOSTILE_NAME), folder / "a.toml")
    data_file("assessments/ansi_escape_in_key.toml", folder / "kapot.toml")
    regels = criteria_copy / "regels.toml"
    block = 'id = "kansrijk_ongemonitord"\nclass = "kansrijk"'
    regels.write_text(regels.read_text(encoding="utf-8").replace(block, block.replace("kansrijk\"", "stoppen\"")), encoding="utf-8")
    result = run_cli("reclassify", folder, "--criteria", criteria_copy)
    assert "\\x1b[2J" in result.stdout + result.stderr  # the changed verdict's name, and the broken file's key
    assert "\\x1b[2Jsleutel" in result.stderr
    assert _unsafe(result.stdout + result.stderr, one_line=False) == []
