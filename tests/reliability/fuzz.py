"""Hypothesis strategies for hostile input files, and the checks every validate run must pass.

Inputs come in three kinds, mixed by :func:`hostile_files`:

- *mutations* of real files (samples, criteria): truncation, random bytes inserted, a BOM, CRLF line
  ends, NUL bytes, invalid UTF-8, duplicated lines (duplicate keys and tables), deleted ranges, a value
  replaced by a wrong type, huge strings, deep nesting, unknown keys;
- *generated TOML documents*: known section and field names with values of any TOML type, unknown
  keys, nested tables and arrays, control characters and markup in strings;
- *raw bytes*.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import strategies as st

from kwaliteitskader import cli
from kwaliteitskader.core.model.assessment import answer_fields

ASSESSMENT_KEYS = sorted({*answer_fields(), *(p.split(".")[0] for p in answer_fields())})
FIELD_NAMES = sorted({p.split(".")[1] for p in answer_fields()} | {"schema_version", "id", "label", "nl", "en", "rules"})
SECTIONS = sorted({p.split(".")[0] for p in answer_fields()} | {"harm_signals"})

BOM = b"\xef\xbb\xbf"
NASTY_TEXT = [
    "[bold red]opmaak[/]",
    "\x1b[2J\x1b[31mrood",
    "\x1b]0;titel\x07",
    "regel\r\noverschreven\rx",
    "\u202eesrever",
    "\x00nul",
    "\x9b31m",
    "{placeholder} %s %(x)s {0}",
    "=HYPERLINK(\"http://x\")",
    "ë ĳ 中文 🙂",
]


TOML_SCALARS: st.SearchStrategy[Any] = st.one_of(
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=40),
        st.sampled_from(NASTY_TEXT),
        st.sampled_from(["ja", "nee", "onbekend", "", "hoog", "bewezen_effectief", "rct"]),
        st.dates(),
        st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
        st.times(),
        st.integers(min_value=0, max_value=50_000).map(lambda n: "x" * n),  # huge strings
)
KEYS = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=12))
TOML_VALUES: st.SearchStrategy[Any] = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=20,
)


@st.composite
def generated_document(draw: st.DrawFn) -> bytes:
    """A TOML document with (mostly) known sections and fields and values of any type."""
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        doc["schema_version"] = draw(st.one_of(st.integers(-3, 5), TOML_SCALARS))
    for section in draw(st.lists(st.sampled_from(SECTIONS), max_size=6, unique=True)):
        fields = draw(st.dictionaries(KEYS, TOML_VALUES, max_size=6))
        doc[section] = fields if draw(st.integers(0, 9)) else draw(TOML_VALUES)
    doc.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), TOML_VALUES, max_size=2)))
    try:
        return tomli_w.dumps(doc, multiline_strings=draw(st.booleans())).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):  # a value tomli_w refuses: fall back to the repr, still some text
        return repr(doc).encode("utf-8", "surrogatepass")


def inline_toml(value: Any) -> str:
    """``value`` written as an inline TOML value (tables as ``{...}``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {inline_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline_toml(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


_BYTE_EDITS = frozenset({0, 1, 2, 3, 4, 5, 7})


def _byte_edit(draw: st.DrawFn, data: bytes, op: int, at_byte: int) -> bytes:
    """``data`` with the byte-level damage ``op`` done at ``at_byte``."""
    if op == 0:  # truncated
        return data[:at_byte]
    if op == 1:  # random bytes inserted
        return data[:at_byte] + draw(st.binary(min_size=1, max_size=16)) + data[at_byte:]
    if op == 2:
        return BOM + data
    if op == 3:
        return data.replace(b"\n", b"\r\n")
    if op == 4:
        return data[:at_byte] + b"\x00" + data[at_byte:]
    if op == 5:  # invalid UTF-8
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"]))
        return data[:at_byte] + bad + data[at_byte:]
    # op == 7: a range deleted
    end = draw(st.integers(at_byte, len(data)))
    return data[:at_byte] + data[end:]


def _line_edit(draw: st.DrawFn, lines: list[bytes], op: int, at_line: int) -> list[bytes]:
    """``lines`` (changed in place and returned) with the line-level damage ``op`` done at ``at_line``."""
    if op == 6:  # a line repeated: duplicate keys and tables
        lines.insert(draw(st.integers(0, len(lines))), lines[at_line])
    elif op == 8:  # a value replaced by another type
        key = lines[at_line].split(b"=", 1)[0]
        value = inline_toml(draw(TOML_VALUES)) if draw(st.booleans()) else ""
        lines[at_line] = key + b"= " + value.encode("utf-8", "surrogatepass")
    elif op == 9:  # deep nesting of arrays or inline tables
        depth = draw(st.integers(1, 3000))
        if draw(st.booleans()):
            nested = b"[" * depth + b"]" * draw(st.sampled_from([depth, depth // 2, 0]))
        else:
            nested = b"{a = " * depth + b"1" + b"}" * depth
        lines.insert(at_line, b"diep = " + nested)
    elif op == 10:  # an unknown key or table
        extra = draw(st.sampled_from([b"onbekend_veld = 1", b"[onbekende_tabel]", b"[[lijst]]\nx = 1",
                                      b"a.b.c.d.e = 1", b"[" + b"a." * 500 + b"b]", b"schema_version = 1"]))
        lines.insert(at_line, extra)
    elif op == 11:  # a huge string
        size = draw(st.integers(1000, 50_000))  # 1 MB and 5 MB+ files: test_fuzz / test_environment
        lines.insert(at_line, b'lange_tekst = "' + b"x" * size + b'"')
    elif op == 12:  # nasty text in a string value
        text = json.dumps(draw(st.sampled_from(NASTY_TEXT))).encode()
        lines.insert(at_line, b"name = " + text)
    elif op == 13 and len(lines) > 1:  # lines shuffled a little
        other = draw(st.integers(0, len(lines) - 1))
        lines[at_line], lines[other] = lines[other], lines[at_line]
    return lines


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with one to four damaging edits."""
    data = base
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.integers(0, 13))
        lines = _lines(data)
        at_line = draw(st.integers(0, max(len(lines) - 1, 0)))
        at_byte = draw(st.integers(0, len(data)))
        if op in _BYTE_EDITS:
            data = _byte_edit(draw, data, op, at_byte)
        elif op != 8 or b"=" in lines[at_line]:  # a line without "=" has no value to replace
            data = b"\n".join(_line_edit(draw, lines, op, at_line))
    return data


def hostile_files(bases: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(bases).flatmap(mutated),
        generated_document(),
        generated_document().flatmap(mutated),
        st.binary(max_size=400),
    )


# --- running and checking ----------------------------------------------------------------------


def run_main(args: list[str]) -> tuple[int, str, str]:
    """``kwaliteitskader.cli.main(args)`` in this process, with its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, out.getvalue(), err.getvalue()


def check_validate_json(path: Path, files: list[Path], run: Callable[[list[str]], tuple[int, str, str]] = run_main) -> list[dict[str, Any]]:
    """Run ``validate --format json`` on ``path``; check exit code and that every finding is complete."""
    code, out, err = run(["validate", "--format", "json", str(path)])
    assert code in (0, 1, 2), (code, out, err)
    assert "Traceback" not in out + err
    findings: list[dict[str, Any]] = json.loads(out)
    assert (code == 0) == (not findings)
    if any(f["severity"] == "unusable" for f in findings):
        assert code == 2
    line_counts = {str(f): len(f.read_bytes().split(b"\n")) if f.is_file() else 0 for f in files}
    for finding in findings:
        assert finding["file"] in line_counts or finding["file"] == str(path), finding
        assert finding["message"].strip(), finding
        assert finding["code"], finding
        if finding["line"] is not None:
            assert 1 <= finding["line"] <= max(line_counts.get(finding["file"], 1), 1), finding
        if finding["severity"] == "error":
            assert finding["key"], finding  # a content finding names the field or key
            if finding["code"] != "missing":  # a key that is written somewhere has a line
                assert finding["line"] is not None, finding
        if finding["message"].startswith(("Geen geldige TOML", "Bestand is geen geldige UTF-8")):
            assert finding["line"] is not None, finding  # a syntax or encoding error has a line
    return findings


def check_validate_text(path: Path) -> None:
    """``validate`` (text) on ``path``: exit 0, 1 or 2 and every output line names the file, no controls."""
    code, out, err = run_main(["validate", str(path)])
    assert code in (0, 1, 2), (code, out, err)
    assert "Traceback" not in out + err
    for line in out.splitlines():
        if code:
            assert line.startswith(str(path)), line
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in line), repr(line)
