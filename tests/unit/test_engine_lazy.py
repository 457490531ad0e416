"""Issue 17: a row of the compare view (class, rule, advice, provisional) is worked out without the rest of
the verdict; the rest (every rule that can decide, the options up, the open questions, the notices) when
first asked for. What is asked for later must be exactly what was worked out at once before."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import Assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Truth, Verdict, _Evaluation, _is_near, _next_steps, evaluate
from tests.conftest import repetitions, sample_files
from tests.unit.test_verdict_range import SETS, partly_open

CASES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])


def _everything(verdict: Verdict) -> tuple[object, ...]:
    return (verdict, verdict.possible_rules, verdict.possible_advice, verdict.advice_provisional, verdict.missing,
            verdict.nearest_steps, verdict.next_steps, verdict.notices)


def _alone(assessment: Assessment, criteria: Criteria) -> Verdict:
    """The verdict with nothing kept from other assessments (a new plan, so no shared decisions)."""
    criteria.__dict__.pop("_engine_plan", None)
    return evaluate(assessment, criteria, conditions=False)


@pytest.mark.parametrize("version", sorted(SETS))
def test_the_row_is_what_every_rule_that_can_decide_gives(version: str) -> None:
    """The class and the rule shown come from a search that skips a rule whose class is already reached;
    they equal what the full list of rules that can decide gives (the rule shown: the first passing rule when
    it can decide and has the lowest class, else the first rule that can decide the lowest class)."""
    criteria = SETS[version]
    rules = criteria.document.rules
    rank = criteria.class_rank

    @CASES
    @given(partly_open(criteria))
    def check(case: tuple[Assessment, list[str]]) -> None:
        verdict = evaluate(case[0], criteria, conditions=False)
        row = (verdict.class_, verdict.advice, verdict.rule, verdict.provisional)
        assert not any(name.startswith("_later_") for name in verdict.__dict__), "a row works out nothing more"
        reachable = [next(i for i, r in enumerate(rules) if r.id == rule) for rule in verdict.possible_rules]
        classes = sorted({rules[i].class_ for i in reachable}, key=lambda c: -rank[c])
        first = next(i for i, trace in enumerate(verdict.trace) if trace.result is Truth.PASS)
        chosen = first if first in reachable and rules[first].class_ == classes[-1] else next(
            i for i in reachable if rules[i].class_ == classes[-1])
        assert verdict.possible_classes == tuple(classes)
        assert row[0] == classes[-1] and row[2] == rules[chosen].id and row[3] == (len(classes) > 1)
        decided = rules[chosen]
        near = verdict.nearest_steps[:1]
        is_near = bool(near) and len(near[0].changes) <= criteria.header.near_steps and not near[0].needs_research
        assert row[1] == (decided.advice_if_near if decided.advice_if_near and is_near else decided.advice)

    check()


@pytest.mark.parametrize("version", sorted(SETS))
def test_what_is_worked_out_later_equals_what_is_worked_out_at_once(version: str) -> None:
    """Assessments judged one after another under one plan, asked for everything only afterwards and in
    reverse order, get what each gets on its own, asked for at once."""
    criteria = SETS[version]

    @CASES
    @given(st.lists(partly_open(criteria), min_size=1, max_size=5))
    def check(cases: list[tuple[Assessment, list[str]]]) -> None:
        assessments = [a for a, _open in cases] * 2  # twice: the second time from the decisions kept
        criteria.__dict__.pop("_engine_plan", None)
        batch = [evaluate(a, criteria, conditions=False) for a in assessments]
        later = [_everything(v) for v in reversed(batch)][::-1]
        at_once = [_everything(_alone(a, criteria)) for a in assessments]
        assert later == at_once

    check()


def test_equality_compares_what_is_worked_out_later() -> None:
    criteria = SETS["2024.2"]
    verdict = evaluate(Assessment(), criteria)
    assert verdict.missing and verdict.possible_rules and verdict.nearest_steps
    assert verdict == evaluate(Assessment(), criteria)
    assert dataclasses.replace(verdict, later=None) != verdict
    assert dataclasses.replace(verdict, later=None).missing == ()


@pytest.mark.parametrize("version", sorted(SETS))
@pytest.mark.repeated
def test_the_near_advice_is_decided_as_by_the_first_option(version: str) -> None:
    """``_is_near`` (which often answers without combining any changes) equals its definition: the first
    option up has at most ``near_steps`` changes and none that needs research; for every class above, and
    for several ``near_steps``."""
    criteria = SETS[version]
    rules = criteria.document.rules

    @settings(max_examples=repetitions(50, 150), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large])
    @given(partly_open(criteria))
    def check(case: tuple[Assessment, list[str]]) -> None:
        ev = _Evaluation(case[0], criteria)
        ev.apply_applicability()
        ev.evaluate_all()
        for near_steps in (0, 1, 2, 3, 4):
            header = criteria.header.model_copy(update={"near_steps": near_steps})
            with pytest.MonkeyPatch.context() as patch:  # the criteria model is frozen: patch what reads it
                patch.setattr(Criteria, "header", property(lambda _self, header=header: header))
                for target in criteria.class_rank:
                    steps = _next_steps(ev, rules, target)
                    expected = bool(steps) and len(steps[0].changes) <= near_steps and not steps[0].needs_research
                    assert _is_near(ev, rules, target) == expected

    check()



@pytest.mark.parametrize("version", sorted(SETS))
def test_a_shared_decision_names_only_answers_that_are_open_in_this_assessment(version: str) -> None:
    """Decisions are shared between assessments with the same truths. An open comparison of a value derived
    from several answers (lokale risicofactor aangepakt: the risk factors and the local ones) names only
    the answers still open behind it, so those are part of the key: otherwise an assessment could be asked
    to answer a question it has already answered, because another one had left it open."""
    criteria = SETS[version]
    assessment = load_assessment(sample_files()[0]).assessment
    derived = _Evaluation(assessment, criteria).plan.derived_atoms
    assert derived, "the bundled criteria compare values derived from several answers"
    for cond_id, fields in derived:
        keys = []
        for open_field in fields[:2]:
            ev = _Evaluation(assessment, criteria)
            ev.apply_applicability()
            ev.evaluate_all()
            ev.results[cond_id] = Truth.UNKNOWN  # the same truths for both; only which answer is open differs
            for field in fields:
                ev._values[field] = None if field == open_field else ["x"]
            keys.append(ev.decision_key())
        assert keys[0] != keys[1], cond_id
