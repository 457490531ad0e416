"""The rules engine's public face: ``evaluate(assessment, criteria) -> Verdict`` and the names callers use.

The engine is split by what each part does (docs/architecture.md): :mod:`.plan` (criteria compiled once),
:mod:`.operators` (what each operator means), :mod:`.evaluate` (three-valued evaluation and the verdict),
:mod:`.range` (the classes some completion of the missing answers reaches), :mod:`.steps` ("Wat is er
nodig?"), :mod:`.verdict` (the plain-data types), :mod:`.derived` (values derived from several answers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kwaliteitskader.core.rules.derived import DERIVED, Derived, field_info, fields_read
from kwaliteitskader.core.rules.evaluate import decision, evaluate, rule_reasons
from kwaliteitskader.core.rules.operators import compare
from kwaliteitskader.core.rules.plan import plan_for
from kwaliteitskader.core.rules.range import answer_outcomes
from kwaliteitskader.core.rules.steps import next_steps
from kwaliteitskader.core.rules.values import NOT_APPLICABLE, Partial, display
from kwaliteitskader.core.rules.verdict import (
    ACTOR_KINDS,
    Change,
    ConditionTrace,
    Decision,
    Evaluation,
    MissingAnswer,
    NextStep,
    NoticeTrace,
    RuleTrace,
    Truth,
    Verdict,
    steps_by_class,
)

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria

__all__ = [
    "ACTOR_KINDS", "DERIVED", "NOT_APPLICABLE", "Change", "ConditionTrace", "Decision", "Derived", "Evaluation", "MissingAnswer",
    "NextStep", "NoticeTrace", "Partial", "RuleTrace", "Truth", "Verdict", "answer_outcomes", "answers_read", "compare", "decision",
    "display", "evaluate", "field_info", "fields_read", "next_steps", "rule_reasons", "steps_by_class",
]


def answers_read(criteria: Criteria) -> frozenset[str]:
    """The answers that can change a verdict under ``criteria`` (a rule, an applicability condition or a notice
    reads them). An unanswered question outside this set is optional: it is recorded, never open."""
    return plan_for(criteria).answers_read
