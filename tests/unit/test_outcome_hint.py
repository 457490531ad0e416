"""The hint beside an open question says what every answer leads to, also an answer that leaves the range open."""

from __future__ import annotations

from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.rules.engine import answer_outcomes, evaluate
from kwaliteitskader.core.rules.explain_words import outcome_text, value_text
from tests.conftest import ROOT, SAMPLES

INTENSITY = "delivery.intensity"


def test_the_intensity_hint_names_every_answer_also_one_that_leaves_both_classes_open() -> None:
    # criteria 2024.2 read the intensity for the class: with a medium risk level, "gemiddeld" keeps both
    # kansrijk and stoppen open while "licht" and "intensief" stop
    criteria = load_criteria(ROOT / "criteria" / "2024.2")
    assessment = load_assessment(SAMPLES / "vios_arnhem.toml").assessment.model_copy(deep=True)
    assessment.target_group.risk_level = "gemiddeld"
    assessment.delivery.intensity = "onbekend"
    verdict = evaluate(assessment, criteria)
    assert set(verdict.possible_classes) == {"kansrijk", "stoppen"}
    hint = outcome_text(verdict, criteria, INTENSITY, "nl")
    assert "gemiddeld → kansrijk of stoppen" in hint
    groups = answer_outcomes(verdict, criteria, INTENSITY)
    assert {answer for answers, _ in groups for answer in answers} == {"licht", "gemiddeld", "intensief"}
    assert hint.count("→") == len(groups)  # one part per group of answers, none left out
    for answers, _ in groups:
        for answer in answers:
            assert value_text(criteria, INTENSITY, answer, "nl") in hint


def test_no_hint_when_no_answer_narrows_the_range() -> None:
    # an empty assessment: every intensity leaves all three classes open, the hint would only repeat them
    from kwaliteitskader.core.model.assessment import Assessment

    criteria = load_criteria()
    verdict = evaluate(Assessment(), criteria)
    groups = answer_outcomes(verdict, criteria, INTENSITY)
    assert groups and all(set(classes) == set(verdict.possible_classes) for _, classes in groups)
    assert outcome_text(verdict, criteria, INTENSITY, "nl") == ""
