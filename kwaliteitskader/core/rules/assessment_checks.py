"""What ``validate`` checks in an assessment beyond its types: ids the criteria do not know, and answers
that contradict each other. Every finding names file, line and key.

Kept apart from :mod:`checks` (the criteria checks, which need the pydantic models) so that ``validate``
of a folder of plain assessments runs without importing pydantic (docs/performance.md): the assessment
may be the model or the light record from :mod:`fastpath`, which have the same attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.locate import LineIndex, dotted
from kwaliteitskader.core.model.fields_table import CATALOGUE_FIELDS
from kwaliteitskader.core.model.values import get_path
from kwaliteitskader.core.rules.values import display

if TYPE_CHECKING:
    from kwaliteitskader.core.model.assessment import Assessment
    from kwaliteitskader.core.model.criteria_set import Criteria


SUGGESTIONS = 20
"""Unknown values per file that get a "Bedoelde u …?" hint: finding the nearest value costs a comparison with
every allowed value, so a file with thousands of unknown ids is still checked in time linear in its size."""


def unknown_choice(value: str, catalogue: str, allowed: list[str], *, suggest: bool = True) -> str:
    """"Onbekende waarde 'x' …": with every allowed value, and (``suggest``) the nearest one if it is close."""
    import difflib

    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6) if suggest else []
    hint = t("check.did_you_mean", choice=close[0]) if close else ""
    return t("check.unknown_choice", value=value, catalogue=catalogue, allowed=", ".join(allowed), hint=hint)


def check_assessment(assessment: Assessment | Any, criteria: Criteria, file: str, index: LineIndex | None, *,
                     contradictions: bool = True) -> list[Finding]:
    """Ids that the criteria do not know, and answers that contradict each other (``contradictions=False``:
    the ids only, for a file the models refused, whose other answers may have the wrong type)."""
    findings: list[Finding] = []

    def at(path: tuple[str | int, ...], message: str, code: str, value: str | None = None) -> None:
        line = None
        if index is not None:
            line = (index.find_value(path, value) if value else None) or index.line(path)
        findings.append(Finding(file=file, line=line, key=dotted(path), message=message, code=code))

    for path, catalogue in CATALOGUE_FIELDS.items():
        section, _, name = path.partition(".")
        value = getattr(getattr(assessment, section), name)
        known = criteria.catalogues.get(catalogue) or {}
        if value is None or not known:
            continue  # an unanswered list is onbekend, not an unknown id; a list these criteria lack is not judged
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v != "onbekend" and v not in known:
                suggest = len(findings) < SUGGESTIONS  # the first findings of a file get the nearest value
                at((section, name), unknown_choice(v, catalogue, [*known, "onbekend"], suggest=suggest), "unknown-reference", v)
    for signal in assessment.harm_signals:
        if signal not in criteria.catalogues["harm_signals"]:
            at(("harm_signals", signal), unknown_choice(signal, "harm_signals", list(criteria.catalogues["harm_signals"])),
               "unknown-reference")
    tg = assessment.target_group
    if tg.age_min is not None and tg.age_max is not None and tg.age_min > tg.age_max:
        at(("target_group", "age_max"), t("check.age_order", low=tg.age_min, high=tg.age_max), "inconsistent")
    meta = assessment.meta
    if meta.assessed_on and meta.valid_until and meta.valid_until < meta.assessed_on:
        at(("meta", "valid_until"), t("check.validity_order"), "inconsistent")
    if contradictions:
        for notice in _contradicting(assessment, criteria):
            fields = list(notice.inconsistent_fields)
            section, _, name = fields[0].partition(".")
            answers = "; ".join(f"{f} = {display(get_path(assessment, f))}" for f in fields)
            at((section, name), t("check.contradicting_answers", label=notice.label.get(language()), answers=answers),
               "inconsistent")
    return findings


def _contradicting(assessment: Assessment | Any, criteria: Criteria) -> tuple[Any, ...]:
    """The criteria's notices of contradicting answers that hold for ``assessment`` (none: nothing evaluated)."""
    if not any(getattr(n, "inconsistent_fields", None) for n in getattr(criteria.document, "notices", None) or ()):
        return ()
    from kwaliteitskader.core.rules.evaluate import contradictions

    return contradictions(assessment, criteria)
