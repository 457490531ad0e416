"""A verdict put into words, for every output: the terminal text (:func:`verdict_text`, one function per
part of it) here, and re-exported from :mod:`.explain_words` the shared sentences and the plain dictionary
(:func:`verdict_dict`). Kept in the core so that the CLI, the reports and the TUI say the same thing in the
same words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.rules.explain_words import (
    _MARK,
    OUTCOME_LIMIT,
    TEXT_OUTCOME_LIMIT,
    _design_reason,
    _rule_item,
)
from kwaliteitskader.core.rules.explain_words import ACTOR_KEYS as ACTOR_KEYS
from kwaliteitskader.core.rules.explain_words import actor_text as actor_text
from kwaliteitskader.core.rules.explain_words import advice_text as advice_text
from kwaliteitskader.core.rules.explain_words import change_text as change_text
from kwaliteitskader.core.rules.explain_words import class_list as class_list
from kwaliteitskader.core.rules.explain_words import distinct_options as distinct_options
from kwaliteitskader.core.rules.explain_words import expected_text as expected_text
from kwaliteitskader.core.rules.explain_words import field_label as field_label
from kwaliteitskader.core.rules.explain_words import first_holding_row as first_holding_row
from kwaliteitskader.core.rules.explain_words import join_or as join_or
from kwaliteitskader.core.rules.explain_words import looked_at as looked_at
from kwaliteitskader.core.rules.explain_words import option_steps as option_steps
from kwaliteitskader.core.rules.explain_words import outcome_text as outcome_text
from kwaliteitskader.core.rules.explain_words import question_paths as question_paths
from kwaliteitskader.core.rules.explain_words import reading_text as reading_text
from kwaliteitskader.core.rules.explain_words import rule_sentence as rule_sentence
from kwaliteitskader.core.rules.explain_words import rule_status as rule_status
from kwaliteitskader.core.rules.explain_words import summary_text as summary_text
from kwaliteitskader.core.rules.explain_words import used_references as used_references
from kwaliteitskader.core.rules.explain_words import value_text as value_text
from kwaliteitskader.core.rules.explain_words import verdict_dict as verdict_dict
from kwaliteitskader.core.rules.steps import next_steps
from kwaliteitskader.core.rules.target import target_group_rows
from kwaliteitskader.core.rules.verdict import NextStep, Verdict, steps_by_class
from kwaliteitskader.core.safetext import terminal_safe

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria


def verdict_text(verdict: Verdict, criteria: Criteria, lang: str | None = None, *, trace: bool = False,
                 assessment: Any = None, safe: bool = False) -> str:
    """A readable explanation for the terminal: class (or range), advice, reasons, open questions, next steps
    per higher class, and why in one sentence; with ``trace`` the derivation as one sentence per rule and the
    full table. With ``safe`` control characters (from the assessment or the criteria) show as escapes."""
    lang = lang or language()
    answers = _Answers(verdict, criteria, lang, len(verdict.missing) <= (OUTCOME_LIMIT if trace else TEXT_OUTCOME_LIMIT))
    lines = [*_head(verdict, criteria, lang)]
    if assessment is not None:  # the risk principle and responsivity, shown with every verdict
        rows = target_group_rows(assessment, criteria, lang)
        lines.append(f"{t('verdict.target_group', lang=lang)}: " + "; ".join(f"{k}: {v}" for k, v in rows))
    lines += _notice_lines(verdict, lang)
    lines += _missing_lines(verdict, criteria, lang, answers)
    lines += _step_lines(verdict, criteria, lang, answers)
    lines += _trace_lines(verdict, criteria, lang) if trace else _why_lines(verdict, criteria, lang)
    lines.append(t("verdict.criteria", lang=lang, version=verdict.criteria_version, digest=verdict.criteria_digest[:19]))
    text = "\n".join(lines)
    return terminal_safe(text) if safe else text


class _Answers:
    """What the answers to an open question lead to, when few questions are open (each asked once)."""

    def __init__(self, verdict: Verdict, criteria: Criteria, lang: str, shown: bool) -> None:
        self.verdict, self.criteria, self.lang, self.shown = verdict, criteria, lang, shown
        self.texts: dict[str, str] = {}

    def after(self, line: str, path: str | None) -> str:
        """``line``, followed by what the answers to ``path`` lead to (when shown and there is something)."""
        if not self.shown or path is None:
            return line
        if path not in self.texts:
            self.texts[path] = outcome_text(self.verdict, self.criteria, path, self.lang)
        return f"{line}: {self.texts[path]}" if self.texts[path] else line


def _head(verdict: Verdict, criteria: Criteria, lang: str) -> list[str]:
    """The class (or range), the advice, and for a decided class the deciding rule."""
    if verdict.class_ is None:
        lines = [f"{t('verdict.class', lang=lang)}: {summary_text(verdict, criteria, lang)}"]
    else:
        label = criteria.label("classes", verdict.class_, lang)
        lines = [f"{t('verdict.class', lang=lang)}: {label} ({t('verdict.definite', lang=lang)})"]
    lines.append(f"{t('verdict.advice', lang=lang)}: {advice_text(verdict, criteria, lang)}")
    if not verdict.provisional:
        lines += _rule_block(verdict, criteria, lang)
    return lines


def _rule_block(verdict: Verdict, criteria: Criteria, lang: str) -> list[str]:
    """The deciding rule's lines: id and label, explanation, source, design choice, the citations."""
    if len(verdict.possible_rules) > 1:
        return _open_rule_block(verdict, lang)
    rule = verdict.deciding_rule
    lines = [
        f"{t('verdict.rule', lang=lang)}: {verdict.rule} — {rule.label.get(lang)}",
        f"  {rule.explanation.get(lang)}",
        f"  [{t('verdict.source', lang=lang)}: {cite.short(rule.source)}]",
    ]
    if rule.design_choice:
        reason = _design_reason(_rule_item(criteria, rule.id), lang)
        lines.append("  " + (t("verdict.design_choice_reason", lang=lang, reason=reason)
                             if reason else t("verdict.design_choice", lang=lang)))
    lines += [f"    {line}" for line in cite.expanded(criteria, rule.source, lang)]
    return lines


def _open_rule_block(verdict: Verdict, lang: str) -> list[str]:
    """The class is decided but not yet which rule decides: every rule that still can, by label and source,
    without their explanations (each says why *it* would decide, which is not known yet)."""
    lines = [f"{t('verdict.rule', lang=lang)}: {t('verdict.rule_open', lang=lang)}"]
    rules = {r.id: r for r in verdict.trace}
    for rule_id in verdict.possible_rules:
        rule = rules[rule_id]
        lines.append(f"  - {rule_id} — {rule.label.get(lang)} [{t('verdict.source', lang=lang)}: {cite.short(rule.source)}]")
    return lines


def _notice_lines(verdict: Verdict, lang: str) -> list[str]:
    lines = []
    for notice in verdict.notices:
        value = f" ({notice.value})" if notice.value else ""
        lines.append(f"{t('verdict.notices', lang=lang)}: {notice.label.get(lang)}{value} — {notice.explanation.get(lang)}")
    return lines


def _missing_lines(verdict: Verdict, criteria: Criteria, lang: str, answers: _Answers) -> list[str]:
    """The open questions (with what their answers lead to), and the answers that are not read."""
    lines = []
    if verdict.missing:
        lines.append(t("verdict.missing_range" if verdict.provisional else "verdict.missing_advice", lang=lang) + ":")
        for m in verdict.missing:
            effect = (t("verdict.changes_advice", lang=lang) if m.advice_only
                      else t("verdict.leads_to", lang=lang, classes=class_list(criteria, m.could_lead_to, lang)))
            line = f"  - {field_label(criteria, m.field, lang)} ({effect})"
            lines.append(answers.after(line, m.field))
    if verdict.ignored:
        lines.append(f"{t('verdict.ignored', lang=lang)}:")
        lines += [f"  - {field_label(criteria, f, lang)}" for f in verdict.ignored]
    return lines


def _step_lines(verdict: Verdict, criteria: Criteria, lang: str, answers: _Answers) -> list[str]:
    """"Wat is er nodig?": per higher class its options, each option's steps (an option that reads the same
    as an earlier one left out)."""
    steps = next_steps(verdict, criteria)
    lines = []
    if verdict.next_class is None:
        lines.append(t("verdict.top", lang=lang))
    elif not steps:
        lines.append(t("verdict.no_path_any", lang=lang))
    for class_id, options in steps_by_class(steps).items():
        lines.append(t("verdict.next", lang=lang, klass=criteria.label("classes", class_id, lang)))
        lines += _option_lines(options, criteria, lang, answers)
    return lines


def _option_lines(options: list[NextStep], criteria: Criteria, lang: str, answers: _Answers) -> list[str]:
    """Each option's steps, numbered; an option whose lines read the same as an earlier one's is left out."""
    lines: list[str] = []
    shown: set[tuple[str, ...]] = set()
    for option in options:
        steps = option_steps(option, criteria, lang)
        step_lines = tuple(f"    [ ] {text} ({actor_text(change, lang)})" for text, change in steps)
        if step_lines in shown:
            continue
        shown.add(step_lines)
        lines.append(f"  {t('verdict.option', lang=lang, n=len(shown))}:")
        for line, (_text, change) in zip(step_lines, steps, strict=True):
            path = change.fields[0] if change.answer and len(change.fields) == 1 else None
            lines.append(answers.after(line, path))
    return lines


def _why_lines(verdict: Verdict, criteria: Criteria, lang: str) -> list[str]:
    """Without ``--trace``: the deciding rule in one sentence (nothing while the class is open)."""
    if verdict.provisional:
        return []
    index = next(i for i, r in enumerate(verdict.trace) if r.decided)
    return [f"{t('verdict.why', lang=lang)}: {rule_sentence(verdict, criteria, index, lang)}"]


def _trace_lines(verdict: Verdict, criteria: Criteria, lang: str) -> list[str]:
    """With ``--trace``: one sentence per rule, the full table of rules and conditions, the references."""
    lines = [f"{t('verdict.trace', lang=lang)}:"]
    lines += [f"  {rule_sentence(verdict, criteria, i, lang)}" for i in range(len(verdict.trace))]
    d = verdict_dict(verdict, criteria, lang, trace=True, answers=False)
    lines.append(f"{t('verdict.trace_table', lang=lang)}:")
    for index, row in enumerate(d["trace"]):
        marker = "→" if row["decided"] and d["rule"] else " "  # "→" only where one rule is known to decide
        where = f" ({row['source']})" if row.get("source") else ""
        if not looked_at(verdict, index):  # after the first rule that holds: shown, never marked as holding
            lines.append(f"   · {row['rule']}: {row['label']}{where} — {t('verdict.not_looked_at', lang=lang)}")
        else:
            lines.append(f" {marker} {_MARK[row['result']]} {row['rule']}: {row['label']}{where}")
        for cond in row["conditions"]:
            indent = "    " + "  " * cond["depth"]
            value = f" [{cond['reading']}]" if cond["reading"] else ""
            design = " " + t("verdict.design_choice", lang=lang) if cond.get("design_choice") else ""
            lines.append(f"{indent}{_MARK[cond['result']]} {cond['label']}{value}{design}")
    lines.append(f"{t('verdict.references', lang=lang)}:")
    lines += [f"  [{ref['key']}] {ref['citation']}" for ref in d["references"]]
    return lines
