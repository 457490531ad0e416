"""A fast reader for the plain TOML that assessments are written in; :mod:`tomllib` decides everything else.

``tomllib`` is pure Python and, for a typical assessment, costs more than judging it (docs/performance.md).
Saved assessments (and the message catalogues and criteria files) use a small part of TOML: ``[section]``
and ``[[array]]`` headers, ``key = value`` lines (bare or simply quoted keys) with simple strings, integers,
decimals, booleans and dates, arrays of simple strings (one per line, as ``tomli_w`` writes them, or on one
line) and one-line tables of simple strings (``{ nl = "…", en = "…" }``). :func:`loads` reads exactly
that part, line by line with a few regular expressions, and returns ``None`` the moment it meets anything
else — other escapes, comments after a value, dotted keys, multi-line strings, numbers with underscores,
a repeated key or table, a carriage return, a control character — so that the caller uses ``tomllib``,
which then also produces the error message. For the text it does accept it returns exactly what
``tomllib.loads`` returns (tests compare the two, also on thousands of mutated files).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_NOT_PLAIN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # includes \r: CRLF files go to tomllib
_LINE = re.compile(
    r'[ \t]*(?:(?:(?P<key>[A-Za-z0-9_-]+)|"(?P<quoted>[^"\\]*)")[ \t]*=[ \t]*(?P<value>\S(?:.*\S)?)'
    r"|\[[ \t]*(?P<table>[A-Za-z0-9_-]+)[ \t]*\]|\[\[[ \t]*(?P<array>[A-Za-z0-9_-]+)[ \t]*\]\]|#.*)?[ \t]*"
)
_BASIC = r'"((?:[^"\\]|\\[btnfr"\\])*)"'  # a basic string with only the one-letter escapes
_STRING = re.compile(_BASIC)
_LITERAL = re.compile(r"'([^']*)'")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_INLINE_ARRAY = re.compile(rf"\[[ \t]*((?:{_BASIC}[ \t]*,[ \t]*)*(?:{_BASIC}[ \t]*)?)\]")
_ELEMENT = re.compile(rf"[ \t]*{_BASIC}[ \t]*(,?)[ \t]*")
_CLOSE = re.compile(r"[ \t]*\][ \t]*")
_PAIR = rf"([A-Za-z0-9_-]+)[ \t]*=[ \t]*{_BASIC}"
_INLINE_TABLE = re.compile(rf"\{{[ \t]*((?:{_PAIR}[ \t]*,[ \t]*)*{_PAIR})[ \t]*\}}")  # {{ nl = "…", en = "…" }}
_PAIRS = re.compile(_PAIR)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], text) if "\\" in text else text


class _NotPlain(Exception):
    pass


def _scalar(text: str) -> Any:
    first = text[0]  # every form below starts with its own kind of character: one pattern to try
    if first == '"':
        if match := _STRING.fullmatch(text):
            value: str = match.group(1)
            return _unescape(value) if "\\" in value else value
    elif first == "'":
        if match := _LITERAL.fullmatch(text):
            return match.group(1)
    elif first == "[":
        if match := _INLINE_ARRAY.fullmatch(text):
            return [_unescape(m.group(1)) for m in _STRING.finditer(match.group(1))]
    elif first == "{":
        if match := _INLINE_TABLE.fullmatch(text):
            table = {}
            for pair in _PAIRS.finditer(match.group(1)):
                if pair.group(1) in table:
                    raise _NotPlain
                table[pair.group(1)] = _unescape(pair.group(2))
            return table
    elif text == "true":
        return True
    elif text == "false":
        return False
    elif _INTEGER.fullmatch(text):
        return int(text)
    elif _DECIMAL.fullmatch(text):
        return float(text)
    elif match := _DATE.fullmatch(text):
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))  # ValueError: not plain
    raise _NotPlain


def loads(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for plain assessment TOML; ``None`` for anything else (use tomllib then)."""
    if _NOT_PLAIN.search(text):
        return None
    try:
        return _parse(text.split("\n"))
    except (_NotPlain, ValueError):
        return None


def _parse(lines: list[str]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    table = root
    arrays: set[str] = set()  # names made by [[name]]: only those may take another [[name]]
    i, n = 0, len(lines)
    while i < n:
        match = _LINE.fullmatch(lines[i])
        i += 1
        if match is None:
            raise _NotPlain
        key, quoted, value, name, array = match.groups()
        if key is None:
            key = quoted  # "a.b" = …: one key, as the message catalogues write them
        if key is None:
            if name is not None:
                if name in root:
                    raise _NotPlain  # a table defined twice, or over a key: tomllib reports it
                table = root[name] = {}
            elif array is not None:
                if array in root and array not in arrays:
                    raise _NotPlain
                arrays.add(array)
                table = {}
                root.setdefault(array, []).append(table)
            continue
        if key in table:
            raise _NotPlain
        if value == "[":
            items: list[str] = []
            comma = True
            while True:
                if i >= n:
                    raise _NotPlain
                line = lines[i]
                i += 1
                if _CLOSE.fullmatch(line):
                    break
                element = _ELEMENT.fullmatch(line)
                if element is None or not comma:
                    raise _NotPlain
                items.append(_unescape(element.group(1)))
                comma = element.group(2) == ","
            table[key] = items
        else:
            table[key] = _scalar(value)
    return root
