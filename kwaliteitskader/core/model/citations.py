"""Citations put into words: the short reference shown next to a rule, question or term, and the full
citation it expands to. Works on the models and on the cache's light records alike (no pydantic).

A criteria item's ``source`` is a list of citations (``ref``, optional ``at`` and ``quote``); ``ref`` is a
key of the criteria set's reference list. A design choice is shown as the program's own choice, with its
reason, never as a rule of the framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import t

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria


def short(citations: Iterable[Any] | None) -> str:
    """``hic-2024, voetnoot 15; kader-2024``: the keys with their places, as shown inline."""
    parts = []
    for cite in citations or ():
        at = getattr(cite, "at", None)
        parts.append(f"{cite.ref}, {at}" if at else str(cite.ref))
    return "; ".join(parts)


def keys(citations: Iterable[Any] | None) -> list[str]:
    """The reference keys cited, in order, each once."""
    return list(dict.fromkeys(str(cite.ref) for cite in citations or ()))


def full(criteria: Criteria, key: str) -> str:
    """The full citation of ``key`` with its DOI or official number (the key itself if unknown)."""
    ref = criteria.references.get(key)
    if ref is None:
        return key
    identifier = getattr(ref, "identifier", "")
    return f"{ref.citation} {identifier}".rstrip() if identifier and identifier not in ref.citation else str(ref.citation)


def expanded(criteria: Criteria, citations: Iterable[Any] | None, lang: str | None = None) -> list[str]:
    """One line per citation: the short reference, its quote if any, and the full citation."""
    lines = []
    for cite in citations or ():
        at = getattr(cite, "at", None)
        quote = getattr(cite, "quote", None)
        head = f"[{cite.ref}]" + (f" {at}" if at else "")
        if quote:
            head += f": “{quote}”"
        lines.append(f"{head} — {full(criteria, str(cite.ref))}")
    return lines


def design_text(item: Any, lang: str | None = None) -> str:
    """"ontwerpkeuze van dit programma: <reason>" for a design choice, else an empty string."""
    if not getattr(item, "design_choice", False):
        return ""
    reason = getattr(item, "design_reason", None)
    text = reason.get(lang or "nl") if reason is not None else ""
    return t("verdict.design_choice_reason", lang=lang, reason=text) if text else t("verdict.design_choice", lang=lang)


def reference_list(criteria: Criteria, used: Iterable[str]) -> list[tuple[str, str]]:
    """(key, full citation) for the keys used, in the order of the criteria set's reference list."""
    wanted = set(used)
    return [(key, full(criteria, key)) for key in criteria.references if key in wanted]
