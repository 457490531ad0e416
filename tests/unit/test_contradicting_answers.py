"""Answers that contradict each other are a ``validate`` finding, not only a notice with the verdict.

A notice of the criteria names the contradicting answers (``inconsistent_fields``); ``validate`` evaluates that
notice's condition for each file and reports an error at the first of those answers. The combinations come
from the criteria (2024.3: a recognition level with a refusal or without an application, or "erkend" without
a level), so the finding and the notice agree on every combination of status and level.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.assessment_checks import check_assessment
from kwaliteitskader.core.rules.engine import evaluate
from tests.builders import build
from tests.conftest import ROOT, SAMPLES, run_cli

V3 = ROOT / "criteria" / "2024.3"
LEVELS = ["geen_erkenning", "goed_beschreven", "goed_onderbouwd", "eerste_aanwijzingen", "goede_aanwijzingen",
          "sterke_aanwijzingen", "onbekend"]
STATUSES = ["erkend", "in_erkenningstraject", "geweigerd_geen_effect", "geweigerd_averechts_effect",
            "geweigerd_andere_reden", "verlopen", "niet_aangevraagd", "onbekend"]
REFUSED_OR_NONE = {"geweigerd_geen_effect", "geweigerd_averechts_effect", "geweigerd_andere_reden", "niet_aangevraagd"}
A_LEVEL = {"goed_beschreven", "goed_onderbouwd", "eerste_aanwijzingen", "goede_aanwijzingen", "sterke_aanwijzingen"}


@pytest.fixture(scope="module")
def c3() -> Criteria:
    return load_criteria(V3)


def _contradictory(status: str, level: str) -> bool:
    return (status in REFUSED_OR_NONE and level in A_LEVEL) or (status == "erkend" and level == "geen_erkenning")


@pytest.mark.parametrize(("status", "level"), list(itertools.product(STATUSES, LEVELS)))
def test_validate_reports_exactly_the_combinations_the_notice_calls_contradictory(
        c3: Criteria, status: str, level: str) -> None:
    assessment = build(evidence__recognition_status=status, evidence__recognition_level=level,
                       evidence__recognition_year=2024 if status == "erkend" else None)
    findings = [f for f in check_assessment(assessment, c3, "a.toml", None) if f.code == "inconsistent"]
    flagged = "erkenning_tegenstrijdig" in {n.id for n in evaluate(assessment, c3).notices}
    assert bool(findings) == flagged == _contradictory(status, level)
    if findings:
        assert [f.key for f in findings] == ["evidence.recognition_status"]
        assert status in findings[0].message and level in findings[0].message


def _contradicting_file(tmp_path: Path) -> tuple[Path, int]:
    text = (SAMPLES / "ipta_amsterdam.toml").read_text(encoding="utf-8")
    text = text.replace('recognition_status = "in_erkenningstraject"', 'recognition_status = "geweigerd_andere_reden"')
    text = text.replace('recognition_level = "geen_erkenning"', 'recognition_level = "eerste_aanwijzingen"')
    target = tmp_path / "ipta.toml"
    target.write_text(text, encoding="utf-8")
    return target, text.split("\n").index('recognition_status = "geweigerd_andere_reden"') + 1


def test_validate_fails_on_it_with_file_line_and_field_in_both_languages(tmp_path: Path) -> None:
    target, line = _contradicting_file(tmp_path)
    result = run_cli("validate", target, "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr  # an error: a CI pipeline fails on it
    findings = json.loads(result.stdout)
    assert [(f["file"], f["line"], f["key"], f["code"]) for f in findings] == [
        (str(target), line, "evidence.recognition_status", "inconsistent")]
    assert findings[0]["message"].startswith("Tegenstrijdig: Status en niveau van de erkenning spreken elkaar tegen")
    english = run_cli("validate", target, env={"KWALITEITSKADER_LANG": "en"})
    assert "Contradictory: Status and level of the recognition contradict each other" in english.stdout
    assert f"{target}:{line}:" in english.stdout


def test_a_consistent_sample_passes() -> None:
    result = run_cli("validate", SAMPLES / "ipta_amsterdam.toml")
    assert result.returncode == 0, result.stdout


def _findings(folder: Path) -> list:
    with pytest.raises(FindingsError) as caught:
        load_criteria(folder)
    return caught.value.findings


def _set_fields(folder: Path, fields: str) -> int:
    notices = folder / "meldingen.toml"
    text = notices.read_text(encoding="utf-8")
    old = 'inconsistent_fields = ["evidence.recognition_status", "evidence.recognition_level"]'
    assert old in text
    notices.write_text(text.replace(old, fields), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(("fields", "message"), [
    ('inconsistent_fields = ["evidence.recognition_state"]', "evidence.recognition_state"),  # no such answer
    ('inconsistent_fields = ["evidence.recognition_year"]', "niet gelezen"),  # not read by the condition
    ('inconsistent_fields = []', ""),  # names nothing
    ('inconsistent_field = ["evidence.recognition_status"]', ""),  # an unknown key
])
def test_the_criteria_checks_reject_a_wrong_inconsistent_fields(criteria_copy: Path, fields: str, message: str) -> None:
    line = _set_fields(criteria_copy, fields)
    findings = _findings(criteria_copy)
    assert [(Path(f.file).name, f.line) for f in findings] == [("meldingen.toml", line)]
    assert message in findings[0].message


def test_criteria_without_the_key_make_validate_evaluate_nothing(criteria_copy: Path) -> None:
    _set_fields(criteria_copy, "")
    criteria = load_criteria(criteria_copy)
    assessment = build(evidence__recognition_status="geweigerd_andere_reden",
                       evidence__recognition_level="eerste_aanwijzingen")
    assert "erkenning_tegenstrijdig" in {n.id for n in evaluate(assessment, criteria).notices}  # still a notice
    assert check_assessment(assessment, criteria, "a.toml", None) == []
