"""Which active ingredients count is data: ``counts = false`` in the catalogue (practice knowledge).

The rules of 2024.3 count ``derived.counted_ingredients`` (the chosen ingredients whose catalogue entry counts);
practice knowledge is ``derived.uncounted_ingredients``, shown with a notice and never counted. No rule names
an ingredient id, so changing the flag in the catalogue is all it takes to change what counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate, next_steps
from tests.builders import build
from tests.conftest import rewrite
from tests.unit.test_criteria_2024_3 import V3

PRACTICE = {"begeleide_vrijetijdsbesteding", "netwerkversterking", "weerbaarheidstraining"}


@pytest.fixture(scope="module")
def c3() -> Criteria:
    return load_criteria(V3)


def test_the_catalogue_marks_practice_knowledge_and_no_rule_names_an_ingredient(c3: Criteria) -> None:
    ingredients = c3.catalogues["active_ingredients"]
    assert {i for i, item in ingredients.items() if not item.counts} == PRACTICE
    assert not [c.id for c in c3.document.conditions if c.field == "factors.active_ingredients"]
    counted = {c.id for c in c3.document.conditions if c.count == "derived.counted_ingredients"}
    assert counted == {"werkzaam_bestanddeel", "meerdere_componenten"}


def test_practice_knowledge_is_shown_and_never_counted(c3: Criteria) -> None:
    one_science_one_practice = build(factors__active_ingredients=["cognitieve_gedragstraining", "weerbaarheidstraining"])
    verdict = evaluate(one_science_one_practice, c3)
    assert verdict.class_ == "stoppen" and "praktijkbestanddeel" in {n.id for n in verdict.notices}
    two_science = build(factors__active_ingredients=["cognitieve_gedragstraining", "gedragsmodellering"])
    assert evaluate(two_science, c3).class_ == "kansrijk"


def test_the_flag_alone_decides_what_counts(criteria_copy: Path) -> None:
    rewrite(criteria_copy / "werkzame_bestanddelen.toml", 'id = "weerbaarheidstraining"\ndomains = ["individu"]\ncounts = false\n',
            'id = "weerbaarheidstraining"\ndomains = ["individu"]\n')
    counting = load_criteria(criteria_copy)
    verdict = evaluate(build(factors__active_ingredients=["cognitieve_gedragstraining", "weerbaarheidstraining"]), counting)
    assert verdict.class_ == "kansrijk" and "praktijkbestanddeel" not in {n.id for n in verdict.notices}


def test_one_step_says_what_is_missing_instead_of_one_option_per_ingredient(c3: Criteria) -> None:
    verdict = evaluate(build(factors__active_ingredients=["oudertraining"]), c3)
    assert verdict.class_ == "stoppen"
    steps = next_steps(verdict, c3, nearest_only=True)
    # two ways to multimodal: another counted ingredient, or a second life domain; not one option per ingredient
    assert [[(c.condition, c.want) for c in s.changes] for s in steps] == [
        [("meerdere_componenten", True)], [("meerdere_domeinen", True)]]
    remedy = steps[0].changes[0].remedy
    assert remedy is not None and remedy.get("nl") == "Voeg nog een werkzaam bestanddeel met een wetenschappelijke bron toe."
