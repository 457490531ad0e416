"""Rows cross from the worker processes pickled as their constructor's arguments (``Row.__reduce__``):
every field must arrive, equal and of the same type; a batch's rows share their equal values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.portfolio.loading import Row, _evaluate_batch
from kwaliteitskader.core.portfolio.row import share_values
from tests.conftest import SAMPLES


def test_a_row_with_every_field_set_survives_pickling() -> None:
    values = {}
    for number, field in enumerate(dataclasses.fields(Row)):
        if field.name in ("assessed_on", "valid_until"):
            values[field.name] = dt.date(2024, 1 + number % 12, 1)
        elif field.name in ("provisional", "out_of_date"):
            values[field.name] = True
        elif str(field.type).startswith("tuple"):
            values[field.name] = (f"{field.name}-a", f"{field.name}-b")
        else:
            values[field.name] = f"{field.name}-{number}"
    row = Row(**values)  # type: ignore[arg-type]
    back = pickle.loads(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301 - our own bytes
    assert back == row
    assert {f.name: getattr(back, f.name) for f in dataclasses.fields(Row)} == values
    assert [type(getattr(back, f.name)) for f in dataclasses.fields(Row)] == [type(v) for v in values.values()]


def test_the_rows_of_a_batch_share_equal_values_and_stay_the_same_rows() -> None:
    """Rows made from separate files hold equal names, ids and dates as separate objects; a batch shares them
    (and sends each once), without changing a single value or its type."""
    def copy(value: object) -> object:  # an equal value that is another object, as separate files give
        if isinstance(value, str):
            return "".join(list(value))
        if isinstance(value, tuple):
            return tuple(copy(v) for v in value)
        if isinstance(value, dt.date):
            return dt.date(value.year, value.month, value.day)
        return value

    files = sorted(str(p) for p in SAMPLES.glob("*.toml"))[:1]
    (first, *_), _errors, _ns = _evaluate_batch(load_criteria(), (files, dt.date(2025, 1, 1)))
    twin = Row(**{f.name: copy(getattr(first, f.name)) for f in dataclasses.fields(Row)})  # type: ignore[arg-type]
    assert twin.municipality is not first.municipality or not first.municipality

    shared = share_values([first, twin, dataclasses.replace(twin, provisional=not twin.provisional)])
    assert shared[:2] == [first, twin]
    assert shared[2].provisional is (not twin.provisional)
    for f in dataclasses.fields(Row):
        a, b = getattr(shared[0], f.name), getattr(shared[1], f.name)
        assert type(a) is type(getattr(first, f.name))
        if isinstance(a, (str, tuple, dt.date)):
            assert a is b, f.name  # held once
    batch = pickle.dumps(shared[:2], protocol=pickle.HIGHEST_PROTOCOL)
    assert len(batch) < len(pickle.dumps([first, twin], protocol=pickle.HIGHEST_PROTOCOL))
