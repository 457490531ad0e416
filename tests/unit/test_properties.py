"""Properties that must hold for every assessment, checked with generated assessments."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.io.assessments import save_assessment
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import Assessment, FieldKind, Tri, answer_fields, get_path, is_unknown, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate
from tests.conftest import repetitions

CRITERIA: Criteria = load_criteria()
FIELDS = answer_fields()
HARM_IDS = sorted(CRITERIA.catalogues["harm_signals"])
TRI = st.sampled_from(list(Tri))


def _bounds(path: str) -> tuple[float | None, float | None]:
    """The model's own limits of a number field (``ge``/``le``), so that generated answers are valid ones."""
    section, _, name = path.partition(".")
    model: Any = Assessment.model_fields[section].annotation
    low = high = None
    for item in model.model_fields[name].metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def _answer(path: str) -> st.SearchStrategy[Any]:
    info = FIELDS[path]
    if info.kind is FieldKind.TRI:
        return TRI
    if info.kind is FieldKind.CHOICE:
        return st.sampled_from(["onbekend", *CRITERIA.catalogues[str(info.catalogue)]])
    if info.kind is FieldKind.MULTI:
        ids = sorted(CRITERIA.catalogues[str(info.catalogue)])
        return st.none() | st.lists(st.sampled_from(ids), max_size=5, unique=True)
    if info.kind is FieldKind.INT:
        low, high = _bounds(path)
        low = 0 if low is None else int(low)
        return st.none() | st.integers(min_value=low, max_value=min(low + 40, 10**6 if high is None else int(high)))
    if info.kind is FieldKind.FLOAT:
        return st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False)
    if info.kind is FieldKind.DATE:
        return st.none() | st.dates()
    return st.text(max_size=30)


RULE_FIELDS = sorted({p for p in FIELDS if not p.startswith(("meta.", "participation."))})


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    data: dict[str, dict[str, Any]] = {}
    for path in RULE_FIELDS:
        section, _, name = path.partition(".")
        data.setdefault(section, {})[name] = draw(_answer(path))
    signals = {s: draw(TRI) for s in HARM_IDS if draw(st.booleans())}
    return Assessment.model_validate({**data, "harm_signals": signals})


def _unknown_paths(a: Assessment) -> list[str]:
    paths = [p for p in RULE_FIELDS if is_unknown(get_path(a, p))]
    return paths + [f"harm_signals.{s}" for s in HARM_IDS if a.harm_signals.get(s, Tri.ONBEKEND) is Tri.ONBEKEND]


FAST = settings(max_examples=repetitions(50, 150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.repeated
@FAST
@given(assessments())
def test_every_assessment_gets_exactly_one_class(a: Assessment) -> None:
    verdict = evaluate(a, CRITERIA)
    assert verdict.class_ in CRITERIA.class_rank
    assert sum(r.decided for r in verdict.trace) == 1
    assert verdict.provisional == (len(verdict.possible_classes) > 1)
    assert verdict.class_ in verdict.possible_classes and verdict.rule in verdict.possible_rules
    assert bool(verdict.missing_answers) == verdict.provisional  # an undecided class names what it waits for
    assert verdict.advice_provisional == (len(verdict.possible_advice) > 1)


@pytest.mark.repeated
@FAST
@given(assessments(), st.sampled_from(HARM_IDS))
def test_a_harm_signal_always_gives_stoppen(a: Assessment, signal: str) -> None:
    verdict = evaluate(set_path(a, f"harm_signals.{signal}", "ja"), CRITERIA)
    assert (verdict.class_, verdict.advice, verdict.rule, verdict.provisional) == (
        "stoppen",
        "stoppen",
        "schade",
        False,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_save_then_load_is_identity(a: Assessment) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "a.toml"
        save_assessment(a, target)
        assert load_assessment(target).assessment == a


@pytest.mark.repeated
@FAST
@given(assessments(), st.data())
def test_answering_an_unknown_never_makes_a_definite_verdict_change(a: Assessment, data: st.DataObject) -> None:
    """Monotonicity: a decided class stays; a range can only narrow, to classes it listed as possible."""
    before = evaluate(a, CRITERIA)
    unknown = _unknown_paths(a)
    if not unknown:
        return
    path = data.draw(st.sampled_from(unknown))
    key = path if path in FIELDS else None
    value = data.draw(_answer(key).filter(lambda v: not is_unknown(v)) if key else st.sampled_from(["ja", "nee"]))
    after = evaluate(set_path(a, path, value), CRITERIA)
    assert set(after.possible_classes) <= set(before.possible_classes)
    assert set(after.possible_rules) <= set(before.possible_rules)
    if not before.provisional:
        assert (after.class_, after.provisional) == (before.class_, False)
    if len(before.possible_rules) == 1:
        assert after.rule == before.rule
    assert len(after.missing_answers) <= len(before.missing_answers)
