"""Find the line of a key in a TOML text.

The TOML parser (:mod:`core.toml`) reports no positions of keys, and every finding must name a line. This is a small
scanner over the same text that records, for each dotted key path, the line where it is written:
table headers, ``[[array]]`` elements (by index), ``key = value`` lines, elements of multi-line arrays
and keys of inline tables. It never decides whether the text is valid TOML (the parser does that);
on text it does not understand it simply records less, and :meth:`LineIndex.line` falls back to the
nearest enclosing key that it did record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOKEN_LIMIT = 256
"""Longest element text recorded for :meth:`LineIndex.find_value` (ids are short); a bound, so that the nested
brackets of ``[[[[…`` do not each read the rest of the line."""
_TOKEN = re.compile(f"[\"' ]*([^\"',]{{0,{_TOKEN_LIMIT}}})")
"""An element's text: after any quotes and spaces, up to the next quote or comma."""


def _split_key(text: str) -> list[str] | None:
    """Split a dotted TOML key (``a."b.c".d``) into its parts; None if it is not a key."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            return None
        if text[i] in "\"'":
            quote = text[i]
            end = i + 1
            while end < n and text[end] != quote:
                end += 2 if (quote == '"' and text[end] == "\\") else 1
            if end >= n:
                return None
            part: str | None = text[i + 1 : end]
            if quote == '"' and "\\" in text[i + 1 : end]:
                part = _unescape(text[i : end + 1])
            if part is None:
                return None
            parts.append(part)
            i = end + 1
        else:
            match = _BARE.match(text, i)
            if not match:
                return None
            parts.append(match.group())
            i = match.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n:
            if text[i] != ".":
                return None
            i += 1
    return parts or None


def _unescape(quoted: str) -> str | None:
    """The value of a double-quoted TOML key with escapes (``"\\u00e9"`` is ``é``), as the parser reads it;
    without this, findings on such keys had no line."""
    from kwaliteitskader.core.toml import TomlError, loads

    try:
        value = loads(f"k = {quoted}")["k"]
    except TomlError:
        return None
    return value if isinstance(value, str) else None


def _closing(line: str, start: int, bracket: str) -> int:
    """Index of the ``]``/``]]`` that closes a table header, skipping brackets inside quoted names."""
    quote = ""
    i = start
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif line.startswith(bracket, i):
            return i
        i += 1
    return -1


def _find_equals(line: str) -> int:
    """Index of the ``=`` that ends a key at the start of ``line``, or -1."""
    quote = ""
    escaped = False
    for i, ch in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return i
        elif ch == "#":
            return -1
    return -1


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'[^']*'")
"""A one-line basic or literal string (what :func:`_closes_on_its_line` leaves out before counting brackets)."""


def _closes_on_its_line(rest: str) -> bool:
    """Whether the value that starts ``rest`` (the line after its ``=``) also ends on this line: with its
    strings and comment left out, every bracket it opens is closed. Then every key and element inside it is
    on this line, and :meth:`LineIndex.line` finds that line through the key itself: the value need not be
    scanned (a 5 MB one-line array would otherwise be walked character by character). A triple-quoted or
    unclosed string may go on: then no."""
    if '"""' in rest or "'''" in rest:
        return False
    bare = _STRING.sub("", rest)
    if '"' in bare or "'" in bare:
        return False
    bare = bare.split("#", 1)[0]
    return bare.count("[") + bare.count("{") == bare.count("]") + bare.count("}")


class LineIndex:
    """Maps key paths of one TOML text to 1-based line numbers."""

    _pending_inline_key: Path
    """The path of the inline-table key last seen (set while scanning a value; absent before)."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Path, int] = {}
        self._array_counts: dict[Path, int] = {}
        # Lines end at "\n" only (CRLF included), as in TOML and the parser's line numbers; str.splitlines()
        # would also break at U+0085, U+2028, \x1c-\x1e, \x0c, which TOML allows inside strings.
        self._scan([line.removesuffix("\r") for line in text.split("\n")])

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest recorded ancestor; None if nothing matches."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None

    def find_value(self, path: Sequence[str | int], value: str) -> int | None:
        """The line of the first element under ``path`` whose text mentions ``value``."""
        return self.lines.get((*tuple(path), "=" + value))

    # --- scanning ---------------------------------------------------------------------------

    def _record_with_parents(self, path: Path, lineno: int) -> None:
        """Record ``path`` and the tables it creates implicitly (``[a.b]`` and ``a.b = 1`` create ``a``):
        a finding about such a table then points at its first mention instead of having no line."""
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], lineno)

    def _resolve_header(self, parts: list[str]) -> Path:
        """Turn a header's names into a path, inserting the current index of enclosing arrays."""
        path: list[str | int] = []
        for part in parts:
            path.append(part)
            count = self._array_counts.get(tuple(path))
            if count is not None:
                path.append(count - 1)
        return tuple(path)

    def _scan(self, lines: list[str]) -> None:
        table: Path = ()
        i = 0
        while i < len(lines):
            raw = lines[i]
            stripped = raw.strip()
            lineno = i + 1
            i += 1
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("[["):
                end = _closing(stripped, 2, "]]")
                parts = _split_key(stripped[2:end]) if end > 0 else None
                if parts:
                    name_path = (*self._resolve_header(parts[:-1]), parts[-1])
                    count = self._array_counts.get(name_path, 0)
                    self._array_counts[name_path] = count + 1
                    self.lines.setdefault(name_path, lineno)
                    table = (*name_path, count)
                    self.lines[table] = lineno
                continue
            if stripped.startswith("["):
                end = _closing(stripped, 1, "]")
                parts = _split_key(stripped[1:end]) if end > 0 else None
                if parts:
                    table = self._resolve_header(parts)
                    self._record_with_parents(table, lineno)
                continue
            eq = _find_equals(stripped)
            if eq <= 0:
                continue
            parts = _split_key(stripped[:eq])
            if not parts:
                continue
            path = (*table, *parts)
            self._record_with_parents(path, lineno)
            start = eq + (len(raw) - len(raw.lstrip())) + 1
            if _closes_on_its_line(raw[start:]):
                continue  # all of it on this line: found through ``path``
            consumed = self._scan_value(path, lines, i - 1, start)
            i = max(i, consumed)

    def _scan_value(self, path: Path, lines: list[str], row: int, col: int) -> int:
        """Record positions inside a value (arrays, inline tables); return the next line to scan."""
        scan = _ValueScan(self, path, col)
        r, c = row, col
        while r < len(lines):
            text = lines[r]
            while c < len(text):
                if scan.quote:
                    c = scan.in_string(text, c)
                    continue
                ch = text[c]
                if ch == "#":
                    break
                if ch in "\"'":
                    c = scan.open_string(text, c, r + 1)
                    continue
                if scan.structure(ch, text, c, r + 1):
                    return r + 1  # the value's last bracket
                c += 1
            if not scan.stack and not scan.quote:
                return r + 1
            r += 1
            c = 0
            if scan.stack and scan.stack[-1][1] == -1:
                scan.key_start = 0
        return r

    def _current(self, stack: list[tuple[Path, int]], path: Path) -> Path:
        if not stack:
            return path
        container, index = stack[-1]
        if index >= 0:
            return (*container, index)
        return getattr(self, "_pending_inline_key", container)

    def _element(self, stack: list[tuple[Path, int]], lineno: int, text: str, col: int) -> None:
        """Record an array element's line, and the line of its text (up to a quote or comma) for
        :meth:`find_value`. The text is matched in place, never sliced off the rest of the line: an element
        costs the length of its own text, so a long one-line array is scanned in time linear in its size."""
        container, index = stack[-1]
        self.lines.setdefault((*container, index), lineno)
        match = _TOKEN.match(text, col)  # always matches (it may match nothing)
        token = match.group(1).strip() if match else ""
        if token and match and match.end(1) - match.start(1) < _TOKEN_LIMIT:  # a longer text is no id
            self.lines.setdefault((*container, "=" + token), lineno)


_BASIC_BODY = re.compile(r'(?:[^"\\]|\\.)*')
"""The rest of a basic string on its line: anything but a quote or backslash, or an escaped character."""


class _ValueScan:
    """The state of :meth:`LineIndex._scan_value` over one value: the open arrays and inline tables (container
    path and element index; -1 for a table), the string it is in, whether the current element has started,
    and where the current inline-table key starts."""

    def __init__(self, index: LineIndex, path: Path, col: int) -> None:
        self.index = index
        self.path = path
        self.stack: list[tuple[Path, int]] = []
        self.quote = ""
        self.triple = False
        self.element_started = False
        self.key_start = col

    def in_string(self, text: str, c: int) -> int:
        """Inside a string: the column after it ends on this line, or the line's end if it goes on. Found in
        one step (``find``, a regular expression), not character by character."""
        quote = self.quote
        if self.triple:  # no escapes count here: the first three quotes end it
            end = text.find(quote * 3, c)
            if end < 0:
                return len(text)
            self.quote, self.triple = "", False
            return end + 3
        if quote == "'":  # a literal string: no escapes
            end = text.find("'", c)
        else:
            match = _BASIC_BODY.match(text, c)
            end = match.end() if match else c
            if end < len(text) and text[end] == "\\":  # a backslash that ends the line
                return end + 2
        if end < 0 or end >= len(text):
            return len(text)
        self.quote = ""
        return end + 1

    def open_string(self, text: str, c: int, lineno: int) -> int:
        """A string starts at ``c`` (an element, if it is in an array); the column after its quotes."""
        ch = text[c]
        if text.startswith(ch * 3, c):
            self.quote, self.triple = ch, True
            c += 3
        else:
            self.quote = ch
            c += 1
        self._element_starts(text, c, lineno)
        return c

    def _in_array(self) -> bool:
        return bool(self.stack) and self.stack[-1][1] >= 0

    def _element_starts(self, text: str, c: int, lineno: int) -> None:
        if self._in_array() and not self.element_started:
            self.index._element(self.stack, lineno, text, c)
            self.element_started = True

    def structure(self, ch: str, text: str, c: int, lineno: int) -> bool:
        """A character outside strings and comments; True when it closes the value."""
        if ch in "[{":
            self._element_starts(text, c, lineno)
            container = self.index._current(self.stack, self.path)
            self.stack.append((container, 0 if ch == "[" else -1))
            self.element_started = ch == "{"
            if ch == "{":
                self.key_start = c + 1
        elif ch in "]}":
            if self.stack:
                self.stack.pop()
            self.element_started = True
            return not self.stack
        elif ch == ",":
            self._next(c)
        elif ch == "=" and self.stack and self.stack[-1][1] == -1:
            self._inline_key(text, c, lineno)
        elif ch not in " \t":
            self._element_starts(text, c, lineno)
        return False

    def _next(self, c: int) -> None:
        """A comma: the next element of an array, or the next key of an inline table."""
        if self._in_array():
            container, index = self.stack[-1]
            self.stack[-1] = (container, index + 1)
            self.element_started = False
        elif self.stack:
            self.key_start = c + 1

    def _inline_key(self, text: str, c: int, lineno: int) -> None:
        parts = _split_key(text[self.key_start : c])
        if parts:
            table = self.stack[-1][0]
            self.index.lines.setdefault((*table, *parts), lineno)
            self.index._pending_inline_key = (*table, *parts)


class LazyLineIndex(LineIndex):
    """A :class:`LineIndex` that scans its text only when a line is first asked for (most files have no
    findings, and then no line is ever needed: docs/performance.md)."""

    def __init__(self, text: str) -> None:  # the scan is deferred, see __getattr__
        self._text = text

    def __getattr__(self, name: str) -> Any:
        if name in ("lines", "_array_counts"):
            LineIndex.__init__(self, self._text)
            return self.__dict__[name]
        raise AttributeError(name)


def lines_of(text: str) -> LineIndex:
    return LineIndex(text)


def dotted(path: Iterable[str | int]) -> str:
    """``("rules", 3, "when")`` → ``rules[3].when``; a key TOML cannot write bare (empty, a space, an
    accent…) is quoted as TOML writes it (``["a b"]`` → ``"a b"``, ``[""]`` → ``""``), so a finding always
    names a key the reader can find in the file. Control characters stay as they are: the output shows
    them visibly (as everywhere)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE.fullmatch(part) else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            out += ("." if out else "") + key
    return out
