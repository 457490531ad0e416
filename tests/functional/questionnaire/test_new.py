"""``kwaliteitskader new``: the questionnaire holds every question, is a valid assessment as written and at
every stage of filling it in, and, filled in with a sample's answers, gets the sample's own verdict."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.io.validate import validate_assessment_file
from kwaliteitskader.core.model.assessment import get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.questionnaire import entries
from kwaliteitskader.core.rules.engine import answers_read, evaluate
from kwaliteitskader.core.rules.explain import verdict_dict
from tests.conftest import ROOT, run_cli, sample_files

SECTION = re.compile(r"^\[(\w+)\]$")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("new") / "vragenlijst.toml"
    result = run_cli("new", target)
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stderr
    return target.read_text(encoding="utf-8")


def _literal(value: Any) -> str:
    """``value`` as the TOML a person would type after ``key =``."""
    if isinstance(value, Enum):
        value = value.value
    return tomli_w.dumps({"x": value}).partition("=")[2].strip()


def fill(text: str, answers: dict[str, Any]) -> str:
    """The questionnaire with these answers typed in, as a person would: the value put after ``=``, and the
    ``#`` taken off a number or list line. Every answer must find its line."""
    lines = text.split("\n")
    section = ""
    left = dict(answers)
    for n, line in enumerate(lines):
        if match := SECTION.match(line):
            section = match.group(1)
            continue
        key_match = re.match(r"^(?:# )?(\w+) =", line)
        if key_match is None:
            continue
        path = f"{section}.{key_match.group(1)}"
        if path in left:
            lines[n] = f"{key_match.group(1)} = {_literal(left.pop(path))}"
    assert not left, f"no line in the questionnaire for {sorted(left)}"
    return "\n".join(lines)


def sample_answers(sample: Path, criteria: Criteria) -> dict[str, Any]:
    """Every answer the sample gives to a question of the questionnaire (unknown numbers and lists left out)."""
    assessment = load_assessment(sample).assessment
    answers = {}
    for entry in entries(criteria, "nl"):
        value = get_path(assessment, entry.path)
        if value is not None:
            answers[entry.path] = value
    return answers


def _verdict(file: Path, criteria: Criteria) -> dict[str, Any]:
    loaded = load_assessment(file)
    return verdict_dict(evaluate(loaded.assessment, criteria), criteria, "nl", assessment=loaded.assessment)


def test_the_questionnaire_holds_every_question_and_harm_signal(written: str, criteria: Criteria) -> None:
    for question in criteria.document.questions:
        assert question.label.get("nl") in re.sub(r"\n# *", " ", written), question.field
        assert question.help.get("nl")[:40] in re.sub(r"\n# *", " ", written), question.field
        assert re.search(rf"^(# )?{question.field.partition('.')[2]} =", written, re.MULTILINE), question.field
    for signal in criteria.document.harm_signals:
        assert re.search(rf'^{signal.id} = "onbekend"$', written, re.MULTILINE)
    steps = criteria.document.steps
    for number, step in enumerate(steps, 1):
        assert f"# Stap {number} van {len(steps)}: {step.label.get('nl')}" in written
    # the allowed answers with their meaning, when a question applies, and its sources in full
    assert '"geindiceerd"  geïndiceerd:' in written
    assert "Deze vraag geldt alleen als" in written
    assert "[hic-2024] voetnoot 15" in written and "Hendriks" in written
    assert "[ontwerp]" not in written and "framework.md" not in written
    assert "file:" not in written  # no path of this computer (see test_eco_schemas)
    # nothing a screen reader would read out character by character: no rules of dashes or equals signs
    assert not re.search(r"[-=]{5}", written)
    assert "# Vraag 2.4: Risiconiveau van de deelnemers" in written


def test_the_questionnaire_as_written_validates_and_has_no_verdict_yet(written: str, tmp_path: Path) -> None:
    target = tmp_path / "leeg.toml"
    target.write_text(written, encoding="utf-8")
    assert tomllib.loads(written)["schema_version"] == 2
    checked = run_cli("validate", target)
    assert checked.returncode == 0, checked.stdout
    verdict = run_cli("classify", target)
    assert verdict.returncode == 0, verdict.stderr
    assert "Klasse: Nog geen oordeel" in verdict.stdout


def test_english_questionnaire(tmp_path: Path) -> None:
    result = run_cli("new", "-", "--lang", "en")
    assert result.returncode == 0
    assert "# Step 1 of 12: Intervention" in result.stdout
    assert "Is there a manual?" in result.stdout
    assert "Is er een handleiding?" not in result.stdout


def test_new_never_replaces_an_assessment_and_anything_else_only_with_force(tmp_path: Path) -> None:
    """Filled-in work is never lost: an existing assessment stays, even with --force."""
    target = tmp_path / "bestaand.toml"
    target.write_text("schema_version = 2\n", encoding="utf-8")
    for extra in ((), ("--force",)):
        refused = run_cli("new", target, *extra)
        assert refused.returncode == 2, refused.stderr
        assert target.read_text(encoding="utf-8") == "schema_version = 2\n"
    other = tmp_path / "notities.txt"
    other.write_text("iets\n", encoding="utf-8")
    refused = run_cli("new", other)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert run_cli("new", other, "--force").returncode == 0
    assert "Stap 1 van" in other.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.stem)
def test_filled_in_with_a_samples_answers_it_gets_the_samples_verdict(
    written: str, sample: Path, criteria: Criteria, tmp_path: Path
) -> None:
    """Filled in answer by answer: at every stage valid, and at the end the verdict of the sample itself."""
    answers = sample_answers(sample, criteria)
    target = tmp_path / "ingevuld.toml"
    done: dict[str, Any] = {}
    for path, value in answers.items():
        done[path] = value
        target.write_text(fill(written, done), encoding="utf-8")
        assert validate_assessment_file(criteria, target) == [], path
        evaluate(load_assessment(target).assessment, criteria)  # classifies at every stage
    assert _verdict(target, criteria) == _verdict(sample, criteria)


def test_every_answer_of_a_sample_has_its_place_in_the_questionnaire(criteria: Criteria) -> None:
    """Nothing a sample records (apart from the file's own bookkeeping in [meta]) is missing from the form."""
    paths = {e.path for e in entries(criteria, "nl")}
    for sample in sample_files():
        data = tomllib.loads(sample.read_text(encoding="utf-8"))
        for section, values in data.items():
            if isinstance(values, dict) and section != "meta":
                for key in values:
                    assert f"{section}.{key}" in paths, (sample.name, section, key)


def _answer_paths(text: str) -> set[str]:
    """The answer of every answer line of a questionnaire (``section.key``), written or commented out."""
    section, found = "", set()
    for line in text.split("\n"):
        if match := SECTION.match(line):
            section = match.group(1)
        elif key_match := re.match(r"^(?:# )?(\w+) =", line):
            found.add(f"{section}.{key_match.group(1)}")
    return found


def test_every_answer_a_rule_reads_has_its_line_in_the_questionnaire(written: str, criteria: Criteria) -> None:
    """An answer a rule reads but no line asks for could never be filled in: the verdict of a filled-in
    questionnaire would then differ from the wizard's."""
    assert answers_read(criteria) - _answer_paths(written) == set()
    assert answers_read(criteria) <= {e.path for e in entries(criteria, "nl")}
    flat = re.sub(r"\n# *", " ", written)
    assert "# Vraag 1.2: Datum van de beoordeling" in written
    assert "De datum van de beoordeling: bepaalt onder meer of een erkenning verlopen is" in flat
    assert "\n# assessed_on =\n" in written
    english = re.sub(r"\n# *", " ", run_cli("new", "-", "--lang", "en").stdout)
    assert "Question 1.2: Date of the assessment" in english
    assert "decides among other things whether a recognition has expired" in english


def test_new_runs_without_textual_or_rich() -> None:
    """A static import graph cannot see a deferred import: run the command and look at sys.modules."""
    probe = (
        "import sys, runpy, contextlib, io\n"
        "sys.argv = ['kwaliteitskader', 'new', '-']\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    runpy.run_module('kwaliteitskader', run_name='__main__')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_the_readmes_questionnaire_example_is_what_new_writes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n# Vraag 2.4: Risiconiveau", 1)[1].split("```", 1)[0]
    written = run_cli("new", "-").stdout
    for line in ("# Vraag 2.4: Risiconiveau" + example).splitlines():
        if line.strip() and "…" not in line:
            assert line in written, line
