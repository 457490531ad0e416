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
