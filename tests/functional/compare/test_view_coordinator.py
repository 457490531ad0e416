"""The comparison view for a coordinator who types: a filter value that matches nothing is named with the
near one, typing meant for the filter stays there, the portfolio and re-classify keys can be found at every
width, and no raw message key reaches the screen (every key the code looks up is in both catalogues)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from textual.widgets._key_panel import BindingsTable

import kwaliteitskader
from kwaliteitskader.core.i18n import LANGUAGES, catalogue
from kwaliteitskader.core.output.export import FORMATS
from kwaliteitskader.core.portfolio.table import COLUMNS
from kwaliteitskader.tui.compare.screen import CompareScreen
from kwaliteitskader.tui.compare.widgets import ExportDialog
from tests.functional.compare.conftest import drive
from tests.functional.tui.drive import whole_footer_keys


def warning_text(screen: CompareScreen) -> str:
    warning = screen.query_one("#filter-warning", Static)
    return str(warning.render()) if warning.display else ""


def test_a_filter_value_that_matches_nothing_names_the_near_one(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        field = screen.query_one("#filter", Input)
        for typed, suggestion in (("klasse:kansrjk", "klasse:kansrijk"), ("gemeente:Roterdam", "gemeente:Rotterdam"),
                                  ("domein:gezn", "domein:gezin")):
            field.value = typed
            await pilot.pause()
            assert not screen.shown
            assert f"Bedoelde u {suggestion}?" in warning_text(screen), typed
        field.value = "gemeente:Atlantis"  # nothing near: still said, without a guess
        await pilot.pause()
        assert "Atlantis" in warning_text(screen) and "Bedoelde" not in warning_text(screen)
        for right in ("klasse:kansrijk", "gemeente:rotterdam", "klasse:Bewezen_effectief", ""):
            field.value = right
            await pilot.pause()
            assert warning_text(screen) == "", right

    drive([samples], scenario, size=(160, 40))


def test_typing_meant_for_the_filter_stays_in_the_filter(samples: Path) -> None:
    """Enter applies the filter and keeps the typing there: the next letters are not sort, mark or export."""
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        field = screen.query_one("#filter", Input)
        await pilot.press("slash", *"klasse:stoppen", "enter")
        await pilot.press(*" gemeente:Rotterdam", "enter")
        await pilot.pause()
        assert field.value == "klasse:stoppen gemeente:Rotterdam"
        assert screen.focused is field
        assert screen.app.screen is screen  # no export dialog
        assert (screen.sort_column, screen.descending, screen.marked) == ("municipality", False, [])
        assert screen.shown and {(r.decided_class, r.municipality) for r in screen.shown} == {("stoppen", "Rotterdam")}
        await pilot.press("down")  # down arrow: on to the table
        assert screen.focused is screen.query_one("#rows")

    drive([samples], scenario, size=(160, 40))


def keys_panel_text(screen: CompareScreen) -> str:
    console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 - closed with the console
    console.print(screen.query_one(BindingsTable).render_bindings_table())
    console.file.close()
    return console.export_text()


@pytest.mark.parametrize("width", [180, 120, 80])
def test_portfolio_and_reclassify_are_in_the_footer_or_its_keys_panel(samples: Path, width: int) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        for _ in range(3):
            await pilot.pause()
        footer = whole_footer_keys(screen, width)
        if {"p", "r"} <= footer:
            return
        assert "f1" in footer, footer  # the keys panel's key is always there
        await pilot.press("f1")
        await pilot.pause()
        text = keys_panel_text(screen)
        assert re.search(r"\bp\s+Portfolio\b", text) and re.search(r"\br\s+Herclassificeren\b", text), text
        await pilot.press("f1")
        await pilot.pause()
        assert not screen.query("HelpPanel")

    drive([samples], scenario, size=(width, 40))


def test_the_export_dialog_names_every_format(samples: Path) -> None:
    async def scenario(pilot: Pilot[None], screen: CompareScreen) -> None:
        await pilot.press("e")
        await pilot.pause()
        dialog = screen.app.screen
        assert isinstance(dialog, ExportDialog)
        select = dialog.query_one("#export-format", Select)
        labels = [str(label) for label, _ in select._options]
        assert len(labels) == len(FORMATS) - 1  # every format but the terminal table
        assert not [label for label in labels if label.startswith("compare.")], labels
        assert "SQLite-database (één bestand, voor SQL)" in labels
        select.value = "sqlite"
        await pilot.pause()
        assert dialog.query_one("#export-path", Input).value.endswith(".sqlite")

    drive([samples], scenario, size=(160, 40))


# --- every message key the code looks up is in both catalogues ---------------------------------------

PACKAGE = Path(kwaliteitskader.__file__).parent
KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
FILES = (".tcss", ".toml", ".py", ".json", ".html", ".csv", ".md", ".svg")
DYNAMIC = {  # keys made from a value, with every value the code makes them from
    "compare.tui.format_{}": [f for f in FORMATS if f != "table"],
    "compare.col.{}": list(COLUMNS),
}


def looked_up_keys() -> tuple[set[str], set[str]]:
    """Every string literal in the package that has the shape of a message key and starts like one (a
    namespace of the catalogues), and the constant heads of f-strings that do (``compare.col.{column}``)."""
    namespaces = {key.split(".")[0] for lang in LANGUAGES for key in catalogue(lang)}

    def looks_like_key(text: str) -> bool:
        return bool(KEY.fullmatch(text)) and text.split(".")[0] in namespaces and not text.endswith(FILES)
    literals: set[str] = set()
    heads: set[str] = set()
    for module in PACKAGE.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if id(node) in parts:
                continue
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if KEY.fullmatch(head.rstrip("._")) and head.split(".")[0] in namespaces and "." in head:
                    heads.add(head)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and looks_like_key(node.value):
                literals.add(node.value)
    return literals, heads


def test_every_message_key_the_code_looks_up_is_in_both_catalogues() -> None:
    literals, heads = looked_up_keys()
    assert "compare.tui.export_title" in literals and "compare.tui.format_" in heads  # the scan finds them
    for lang in LANGUAGES:
        known = catalogue(lang)
        # a literal that is a key's prefix (``compare.sqlite.about``) is joined to a key, not looked up itself
        missing = sorted(k for k in literals if k not in known and not any(key.startswith(k + ".") for key in known))
        assert not missing, (lang, missing)
        assert not [h for h in heads if not any(key.startswith(h) for key in known)], lang
        for pattern, values in DYNAMIC.items():
            assert not [v for v in values if pattern.format(v) not in known], (lang, pattern)
