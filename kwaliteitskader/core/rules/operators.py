"""The comparison operators of the criteria (``op = "ge"`` …), each declared once.

Every part of the engine that needs to know what an operator means reads it here: the evaluator (its
test, its meaning on an incomplete list and on a question that does not apply), the explanations (its
symbol, and what it needs in plain words), the range search (the sample values it tries around a threshold), the criteria checks (which
answer kinds it fits, and how it narrows a number's interval) and the checks' negation.

To add an operator: add one :class:`Operator` to :data:`OPERATORS` and its name to ``Op`` in
``core/model/criteria.py`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import operator as py
from collections.abc import Callable
from typing import Any, NamedTuple

from kwaliteitskader.core.model.values import Tri

Interval = tuple[float, float]


def _keep(_value: float, lo: float, hi: float) -> Interval:
    return lo, hi


class Operator(NamedTuple):
    """What one operator means, in every place the engine uses it."""

    name: str
    symbol: str
    """How explanations write it (``≥``)."""
    test: Callable[[Any, Any], bool]
    """``test(answer, expected)`` on a known answer."""
    negation: str
    """The operator that holds exactly when this one fails (the criteria checks negate with it)."""
    kinds: frozenset[str]
    """The answer kinds it may compare (``FieldKind`` values); a ``count`` compares a number."""
    narrow: Callable[[float, float, float], Interval] = _keep
    """``narrow(value, lo, hi)``: the whole-number interval left of ``lo..hi`` when it holds (criteria checks)."""
    nearby: tuple[int, ...] = ()
    """Offsets from a numeric threshold that the range search tries (numbers and list sizes)."""
    on_incomplete_pass: bool = False
    """On a list that may still grow (an incomplete derived list): a count that holds stays true."""
    on_incomplete_fail: bool = False
    """On a list that may still grow: a count that fails stays false."""
    holds_when_not_applicable: bool = False
    """On a question that does not apply (n.v.t., equal to no answer): whether the comparison holds."""
    takes_list: bool = False
    """Its expected value is a list (``in``, ``not_in``)."""
    need_nl: str = "{value}"
    """What a condition with this operator needs, in plain Dutch (``minstens {value}``): the trace says
    "antwoord: …; nodig: …" rather than a symbol a reader has to decode."""
    need_en: str = "{value}"
    """The same in English (``at least {value}``)."""


_NUMBERS = frozenset({"int", "float"})
_CHOICES = frozenset({"tri", "choice"})
_AROUND = (-1, 0, 1)

OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("eq", "=", py.eq, "ne", _NUMBERS | _CHOICES | {"text"},
             narrow=lambda v, lo, hi: (max(lo, v), min(hi, v)), nearby=_AROUND, on_incomplete_fail=True),
    Operator("ne", "≠", py.ne, "eq", _NUMBERS | _CHOICES | {"text"}, nearby=_AROUND,
             holds_when_not_applicable=True, need_nl="niet {value}", need_en="not {value}"),
    Operator("in", "∈", lambda left, right: left in right, "not_in", _CHOICES, takes_list=True),
    Operator("not_in", "∉", lambda left, right: left not in right, "in", _CHOICES, takes_list=True,
             holds_when_not_applicable=True, need_nl="geen van: {value}", need_en="none of: {value}"),
    Operator("contains", "∋", lambda left, right: right in left, "contains", frozenset({"multi"}),
             need_nl="met {value}", need_en="including {value}"),
    Operator("ge", "≥", py.ge, "lt", _NUMBERS, narrow=lambda v, lo, hi: (max(lo, v), hi), nearby=_AROUND,
             on_incomplete_pass=True, need_nl="minstens {value}", need_en="at least {value}"),
    Operator("gt", ">", py.gt, "le", _NUMBERS, narrow=lambda v, lo, hi: (max(lo, v + 1), hi), nearby=_AROUND,
             on_incomplete_pass=True, need_nl="meer dan {value}", need_en="more than {value}"),
    Operator("le", "≤", py.le, "gt", _NUMBERS, narrow=lambda v, lo, hi: (lo, min(hi, v)), nearby=_AROUND,
             on_incomplete_fail=True, need_nl="hoogstens {value}", need_en="at most {value}"),
    Operator("lt", "<", py.lt, "ge", _NUMBERS, narrow=lambda v, lo, hi: (lo, min(hi, v - 1)), nearby=_AROUND,
             on_incomplete_fail=True, need_nl="minder dan {value}", need_en="less than {value}"),
)}
"""Every operator by name."""

NUMERIC = frozenset(name for name, op in OPERATORS.items() if op.kinds >= _NUMBERS)
"""The operators that compare numbers (and the counts of lists)."""


def symbol(name: str) -> str:
    """The operator as explanations write it (its name when unknown)."""
    found = OPERATORS.get(name)
    return found.symbol if found is not None else name


def need(name: str, value: str, lang: str) -> str:
    """What a condition with operator ``name`` needs, in words (``minstens 1``, ``at least 1``); ``value`` is
    the expected value as a reader sees it (labels, a list joined with "of")."""
    found = OPERATORS.get(name)
    if found is None:
        return f"{name} {value}"
    return (found.need_en if lang == "en" else found.need_nl).format(value=value)


def compare(name: str, left: Any, right: Any) -> bool:
    """``left op right`` on known values, as the engine compares (a yes/no answer read as ``ja``/``nee``)."""
    if isinstance(left, bool) and isinstance(right, str):
        left = "ja" if left else "nee"
    if isinstance(left, Tri):
        left = left.value
    try:
        op = OPERATORS[name]
    except KeyError:
        raise ValueError(name) from None
    return bool(op.test(left, right))
