"""A verdict put into words: the sentences, labels and values every output shares, and the verdict as a
plain dictionary (the ``classify --json`` contract, also read by the reports). :mod:`.explain` adds the
terminal text and is the module callers import from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.fields_table import CATALOGUE_FIELDS
from kwaliteitskader.core.model.values import UNKNOWN
from kwaliteitskader.core.rules.derived import DERIVED
from kwaliteitskader.core.rules.evaluate import rule_reasons
from kwaliteitskader.core.rules.operators import need, symbol
from kwaliteitskader.core.rules.range import answer_outcomes
from kwaliteitskader.core.rules.steps import next_steps
from kwaliteitskader.core.rules.target import target_group_rows
from kwaliteitskader.core.rules.values import NOT_APPLICABLE, Partial
from kwaliteitskader.core.rules.verdict import Change, ConditionTrace, NextStep, Truth, Verdict, steps_by_class

if TYPE_CHECKING:  # explaining a verdict needs no pydantic (the CLI's fast path, docs/performance.md)
    from kwaliteitskader.core.model.criteria_set import Criteria


# --- plain words: which rules were looked at, what a comparison read and needs, an open advice -------------

NOT_LOOKED_AT = "not_looked_at"
"""The status of a rule after the first rule that holds: the engine never looks at it."""


def first_holding(verdict: Verdict) -> int:
    """The index of the first rule that holds (the catch-all rule always does)."""
    return first_holding_row([r.result.value for r in verdict.trace])


def first_holding_row(results: Sequence[str]) -> int:
    """The same from the rules' results as the verdict's dictionary gives them (``"pass"`` …): a report that
    reads only the dictionary marks the rules after it as not looked at."""
    return next((i for i, result in enumerate(results) if result == Truth.PASS.value), len(results))


def looked_at(verdict: Verdict, index: int) -> bool:
    """Whether the engine looked at rule ``index``: every rule up to the first one that holds."""
    return index <= first_holding(verdict)


def rule_status(verdict: Verdict, index: int) -> str:
    """How the short trace names rule ``index``: ``decides`` (it holds and no open rule above it can still
    decide), ``pass_if_open_fail`` (it holds, but an open rule above it may still decide), ``fail``,
    ``unknown``, or :data:`NOT_LOOKED_AT` for every rule after the first one that holds."""
    first = first_holding(verdict)
    if index > first:
        return NOT_LOOKED_AT
    rule = verdict.trace[index]
    if index < first:
        return rule.result.value
    open_above = any(r.result is Truth.UNKNOWN for r in verdict.trace[:index])
    return "pass_if_open_fail" if open_above else "decides"


def open_advice_text(verdict: Verdict, criteria: Criteria, lang: str, depends: str) -> str:
    """An advice a missing answer can still change: ``nog open — kan 'bijstellen' of 'stoppen' worden``, each
    advice in quotes so the open form cannot be taken for one advice label (such as ``bijstellen, anders
    stoppen``); ``depends`` names the questions it depends on ("" when there are too many to name)."""
    labels = [f"'{criteria.label('advice', a, lang)}'" for a in verdict.possible_advice]
    joined = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {t('verdict.or', lang=lang)} {labels[-1]}"
    text = t("verdict.advice_still_open", lang=lang, advices=joined)
    return f"{text}, {t('verdict.depends_on', lang=lang, fields=depends)}" if depends else text


def reading_text(criteria: Criteria, cond_id: str, raw_input: str, lang: str) -> str:
    """What a comparison read and what it needs, in words: ``antwoord: geen effectonderzoek; nodig:
    quasi-experimenteel of RCT``, ``aantal: 0; nodig: minstens 1`` ("" for a combination)."""

    cond = criteria.conditions.get(cond_id)
    if cond is None or not cond.is_atom:
        return ""
    path = _atom_path(criteria, cond_id)
    expected = criteria.settings.get(cond.setting) if cond.setting else cond.value
    if cond.count:
        read = f"{t('verdict.count_of', lang=lang)}: {_count_text(raw_input, lang)}"
        wanted = str(expected)
    else:
        key = "verdict.setting_read" if path.startswith("settings.") else "verdict.read"
        shown = t("verdict.none", lang=lang) if raw_input in ("", "—") else _input_text(criteria, cond_id, raw_input, lang)
        read = f"{t(key, lang=lang)}: {shown}"
        wanted = _expected_words(criteria, path, expected, lang)
    return f"{read}; {t('verdict.needed', lang=lang)}: {need(cond.op or '', wanted, lang)}"


def _expected_words(criteria: Criteria, path: str, expected: Any, lang: str) -> str:

    if isinstance(expected, list | tuple):
        return join_or([value_text(criteria, path, v, lang) for v in expected], lang)
    return value_text(criteria, path, expected, lang)


def _count_text(raw_input: str, lang: str) -> str:
    """The number of items of a list as the trace shows it (the list's ids joined with ", ")."""
    incomplete = raw_input.endswith(" (onvolledig)")
    items = raw_input.removesuffix(" (onvolledig)")
    if items in ("onbekend", "n.v.t."):
        return t("result.unknown", lang=lang) if items == "onbekend" else t("verdict.not_applicable_short", lang=lang)
    count = 0 if items in ("", "—") else len(items.split(", "))
    return f"{count} ({t('verdict.incomplete', lang=lang)})" if incomplete else str(count)


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
    if verdict.class_ is not None:
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
    depends = [m.field for m in verdict.missing if m.advice_only]
    named = ", ".join(_question(criteria, f, lang) for f in depends) if len(depends) <= 3 else ""
    return open_advice_text(verdict, criteria, lang, named)


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
    """``ja → bewezen effectief; nee → kansrijk`` for an open yes/no or choice question ("" otherwise).

    Every group of answers is listed, also one that leaves the whole range open ("gemiddeld → kansrijk of
    stoppen"): a list that left it out would let the reader guess its outcome. When no answer narrows the
    range the line would only repeat the verdict's range, so it is left out: always so when the class is
    decided (every answer leaves that one class), which is known without a search."""
    if len(verdict.possible_classes) < 2:
        return ""
    parts = []
    groups = answer_outcomes(verdict, criteria, path)
    if all(set(classes) == set(verdict.possible_classes) for _, classes in groups):
        return ""
    for answers, classes in groups:
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
    path = _atom_path(criteria, cond_id)
    expected = criteria.settings.get(cond.setting) if cond.setting else cond.value
    prefix = t("verdict.count_of", lang=lang) + " " if cond.count else ""
    shown = str(expected) if cond.count else value_text(criteria, path, expected, lang)
    return f"{prefix}{symbol(cond.op or '')} {shown}"


def _atom_path(criteria: Criteria, cond_id: str) -> str:
    cond = criteria.conditions.get(cond_id)
    return (getattr(cond, "years_since", None) or cond.field or cond.count or "") if cond is not None else ""


def rule_sentence(verdict: Verdict, criteria: Criteria, index: int, lang: str) -> str:
    """One plain sentence for rule ``index`` of the trace: its outcome and the comparisons behind it, by
    their labels, with the answers read."""
    status = rule_status(verdict, index)
    rule = verdict.trace[index]
    if status == NOT_LOOKED_AT:  # the engine stopped at an earlier rule: nothing here holds or fails
        return t("verdict.sentence_not_looked_at", lang=lang, rule=rule.label.get(lang)) + "."
    return _rule_sentence(rule, status, rule_reasons(verdict, criteria, index), criteria, lang)


def _rule_sentence(rule: Any, status: str, reasons: Any, criteria: Criteria, lang: str) -> str:
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
    head = t(f"verdict.sentence_{status}", lang=lang, rule=rule.label.get(lang))
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
    for class_id, options in steps_by_class(next_steps(verdict, criteria)).items():
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
             "classes": list(classes)} for answers, classes in answer_outcomes(verdict, criteria, path)]


class _ConditionRows:
    """A verdict's condition rows as plain data. A condition shared by several rules is a row under each of
    them, one shared row object (:func:`~kwaliteitskader.core.rules.evaluate.evaluate` makes each once):
    put into words once per object, each row gets its own copy."""

    def __init__(self, criteria: Criteria, lang: str) -> None:
        self.criteria, self.lang = criteria, lang
        self.made: dict[int, dict[str, Any]] = {}

    def get(self, c: ConditionTrace) -> dict[str, Any]:
        key = id(c)  # the verdict holds every row while its words are made: an id is not reused meanwhile
        if key not in self.made:
            criteria, lang = self.criteria, self.lang
            self.made[key] = {
                "condition": c.id,
                "label": c.label.get(lang),
                "depth": c.depth,
                "result": c.result.value,
                "input": _input_text(criteria, c.id, c.input, lang) if c.expected else "",
                "expected": expected_text(criteria, c.id, lang),
                "reading": reading_text(criteria, c.id, c.input, lang) if c.expected else "",
                "fields": list(c.fields),
                "setting": c.setting,
                "source": cite.short(c.source),
                "design_choice": c.design_choice,
                "design_reason": _design_reason(criteria.conditions.get(c.id), lang),
            }
        return {**self.made[key], "fields": list(c.fields)}


def verdict_dict(verdict: Verdict, criteria: Criteria, lang: str | None = None, *, trace: bool = True,
                 answers: bool = True, assessment: Any = None) -> dict[str, Any]:
    """The verdict as plain data (the ``classify --json`` contract, ``schemas/classify.schema.json``);
    ``trace=False`` leaves the (large) condition table out, for callers that do not show it; ``answers``
    works out what each answer to an open question leads to (when at most :data:`OUTCOME_LIMIT` are open)."""
    lang = lang or language()
    rule = verdict.deciding_rule
    rows = _ConditionRows(criteria, lang)
    outcomes = answers and len(verdict.missing) <= OUTCOME_LIMIT
    decided_rule = len(verdict.possible_rules) <= 1
    result = {
        "class": verdict.class_,
        "class_label": None if verdict.class_ is None else criteria.label("classes", verdict.class_, lang),
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
                "conditions": [rows.get(c) for c in r.conditions],
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
        return [change._replace(fields=(f,)) for f in change.fields]
    return [change]


def question_paths() -> list[str]:
    """Every answer path, in form order (used for completeness counts)."""
    from kwaliteitskader.core.model.assessment import answer_fields

    return list(answer_fields())
