"""The engine's shortcuts change nothing in a verdict (docs/performance.md):

- "Wat is er nodig?" per condition is shared between all assessments judged under one plan, keyed by the
  truth of the condition's atoms, and so is everything that follows from the truth of all comparisons (the
  range of a provisional verdict, the steps per class, the open questions);
- ``evaluate(..., conditions=False)`` leaves out only the condition rows of the trace.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from benchmarks.synth import make_assessment
from kwaliteitskader.core.model.assessment import Assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules import engine
from kwaliteitskader.core.rules.engine import Verdict, _plan, evaluate
from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text
from tests.conftest import repetitions


def assessments(criteria: Criteria, count: int, seed: int) -> list[Assessment]:
    rng = random.Random(seed)  # noqa: S311 - test data
    return [Assessment.model_validate(make_assessment(rng, criteria, n)) for n in range(count)]


def fresh(criteria: Criteria, assessment: Assessment) -> Verdict:
    """The verdict from a newly compiled plan: nothing remembered from earlier assessments."""
    criteria.__dict__.pop("_engine_plan", None)
    return evaluate(assessment, criteria)


@pytest.mark.repeated
@pytest.mark.parametrize("settings", [{}, {"eerste_aanwijzingen_telt": False}])
def test_shared_next_steps_equal_those_worked_out_afresh(criteria: Criteria, settings: dict[str, bool]) -> None:
    judged = criteria.with_settings(**settings) if settings else criteria
    sample = assessments(judged, repetitions(100, 400), seed=7)
    shared = [evaluate(a, judged) for a in sample]  # one plan: its memo fills up along the way
    assert len(_plan(judged).needs) > 0
    again = [evaluate(a, judged) for a in sample]  # now mostly answered from the memo
    separate = [fresh(judged, a) for a in sample]
    assert shared == separate
    assert again == separate
    assert {c for v in separate for c in v.possible_classes} >= {"stoppen", "kansrijk"}
    assert any(v.next_steps for v in separate)
    assert any(v.provisional for v in separate) and any(not v.provisional for v in separate)


@pytest.mark.repeated
def test_without_conditions_only_the_condition_rows_are_left_out(criteria: Criteria) -> None:
    for assessment in assessments(criteria, repetitions(50, 200), seed=11):
        full = evaluate(assessment, criteria)
        short = evaluate(assessment, criteria, conditions=False)
        assert all(rule.conditions == () for rule in short.trace)
        stripped = dataclasses.replace(full, trace=tuple(dataclasses.replace(r, conditions=()) for r in full.trace))
        assert short == stripped


def explained(criteria: Criteria, assessment: Assessment) -> tuple[str, object]:
    """Everything a verdict says, worked out in full: the text with every rule's trace, and the dictionary with
    the outcomes of each open answer and the steps to every higher class."""
    verdict = evaluate(assessment, criteria)
    return (verdict_text(verdict, criteria, "nl", trace=True, assessment=assessment),
            verdict_dict(verdict, criteria, "nl", trace=True, assessment=assessment))


@pytest.mark.repeated
@pytest.mark.parametrize("settings", [{}, {"eerste_aanwijzingen_telt": False}])
def test_the_whole_explanation_equals_one_from_a_fresh_engine_without_shortcuts(
        criteria: Criteria, settings: dict[str, bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """The products of two groups of options kept per plan, an option's changes kept per set, the
    evaluations of the latest search kept for its verdict, and an outcome or a rule that can decide taken from a
    completion found before (``_Reach._witnessed``, also one that a search for a later rule came upon) instead of
    a new search."""
    judged = criteria.with_settings(**settings) if settings else criteria
    sample = assessments(judged, repetitions(60, 250), seed=13)
    witnessed = []
    original = engine._Reach._witnessed

    def counted(reach: engine._Reach, index: int, start: dict[str, engine.Truth]) -> bool:
        found = original(reach, index, start)
        witnessed.append((bool(start), found))
        return found

    monkeypatch.setattr(engine._Reach, "_witnessed", counted)
    judged.__dict__.pop("_engine_plan", None)
    shared = [explained(judged, a) for a in sample]  # one plan, one assessment after another
    again = [explained(judged, a) for a in sample]  # now largely from what the plan kept
    assert (True, True) in witnessed, "no outcome was taken from a completion found before: the test proves nothing"
    assert (False, True) in witnessed, "no rule was taken as reachable from a completion found before"
    monkeypatch.setattr(engine._Reach, "_witnessed", lambda reach, index, start: False)
    monkeypatch.setattr(engine, "_product", engine._product_uncached)
    separate = []
    for assessment in sample:
        judged.__dict__.pop("_engine_plan", None)
        separate.append(explained(judged, assessment))
    assert shared == separate
    assert again == separate
    assert sum("→" in text for text, _ in separate) > 20  # many verdicts with outcomes of open answers


@pytest.mark.repeated
def test_every_kept_need_is_its_own_smallest_sets(criteria: Criteria) -> None:
    """``_product`` takes the first group with changes as it is instead of joining it with the empty set: that is
    the same only because every group (what ``_need`` keeps) is already what ``_minimal`` makes of it."""
    judged = criteria.with_settings()
    judged.__dict__.pop("_engine_plan", None)
    for assessment in assessments(judged, repetitions(40, 150), seed=19):
        explained(judged, assessment)
    plan = _plan(judged)
    assert sum(len(options) > 1 for options in plan.needs.values()) > 50
    for options in plan.needs.values():
        assert engine._minimal(plan.bits, options) == options


def test_the_smallest_sets_come_smaller_first_then_by_their_sorted_changes(criteria: Criteria) -> None:
    bits = _plan(criteria).bits
    rng = random.Random(23)  # noqa: S311 - test data
    wanted = bits.wanted
    for _ in range(300):
        options = [sum(1 << rng.randrange(bits.top + 1) for _ in range(rng.randrange(1, 5))) for _ in range(rng.randrange(1, 40))]
        expected: list[int] = []
        for _size, _negative, option in sorted((o.bit_count(), -o, o) for o in set(options)):
            if not option & (option >> 1) & wanted and not any(k & option == k for k in expected):
                expected.append(option)
        assert engine._minimal(bits, options) == expected[:engine._MAX_ALTERNATIVES]
