"""One verdict everywhere: a portfolio row says what ``classify --json`` says, and an open verdict (no class yet)
is shown as open in every output, never as the lowest class it can still reach."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synth import generate
from kwaliteitskader.cli import main
from kwaliteitskader.core.model.criteria_set import Criteria
from tests.conftest import SAMPLES, repetitions

VERDICT_FIELDS = ("class", "possible_classes", "provisional", "advice", "possible_advice", "advice_provisional")


def _run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str | Path) -> Any:
    code = main([str(a) for a in argv])
    out = capsysbinary.readouterr().out
    assert code in (0, 1), out[-2000:]
    return json.loads(out)


def _agree(capsysbinary: pytest.CaptureFixture[bytes], folder: Path) -> dict[str, dict[str, Any]]:
    """Each file's verdict fields from ``compare --format json``, after checking they are ``classify --json``'s."""
    classified = _run(capsysbinary, "classify", folder, "--json")
    compared = _run(capsysbinary, "compare", folder, "--format", "json", "--index", "off")
    by_file = {Path(item["file"]).name: {k: item[k] for k in VERDICT_FIELDS} for item in classified}
    rows = {Path(row["file"]).name: {k: row[k] for k in VERDICT_FIELDS} for row in compared["rows"]}
    assert rows == by_file
    return rows


def test_every_sample_has_the_same_verdict_in_compare_and_classify(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    rows = _agree(capsysbinary, SAMPLES)
    arnhem = rows["vios_arnhem.toml"]
    assert arnhem["class"] is None and arnhem["possible_classes"] == ["kansrijk", "stoppen"]
    assert arnhem["advice"] is None and arnhem["provisional"] is True


GENERATED = repetitions(400, 2000)
"""Generated assessments compared: 2,000 in the slow set (``--run-slow``), enough everyday to meet open and
decided verdicts of every class."""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, criteria: Criteria) -> Path:
    folder = tmp_path_factory.mktemp("one_verdict") / "beoordelingen"
    generate(folder, GENERATED, seed=2025, criteria=criteria)
    return folder


def _classify_json(folder: Path, criteria: Criteria) -> dict[str, dict[str, Any]]:
    """What ``classify --json`` reports of each file's verdict, by the function it reports with (in this process:
    its condition table and per-answer outcomes, which these fields do not read, would cost a minute)."""
    from kwaliteitskader.core.io.load import load_assessment
    from kwaliteitskader.core.rules.engine import evaluate
    from kwaliteitskader.core.rules.explain import verdict_dict

    found = {}
    for file in sorted(folder.glob("*.toml")):
        verdict = evaluate(load_assessment(file).assessment, criteria)
        data = verdict_dict(verdict, criteria, "nl", trace=False, answers=False)
        found[file.name] = {k: data[k] for k in VERDICT_FIELDS}
    return found


@pytest.mark.repeated
def test_generated_assessments_have_the_same_verdict_in_compare_and_classify(
    capsysbinary: pytest.CaptureFixture[bytes], generated: Path, criteria: Criteria, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KWALITEITSKADER_JOBS", "1")  # in this process: no workers to start
    compared = _run(capsysbinary, "compare", generated, "--format", "json", "--index", "off")
    rows = {Path(row["file"]).name: {k: row[k] for k in VERDICT_FIELDS} for row in compared["rows"]}
    assert rows == _classify_json(generated, criteria)
    assert len(rows) == GENERATED
    open_rows = [row for row in rows.values() if row["class"] is None]
    assert open_rows and len(open_rows) < len(rows)  # both kinds, or the test shows little
    assert all(len(row["possible_classes"]) > 1 and row["provisional"] for row in open_rows)
