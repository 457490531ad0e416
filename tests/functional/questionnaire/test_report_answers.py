"""The report has an answers section: every answer per step of the wizard, in words, with n.v.t. where a
question does not apply; and the lists of questions that do not apply name the questions, not records."""

from __future__ import annotations

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.report import render_report
from tests.conftest import SAMPLES


def _section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_markdown_report_lists_every_answer_per_step(criteria: Criteria) -> None:
    assessment = load_assessment(SAMPLES / "ipta_amsterdam.toml").assessment
    answers = _section(render_report(assessment, criteria, "md", "nl"), "## Uw antwoorden")
    for question in criteria.document.questions:
        if question.field.startswith("participation."):
            continue  # reported apart, in its own section
        assert question.label.get("nl").replace("?", "") in answers.replace("\\", ""), question.field
    assert "### Stap 2 van 12: Doelgroep" in answers
    assert "**Risiconiveau van de deelnemers** — hoog" in answers
    assert "LVB (licht verstandelijke beperking); Verslaving" in answers  # labels, not ids
    assert "**Duur van de follow-up (maanden)** — onbekend" in answers
    assert "Kosten per deelnemer" not in answers  # participation and cost: in their own section
    signal = criteria.document.harm_signals[0]
    assert f"**{signal.question.get('nl')}** — nee" in answers.replace("\\(", "(").replace("\\)", ")")


def test_a_question_that_does_not_apply_is_shown_as_such(criteria: Criteria) -> None:
    report = render_report(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, criteria, "md", "nl")
    assert "**Is er een geloofwaardige bijstelling mogelijk?** — n.v.t." in _section(report, "## Uw antwoorden")
    missing = _section(report, "## Ontbrekende antwoorden")
    assert "{'field'" not in missing
    assert "- Is er een geloofwaardige bijstelling mogelijk? (evidence.credible_adjustment)" in missing


def test_html_and_english_reports_have_the_answers_too(criteria: Criteria) -> None:
    assessment = load_assessment(SAMPLES / "ipta_amsterdam.toml").assessment
    page = render_report(assessment, criteria, "html", "nl")
    assert "<h2>Uw antwoorden</h2>" in page and "<h3>Stap 1 van 12: Interventie</h3>" in page
    assert '<dl class="answers"><dt>Naam van de beoordelaar</dt><dd>R. Bakker</dd>' in page
    english = render_report(assessment, criteria, "md", "en")
    assert "## Your answers" in english and "**Risk level of participants** — high" in english
