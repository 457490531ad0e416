"""An option that reads the same as an earlier one of its class is shown once (explain.distinct_options).

Two options may need different answers to the same open question (one rule passes with *gemiddeld*, another
with *intensief*). A step never says which answer, only "Beantwoord: …", so such options read the same; the
terminal text, the TUI and the report showed them as "Optie 1" and "Optie 2" with the same steps. The JSON keeps
every option: it names each option's rule and conditions, which do differ."""

from __future__ import annotations

import json
import re

import pytest

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.report import render_report
from kwaliteitskader.core.rules.engine import evaluate, next_steps, steps_by_class
from kwaliteitskader.core.rules.explain import distinct_options, option_steps, verdict_dict, verdict_text
from tests.conftest import SAMPLES, run_cli
from tests.unit.test_engine_independence import assessments

STEP = re.compile(r"^    \[ \] (.+? \([^()]*\))(?::|$)")
"""A step line: its text and who takes it, without what its answers lead to (shown when few are open)."""

INCOMPLETE = SAMPLES / "onvolledig_weerbaarheid_enschede.toml"
"""A sample whose options per class come in pairs that read the same."""


def _read(options: list[list[tuple[str, object]]]) -> list[tuple[str, ...]]:
    return [tuple(text for text, _change in steps) for steps in options]


def test_distinct_options_keeps_the_first_of_each_reading_in_order(criteria: Criteria) -> None:
    seen_a_repeat = False
    for assessment in assessments(criteria, 150, seed=3):
        verdict = evaluate(assessment, criteria)
        for options in steps_by_class(next_steps(verdict, criteria)).values():
            every = [tuple(text for text, _c in option_steps(o, criteria, "nl")) for o in options]
            shown = _read(distinct_options(options, criteria, "nl"))
            assert shown == list(dict.fromkeys(every))  # nothing that reads differently is left out
            seen_a_repeat = seen_a_repeat or len(shown) < len(every)
    assert seen_a_repeat  # generated answers do give such options: the test looks at some


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_text_shows_each_option_of_a_class_once(criteria: Criteria, lang: str) -> None:
    loaded = load_assessment(INCOMPLETE)
    verdict = evaluate(loaded.assessment, criteria)
    option = "Optie" if lang == "nl" else "Option"
    for trace in (False, True):
        text = verdict_text(verdict, criteria, lang, trace=trace, assessment=loaded.assessment)
        blocks = re.split(r"\n(?=\S)", text)  # a heading per class, its options indented below it
        shown_per_class = []
        for block in blocks:
            options = re.split(rf"\n  {option} \d+:", block)[1:]
            if not options:
                continue
            # the steps, without what an answer leads to (shown when few questions are open)
            steps = [tuple(STEP.match(line).group(1) for line in o.split("\n") if STEP.match(line))  # type: ignore[union-attr]
                     for o in options]
            assert all(steps)
            assert len(set(steps)) == len(steps), block
            numbers = re.findall(rf"\n  {option} (\d+):", block)
            assert numbers == [str(n) for n in range(1, len(options) + 1)]
            shown_per_class.append(len(options))
        expected = [len(distinct_options(options, criteria, lang)) for options in steps_by_class(next_steps(verdict, criteria)).values()]
        assert shown_per_class == expected
        assert sum(expected) < len(next_steps(verdict, criteria))  # this sample has options that read the same


def test_the_report_numbers_the_distinct_options_and_json_keeps_every_option(criteria: Criteria) -> None:
    loaded = load_assessment(INCOMPLETE)
    verdict = evaluate(loaded.assessment, criteria)
    report = render_report(loaded.assessment, criteria, "md", "nl")
    for class_id, options in steps_by_class(next_steps(verdict, criteria)).items():
        label = criteria.label("classes", class_id, "nl")
        numbered = re.findall(rf"{re.escape(label)} — Optie (\d+)", report)
        assert numbered == [str(n) for n in range(1, len(distinct_options(options, criteria, "nl")) + 1)]
    as_json = verdict_dict(verdict, criteria, "nl", assessment=loaded.assessment)
    assert sum(len(group["options"]) for group in as_json["next_steps"]) == len(next_steps(verdict, criteria))
    result = run_cli("classify", "--json", INCOMPLETE)
    printed = json.loads(result.stdout)[0]
    assert [len(g["options"]) for g in printed["next_steps"]] == [len(o) for o in steps_by_class(next_steps(verdict, criteria)).values()]
