"""Plain words for the parts of an explanation a policy officer stumbles over: which rules the engine looked
at (only the deciding rule decides; the rules after it are not looked at), what a comparison read and what
it needs ("antwoord: geen effectonderzoek; nodig: quasi-experimenteel of RCT") instead of symbols, and an
advice that is still open, said so that it cannot be read as one advice label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.rules.operators import need
from kwaliteitskader.core.rules.verdict import Truth, Verdict

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria

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
    from kwaliteitskader.core.rules.explain_words import _atom_path, _input_text  # it imports this module

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
    from kwaliteitskader.core.rules.explain_words import join_or, value_text  # it imports this module

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
