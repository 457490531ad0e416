"""A verdict put into words: a plain dictionary (for JSON and reports) and plain text (for the CLI).

Kept in the core so that the CLI, the reports and the TUI say the same thing in the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.rules.engine import Change, Verdict

if TYPE_CHECKING:  # explaining a verdict needs no pydantic (the CLI's fast path, docs/performance.md)
    from kwaliteitskader.core.model.criteria_set import Criteria


def field_label(criteria: Criteria, path: str, lang: str) -> str:
    """The question text for an answer path, as the wizard shows it."""
    question = criteria.questions.get(path)
    if question is not None:
        return str(question.label.get(lang))
    section, _, name = path.partition(".")
    if section == "harm_signals" and criteria.item("harm_signals", name):
        return str(criteria.item("harm_signals", name).label.get(lang))
    return path


def change_text(change: Change, criteria: Criteria, lang: str) -> str:
    label = change.label.get(lang)
    if change.answer:
        fields = ", ".join(field_label(criteria, f, lang) for f in change.fields)
        goal = label if change.want else f"{t('verdict.not', lang=lang)}: {label}"
        return f"{t('verdict.answer', lang=lang)}: {fields} → {goal}"
    if change.want and change.remedy is not None:
        return change.remedy.get(lang)
    return label if change.want else f"{t('verdict.not', lang=lang)}: {label}"


def _citation_dicts(criteria: Criteria, source: Any) -> list[dict[str, Any]]:
    return [{"ref": c.ref, "at": getattr(c, "at", None), "quote": getattr(c, "quote", None),
             "citation": cite.full(criteria, str(c.ref))} for c in source or ()]


def _design_reason(item: Any, lang: str) -> str | None:
    reason = getattr(item, "design_reason", None) if getattr(item, "design_choice", False) else None
    return str(reason.get(lang)) if reason is not None else None


def _rule_item(criteria: Criteria, rule_id: str) -> Any:
    return next((r for r in criteria.document.rules if r.id == rule_id), None)


def used_references(verdict: Verdict, criteria: Criteria) -> list[dict[str, Any]]:
    """Every reference the verdict cites (its rules, their conditions and its notices), in list order."""
    used: list[str] = []
    for rule in verdict.trace:
        used += cite.keys(rule.source)
        for cond in rule.conditions:
            used += cite.keys(cond.source)
    for notice in getattr(verdict, "notices", ()):
        used += cite.keys(notice.source)
    out = []
    for key, full in cite.reference_list(criteria, used):
        ref = criteria.references[key]
        out.append({"key": key, "kind": ref.kind, "citation": full, "identifier": getattr(ref, "identifier", "")})
    return out


def verdict_dict(verdict: Verdict, criteria: Criteria, lang: str | None = None, *, trace: bool = True) -> dict[str, Any]:
    """The verdict as plain data; ``trace=False`` leaves the (large) trace out, for callers that do not show it."""
    lang = lang or language()
    rule = verdict.deciding_rule
    return {
        "class": verdict.class_,
        "class_label": criteria.label("classes", verdict.class_, lang),
        "advice": verdict.advice,
        "advice_label": criteria.label("advice", verdict.advice, lang),
        "provisional": verdict.provisional,
        "status": "onbepaald" if verdict.provisional else "definitief",
        "rule": verdict.rule,
        "rule_label": rule.label.get(lang),
        "explanation": rule.explanation.get(lang),
        "source": cite.short(rule.source),
        "citations": _citation_dicts(criteria, rule.source),
        "design_choice": rule.design_choice,
        "design_reason": _design_reason(_rule_item(criteria, rule.id), lang),
        "references": used_references(verdict, criteria),
        "criteria_version": verdict.criteria_version,
        "criteria_digest": verdict.criteria_digest,
        "settings": verdict.settings,
        "missing": {
            cls: [{"field": f, "question": field_label(criteria, f, lang)} for f in fields]
            for cls, fields in verdict.missing.items()
        },
        "next_class": verdict.next_class,
        "next_steps": [
            {
                "rule": step.rule,
                "needs_research": step.needs_research,
                "changes": [
                    {
                        "condition": c.condition,
                        "want": c.want,
                        "kind": c.kind,
                        "answer_needed": c.answer,
                        "fields": list(c.fields),
                        "text": change_text(c, criteria, lang),
                    }
                    for c in step.changes
                ],
            }
            for step in verdict.next_steps
        ],
        "trace": [
            {
                "rule": r.id,
                "label": r.label.get(lang),
                "class": r.class_,
                "advice": r.advice,
                "result": r.result.value,
                "decided": r.decided,
                "source": cite.short(r.source),
                "design_choice": r.design_choice,
                "design_reason": _design_reason(_rule_item(criteria, r.id), lang),
                "conditions": [
                    {
                        "condition": c.id,
                        "label": c.label.get(lang),
                        "depth": c.depth,
                        "result": c.result.value,
                        "input": c.input,
                        "expected": c.expected,
                        "fields": list(c.fields),
                        "setting": c.setting,
                        "source": cite.short(c.source),
                        "design_choice": c.design_choice,
                        "design_reason": _design_reason(criteria.conditions.get(c.id), lang),
                    }
                    for c in r.conditions
                ],
            }
            for r in (verdict.trace if trace else ())
        ],
    }


_MARK = {"pass": "✔", "fail": "✘", "unknown": "?"}


def verdict_text(verdict: Verdict, criteria: Criteria, lang: str | None = None, *, trace: bool = False) -> str:
    """A readable explanation for the terminal: class, advice, reasons, missing answers, next steps."""
    lang = lang or language()
    d = verdict_dict(verdict, criteria, lang, trace=trace)
    status = t("verdict.provisional" if verdict.provisional else "verdict.definite", lang=lang)
    lines = [
        f"{t('verdict.class', lang=lang)}: {d['class_label']} ({status})",
        f"{t('verdict.advice', lang=lang)}: {d['advice_label']}",
        f"{t('verdict.rule', lang=lang)}: {d['rule']} — {d['rule_label']}",
        f"  {d['explanation']}",
        f"  [{t('verdict.source', lang=lang)}: {d['source']}]",
    ]
    if d["design_choice"]:
        lines.append("  " + (t("verdict.design_choice_reason", lang=lang, reason=d["design_reason"])
                             if d["design_reason"] else t("verdict.design_choice", lang=lang)))
    lines += [f"    {line}" for line in cite.expanded(criteria, verdict.deciding_rule.source, lang)]
    for cls, fields in d["missing"].items():
        label = criteria.label("classes", cls, lang)
        lines.append(f"{t('verdict.missing', lang=lang, klass=label)}:")
        lines += [f"  - {f['question']} ({f['field']})" for f in fields]
    if verdict.next_class is None:
        lines.append(t("verdict.top", lang=lang))
    else:
        lines.append(t("verdict.next", lang=lang, klass=criteria.label("classes", verdict.next_class, lang)))
        if not d["next_steps"]:
            lines.append(f"  {t('verdict.no_path', lang=lang)}")
        for n, step in enumerate(d["next_steps"], 1):
            lines.append(f"  {t('verdict.option', lang=lang, n=n)}:")
            for change in step["changes"]:
                kind = t(f"verdict.kind_{change['kind']}", lang=lang)
                lines.append(f"    [ ] {change['text']} ({kind})")
    if trace:
        lines.append(f"{t('verdict.trace', lang=lang)}:")
        for rule in d["trace"]:
            marker = "→" if rule["decided"] else " "
            lines.append(f" {marker} {_MARK[rule['result']]} {rule['rule']}: {rule['label']}")
            for cond in rule["conditions"]:
                indent = "    " + "  " * cond["depth"]
                value = f" [{cond['input']} {cond['expected']}]" if cond["expected"] else ""
                lines.append(f"{indent}{_MARK[cond['result']]} {cond['label']}{value}")
        lines.append(f"{t('verdict.references', lang=lang)}:")
        lines += [f"  [{ref['key']}] {ref['citation']}" for ref in d["references"]]
    lines.append(t("verdict.criteria", lang=lang, version=verdict.criteria_version, digest=verdict.criteria_digest[:19]))
    return "\n".join(lines)


def question_paths() -> list[str]:
    """Every answer path, in form order (used for completeness counts)."""
    from kwaliteitskader.core.model.assessment import answer_fields

    return list(answer_fields())
