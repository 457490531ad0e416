"""Why a value is wrong, in the user's language: pydantic's error types put into our own words.

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
