"""What the program relies on in its TOML parser (:mod:`kwaliteitskader.core.toml`, rtoml).

- Every file we ship or write reads as the standard library's ``tomllib`` reads it (same values, same
  types, same key order): TOML 1.0 text means the same to both.
- TOML 1.1 is read too (the parser's version of TOML; README says so).
- Every refusal names a reason, and a line and column inside the text; text nested too deeply is refused
  (not a crash), and the load reports it as such.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.assessments import dump_assessment
from kwaliteitskader.core.io.criteria import parse_toml_bytes
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.toml import TomlError, TomlTooDeep, loads
from tests.conftest import ROOT, SAMPLES, repetitions

LOCALES = ROOT / "kwaliteitskader" / "locale"
SAMPLE_TEXTS = {p.name: p.read_text(encoding="utf-8-sig") for p in sorted(SAMPLES.glob("*.toml"))}
CRITERIA_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "criteria").rglob("*.toml"))}
PIECES = ['"', "'", "[", "]", "=", ",", " ", "\t", "#", "\\", '\\"', "\\n", "\\u00e9", "\\x", "\n", "x", "1", "-",
          ".", "01", "+1", "1.5", "1e3", "true", "2024-02-30", "2024-01-01", "2024-01-01T10:00:00", "\r", "{", "}",
          "\x00", "\x85", "\u00a0", "é", '"""', "'''", "[[", "[a]", "[a.b]", "a = 1", "a.b = 1", '"k" = 1', "_"]


def _as_tomllib_or_refused_with_a_position(text: str) -> None:
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        expected = None
    try:
        got = loads(text)
    except TomlError as exc:
        assert expected is None, f"refused TOML 1.0 that tomllib reads: {exc}"
        assert exc.reason.strip()
        assert exc.line is not None and exc.column is not None, str(exc)
        assert 1 <= exc.line <= text.count("\n") + 1
        assert exc.column >= 1
        return
    if expected is not None:  # (tomllib refusing what we read is TOML 1.1: \e, \x.., newlines in { })
        assert repr(got) == repr(expected)  # same values, same types (int vs float vs bool), same key order


@pytest.mark.parametrize("name", sorted(SAMPLE_TEXTS))
def test_samples_read_as_tomllib_reads_them(name: str) -> None:
    _as_tomllib_or_refused_with_a_position(SAMPLE_TEXTS[name])
    assert loads(SAMPLE_TEXTS[name])


@pytest.mark.parametrize("name", sorted(CRITERIA_TEXTS))
def test_criteria_files_read_as_tomllib_reads_them(name: str) -> None:
    _as_tomllib_or_refused_with_a_position(CRITERIA_TEXTS[name])
    assert loads(CRITERIA_TEXTS[name])


@pytest.mark.parametrize("path", sorted(LOCALES.rglob("*.toml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_message_catalogues_read_as_tomllib_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _as_tomllib_or_refused_with_a_position(text)
    assert loads(text)


@pytest.mark.parametrize("name", sorted(SAMPLE_TEXTS))
def test_what_the_program_writes_is_read_back_unchanged(name: str) -> None:
    text = dump_assessment(load_assessment(SAMPLES / name).assessment)
    assert repr(loads(text)) == repr(tomllib.loads(text))


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('[intervention]\nname = "AJB\n', 2, 12),  # an unterminated string
        ("a = 1\nb = \n", 2, 5),  # a missing value
        ("a = 1\na = 2\n", 2, 1),  # a key repeated
        ("[t]\nx = 1\n[t]\n", 3, 2),  # a table repeated
        ("a = [1,\n2\n", 2, 2),  # an array not closed at the end of the text
        ("\ufeffa = 1\n", 1, 1),  # a byte order mark in the text (the file's own is removed when decoding)
    ],
)
def test_refusals_carry_a_reason_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(TomlError) as caught:
        loads(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.reason and "line" not in caught.value.reason  # the position is not repeated in the reason


def test_a_syntax_error_is_an_unusable_finding_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    with pytest.raises(FindingsError) as caught:
        parse_toml_bytes(path, b'[intervention]\nname = "x"\nmanual = \n')
    [finding] = caught.value.findings
    assert (finding.file, finding.line, finding.code) == (str(path), 3, "unusable")
    assert finding.message.startswith("Geen geldige TOML: ")


def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path) -> None:
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(TomlTooDeep):
        loads(deep)
    with pytest.raises(FindingsError) as caught:
        parse_toml_bytes(tmp_path / "deep.toml", deep.encode())
    assert [f.message for f in caught.value.findings] == ["Geen bruikbare TOML: te diep genest."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a = "\\e[0m"', {"a": "\x1b[0m"}),  # \e
        ('a = "\\x41"', {"a": "A"}),  # \xHH
        ("a = { b = 1,\n  c = 2, }", {"a": {"b": 1, "c": 2}}),  # newlines and a trailing comma in an inline table
    ],
)
def test_toml_1_1_is_read(text: str, expected: dict[str, object]) -> None:
    assert loads(text) == expected


@pytest.mark.repeated
@settings(max_examples=repetitions(60, 300), deadline=None)
@given(
    text=st.sampled_from([*SAMPLE_TEXTS.values(), *CRITERIA_TEXTS.values()]),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(PIECES),
                             st.sampled_from(["insert", "delete", "duplicate", "drop"])), min_size=1, max_size=4),
)
def test_mutated_files_read_as_tomllib_reads_them_or_are_refused_with_a_position(
    text: str, edits: list[tuple[int, int, str, str]]
) -> None:
    lines = text.split("\n")
    for row, col, piece, action in edits:
        k = row % len(lines)
        line = lines[k]
        if action == "insert":
            pos = col % (len(line) + 1)
            lines[k] = line[:pos] + piece + line[pos:]
        elif action == "delete" and line:
            pos = col % len(line)
            lines[k] = line[:pos] + line[pos + 1 :]
        elif action == "duplicate":
            lines.insert(k, lines[col % len(lines)])
        elif len(lines) > 1:
            del lines[k]
    _as_tomllib_or_refused_with_a_position("\n".join(lines))
