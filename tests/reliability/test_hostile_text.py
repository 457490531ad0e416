"""Hostile text in every text field reaches no terminal, Markdown, HTML, spreadsheet or JSON raw.

Every text field of an assessment gets a different hostile value: an OSC window title, an OSC 8 hyperlink,
CSI colour and cursor movement, BEL, NUL, a carriage return, a one-byte C1 CSI, DEL and a bidirectional
override. Then every output is produced from it, each in a real process where it is printed: ``classify``
(text, ``--trace``, ``--json``), ``validate`` (text, github, json), ``report`` (md and html, to stdout and
to a file), ``compare`` (table, csv, md, html, json, xlsx), ``reclassify``; and the wizard and the compare
view are driven with the pilot and what they draw is inspected. Nothing may hold a raw control or bidi
character (a newline or tab where the format has them apart); the text must still be visible (escaped);
JSON must still parse to the exact value.
"""

from __future__ import annotations

import asyncio
import json
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.assessments import save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import FieldKind, answer_fields, set_path
from tests.conftest import ROOT, SAMPLES, run_cli
from tests.pilot import wait_for_compare_rows, wait_until

BIDI = {"\u200e", "\u200f", "\u2028", "\u2029", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
PAYLOADS = [
    "\x1b]2;PWNED\x07",
    "\x1b]8;;https://evil.example\x1b\\klik hier\x1b]8;;\x1b\\",
    "\x1b[31mrood\x1b[0m\x1b[2J\x1b[H",
    "bel\x07nul\x00cr\rterug",
    "c1\x9b31mdel\x7f",
    "bidi\u202egnirts\u2066",
]
TEXT_FIELDS = [p for p, info in answer_fields().items()
               if info.kind is FieldKind.TEXT and p not in ("meta.criteria_version", "meta.criteria_digest")]


def hostile_value(n: int) -> str:
    return f"veld{n} " + PAYLOADS[n % len(PAYLOADS)] + " " + PAYLOADS[(n + 1) % len(PAYLOADS)]


def raw_characters(text: str, allowed: str = "\n\t") -> list[str]:
    return sorted({ch for ch in text if (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in BIDI})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vijandig")
    assessment = load_assessment(SAMPLES / "kapot_sterk_tilburg.toml").assessment
    for n, field in enumerate(TEXT_FIELDS):
        assessment = set_path(assessment, field, hostile_value(n))
    save_assessment(assessment, folder / "vijandig.toml")
    (folder / "tweede.toml").write_bytes((SAMPLES / "ajb_rotterdam.toml").read_bytes())
    return folder


def test_every_text_field_is_hostile(hostile: Path) -> None:
    loaded = load_assessment(hostile / "vijandig.toml").assessment
    from kwaliteitskader.core.model.assessment import get_path

    assert len(TEXT_FIELDS) >= 8
    for n, field in enumerate(TEXT_FIELDS):
        assert get_path(loaded, field) == hostile_value(n)


@pytest.mark.parametrize("args", [
    ("classify", "{f}"), ("classify", "--trace", "{f}"), ("validate", "{f}"), ("validate", "--format", "github", "{f}"),
    ("report", "{f}"), ("report", "--format", "html", "{f}"), ("compare", "--format", "table", "{d}"),
    ("compare", "--format", "md", "{d}"), ("compare", "--format", "html", "{d}"),
    ("reclassify", "{d}", "--criteria", str(ROOT / "criteria" / "2024.1")),
])
def test_text_outputs_hold_no_raw_control_character(hostile: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*[a.format(f=hostile / "vijandig.toml", d=hostile) for a in args])
    assert result.returncode in (0, 1), result.stderr
    output = result.stdout + result.stderr
    assert raw_characters(output) == []
    if args[0] in ("classify", "report", "compare"):
        assert "\\x1b" in output  # shown, as text
    if args[0] == "report":
        assert "veld" in output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_files_hold_no_raw_control_character(hostile: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"rapport.{fmt}"
    assert run_cli("report", hostile / "vijandig.toml", "--format", fmt, "-o", target).returncode == 0
    text = target.read_text(encoding="utf-8")
    assert raw_characters(text) == []
    assert "8;;https://evil.example" in text and "\\x1b" in text  # the hidden link is shown as text
    assert "\\u202e" in text


@pytest.mark.parametrize("args", [("classify", "--json", "{f}"), ("validate", "--format", "json", "{d}"),
                                  ("compare", "--format", "json", "{d}")])
def test_json_holds_no_raw_control_character_and_keeps_the_exact_value(hostile: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*[a.format(f=hostile / "vijandig.toml", d=hostile) for a in args])
    assert raw_characters(result.stdout) == []
    data = json.loads(result.stdout)
    if args[0] == "classify":
        assert data[0]["intervention"] == hostile_value(TEXT_FIELDS.index("intervention.name"))
    if args[0] == "compare":
        rows = {row["intervention"]: row for row in data["rows"]}
        row = rows[hostile_value(TEXT_FIELDS.index("intervention.name"))]  # the exact value, after parsing
        assert row["municipality"] == hostile_value(TEXT_FIELDS.index("intervention.municipality"))
    if args[0] == "validate":
        assert data == []  # the hostile assessment is valid: its text is data, not a finding


def test_csv_and_xlsx_exports_hold_no_raw_control_character(hostile: Path, tmp_path: Path) -> None:
    csv_file, xlsx_file = tmp_path / "o.csv", tmp_path / "o.xlsx"
    assert run_cli("compare", hostile, "-o", csv_file).returncode == 0
    text = csv_file.read_bytes().decode("utf-8-sig")
    assert raw_characters(text, allowed="\n\r") == []
    assert "\\x1b]2;PWNED\\x07" in text
    result = run_cli("compare", hostile, "-o", xlsx_file)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(xlsx_file) as book:
        sheets = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    assert raw_characters(sheets, allowed="\n\r\t") == []


# --- what the applications draw ------------------------------------------------------------------------------


def _drawn(app: Any) -> str:
    """Everything the app's screen draws now, as it would go to the terminal (line filters applied)."""
    return str(app.export_screenshot())


def test_wizard_shows_hostile_fields_visibly_and_sends_nothing_raw(hostile: Path, tmp_path: Path) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.tui.app import KwaliteitskaderApp
    from kwaliteitskader.tui.safety import SafeInput

    async def main() -> None:
        app = KwaliteitskaderApp(load_criteria(), "nl", hostile / "vijandig.toml", data_folder=tmp_path / "data",
                                 autosave_seconds=None, samples=None, cursor_blink=False)
        async with app.run_test(size=(140, 45)) as pilot:
            fields = list(await wait_until(pilot, lambda: app.screen.query(SafeInput), "the first step's text fields"))
            for field in fields:
                if field.value and field.value.startswith("veld"):
                    assert field._value.plain != field.value  # drawn with stand-ins…
                    assert len(field._value.plain) == len(field.value)  # …one per character
                    assert raw_characters(field._value.plain, allowed="") == []
            assert any("␛" in f._value.plain for f in fields)
            drawn = _drawn(app)
            assert raw_characters(drawn) == []
            assert "\\x1b]2;PWNED\\x07" in drawn.replace("&#x27;", "'") or "␛" in drawn
            assert app.assessment.intervention.name == hostile_value(TEXT_FIELDS.index("intervention.name"))

    asyncio.run(main())


def test_compare_view_shows_hostile_names_visibly_and_sends_nothing_raw(hostile: Path) -> None:
    from textual.widgets import DataTable

    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.tui.compare.app import CompareApp

    async def main() -> None:
        app = CompareApp([hostile], load_criteria(), "nl")
        async with app.run_test(size=(180, 50)) as pilot:
            screen = app.compare_screen
            await wait_for_compare_rows(pilot)
            table = screen.query_one("#rows", DataTable)
            assert table.row_count == 2
            cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
            assert raw_characters("".join(cells)) == []
            assert any("\\x1b" in c for c in cells)
            drawn = _drawn(app)
            assert raw_characters(drawn) == []
            assert "Rotterdam" in drawn  # the other row is still drawn where it belongs

    asyncio.run(main())


def test_the_line_filter_removes_what_a_widget_did_not_escape() -> None:
    from rich.segment import Segment
    from textual.color import Color

    from kwaliteitskader.tui.safety import InertControls

    line = [Segment("naam \x1b]2;x\x07 \u202eomgekeerd"), Segment("gewoon")]
    filtered = InertControls().apply(line, Color(0, 0, 0))
    assert "".join(s.text for s in filtered) == "naam ]2;x omgekeerdgewoon"
    clean = [Segment("gewoon")]
    assert InertControls().apply(clean, Color(0, 0, 0)) is clean

