"""The values the rules read, as the engine sees them: the n.v.t. marker, a derived list that may be
incomplete, whether an answer is given, and how a value reads in a trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kwaliteitskader.core.model.values import UNKNOWN


@dataclass(frozen=True)
class Partial:
    """A derived list that may be incomplete because some answers it is built from are unknown."""

    items: tuple[str, ...]
    complete: bool


class _NotApplicable(str):
    """The value the engine reads for a question that does not apply: equal to no answer."""

    __slots__ = ()


NOT_APPLICABLE = _NotApplicable("n.v.t.")


def is_open(value: Any) -> bool:
    """Whether a value read makes a comparison on it unknown (no answer, or *onbekend*)."""
    return value is None or value == UNKNOWN


def answered(value: Any) -> bool:
    """Whether a question has an answer (not empty, not *onbekend*)."""
    return not (value is None or value == UNKNOWN or value == "")


def display(value: Any) -> str:
    """A value as the trace shows it: ids joined, unknowns as ``onbekend``."""
    if value is NOT_APPLICABLE:
        return "n.v.t."
    if isinstance(value, Partial):
        text = ", ".join(value.items) or "—"
        return text if value.complete else f"{text} (onvolledig)"
    if value is None:
        return "onbekend"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(getattr(value, "value", value))


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]
