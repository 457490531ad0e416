"""Dutch-first message catalogue for everything the program says (CLI, findings, reports, TUI).

Messages live in ``kwaliteitskader/locale/<lang>/<area>.toml`` (one file per product area:
``cli``, ``criteria``, ``assessments``, ``verdict``, ``report``, ``portfolio``, ``compare_view``, ``app``,
``wizard``, ``serve``) as flat ``key = "text {placeholder}"`` entries; all files of a language are merged.
A TOML catalogue is simpler than gettext here: two languages, no plural forms that
``str.format`` cannot handle, and the same reader (:mod:`core.toml`) the rest of the program uses.
The language is chosen by ``set_language`` (``--lang``), else ``KWALITEITSKADER_LANG``, else Dutch.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from kwaliteitskader.core.toml import loads

LANGUAGES = ("nl", "en")
_LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_language: str | None = None


def set_language(language: str | None) -> None:
    global _language
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language


def language() -> str:
    if _language:
        return _language
    env = os.environ.get("KWALITEITSKADER_LANG", "").strip().lower()[:2]
    return env if env in LANGUAGES else "nl"


@cache
def catalogue(lang: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for file in sorted((_LOCALE_DIR / lang).glob("*.toml")):
        text = file.read_bytes().decode()
        messages.update({str(k): str(v) for k, v in loads(text).items()})
    return messages


def messages_digest() -> str:
    """A digest of every message catalogue, in every language (a missing message falls back to another): a
    text kept for later that was made from our messages is only reused while this is the same."""
    from kwaliteitskader.core.hashes import blake2b  # not at import: most commands need no digest

    sha = blake2b()
    for source in sorted(_LOCALE_DIR.rglob("*.toml")):
        sha.update(str(source.relative_to(_LOCALE_DIR)).encode() + b"\0" + source.read_bytes() + b"\0")
    return sha.hexdigest()


def t(key: str, /, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in the current (or given) language, with ``{placeholders}`` filled."""
    lang = lang or language()
    text = catalogue(lang).get(key) or catalogue("nl").get(key) or key
    return text.format(**values) if values else text


def tn(key: str, count: int, /, lang: str | None = None, **values: object) -> str:
    """Singular or plural: ``key.one`` when ``count`` is 1, else ``key.other`` (``{count}`` is filled in).

    Dutch and English both need just these two forms; "vraag/vragen" and "antwoord(en)" read as
    placeholders to a user."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", lang=lang, count=count, **values)


def pick(text: dict[str, str] | object, lang: str | None = None) -> str:
    """Choose the current language from a bilingual criteria text (``{nl = …, en = …}``)."""
    lang = lang or language()
    nl = getattr(text, "nl", None)
    if nl is not None:
        return str(getattr(text, lang, None) or nl)
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("nl") or "")
    return str(text)
