"""Criteria 2024.3: every verdict 2024.2 gave wrongly, on the smallest assessment that shows it.

Each test evaluates the same built assessment under 2024.2 (the wrong verdict, asserted so the test shows what
changed) and under 2024.3 (the verdict the two Kamerbrieven support). Nothing is a stored result: the engine
evaluates the criteria files each time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kwaliteitskader.core.io.criteria import default_criteria_folder
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Verdict, evaluate, next_steps
from tests.builders import build
from tests.conftest import ROOT

V3 = ROOT / "criteria" / "2024.3"
V2 = ROOT / "criteria" / "2024.2"


@pytest.fixture(scope="module")
def c3() -> Criteria:
    return load_criteria(V3)


@pytest.fixture(scope="module")
def c2() -> Criteria:
    return load_criteria(V2)


RECOGNISED_ONLY = {
    # the recognition is the only evidence: a pre-post study cannot carry 'proven' on its own
    "evidence__recognition_level": "eerste_aanwijzingen", "evidence__recognition_status": "erkend",
    "evidence__recognition_year": 2024, "evidence__study_design": "voor_en_nameting", "evidence__outcome": "gedrag",
    "evidence__effect_direction": "positief", "evidence__same_target_group": "ja", "evidence__same_risk_level": "ja",
}


def outcome(verdict: Verdict) -> tuple[str | None, str, str]:
    return verdict.class_, verdict.advice, verdict.rule


def notices(verdict: Verdict) -> set[str]:
    return {n.id for n in verdict.notices}


def test_2024_3_is_the_default_and_the_older_sets_stay() -> None:
    assert default_criteria_folder().name == "2024.3"
    assert load_criteria(default_criteria_folder()).version == "2024.3"
    for name in ("2024.1", "2024.2"):
        assert load_criteria(ROOT / "criteria" / name).version == name


# --- 1. a refused or expired recognition ---------------------------------------------------------------------------


def test_the_recognition_alone_is_proven_while_it_is_valid(c2: Criteria, c3: Criteria) -> None:
    valid = build(**RECOGNISED_ONLY)
    assert outcome(evaluate(valid, c2)) == outcome(evaluate(valid, c3)) == (
        "bewezen_effectief", "inzetten", "bewezen_effectief")


def test_an_expired_recognition_does_not_carry_the_recognition_route(c2: Criteria, c3: Criteria) -> None:
    expired = build(**{**RECOGNISED_ONLY, "evidence__recognition_year": 2017})  # assessed 2025: eight years
    assert evaluate(expired, c2).class_ == "bewezen_effectief"  # 2024.2: only a notice
    verdict = evaluate(expired, c3)
    assert verdict.class_ == "kansrijk" and verdict.rule != "bewezen_effectief"
    assert "erkenning_verlopen" in notices(verdict)
    rows = {c.id: c.result.value for rule in verdict.trace for c in rule.conditions}
    assert rows["erkenning_verlopen"] == "pass" and rows["erkenning_geldig"] == "fail"


def test_the_assessment_date_decides_expiry_not_todays_clock(c3: Criteria) -> None:
    then = build(**{**RECOGNISED_ONLY, "evidence__recognition_year": 2017, "meta__assessed_on": dt.date(2021, 3, 1)})
    assert evaluate(then, c3).class_ == "bewezen_effectief"  # four years old on the assessment's date
    five = build(**{**RECOGNISED_ONLY, "evidence__recognition_year": 2020, "meta__assessed_on": dt.date(2025, 12, 31)})
    assert evaluate(five, c3).class_ == "bewezen_effectief"  # five years: still valid


def test_a_refusal_for_an_adverse_effect_feeds_the_harm_route(c2: Criteria, c3: Criteria) -> None:
    refused_2 = build(evidence__recognition_status="geweigerd", evidence__refusal_reason="averechts effect")
    assert outcome(evaluate(refused_2, c2)) == ("kansrijk", "monitoren_en_onderzoeken", "kansrijk_gemonitord")
    refused = build(evidence__recognition_status="geweigerd_averechts_effect",
                    evidence__refusal_reason="averechts effect")
    assert outcome(evaluate(refused, c3)) == ("stoppen", "stoppen", "schade")


def test_a_refusal_because_it_does_not_work_is_proven_not_to_work(c3: Criteria) -> None:
    for adjustment, advice, rule in (("nee", "stoppen", "geen_effect"), ("ja", "bijstellen", "geen_effect_bijstelbaar")):
        verdict = evaluate(build(evidence__recognition_status="geweigerd_geen_effect",
                                 evidence__credible_adjustment=adjustment), c3)
        assert outcome(verdict) == ("stoppen", advice, rule)
    other = evaluate(build(evidence__recognition_status="geweigerd_andere_reden"), c3)
    assert outcome(other) == ("kansrijk", "monitoren_en_onderzoeken", "kansrijk_gemonitord")
    assert "erkenning_geweigerd" in notices(other)


def test_a_refused_status_with_an_effect_level_is_not_proven_and_is_flagged(c2: Criteria, c3: Criteria) -> None:
    contradictory = {**RECOGNISED_ONLY, "evidence__recognition_status": "geweigerd_andere_reden"}
    assert evaluate(build(**{**contradictory, "evidence__recognition_status": "geweigerd"}), c2).class_ == (
        "bewezen_effectief")
    verdict = evaluate(build(**contradictory), c3)
    assert verdict.class_ == "kansrijk" and "erkenning_tegenstrijdig" in notices(verdict)
    assert "erkenning_tegenstrijdig" not in notices(evaluate(build(**RECOGNISED_ONLY), c3))


def test_year_and_refusal_questions_apply_only_with_a_recognition_or_a_refusal(c3: Criteria) -> None:
    none = evaluate(build(), c3)
    assert {"evidence.recognition_year", "evidence.refusal_reason", "intervention.databank_entry"} <= set(
        none.not_applicable)
    refused = evaluate(build(evidence__recognition_status="geweigerd_andere_reden"), c3)
    assert "evidence.refusal_reason" not in refused.not_applicable
    recognised = evaluate(build(**RECOGNISED_ONLY), c3)
    assert "evidence.recognition_year" not in recognised.not_applicable
    assert "intervention.databank_entry" not in recognised.not_applicable


# --- 2. only ingredients with a scientific source count --------------------------------------------------------------


def test_practice_ingredients_alone_do_not_make_an_intervention_promising(c2: Criteria, c3: Criteria) -> None:
    practice = build(factors__active_ingredients=["weerbaarheidstraining", "begeleide_vrijetijdsbesteding"])
    assert evaluate(practice, c2).class_ == "kansrijk"
    verdict = evaluate(practice, c3)
    assert verdict.class_ == "stoppen" and verdict.rule == "niet_bewezen_niet_kansrijk"
    assert "praktijkbestanddeel" in notices(verdict)  # shown, with the reason, never counted


def test_a_practice_ingredient_does_not_make_one_scientific_ingredient_multimodal(c2: Criteria, c3: Criteria) -> None:
    mixed = build(factors__active_ingredients=["oudertraining", "weerbaarheidstraining"])  # gezin + individu
    assert evaluate(mixed, c2).class_ == "kansrijk"
    assert evaluate(mixed, c3).class_ == "stoppen"
    two = build(factors__active_ingredients=["oudertraining", "mentoring", "weerbaarheidstraining"])
    assert outcome(evaluate(two, c3)) == ("kansrijk", "monitoren_en_onderzoeken", "kansrijk_gemonitord")


def test_the_practice_ingredients_stay_in_the_catalogue_marked_as_not_counted(c3: Criteria) -> None:
    for name in ("weerbaarheidstraining", "netwerkversterking", "begeleide_vrijetijdsbesteding"):
        item = c3.item("active_ingredients", name)
        assert item is not None and "telt niet mee" in item.label.nl and item.design_choice
        assert "telt niet mee voor kansrijk" in item.design_reason.nl


# --- 3. the risk principle --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("risk", "intensity"), [("hoog", "gemiddeld"), ("gemiddeld", "intensief"), ("laag", "gemiddeld")])
def test_a_risk_and_intensity_mismatch_does_not_stop_a_promising_programme(
        c2: Criteria, c3: Criteria, risk: str, intensity: str) -> None:
    mismatch = build(target_group__risk_level=risk, delivery__intensity=intensity)
    assert evaluate(mismatch, c2).class_ == "stoppen"
    assert outcome(evaluate(mismatch, c3)) == ("kansrijk", "monitoren_en_onderzoeken", "kansrijk_gemonitord")


def test_clearly_too_heavy_for_low_risk_is_adjust_with_a_notice(c3: Criteria) -> None:
    verdict = evaluate(build(target_group__risk_level="laag", delivery__intensity="intensief"), c3)
    assert outcome(verdict) == ("kansrijk", "bijstellen", "kansrijk_te_zwaar")
    assert "te_zwaar_voor_laag_risico" in notices(verdict)


def test_no_step_changes_the_target_group_to_fit_the_programme(c2: Criteria, c3: Criteria) -> None:
    def remedies(verdict: Verdict, criteria: Criteria) -> list[str]:
        return [c.remedy.nl for step in next_steps(verdict, criteria) for c in step.changes if c.remedy is not None]

    heavy = build(target_group__risk_level="laag", delivery__intensity="intensief", factors__protective_factors=[])
    assert any("Selecteer deelnemers" in r for r in remedies(evaluate(heavy, c2), c2))
    assert not any("Selecteer deelnemers" in r for r in remedies(evaluate(heavy, c3), c3))


# --- 4. a proven alternative changes the advice ------------------------------------------------------------------------


def test_a_proven_alternative_makes_the_advice_choose_it(c2: Criteria, c3: Criteria) -> None:
    alternative = build(evidence__proven_alternative="ja")
    assert evaluate(alternative, c2).advice == "monitoren_en_onderzoeken"
    assert outcome(evaluate(alternative, c3)) == ("kansrijk", "kiezen_voor_bewezen_alternatief",
                                                  "kansrijk_bewezen_alternatief")
    not_promising = evaluate(build(evidence__proven_alternative="ja", factors__protective_factors=[]), c3)
    assert outcome(not_promising) == ("stoppen", "kiezen_voor_bewezen_alternatief", "niet_kansrijk_bewezen_alternatief")
    proven = build(**RECOGNISED_ONLY, evidence__proven_alternative="ja")
    assert outcome(evaluate(proven, c3)) == ("bewezen_effectief", "inzetten", "bewezen_effectief")


# --- the local problem analysis (the Kapot Sterk decision) ---------------------------------------------------------------


def test_not_matching_the_local_problem_analysis_makes_the_advice_adjust_not_the_class_stop(
        c2: Criteria, c3: Criteria) -> None:
    elsewhere = build(problem_analysis__local_risk_factors=["spijbelen"])
    assert evaluate(elsewhere, c2).class_ == "stoppen"
    assert outcome(evaluate(elsewhere, c3)) == ("kansrijk", "bijstellen", "kansrijk_niet_lokaal")


# --- harm signals tied to what the sources name ---------------------------------------------------------------------------


def test_talks_by_ex_offenders_are_a_harm_signal_only_for_all_young_people(c2: Criteria, c3: Criteria) -> None:
    selective = build(harm_signals__universele_voorlichting="ja")  # a selected group
    assert evaluate(selective, c2).rule == "schade"
    assert evaluate(selective, c3).rule == "kansrijk_gemonitord"
    universal = build(harm_signals__universele_voorlichting="ja", target_group__prevention_tier="universeel")
    assert outcome(evaluate(universal, c3)) == ("stoppen", "stoppen", "schade")
    unknown_tier = evaluate(build(harm_signals__universele_voorlichting="ja", target_group__prevention_tier="onbekend"),
                            c3)
    assert unknown_tier.provisional and "stoppen" in unknown_tier.possible_classes


def test_the_glen_mills_question_and_label_name_the_same_thing(c3: Criteria) -> None:
    signal = c3.item("harm_signals", "dwingend_groepsregime")
    assert "vernederend" not in signal.label.nl and "vernederend" not in signal.question.nl
    assert "dwingend groepsregime" in signal.question.nl and "Dwingend groepsregime" in signal.label.nl


# --- texts that state nothing unknown as fact ------------------------------------------------------------------------------


def test_the_no_effect_explanation_does_not_claim_an_unknown_adjustment(c2: Criteria, c3: Criteria) -> None:
    no_effect = {"evidence__study_design": "quasi_experimenteel", "evidence__study_count": 1,
                 "evidence__outcome": "delinquentie", "evidence__effect_direction": "geen",
                 "evidence__credible_adjustment": "onbekend"}
    old, new = evaluate(build(**no_effect), c2), evaluate(build(**no_effect), c3)
    assert "er is geen geloofwaardige bijstelling" in old.deciding_rule.explanation.nl
    assert new.advice_provisional and "er is geen geloofwaardige bijstelling" not in new.deciding_rule.explanation.nl
    assert "Zonder een geloofwaardige bijstelling" in new.deciding_rule.explanation.nl


def test_the_catch_all_rule_says_it_is_the_catch_all(c3: Criteria) -> None:
    rule = next(r for r in c3.document.rules if r.when is None)
    assert rule.label.nl.startswith("Geen van de regels hierboven")
    assert rule.design_reason is not None and "gemeente of de aanbieder" in rule.design_reason.nl


def test_the_proven_rule_cites_no_footnote_20_when_another_route_decided(c3: Criteria) -> None:
    rule = next(r for r in c3.document.rules if r.id == "bewezen_effectief")
    assert all(c.at != "voetnoot 20" for c in rule.source)
    first = c3.conditions["niveau_eerste_aanwijzingen"]
    assert any(c.at == "voetnoot 20" for c in first.source)  # shown where first indications decide


# --- the recognition expiry as the engine's years_since comparison ------------------------------------------------------

YEARS_SINCE = (ROOT / "tests" / "data" / "years_since_erkenning_te_oud.toml").read_text(encoding="utf-8")
"""The expiry condition in the form of the engine's ``years_since`` kind: it replaces the block of the same id in
``regels.toml`` once the engine reads that kind."""


def _with_years_since(tmp_path: Any) -> Criteria:
    import re
    import shutil

    folder = tmp_path / "criteria"
    shutil.copytree(V3, folder)
    rules = folder / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    block = re.compile(r'\[\[conditions\]\]\nid = "erkenning_te_oud"\n.*?(?=\n\[\[)', re.DOTALL)
    assert block.search(text)
    new = YEARS_SINCE[YEARS_SINCE.index("[[conditions]]\nid = "):].rstrip("\n")
    rules.write_text(block.sub(lambda _: new, text, count=1), encoding="utf-8")
    return load_criteria(folder)


def _engine_reads_years_since() -> bool:
    from kwaliteitskader.core.model.criteria import Condition

    return "years_since" in Condition.model_fields


@pytest.mark.skipif(not _engine_reads_years_since(), reason="needs the years_since condition kind (engine branch)")
def test_the_years_since_expiry_counts_from_the_assessment_date(tmp_path: Any) -> None:
    criteria = _with_years_since(tmp_path)
    expired = evaluate(build(**{**RECOGNISED_ONLY, "evidence__recognition_year": 2017}), criteria)
    assert expired.class_ == "kansrijk" and "erkenning_verlopen" in notices(expired)
    five = build(**{**RECOGNISED_ONLY, "evidence__recognition_year": 2020, "meta__assessed_on": dt.date(2025, 12, 31)})
    assert evaluate(five, criteria).class_ == "bewezen_effectief"
    undated = evaluate(build(**{**RECOGNISED_ONLY, "evidence__recognition_year": 2017, "meta__assessed_on": None}),
                       criteria)
    assert undated.provisional and {"bewezen_effectief", "kansrijk"} <= set(undated.possible_classes)
    row = next(c for rule in expired.trace for c in rule.conditions if c.id == "erkenning_te_oud")
    assert "2017" in row.input and "2025" in row.input  # the trace shows both inputs


def test_the_samples_record_the_criteria_they_were_assessed_against(c3: Criteria) -> None:
    from kwaliteitskader.core.io.load import load_assessment
    from tests.conftest import SAMPLES

    for file in sorted(SAMPLES.glob("*.toml")):
        meta = load_assessment(file).assessment.meta
        assert (meta.criteria_version, meta.criteria_digest) == ("2024.3", c3.digest), file.name


def test_the_dutch_texts_of_2024_3_use_no_english_jargon(c3: Criteria) -> None:
    from tests.unit.test_sources_and_corrections import _JARGON, _dutch_texts

    texts = _dutch_texts(c3.document.model_dump())
    assert len(texts) > 300
    assert [t for t in texts if _JARGON.search(t)] == []
