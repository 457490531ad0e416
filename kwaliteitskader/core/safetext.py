"""Show user text literally on a terminal.

Assessments and criteria files come from other people. A name such as ``"\\x1b]0;hacked\\x07"`` or
``"\\x1b[2J"`` would, printed as is, retitle or clear the user's terminal, and a carriage return or a
bidirectional override (U+202E) can make a line look like something else. :func:`terminal_safe` turns
every such character into a visible escape (``\\x1b``, ``\\u202e``) so the text is shown, never obeyed.
Rich markup (``[bold]``) needs no treatment here: the CLI prints plain text, never through Rich.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some terminals),
# bidirectional embeddings/overrides/isolates and the Unicode line/paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control characters shown as escapes; with ``one_line`` also newlines and tabs."""
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_escape, text)
