"""The explanation says only what is known, in plain words.

Only the deciding rule decides: every rule after the first one that holds reads "niet meer bekeken", never
"geldt" or "voldaan". An unknown answer is never stated as a fact, an open advice cannot be taken for one
advice label, a comparison reads "antwoord: …; nodig: …" instead of symbols, an open question says what its
answer can change, and our design choices carry the wizard's mark "[eigen keuze]".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.report import render_report
from kwaliteitskader.core.rules import explain, operators
from kwaliteitskader.core.rules.engine import Verdict, evaluate
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[2]
AJB = SAMPLES / "ajb_rotterdam.toml"
OVERVALLERS = SAMPLES / "verscherpt_toezicht_overvallers.toml"


def _criteria(version: str = "2024.3") -> Criteria:
    return load_criteria(ROOT / "criteria" / version)


def _unknown_adjustment(tmp_path: Path) -> Path:
    """Verscherpt toezicht with the credible adjustment unknown: the class is certain, its rule and advice not."""
    text = OVERVALLERS.read_text(encoding="utf-8")
    changed = re.sub(r'(?m)^credible_adjustment = .*$', 'credible_adjustment = "onbekend"', text)
    assert changed != text
    path = tmp_path / "overvallers_onbekend.toml"
    path.write_text(changed, encoding="utf-8")
    return path


def _text(path: Path, criteria: Criteria, lang: str = "nl", *, trace: bool = True) -> tuple[Verdict, str]:
    assessment = load_assessment(path).assessment
    verdict = evaluate(assessment, criteria, conditions=trace)
    return verdict, explain.verdict_text(verdict, criteria, lang, trace=trace, assessment=assessment)


def _short_trace(text: str, lang: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(t("verdict.trace", lang=lang) + ":") + 1
    end = lines.index(t("verdict.trace_table", lang=lang) + ":")
    return lines[start:end]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_only_the_deciding_rule_decides_in_the_short_trace(lang: str) -> None:
    criteria = _criteria()
    verdict, text = _text(AJB, criteria, lang)
    decided = next(i for i, rule in enumerate(verdict.trace) if rule.decided)
    sentences = _short_trace(text, lang)
    assert len(sentences) == len(verdict.trace)
    holds = re.compile(r"— geldt(?! niet)" if lang == "nl" else r"— holds")
    not_looked_at = "niet meer bekeken" if lang == "nl" else "not looked at any more"
    assert [i for i, line in enumerate(sentences) if holds.search(line)] == [decided], sentences
    assert sentences[decided].lstrip().startswith("✔")
    after = sentences[decided + 1:]
    assert after, "the AJB sample is decided before the catch-all rule"
    for line in after:
        assert line.rstrip(".").endswith(not_looked_at), line
        assert "geldt" not in line and "hold" not in line and "✔" not in line and "✘" not in line
    catch_all = verdict.trace[-1].label.get(lang)
    assert any(catch_all in line and not_looked_at in line for line in after)


def test_the_full_table_never_marks_a_rule_after_the_decision_as_holding() -> None:
    criteria = _criteria()
    verdict, text = _text(AJB, criteria)
    table = text.split(t("verdict.trace_table", lang="nl") + ":")[1]
    rule_rows = [line for line in table.splitlines() if re.match(r"^ [→ ] [✔✘?] |^   · ", line)]
    assert len(rule_rows) == len(verdict.trace)
    decided = next(i for i, rule in enumerate(verdict.trace) if rule.decided)
    for row in rule_rows[decided + 1:]:
        assert row.startswith("   · ") and row.endswith("niet meer bekeken"), row
    assert rule_rows[decided].startswith(" → ✔ ")


def test_the_report_marks_the_rules_after_the_decision_as_not_looked_at() -> None:
    criteria = _criteria()
    report = render_report(load_assessment(AJB).assessment, criteria, "md", "nl")
    catch_all = next(line for line in report.splitlines() if "niet_bewezen_niet_kansrijk:" in line)
    assert "niet meer bekeken" in catch_all and "voldaan" not in catch_all, catch_all


@pytest.mark.parametrize("version", ["2024.3", "2024.2"])
def test_an_unknown_answer_is_not_stated_as_a_fact(tmp_path: Path, version: str) -> None:
    criteria = _criteria(version)
    verdict, text = _text(_unknown_adjustment(tmp_path), criteria)
    assert not verdict.provisional and len(verdict.possible_rules) > 1  # the class is known, its rule is not
    assert "geen geloofwaardige bijstelling" not in text
    assert f"Besloten door regel: {verdict.rule}" not in text
    assert "Besloten door regel: nog open" in text
    for rule_id in verdict.possible_rules:
        assert f"  - {rule_id} — " in text
    report = render_report(load_assessment(_unknown_adjustment(tmp_path)).assessment, criteria, "md", "nl")
    assert "geen geloofwaardige bijstelling" not in report and "None" not in report


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "Advies: nog open — kan 'bijstellen' of 'stoppen' worden, afhankelijk van: "),
    ("en", "Advice: still open — can become 'adjust' or 'stop', depending on: "),
])
def test_an_open_advice_reads_as_open(tmp_path: Path, lang: str, expected: str) -> None:
    criteria = _criteria()
    _verdict, text = _text(_unknown_adjustment(tmp_path), criteria, lang, trace=False)
    advice_line = next(line for line in text.splitlines() if line.startswith(t("verdict.advice", lang=lang) + ":"))
    assert advice_line.startswith(expected), advice_line
    # the single advice label "bijstellen, anders stoppen" can never be read into the open form
    assert criteria.label("advice", "bijstellen_of_stoppen", lang) not in advice_line


def test_an_advice_only_question_says_it_can_change_the_advice(tmp_path: Path) -> None:
    criteria = _criteria()
    _verdict, text = _text(_unknown_adjustment(tmp_path), criteria, trace=False)
    question = next(line for line in text.splitlines() if "geloofwaardige bijstelling mogelijk?" in line)
    assert question.endswith("(het antwoord kan het advies nog veranderen)"), question
    assert "kan leiden tot" not in text


def test_comparisons_read_answer_and_need_in_words() -> None:
    criteria = _criteria()
    texts = [_text(path, criteria)[1] for path in sorted(SAMPLES.glob("*.toml"))]
    table = "\n".join(text.split(t("verdict.trace_table", lang="nl") + ":")[1] for text in texts)
    for symbol in ("∈", "∉", "∋", "≥", "≤", "≠", "[— "):
        assert symbol not in table, symbol
    assert "[aantal: 0; nodig: minstens 1]" in table
    assert ("[antwoord: quasi-experimenteel (vergelijkbare controlegroep); nodig: quasi-experimenteel "
            "(vergelijkbare controlegroep), gerandomiseerd experiment (RCT) of meerdere gecontroleerde studies]") in table


def test_every_operator_says_what_it_needs_in_dutch_and_english() -> None:
    for name, operator in operators.OPERATORS.items():
        assert "{value}" in operator.need_nl and "{value}" in operator.need_en, name
    assert operators.need("ge", "1", "nl") == "minstens 1"
    assert operators.need("ge", "1", "en") == "at least 1"
    assert operators.need("lt", "3", "nl") == "minder dan 3"


@pytest.mark.parametrize(("lang", "mark"), [("nl", "[eigen keuze]"), ("en", "[our choice]")])
def test_design_choices_carry_the_wizards_mark(lang: str, mark: str) -> None:
    criteria = _criteria()
    _verdict, text = _text(AJB, criteria, lang)
    assert t("verdict.design_choice", lang=lang) == t("tui.design_choice", lang=lang) == mark
    assert mark in text
    assert "[ontwerp]" not in text and "[design choice]" not in text
