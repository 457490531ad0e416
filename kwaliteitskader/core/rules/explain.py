"""A verdict put into words: a plain dictionary (for JSON and reports) and plain text (for the CLI).

Kept in the core so that the CLI, the reports and the TUI say the same thing in the same words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.fields_table import CATALOGUE_FIELDS
from kwaliteitskader.core.model.values import UNKNOWN
from kwaliteitskader.core.rules.engine import _SYMBOLS, DERIVED, NOT_APPLICABLE, Change, NextStep, Partial, Verdict
from kwaliteitskader.core.rules.target import target_group_rows
from kwaliteitskader.core.safetext import terminal_safe

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


ACTOR_KEYS = ("gemeente", "aanbieder", "onderzoek")


def class_list(criteria: Criteria, classes: Iterable[str], lang: str) -> str:
    """``bewezen effectief, kansrijk of stoppen``: class labels joined the way a sentence says them."""
    return join_or([criteria.label("classes", c, lang) for c in classes], lang)


def join_or(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('verdict.or', lang=lang)} {items[-1]}"


def _question(criteria: Criteria, path: str, lang: str) -> str:
    return field_label(criteria, path, lang).rstrip("?")


def summary_text(verdict: Verdict, criteria: Criteria, lang: str) -> str:
    """One sentence: the class, or the range of classes and what it still depends on."""
    if not verdict.provisional:
        return criteria.label("classes", verdict.class_, lang)
    classes = class_list(criteria, verdict.possible_classes, lang)
    text = t("verdict.range", lang=lang, classes=classes)
    depends = [m.field for m in verdict.missing if not m.advice_only]
    if depends and len(depends) <= 3:
        text += ", " + t("verdict.depends_on", lang=lang, fields=", ".join(_question(criteria, f, lang) for f in depends))
    return text


def advice_text(verdict: Verdict, criteria: Criteria, lang: str) -> str:
    """The advice, or the advices still possible and (for a decided class) what they depend on."""
    if not verdict.advice_provisional:
        return criteria.label("advice", verdict.advice, lang)
    if verdict.provisional:
        return t("verdict.advice_open", lang=lang)
    text = join_or([criteria.label("advice", a, lang) for a in verdict.possible_advice], lang)
    depends = [m.field for m in verdict.missing if m.advice_only]
    if depends and len(depends) <= 3:
        text += ", " + t("verdict.depends_on", lang=lang, fields=", ".join(_question(criteria, f, lang) for f in depends))
    return text


def change_text(change: Change, criteria: Criteria, lang: str) -> str:
    """A step as a plain action ("Stel een monitoringsplan op."), or "Beantwoord: <question>"."""
    if change.answer:
        fields = ", ".join(field_label(criteria, f, lang) for f in change.fields)
        return f"{t('verdict.answer_step', lang=lang)}: {fields}"
    if change.remedy is not None:
        return change.remedy.get(lang)
    label = change.label.get(lang)
    return label if change.want else f"{t('verdict.not', lang=lang)}: {label}"


def actor_text(change: Change, lang: str) -> str:
    """Who acts, as a short note after the step."""
    if change.answer:
        return t("verdict.actor_answer", lang=lang)
    return t(f"verdict.actor_{change.actor}", lang=lang) if change.actor in ACTOR_KEYS else change.actor


def outcome_text(verdict: Verdict, criteria: Criteria, path: str, lang: str) -> str:
    """``ja → bewezen effectief; nee → kansrijk`` for an open yes/no or choice question ("" otherwise)."""
    parts = []
    everything = next((m.could_lead_to for m in verdict.missing if m.field == path), verdict.possible_classes)
    for answers, classes in verdict.answer_outcomes(path):
        if tuple(classes) == tuple(everything):
            continue  # these answers leave everything open: say only what narrows the range
        shown = [value_text(criteria, path, a, lang) for a in answers]
        if len(shown) > 3:
            shown = [*shown[:3], "…"]
        parts.append(f"{' / '.join(shown)} → {class_list(criteria, classes, lang)}")
    return "; ".join(parts)


# --- values and the readable trace -----------------------------------------------------------------------


def _catalogue_of(path: str) -> str | None:
    if path in DERIVED:
        return DERIVED[path].catalogue
    return CATALOGUE_FIELDS.get(path)


def value_text(criteria: Criteria, path: str, value: Any, lang: str) -> str:
    """An answer as a person reads it: labels instead of ids, ``onbekend``, ``n.v.t.``."""
    if value is NOT_APPLICABLE:
        return t("verdict.not_applicable_short", lang=lang)
    if isinstance(value, Partial):
        text = ", ".join(value_text(criteria, path, v, lang) for v in value.items) or "—"
        return text if value.complete else f"{text} ({t('verdict.incomplete', lang=lang)})"
    if value is None or value == UNKNOWN:
        return t("result.unknown", lang=lang)
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(criteria, path, v, lang) for v in value) or "—"
    raw = str(getattr(value, "value", value))
    if raw in ("ja", "nee") and not _catalogue_of(path):
        return t(f"verdict.tri_{raw}", lang=lang)
    catalogue = _catalogue_of(path)
    if catalogue and criteria.item(catalogue, raw) is not None:
        return criteria.label(catalogue, raw, lang)
    return raw


def expected_text(criteria: Criteria, cond_id: str, lang: str) -> str:
    """What a comparison asks, with labels: ``∈ quasi-experiment, RCT``, ``≥ 2``."""
    cond = criteria.conditions.get(cond_id)
    if cond is None or not cond.is_atom:
        return ""
    path = cond.field or cond.count or ""
    expected = criteria.settings.get(cond.setting) if cond.setting else cond.value
    symbol = _SYMBOLS.get(cond.op or "", cond.op or "")
    prefix = t("verdict.count_of", lang=lang) + " " if cond.count else ""
    shown = str(expected) if cond.count else value_text(criteria, path, expected, lang)
    return f"{prefix}{symbol} {shown}"


def _atom_path(criteria: Criteria, cond_id: str) -> str:
    cond = criteria.conditions.get(cond_id)
    return (cond.field or cond.count or "") if cond is not None else ""


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def rule_sentence(verdict: Verdict, criteria: Criteria, index: int, lang: str) -> str:
    """One plain sentence for rule ``index`` of the trace: its outcome and the comparisons behind it, by
    their labels, with the answers read."""
    rule = verdict.trace[index]
    reasons = verdict.rule_reasons(index)
    memo = _words(criteria, lang).memo
    key = ("sentence", rule.id, rule.result, tuple((a, r, type(v), _hashable(v)) for a, r, v in reasons))
    sentence: str | None = memo.get(key)
    if sentence is None:
        sentence = _remember(memo, key, _rule_sentence(rule, reasons, criteria, lang))
    return str(sentence)


def _rule_sentence(rule: Any, reasons: Any, criteria: Criteria, lang: str) -> str:
    outcome = rule.result.value
    parts = []
    for cond_id, result, value in reasons[:4]:
        cond = criteria.conditions.get(cond_id)
        label = cond.label.get(lang) if cond is not None else cond_id
        mark = _MARK[result.value]
        shown = value_text(criteria, _atom_path(criteria, cond_id), value, lang)
        parts.append(f"{mark} {label} ({t('verdict.read', lang=lang)}: {shown})")
    if len(reasons) > 4:
        parts.append(t("verdict.and_more", lang=lang, count=len(reasons) - 4))
    because = "; ".join(parts)
    head = t(f"verdict.sentence_{outcome}", lang=lang, rule=rule.label.get(lang))
    return f"{head}{': ' + because if because else ''}."


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


OUTCOME_LIMIT = 6
"""What each answer leads to is worked out when at most this many answers are open (each costs a search)."""
TEXT_OUTCOME_LIMIT = 3
"""Without ``--trace`` the terminal text says what each answer leads to when at most this many are open."""


def _steps_dict(verdict: Verdict, criteria: Criteria, lang: str, outcomes: bool) -> list[dict[str, Any]]:
    groups = []
    for class_id, options in verdict.steps_by_class.items():
        groups.append({
            "class": class_id,
            "class_label": criteria.label("classes", class_id, lang),
            "options": [
                {
                    "rule": option.rule,
                    "needs_research": option.needs_research,
                    "steps": [
                        {
                            "text": text,
                            "actor": c.actor,
                            "kind": c.kind,
                            "condition": c.condition,
                            "want": c.want,
                            "fields": list(c.fields),
                            **({"answers": _answers(verdict, criteria, c.fields[0], lang)}
                               if c.answer and outcomes and len(c.fields) == 1 else {}),
                        }
                        for text, c in option_steps(option, criteria, lang)
                    ],
                }
                for option in options
            ],
        })
    return groups


def _answers(verdict: Verdict, criteria: Criteria, path: str, lang: str) -> list[dict[str, Any]]:
    return [{"answers": list(answers), "answer_labels": [value_text(criteria, path, a, lang) for a in answers],
             "classes": list(classes)} for answers, classes in verdict.answer_outcomes(path)]


def verdict_dict(verdict: Verdict, criteria: Criteria, lang: str | None = None, *, trace: bool = True,
                 answers: bool = True, assessment: Any = None) -> dict[str, Any]:
    """The verdict as plain data (the ``classify --json`` contract, ``schemas/classify.schema.json``);
    ``trace=False`` leaves the (large) condition table out, for callers that do not show it; ``answers``
    works out what each answer to an open question leads to (when at most :data:`OUTCOME_LIMIT` are open)."""
    lang = lang or language()
    rule = verdict.deciding_rule
    outcomes = answers and len(verdict.missing) <= OUTCOME_LIMIT
    decided_rule = len(verdict.possible_rules) <= 1
    result = {
        "class": verdict.decided_class,
        "class_label": None if verdict.provisional else criteria.label("classes", verdict.class_, lang),
        "provisional": verdict.provisional,
        "possible_classes": list(verdict.possible_classes),
        "summary": summary_text(verdict, criteria, lang),
        "status": "onbepaald" if verdict.provisional else "definitief",
        "advice": None if verdict.advice_provisional else verdict.advice,
        "advice_label": None if verdict.advice_provisional else criteria.label("advice", verdict.advice, lang),
        "advice_provisional": verdict.advice_provisional,
        "possible_advice": list(verdict.possible_advice),
        "advice_text": advice_text(verdict, criteria, lang),
        "rule": verdict.rule if decided_rule else None,
        "possible_rules": list(verdict.possible_rules),
        "rule_label": rule.label.get(lang),
        "explanation": rule.explanation.get(lang),
        "source": cite.short(rule.source),
        "citations": _citation_dicts(criteria, rule.source),
        "design_choice": rule.design_choice,
        "design_reason": _design_reason(_rule_item(criteria, rule.id), lang),
        "references": used_references(verdict, criteria),
        "notices": [
            {"id": n.id, "label": n.label.get(lang), "explanation": n.explanation.get(lang), "value": n.value,
             "source": cite.short(n.source)}
            for n in getattr(verdict, "notices", ())
        ],
        "criteria_version": verdict.criteria_version,
        "criteria_digest": verdict.criteria_digest,
        "settings": verdict.settings,
        "missing": [
            {
                "field": m.field,
                "question": field_label(criteria, m.field, lang),
                "could_lead_to": list(m.could_lead_to),
                "advice_only": m.advice_only,
                **({"answers": _answers(verdict, criteria, m.field, lang)} if outcomes else {}),
            }
            for m in verdict.missing
        ],
        "not_applicable": [{"field": f, "question": field_label(criteria, f, lang)} for f in verdict.not_applicable],
        "ignored": [{"field": f, "question": field_label(criteria, f, lang)} for f in verdict.ignored],
        "next_class": verdict.next_class,
        "next_steps": _steps_dict(verdict, criteria, lang, outcomes),
        "reasons": [
            {"rule": r.id, "result": r.result.value, "text": rule_sentence(verdict, criteria, i, lang)}
            for i, r in enumerate(verdict.trace)
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
                        "input": _input_text(criteria, c.id, c.input, lang) if c.expected else "",
                        "expected": expected_text(criteria, c.id, lang),
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
    if assessment is not None:
        result["target_group"] = [{"label": k, "value": v} for k, v in target_group_rows(assessment, criteria, lang)]
    return result


def _input_text(criteria: Criteria, cond_id: str, shown: str, lang: str) -> str:
    """A trace row's input (the engine's ids) with labels."""
    path = _atom_path(criteria, cond_id)
    incomplete = shown.endswith(" (onvolledig)")
    if incomplete:
        shown = shown.removesuffix(" (onvolledig)")
    if shown in ("onbekend", "n.v.t.", "—", ""):
        text = {"onbekend": t("result.unknown", lang=lang), "n.v.t.": t("verdict.not_applicable_short", lang=lang)}.get(shown, shown)
    else:
        text = ", ".join(value_text(criteria, path, part, lang) for part in shown.split(", "))
    return f"{text} ({t('verdict.incomplete', lang=lang)})" if incomplete else text


_MARK = {"pass": "✔", "fail": "✘", "unknown": "?"}


class _Words:
    """The texts of one criteria set in one language that many verdicts share: messages, labels, the lines
    for a class, a rule, a step, an open question. Kept on the criteria object (:func:`_words`), so that other
    criteria (another set, other settings) or another language never get these texts.

    ``safe``: every text kept is as :func:`terminal_safe` shows it (for :func:`verdict_text` with ``safe``);
    texts of the assessment that are not kept are made safe where they are put in."""

    __slots__ = ("changes", "lang", "memo", "messages", "options", "safe")

    def __init__(self, lang: str, safe: bool) -> None:
        self.lang = lang
        self.safe = safe
        self.messages: dict[str, str] = {}
        self.memo: dict[Any, Any] = {}
        # keyed by the ids of Change objects: each entry holds those objects, so while it exists no other
        # object can have these ids (the engine makes each change once per plan, so they repeat)
        self.options: dict[tuple[int, ...], tuple[tuple[Change, ...], list[str], list[str | None]]] = {}
        self.changes: dict[int, tuple[Change, tuple[bool, bool], list[tuple[str, Change, str]]]] = {}

    def __reduce__(self) -> tuple[type[_Words], tuple[str, bool]]:
        """Copied or pickled (criteria handed to a worker process that is not forked) it starts empty: the
        ids it is keyed by mean other objects in another process."""
        return _Words, (self.lang, self.safe)

    def t(self, key: str) -> str:
        """``t(key, lang=lang)`` for a message without placeholders."""
        text = self.messages.get(key)
        if text is None:
            text = self.messages[key] = self.fin(t(key, lang=self.lang))
        return text

    def fin(self, text: str) -> str:
        """The text as it is kept and shown: with ``safe``, control characters as escapes (once a text is
        safe this changes nothing, so parts that are already safe may be joined and made safe again)."""
        return terminal_safe(text) if self.safe else text

    def keep(self, key: Any, text: str) -> str:
        """Remember a line (made safe with ``safe``) under ``key``."""
        kept: str = _remember(self.memo, key, self.fin(text))
        return kept

    def steps(self, option: NextStep, criteria: Criteria) -> tuple[list[str], list[str | None]]:
        """The lines in the text of :func:`option_steps` of ``option`` (without what an answer leads to), and
        for each the question whose answers may be added (a step answering one question), else None."""
        changes = option.changes
        key = tuple(map(id, changes))
        found = self.options.get(key)
        if found is None:
            # as option_steps: research first, then actions, then questions, each text once
            entries = sorted((self._change(change, criteria) for change in changes), key=_first)
            seen: set[str] = set()
            lines: list[str] = []
            paths: list[str | None] = []
            for _order, parts in entries:
                for text, part, line in parts:
                    if text not in seen:
                        seen.add(text)
                        lines.append(line)
                        paths.append(part.fields[0] if part.answer and len(part.fields) == 1 else None)
            if len(self.options) >= _MEMO_LIMIT:
                self.options.clear()
            found = self.options[key] = (changes, lines, paths)
        return found[1], found[2]

    def _change(self, change: Change, criteria: Criteria) -> tuple[tuple[bool, bool], list[tuple[str, Change, str]]]:
        """A change's place in the order of an option and its steps: ``(text, change, line)``, one per
        question of an answer step."""
        found = self.changes.get(id(change))
        if found is None:
            steps = []
            for part in _parts(change):
                text = change_text(part, criteria, self.lang)
                steps.append((text, part, self.fin(f"    [ ] {text} ({actor_text(part, self.lang)})")))
            if len(self.changes) >= _MEMO_LIMIT:
                self.changes.clear()
            found = self.changes[id(change)] = (change, _step_order(change), steps)
        return found[1], found[2]


def _first(entry: tuple[Any, ...]) -> Any:
    return entry[0]


_MEMO_LIMIT = 20_000
"""Entries per memo of :class:`_Words` before it starts again (a bound on memory, never on correctness)."""

_WORDS_KEY = "_explain_words"


def _words(criteria: Criteria, lang: str, safe: bool = False) -> _Words:
    """The shared texts of ``criteria`` in ``lang`` (made on first use; they live as long as the criteria)."""
    per_lang: dict[tuple[str, bool], _Words] | None = criteria.__dict__.get(_WORDS_KEY)
    if per_lang is None:
        per_lang = criteria.__dict__[_WORDS_KEY] = {}
    words = per_lang.get((lang, safe))
    if words is None:
        words = per_lang[lang, safe] = _Words(lang, safe)
    return words


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _plain_values(*values: Any) -> bool:
    """Whether every value is a ``str`` or None (or a list of ``str``): then equal values read the same."""
    for value in values:
        if value is None or type(value) is str:
            continue
        if type(value) is list and all(type(v) is str for v in value):
            continue
        return False
    return True


def verdict_text(verdict: Verdict, criteria: Criteria, lang: str | None = None, *, trace: bool = False,
                 assessment: Any = None, safe: bool = False) -> str:
    """A readable explanation for the terminal: class (or range), advice, reasons, open questions, next steps
    per higher class, and why in one sentence; with ``trace`` the derivation as one sentence per rule and the
    full table.

    The lines that depend only on the criteria, the language and a few ids are made once per criteria set
    and language (:class:`_Words`); the text is the same as put together piece by piece. With ``safe`` it is
    ``terminal_safe(verdict_text(...))``, made safe line by line (the lines kept are kept safe)."""
    lang = lang or language()
    words = _words(criteria, lang, safe)
    memo, msg, fin = words.memo, words.t, words.fin
    missing = verdict.missing
    provisional = verdict.provisional
    if provisional:
        depends = tuple(m.field for m in missing if not m.advice_only)
        key: Any = ("class", True, verdict.possible_classes, depends)
        line = memo.get(key)
        if line is None:
            line = words.keep(key, f"{msg('verdict.class')}: {summary_text(verdict, criteria, lang)}")
    else:
        key = ("class", False, verdict.class_)
        line = memo.get(key)
        if line is None:
            line = words.keep(key, f"{msg('verdict.class')}: {criteria.label('classes', verdict.class_, lang)} "
                                   f"({msg('verdict.definite')})")
    lines = [line]
    if not verdict.advice_provisional:
        key = ("advice", verdict.advice)
    elif provisional:
        key = ("advice", None)
    else:
        key = ("advice", verdict.possible_advice, tuple(m.field for m in missing if m.advice_only))
    line = memo.get(key)
    if line is None:
        line = words.keep(key, f"{msg('verdict.advice')}: {advice_text(verdict, criteria, lang)}")
    lines.append(line)
    if not provisional:
        rule = verdict.deciding_rule
        key = ("rule", verdict.rule, rule.id)
        block = memo.get(key)
        if block is None:
            block = _remember(memo, key, [fin(line) for line in _rule_block(verdict, rule, criteria, lang)])
        lines += block
    if assessment is not None:  # the risk principle and responsivity, shown with every verdict
        lines.append(_target_group_line(assessment, criteria, words))
    for notice in getattr(verdict, "notices", ()):
        key = ("notice", notice.id, notice.value) if type(notice.value) is str else None
        line = memo.get(key) if key is not None else None
        if line is None:
            value = f" ({notice.value})" if notice.value else ""
            line = fin(f"{msg('verdict.notices')}: {notice.label.get(lang)}{value} — {notice.explanation.get(lang)}")
            if key is not None:
                _remember(memo, key, line)
        lines.append(line)
    answers_of: dict[str, str] = {}  # per open question, what its answers lead to (asked again for each step)
    if missing:
        lines.append(msg("verdict.missing_range" if provisional else "verdict.missing_advice") + ":")
        show_answers = len(missing) <= (OUTCOME_LIMIT if trace else TEXT_OUTCOME_LIMIT)
        for m in missing:
            key = ("missing", m.field, m.could_lead_to)
            line = memo.get(key)
            if line is None:
                leads = class_list(criteria, m.could_lead_to, lang)
                line = words.keep(key, f"  - {field_label(criteria, m.field, lang)} "
                                       f"({t('verdict.leads_to', lang=lang, classes=leads)})")
            answers = _outcome_text(verdict, criteria, m.field, words, answers_of) if show_answers else ""
            lines.append(line + (f": {answers}" if answers else ""))
    if verdict.ignored:
        lines.append(f"{msg('verdict.ignored')}:")
        for f in verdict.ignored:
            key = ("ignored", f)
            line = memo.get(key)
            if line is None:
                line = words.keep(key, f"  - {field_label(criteria, f, lang)}")
            lines.append(line)
    if verdict.next_class is None:
        lines.append(msg("verdict.top"))
    elif not verdict.next_steps:
        lines.append(msg("verdict.no_path_any"))
    open_limit = len(missing) <= (OUTCOME_LIMIT if trace else TEXT_OUTCOME_LIMIT)
    for class_id, options in verdict.steps_by_class.items():
        key = ("next", class_id)
        line = memo.get(key)
        if line is None:
            line = words.keep(key, t("verdict.next", lang=lang, klass=criteria.label("classes", class_id, lang)))
        lines.append(line)
        shown: set[tuple[str, ...]] = set()
        for option in options:
            step_lines, paths = words.steps(option, criteria)
            read = tuple(step_lines)
            if read in shown:  # reads as an earlier option: left out (see distinct_options)
                continue
            shown.add(read)
            n = len(shown)
            key = ("option", n)
            line = memo.get(key)
            if line is None:
                line = words.keep(key, f"  {t('verdict.option', lang=lang, n=n)}:")
            lines.append(line)
            if not open_limit:
                lines += step_lines
                continue
            for line, path in zip(step_lines, paths, strict=True):
                # the answers of a one-question step, when few questions are open
                if path is not None:
                    outcomes = answers_of.get(path)
                    if outcomes is None:
                        outcomes = _outcome_text(verdict, criteria, path, words, answers_of)
                    if outcomes:
                        line = f"{line}: {outcomes}"
                lines.append(line)
    if not trace:  # the deciding rule in one sentence; --trace gives every rule and the full table
        if not provisional:
            index = next(i for i, r in enumerate(verdict.trace) if r.decided)
            lines.append(fin(f"{msg('verdict.why')}: {rule_sentence(verdict, criteria, index, lang)}"))
    else:
        start = len(lines)
        lines.append(f"{t('verdict.trace', lang=lang)}:")
        lines += [f"  {rule_sentence(verdict, criteria, i, lang)}" for i in range(len(verdict.trace))]
        d = verdict_dict(verdict, criteria, lang, trace=True, answers=False)
        lines.append(f"{t('verdict.trace_table', lang=lang)}:")
        for row in d["trace"]:
            marker = "→" if row["decided"] else " "
            where = f" ({row['source']})" if row.get("source") else ""
            lines.append(f" {marker} {_MARK[row['result']]} {row['rule']}: {row['label']}{where}")
            for cond in row["conditions"]:
                indent = "    " + "  " * cond["depth"]
                value = f" [{cond['input']} {cond['expected']}]" if cond["expected"] else ""
                design = " " + t("verdict.design_choice", lang=lang) if cond.get("design_choice") else ""
                lines.append(f"{indent}{_MARK[cond['result']]} {cond['label']}{value}{design}")
        lines.append(f"{t('verdict.references', lang=lang)}:")
        lines += [f"  [{ref['key']}] {ref['citation']}" for ref in d["references"]]
        lines[start:] = [fin("\n".join(lines[start:]))]  # newlines stay as they are: one pass for the block
    key = ("criteria", verdict.criteria_version, verdict.criteria_digest)
    line = memo.get(key)
    if line is None:
        line = words.keep(key, t("verdict.criteria", lang=lang, version=verdict.criteria_version,
                                 digest=verdict.criteria_digest[:19]))
    lines.append(line)
    return "\n".join(lines)


def _rule_block(verdict: Verdict, rule: Any, criteria: Criteria, lang: str) -> list[str]:
    """The deciding rule's lines: id and label, explanation, source, design choice, the citations."""
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


def _target_group_line(assessment: Any, criteria: Criteria, words: _Words) -> str:
    """``Doelgroep: …`` (:func:`target_group_rows`), made once per combination of plain answers."""
    group = assessment.target_group
    intensity = getattr(getattr(assessment, "delivery", None), "intensity", None)
    values = (group.prevention_tier, group.risk_level, intensity, group.special_needs)
    key: Any = None
    if _plain_values(*values):
        needs = group.special_needs
        key = ("target", *values[:3], None if needs is None else tuple(needs))
        line = words.memo.get(key)
        if line is not None:
            return str(line)
    rows = target_group_rows(assessment, criteria, words.lang)
    line = words.fin(f"{words.t('verdict.target_group')}: " + "; ".join(f"{k}: {v}" for k, v in rows))
    if key is not None:
        _remember(words.memo, key, line)
    return line


def _outcome_text(verdict: Verdict, criteria: Criteria, path: str, words: _Words, seen: dict[str, str]) -> str:
    """:func:`outcome_text`, once per question and verdict, and made once per criteria set for the same
    outcomes (the answers are the engine's ids, so equal outcomes read the same)."""
    text = seen.get(path)
    if text is None:
        everything = next((m.could_lead_to for m in verdict.missing if m.field == path), verdict.possible_classes)
        key = ("outcomes", path, everything, verdict.answer_outcomes(path))
        text = words.memo.get(key)
        if text is None:
            text = words.keep(key, outcome_text(verdict, criteria, path, words.lang))
        seen[path] = text
    return text


def option_steps(option: NextStep, criteria: Criteria, lang: str) -> list[tuple[str, Change]]:
    """An option's steps as ``(text, change)``: research first (what follows may depend on it), then actions,
    then open questions, each question once ("Beantwoord: <question>", one per question)."""
    seen: set[str] = set()
    steps = []
    for change in sorted(option.changes, key=_step_order):
        for part in _parts(change):
            text = change_text(part, criteria, lang)
            if text not in seen:
                seen.add(text)
                steps.append((text, part))
    return steps


def distinct_options(options: Iterable[NextStep], criteria: Criteria, lang: str) -> list[list[tuple[str, Change]]]:
    """The steps (:func:`option_steps`) of each option, leaving out an option whose steps read the same as an
    earlier one's. Two options may need different answers to the same open question (one rule passes with
    *gemiddeld*, another with *intensief*); a step never says which answer, only "Beantwoord: …" (the answer
    must be true, not chosen for the class it gives), so such options are one and the same advice, and were
    shown as identical options one after another."""
    shown: set[tuple[str, ...]] = set()
    distinct = []
    for option in options:
        steps = option_steps(option, criteria, lang)
        texts = tuple(text for text, _change in steps)
        if texts not in shown:
            shown.add(texts)
            distinct.append(steps)
    return distinct


def _step_order(change: Change) -> tuple[bool, bool]:
    """Where a change stands among an option's steps: research first, then actions, then open questions."""
    return (change.answer, change.kind != "onderzoek")


def _parts(change: Change) -> list[Change]:
    """A change as steps: an answer step for several questions becomes one step per question."""
    if change.answer and len(change.fields) > 1:
        return [dataclasses.replace(change, fields=(f,)) for f in change.fields]
    return [change]


def question_paths() -> list[str]:
    """Every answer path, in form order (used for completeness counts)."""
    from kwaliteitskader.core.model.assessment import answer_fields

    return list(answer_fields())
