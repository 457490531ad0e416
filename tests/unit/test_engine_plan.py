"""The engine evaluates conditions only through its compiled plan: criteria the checks reject (a condition
cycle, a dangling reference) are refused with a clear error instead of being evaluated some other way."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwaliteitskader.core.io.criteria import read_criteria
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Truth, compare, evaluate
from kwaliteitskader.core.rules.plan import plan_for
from tests.conftest import SAMPLES


def _break(folder: Path, old: str, new: str) -> None:
    file = folder / "regels.toml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('not = "monitoringsplan"', 'not = "geen_monitoringsplan"'),  # a cycle
        ('not = "monitoringsplan"', 'not = "bestaat_niet"'),  # a dangling reference
    ],
    ids=["cycle", "dangling"],
)
def test_unchecked_criteria_that_the_checks_reject_are_refused(criteria_copy: Path, old: str, new: str) -> None:
    _break(criteria_copy, old, new)
    criteria = read_criteria(criteria_copy, check=False)
    assessment = load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment
    with pytest.raises(ValueError, match="cycle or a dangling reference"):
        evaluate(assessment, criteria)


@pytest.mark.parametrize(
    ("op", "left", "right", "expected"),
    [("eq", "ja", "ja", True), ("ne", 1, 1, False), ("in", "a", ["a", "b"], True), ("not_in", "c", ["a"], True),
     ("ge", 3, 3, True), ("gt", 3, 3, False), ("le", 2, 3, True), ("lt", 3, 2, False), ("contains", ["a"], "a", True)],
)
def test_compare_is_the_registrys_test(op: str, left: object, right: object, expected: bool) -> None:
    assert compare(op, left, right) is expected


def test_compare_rejects_an_unknown_operator() -> None:
    with pytest.raises(ValueError, match="like"):
        compare("like", "a", "a")


def test_every_comparison_of_the_plan_is_its_operators_test(criteria: Criteria) -> None:
    """The evaluator's comparisons and ``compare`` (which the criteria checks use) are one and the same test,
    on every answer a question can have."""
    plan = plan_for(criteria)
    checked = 0
    for atom in plan.atoms:
        comparison = plan.comparison(atom)
        for _sig, values in plan.signatures.get(comparison.path, ()):
            for value in values:
                if comparison.op.name == "contains" or isinstance(value, list):
                    continue
                holds = compare(comparison.op.name, value, comparison.expected)
                assert comparison.truth(value) is (Truth.PASS if holds else Truth.FAIL)
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("version", ["2024.2", "2024.3"])
def test_rule_by_rule_each_condition_comes_after_what_it_reads(version: str) -> None:
    """A verdict is decided by evaluating the rules in order until one passes (``Plan.by_rule``): every
    condition a rule reads is worked out with that rule or an earlier one, children before parents, and a
    question that applies only sometimes is settled before any of it is read, its own condition first."""
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.rules.plan import Comparison

    plan = plan_for(load_criteria(f"criteria/{version}"))
    done: set[str] = set()
    settled: set[str] = set()
    for rule, (applies, nodes) in zip(plan.rules, plan.by_rule, strict=True):
        for path, cond in applies:
            below = plan.atoms_below(cond)
            assert all(f not in plan.applies or f in settled for a in below for f in plan.comparison(a).fields), path
            settled.add(path)
        for node in nodes:
            assert node.id not in done  # each condition once
            assert isinstance(node, Comparison) or set(node.children) <= done
            if isinstance(node, Comparison):
                assert all(f not in plan.applies or f in settled for f in node.fields), (rule.id, node.id)
            done.add(node.id)
        assert not rule.when or rule.when in done
    assert done == {c for rule in plan.rules if rule.when for c, _depth in plan.flat[rule.when]}


def test_the_range_search_of_a_row_reads_only_the_rules_up_to_the_deciding_one(criteria: Criteria) -> None:
    """The plan of the first rules (the range search's scope) holds those rules and what they read, and no
    step precondition; the plans are built once per criteria object."""
    full = plan_for(criteria)
    for upto in range(len(full.rules)):
        scope = plan_for(criteria, upto)
        assert scope is plan_for(criteria, upto)
        assert scope.rules == full.rules[:upto + 1]
        reads = {c for rule in scope.rules if rule.when for c, _depth in full.flat[rule.when]}
        assert reads <= set(scope.order or ()) <= set(full.order or ())
        assert set(scope.applies) <= set(full.applies)
    assert set(plan_for(criteria, 0).order or ()) < set(full.order or ())
