"""Whether a recognition has expired is judged on an explicit date, never on the engine's reading of the clock.

Criteria 2024.2 shows the notice "De erkenning is verlopen" from ``derived.recognition_state``. For an assessment
without a date that value used to be worked out from today's date inside the engine, so the same file gave a
different verdict (its notices, in ``classify --json``) from one year to the next. Now the assessment's own date
decides, else the date the caller passes (``evaluate(..., on=)``; the commands pass today, as the README says);
without either the expiry is unknown.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Verdict, evaluate
from tests.builders import build
from tests.conftest import ROOT, SAMPLES, run_cli

V2 = ROOT / "criteria" / "2024.2"
RECOGNISED_2018 = {"evidence__recognition_status": "erkend", "evidence__recognition_level": "eerste_aanwijzingen",
                   "evidence__recognition_year": 2018}


@pytest.fixture(scope="module")
def c2() -> Criteria:
    return load_criteria(V2)


def expired(verdict: Verdict) -> bool:
    return "erkenning_verlopen" in {n.id for n in verdict.notices}


class _NoClock(datetime.date):
    @classmethod
    def today(cls) -> _NoClock:
        raise AssertionError("the engine read today's date")


def test_an_undated_assessment_is_judged_on_the_date_passed(c2: Criteria) -> None:
    undated = build(meta__assessed_on=None, **RECOGNISED_2018)
    assert not expired(evaluate(undated, c2, on=datetime.date(2022, 6, 1)))  # four years old
    assert expired(evaluate(undated, c2, on=datetime.date(2030, 6, 1)))  # twelve years old
    assert evaluate(undated, c2, on=datetime.date(2030, 6, 1)).class_ == evaluate(undated, c2).class_


def test_without_a_date_the_engine_does_not_read_the_clock(c2: Criteria, monkeypatch: pytest.MonkeyPatch) -> None:
    undated = build(meta__assessed_on=None, **RECOGNISED_2018)
    monkeypatch.setattr(datetime, "date", _NoClock)
    first = evaluate(undated, c2)
    assert not expired(first)  # unknown: a notice is shown only when it holds
    assert evaluate(undated, c2) == first


def test_the_assessments_own_date_wins_over_the_date_passed(c2: Criteria) -> None:
    dated = build(meta__assessed_on=datetime.date(2021, 1, 1), **RECOGNISED_2018)
    assert not expired(evaluate(dated, c2, on=datetime.date(2030, 6, 1)))
    assert expired(evaluate(build(meta__assessed_on=datetime.date(2029, 1, 1), **RECOGNISED_2018), c2))


def test_classify_judges_an_undated_file_on_today(tmp_path: Path) -> None:
    text = (SAMPLES / "ajb_rotterdam.toml").read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if not line.startswith("assessed_on")]
    lines = [("recognition_year = 2010" if line.startswith("recognition_year") else line) for line in lines]
    assert any(line == "recognition_year = 2010" for line in lines)
    target = tmp_path / "ongedateerd.toml"
    target.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("classify", "--json", "--criteria", V2, target)
    assert result.returncode == 0, result.stderr
    assert "erkenning_verlopen" in {n["id"] for n in json.loads(result.stdout)[0]["notices"]}  # 2010 + 5 < today
