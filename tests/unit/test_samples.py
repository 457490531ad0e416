"""Every sample assessment gets the class the framework gives it, for the framework's reason."""

from __future__ import annotations

import json

import pytest

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate
from tests.conftest import SAMPLES, run_cli

# file: (class, advice, deciding rule, provisional, the framework's reason); an open verdict has no class (None)
# and its rule is the first that can decide the lowest class it can still reach
EXPECTED = {
    "ajb_rotterdam": (
        "bewezen_effectief", "inzetten", "bewezen_effectief", False,
        "NJi 'eerste aanwijzingen', counted as proven by the ministry (hic-2024 fn 20), delivered as tested",
    ),
    "ajb_buiten_doelgroep_almere": (
        "kansrijk", "bijstellen", "bewezen_buiten_doelgroep", False,
        "proven for another group; here it meets the requirements for promising (medium intensity for low risk is a "
        "notice, not a stop): deliver it to the tested group or have it studied for this one",
    ),
    "kapot_sterk_tilburg": (
        "stoppen", "bijstellen", "niet_bewezen_niet_kansrijk", False,
        "not (yet) promising: one ingredient with a scientific source and one from practice knowledge, one domain, so "
        "not multimodal (fn 15); one or two changes make it promising; no harm signal; whether a proven alternative "
        "exists is unknown, so the advice stays open between adjust and choosing that alternative",
    ),
    "ipta_amsterdam": (
        "kansrijk", "monitoren_en_onderzoeken", "kansrijk_gemonitord", False,
        "multimodal, known risk and protective factors and ingredients, intensive for high risk, monitored; in procedure",
    ),
    "rio_den_haag": (
        "kansrijk", "monitoren_en_onderzoeken", "kansrijk_gemonitord", False,
        "basic conditions after detention, monitoring app since May 2023; ages 18-35 give only a notice",
    ),
    "vios_arnhem": (
        None, "bijstellen", "niet_bewezen_niet_kansrijk", True,
        "its active ingredients are still being identified (hic-2024 bijlage §2): the verdict stays open; no recognition",
    ),
    "gastles_ex_gedetineerde_zaanstad": (
        "stoppen", "stoppen", "schade", False,
        "a talk by an ex-offender for whole classes is a harm signal (petrosino-2013)",
    ),
    "groepsregime_type_glen_mills": (
        "stoppen", "stoppen", "schade", False,
        "coercive group regime of the Glen Mills type (the Glen Mills reports)",
    ),
    "wijkaanpak_samen_sterk_eindhoven": (
        "kansrijk", "bijstellen", "kansrijk_ongemonitord", False,
        "new local multimodal programme, but no monitoring plan: promising may only be used while monitored",
    ),
    "verscherpt_toezicht_overvallers": (
        "stoppen", "stoppen", "geen_effect", False,
        "controlled research on reoffending found no effect (hic-2021), no credible adjustment",
    ),
    "onvolledig_weerbaarheid_enschede": (
        None, "bijstellen_of_stoppen", "niet_bewezen_niet_kansrijk", True,
        "answers are missing that could change the verdict: onbepaald",
    ),
}


def test_every_sample_has_an_expectation() -> None:
    assert {p.stem for p in SAMPLES.glob("*.toml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_class(name: str, criteria: Criteria) -> None:
    klass, advice, rule, provisional, _reason = EXPECTED[name]
    verdict = evaluate(load_assessment(SAMPLES / f"{name}.toml").assessment, criteria)
    assert (verdict.class_, verdict.advice, verdict.rule, verdict.provisional) == (klass, advice, rule, provisional)


def test_strict_evidence_setting_decides_when_first_indications_are_the_only_evidence(criteria: Criteria) -> None:
    """hic-2024 fn 20: whether first indications count is a policy setting; with only a pre-post study behind the
    recognition, the lenient default says proven effective and the strict reading says promising."""
    ajb = load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment
    only_recognition = set_path(ajb, "evidence.study_design", "voor_en_nameting")
    assert evaluate(only_recognition, criteria).class_ == "bewezen_effectief"
    strict = criteria.with_settings(eerste_aanwijzingen_telt=False)
    verdict = evaluate(only_recognition, strict)
    assert verdict.class_ == "kansrijk"
    assert verdict.settings["eerste_aanwijzingen_telt"] is False
    setting_rows = [c for r in verdict.trace for c in r.conditions if c.setting == "eerste_aanwijzingen_telt"]
    assert setting_rows and all(c.result.value == "fail" for c in setting_rows)


def test_classify_json_gives_every_sample_its_class_with_trace_and_next_steps() -> None:
    result = run_cli("classify", "--json", *sorted(SAMPLES.glob("*.toml")))
    assert result.returncode == 0, result.stderr
    items = {json.loads(result.stdout)[i]["file"]: json.loads(result.stdout)[i] for i in range(len(EXPECTED))}
    for file, item in items.items():
        name = file.rsplit("/", 1)[-1].removesuffix(".toml")
        assert item["class"] == EXPECTED[name][0]
        assert (item["class"] is None) == item["provisional"] == (len(item["possible_classes"]) > 1)
        assert item["trace"] and any(rule["decided"] for rule in item["trace"])
        if item["class"] != "bewezen_effectief":
            assert item["next_steps"], name
