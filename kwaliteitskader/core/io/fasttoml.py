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
expression engine (C) does all the checking, while Python objects made per match (match objects, ``group``
calls, even each group of the tuple) cost more than the checking — hence few groups, and blank lines taken
along with the next statement. A value that is a string without escapes — most of them — comes out of the
match as is; any other value comes out as its (checked) text and :func:`_value` converts it. Compared with
reading line by line (a ``fullmatch`` per line and another per value) this takes about a third of the
time; ``tomllib`` takes eight to ten times as long.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Pieces of _STATEMENT. They match no control character except tab, and a newline only where a line ends.
# Repeats are possessive (*+) wherever what follows cannot start with what they repeat: the same matches,
# without the engine keeping track of ways to give back.
_SPACE = r"[ \t]*+"
_NAME = r"[A-Za-z0-9_-]++"  # a bare key or table name
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*+'  # the contents of a basic string without escapes
_ESCAPED = rf'{_PLAIN}(?:\\[btnfr"\\]{_PLAIN})*+'  # … with only the one-letter escapes
_BASIC = f'"{_ESCAPED}"'
_OTHER_VALUES = [  # any value but a string without escapes, most frequent first; no groups
    rf"\[{_SPACE}\n(?:{_SPACE}{_BASIC}{_SPACE},{_SPACE}\n)*+(?:{_SPACE}{_BASIC}{_SPACE}\n)?{_SPACE}\]",  # as tomli_w writes
    r"-?(?:0|[1-9][0-9]{0,17})(?![0-9.])",  # an integer
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}",  # a date
    rf"\[{_SPACE}(?:{_BASIC}{_SPACE},{_SPACE})*+(?:{_BASIC}{_SPACE})?\]",  # an array on one line: [], ["a", "b"]
    r"true|false",
    r"-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17}",  # a decimal
    rf"\{{{_SPACE}(?:{_NAME}{_SPACE}={_SPACE}{_BASIC}{_SPACE},{_SPACE})*+{_NAME}{_SPACE}={_SPACE}{_BASIC}{_SPACE}\}}",  # { nl = "…" }
    _BASIC,  # a string with escapes
    r"'[^'\x00-\x08\x0a-\x1f\x7f]*+'",  # a literal string
]
_STATEMENT = re.compile(  # six groups: findall makes each of them for every statement
    rf"\n*+{_SPACE}(?:"  # any empty lines first: one match less each
    rf'(?P<key>{_NAME}|"{_PLAIN}")'  # a quoted key with its quotes ("" is a key too); "a.b": one key, as in the catalogues
    rf'{_SPACE}={_SPACE}(?:"(?P<string>{_PLAIN})"|(?P<other>{"|".join(_OTHER_VALUES)}))'
    rf"|\[{_SPACE}(?P<header>{_NAME}){_SPACE}\]"
    rf"|\[\[{_SPACE}(?P<array_header>{_NAME}){_SPACE}\]\]"
    r"|#[^\x00-\x08\x0a-\x1f\x7f]*+"
    rf"|){_SPACE}(?:\n|\Z)"  # (an empty alternative costs less than making the group optional)
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
    """The value of a checked ``other`` group, told apart by its first character (most frequent first)."""
    first = text[0]
    if first == "[":
        if "\\" in text:
            return [_unescape(item) for item in _STRING.findall(text)]
        return text.split('"')[1::2]  # no escapes, so no quote inside a string: every other piece is one
    if first in "-0123456789":
        if text[4:5] == "-":  # an integer has no "-" there
            return dt.date.fromisoformat(text)  # ValueError if there is no such day: not plain
        return float(text) if "." in text else int(text)
    if first == "t":
        return True
    if first == "f":
        return False
    if first == '"':
        return _unescape(text[1:-1])
    if first == "'":
        return text[1:-1]
    pairs: list[tuple[str, str]] = _PAIR.findall(text)  # { nl = "…", en = "…" }
    table = {key: _unescape(value) for key, value in pairs}
    if len(table) != len(pairs):
        raise _NotPlain
    return table


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
    for key, string, other, header, array_header, bad in statements:
        if key:
            if key[0] == '"':
                key = key[1:-1]
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
