"""Why a value or a file is wrong, in the user's language: pydantic's error types and the TOML reader's
messages put into our own words.

pydantic explains a wrong value in English ("Input should be a valid integer, unable to parse string as
an integer"). Every finding reaches a user in Dutch or English, so each error type a TOML file can cause
has its own message in the catalogue (``reason.pydantic.<type>``), filled from the error's context (a
bound, the allowed values). A type without a message of its own gets a general one that names no
pydantic text; in English pydantic's own message is shown then, as it is English already.
"""

from __future__ import annotations

import re
from typing import Any

from kwaliteitskader.core.i18n import catalogue, language, t

_QUOTED = re.compile(r"'([^']*)'")


def _expected(ctx: dict[str, Any], lang: str) -> str:
    """pydantic's ``'ja', 'nee' or 'onbekend'`` as ``"ja", "nee" of "onbekend"`` in the user's language."""
    values = _QUOTED.findall(str(ctx.get("expected", "")))
    if not values:
        return str(ctx.get("expected", ""))
    quoted = [f'"{value}"' for value in values]
    if len(quoted) == 1:
        return quoted[0]
    return t("reason.pydantic.or", lang=lang, first=", ".join(quoted[:-1]), last=quoted[-1])


def pydantic_reason(error: Any, lang: str | None = None) -> str:
    """The reason of one pydantic error (``ValidationError.errors()`` item) in the user's language."""
    lang = lang or language()
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    key = f"reason.pydantic.{kind}"
    if key not in catalogue(lang) and key not in catalogue("nl"):
        return str(error.get("msg", "")) if lang == "en" else t("reason.pydantic.other", lang=lang)
    values = {name: value for name, value in ctx.items() if isinstance(value, str | int | float)}
    values["expected"] = _expected(ctx, lang)
    return t(key, lang=lang, **values)


TOML_REASONS: tuple[tuple[str, str], ...] = (
    ("string values must be quoted", "unquoted"),
    ("invalid basic string", "unclosed_string"),
    ("invalid literal string", "unclosed_string"),
    ("duplicate key", "duplicate"),
    ("key with no value", "no_value"),
    ("unclosed array", "unclosed_array"),
    ("missing comma between array elements", "comma"),
    ("unclosed inline table", "unclosed_inline_table"),
    ("unclosed table", "unclosed_table"),
    ("unexpected key or value", "one_per_line"),
    ("invalid date", "date"),
    ("invalid boolean", "boolean"),
    ("missing escaped value", "escape"),
    ("unquoted keys cannot be empty", "empty_key"),
    ("invalid fraction", "number"),
)
"""The TOML reader's message (its start) → our message key ``reason.toml.<key>``: the mistakes people make
when they type a file by hand (the questionnaire of ``new``)."""


def toml_reason(reason: str, lang: str | None = None) -> str:
    """The TOML reader's reason in the user's language; in Dutch an unknown one is named as the reader's own."""
    lang = lang or language()
    for start, key in TOML_REASONS:
        if reason.startswith(start):
            return t(f"reason.toml.{key}", lang=lang)
    return reason if lang == "en" else t("reason.toml.other", lang=lang, reason=reason)
