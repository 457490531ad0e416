"""Both languages complete and consistent, and no user-facing text that bypasses the catalogue.

The scan reads the source with ``ast`` (no import, no execution) and looks at the places where text reaches
a person: ``print(...)``, argparse ``help=``/``description=``, exceptions raised, ``parser.error``,
``Finding(...)`` messages and ``….write(...)``. A string literal there that contains words is a bypass unless it
is allow-listed below with a reason (ids, file names and format strings made only of placeholders and
punctuation are recognised as not being user text).
"""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path

import pytest

from kwaliteitskader.core.i18n import LANGUAGES
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "kwaliteitskader"
LOCALE = PACKAGE / "locale"

SCANNED = sorted(
    [*(PACKAGE / "cli").glob("*.py"), *(PACKAGE / "core").rglob("*.py")]
)

# (file relative to the repository, literal text) -> why it is not user text.
ALLOWED: dict[tuple[str, str], str] = {
    ("kwaliteitskader/core/i18n.py", "unsupported language {}; choose one of {}"):
        "programmer error: --lang is restricted by argparse choices, so a user never sees it",
    ("kwaliteitskader/core/model/fields.py", "no fast-path kind for field type {}"):
        "programmer error raised while generating fields_table.py from the models, never at run time",
    ("kwaliteitskader/core/model/fields.py", "up to date"):
        "developer tool (python -m kwaliteitskader.core.model.fields), like the schema generator's output",
    ("kwaliteitskader/core/model/fields.py", "{} is out of date"):
        "developer tool (python -m kwaliteitskader.core.model.fields), like the schema generator's output",
    ("kwaliteitskader/core/portfolio/table.py", "unknown column {}; choose one of {}"):
        "programmer error: --sort is restricted by argparse choices and the view only offers known columns",
    ("kwaliteitskader/core/portfolio/cells.py", "unknown column {}"):
        "programmer error: column keys come from COLUMNS, never from a user",
    ("kwaliteitskader/core/model/assessment.py", "unsupported field type {}"):
        "programmer error raised while the models are defined, never at run time for a user",
    ("kwaliteitskader/core/output/export.py", "a lean row without its kept CSV head"):
        "programmer error: lean rows come only for contents with a kept head (load_lean_rows), never from a user",
    ("kwaliteitskader/core/portfolio/cells.py", "column {} reads more than a lean row has"):
        "programmer error: the lean CSV's columns are LEAN_CELLS' own, never chosen by a user",
}

_USER_KEYWORDS = {"help", "description", "epilog", "usage"}
_TEXT_METHODS = {"error", "exit", "write"}
_ID = re.compile(r"^[a-z0-9_.\-/]*$")
_FILE_NAME = re.compile(r"^[\w.\-/]+\.(toml|json|md|html|py|txt|tcss|yaml|yml)$")


# --- the scanner ---------------------------------------------------------------------------------


def _literal_text(node: ast.expr) -> str | None:
    """The text of a string literal or f-string (placeholders as ``{}``), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    return None


def is_user_text(text: str) -> bool:
    """Words a person would read, as opposed to ids, file names and pure format strings."""
    bare = re.sub(r"\{[^{}]*\}", "", text).strip()
    if not re.search(r"[^\W\d_]{2,}", bare):
        return False  # only placeholders, digits and punctuation: "== {}: {}"
    return not (_ID.match(bare) or _FILE_NAME.match(bare))


def _displayed_literals(node: ast.expr) -> list[ast.expr]:
    """String literals inside an expression whose value is shown. Arguments of ``t(...)`` are keys; other
    calls and subscripts compute values from ids (``d["explanation"]``), so they are not followed."""
    if _literal_text(node) is not None:
        return [node]
    if isinstance(node, ast.BinOp):
        return _displayed_literals(node.left) + _displayed_literals(node.right)
    if isinstance(node, ast.IfExp):
        return _displayed_literals(node.body) + _displayed_literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [lit for value in node.values for lit in _displayed_literals(value)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"format", "join"}:
        return _displayed_literals(node.func.value)
    return []


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def scan_source(source: str) -> list[tuple[int, str]]:
    """(line, literal text) for every user-facing literal that bypasses the catalogue."""
    hits: list[ast.expr] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                hits += _displayed_literals(arg)
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name == "print" or (name in _TEXT_METHODS and isinstance(node.func, ast.Attribute)):
            for arg in node.args:
                hits += _displayed_literals(arg)
        if name == "Finding":
            message = node.args[3:4] + [k.value for k in node.keywords if k.arg == "message"]
            for arg in message:
                hits += _displayed_literals(arg)
        for keyword in node.keywords:
            if keyword.arg in _USER_KEYWORDS:
                hits += _displayed_literals(keyword.value)
    found = []
    for hit in hits:
        text = _literal_text(hit)
        if text is not None and is_user_text(text):
            found.append((hit.lineno, text))
    return sorted(set(found))


def test_scanner_finds_bypasses_and_ignores_catalogue_use() -> None:
    source = '''
import argparse
parser = argparse.ArgumentParser(description="Toets een interventie")
parser.add_argument("--x", help=t("cli.help.x"), metavar="FILE")
print("Klaar met controleren")
print(f"Fout in {file}: {reason}")
print(f"== {file}: {title}")
print(t("cli.ok", count=3))
print("{} ({})".format(a, b))
print("beoordeling.toml")
raise ValueError("kan niet lezen")
raise ValueError(t("load.missing"))
Finding(file, 1, "key", "oeps, fout", "code")
Finding(file, 1, "key", t("load.missing"), "unusable")
Finding(file=file, line=1, key="k", message=f"{x} is ongeldig", code="c")
sys.stderr.write("Niet gevonden\\n")
print(d["explanation"])
'''
    texts = [text for _, text in scan_source(source)]
    assert texts == [
        "Toets een interventie",
        "Klaar met controleren",
        "Fout in {}: {}",
        "kan niet lezen",
        "oeps, fout",
        "{} is ongeldig",
        "Niet gevonden\n",
    ]


def test_no_user_facing_literal_bypasses_the_catalogue() -> None:
    used: set[tuple[str, str]] = set()
    problems = []
    for file in SCANNED:
        relative = file.relative_to(ROOT).as_posix()
        for line, text in scan_source(file.read_text(encoding="utf-8")):
            if (relative, text) in ALLOWED:
                used.add((relative, text))
            else:
                problems.append(f"{relative}:{line}: {text!r}")
    advice = "user-facing text outside the catalogue (use t('area.key'); see kwaliteitskader/core/i18n.py):\n"
    assert not problems, advice + "\n".join(problems)
    stale = set(ALLOWED) - used
    assert not stale, f"allow-list entries that no longer match any source: {sorted(stale)}"


# --- the catalogues ------------------------------------------------------------------------------


def _area_files(lang: str) -> dict[str, Path]:
    return {file.stem: file for file in sorted((LOCALE / lang).glob("*.toml"))}


def _load(file: Path) -> dict[str, object]:
    with file.open("rb") as handle:
        return tomllib.load(handle)


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_both_languages_have_the_same_area_files() -> None:
    areas = {lang: set(_area_files(lang)) for lang in LANGUAGES}
    assert areas["nl"], "no Dutch catalogue found"
    assert areas["nl"] == areas["en"], f"area files differ: nl {sorted(areas['nl'])}, en {sorted(areas['en'])}"


@pytest.mark.parametrize("area", sorted(_area_files("nl")))
def test_area_has_the_same_keys_and_placeholders_in_both_languages(area: str) -> None:
    nl = _load(LOCALE / "nl" / f"{area}.toml")
    en = _load(LOCALE / "en" / f"{area}.toml")
    assert set(nl) - set(en) == set(), f"{area}: keys only in Dutch"
    assert set(en) - set(nl) == set(), f"{area}: keys only in English"
    for key, text in nl.items():
        assert isinstance(text, str) and text.strip(), f"nl/{area}.toml {key}: empty or not text"
        other = en[key]
        assert isinstance(other, str) and other.strip(), f"en/{area}.toml {key}: empty or not text"
        assert _placeholders(text) == _placeholders(other), f"{area} {key}: placeholders differ between nl and en"


def test_no_key_is_defined_in_two_area_files() -> None:
    """Areas are merged into one catalogue; a key in two files would silently hide one of the texts."""
    for lang in LANGUAGES:
        owner: dict[str, str] = {}
        for area, file in _area_files(lang).items():
            for key in _load(file):
                assert key not in owner, f"{lang}: key {key!r} is in both {owner[key]}.toml and {area}.toml"
                owner[key] = area


def test_every_key_the_code_asks_for_exists_in_both_languages() -> None:
    keys = {lang: {k for file in _area_files(lang).values() for k in _load(file)} for lang in LANGUAGES}
    missing = []
    for file in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _call_name(node) == "t" and node.args):
                continue
            first = node.args[0]
            where = f"{file.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                missing += [f"{where} {lang}: {first.value}" for lang in LANGUAGES if first.value not in keys[lang]]
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                prefix = str(first.values[0].value)
                missing += [f"{where} {lang}: {prefix}…" for lang in LANGUAGES
                            if not any(k.startswith(prefix) for k in keys[lang])]
    assert not missing, "t() keys without a text:\n" + "\n".join(missing)


# --- the language switch, end to end ------------------------------------------------------------


def test_lang_en_classify_prints_english() -> None:
    result = run_cli("--lang", "en", "classify", "sample_assessments/ajb_rotterdam.toml")
    assert result.returncode == 0, result.stderr
    assert "Class: proven effective" in result.stdout
    assert "Advice:" in result.stdout
    assert "Klasse" not in result.stdout and "Advies" not in result.stdout


def test_environment_variable_chooses_english_and_dutch_is_default() -> None:
    english = run_cli("classify", "sample_assessments/ajb_rotterdam.toml", env={"KWALITEITSKADER_LANG": "en"})
    dutch = run_cli("classify", "sample_assessments/ajb_rotterdam.toml", env={"KWALITEITSKADER_LANG": ""})
    assert "Class:" in english.stdout
    assert "Klasse:" in dutch.stdout and "Class:" not in dutch.stdout


def test_help_follows_the_language_option() -> None:
    english = run_cli("--lang", "en", "validate", "--help")
    dutch = run_cli("validate", "--help")
    assert "check criteria sets and assessments" in english.stdout
    assert "controleer criteriasets en beoordelingen" in dutch.stdout


def test_lang_equals_form_and_language_after_the_command() -> None:
    assert "Class:" in run_cli("--lang=en", "classify", "sample_assessments/ajb_rotterdam.toml").stdout
    report = run_cli("report", "sample_assessments/ajb_rotterdam.toml", "--lang", "en")
    assert report.stdout.startswith("# Assessment report:")
