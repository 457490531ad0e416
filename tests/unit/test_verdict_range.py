"""Verdicts a municipality can act on.

- Provisional means a range: the classes some completion of the missing answers reaches, never one that no
  completion reaches (checked against brute force over every completion of up to four open answers).
- Steps up follow each condition's change model: research is never undone, a harm signal is only removed
  by changing the intervention, monitoring and quality are never dropped.
- Questions that do not apply are n.v.t.: never missing, an answer to them kept but not read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import Assessment, FieldKind, Tri, answer_fields, get_path, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import DERIVED, Verdict, answer_outcomes, evaluate, fields_read, next_steps, steps_by_class
from kwaliteitskader.core.rules.explain import rule_sentence, summary_text, verdict_dict
from tests.conftest import ROOT, SAMPLES, repetitions

SETS = {name: load_criteria(ROOT / "criteria" / name) for name in ("2024.1", "2024.2", "2024.3")}
FIXED = SETS["2024.1"]
"""The engine's mechanics are pinned on one set; the invariants run on every bundled set."""
FIELDS = answer_fields()
ASSESSED_ON = dt.date(2026, 1, 15)


def _sample(name: str) -> Assessment:
    return load_assessment(SAMPLES / f"{name}.toml").assessment


# --- the range ------------------------------------------------------------------------------------------


def test_empty_assessment_can_still_become_every_class_and_has_no_class() -> None:
    for criteria in SETS.values():
        verdict = evaluate(Assessment(), criteria)
        assert verdict.provisional and verdict.class_ is None
        assert verdict.possible_classes == ("bewezen_effectief", "kansrijk", "stoppen")
        d = verdict_dict(verdict, criteria, "nl")
        assert d["class"] is None and d["possible_classes"] == ["bewezen_effectief", "kansrijk", "stoppen"]
        assert d["summary"].startswith("Nog geen oordeel: kan bewezen effectief, kansrijk of stoppen worden")


def test_dose_registration_alone_open_gives_promising_or_proven() -> None:
    """Two answers lead to two classes; 'stoppen' (what no answer gives) is not shown."""
    verdict = evaluate(set_path(_sample("ajb_rotterdam"), "delivery.dose_registration", "onbekend"), FIXED)
    assert verdict.possible_classes == ("bewezen_effectief", "kansrijk")
    assert [(m.field, m.could_lead_to) for m in verdict.missing] == [
        ("delivery.dose_registration", ("bewezen_effectief", "kansrijk"))]
    assert answer_outcomes(verdict, FIXED, "delivery.dose_registration") == (
        (("ja",), ("bewezen_effectief",)), (("nee",), ("kansrijk",)))
    text = summary_text(verdict, FIXED, "nl")
    assert text == "Nog geen oordeel: kan bewezen effectief of kansrijk worden, afhankelijk van: " \
                   "Wordt de geleverde dosis geregistreerd"


@pytest.mark.parametrize("version", ["2024.2", "2024.3"])
def test_a_single_open_answer_leads_to_exactly_the_classes_its_answers_give(version: str) -> None:
    """With one answer open, "afhankelijk van het antwoord kan het oordeel worden: ..." names exactly the
    classes its answers lead to, also when the answer is read by an earlier rule than the one that decides
    (an open harm signal: *nee* lets the later kansrijk rule decide, so it can lead to kansrijk too)."""
    criteria = SETS[version]
    checked = 0
    for file in sorted(SAMPLES.glob("*.toml")):
        complete = load_assessment(file).assessment
        for signal in sorted(criteria.catalogues["harm_signals"]):
            signals = {k: v for k, v in complete.harm_signals.items() if k != signal}
            verdict = evaluate(complete.model_copy(update={"harm_signals": signals}), criteria)
            if len(verdict.missing) != 1 or verdict.missing[0].advice_only:
                continue
            (missing,) = verdict.missing
            given = {c for _answers, classes in answer_outcomes(verdict, criteria, missing.field) for c in classes}
            assert set(missing.could_lead_to) == given == set(verdict.possible_classes), (file.name, signal)
            checked += 1
    assert checked >= 5


def test_an_open_answer_that_only_changes_the_advice_leaves_the_class_decided() -> None:
    no_effect = set_path(_sample("verscherpt_toezicht_overvallers"), "evidence.credible_adjustment", "onbekend")
    verdict = evaluate(no_effect, FIXED)
    assert not verdict.provisional and verdict.class_ == "stoppen"
    assert verdict.advice_provisional and set(verdict.possible_advice) == {"bijstellen", "stoppen"}
    assert [(m.field, m.could_lead_to, m.advice_only) for m in verdict.missing] == [
        ("evidence.credible_adjustment", ("stoppen",), True)]
    d = verdict_dict(verdict, FIXED, "nl")
    assert (d["class"], d["provisional"], d["advice"], d["advice_provisional"]) == ("stoppen", False, None, True)


# --- brute force: the engine's range equals what the completions reach ------------------------------------


def _rule_fields(criteria: Criteria) -> list[str]:
    read = {f for c in criteria.document.conditions if c.field or c.count for f in fields_read(c.field or c.count or "")}
    read |= {f"harm_signals.{s}" for s in criteria.catalogues["harm_signals"]}
    return sorted(read)


def _thresholds(criteria: Criteria) -> list[int]:
    values = {0, 40}
    for cond in criteria.document.conditions:
        expected = criteria.settings.get(cond.setting) if cond.setting else cond.value
        if isinstance(expected, int) and not isinstance(expected, bool):
            values |= {expected - 1, expected, expected + 1}
    return sorted(v for v in values if v >= 0)


def _year_thresholds(criteria: Criteria, path: str) -> list[int]:
    """For a year that a ``years_since`` condition reads: the years around its limit on :data:`ASSESSED_ON`."""
    values: set[int] = set()
    for cond in criteria.document.conditions:
        if getattr(cond, "years_since", None) == path:
            years = criteria.settings.get(cond.setting) if cond.setting else cond.value
            assert isinstance(years, int)
            values |= {ASSESSED_ON.year - years - 1, ASSESSED_ON.year - years, ASSESSED_ON.year - years + 1}
    return sorted(values)


def _bounds(path: str) -> tuple[int, int]:
    section, _, name = path.partition(".")
    model: Any = Assessment.model_fields[section].annotation
    low, high = 0, 200
    for item in model.model_fields[name].metadata:
        low, high = getattr(item, "ge", low), getattr(item, "le", high)
    return int(low), int(high)


def _domain(criteria: Criteria, path: str) -> list[Any]:
    """Every value a completion may give (for lists: a representative few, see the test)."""
    if path.startswith("harm_signals."):
        return ["ja", "nee"]
    info = FIELDS[path]
    if info.kind is FieldKind.TRI:
        return ["ja", "nee"]
    if info.kind is FieldKind.CHOICE:
        return sorted(criteria.catalogues[str(info.catalogue)])
    if info.kind is FieldKind.INT:
        low, high = _bounds(path)
        return sorted({low, high} | {v for v in _thresholds(criteria) + _year_thresholds(criteria, path)
                                     if low <= v <= high})
    if info.kind is FieldKind.MULTI:
        ids = sorted(criteria.catalogues[str(info.catalogue)])
        return [[], ids, ids[:2], ids[:3], *([i] for i in ids)]
    raise AssertionError(path)


def _known(criteria: Criteria, path: str) -> st.SearchStrategy[Any]:
    return st.sampled_from(_domain(criteria, path))


@st.composite
def partly_open(draw: st.DrawFn, criteria: Criteria) -> tuple[Assessment, list[str]]:
    """A complete assessment with up to four rule-read answers left open."""
    paths = _rule_fields(criteria)
    open_paths = draw(st.lists(st.sampled_from(paths), max_size=4, unique=True))
    data: dict[str, dict[str, Any]] = {}
    signals: dict[str, str] = {}
    for path in paths:
        section, _, name = path.partition(".")
        value = None if path in open_paths else draw(_known(criteria, path))
        if section == "harm_signals":
            signals[name] = "onbekend" if value is None else value
        elif value is None:
            info = FIELDS[path]
            data.setdefault(section, {})[name] = "onbekend" if info.kind in (FieldKind.TRI, FieldKind.CHOICE) else None
        else:
            data.setdefault(section, {})[name] = value
    # dated, as a saved assessment is: the recognition's expiry (2024.3) is judged on the assessment's date
    data["meta"] = {"assessed_on": ASSESSED_ON}
    return Assessment.model_validate({**data, "harm_signals": signals}), open_paths


def _reached(criteria: Criteria, assessment: Assessment, open_paths: list[str]) -> set[str]:
    classes = set()
    for values in itertools.product(*(_domain(criteria, p) for p in open_paths)):
        completed = assessment
        for path, value in zip(open_paths, values, strict=True):
            completed = set_path(completed, path, value)
        verdict = evaluate(completed, criteria, conditions=False)
        assert not verdict.provisional, "a completion with every rule-read answer given is decided"
        classes.add(verdict.class_)
    return classes


BRUTE = settings(max_examples=repetitions(25, 100), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.repeated
@pytest.mark.parametrize("version", sorted(SETS))
def test_the_range_is_exactly_what_the_completions_reach(version: str) -> None:
    criteria = SETS[version]

    @BRUTE
    @given(partly_open(criteria))
    def check(case: tuple[Assessment, list[str]]) -> None:
        assessment, open_paths = case
        size = 1
        for path in open_paths:
            size *= len(_domain(criteria, path))
        if size > 3000:
            open_paths = open_paths[:2]  # keep the brute force affordable: complete the rest first
            for path in case[1][2:]:
                assessment = set_path(assessment, path, _domain(criteria, path)[0])
        verdict = evaluate(assessment, criteria)
        reached = _reached(criteria, assessment, open_paths)
        engine = set(verdict.possible_classes)
        assert reached <= engine, "every class a completion reaches is in the range"
        lists = any(FIELDS.get(p) is not None and FIELDS[p].kind is FieldKind.MULTI for p in open_paths)
        if not lists:  # the completions of yes/no, choice and number answers are all enumerated: exact
            assert engine == reached, "never a class that no completion reaches"
        assert verdict.provisional == (len(engine) > 1)
        for missing in verdict.missing:
            assert missing.field in open_paths or missing.field in {
                r for p in open_paths if p in DERIVED for r in DERIVED[p].reads}
            assert set(missing.could_lead_to) <= engine

    check()


# --- change models ---------------------------------------------------------------------------------------

RESEARCH = ("evidence.study_design", "evidence.effect_direction", "evidence.outcome", "evidence.recognition_level",
            "evidence.study_count", "evidence.follow_up_months", "evidence.independent_replication")
QUALITY = ("delivery.", "intervention.manual")


def _check_steps(verdict: Verdict, criteria: Criteria) -> None:
    """No offered step undoes research, adds harm, re-answers a harm question or drops a quality feature."""
    for option in next_steps(verdict, criteria):
        for change in option.changes:
            cond = criteria.conditions[change.condition]
            path = cond.field or cond.count or ""
            model = cond.make_true if change.want else cond.make_false
            if change.answer:
                assert change.kind == "beantwoord"
                continue  # an open question: answering it is always honest
            assert model is not None and model.offered and model.actor != "niet_wijzigbaar", (cond.id, change.want)
            assert change.remedy is not None and change.kind in ("actie", "onderzoek")
            if path.startswith("harm_signals."):
                assert change.want is False and change.actor == "aanbieder"  # only by changing the intervention
                assert "bijstellen" in change.remedy.get("nl")
            if path in RESEARCH and not change.want:
                assert change.actor == "onderzoek"  # only new research (into an adjusted version)
            if path.startswith(QUALITY):
                assert change.want is True, cond.id


@pytest.mark.parametrize("version", sorted(SETS))
def test_no_sample_is_offered_a_dishonest_step(version: str) -> None:
    criteria = SETS[version]
    for sample in sorted(SAMPLES.glob("*.toml")):
        _check_steps(evaluate(load_assessment(sample).assessment, criteria), criteria)


@st.composite
def any_assessment(draw: st.DrawFn, criteria: Criteria) -> Assessment:
    assessment, _ = draw(partly_open(criteria))
    for path in draw(st.lists(st.sampled_from(_rule_fields(criteria)), max_size=12, unique=True)):
        info = FIELDS.get(path)
        tri_or_choice = info is None or info.kind in (FieldKind.TRI, FieldKind.CHOICE)
        assessment = set_path(assessment, path, "onbekend" if tri_or_choice else None)
    return assessment


@pytest.mark.parametrize("version", sorted(SETS))
def test_no_generated_assessment_is_offered_a_dishonest_step(version: str) -> None:
    criteria = SETS[version]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(any_assessment(criteria))
    def check(assessment: Assessment) -> None:
        _check_steps(evaluate(assessment, criteria), criteria)

    check()


@pytest.mark.parametrize("version", sorted(SETS))
def test_steps_reach_every_higher_class_grouped_per_class(version: str) -> None:
    """Proven parent training that ends with a scared-straight talk: taking the talk out alone makes
    it proven effective, offered under 'bewezen effectief' (not only routes to 'kansrijk')."""
    criteria = SETS[version]
    talk = set_path(_sample("ajb_rotterdam"), "harm_signals.afschrikking", "ja")
    verdict = evaluate(talk, criteria)
    assert (verdict.class_, verdict.rule) == ("stoppen", "schade")
    groups = steps_by_class(next_steps(verdict, criteria))
    assert list(groups)[-1] == "bewezen_effectief" and list(groups) == sorted(groups, key=criteria.class_rank.get)
    best = groups["bewezen_effectief"][0]
    assert [(c.condition, c.want, c.actor, c.kind) for c in best.changes] == [
        ("signaal_afschrikking", False, "aanbieder", "actie")]
    for option in groups.get("kansrijk", []):  # what lands in 'bewezen effectief' is not offered as 'kansrijk'
        assert [c.condition for c in option.changes] != ["signaal_afschrikking"]
    assert evaluate(set_path(talk, "harm_signals.afschrikking", "nee"), criteria).class_ == "bewezen_effectief"


def test_research_that_found_harm_or_no_effect_is_never_undone() -> None:
    ajb = _sample("ajb_rotterdam")
    negative = set_path(set_path(ajb, "evidence.study_design", "rct"), "evidence.effect_direction", "negatief")
    verdict = evaluate(negative, FIXED)
    assert verdict.class_ == "stoppen" and next_steps(verdict, FIXED) == ()  # nothing honest moves it up
    assert "Geen weg naar een hogere klasse" in verdict_text_nl(verdict)
    no_effect = evaluate(_sample("verscherpt_toezicht_overvallers"), FIXED)
    for option in next_steps(no_effect, FIXED):
        leave = [c for c in option.changes if c.condition == "effect_geen"]
        assert leave and leave[0].actor == "onderzoek" and "opnieuw gecontroleerd" in (leave[0].remedy or FIXED.header.title).get("nl")


def test_monitoring_is_never_offered_to_be_dropped() -> None:
    """A new neighbourhood project is never advised to have no monitoring plan."""
    verdict = evaluate(_sample("wijkaanpak_samen_sterk_eindhoven"), FIXED)
    assert all(not (c.condition == "monitoringsplan" and not c.want) for o in next_steps(verdict, FIXED) for c in o.changes)


def test_a_harm_signal_is_removed_by_adjusting_never_by_re_answering() -> None:
    verdict = evaluate(_sample("groepsregime_type_glen_mills"), FIXED)
    harm = [c for o in next_steps(verdict, FIXED) for c in o.changes if c.condition.startswith("signaal_") and not c.answer]
    assert harm and all(c.actor == "aanbieder" and "(bijstellen)" in (c.remedy.get("nl") if c.remedy else "") for c in harm)


def verdict_text_nl(verdict: Verdict) -> str:
    from kwaliteitskader.core.rules.explain import verdict_text

    return verdict_text(verdict, FIXED, "nl")


def test_validate_rejects_a_condition_needed_false_without_a_false_side(tmp_path: Path) -> None:
    target = tmp_path / "criteria"
    shutil.copytree(ROOT / "criteria" / "2024.1", target)
    rules = target / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = lines.index('id = "zelfde_doelgroep"')
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("make_false = "))
    del lines[end]
    rules.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        load_criteria(target)
    [finding] = raised.value.findings
    assert finding.code == "change-model-missing" and "zelfde_doelgroep" in finding.message
    assert finding.file.endswith("regels.toml") and finding.line == start + 1


def test_validate_checks_applies_when(tmp_path: Path) -> None:
    target = tmp_path / "criteria"
    shutil.copytree(ROOT / "criteria" / "2024.1", target)
    questions = target / "vragen.toml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace('applies_when = "handleiding"', 'applies_when = "handleiding_bestaat_niet"', 1),
                         encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        load_criteria(target)
    assert [f.code for f in raised.value.findings] == ["unknown-reference"]
    questions.write_text(text.replace('applies_when = "geen_effect_aangetoond"',
                                      'applies_when = "geloofwaardige_bijstelling"', 1),
                         encoding="utf-8")  # whether the question applies would depend on its own answer
    with pytest.raises(FindingsError) as raised:
        load_criteria(target)
    assert [f.code for f in raised.value.findings] == ["cycle"]


# --- questions that fit the case ----------------------------------------------------------------------------

FOLLOW_UPS = ("evidence.study_count", "evidence.outcome", "evidence.follow_up_months", "evidence.effect_direction",
              "evidence.independent_replication", "evidence.same_target_group", "evidence.same_risk_level",
              "evidence.credible_adjustment")


@pytest.mark.parametrize("version", sorted(SETS))
def test_with_no_study_no_evidence_follow_up_is_asked_or_missing(version: str) -> None:
    criteria = SETS[version]
    # never applied for: from 2024.3 on, a refusal for want of effect also asks for a credible adjustment
    no_study = Assessment.model_validate({"evidence": {"study_design": "geen_onderzoek",
                                                       "recognition_level": "geen_erkenning",
                                                       "recognition_status": "niet_aangevraagd"}})
    verdict = evaluate(no_study, criteria)
    assert set(FOLLOW_UPS) <= set(verdict.not_applicable)
    assert not set(FOLLOW_UPS) & {m.field for m in verdict.missing}
    answered = set_path(no_study, "evidence.same_target_group", "ja")
    again = evaluate(answered, criteria)
    assert again.ignored == ("evidence.same_target_group",)  # kept in the file, not read
    assert get_path(answered, "evidence.same_target_group") == Tri.JA
    assert (again.possible_classes, again.missing, next_steps(again, criteria)) == (
        verdict.possible_classes, verdict.missing, next_steps(verdict, criteria))
    d = verdict_dict(again, criteria, "nl")
    assert d["ignored"] == [{"field": "evidence.same_target_group",
                             "question": "Uitgevoerd bij dezelfde doelgroep als onderzocht?"}]


def test_training_is_only_asked_when_there_is_a_manual() -> None:
    without = evaluate(set_path(Assessment(), "intervention.manual", "nee"), FIXED)
    assert {"delivery.trained_staff", "delivery.fidelity_monitoring"} <= set(without.not_applicable)
    assert "delivery.trained_staff" not in evaluate(Assessment(), FIXED).not_applicable  # may still apply


def test_an_answer_waiting_for_its_applicability_is_not_read_as_given() -> None:
    """Credible adjustment answered 'ja' while the effect direction is open: it only counts if research
    found no effect; the open question is the effect direction, not the adjustment."""
    a = set_path(set_path(_sample("verscherpt_toezicht_overvallers"), "evidence.effect_direction", "onbekend"),
                 "evidence.credible_adjustment", "ja")
    verdict = evaluate(a, FIXED)
    fields = {m.field for m in verdict.missing}
    assert "evidence.effect_direction" in fields and "evidence.credible_adjustment" not in fields


# --- the readable trace ------------------------------------------------------------------------------------


def test_each_rule_reads_as_one_sentence_with_labels_and_answers() -> None:
    verdict = evaluate(_sample("kapot_sterk_tilburg"), FIXED)
    ids = {c.id for c in FIXED.document.conditions} | set(FIXED.catalogues["study_designs"])
    for i, rule in enumerate(verdict.trace):
        sentence = rule_sentence(verdict, FIXED, i, "nl")
        assert sentence.count("\n") == 0 and sentence.endswith(".")
        assert rule.label.get("nl") in sentence
        words = set(sentence.replace("(", " ").replace(")", " ").replace(",", " ").replace(";", " ").split())
        assert not words & ids, words & ids
    first = rule_sentence(verdict, FIXED, 1, "nl")
    assert "geldt niet" in first and "antwoord: geen effectonderzoek" in first
