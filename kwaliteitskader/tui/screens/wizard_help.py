"""The wizard's help (F1): for a question, for a highlighted factor or ingredient, or for the current step.

Each text quotes the criteria (explanations, choices, sources expanded to their full citations) and marks our
own design choices as ours, with their reason. Plain functions of the criteria: the screen decides what is
focused and shows the result.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.assessment import FieldKind
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.widgets.questions import QuestionSpec


def _add_sources(body: Text, criteria: Criteria, lang: str, short: str, citations: tuple[Any, ...],
                design: bool, reason: str) -> None:
    """"Bron: <short references>", each expanded to its full citation, and a design choice with its reason."""
    body.append(t("tui.help.source", lang=lang) + ": ", "bold")
    body.append(short)
    for line in cite.expanded(criteria, citations, lang):
        body.append("\n  " + line, "dim")
    if design:
        body.append("\n" + t("tui.design_choice", lang=lang) + " ", "bold")
        body.append(t("verdict.design_choice_reason", lang=lang, reason=reason) if reason
                    else t("tui.help.design_choice", lang=lang))


def item_help(criteria: Criteria, spec: QuestionSpec, item: Any, lang: str) -> tuple[str, Text]:
    """F1 on a highlighted factor or ingredient: its own explanation, then the question it belongs to."""
    body = Text(item.explanation.get(lang) + "\n\n")
    domain = getattr(item, "domain", None)
    if domain:
        body.append(t("tui.help.domain", lang=lang) + ": ", "bold")
        body.append(criteria.label("domains", domain, lang) + "\n")
    dynamic = getattr(item, "dynamic", None)
    if dynamic is not None:
        body.append(t("tui.help.dynamic" if dynamic else "tui.help.static", lang=lang) + "\n")
    design = bool(getattr(item, "design_choice", False))
    reason = item.design_reason.get(lang) if design and getattr(item, "design_reason", None) is not None else ""
    _add_sources(body, criteria, lang, cite.short(item.source), tuple(item.source), design, reason)
    body.append("\n\n" + t("tui.help.item_of", lang=lang) + f" '{spec.label}': ", "bold")
    body.append(spec.help)
    return item.label.get(lang), body


def question_help(criteria: Criteria, spec: QuestionSpec, lang: str) -> tuple[str, Text]:
    """F1 on a question: its help, its sources, and for a choice question what each choice means."""
    body = Text(spec.help + "\n\n")
    _add_sources(body, criteria, lang, spec.source, spec.citations, spec.design_choice, spec.design_reason)
    if spec.catalogue and spec.kind is not FieldKind.MULTI:
        # a choice question (risk level, study design, …): what each choice means
        body.append("\n\n" + t("tui.help.options", lang=lang) + ":", "bold")
        for option in criteria.catalogues.get(spec.catalogue, {}).values():
            body.append(f"\n• {option.label.get(lang)}", "bold")
            body.append(f": {option.explanation.get(lang)}")
    body.append("\n\n" + t("tui.help.unknown", lang=lang), "dim")
    return spec.label, body


def step_help(criteria: Criteria, step_id: str, lang: str, *, references: list[dict[str, str]] | None = None,
              browser: bool = False) -> tuple[str, Text]:
    """F1 on a step of the criteria: its explanation and sources, the keys; ``references``: the sources the
    verdict cites, in full (on the result step); ``browser``: the keys a browser takes for itself."""
    step = criteria.item("steps", step_id)
    body = Text(step.explanation.get(lang) + "\n")
    reason = step.design_reason.get(lang) if step.design_choice and step.design_reason is not None else ""
    _add_sources(body, criteria, lang, cite.short(step.source), tuple(step.source), step.design_choice, reason)
    if references is not None:
        body.append("\n\n" + t("verdict.references", lang=lang) + ":", "bold")
        for ref in references:
            body.append(f"\n  [{ref['key']}] {ref['citation']}", "dim")
    body.append("\n\n" + t("tui.help.keys", lang=lang))
    if browser:
        body.append("\n" + t("tui.help.browser_keys", lang=lang))
    return step.label.get(lang), body
