"""The portfolio row: one assessment in the table, declared once.

:class:`Row` is the single declaration of what a portfolio row holds. Each field that the file's content,
the criteria and the program decide alone carries, in its dataclass metadata, how the portfolio index
stores it (:data:`TEXT`, :data:`OPTIONAL_TEXT`, :data:`FLAG`, :data:`IDS`, :data:`DATE`); the other fields
(the path the file was given by, the criteria loaded now, today's *out of date*, the content digest that
keys the index) are filled in when a row is made. The index's SQL columns, its row maker and what it
stores are derived from these declarations (:func:`stored_fields`), so a new field is added in one place.

The verdict fields are the ones ``classify --json`` reports: the class when decided (None while open),
the classes still possible, the advice when decided (None while open), the advice still possible and both
provisional flags. :func:`verdict_fields` is the one place that reads a :class:`Verdict` (or the
:class:`Decision` a portfolio computes instead, its fields of the same names) for a row.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:  # read by their fields only: a row read from the index needs no engine
    from kwaliteitskader.core.rules.engine import Decision, Verdict

TEXT = "text"
"""Stored as SQL ``TEXT NOT NULL``."""
OPTIONAL_TEXT = "optional text"
"""Stored as SQL ``TEXT`` (NULL for None)."""
FLAG = "flag"
"""A bool, stored as ``INTEGER NOT NULL`` 0 or 1."""
IDS = "ids"
"""A tuple of ids, stored as ``TEXT NOT NULL``, joined by a newline (ids never hold one; '' is empty)."""
DATE = "date"
"""A date or None, stored as ISO ``TEXT`` or NULL."""

SQL_TYPES = {TEXT: "TEXT NOT NULL", OPTIONAL_TEXT: "TEXT", FLAG: "INTEGER NOT NULL", IDS: "TEXT NOT NULL", DATE: "TEXT"}


# the metadata of a Row field that the portfolio index keeps, and as what
_AS_TEXT = {"stored": TEXT}
_AS_OPTIONAL_TEXT = {"stored": OPTIONAL_TEXT}
_AS_FLAG = {"stored": FLAG}
_AS_IDS = {"stored": IDS}
_AS_DATE = {"stored": DATE}


@dataclass(frozen=True, slots=True)
class Row:
    """One assessment in the table: what it is, its verdict, and what the filters need."""

    file: str
    """The path the file was given by (not stored: the same content may live under several paths)."""
    municipality: str = field(metadata=_AS_TEXT)
    intervention: str = field(metadata=_AS_TEXT)
    decided_class: str | None = field(metadata=_AS_OPTIONAL_TEXT)
    """The class when it is decided; None while the verdict is open (see ``possible_classes``)."""
    possible_classes: tuple[str, ...] = field(metadata=_AS_IDS)
    """The classes the verdict can still reach, best first (one class when decided)."""
    provisional: bool = field(metadata=_AS_FLAG)
    """The class is still open."""
    advice: str | None = field(metadata=_AS_OPTIONAL_TEXT)
    """The advice when it is decided; None while a missing answer can still change it."""
    advice_provisional: bool = field(metadata=_AS_FLAG)
    possible_advice: tuple[str, ...] = field(metadata=_AS_IDS)
    rule: str = field(metadata=_AS_TEXT)
    """The deciding rule, or while that is open the first rule that can decide."""
    evidence: str = field(metadata=_AS_TEXT)
    """Recognition level id (catalogue ``recognition_levels``)."""
    domains: tuple[str, ...] = field(metadata=_AS_IDS)
    """Derived life domains with an active component (``derived.domains``)."""
    risk_factors: tuple[str, ...] = field(metadata=_AS_IDS)
    local_risk_factors: tuple[str, ...] = field(metadata=_AS_IDS)
    protective_factors: tuple[str, ...] = field(metadata=_AS_IDS)
    active_ingredients: tuple[str, ...] = field(metadata=_AS_IDS)
    criteria_version: str = field(metadata=_AS_TEXT)
    """The criteria version recorded in the file."""
    criteria_digest: str = field(metadata=_AS_TEXT)
    assessed_on: dt.date | None = field(metadata=_AS_DATE)
    valid_until: dt.date | None = field(metadata=_AS_DATE)
    assessor: str = field(metadata=_AS_TEXT)
    # made when the row is made, never stored (these come last: the index passes them after the stored ones)
    loaded_version: str
    """The version of the criteria judged against now."""
    loaded_digest: str
    out_of_date: bool
    """``valid_until`` lies before today."""
    digest: str = ""
    """SHA-256 of the file's content as it was read (the key of the portfolio index)."""

    def __reduce__(self) -> tuple[type[Row], tuple[object, ...]]:
        # rows cross from the worker processes by the tens of thousands: pickled as the constructor's arguments,
        # they load several times faster than through the dataclass's __setstate__
        return Row, _row_values(self)

    @property
    def is_open(self) -> bool:
        """No class yet: the verdict is shown as the classes it can still reach, never as one of them."""
        return self.decided_class is None

    @property
    def domain_count(self) -> int:
        return len(self.domains)

    @property
    def criteria_status(self) -> str:
        """``same`` (recorded digest equals the loaded one), ``other``, or ``unrecorded``."""
        if not self.criteria_digest:
            return "unrecorded"
        return "same" if self.criteria_digest == self.loaded_digest else "other"

    @property
    def criteria_mismatch(self) -> bool:
        return self.criteria_status != "same"


_row_values = operator.attrgetter(*(f.name for f in fields(Row)))
"""Every field of a :class:`Row`, in the constructor's order."""


def share_values(rows: list[Row]) -> list[Row]:
    """The same rows, with equal field values held once: rows made from separate files repeat the same
    municipalities, ids, lists of ids, dates and versions as separate objects. Sharing them keeps tens of
    thousands of rows several times smaller in memory, and a batch sent between processes smaller (a pickle
    sends an object it holds twice only once)."""
    seen: dict[tuple[type, Any], Any] = {}  # by type too: True and 1 are equal, and must stay apart

    def once(value: Any) -> Any:
        return seen.setdefault((type(value), value), value)

    return [Row(*map(once, _row_values(row))) for row in rows]


def stored_fields() -> tuple[tuple[str, str], ...]:
    """``(field name, storage kind)`` of every :class:`Row` field the portfolio index keeps, in field order:
    they follow ``file`` and precede :data:`MADE_FIELDS`."""
    return tuple((f.name, f.metadata["stored"]) for f in fields(Row) if "stored" in f.metadata)


MADE_FIELDS = ("loaded_version", "loaded_digest", "out_of_date", "digest")
"""The last fields of a :class:`Row`, in order: made when a row is made (the criteria now, today), never stored."""


class LeanRow(Protocol):
    """What a CSV whose first cells the portfolio index keeps reads of a row besides them (out of date, rule,
    file; the kept head by digest) and what the sorts of :data:`.table.LEAN_SORT_KEYS` read. A :class:`Row`
    has these fields, and so has the index's :class:`.index_rows.CsvRow`, made from only the columns they need."""

    @property
    def file(self) -> str: ...
    @property
    def municipality(self) -> str: ...
    @property
    def intervention(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def out_of_date(self) -> bool: ...
    @property
    def digest(self) -> str: ...


class VerdictFields(NamedTuple):
    """The verdict as a row carries it (the same values ``classify --json`` reports)."""

    decided_class: str | None
    possible_classes: tuple[str, ...]
    provisional: bool
    advice: str | None
    advice_provisional: bool
    possible_advice: tuple[str, ...]
    rule: str


def verdict_fields(verdict: Verdict | Decision) -> VerdictFields:
    """The one place a portfolio row reads a :class:`Verdict` (only its plain-data fields): an open class or
    advice stays open (None, with what is still possible), exactly as ``classify --json`` says it."""
    decided = verdict.class_
    advice_open = verdict.advice_provisional
    possible = tuple(verdict.possible_classes)
    possible_advice = tuple(verdict.possible_advice) or (() if advice_open else (verdict.advice,))
    return VerdictFields(
        decided_class=decided,
        possible_classes=possible,
        provisional=verdict.provisional,
        advice=None if advice_open else verdict.advice,
        advice_provisional=advice_open,
        possible_advice=possible_advice,
        rule=verdict.rule,
    )


def row_verdict(row: Row) -> VerdictFields:
    """A row's verdict fields (to compare two rows' verdicts)."""
    return VerdictFields(*(getattr(row, name) for name in VerdictFields._fields))
