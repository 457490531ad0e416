"""The fast TOML reader answers exactly as tomllib does, or not at all (then tomllib decides)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.io.assessments import dump_assessment, load_assessment
from kwaliteitskader.core.io.fasttoml import loads
from tests.conftest import ROOT, SAMPLES

LOCALES = ROOT / "kwaliteitskader" / "locale"
SAMPLE_TEXTS = {p.name: p.read_text(encoding="utf-8-sig") for p in sorted(SAMPLES.glob("*.toml"))}
CRITERIA_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "criteria").rglob("*.toml"))}
PIECES = ['"', "'", "[", "]", "=", ",", " ", "\t", "#", "\\", '\\"', "\\n", "\\u00e9", "\\x", "\n", "x", "1", "-",
          ".", "01", "+1", "1.5", "1e3", "true", "2024-02-30", "2024-01-01", "2024-01-01T10:00:00", "\r", "{", "}",
          "\x00", "\x85", "\u00a0", "é", '"""', "'''", "[[", "[a]", "[a.b]", "a = 1", "a.b = 1", '"k" = 1', "_"]


def _same_as_tomllib(text: str) -> None:
    fast = loads(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None, "accepted text that tomllib refuses"
        return
    if fast is not None:
        assert fast == expected
        assert repr(fast) == repr(expected)  # same types (int vs float vs bool) and same key order


@pytest.mark.parametrize("name", sorted(SAMPLE_TEXTS))
def test_samples_are_read_fast_and_identically(name: str) -> None:
    text = SAMPLE_TEXTS[name]
    assert loads(text) == tomllib.loads(text)


@pytest.mark.parametrize("name", sorted(CRITERIA_TEXTS))
def test_criteria_files_are_read_identically_or_left_to_tomllib(name: str) -> None:
    """Criteria files cite their sources as arrays of inline tables, which the one-regex reader does not
    take: it then says so (None) and the caller reads the file with tomllib; it never reads it differently.
    (Criteria are read once and cached as JSON, so this costs no start-up time; docs/performance.md.)"""
    text = CRITERIA_TEXTS[name]
    fast = loads(text)
    assert fast is None or fast == tomllib.loads(text)
    if "{ ref = " not in text:
        assert fast == tomllib.loads(text)


@pytest.mark.parametrize("path", sorted(LOCALES.rglob("*.toml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_message_catalogues_are_read_fast_and_identically(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert loads(text) == tomllib.loads(text)


@pytest.mark.parametrize("name", sorted(SAMPLE_TEXTS))
def test_what_the_program_writes_is_read_fast(name: str) -> None:
    text = dump_assessment(load_assessment(SAMPLES / name).assessment)
    assert loads(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = "x" # comment', "a = 1\na = 2", "[t]\n[t]", "a = 1\n[a]", "a = {b = 1}", 'a = { b = "x", b = "y" }',
        'a = { b = "x", }', "[[a]]\n[a]", "[a]\n[[a]]", 'a = ["x"]\n[[a]]', "a.b = 1",
        '"a\\n" = 1', 'a = 1\n"a" = 2', "a = 1_000", "a = 0x10", "a = inf", "a = 1979-05-27T07:32:00", 'a = "\\u00e9"',
        "a = [\n1,\n]",
        'a = [\n"x"\n"y"\n]', 'a = [\n"x",\n', "a = 1\r\n", 'a = """x"""', "a = '''x'''", "a = 2024-02-30",
    ],
)
def test_anything_unusual_is_left_to_tomllib(text: str) -> None:
    assert loads(text) is None
    _same_as_tomllib(text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.sampled_from([*SAMPLE_TEXTS.values(), *CRITERIA_TEXTS.values()]),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(PIECES),
                             st.sampled_from(["insert", "delete", "duplicate", "drop"])), min_size=1, max_size=4),
)
def test_mutated_files_read_as_tomllib_reads_them_or_not_at_all(text: str, edits: list[tuple[int, int, str, str]]) -> None:
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
    _same_as_tomllib("\n".join(lines))


# Statements as the one-regex reader sees them: every kind of value, arrays written one element per line in all
# the ways tomllib reads them (and some it does not), comments and blank lines anywhere, keys repeated or not.
_KEYS = st.sampled_from(["a", "b", "c-d", "e_1", '"a"', '"a.b"', '""', '"x y"'])
_CHARS = st.sampled_from(["x", " ", "\t", "é", "#", "'", "=", "[", "]", ",", "{", "\\n", '\\"', "\\\\", "\\t", "\\u00e9", "\\"])
_BASIC = st.lists(_CHARS, max_size=4).map(lambda parts: '"' + "".join(parts) + '"')
_SPACE = st.sampled_from(["", " ", "    ", "\t"])
_ELEMENT_LINE = st.tuples(_SPACE, _BASIC, st.sampled_from(["", ",", " ,", ", ", ",,"]), st.sampled_from(["", " # c"]))
_BLOCK = st.tuples(st.lists(_ELEMENT_LINE, max_size=4), _SPACE, st.sampled_from(["]", "] ", "]x", "]]"]), st.booleans()).map(
    lambda b: "[\n" + "".join(f"{s}{e}{c}{k}\n" for s, e, c, k in b[0]) + ("\n" if b[3] else "") + b[1] + b[2]
)
_VALUES = st.one_of(
    _BASIC,
    _BLOCK,
    st.sampled_from(["0", "-0", "7", "-12", "123456789012345678", "1234567890123456789", "01", "1.5", "-0.0", "1.",
                     "true", "false", "True", "2024-01-31", "2024-02-30", "2024-1-01", "'lit'", "'a\\b\"'", "''",
                     "[]", "[ ]", '["x"]', '["x", "y",]', '["x",,]', '[,]', '{ nl = "a", en = "b" }', '{ nl = "a", nl = "b" }',
                     '{ nl = "a", }', "{}", '"a" "b"', '"x" # c']),
)
_KEY_VALUE = st.tuples(_SPACE, _KEYS, st.sampled_from(["=", " = ", "\t=  "]), _VALUES, _SPACE).map("".join)
_STATEMENTS = st.one_of(
    _KEY_VALUE,
    st.sampled_from(["", " ", "\t", "# note", "  # note", "[t]", "[ u ]", "[[r]]", "[[ r ]]", "[t.u]", "[[t]]", "[r]", "[]"]),
)


@settings(max_examples=1000, deadline=None)
@given(statements=st.lists(_STATEMENTS, max_size=12), final_newline=st.booleans())
def test_statements_read_as_tomllib_reads_them_or_not_at_all(statements: list[str], final_newline: bool) -> None:
    _same_as_tomllib("\n".join(statements) + ("\n" if final_newline else ""))


@pytest.mark.parametrize(
    "text",
    [
        'a = [\n    "x",\n    "y",\n]\n', 'a = [\n    "x",\n    "y"\n]\n', "a = []\nb = [ ]\nc = [\n]\n", 'a = [ \n  "x" ,  \n  ]  \n',
        'a = [\n    "x\\ty\\\\",\n]\n', '[t]\na = 1\n[u]\na = 2\n', "[[r]]\na = 1\n[[r]]\na = 1\n", 'a = "x"', "a = [\n]",
        '\n\n  \n# c\n\t\na = 1\n\n\n[t]\n\n', '"" = 1\n"a b" = "c"\n', 'a = { nl = "x\\n", en = "" }\nb = ["", "\\""]\n',
        "a = 2024-02-29\nb = -0.5\nc = -7\nd = true\ne = false\nf = 'x\\y'\n", 'a = "tab\there"\n',
    ],
)
def test_plain_statements_are_read_fast(text: str) -> None:
    assert loads(text) is not None
    _same_as_tomllib(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = [\n"x"\n"y"\n]', 'a = [\n"x", # c\n]', 'a = [\n# c\n"x",\n]', 'a = [\n\n"x",\n]', 'a = [\n"x",\n', 'a = [\n"x"',
        "[a]\n[[a]]", "[[a]]\n[a]", "[a]\na = 1\n[a]", 'a = [\n"x",\n] # c', "a = 1 # c", "a = 1\n\x7f", "# \x01\n", "a = 1\n\r",
        'a = [\n"x",\n"\r",\n]', "a = [\n'x',\n]", "a = [\n1,\n]", '"a\\"" = 1', "a = 1\n[t]\na = 1\na = 2",
    ],
)
def test_edges_of_the_statement_regex_are_left_to_tomllib(text: str) -> None:
    assert loads(text) is None
    _same_as_tomllib(text)
