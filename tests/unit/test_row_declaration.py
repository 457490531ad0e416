"""The portfolio row is declared once (``core/portfolio/row.py``): the index's SQL columns, its row maker and the
table's column lists follow from that declaration."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from kwaliteitskader.core.portfolio import cells, index
from kwaliteitskader.core.portfolio.row import MADE_FIELDS, Row, stored_fields
from kwaliteitskader.core.portfolio.table import COLUMNS


def test_the_stored_fields_follow_file_and_the_made_fields_come_last() -> None:
    names = [f.name for f in dataclasses.fields(Row)]
    stored = [name for name, _kind in stored_fields()]
    assert names == ["file", *stored, *MADE_FIELDS]  # what the index's row maker relies on


def test_the_index_table_has_a_column_per_stored_field(tmp_path: Path) -> None:
    made = index.PortfolioIndex(tmp_path / "index.sqlite")
    made.close()
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        columns = [(name, kind, bool(notnull)) for _n, name, kind, notnull, *_ in db.execute("PRAGMA table_info(rows)")]
    nullable = {"decided_class", "advice", "assessed_on", "valid_until"}
    assert columns == [
        ("sha", "TEXT", True),
        ("criteria", "TEXT", True),
        *[(name, "INTEGER" if kind == "flag" else "TEXT", name not in nullable) for name, kind in stored_fields()],
        ("seal", "BLOB", True),  # the record's seal (index_trust)
    ]


def test_the_view_shows_the_table_columns_marked_for_it_in_the_same_order() -> None:
    assert tuple(c.id for c in cells.TABLE if c.view) == COLUMNS
    assert set(cells.CELL_DEPENDS_ON) == {c.id for c in cells.TABLE}
    every_field = {f.name for f in dataclasses.fields(Row)}
    assert all(set(c.reads) <= every_field for c in cells.TABLE)
