"""Cell texts shared by the table, the exports and the compare view."""


from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.values import UNKNOWN
from kwaliteitskader.core.portfolio.row import LeanRow, Row, VerdictFields


@dataclass(frozen=True)
class Column:
    """A column of the portfolio table: its id (heading ``t("compare.col.<id>")``), the :class:`Row` fields its
    cell text depends on (besides the criteria and language), and where it is shown."""

    id: str
    reads: tuple[str, ...]
    view: bool = True
    """In the compare view and the terminal table."""


TABLE: tuple[Column, ...] = (
    Column("municipality", ("municipality",)),
    Column("intervention", ("intervention",)),
    Column("class", ("decided_class", "possible_classes")),
    Column("advice", ("advice", "possible_advice")),
    Column("provisional", ("provisional",)),
    Column("evidence", ("evidence",)),
    Column("domains", ("domains",)),
    Column("domain_names", ("domains",), view=False),
    Column("criteria", ("criteria_version", "criteria_digest", "loaded_version", "loaded_digest")),
    Column("date", ("assessed_on",)),
    Column("valid_until", ("valid_until",), view=False),
    Column("assessor", ("assessor",)),
    Column("out_of_date", ("out_of_date",)),
    Column("rule", ("rule",), view=False),
    Column("file", ("file",)),
)
"""Every column of the portfolio table, in order: the exports show them all, the view those marked ``view``."""
VIEW_COLUMNS: tuple[str, ...] = tuple(c.id for c in TABLE if c.view)
EXPORT_COLUMNS: tuple[str, ...] = tuple(c.id for c in TABLE)
CELL_DEPENDS_ON: dict[str, tuple[str, ...]] = {c.id: c.reads for c in TABLE}
"""Rows with the same values of these fields have the same cell text in that column: 50,000 rows have a
handful of classes, advice, dates and yes/no, so each text (label lookup, escaping) is made once per value."""


def or_list(labels: Iterable[str], lang: str | None = None) -> str:
    """``kansrijk of stoppen``: labels joined the way a sentence says them."""
    items = list(labels)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('compare.or', lang=lang)} {items[-1]}"


def class_text(verdict: Row | VerdictFields, criteria: Criteria, lang: str) -> str:
    """The class's label; an open verdict as open, with the classes it can still reach ("nog geen oordeel:
    kansrijk of stoppen"), never as one of them."""
    if verdict.decided_class is not None:
        return criteria.label("classes", verdict.decided_class, lang)
    classes = or_list((criteria.label("classes", c, lang) for c in verdict.possible_classes), lang)
    return t("compare.open_class", lang=lang, classes=classes) if classes else t("compare.open", lang=lang)


def advice_text(verdict: Row | VerdictFields, criteria: Criteria, lang: str) -> str:
    """The advice's label; an open advice as open, with the advice still possible."""
    if verdict.advice is not None:
        return criteria.label("advice", verdict.advice, lang)
    advice = or_list((criteria.label("advice", a, lang) for a in verdict.possible_advice), lang)
    return t("compare.open_advice", lang=lang, advice=advice) if advice else t("compare.open", lang=lang)


def yes_no(value: bool, lang: str | None = None) -> str:
    return t("compare.yes" if value else "compare.no", lang=lang)


def criteria_text(row: Row, lang: str | None = None) -> str:
    if row.criteria_status == "same":
        return row.criteria_version or row.loaded_version
    if row.criteria_status == "unrecorded":
        return t("compare.criteria.unrecorded", lang=lang, loaded=row.loaded_version)
    return t("compare.criteria.other", lang=lang, recorded=row.criteria_version or "?", loaded=row.loaded_version)


def _evidence_text(row: Row, criteria: Criteria, lang: str) -> str:
    if row.evidence == UNKNOWN:
        return t("compare.unknown", lang=lang)
    return criteria.label("recognition_levels", row.evidence, lang)


LEAN_CELLS: dict[str, Callable[[LeanRow, Criteria, str], str]] = {
    "municipality": lambda row, _criteria, _lang: row.municipality,
    "intervention": lambda row, _criteria, _lang: row.intervention,
    "out_of_date": lambda row, _criteria, lang: yes_no(row.out_of_date, lang),
    "rule": lambda row, _criteria, _lang: row.rule,
    "file": lambda row, _criteria, _lang: row.file,
}
"""The cell text of each column that reads nothing but a :class:`.row.LeanRow`'s fields (:func:`lean_cell_text`)."""

_CELLS: dict[str, Callable[[Row, Criteria, str], str]] = {
    **LEAN_CELLS,
    "class": class_text,
    "advice": advice_text,
    "provisional": lambda row, _criteria, lang: yes_no(row.provisional, lang),
    "evidence": _evidence_text,
    "domains": lambda row, _criteria, _lang: str(row.domain_count),
    "domain_names": lambda row, criteria, lang: ", ".join(criteria.label("domains", d, lang) for d in row.domains),
    "criteria": lambda row, _criteria, lang: criteria_text(row, lang),
    "date": lambda row, _criteria, _lang: row.assessed_on.isoformat() if row.assessed_on else "",
    "valid_until": lambda row, _criteria, _lang: row.valid_until.isoformat() if row.valid_until else "",
    "assessor": lambda row, _criteria, _lang: row.assessor,
}
"""Each column's cell text (:data:`TABLE`)."""


def view_text(row: Row, column: str, criteria: Criteria, lang: str | None = None) -> str:
    """A cell as the compare view's table shows it: :func:`cell_text`, with an open class or advice in short
    ("nog geen oordeel", "nog open"), no wider than a class label, so that class and advice both stay in view
    at 100 columns; the detail pane says which classes and advice are still possible."""
    lang = lang or language()
    if column == "class" and row.decided_class is None:
        return t("compare.open", lang=lang)
    if column == "advice" and row.advice is None:
        return t("compare.open_advice_short", lang=lang)
    return cell_text(row, column, criteria, lang)


def cell_text(row: Row, column: str, criteria: Criteria, lang: str | None = None) -> str:
    """The text of one cell, in the current language (labels from the criteria data)."""
    make = _CELLS.get(column)
    if make is None:
        raise ValueError(f"unknown column {column!r}")
    return make(row, criteria, lang or language())


def lean_cell_text(row: LeanRow, column: str, criteria: Criteria, lang: str | None = None) -> str:
    """:func:`cell_text` of a column of :data:`LEAN_CELLS`, for a row that may be lean."""
    make = LEAN_CELLS.get(column)
    if make is None:
        raise ValueError(f"column {column!r} reads more than a lean row has")
    return make(row, criteria, lang or language())
