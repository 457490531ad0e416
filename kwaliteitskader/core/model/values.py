"""Answer values shared by the models, the engine and the fast CLI path, without importing pydantic.

Kept apart from :mod:`.assessment` (the pydantic models) so that ``kwaliteitskader classify`` can evaluate assessments without
paying for pydantic's import; :mod:`.assessment` re-exports every name here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

UNKNOWN = "onbekend"


class Tri(StrEnum):
    """A yes/no question that a person may not be able to answer."""

    JA = "ja"
    NEE = "nee"
    ONBEKEND = "onbekend"


def get_path(assessment: Any, path: str) -> Any:
    """Read a dotted path such as ``delivery.trained_staff`` or ``harm_signals.afschrikking``."""
    section, _, name = path.partition(".")
    if section == "harm_signals":
        return assessment.harm_signals.get(name, Tri.ONBEKEND)
    return getattr(getattr(assessment, section), name)


def is_unknown(value: Any) -> bool:
    return value is None or value == UNKNOWN


class ConditionShape:
    """What a condition is made of, shared by the criteria model and the fast path's light record."""

    if TYPE_CHECKING:  # for the type checker only: at run time pydantic would take these for its fields
        field: str | None
        count: str | None
        years_since: str | None
        all: list[str] | None
        any: list[str] | None
        not_: str | None

    @property
    def children(self) -> list[str]:
        if self.all is not None:
            return list(self.all)
        if self.any is not None:
            return list(self.any)
        return [self.not_] if self.not_ is not None else []

    @property
    def is_atom(self) -> bool:
        return self.field is not None or self.count is not None or getattr(self, "years_since", None) is not None
