"""Reading TOML: the one parser of the program (criteria, assessments, message catalogues, key helpers).

The parser is `rtoml <https://github.com/samuelcolvin/rtoml>`_ (Rust, the ``toml`` crate). It reads
TOML 1.1 and is the fastest of the maintained readers on our files (faster than the compiled ``tomli``
and than the standard library's ``tomllib``). Writing stays with
``tomli_w``, which writes TOML 1.0 (a subset of what is read here).

:func:`loads` returns plain data (``dict``/``list``/``str``/``int``/``float``/``bool`` and
``datetime``/``date``/``time``) or raises :class:`TomlError`, which carries the parser's reason and the
line and column (1-based) where reading stopped.
"""

from __future__ import annotations

import re
from typing import Any

import rtoml

PARSER = "rtoml"
"""The name of the parser; with :data:`PARSER_VERSION` part of the criteria cache key."""


PARSER_VERSION: str = rtoml.__version__
"""The installed parser's version."""


class TomlError(ValueError):
    """The text is not TOML that the parser accepts.

    ``reason`` is the parser's message without the position; ``line`` and ``column`` (1-based, counted in
    characters, lines end at ``\\n``) say where reading stopped, or are None if the parser did not say."""

    def __init__(self, reason: str, line: int | None, column: int | None) -> None:
        where = f" (at line {line}, column {column})" if line is not None else ""
        super().__init__(reason + where)
        self.reason = reason
        self.line = line
        self.column = column


class TomlTooDeep(TomlError):
    """Arrays or inline tables nested deeper than the parser allows (it stops instead of crashing)."""


# rtoml (the toml crate) ends every message with the position: "... at line 2 column 5"
_POSITION = re.compile(r"\s+at line (\d+) column (\d+)\s*\Z")


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; raise :class:`TomlError` with reason, line and column when it is not valid."""
    # rtoml skips a byte order mark at the start of the text; TOML does not allow one there (the file's
    # own BOM is removed when the bytes are decoded, so this is a second one). A space in front makes
    # rtoml refuse it as it refuses the character anywhere else; the column is then one too far.
    shift = 1 if text.startswith("\ufeff") else 0
    try:
        return rtoml.loads(" " + text if shift else text)
    except rtoml.TomlParsingError as exc:
        raise _error(str(exc), shift) from None


def _error(message: str, shift: int = 0) -> TomlError:
    found = _POSITION.search(message)
    reason = message[: found.start()] if found else message.strip()
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    if shift and line == 1 and column is not None:
        column = max(1, column - shift)
    kind = TomlTooDeep if "recursion" in reason else TomlError  # "cannot recurse further; max recursion depth met"
    return kind(reason, line, column)
