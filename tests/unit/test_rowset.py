"""RowSet (issue 17): filter and sort quickly, and give exactly what filter_rows and sort_rows give."""

from __future__ import annotations

import random

import pytest

from benchmarks.synth import generate
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import rowset as rowset_module
from kwaliteitskader.core.portfolio.loading import Row, load_rows
from kwaliteitskader.core.portfolio.rowset import RowSet
from kwaliteitskader.core.portfolio.table import COLUMNS, Filter, filter_rows, parse_filter, sort_rows
from tests.conftest import SAMPLES, TODAY, repetitions


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory, criteria: Criteria) -> list[Row]:
    folder = tmp_path_factory.mktemp("rowset")
    generate(folder, repetitions(500, 1500), seed=99, criteria=criteria)
    return load_rows([folder, SAMPLES], criteria, today=TODAY).rows


def _queries(rows: list[Row], criteria: Criteria) -> list[str]:
    rng = random.Random(5)  # noqa: S311 - reproducible test data
    row = rows[7]
    fixed = [
        "",
        "klasse:kansrijk",
        "klasse:bewezen_effectief",
        'klasse:"Bewezen effectief"',
        f'gemeente:"{row.municipality.upper()}"',
        "domein:gezin",
        "domein:GEZIN",
        "factor:impulsiviteit",
        "Interventie 00",
        "beoordeling_01",
        "onzin-die-niet-voorkomt",
        'klasse:stoppen gemeente:Utrecht domein:school vrije "tekst',
    ]
    words = [r.municipality for r in rows[:20]] + [r.assessor for r in rows[:20]] + list(criteria.catalogues["classes"])
    factors = list(criteria.catalogues["risk_factors"])
    domains = list(criteria.catalogues["domains"])
    for _ in range(repetitions(20, 60)):
        parts = []
        if rng.random() < 0.5:
            parts.append(f"klasse:{rng.choice(list(criteria.catalogues['classes']))}")
        if rng.random() < 0.3:
            parts.append(f"domein:{rng.choice(domains)}")
        if rng.random() < 0.3:
            parts.append(f"factor:{rng.choice(factors)}")
        if rng.random() < 0.4:
            parts.append(rng.choice(words).split()[0].lower())
        fixed.append(" ".join(parts))
    return fixed


@pytest.mark.repeated
def test_query_equals_filter_then_sort(rows: list[Row], criteria: Criteria) -> None:
    rowset = RowSet(criteria)
    half = len(rows) // 2
    rowset.extend(rows[:half])
    rowset.query(Filter(), "class")  # orders made for fewer rows must not outlive new rows
    rowset.extend(rows[half:])
    assert len(rowset) == len(rows)
    rng = random.Random(11)  # noqa: S311
    for query in _queries(rows, criteria):
        flt = parse_filter(query)
        for column in rng.sample(COLUMNS, 4):
            for descending in (False, True):
                expected = sort_rows(filter_rows(rows, flt), column, descending=descending, criteria=criteria)
                assert rowset.query(flt, column, descending) == expected, (query, column, descending)
    assert any(rowset.query(parse_filter(q), "class") for q in ("klasse:kansrijk", "domein:gezin"))


def test_every_column_in_both_directions(rows: list[Row], criteria: Criteria) -> None:
    rowset = RowSet(criteria)
    rowset.extend(rows)
    for column in COLUMNS:
        for descending in (False, True):
            expected = sort_rows(rows, column, descending=descending, criteria=criteria)
            assert [r.file for r in rowset.query(Filter(), column, descending)] == [r.file for r in expected]


@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 31, 33, 100])
def test_sorted_in_steps_is_sorted(length: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """In pieces of 8 (merged two at a time, an odd piece left over at some levels): the same order as one
    ``sorted()``, equal keys in their original order, in both directions."""
    monkeypatch.setattr(rowset_module, "STEP", 8)
    rng = random.Random(length)  # noqa: S311
    keys = [rng.randrange(5) for _ in range(length)]  # few keys: many ties
    items = list(range(length))
    for descending in (False, True):
        expected = sorted(items, key=keys.__getitem__, reverse=descending)
        assert rowset_module.sorted_in_steps(items, keys.__getitem__, descending) == expected


def test_a_large_order_is_sorted_in_steps(rows: list[Row], criteria: Criteria, monkeypatch: pytest.MonkeyPatch) -> None:
    """More rows than one step: every column's order is still the plain sort's."""
    monkeypatch.setattr(rowset_module, "STEP", 16)
    assert len(rows) > 3 * 16
    test_every_column_in_both_directions(rows, criteria)
