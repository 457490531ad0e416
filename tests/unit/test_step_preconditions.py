"""A step is offered only where its precondition holds (``requires`` on a change model, ``otherwise`` where not).

Criteria 2024.3: applying for recognition needs effect research and no refusal (after a refusal the step is:
adjust, study again, apply again); delivering the intervention to the target group or risk level "from the
research" needs research (without it the step is research with this group). The steps are read from "Wat is er
nodig?" of small built assessments, as ``classify`` shows them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate, next_steps
from kwaliteitskader.core.rules.verdict import Change
from tests.builders import build

APPLY = "Vraag (opnieuw) erkenning aan bij de erkenningscommissie."
AFTER_REFUSAL = "Stel de interventie bij, laat de bijgestelde versie onderzoeken en vraag daarna opnieuw erkenning aan"
MATCH = ("zelfde_doelgroep", "zelfde_risiconiveau")


@pytest.fixture(scope="module")
def c3() -> Criteria:
    return load_criteria(Path(__file__).resolve().parents[2] / "criteria" / "2024.3")


def changes(criteria: Criteria, **answers: object) -> list[Change]:
    verdict = evaluate(build(**answers), criteria)
    return [c for step in next_steps(verdict, criteria) for c in step.changes]


def remedies(found: list[Change]) -> set[str]:
    return {c.remedy.get("nl") for c in found if c.remedy is not None}


def test_never_studied_gets_no_recognition_step_and_no_match_step_for_now(c3: Criteria) -> None:
    found = changes(c3)  # no research, recognition not applied for
    assert found, "the way up through own research is still shown"
    assert not any("erkenning aan" in r for r in remedies(found))
    match = [c for c in found if c.condition in MATCH]
    assert match and all(c.kind == "onderzoek" and c.actor == "onderzoek" for c in match)
    assert all("Laat het effectonderzoek doen bij" in c.remedy.get("nl") for c in match if c.remedy)


def test_after_a_refusal_the_recognition_step_is_adjust_study_and_apply_again(c3: Criteria) -> None:
    found = changes(c3, evidence__recognition_status="geweigerd_andere_reden", evidence__study_design="voor_en_nameting",
                    evidence__outcome="gedrag", evidence__effect_direction="positief")
    status = [c for c in found if c.condition == "status_erkend_of_in_traject"]
    assert status and all(c.remedy is not None and c.remedy.get("nl").startswith(AFTER_REFUSAL) for c in status)
    assert APPLY not in remedies(found)


def test_where_the_preconditions_hold_the_steps_are_offered_as_written(c3: Criteria) -> None:
    studied = changes(c3, evidence__study_design="voor_en_nameting", evidence__outcome="gedrag",
                      evidence__effect_direction="positief", evidence__same_target_group="ja",
                      evidence__same_risk_level="ja")
    assert APPLY in remedies(studied)
    elsewhere = changes(c3, evidence__study_design="rct", evidence__outcome="gedrag",
                        evidence__effect_direction="positief", evidence__same_target_group="nee",
                        evidence__same_risk_level="ja")
    match = [c for c in elsewhere if c.condition == "zelfde_doelgroep"]
    assert match and all(c.kind == "actie" and c.actor == "gemeente" for c in match)


def test_the_near_advice_counts_the_provider_and_says_so(c3: Criteria) -> None:
    """"Bijstellen" instead of "bijstellen of stoppen" when one or two changes make it kansrijk: the changes the
    provider can make count, and the texts say "de gemeente of de aanbieder"."""
    verdict = evaluate(build(factors__active_ingredients=["oudertraining"]), c3)
    steps = next_steps(verdict, c3, nearest_only=True)
    assert verdict.advice == "bijstellen" and {c.actor for c in steps[0].changes} == {"aanbieder"}
    near_rules = [r for r in c3.document.rules if r.advice_if_near]
    assert near_rules and all("de gemeente of de aanbieder" in r.explanation.nl for r in near_rules)


def _findings(folder: Path) -> list:
    with pytest.raises(FindingsError) as caught:
        load_criteria(folder)
    return caught.value.findings


def test_a_precondition_must_name_a_condition(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    old = 'requires = "erkenning_aan_te_vragen"'
    rules.write_text(text.replace(old, 'requires = "bestaat_niet"'), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    findings = _findings(criteria_copy)
    assert [(Path(f.file).name, f.line, f.code) for f in findings] == [("regels.toml", line, "unknown-reference")]
    assert "bestaat_niet" in findings[0].message


def test_without_otherwise_a_step_is_withheld_where_its_precondition_fails(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    start = text.index('requires = "onderzocht_of_erkend", otherwise = {')
    end = text.index("} } }", start)
    rules.write_text(text[:start] + 'requires = "onderzocht_of_erkend" }' + text[end + len("} } }"):], encoding="utf-8")
    criteria = load_criteria(criteria_copy)
    found = changes(criteria)
    assert not any(c.condition == "zelfde_doelgroep" for c in found)  # no option can go through it: none left
    assert any(c.condition == "zelfde_risiconiveau" for c in changes(criteria, evidence__study_design="rct"))
