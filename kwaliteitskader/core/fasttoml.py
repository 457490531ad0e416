"""A fast reader for the plain TOML that assessments are written in; :mod:`tomllib` decides everything else.

``tomllib`` is pure Python and, for a typical assessment, costs more than judging it (docs/performance.md).
Saved assessments (and the message catalogues and criteria files) use a small part of TOML: ``[section]``
and ``[[array]]`` headers, ``key = value`` lines (bare or simply quoted keys) with simple strings, integers,
decimals, booleans and dates, arrays of simple strings (one per line, as ``tomli_w`` writes them, or on one
line) and one-line tables of simple strings (``{ nl = "…", en = "…" }``). :func:`loads` reads exactly
that part and returns ``None`` the moment it meets anything else — other escapes, comments after a value,
dotted keys, multi-line strings, numbers with underscores, a repeated key or table, a carriage return, a
control character — so that the caller uses ``tomllib``, which then also produces the error message. For
the text it does accept it returns exactly what ``tomllib.loads`` returns (tests compare the two, also on
thousands of mutated files).

How, and why so: one regular expression, :data:`_STATEMENT`, checks one whole statement per match — a
blank or comment line, a header, or a ``key = value`` line including, for an array written one element
per line, all its lines up to the closing ``]``. Its last alternative, ``bad``, matches whatever no
statement matches, so the matches of ``findall`` tile the text and one ``bad`` match means "not plain";
control characters (and so carriage returns) appear in none of the other alternatives. ``findall`` gives
each statement as a tuple of its groups, and Python does one small step per statement: the regular
expression engine (C) does all the checking, and making Python objects per match (match objects,
``group`` calls) costs more than the checking. A value that is a string without escapes — most of them —
comes out of the match as is; any other value comes out as its (checked) text and :func:`_value` converts
it. Compared with reading line by line (a ``fullmatch`` per line and another per value) this takes about
half the time; ``tomllib`` takes several times as long.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Pieces of _STATEMENT. They match no control character except tab, and a newline only where a line ends.
_NAME = r"[A-Za-z0-9_-]+"  # a bare key or table name
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'  # the contents of a basic string without escapes
_ESCAPED = rf'{_PLAIN}(?:\\[btnfr"\\]{_PLAIN})*'  # … with only the one-letter escapes
_BASIC = f'"{_ESCAPED}"'
_OTHER_VALUES = [  # any value but a string without escapes, most frequent first; no groups
    rf"\[[ \t]*\n(?:[ \t]*{_BASIC}[ \t]*,[ \t]*\n)*(?:[ \t]*{_BASIC}[ \t]*\n)?[ \t]*\]",  # an array as tomli_w writes it
    r"-?(?:0|[1-9][0-9]{0,17})(?![0-9.])",  # an integer
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}",  # a date
    rf"\[[ \t]*(?:{_BASIC}[ \t]*,[ \t]*)*(?:{_BASIC}[ \t]*)?\]",  # an array on one line: [], ["a", "b"]
    r"true|false",
    r"-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17}",  # a decimal
    rf"\{{[ \t]*(?:{_NAME}[ \t]*=[ \t]*{_BASIC}[ \t]*,[ \t]*)*{_NAME}[ \t]*=[ \t]*{_BASIC}[ \t]*\}}",  # { nl = "…" }
    _BASIC,  # a string with escapes
    r"'[^'\x00-\x08\x0a-\x1f\x7f]*'",  # a literal string
]
_STATEMENT = re.compile(
    r"\n*[ \t]*(?:"  # any empty lines first: one match less each
    rf'(?:(?P<key>{_NAME})|(?P<quoted_key>"{_PLAIN}"))'  # "a.b" = …: one key, as the message catalogues write them
    rf'[ \t]*=[ \t]*(?:"(?P<string>{_PLAIN})"|(?P<other>{"|".join(_OTHER_VALUES)}))'
    rf"|\[[ \t]*(?P<header>{_NAME})[ \t]*\]"
    rf"|\[\[[ \t]*(?P<array_header>{_NAME})[ \t]*\]\]"
    r"|#[^\x00-\x08\x0a-\x1f\x7f]*"
    r")?[ \t]*(?:\n|\Z)"
    r"|(?P<bad>[^\n]*\n?)"  # anything else (never empty: at the very end the empty statement matches)
)
_STRING = re.compile(rf'"({_ESCAPED})"')  # each string in a checked array
_PAIR = re.compile(rf'({_NAME})[ \t]*=[ \t]*"({_ESCAPED})"')  # each pair in a checked one-line table
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _NotPlain(ValueError):
    """Checked text that tomllib reads otherwise or refuses: a key repeated in a one-line table."""


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], text) if "\\" in text else text


def _value(text: str) -> Any:
    """The value of a checked ``other`` group: each kind starts, or is told apart, by its own character."""
    first = text[0]
    if first == "[":
        items: list[str] = _STRING.findall(text)
        return [_unescape(item) for item in items] if "\\" in text else items
    if first == '"':
        return _unescape(text[1:-1])
    if first == "'":
        return text[1:-1]
    if first == "{":
        pairs: list[tuple[str, str]] = _PAIR.findall(text)
        table = {key: _unescape(value) for key, value in pairs}
        if len(table) != len(pairs):
            raise _NotPlain
        return table
    if first == "t":
        return True
    if first == "f":
        return False
    if "." in text:
        return float(text)
    if "-" in text[1:]:
        return dt.date.fromisoformat(text)  # ValueError if there is no such day: not plain
    return int(text)


def loads(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for plain assessment TOML; ``None`` for anything else (use tomllib then)."""
    try:
        return _parse(_STATEMENT.findall(text))
    except ValueError:  # _NotPlain, or a date that does not exist
        return None


def _parse(statements: list[tuple[str, ...]]) -> dict[str, Any] | None:
    root: dict[str, Any] = {}
    table = root
    arrays: set[str] = set()  # names made by [[name]]: only those may take another [[name]]
    for key, quoted_key, string, other, header, array_header, bad in statements:
        if key or quoted_key:  # a quoted key is matched with its quotes: "" = … is a key too
            if quoted_key:
                key = quoted_key[1:-1]
            if key in table:
                return None  # tomllib reports it
            table[key] = _value(other) if other else string  # other is never empty, string may be
        elif header:
            if header in root:
                return None  # a table defined twice, or over a key: tomllib reports it
            table = root[header] = {}
        elif array_header:
            if array_header in root and array_header not in arrays:
                return None
            arrays.add(array_header)
            table = {}
            root.setdefault(array_header, []).append(table)
        elif bad:
            return None
    return root
