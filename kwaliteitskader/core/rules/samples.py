"""The answers the range search tries for one question, and the ways they make its comparisons come out.

A question is searched through a few sample answers, not every possible one: every value of a yes/no or
choice question, and for numbers and lists the values around each threshold its comparisons use (their
operator's ``nearby``). Sample answers that give the comparisons the same truths are one *signature*: the
search tries each signature once. Worked out once per plan (:attr:`.plan.Plan.signatures`); this module reads
only the comparisons it is given, never the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from kwaliteitskader.core.rules.operators import Operator
from kwaliteitskader.core.rules.values import as_list
from kwaliteitskader.core.rules.verdict import Truth

Signature = tuple[tuple[Truth, ...], tuple[Any, ...]]
"""The truths an answer gives the comparisons reading its question, and the sample answers that give them."""


class Compared(Protocol):
    """What is read of each comparison of the question (a :class:`.plan.Comparison`)."""

    @property
    def op(self) -> Operator: ...

    @property
    def expected(self) -> Any: ...

    def truth(self, value: Any) -> Truth: ...


def signatures(path: str, comparisons: Sequence[Compared], catalogues: Mapping[str, Mapping[str, Any]]) -> list[Signature]:
    """The ways an answer to ``path`` can make ``comparisons`` (those reading it) come out: ``(their truths,
    answers that give them)``, in the order the sample answers first give them (unknown outcomes left out).
    ``catalogues``: the criteria's lists of choices (a list question's items)."""
    groups: dict[tuple[Truth, ...], list[Any]] = {}
    for value in samples(path, comparisons, catalogues):
        sig = tuple(c.truth(value) for c in comparisons)
        if Truth.UNKNOWN not in sig:
            groups.setdefault(sig, []).append(value)
    return [(sig, tuple(values)) for sig, values in groups.items()]


def samples(path: str, comparisons: Sequence[Compared], catalogues: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """The answers the range search tries for ``path``: every value of a yes/no or choice question, and for
    numbers and lists the values around each threshold its comparisons use (their operator's ``nearby``)."""
    from kwaliteitskader.core.model.fields_table import CATALOGUE_FIELDS, SECTIONS

    section, _, name = path.partition(".")
    if section == "harm_signals":
        return ["ja", "nee"]
    kind, _default, low, high = SECTIONS.get(section, {}).get(name, ("str", None, None, None))
    catalogue = list(catalogues.get(CATALOGUE_FIELDS.get(path, ""), {}))
    thresholds = [(e, c.op.nearby) for c in comparisons for e in as_list(c.expected)
                  if isinstance(e, int | float) and not isinstance(e, bool)]
    if kind == "tri":
        return ["ja", "nee"]
    if kind in ("int", "float"):
        low_end = low if low is not None else min([0, *(t for t, _d in thresholds)]) - 1
        high_end = high if high is not None else max([0, *(t for t, _d in thresholds)]) + 1
        points = {low_end, high_end} | {t + d for t, nearby in thresholds for d in nearby}
        return sorted(p for p in points if low_end <= p <= high_end)
    if kind == "list":
        sizes = {0, len(catalogue)} | {int(t) + d for t, nearby in thresholds for d in nearby}
        lists: list[Any] = [catalogue[:k] for k in sorted(sizes) if 0 <= k <= len(catalogue)]
        for comparison in comparisons:
            if comparison.op.name == "contains":
                value = str(comparison.expected)
                lists += [[value], [c for c in catalogue if c != value]]
        return lists
    if catalogue:
        return catalogue
    mentioned = [str(e) for c in comparisons for e in as_list(c.expected)]
    return [*dict.fromkeys(mentioned), "\u0000"]  # a text: one of the values compared with, or another
