"""Properties that must hold for every assessment, checked with generated assessments."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.io.assessments import save_assessment
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import Assessment, FieldKind, Tri, answer_fields, get_path, is_unknown, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import Decision, decision, evaluate
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
    assert set(verdict.possible_classes) <= set(CRITERIA.class_rank) and verdict.possible_classes
    assert sum(r.decided for r in verdict.trace) == 1
    assert verdict.provisional == (len(verdict.possible_classes) > 1)
    assert (verdict.class_ is None) == verdict.provisional  # an open verdict has no class, a decided one its only class
    assert verdict.provisional or (verdict.class_,) == verdict.possible_classes
    assert verdict.lowest_possible_class == verdict.possible_classes[-1] and verdict.rule in verdict.possible_rules
    assert bool(verdict.missing_answers) == verdict.provisional  # an undecided class names what it waits for
    assert verdict.advice_provisional == (len(verdict.possible_advice) > 1)


@pytest.mark.repeated
@FAST
@given(assessments())
def test_a_portfolios_decision_is_the_verdicts(a: Assessment) -> None:
    """``decision`` (what a portfolio row is made from) decides exactly what ``evaluate`` does."""
    verdict = evaluate(a, CRITERIA)
    assert decision(a, CRITERIA) == Decision(**{name: getattr(verdict, name) for name in Decision._fields})


@pytest.mark.repeated
@FAST
@given(assessments(), st.sampled_from(HARM_IDS))
def test_a_harm_signal_always_gives_stoppen(a: Assessment, signal: str) -> None:
    """A harm signal as the sources name it stops the intervention, whatever else is answered; the universal
    talks are a harm signal only for all young people (the universal prevention tier)."""
    a = set_path(a, f"harm_signals.{signal}", "ja")
    if signal == "universele_voorlichting":
        a = set_path(a, "target_group.prevention_tier", "universeel")
    verdict = evaluate(a, CRITERIA)
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


# --- a reference evaluator, written apart from the engine -------------------------------------------------


class Reference:
    """A plain recursive three-valued evaluation of the criteria TOML, read straight from the files.

    Written independently of the engine's plan, operators and evaluator: only the derived values (lists
    built from several answers) come from ``core/rules/derived.py``. A question whose ``applies_when`` fails
    is n.v.t.; while its ``applies_when`` is unknown, a comparison of its answer is unknown unless n.v.t.
    would give the same truth."""

    TESTS: ClassVar[dict[str, Any]] = {
        "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "in": lambda a, b: a in b,
        "not_in": lambda a, b: a not in b, "ge": lambda a, b: a >= b, "gt": lambda a, b: a > b,
        "le": lambda a, b: a <= b, "lt": lambda a, b: a < b,
    }
    NVT = object()

    def __init__(self, folder: Path) -> None:
        import rtoml

        tables: dict[str, list[dict[str, Any]]] = {}
        for file in sorted(folder.glob("*.toml")):
            for key, value in rtoml.loads(file.read_text(encoding="utf-8")).items():
                if isinstance(value, list):
                    tables.setdefault(key, []).extend(value)
        self.conditions = {c["id"]: c for c in tables["conditions"]}
        self.rules = tables["rules"]
        self.settings = {s["id"]: s["value"] for s in tables["settings"]}
        self.applies = {q["field"]: q["applies_when"] for q in tables["questions"] if q.get("applies_when")}

    def verdict(self, a: Assessment) -> list[str]:
        """Each rule's truth: ``pass``, ``fail`` or ``unknown``."""
        memo: dict[str, str] = {}
        return [self.truth(a, rule["when"], memo) if rule.get("when") else "pass" for rule in self.rules]

    def truth(self, a: Assessment, cond_id: str, memo: dict[str, str]) -> str:
        if cond_id not in memo:
            memo[cond_id] = self._truth(a, self.conditions[cond_id], memo)
        return memo[cond_id]

    def _truth(self, a: Assessment, cond: dict[str, Any], memo: dict[str, str]) -> str:
        if "all" in cond:
            parts = [self.truth(a, c, memo) for c in cond["all"]]
            return "fail" if "fail" in parts else "unknown" if "unknown" in parts else "pass"
        if "any" in cond:
            parts = [self.truth(a, c, memo) for c in cond["any"]]
            return "pass" if "pass" in parts else "unknown" if "unknown" in parts else "fail"
        if "not" in cond:
            return {"pass": "fail", "fail": "pass", "unknown": "unknown"}[self.truth(a, cond["not"], memo)]
        path = cond.get("field") or cond.get("count") or cond["years_since"]
        applies = self.truth(a, self.applies[path], memo) if path in self.applies else "pass"
        if applies == "fail":
            return self.compare(cond, self.NVT)
        value = self.read(a, path)
        if "years_since" in cond:  # whole years from the year answer to the year of the assessment's date
            on = a.meta.assessed_on
            value = None if value is None or on is None else on.year - value
        result = self.compare(cond, value)
        if applies == "unknown" and result != "unknown" and result != self.compare(cond, self.NVT):
            return "unknown"
        return result

    def read(self, a: Assessment, path: str) -> Any:
        from kwaliteitskader.core.rules.derived import DERIVED

        section, _, name = path.partition(".")
        if section == "settings":
            return self.settings[name]
        if section == "derived":
            return DERIVED[path].compute(a, CRITERIA)
        if section == "harm_signals":
            return a.harm_signals.get(name, "onbekend")
        return getattr(getattr(a, section), name)

    def compare(self, cond: dict[str, Any], value: Any) -> str:
        op = cond["op"]
        expected = self.settings[cond["setting"]] if "setting" in cond else cond["value"]
        if "count" in cond:
            return self._count(op, expected, value)
        if value is self.NVT:
            return "pass" if op in ("ne", "not_in") else "fail"
        if value is None or value == "onbekend":
            return "unknown"
        if op == "contains":
            items = getattr(value, "items", value)
            if expected in items:
                return "pass"
            return "unknown" if getattr(value, "complete", True) is False else "fail"
        if isinstance(value, bool) and isinstance(expected, str):
            value = "ja" if value else "nee"
        value = getattr(value, "value", value)
        return "pass" if self.TESTS[op](value, expected) else "fail"

    def _count(self, op: str, expected: int, value: Any) -> str:
        if value is self.NVT:
            return "pass" if self.TESTS[op](0, expected) else "fail"
        if value is None:
            return "unknown"
        holds = self.TESTS[op](len(getattr(value, "items", value)), expected)
        if getattr(value, "complete", True) is False:  # the list may still grow
            if holds and op in ("ge", "gt"):
                return "pass"
            if not holds and op in ("le", "lt", "eq"):
                return "fail"
            return "unknown"
        return "pass" if holds else "fail"


REFERENCE = Reference(CRITERIA.folder)


@pytest.mark.repeated
@settings(max_examples=repetitions(80, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_the_engine_agrees_with_a_reference_evaluator(a: Assessment) -> None:
    expected = REFERENCE.verdict(a)
    verdict = evaluate(a, CRITERIA)
    assert [r.result.value for r in verdict.trace] == expected
    first = expected.index("pass")
    if "unknown" not in expected[:first]:  # no earlier rule can still pass: the first passing rule decides
        assert (verdict.class_, verdict.rule) == (REFERENCE.rules[first]["class"], REFERENCE.rules[first]["id"])
    else:
        assert set(verdict.possible_classes) <= {r["class"] for r, e in zip(REFERENCE.rules, expected, strict=True) if e != "fail"}
