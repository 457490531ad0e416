"""The table of a portfolio as the exports write it: its columns and rows, errors, criteria and summary.

Every export format (``export``: csv, xlsx, json, md, html, table; ``sqlite_export``) renders one
:class:`Report`; it lives apart from the renderers so that each of them can import it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.i18n import language
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.cells import CELL_DEPENDS_ON, EXPORT_COLUMNS, cell_text
from kwaliteitskader.core.portfolio.row import Row, stored_fields
from kwaliteitskader.core.portfolio.summary import Portfolio, build_portfolio
from kwaliteitskader.core.portfolio.table import column_title

STORED_FIELDS = frozenset({name for name, _kind in stored_fields()} | {"loaded_version", "loaded_digest"})
"""The :class:`Row` fields that the file's content, the criteria and the program decide alone (not the path
the file was given by, nor today's date): what the portfolio index may keep per content and criteria."""


def _leading_stored(columns: tuple[str, ...]) -> tuple[str, ...]:
    for n, column in enumerate(columns):
        if not set(CELL_DEPENDS_ON[column]) <= STORED_FIELDS:
            return columns[:n]
    return columns


HEAD_COLUMNS: tuple[str, ...] = _leading_stored(EXPORT_COLUMNS)
"""The first columns, whose texts depend on :data:`STORED_FIELDS` only (with the criteria and language): their
CSV text is kept in the portfolio index per content, criteria and language (``Report.heads``)."""
TAIL_COLUMNS: tuple[str, ...] = EXPORT_COLUMNS[len(HEAD_COLUMNS) :]


R = TypeVar("R")


def _unchanged(text: str) -> str:
    return text


def table_cells(
    rows: Sequence[R], columns: tuple[str, ...], text: Callable[[R, str], str]
) -> Iterator[tuple[str, ...]]:
    """The cells of ``rows`` in ``columns``: ``text(row, column)``, which must depend on the fields the column
    reads alone (:data:`CELL_DEPENDS_ON`).

    Made column by column: each distinct value of what a column depends on is turned into text once, and the
    rows' texts are picked out of that, which for 50,000 rows costs a fraction of making and escaping 750,000
    cells one by one."""
    cells = []
    for column in columns:
        keys = list(map(attrgetter(*CELL_DEPENDS_ON[column]), rows))
        one_row_each = dict(zip(keys, rows, strict=True))  # any row of a key gives its text
        texts = {key: text(row, column) for key, row in one_row_each.items()}
        cells.append(map(texts.__getitem__, keys))
    return zip(*cells, strict=True)


def export_headers(lang: str) -> list[str]:
    """The headers of the exports' table (:data:`EXPORT_COLUMNS`)."""
    return [column_title(c, lang) for c in EXPORT_COLUMNS]


@dataclass
class Report:
    rows: list[Row]
    errors: list[Finding]
    criteria: Criteria
    lang: str = field(default_factory=language)
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    filter: str = ""
    portfolio: Portfolio | None = None
    """The summary; made when first asked for (:attr:`pf`): a CSV or a plain table needs none."""
    heads: dict[str, str] | None = None
    """Content digest → the CSV text of its :data:`HEAD_COLUMNS` under this report's criteria and language
    (from the portfolio index); the CSV takes a row's first cells from here and adds the ones it had to make."""

    @property
    def pf(self) -> Portfolio:
        if self.portfolio is None:
            self.portfolio = build_portfolio(self.rows, self.criteria)
        return self.portfolio

    def table(
        self,
        escape: Callable[[str], str] = _unchanged,
        columns: tuple[str, ...] = EXPORT_COLUMNS,
        rows: list[Row] | None = None,
    ) -> Iterator[tuple[str, ...]]:
        """The cells of every row (or of ``rows``) in ``columns`` (texts of :func:`cell_text`, :func:`table_cells`),
        each passed through ``escape`` (which must depend on the text alone)."""
        criteria, lang = self.criteria, self.lang

        def text(row: Row, column: str) -> str:
            return escape(cell_text(row, column, criteria, lang))

        return table_cells(self.rows if rows is None else rows, columns, text)

    def headers(self) -> list[str]:
        return export_headers(self.lang)

    def class_label(self, class_id: str) -> str:
        return self.criteria.label("classes", class_id, self.lang)

    def factor_label(self, factor: str) -> str:
        return self.criteria.label("risk_factors", factor, self.lang)


# --- spreadsheets ----------------------------------------------------------------------------------

