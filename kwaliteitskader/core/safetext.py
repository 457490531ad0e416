"""One sanitiser for text from files wherever it meets a terminal, a Textual widget, Markdown, HTML or JSON.

Assessments and criteria files come from other people. A name such as ``"\\x1b]0;hacked\\x07"`` or
``"\\x1b[2J"`` would, printed as is, retitle or clear the user's terminal (also when a Textual widget draws
it: Textual passes the characters on), an OSC 8 sequence makes a hidden link, a NUL or BEL ends up in a
report, and a carriage return or a bidirectional override (U+202E) can make a line look like something
else. Every such character is shown, never obeyed:

- :func:`terminal_safe` turns each one into a visible escape (``\\x1b``, ``\\u202e``): for the CLI, for
  Markdown and HTML reports and exports, and for read-only widgets (labels, tables, notifications);
- :func:`control_pictures` shows each one as one visible stand-in character (``␛`` for ESC, ``�`` for a
  bidi override), so that an editable field keeps its exact value and its cursor positions;
- :func:`json_safe` escapes, in JSON text, what ``json.dumps(ensure_ascii=False)`` leaves raw (DEL, C1
  controls, bidi, line separators) as ``\\uXXXX``: the JSON still parses to the exact value.

Rich markup (``[bold]``) is not this module's concern: the CLI prints plain text, and widgets are given
:class:`rich.text.Text` or ``markup=False``.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some terminals),
# bidirectional marks (the Arabic letter mark U+061C too)/embeddings/overrides/isolates and the Unicode
# line/paragraph separators.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control characters shown as escapes; with ``one_line`` also newlines and tabs.

    Most texts hold none: when every character but the newlines is printable (``str.isprintable``, false for
    every character escaped here and for a few more, such as a tab), the text is returned as it is, found in
    one pass instead of the pattern's slower scan."""
    if (text if one_line else text.replace("\n", "")).isprintable():
        return text
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_escape, text)


def is_safe(text: str, *, one_line: bool = False) -> bool:
    """Whether ``text`` holds nothing :func:`terminal_safe` would change."""
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).search(text) is None


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Unicode "control pictures"
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def control_pictures(text: str, *, one_line: bool = True) -> str:
    """``text`` with every control, bidi or separator character (with ``one_line`` also newline and tab)
    replaced by one visible character: the same length, so an editor's cursor positions stay right."""
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_picture, text)


def strip_unsafe(text: str) -> str:
    """``text`` without any control, bidi or separator character (newline and tab too)."""
    return _UNSAFE_ONE_LINE.sub("", text)


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters it leaves raw escaped."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
