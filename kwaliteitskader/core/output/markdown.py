"""The one Markdown escaper of every Markdown output (the assessment report, the portfolio report)."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"[\\`*\[\]~|]|(?<!\w)_|_(?!\w)")
_MD_BLOCK_START = re.compile(r"^(\d*)([#+\-.)])(?=\s|#|$)")


def md_escape(text: str) -> str:
    """Plain text as literal Markdown, on one line and safe in a table cell: no HTML, emphasis, code, links,
    table bars or (Rich) markup brackets, and no heading or list when it starts a line. Intra-word underscores
    (``study_design``) stay readable."""
    flat = html.escape(" ".join(str(text).split()), quote=False)
    flat = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
    return _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)
