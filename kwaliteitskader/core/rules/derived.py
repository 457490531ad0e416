"""Values derived from several answers (``derived.*`` in the criteria), and what a condition may read.

A derived value is computed from the assessment and the criteria catalogues; when an answer it is built
from is unknown it is an incomplete :class:`Partial` list (or None when nothing is known). ``reads`` names
the answers behind it: the missing answers and "Beantwoord" steps name those, never the derived path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from kwaliteitskader.core.model.values import UNKNOWN as _ONBEKEND
from kwaliteitskader.core.rules.values import Partial

if TYPE_CHECKING:
    import datetime as dt

    from kwaliteitskader.core.model.assessment import Assessment, FieldInfo
    from kwaliteitskader.core.model.criteria_set import Criteria

ASSESSED_ON = "meta.assessed_on"
"""The date a ``years_since`` comparison counts to: the assessment's own date, never today's clock."""


class Derived(NamedTuple):
    catalogue: str
    reads: tuple[str, ...]
    compute: Callable[[Assessment, Criteria, dt.date | None], Partial | None]
    """The value from the assessment, the criteria and the date the evaluation judges on (see
    :func:`_recognition_state`; the other values do not depend on a date)."""
def _dynamic_risk_factors(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
    chosen = a.factors.risk_factors
    if chosen is None:
        return None
    return Partial(tuple(f for f in chosen if getattr(c.item("risk_factors", f), "dynamic", False)), True)


def _domains(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
    """Domains with an active component: from dynamic risk factors, protective factors, ingredients."""
    parts: list[tuple[str, ...] | None] = []
    dynamic = _dynamic_risk_factors(a, c)
    parts.append(None if dynamic is None else tuple(c.item("risk_factors", f).domain for f in dynamic.items))
    protective = a.factors.protective_factors
    parts.append(
        None if protective is None else tuple(c.item("protective_factors", f).domain for f in protective if c.item("protective_factors", f))
    )
    ingredients = a.factors.active_ingredients
    parts.append(
        None
        if ingredients is None
        else tuple(d for f in ingredients if c.item("active_ingredients", f) for d in c.item("active_ingredients", f).domains)
    )
    if all(p is None for p in parts):
        return None
    found = sorted({d for p in parts if p for d in p}, key=list(c.catalogues["domains"]).index)
    return Partial(tuple(found), all(p is not None for p in parts))


def _targeted_local(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
    targeted, local = a.factors.risk_factors, a.problem_analysis.local_risk_factors
    if targeted is None or local is None:
        return None
    return Partial(tuple(f for f in targeted if f in local), True)


def _delivery_domains(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
    """Domains an active ingredient is actually delivered in: as recorded per ingredient
    (``factors.ingredient_domains``), or the ingredient's only possible domain. One ingredient that *can*
    work in three domains does not make an intervention work in three domains."""
    ingredients = a.factors.active_ingredients
    if ingredients is None:
        return None
    recorded = getattr(a.factors, "ingredient_domains", None)
    found: set[str] = set()
    complete = True
    for name in ingredients:
        item = c.item("active_ingredients", name)
        if item is None:
            continue
        if len(item.domains) == 1:
            found.add(item.domains[0])
        elif recorded is None:
            complete = False
        else:
            found.update(d for d in item.domains if f"{name}@{d}" in recorded)
    order = list(c.catalogues["domains"])
    return Partial(tuple(sorted(found, key=lambda d: order.index(d) if d in order else len(order))), complete)


def _targeted_local_protective(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
    strengthened = a.factors.protective_factors
    weak = getattr(a.problem_analysis, "local_protective_factors", None)
    if strengthened is None or weak is None:
        return None
    return Partial(tuple(f for f in strengthened if f in weak), True)


def _ingredients_counting(counting: bool) -> Callable[[Assessment, Criteria, dt.date | None], Partial | None]:
    """The chosen active ingredients whose catalogue entry counts (``counts``, true when not written), or
    those that do not: practice knowledge is recorded and shown, never counted. An id the catalogue does not
    know is in neither list (``validate`` reports it)."""

    def compute(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
        chosen = a.factors.active_ingredients
        if chosen is None:
            return None
        items = ((f, c.item("active_ingredients", f)) for f in chosen)
        return Partial(tuple(f for f, item in items if item is not None and bool(getattr(item, "counts", True)) is counting),
                       True)

    return compute


RECOGNITION_YEARS = 5
"""A recognition by the recognition committee is valid for five years (nji-erkenning)."""


def _recognition_state(a: Assessment, c: Criteria, on: dt.date | None = None) -> Partial | None:
    """The recognition status as it stands on the date judged on: the assessment's own date, else ``on``
    (the date the caller passes for an undated assessment). A recognition older than five years counts as
    expired (``verlopen``), whatever the recorded status says. Without any date, whether a recorded
    recognition has expired is unknown: the same file gives the same verdict on every day."""
    status = getattr(a.evidence, "recognition_status", _ONBEKEND)
    year = getattr(a.evidence, "recognition_year", None)
    on = a.meta.assessed_on or on
    if year is not None and status in ("erkend", _ONBEKEND):
        if on is None:
            return None
        if on.year > year + RECOGNITION_YEARS:
            return Partial(("verlopen",), True)
    if status == _ONBEKEND:
        return None if year is None else Partial(("erkend",), True)
    return Partial((str(status),), True)


DERIVED: dict[str, Derived] = {
    "derived.dynamic_risk_factors": Derived("risk_factors", ("factors.risk_factors",), _dynamic_risk_factors),
    "derived.domains": Derived(
        "domains",
        ("factors.risk_factors", "factors.protective_factors", "factors.active_ingredients"),
        _domains,
    ),
    "derived.targeted_local_risk_factors": Derived(
        "risk_factors", ("factors.risk_factors", "problem_analysis.local_risk_factors"), _targeted_local
    ),
    "derived.delivery_domains": Derived(
        "domains", ("factors.active_ingredients", "factors.ingredient_domains"), _delivery_domains
    ),
    "derived.targeted_local_protective_factors": Derived(
        "protective_factors", ("factors.protective_factors", "problem_analysis.local_protective_factors"),
        _targeted_local_protective,
    ),
    "derived.counted_ingredients": Derived(
        "active_ingredients", ("factors.active_ingredients",), _ingredients_counting(True)
    ),
    "derived.uncounted_ingredients": Derived(
        "active_ingredients", ("factors.active_ingredients",), _ingredients_counting(False)
    ),
    "derived.recognition_state": Derived(
        "recognition_statuses", ("evidence.recognition_status", "evidence.recognition_year"), _recognition_state
    ),
}


def field_info(path: str, criteria: Criteria) -> FieldInfo | None:
    """What kind of value a condition may read at ``path``; None when no such field exists."""
    from kwaliteitskader.core.model.assessment import FieldInfo, FieldKind, answer_fields

    if path in DERIVED:
        return FieldInfo(path=path, kind=FieldKind.MULTI, catalogue=DERIVED[path].catalogue)
    section, _, name = path.partition(".")
    if section == "harm_signals":
        return FieldInfo(path=path, kind=FieldKind.TRI) if criteria.item("harm_signals", name) else None
    if section == "settings":
        if name not in criteria.settings:
            return None
        value = criteria.settings[name]
        return FieldInfo(path=path, kind=FieldKind.TRI if isinstance(value, bool) else FieldKind.INT)
    return answer_fields().get(path)


def fields_read(path: str) -> tuple[str, ...]:
    """The assessment answers behind a path (a derived value reads several)."""
    if path in DERIVED:
        return DERIVED[path].reads
    return () if path.startswith("settings.") else (path,)


def years_since_reads(year_field: str) -> tuple[str, ...]:
    """The answers a ``years_since`` comparison reads: the year field and the assessment's date."""
    return (year_field, ASSESSED_ON)
