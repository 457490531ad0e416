"""The verdict and its parts as plain data: what every screen, export and output reads.

Nothing here computes: :func:`kwaliteitskader.core.rules.evaluate.evaluate` fills a :class:`Verdict`, and the
explicit functions :func:`~kwaliteitskader.core.rules.steps.next_steps` ("Wat is er nodig?"),
:func:`~kwaliteitskader.core.rules.range.answer_outcomes` (what each answer to an open question leads to)
and :func:`~kwaliteitskader.core.rules.evaluate.rule_reasons` (the comparisons behind a rule) work out
the rest from a verdict and its criteria when they are shown.

Every record is a :class:`~typing.NamedTuple`: immutable, compared by value, ``_replace`` for a changed
copy. Not a frozen dataclass: those cost several times as much to define (every ``classify`` defines
these types at import) and to make (a bulk run makes thousands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria import Citation, Text


_NO_SETTINGS: Mapping[str, bool | int] = MappingProxyType({})


class Truth(StrEnum):
    """A condition's result in three-valued (Kleene) logic: an unknown answer makes it ``unknown``."""

    PASS = "pass"  # noqa: S105 - a truth value, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class ConditionTrace(NamedTuple):
    id: str
    label: Text
    result: Truth
    depth: int
    source: Sequence[Citation]
    design_choice: bool
    input: str = ""
    expected: str = ""
    fields: tuple[str, ...] = ()
    setting: str | None = None


class RuleTrace(NamedTuple):
    id: str
    label: Text
    explanation: Text
    class_: str
    advice: str
    result: Truth
    decided: bool
    source: Sequence[Citation]
    design_choice: bool
    conditions: tuple[ConditionTrace, ...] = ()


ACTOR_KINDS = {"gemeente": "actie", "aanbieder": "actie", "onderzoek": "onderzoek"}
"""The kind of step a change is, by who acts; an unknown answer is a step of kind ``beantwoord``."""


class Change(NamedTuple):
    """One step of an option: a condition that must change, or (``answer``) a missing answer to give.

    ``kind`` is ``actie`` (the municipality or the provider can do it), ``onderzoek`` (needs research)
    or ``beantwoord`` (answer a question that is still open); ``actor`` is who acts."""

    condition: str
    label: Text
    want: bool
    kind: str
    actor: str
    remedy: Text | None
    fields: tuple[str, ...]
    answer: bool


class NextStep(NamedTuple):
    """One option to reach ``class_``: all of ``changes`` together let rule ``rule`` decide."""

    class_: str
    rule: str
    changes: tuple[Change, ...]

    @property
    def needs_research(self) -> bool:
        return any(c.kind == "onderzoek" for c in self.changes)


class MissingAnswer(NamedTuple):
    """An open question whose answer matters: the classes it can still lead to (rank order, best first).

    ``advice_only`` when the class is already certain and the answer can only change the advice."""

    field: str
    could_lead_to: tuple[str, ...]
    advice_only: bool = False


class NoticeTrace(NamedTuple):
    """A remark of the criteria (``[[notices]]``) that holds for this assessment; it never changes the class."""

    id: str
    label: Text
    explanation: Text
    source: Sequence[Citation]
    design_choice: bool
    value: str = ""
    """The answer the notice shows (its ``show_field``), for example the reason a recognition was refused."""


Reason = tuple[str, Truth, Any]
"""``(comparison, result, value read)``: one comparison behind a rule's outcome."""


class Known:
    """The exact inputs of the range search and the option search besides the plan: the truth of every
    condition the rules and the applicability read (in the plan's order; the combinations follow from the
    comparisons), and for each question whose applicability is still open the truths its answer gives its
    comparisons when it applies.

    The searches' memos are keyed by it, so it is hashed once, when made, and never changed after."""

    __slots__ = ("_hash", "_results", "order", "pending", "truths")

    def __init__(self, order: tuple[str, ...], truths: tuple[Truth, ...],
                 pending: tuple[tuple[str, tuple[Truth, ...]], ...]) -> None:
        self.order, self.truths, self.pending = order, truths, pending
        self._hash = hash((order, truths, pending))
        self._results: Mapping[str, Truth] | None = None

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Known):
            return NotImplemented
        return (self.order, self.truths, self.pending) == (other.order, other.truths, other.pending)

    def __repr__(self) -> str:
        return f"Known(truths={self.truths!r}, pending={self.pending!r})"

    def results(self) -> Mapping[str, Truth]:
        """Every condition of the plan's order with its truth (made on first use, read-only)."""
        if self._results is None:
            self._results = dict(zip(self.order, self.truths, strict=True))
        return self._results


class Evaluation(NamedTuple):
    """What the evaluation of one assessment found, as plain data: enough for the steps and the answer
    outcomes to be worked out later without the assessment."""

    results: Mapping[str, Truth]
    """Every condition the rules, the questions' applicability and the notices read: its truth."""
    inputs: Mapping[str, Any]
    """Per comparison: the value it read (n.v.t. for a question that does not apply)."""
    open_answers: Mapping[str, tuple[str, ...]]
    """Per unknown comparison: the answers whose absence makes it unknown."""
    pending: Mapping[str, tuple[str, tuple[Truth, ...]]]
    """Per question whose applicability is still open: its ``applies_when`` condition, and the truths its
    answer gives its comparisons when it does apply."""
    known: Known
    """The same truths as the searches' key."""


class Decision(NamedTuple):
    """What a verdict decides, without its explanation: the fields of :class:`Verdict` of the same names."""

    class_: str | None
    advice: str
    rule: str
    provisional: bool
    next_class: str | None
    possible_classes: tuple[str, ...]
    possible_rules: tuple[str, ...]
    possible_advice: tuple[str, ...]
    advice_provisional: bool


class Verdict(NamedTuple):
    """The verdict on one assessment under one criteria set.

    :attr:`class_` is the class, or None while some missing answer can still change it (``provisional``);
    :attr:`possible_classes` then says which classes are still possible. Consumers also read
    :attr:`advice` with :attr:`advice_provisional` and :attr:`possible_advice`, :attr:`rule`, and the
    criteria's version, digest and settings."""

    class_: str | None
    """The class when it is decided; None while it is open (``provisional``): an open verdict has no class."""
    advice: str
    rule: str
    """The rule that decides; when that is still open, the first rule that can decide
    :attr:`lowest_possible_class`."""
    provisional: bool
    """True only when the class itself is undecided (``possible_classes`` has more than one class)."""
    trace: tuple[RuleTrace, ...]
    next_class: str | None
    """The nearest higher class (None at the top)."""
    settings: Mapping[str, bool | int] = _NO_SETTINGS
    criteria_version: str = ""
    criteria_digest: str = ""
    possible_classes: tuple[str, ...] = ()
    """The classes some completion of the missing answers reaches, best first (one class when decided)."""
    possible_rules: tuple[str, ...] = ()
    """The rules some completion of the missing answers lets decide (one when decided)."""
    possible_advice: tuple[str, ...] = ()
    advice_provisional: bool = False
    """True when a missing answer can still change the advice (whether or not the class is decided)."""
    missing: tuple[MissingAnswer, ...] = ()
    """The open questions whose answer matters."""
    notices: tuple[NoticeTrace, ...] = ()
    """The criteria's notices that hold (scope, recognition status, a proven alternative, …)."""
    not_applicable: tuple[str, ...] = ()
    """Questions that do not apply to this assessment (n.v.t.)."""
    ignored: tuple[str, ...] = ()
    """Answers in the file to questions that do not apply: kept, but not read."""
    evaluation: Evaluation | None = None
    """What the evaluation found, for the steps and the answer outcomes."""

    @property
    def lowest_possible_class(self) -> str:
        """The lowest class some completion of the missing answers reaches (the class itself when decided):
        what the next steps start from and what an open verdict is at least. Never a class to show as the
        verdict's: an open verdict has none."""
        return self.possible_classes[-1]

    @property
    def deciding_rule(self) -> RuleTrace:
        return next(r for r in self.trace if r.decided)

    @property
    def missing_answers(self) -> tuple[str, ...]:
        """The open questions that can still change the class."""
        return tuple(m.field for m in self.missing if not m.advice_only)


def steps_by_class(steps: Sequence[NextStep]) -> dict[str, list[NextStep]]:
    """The options grouped by the class they reach, in their order."""
    grouped: dict[str, list[NextStep]] = {}
    for step in steps:
        grouped.setdefault(step.class_, []).append(step)
    return grouped
