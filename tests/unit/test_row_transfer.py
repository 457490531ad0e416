"""Rows cross from the worker processes pickled as their constructor's arguments (``Row.__reduce__``):
every field must arrive, equal and of the same type."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

from kwaliteitskader.core.portfolio.loading import Row


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
