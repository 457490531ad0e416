"""Every answer of an assessment, per step of the wizard, in words: the report's "Uw antwoorden" section.

The questions and their order are the questionnaire's (:func:`questionnaire.entries`): the criteria's
questions, then the harm signals, in the order of the steps. A choice is shown by its label, a list by
the labels of its items, an unanswered question as *onbekend*, and a question that does not apply to
this assessment as *n.v.t.* (its answer, if any, after it: kept, but not read).
"""

from __future__ import annotations

from typing import Any

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.assessment import FieldKind, Tri, get_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.questionnaire import Entry, entries


def money(value: float | None, lang: str) -> str:
    """An amount in euro as the language writes it (``€ 4.800,00`` in Dutch, ``€ 4,800.00`` in English)."""
    if value is None:
        return t("report.unknown", lang=lang)
    text = f"{value:,.2f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def answer_text(entry: Entry, value: Any, criteria: Criteria, lang: str) -> str:
    """One answer in words."""
    unknown = t("report.unknown", lang=lang)
    if value is None or value == "onbekend":
        return unknown
    if entry.kind is FieldKind.TRI:
        return t(f"report.tri.{Tri(value).value}", lang=lang)
    if entry.kind is FieldKind.CHOICE and entry.catalogue:
        return str(criteria.label(entry.catalogue, str(value), lang))
    if entry.kind is FieldKind.MULTI:
        if not value:
            return t("report.answers.none", lang=lang)
        return "; ".join(str(criteria.label(entry.catalogue, str(v), lang)) if entry.catalogue else str(v) for v in value)
    if entry.kind is FieldKind.TEXT:
        return str(value).strip() or "—"
    if entry.path == "participation.cost_per_participant":
        return money(float(value), lang)
    return str(value)


def answers_by_step(assessment: Any, criteria: Criteria, lang: str, not_applicable: tuple[str, ...] = (),
                    leave_out: tuple[str, ...] = ()) -> list[tuple[str, list[tuple[str, str]]]]:
    """(step heading, [(question, answer)]) for every step that has questions, in the wizard's order;
    ``leave_out``: sections shown elsewhere (the report shows participation and cost apart)."""
    steps = {step.id: step for step in criteria.document.steps}
    numbers = {step_id: n for n, step_id in enumerate(steps, 1)}
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in entries(criteria, lang):
        if entry.path.partition(".")[0] in leave_out:
            continue
        text = answer_text(entry, get_path(assessment, entry.path), criteria, lang)
        if entry.path in not_applicable:
            short = t("verdict.not_applicable_short", lang=lang)
            text = short if text == t("report.unknown", lang=lang) else f"{short} ({text})"
        found.setdefault(entry.step, []).append((entry.label, text))
    result = []
    for step_id, rows in found.items():
        step = steps.get(step_id)
        label = step.label.get(lang) if step is not None else step_id
        heading = t("report.answers.step", lang=lang, number=numbers.get(step_id, "?"), total=len(steps), label=label)
        result.append((heading, rows))
    return result
