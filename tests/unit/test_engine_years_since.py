"""The ``years_since`` condition kind: whole years from a year answer to the year of the assessment's date.

A criteria fixture (the bundled set with one extra first rule) uses it: a recognition older than twenty
years on the assessment's date stops the intervention. The assessment's date decides, never today's clock;
either answer missing makes the comparison unknown, and the missing answers name the one that is open.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import Assessment, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Truth, evaluate, next_steps
from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text
from tests.conftest import SAMPLES

CONDITION = '''
[[conditions]]
id = "erkenning_twintig_jaar_oud"
label = { nl = "De erkenning is meer dan twintig jaar oud", en = "The recognition is more than twenty years old" }
source = ["nji-erkenning"]
years_since = "evidence.recognition_year"
op = "gt"
value = 20
make_true = { actor = "niet_wijzigbaar", reason = { nl = "Een jaartal verandert niet.", en = "A year does not change." } }
make_false = { actor = "onderzoek", remedy = { nl = "Vraag herbeoordeling aan.", en = "Apply for reassessment." } }
'''

RULE = '''[[rules]]
id = "erkenning_verouderd"
class = "stoppen"
advice = "stoppen"
when = "erkenning_twintig_jaar_oud"
label = { nl = "Verouderde erkenning", en = "Outdated recognition" }
explanation = { nl = "Een proefregel.", en = "A test rule." }
source = ["nji-erkenning"]

'''


@pytest.fixture
def aged(criteria_copy: Path) -> Criteria:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    first_rule = text.index("[[rules]]")
    rules.write_text(text[:first_rule] + CONDITION.lstrip() + "\n" + RULE + text[first_rule:], encoding="utf-8")
    return load_criteria(criteria_copy)


def _ajb(year: int | None, on: dt.date | None) -> Assessment:
    a = load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment
    return set_path(set_path(a, "evidence.recognition_year", year), "meta.assessed_on", on)


def test_the_years_count_to_the_assessment_date(aged: Criteria) -> None:
    old = evaluate(_ajb(2005, dt.date(2030, 6, 1)), aged)
    assert (old.class_, old.rule) == ("stoppen", "erkenning_verouderd")
    row = old.trace[0].conditions[0]
    assert (row.id, row.result) == ("erkenning_twintig_jaar_oud", Truth.PASS)
    assert row.input == "25 (2005 → 2030-06-01)"  # the trace shows both inputs
    assert row.fields == ("evidence.recognition_year", "meta.assessed_on")
    assert row.expected == "> 20"
    recent = evaluate(_ajb(2015, dt.date(2030, 6, 1)), aged)
    assert recent.trace[0].result is Truth.FAIL and recent.rule != "erkenning_verouderd"


def test_the_assessment_date_decides_not_today(aged: Criteria) -> None:
    """The same recognition year, assessed on two dates: the verdict follows the date in the file."""
    then = evaluate(_ajb(2000, dt.date(2019, 1, 1)), aged)
    later = evaluate(_ajb(2000, dt.date(2021, 1, 1)), aged)
    assert then.trace[0].result is Truth.FAIL and later.trace[0].result is Truth.PASS


@pytest.mark.parametrize(("year", "on", "open_field"), [
    (None, dt.date(2030, 6, 1), "evidence.recognition_year"),
    (2005, None, "meta.assessed_on"),
])
def test_a_missing_input_makes_it_unknown_and_is_named(aged: Criteria, year: int | None, on: dt.date | None,
                                                     open_field: str) -> None:
    verdict = evaluate(_ajb(year, on), aged)
    assert verdict.trace[0].result is Truth.UNKNOWN
    assert verdict.provisional and set(verdict.possible_classes) == {"stoppen", "bewezen_effectief"}
    assert [m.field for m in verdict.missing] == [open_field]
    answer = [c for s in next_steps(verdict, aged) for c in s.changes if c.condition == "erkenning_twintig_jaar_oud"]
    assert answer and all(c.answer and c.fields == (open_field,) for c in answer)
    text = verdict_text(verdict, aged, "nl", trace=True)
    assert "erkenning" in text.lower() and verdict_dict(verdict, aged, "en")["class"] is None


@pytest.mark.parametrize(("old", "new", "code"), [
    ('years_since = "evidence.recognition_year"', 'years_since = "intervention.name"', "type"),
    ('years_since = "evidence.recognition_year"', 'years_since = "evidence.bestaat_niet"', "unknown-field"),
    ('years_since = "evidence.recognition_year"\nop = "gt"', 'years_since = "evidence.recognition_year"\nop = "in"',
     "type"),
])
def test_the_checks_treat_it_as_a_number(criteria_copy: Path, old: str, new: str, code: str) -> None:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    first_rule = text.index("[[rules]]")
    broken = CONDITION.replace(old, new)
    assert broken != CONDITION
    rules.write_text(text[:first_rule] + broken.lstrip() + "\n" + RULE + text[first_rule:], encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        load_criteria(criteria_copy)
    assert code in [f.code for f in raised.value.findings]
    assert any(f.file.endswith("regels.toml") and f.line for f in raised.value.findings)
