"""The table of a portfolio as the exports write it: its columns and rows, errors, criteria and summary.

Every export format (``export``: csv, xlsx, json, md, html, table; ``sqlite_export``) renders one
:class:`Report`; it lives apart from the renderers so that each of them can import it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.i18n import language
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.cells import cell_text
from kwaliteitskader.core.portfolio.loading import Row
from kwaliteitskader.core.portfolio.summary import Portfolio, build_portfolio
from kwaliteitskader.core.portfolio.table import column_title

EXPORT_COLUMNS: tuple[str, ...] = (
    "municipality",
    "intervention",
    "class",
    "advice",
    "provisional",
    "evidence",
    "domains",
    "domain_names",
    "criteria",
    "date",
    "valid_until",
    "assessor",
    "out_of_date",
    "rule",
    "file",
)


_REPEATING: dict[str, Callable[[Row], Any]] = {
    # column → everything its cell text depends on (besides the report's criteria and language)
    "class": attrgetter("class_"),
    "advice": attrgetter("advice"),
    "provisional": attrgetter("provisional"),
    "evidence": attrgetter("evidence"),
    "domains": attrgetter("domains"),
    "domain_names": attrgetter("domains"),
    "criteria": attrgetter("criteria_version", "criteria_digest", "loaded_version", "loaded_digest"),
    "out_of_date": attrgetter("out_of_date"),
}


@dataclass
class Report:
    rows: list[Row]
    errors: list[Finding]
    criteria: Criteria
    lang: str = field(default_factory=language)
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    filter: str = ""
    portfolio: Portfolio | None = None
    _texts: dict[tuple[str, Any], str] = field(default_factory=dict, repr=False, compare=False)
    """Cell texts of the columns that repeat (labels, yes/no, criteria), made once per value."""

    def __post_init__(self) -> None:
        if self.portfolio is None:
            self.portfolio = build_portfolio(self.rows, self.criteria)

    @property
    def pf(self) -> Portfolio:
        if self.portfolio is None:
            self.portfolio = build_portfolio(self.rows, self.criteria)
        return self.portfolio

    def cells(self, row: Row) -> list[str]:
        texts, cells = self._texts, []
        for column in EXPORT_COLUMNS:
            value = _REPEATING.get(column)
            if value is None:
                cells.append(cell_text(row, column, self.criteria, self.lang))
                continue
            key = (column, value(row))
            text = texts.get(key)
            if text is None:  # 50,000 rows have a handful of classes, advice, domains: look each label up once
                text = texts[key] = cell_text(row, column, self.criteria, self.lang)
            cells.append(text)
        return cells

    def headers(self) -> list[str]:
        return [column_title(c, self.lang) for c in EXPORT_COLUMNS]

    def class_label(self, class_id: str) -> str:
        return self.criteria.label("classes", class_id, self.lang)

    def factor_label(self, factor: str) -> str:
        return self.criteria.label("risk_factors", factor, self.lang)


# --- spreadsheets ----------------------------------------------------------------------------------

