"""A verdict depends only on its assessment and its criteria object: never on what was judged before.

The engine keeps a plan per criteria object and the results of its two searches per exact inputs (the cache
policy in ``core/rules/plan.py``). These tests judge the same assessments in different orders, with a new
criteria object (a new plan, nothing shared) and in a fresh process, and compare everything a verdict says.
"""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from benchmarks.synth import make_assessment
from kwaliteitskader.core.model.assessment import Assessment
from kwaliteitskader.core.model.criteria_set import Criteria, FullCriteria
from kwaliteitskader.core.rules.engine import Verdict, evaluate, next_steps
from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text
from tests.conftest import repetitions


def assessments(criteria: Criteria, count: int, seed: int) -> list[Assessment]:
    rng = random.Random(seed)  # noqa: S311 - test data
    return [Assessment.model_validate(make_assessment(rng, criteria, n)) for n in range(count)]


def _copy(criteria: Criteria) -> FullCriteria:
    """A new criteria object with the same document: a plan of its own."""
    assert isinstance(criteria, FullCriteria)
    return FullCriteria(criteria.document, criteria.folder, criteria.digest, criteria.sources)


def explained(criteria: Criteria, assessment: Assessment) -> tuple[Verdict, str, dict[str, Any]]:
    """Everything a verdict says: the verdict, the text with the full trace, the dictionary with the outcomes
    of each open answer and the steps to every higher class."""
    verdict = evaluate(assessment, criteria)
    return (verdict, verdict_text(verdict, criteria, "nl", trace=True, assessment=assessment),
            verdict_dict(verdict, criteria, "nl", trace=True, assessment=assessment))


@pytest.mark.repeated
@pytest.mark.parametrize("settings", [{}, {"eerste_aanwijzingen_telt": False}])
def test_the_order_of_judging_and_the_criteria_object_change_nothing(criteria: Criteria, settings: dict[str, bool]) -> None:
    assert isinstance(criteria, FullCriteria)
    judged = criteria.with_settings(**settings) if settings else criteria
    sample = assessments(judged, repetitions(40, 200), seed=13)
    forward = [explained(judged, a) for a in sample]
    backward = [explained(judged, a) for a in reversed(sample)][::-1]
    separate = [explained(_copy(judged), a) for a in sample]  # a new plan for every assessment
    assert forward == backward == separate
    verdicts = [v for v, _text, _d in forward]
    assert any(v.provisional for v in verdicts) and any(not v.provisional for v in verdicts)
    assert sum("→" in text for _v, text, _d in forward) > len(sample) // 10  # many with outcomes of open answers


def _in_fresh_process(sample: list[Assessment]) -> list[dict[str, Any]]:
    script = (
        "import pickle, sys\n"
        "from kwaliteitskader.core.io.load import load_criteria\n"
        "from kwaliteitskader.core.rules.engine import evaluate\n"
        "from kwaliteitskader.core.rules.explain import verdict_dict\n"
        "criteria = load_criteria()\n"
        "sample = pickle.loads(sys.stdin.buffer.read())\n"
        "out = [verdict_dict(evaluate(a, criteria), criteria, 'en', assessment=a) for a in sample]\n"
        "sys.stdout.buffer.write(pickle.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(sample), capture_output=True,
                          check=True)
    found: list[dict[str, Any]] = pickle.loads(done.stdout)  # noqa: S301 - our own bytes
    return found


def test_a_fresh_process_says_the_same(criteria: Criteria) -> None:
    sample = assessments(criteria, 60, seed=29)
    here = [verdict_dict(evaluate(a, criteria), criteria, "en", assessment=a) for a in sample[::-1]][::-1]
    assert here == _in_fresh_process(sample)


def test_without_conditions_only_the_condition_rows_are_left_out(criteria: Criteria) -> None:
    for assessment in assessments(criteria, 200, seed=11):
        full = evaluate(assessment, criteria)
        short = evaluate(assessment, criteria, conditions=False)
        assert all(rule.conditions == () for rule in short.trace)
        stripped = full._replace(trace=tuple(r._replace(conditions=()) for r in full.trace))
        assert short == stripped


def test_a_verdict_is_plain_data(criteria: Criteria) -> None:
    """No closures and no hidden state: every field is data, equal by value, and survives pickling."""
    for assessment in assessments(criteria, 40, seed=31):
        verdict = evaluate(assessment, criteria)
        for name in verdict._fields:
            assert not isinstance(getattr(verdict, name), Callable)  # type: ignore[arg-type]
        with pytest.raises(AttributeError):
            verdict.class_ = "x"  # type: ignore[misc]
        again = pickle.loads(pickle.dumps(verdict))  # noqa: S301 - our own bytes
        assert again == verdict and again is not verdict
        assert next_steps(again, criteria) == next_steps(verdict, criteria)


def test_the_near_advice_follows_its_definition(criteria: Criteria) -> None:
    """A rule's ``advice_if_near`` is the advice exactly when the best option for the next class has at most
    ``near_steps`` changes and none of them needs research."""
    rules = {rule.id: rule for rule in criteria.document.rules}
    seen = set()
    for assessment in assessments(criteria, 300, seed=37):
        verdict = evaluate(assessment, criteria)
        rule = rules[verdict.rule]
        if not rule.advice_if_near or verdict.next_class is None:
            continue
        nearest = [s for s in next_steps(verdict, criteria) if s.class_ == verdict.next_class]
        near = bool(nearest) and len(nearest[0].changes) <= criteria.header.near_steps and not any(
            c.kind == "onderzoek" for c in nearest[0].changes)
        assert verdict.advice == (rule.advice_if_near if near else rule.advice)
        seen.add(near)
    assert seen == {True, False}  # both ways occur: the test looks at something
