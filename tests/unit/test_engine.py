"""The rules engine: three-valued conditions, rule order, trace, missing answers, next steps."""

from __future__ import annotations

from typing import Any

import pytest

from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import Assessment, get_path, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import DERIVED, Partial, Truth, evaluate, next_steps, steps_by_class
from kwaliteitskader.core.rules.plan import plan_for
from tests.conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def criteria_2024_2() -> Criteria:
    """The criteria set whose conditions some tests name (criteria/2024.2 stays unchanged)."""
    return load_criteria(ROOT / "criteria" / "2024.2")


def _sample(name: str) -> Assessment:
    return load_assessment(SAMPLES / f"{name}.toml").assessment


def _truth(assessment: Assessment, criteria: Criteria, condition: str) -> Truth:
    """A condition's truth as the verdict records it (every condition the rules read)."""
    evaluation = evaluate(assessment, criteria).evaluation
    assert evaluation is not None
    return evaluation.results[condition]


@pytest.mark.parametrize(
    ("path", "value", "condition", "expected"),
    [
        ("evidence.effect_direction", "negatief", "effect_negatief", Truth.PASS),
        ("evidence.effect_direction", "positief", "effect_negatief", Truth.FAIL),
        ("evidence.effect_direction", "onbekend", "effect_negatief", Truth.UNKNOWN),
        ("evidence.study_design", "rct", "gecontroleerd_onderzoek", Truth.PASS),
        ("evidence.study_design", "voor_en_nameting", "gecontroleerd_onderzoek", Truth.FAIL),
        ("target_group.age_min", 8, "leeftijd_onder_pmg", Truth.FAIL),
        ("target_group.age_min", 7, "leeftijd_onder_pmg", Truth.PASS),
        ("target_group.age_min", None, "leeftijd_onder_pmg", Truth.UNKNOWN),
        ("target_group.age_max", 27, "leeftijd_boven_pmg", Truth.FAIL),
        ("target_group.age_max", 28, "leeftijd_boven_pmg", Truth.PASS),
        ("factors.active_ingredients", [], "werkzaam_bestanddeel", Truth.FAIL),
        ("factors.active_ingredients", None, "werkzaam_bestanddeel", Truth.UNKNOWN),
        ("factors.active_ingredients", ["mentoring"], "werkzaam_bestanddeel", Truth.PASS),
        ("harm_signals.afschrikking", "ja", "signaal_afschrikking", Truth.PASS),
        ("harm_signals.afschrikking", "nee", "signaal_afschrikking", Truth.FAIL),
    ],
)
def test_atomic_conditions(criteria_2024_2: Criteria, path: str, value: Any, condition: str, expected: Truth) -> None:
    """Each comparison of the plan on the answer it reads (whether its question applies aside); the ids are
    those of criteria 2024.2."""
    comparison = plan_for(criteria_2024_2).comparison(condition)
    assert comparison.fields == (path,)
    assert comparison.truth(get_path(set_path(Assessment(), path, value), path)) is expected


def test_kleene_combinations(criteria: Criteria) -> None:
    a = set_path(Assessment(), "evidence.study_design", "voor_en_nameting")
    # all(fail, unknown) is fail: a known failure decides, whatever the unknown answer
    assert _truth(a, criteria, "negatief_effect_aangetoond") is Truth.FAIL
    b = set_path(Assessment(), "evidence.study_design", "rct")
    assert _truth(b, criteria, "negatief_effect_aangetoond") is Truth.UNKNOWN
    # any(unknown, pass) is pass
    c = set_path(Assessment(), "harm_signals.dwingend_groepsregime", "ja")
    assert _truth(c, criteria, "schadesignaal") is Truth.PASS
    # not(unknown) stays unknown
    assert _truth(Assessment(), criteria, "geen_monitoringsplan") is Truth.UNKNOWN


def test_setting_decides_a_condition(criteria_2024_2: Criteria) -> None:
    criteria = criteria_2024_2
    a = set_path(Assessment(), "evidence.recognition_level", "eerste_aanwijzingen")
    assert _truth(a, criteria, "eerste_aanwijzingen_tellen_mee") is Truth.PASS
    strict = criteria.with_settings(eerste_aanwijzingen_telt=False)
    assert _truth(a, strict, "eerste_aanwijzingen_tellen_mee") is Truth.FAIL


def test_derived_domains_follow_the_answers(criteria: Criteria) -> None:
    a = Assessment.model_validate(
        {
            "factors": {
                "risk_factors": ["eerdere_delicten", "spijbelen"],
                "protective_factors": ["binding_en_warmte"],
                "active_ingredients": ["mentoring"],
            }
        }
    )
    domains = DERIVED["derived.domains"].compute(a, criteria)
    # static prior offending adds no domain; truancy (school), family warmth, mentoring (individual, leisure)
    assert domains == Partial(("individu", "gezin", "school_en_werk", "vrienden_en_vrije_tijd"), True)
    partial = DERIVED["derived.domains"].compute(set_path(a, "factors.protective_factors", None), criteria)
    assert partial is not None and not partial.complete


def test_count_on_incomplete_derived_list_is_unknown_until_the_bound_is_reached(criteria: Criteria) -> None:
    # behavioural contracts can be delivered in three domains; where they are is not recorded yet
    open_where = Assessment.model_validate({"factors": {"active_ingredients": ["oudertraining", "gedragscontracten"]}})
    assert _truth(open_where, criteria, "meerdere_domeinen") is Truth.UNKNOWN
    recorded = set_path(open_where, "factors.ingredient_domains", ["gedragscontracten@gezin"])
    assert _truth(recorded, criteria, "meerdere_domeinen") is Truth.FAIL
    # two single-domain ingredients reach the bound even while the third is still open
    reached = set_path(open_where, "factors.active_ingredients", ["oudertraining", "gedragsmodellering", "gedragscontracten"])
    assert _truth(reached, criteria, "meerdere_domeinen") is Truth.PASS


def test_harm_gate_wins_over_proven_evidence(criteria: Criteria) -> None:
    ajb = _sample("ajb_rotterdam")
    assert evaluate(ajb, criteria).class_ == "bewezen_effectief"
    harmful = set_path(ajb, "harm_signals.afschrikking", "ja")
    verdict = evaluate(harmful, criteria)
    assert (verdict.class_, verdict.rule, verdict.advice) == ("stoppen", "schade", "stoppen")


def test_unknown_harm_signal_makes_the_verdict_provisional_and_lists_it(criteria: Criteria) -> None:
    ajb = _sample("ajb_rotterdam")
    signals = dict(ajb.harm_signals)
    del signals["afschrikking"]
    verdict = evaluate(ajb.model_copy(update={"harm_signals": signals}), criteria)
    assert verdict.provisional
    assert set(verdict.possible_classes) == {"bewezen_effectief", "stoppen"}
    assert verdict.missing_answers == ("harm_signals.afschrikking",)


def test_trace_records_every_rule_and_the_input_it_read(criteria_2024_2: Criteria) -> None:
    criteria = criteria_2024_2
    verdict = evaluate(_sample("gastles_ex_gedetineerde_zaanstad"), criteria)
    assert [r.id for r in verdict.trace] == [r.id for r in criteria.document.rules]
    assert [r.id for r in verdict.trace if r.decided] == ["schade"]
    row = next(c for c in verdict.trace[0].conditions if c.id == "signaal_universele_voorlichting")
    assert (row.result, row.input, row.fields) == (Truth.PASS, "ja", ("harm_signals.universele_voorlichting",))
    assert row.source


def test_next_steps_split_what_can_be_done_now_from_research(criteria: Criteria) -> None:
    kansrijk = evaluate(_sample("ipta_amsterdam"), criteria)
    assert kansrijk.next_class == "bewezen_effectief"
    steps = next_steps(kansrijk, criteria)
    assert steps and all(step.needs_research for step in steps)
    near = evaluate(_sample("kapot_sterk_tilburg"), criteria)
    assert near.next_class == "kansrijk"
    first = next_steps(near, criteria)[0]
    assert not first.needs_research
    assert len(first.changes) <= criteria.header.near_steps


def test_applying_a_next_step_reaches_the_next_class(criteria_2024_2: Criteria) -> None:
    """The promised changes are real: make them and the class goes up."""
    criteria = criteria_2024_2
    a = _sample("kapot_sterk_tilburg")
    steps = steps_by_class(next_steps(evaluate(a, criteria), criteria))["kansrijk"]
    for step, (path, value) in zip(steps, (
        ("problem_analysis.local_protective_factors", ["sociale_en_cognitieve_vaardigheden"]),
        ("problem_analysis.local_risk_factors", ["antisociale_houding"]),
    ), strict=False):
        assert [c.condition for c in step.changes] in (["lokale_beschermende_factor_versterkt"],
                                                       ["lokale_risicofactor_aangepakt"])
        wanted = {"lokale_beschermende_factor_versterkt": "problem_analysis.local_protective_factors",
                  "lokale_risicofactor_aangepakt": "problem_analysis.local_risk_factors"}[step.changes[0].condition]
        value = value if wanted == path else (["sociale_en_cognitieve_vaardigheden"] if "protective" in wanted
                                               else ["antisociale_houding"])
        assert evaluate(set_path(a, wanted, value), criteria).class_ == "kansrijk"


def test_top_class_has_no_next_steps(criteria: Criteria) -> None:
    verdict = evaluate(_sample("ajb_rotterdam"), criteria)
    assert verdict.next_class is None and next_steps(verdict, criteria) == ()


def test_empty_assessment_shows_all_three_classes_and_no_class(criteria: Criteria) -> None:
    verdict = evaluate(Assessment(), criteria)
    assert verdict.provisional and verdict.class_ is None
    assert verdict.possible_classes == ("bewezen_effectief", "kansrijk", "stoppen")
    assert {c for m in verdict.missing for c in m.could_lead_to} == {"stoppen", "bewezen_effectief", "kansrijk"}
