"""Two assessments side by side: answers that differ, rules that decided differently."""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.values import UNKNOWN, get_path
from kwaliteitskader.core.rules.engine import Truth, Verdict, display, evaluate
from kwaliteitskader.core.rules.explain import field_label

if TYPE_CHECKING:
    from kwaliteitskader.core.model.assessment import Assessment



@dataclass(frozen=True)
class AnswerDiff:
    path: str
    label: str
    left: str
    right: str


@dataclass(frozen=True)
class RuleDiff:
    rule: str
    label: str
    left: Truth
    right: Truth
    left_decided: bool
    right_decided: bool
    conditions: tuple[tuple[str, Truth, Truth], ...]
    """Conditions of this rule whose result differs: (label, left, right)."""


@dataclass(frozen=True)
class Diff:
    answers: tuple[AnswerDiff, ...]
    rules: tuple[RuleDiff, ...]
    left: Verdict
    right: Verdict


def value_text(path: str, value: Any, criteria: Criteria, lang: str) -> str:
    """An answer as a reader sees it: catalogue labels instead of ids, *onbekend* for unknown."""
    from kwaliteitskader.core.model.assessment import answer_fields

    info = answer_fields().get(path)
    catalogue = info.catalogue if info else None
    if value is None or value == UNKNOWN:
        return t("compare.unknown", lang=lang)
    if catalogue and isinstance(value, list | tuple):
        return ", ".join(criteria.label(catalogue, str(v), lang) for v in value) or "—"
    if catalogue and isinstance(value, str):
        return criteria.label(catalogue, value, lang)
    return display(value)


def _answer_paths(left: Assessment, right: Assessment, criteria: Criteria) -> list[str]:
    from kwaliteitskader.core.model.assessment import answer_fields

    paths = [p for p in answer_fields() if not p.startswith("meta.")]
    signals = list(criteria.catalogues["harm_signals"])
    signals += [s for s in (*left.harm_signals, *right.harm_signals) if s not in signals]
    return paths + [f"harm_signals.{s}" for s in signals]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


def diff_assessments(left: Assessment, right: Assessment, criteria: Criteria, lang: str | None = None,
                     today: dt.date | None = None) -> Diff:
    """Which answers differ (by answer path, with the wizard's question label) and which rules
    decided differently (rules whose result or deciding role differs between the two traces)."""
    lang = lang or language()
    answers = []
    for path in _answer_paths(left, right, criteria):
        a, b = get_path(left, path), get_path(right, path)
        if not _same(a, b):
            answers.append(
                AnswerDiff(
                    path,
                    field_label(criteria, path, lang),
                    value_text(path, a, criteria, lang),
                    value_text(path, b, criteria, lang),
                )
            )
    on = today or dt.date.today()  # an assessment without a date is judged on this day
    lv, rv = evaluate(left, criteria, on=on), evaluate(right, criteria, on=on)
    return Diff(tuple(answers), rule_differences(lv, rv, lang), lv, rv)


def rule_differences(left: Verdict, right: Verdict, lang: str | None = None) -> tuple[RuleDiff, ...]:
    """Rules (matched by id) whose result or deciding role differs between two verdicts."""
    lang = lang or language()
    right_rules = {r.id: r for r in right.trace}
    found = []
    for lr in left.trace:
        rr = right_rules.get(lr.id)
        if rr is None or (lr.result is rr.result and lr.decided == rr.decided):
            continue
        rconds = {c.id: c for c in rr.conditions}
        conds = tuple(
            (c.label.get(lang), c.result, rconds[c.id].result)
            for c in lr.conditions
            if c.id in rconds and rconds[c.id].result is not c.result
        )
        found.append(RuleDiff(lr.id, lr.label.get(lang), lr.result, rr.result, lr.decided, rr.decided, conds))
    return tuple(found)


# --- portfolio -------------------------------------------------------------------------------------

