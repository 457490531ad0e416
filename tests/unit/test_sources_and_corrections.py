"""Issue 14: criteria 2024.2 cites the published sources, and each correction works on a small assessment.

Every test builds the smallest assessment that shows one correction, and checks the verdict the
criteria give it (not a stored result). The sources are data: ``bronnen.toml`` lists them, every item
cites keys from it, and ``validate`` refuses anything else.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.assessment import Assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Verdict, evaluate
from kwaliteitskader.core.rules.target import target_group_rows
from tests.builders import build as promising
from tests.conftest import ROOT, SAMPLES, run_cli

V2 = ROOT / "criteria" / "2024.2"
V1 = ROOT / "criteria" / "2024.1"


@pytest.fixture(scope="module")
def c2() -> Criteria:
    return load_criteria(V2)


@pytest.fixture(scope="module")
def strict(c2: Criteria) -> Criteria:
    return c2.with_settings(eerste_aanwijzingen_telt=False)


def proven(**changes: Any) -> Assessment:
    """``promising`` plus an AJB-like evidence base: NJi 'eerste aanwijzingen', one quasi-experiment, delivered as tested."""
    evidence = {"evidence__recognition_level": "eerste_aanwijzingen", "evidence__study_design": "quasi_experimenteel",
                "evidence__study_count": 1, "evidence__outcome": "delinquentie", "evidence__follow_up_months": 24,
                "evidence__effect_direction": "positief", "evidence__independent_replication": "nee",
                "evidence__same_target_group": "ja", "evidence__same_risk_level": "ja",
                "evidence__recognition_status": "erkend", "evidence__recognition_year": 2024}
    return promising(**{**evidence, **changes})


def notices(verdict: Verdict) -> list[str]:
    return [n.id for n in verdict.notices]


# --- sources as data ---------------------------------------------------------------------------


def _validate(folder: Path) -> list[str]:
    result = run_cli("validate", str(folder))
    return [line for line in result.stdout.splitlines() if line.startswith(str(folder))]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "criteria"
    shutil.copytree(V2, target)
    return target


def test_validate_accepts_both_bundled_criteria_sets() -> None:
    for folder in (V1, V2):
        result = run_cli("validate", str(folder))
        assert result.returncode == 0, result.stdout + result.stderr


def test_validate_rejects_an_unknown_source_key(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "doelgroep.toml").read_text(encoding="utf-8")
    (folder / "doelgroep.toml").write_text(text.replace('source = ["nji-databank"]', 'source = ["nji-databnk"]', 1),
                                           encoding="utf-8")
    lines = _validate(folder)
    assert len(lines) == 1 and "doelgroep.toml:" in lines[0] and "'nji-databnk'" in lines[0]
    assert "prevention_tiers[0].source[0]" in lines[0]


def test_validate_rejects_a_citation_of_a_document_that_is_not_in_the_list(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "kader.toml").read_text(encoding="utf-8")
    text = text.replace('source = [\n  "kader-2024",\n  "kst-28741-116",\n]', 'source = "framework.md §1"', 1)
    (folder / "kader.toml").write_text(text, encoding="utf-8")
    lines = _validate(folder)
    assert len(lines) == 1 and "[criteria.source[0]]" in lines[0]
    assert "'framework.md §1'" in lines[0] and "bronnenlijst" in lines[0]


def test_validate_rejects_an_item_without_a_source(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "schadesignalen.toml").read_text(encoding="utf-8")
    block = re.search(r'id = "afschrikking"\n(?:.*\n)*?source = \[.*\]\n', text)
    assert block is not None
    (folder / "schadesignalen.toml").write_text(text.replace(block.group(0), block.group(0).split("source = ")[0], 1),
                                                encoding="utf-8")
    lines = _validate(folder)
    assert any("harm_signals[2].source" in line for line in lines), lines
    # an empty list is no source either
    (folder / "schadesignalen.toml").write_text(text.replace(block.group(0), block.group(0).split("source = ")[0]
                                                             + "source = []\n", 1), encoding="utf-8")
    assert any("harm_signals[2].source" in line for line in _validate(folder))


def test_validate_rejects_a_design_choice_without_its_reason(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "kader.toml").read_text(encoding="utf-8")
    first = re.search(r"design_reason = .*\n", text)
    assert first is not None
    (folder / "kader.toml").write_text(text.replace(first.group(0), "", 1), encoding="utf-8")
    lines = _validate(folder)
    assert len(lines) == 1 and "design_choice" in lines[0] and "design_reason" in lines[0]


def test_every_item_cites_a_listed_source_and_design_choices_say_why(c2: Criteria) -> None:
    keys = set(c2.references)
    kinds = {ref.kind for ref in c2.references.values()}
    assert {"kader", "kamerbrief", "regeling", "erkenningssysteem", "literatuur"} <= kinds
    assert all(ref.identifier for ref in c2.references.values())
    cited = 0
    for name in type(c2.document).model_fields:
        value = getattr(c2.document, name)
        for item in value if isinstance(value, list) else [value]:
            if not hasattr(item, "source"):
                continue
            cited += 1
            assert item.source and {c.ref for c in item.source} <= keys, (name, getattr(item, "id", ""))
            if item.design_choice:
                assert item.design_reason is not None and "\n" not in item.design_reason.nl
    assert cited > 200


def test_the_engineers_digest_is_cited_nowhere() -> None:
    for where in ("kwaliteitskader", "criteria", "docs"):
        for file in (ROOT / where).rglob("*"):
            if file.is_file() and file.suffix in (".py", ".toml", ".md", ".svg", ".html", ".yml", ".json"):
                assert "framework.md" not in file.read_text(encoding="utf-8", errors="replace"), file
    assert "framework.md" not in (ROOT / "README.md").read_text(encoding="utf-8")


def test_short_references_expand_to_the_full_citation(c2: Criteria) -> None:
    setting = next(s for s in c2.document.settings if s.id == "multimodaal_domeinen")
    assert cite.short(setting.source).startswith("hic-2024, voetnoot 15")
    lines = cite.expanded(c2, setting.source)
    assert "Kamerstuk 28 684, nr. 748" in lines[0] and "“Deze interventies zijn multimodaal" in lines[0]
    choice = next(s for s in c2.document.settings if s.id == "streng_min_follow_up")
    assert cite.design_text(choice, "nl").startswith("ontwerpkeuze van dit programma: ")


def test_classify_trace_ends_with_the_full_references() -> None:
    result = run_cli("classify", "--trace", "--criteria", str(V2), str(SAMPLES / "ajb_rotterdam.toml"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "hic-2024, voetnoot 20" in out
    assert "schade: Schadesignaal: stoppen (hic-2024, bijlage §1; dishion-1999" in out  # each rule row cites
    tail = out[out.rindex("Bronnen:"):]
    assert "[hic-2024] Minister van Justitie en Veiligheid" in tail and "[nji-erkenning]" in tail


def test_classify_json_carries_citations_and_the_references_used() -> None:
    import json

    result = run_cli("classify", "--json", str(SAMPLES / "ajb_rotterdam.toml"))
    item = json.loads(result.stdout)[0]
    keys = [ref["key"] for ref in item["references"]]
    assert "hic-2024" in keys and all(ref["citation"] for ref in item["references"])
    assert isinstance(item["source"], str) and "hic-2024" in item["source"]


def test_the_report_ends_with_a_reference_list(c2: Criteria) -> None:
    from kwaliteitskader.core.output.report import render_report

    sample = load_assessment(SAMPLES / "rio_den_haag.toml").assessment
    md = render_report(sample, c2, "md", "nl")
    last = md[md.rindex("## Bronnen"):]
    assert "\\[hic-2024\\] Kamerbrief — Minister van Justitie en Veiligheid" in last
    assert "Buiten de leeftijd van Preventie met Gezag" in md  # a notice, shown with the outcome
    html = render_report(sample, c2, "html", "nl")
    assert '<ol class="references">' in html and html.index('<ol class="references">') > html.index("Afleiding")


# --- kansrijk per footnote 15 --------------------------------------------------------------------


def test_kansrijk_needs_risk_and_protective_factors(c2: Criteria) -> None:
    assert evaluate(promising(), c2).class_ == "kansrijk"
    verdict = evaluate(promising(factors__protective_factors=[]), c2)
    assert verdict.class_ == "stoppen"
    assert any(c.id == "beschermende_factor" and c.result.value == "fail" for r in verdict.trace for c in r.conditions)


def test_two_ingredients_are_multimodal(c2: Criteria) -> None:
    one = promising(factors__active_ingredients=["oudertraining"])
    assert evaluate(one, c2).class_ == "stoppen"
    assert evaluate(promising(factors__active_ingredients=["oudertraining", "gedragsmodellering"]), c2).class_ == "kansrijk"


def test_one_ingredient_with_three_possible_domains_is_not_multimodal_on_its_own(c2: Criteria) -> None:
    contracts = ["gedragscontracten"]
    assert len(c2.item("active_ingredients", "gedragscontracten").domains) == 3
    at_home = promising(factors__active_ingredients=contracts, factors__ingredient_domains=["gedragscontracten@gezin"])
    assert evaluate(at_home, c2).class_ == "stoppen"
    unrecorded = promising(factors__active_ingredients=contracts, factors__ingredient_domains=None)
    assert evaluate(unrecorded, c2).provisional  # where it is delivered is not known yet: no class
    two = promising(factors__active_ingredients=contracts,
                    factors__ingredient_domains=["gedragscontracten@gezin", "gedragscontracten@school_en_werk"])
    assert evaluate(two, c2).class_ == "kansrijk"


def test_the_local_problem_analysis_counts_weak_protective_factors(c2: Criteria) -> None:
    off_target = promising(problem_analysis__local_risk_factors=["spijbelen"])
    assert evaluate(off_target, c2).class_ == "stoppen"
    weak = promising(problem_analysis__local_risk_factors=["spijbelen"],
                     problem_analysis__local_protective_factors=["ouderlijke_betrokkenheid"])
    assert evaluate(weak, c2).class_ == "kansrijk"


# --- ages, risk principle, responsivity ------------------------------------------------------------


def test_ages_outside_8_to_27_give_a_notice_and_never_change_the_class(c2: Criteria) -> None:
    inside = evaluate(promising(), c2)
    young = evaluate(promising(target_group__age_min=4, target_group__age_max=10), c2)
    old = evaluate(promising(target_group__age_min=18, target_group__age_max=35), c2)
    assert (young.class_, young.advice) == (old.class_, old.advice) == (inside.class_, inside.advice) == (
        "kansrijk", "monitoren_en_onderzoeken")
    assert "buiten_pmg_leeftijd" in notices(young) and "buiten_pmg_leeftijd" in notices(old)
    assert "buiten_pmg_leeftijd" not in notices(inside)


def test_the_risk_principle_reads_the_risk_level_against_the_intensity(c2: Criteria) -> None:
    heavy = evaluate(promising(target_group__risk_level="laag", delivery__intensity="intensief"), c2)
    assert heavy.class_ == "stoppen" and "te_zwaar_voor_laag_risico" in notices(heavy)
    light = evaluate(promising(target_group__risk_level="hoog", delivery__intensity="licht"), c2)
    assert light.class_ == "stoppen" and "te_licht_voor_hoog_risico" in notices(light)
    assert evaluate(promising(target_group__risk_level="hoog", delivery__intensity="intensief"), c2).class_ == "kansrijk"
    # the assessor's own yes/no no longer decides it
    assert evaluate(promising(target_group__risk_level="laag", delivery__intensity="intensief",
                              delivery__intensity_matches_risk="ja"), c2).class_ == "stoppen"


def test_the_result_shows_tier_risk_intensity_and_special_needs(c2: Criteria) -> None:
    rows = dict(target_group_rows(promising(target_group__special_needs=["lvb"]), c2, "nl"))
    assert rows == {"Preventieniveau": "selectief", "Risiconiveau": "gemiddeld", "Intensiteit": "gemiddeld",
                    "Bijzondere behoeften (responsiviteit)": "LVB (licht verstandelijke beperking)"}
    assert "lvb_in_doelgroep" in notices(evaluate(promising(target_group__special_needs=["lvb"]), c2))


# --- the evidence standard on every route ------------------------------------------------------------


def test_first_indications_are_proven_by_default_and_promising_under_the_strict_standard(
    c2: Criteria, strict: Criteria
) -> None:
    lenient = evaluate(proven(), c2)
    assert (lenient.class_, lenient.rule) == ("bewezen_effectief", "bewezen_effectief")
    severe = evaluate(proven(), strict)
    assert (severe.class_, severe.advice) == ("kansrijk", "monitoren_en_onderzoeken")
    for verdict, shown in ((lenient, "ja"), (severe, "nee")):
        rows = [c for r in verdict.trace for c in r.conditions if c.setting == "eerste_aanwijzingen_telt"]
        assert rows and {c.input for c in rows} == {shown}  # the trace names the setting either way


def test_the_strict_standard_also_applies_to_a_municipalitys_own_controlled_study(c2: Criteria, strict: Criteria) -> None:
    own = proven(evidence__recognition_level="geen_erkenning", evidence__recognition_status="niet_aangevraagd",
                 evidence__recognition_year=None)
    assert evaluate(own, c2).class_ == "bewezen_effectief"
    assert evaluate(own, strict).class_ == "kansrijk"
    replicated = proven(evidence__recognition_level="geen_erkenning", evidence__recognition_status="niet_aangevraagd",
                        evidence__study_count=2, evidence__follow_up_months=18)
    assert evaluate(replicated, strict).class_ == "bewezen_effectief"
    short = proven(evidence__recognition_level="geen_erkenning", evidence__recognition_status="niet_aangevraagd",
                   evidence__independent_replication="ja", evidence__follow_up_months=6)
    assert evaluate(short, strict).class_ == "kansrijk"


def test_reclassify_with_the_strict_setting_shows_first_indications_becoming_promising() -> None:
    result = run_cli("reclassify", str(SAMPLES), "--base", str(V2), "--criteria", str(V2),
                     "--setting", "eerste_aanwijzingen_telt=false")
    assert result.returncode == 0, result.stderr
    assert "tellen als bewezen effectief: ja → nee" in result.stdout  # the setting in words, never True → False
    block = result.stdout[result.stdout.index("ajb_rotterdam.toml"):]
    assert "bewezen effectief → kansrijk" in block.splitlines()[1]
    bad = run_cli("reclassify", str(SAMPLES), "--criteria", str(V2), "--setting", "bestaat_niet=1")
    assert bad.returncode == 2 and "bestaat_niet" in bad.stderr


# --- proven, but not here ------------------------------------------------------------------------------


def test_proven_outside_the_tested_group_is_adjust_with_the_reason(c2: Criteria) -> None:
    fits = evaluate(proven(evidence__same_target_group="nee"), c2)
    assert (fits.class_, fits.advice, fits.rule) == ("kansrijk", "bijstellen", "bewezen_buiten_doelgroep")
    assert "voetnoot 15" in fits.deciding_rule.explanation.nl
    misfit = evaluate(proven(evidence__same_risk_level="nee", target_group__risk_level="laag"), c2)
    assert (misfit.class_, misfit.advice, misfit.rule) == ("stoppen", "bijstellen", "bewezen_buiten_doelgroep_bijstellen")
    assert "andere doelgroep of een ander risiconiveau" in misfit.deciding_rule.explanation.nl


# --- proven not to work ------------------------------------------------------------------------------------


def test_proven_not_to_work_needs_a_controlled_study_on_delinquency_or_behaviour(c2: Criteria) -> None:
    null = {"evidence__study_design": "rct", "evidence__effect_direction": "geen", "evidence__credible_adjustment": "nee"}
    on_delinquency = evaluate(promising(**null, evidence__outcome="delinquentie"), c2)
    assert (on_delinquency.class_, on_delinquency.advice, on_delinquency.rule) == ("stoppen", "stoppen", "geen_effect")
    attitudes_only = evaluate(promising(**null, evidence__outcome="attitudes"), c2)
    assert attitudes_only.rule != "geen_effect" and attitudes_only.class_ == "kansrijk"
    pre_post = evaluate(promising(**{**null, "evidence__study_design": "voor_en_nameting"}, evidence__outcome="gedrag"), c2)
    assert pre_post.rule != "geen_effect"


def test_a_higher_recognition_is_not_silently_overridden_by_an_own_null_result(c2: Criteria) -> None:
    verdict = evaluate(proven(evidence__recognition_level="goede_aanwijzingen", evidence__effect_direction="geen"), c2)
    assert verdict.rule != "geen_effect" and verdict.class_ == "bewezen_effectief"
    assert "eigen_nulresultaat_bij_hoge_erkenning" in notices(verdict)


def test_not_yet_promising_reads_adjust_or_stop_unlike_proven_not_to_work(c2: Criteria) -> None:
    not_yet = evaluate(promising(factors__active_ingredients=[], factors__protective_factors=[]), c2)
    assert (not_yet.class_, not_yet.advice) == ("stoppen", "bijstellen_of_stoppen")
    assert c2.label("advice", not_yet.advice, "nl") == "bijstellen of stoppen"
    assert not_yet.deciding_rule.label.nl.startswith("(Nog) niet bewezen en (nog) niet kansrijk")
    disproven = evaluate(promising(evidence__study_design="rct", evidence__effect_direction="geen",
                                   evidence__outcome="delinquentie", evidence__credible_adjustment="nee"), c2)
    assert disproven.advice == "stoppen" and disproven.deciding_rule.label.nl == "Bewezen niet werkzaam"


# --- harm signals ----------------------------------------------------------------------------------------------


def test_harm_signals_cite_the_literature_and_spare_kapot_sterk(c2: Criteria) -> None:
    cited = {s.id: {c.ref for c in s.source} for s in c2.document.harm_signals}
    assert "dishion-1999" in cited["samenbrengen_risicojongeren"]
    assert "petrosino-2013" in cited["afschrikking"] and "petrosino-2013" in cited["universele_voorlichting"]
    assert {"wodc-glenmills-2008", "inspecties-glenmills-2008"} <= cited["dwingend_groepsregime"]
    question = c2.item("harm_signals", "universele_voorlichting").question.nl
    assert "gevaren van criminaliteit" in question and "ex-)gedetineerden" in question
    assert "nee zeggen tegen ronselaars, vallen hier niet onder" in question
    kapot_sterk = load_assessment(SAMPLES / "kapot_sterk_tilburg.toml").assessment
    assert kapot_sterk.harm_signals["universele_voorlichting"].value == "nee"
    assert evaluate(kapot_sterk, c2).rule != "schade"
    talk = evaluate(promising(harm_signals__universele_voorlichting="ja"), c2)
    assert (talk.class_, talk.rule) == ("stoppen", "schade")


# --- recognition status, proven alternative ---------------------------------------------------------------------


def test_recognition_status_and_expiry_are_shown(c2: Criteria) -> None:
    assert "in_erkenningstraject" in notices(evaluate(promising(evidence__recognition_status="in_erkenningstraject"), c2))
    refused = evaluate(promising(evidence__recognition_status="geweigerd",
                                 evidence__refusal_reason="onvoldoende theoretische onderbouwing"), c2)
    shown = {n.id: n for n in refused.notices}
    assert shown["erkenning_geweigerd"].value == "onvoldoende theoretische onderbouwing"
    old = evaluate(proven(evidence__recognition_year=2017), c2)  # assessed in 2025: more than five years
    assert "erkenning_verlopen" in notices(old)
    assert "erkenning_verlopen" not in notices(evaluate(proven(evidence__recognition_year=2024), c2))
    assert old.class_ == evaluate(proven(evidence__recognition_year=2024), c2).class_  # shown, not a class change


def test_a_promising_verdict_names_a_proven_alternative(c2: Criteria) -> None:
    with_alternative = evaluate(promising(evidence__proven_alternative="ja"), c2)
    assert with_alternative.class_ == "kansrijk" and "bewezen_alternatief" in notices(with_alternative)
    assert "bewezen_alternatief" not in notices(evaluate(promising(), c2))
    assert "bewezen_alternatief" not in notices(evaluate(proven(evidence__proven_alternative="ja"), c2))


# --- catalogues and literature -----------------------------------------------------------------------------------


def test_the_factors_the_sources_name_are_in_the_catalogue(c2: Criteria) -> None:
    rf = c2.catalogues["risk_factors"]
    assert rf["agressief_gedrag"].domain == "individu" and "elke leeftijd" in rf["agressief_gedrag"].label.nl
    assert rf["wapenbezit"].dynamic and rf["online_criminaliteit"].dynamic
    for name in ("geen_huisvesting", "schulden", "geen_identiteitsbewijs", "geen_toegang_tot_zorg"):
        assert rf[name].domain == "basisvoorwaarden"
    assert "hic-2021" in {c.ref for c in rf["wapenbezit"].source}


def test_literature_is_cited_only_for_what_it_supports(c2: Criteria) -> None:
    for factor in c2.document.protective_factors:
        assert "assink-2015" not in {c.ref for c in factor.source}, factor.id
    for factor in c2.document.risk_factors:
        if factor.domain == "buurt":
            assert "assink-2015" not in {c.ref for c in factor.source}, factor.id
    assert "assink-2015" not in {c.ref for c in c2.item("domains", "buurt").source}
    for name in ("weerbaarheidstraining", "netwerkversterking", "begeleide_vrijetijdsbesteding"):
        item = c2.item("active_ingredients", name)
        assert "devries-2015" not in {c.ref for c in item.source} and item.design_choice, name
    for name in ("oudertraining", "gedragsmodellering", "gedragscontracten", "werken_in_gezinscontext"):
        assert "devries-2015" in {c.ref for c in c2.item("active_ingredients", name).source}, name


# --- plain Dutch ------------------------------------------------------------------------------------------------------

_JARGON = re.compile(r"deviancy|scared straight|less is more|risk-need|big four|grote vier|\bpoort\b|vangnet|niet \(nog\)",
                     re.IGNORECASE)


def _dutch_texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in ([v] if k == "nl" and isinstance(v, str) else _dutch_texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in _dutch_texts(v)]
    return []


def test_dutch_texts_use_no_english_jargon_or_engineering_words(c2: Criteria) -> None:
    texts = _dutch_texts(c2.document.model_dump())
    assert len(texts) > 300
    assert [t for t in texts if _JARGON.search(t)] == []


# --- samples true to the sources, and 2024.1 still working --------------------------------------------------------------


def test_samples_follow_the_sources() -> None:
    def sample(name: str) -> Assessment:
        return load_assessment(SAMPLES / f"{name}.toml").assessment

    rio = sample("rio_den_haag")
    assert (rio.target_group.age_min, rio.target_group.age_max) == (18, 35) and "mei 2023" in rio.intervention.description
    assert "RIEC" in sample("kapot_sterk_tilburg").intervention.provider
    assert "effect" in sample("kapot_sterk_tilburg").intervention.description
    assert sample("vios_arnhem").factors.active_ingredients is None
    assert sample("vios_arnhem").evidence.recognition_level == "geen_erkenning"  # the letters give VIOS no recognition
    robbers = sample("verscherpt_toezicht_overvallers")
    assert robbers.target_group.age_min >= 18 and "volwassen" in robbers.intervention.description
    assert sample("ipta_amsterdam").evidence.recognition_status == "in_erkenningstraject"


def test_criteria_2024_1_still_classifies_every_sample() -> None:
    old = load_criteria(V1)
    for file in sorted(SAMPLES.glob("*.toml")):
        verdict = evaluate(load_assessment(file).assessment, old)
        assert verdict.criteria_version == "2024.1" and verdict.trace
    assert old.settings["multimodaal_componenten"] == 3  # its rules are kept; only its citations were corrected
    assert all(c.ref in old.references for cond in old.document.conditions for c in cond.source)


def test_classify_with_the_strict_setting_names_it_in_the_trace() -> None:
    ajb = str(SAMPLES / "ajb_rotterdam.toml")
    lenient = run_cli("classify", "--trace", ajb)
    strict = run_cli("classify", "--trace", ajb, "--setting", "eerste_aanwijzingen_telt=false")
    assert strict.returncode == 0, strict.stderr
    assert "Klasse: bewezen effectief (definitief)" in lenient.stdout
    assert "Klasse: kansrijk (definitief)" in strict.stdout
    row = "Bewijsstandaard ruim: eerste aanwijzingen en één eigen gecontroleerde studie tellen mee"
    assert f"✔ {row} [instelling: ja; nodig: ja]" in lenient.stdout
    assert f"✘ {row} [instelling: nee; nodig: ja]" in strict.stdout
    wrong = run_cli("classify", ajb, "--setting", "eerste_aanwijzingen_telt=misschien")
    assert wrong.returncode == 2 and "eerste_aanwijzingen_telt" in wrong.stderr
