"""Cell texts shared by the table, the exports and the compare view."""


from __future__ import annotations

from typing import TYPE_CHECKING

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.values import UNKNOWN
from kwaliteitskader.core.portfolio.loading import Row

if TYPE_CHECKING:
    pass




def yes_no(value: bool, lang: str | None = None) -> str:
    return t("compare.yes" if value else "compare.no", lang=lang)


def criteria_text(row: Row, lang: str | None = None) -> str:
    if row.criteria_status == "same":
        return row.criteria_version or row.loaded_version
    if row.criteria_status == "unrecorded":
        return t("compare.criteria.unrecorded", lang=lang, loaded=row.loaded_version)
    return t("compare.criteria.other", lang=lang, recorded=row.criteria_version or "?", loaded=row.loaded_version)


def cell_text(row: Row, column: str, criteria: Criteria, lang: str | None = None) -> str:
    """The text of one cell, in the current language (labels from the criteria data)."""
    lang = lang or language()
    if column == "municipality":
        return row.municipality
    if column == "intervention":
        return row.intervention
    if column == "class":
        return criteria.label("classes", row.class_, lang)
    if column == "advice":
        return criteria.label("advice", row.advice, lang)
    if column == "provisional":
        return yes_no(row.provisional, lang)
    if column == "evidence":
        return (
            criteria.label("recognition_levels", row.evidence, lang)
            if row.evidence != UNKNOWN
            else t("compare.unknown", lang=lang)
        )
    if column == "domains":
        return str(row.domain_count)
    if column == "domain_names":
        return ", ".join(criteria.label("domains", d, lang) for d in row.domains)
    if column == "criteria":
        return criteria_text(row, lang)
    if column == "date":
        return row.assessed_on.isoformat() if row.assessed_on else ""
    if column == "valid_until":
        return row.valid_until.isoformat() if row.valid_until else ""
    if column == "assessor":
        return row.assessor
    if column == "out_of_date":
        return yes_no(row.out_of_date, lang)
    if column == "rule":
        return row.rule
    if column == "file":
        return row.file
    raise ValueError(f"unknown column {column!r}")
