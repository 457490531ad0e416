"""The portfolio table: its columns, sorting and filtering (by class, municipality, domain, risk factor, free text)."""


from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.cells import VIEW_COLUMNS
from kwaliteitskader.core.portfolio.row import LeanRow, Row

# --- columns, sorting, filtering --------------------------------------------------------------------

COLUMNS: tuple[str, ...] = VIEW_COLUMNS
"""Column ids of the view and the terminal table, in order (:data:`.cells.TABLE`). Headers are ``t("compare.col.<id>")``."""


def column_title(column: str, lang: str | None = None) -> str:
    return t(f"compare.col.{column}", lang=lang)


def _rank(criteria: Criteria | None, catalogue: str, item_id: str) -> int:
    if criteria is None:
        return 0
    if catalogue == "classes":
        return criteria.class_rank.get(item_id, -1)
    item = criteria.item(catalogue, item_id)
    rank = getattr(item, "rank", None)
    return rank if isinstance(rank, int) else -1


def class_order(row: Row, criteria: Criteria | None) -> tuple[bool, int]:
    """Where a row's class sorts: decided classes by rank (lowest first), then the open verdicts (no class yet),
    among themselves by the best class they can still reach. Descending, the open verdicts come first."""
    if row.decided_class is not None:
        return False, _rank(criteria, "classes", row.decided_class)
    best = row.possible_classes[0] if row.possible_classes else ""
    return True, _rank(criteria, "classes", best)


LEAN_SORT_KEYS: dict[str, Callable[[LeanRow], Any]] = {
    "municipality": lambda r: (r.municipality.casefold(), r.intervention.casefold()),
    "intervention": lambda r: (r.intervention.casefold(), r.municipality.casefold()),
    "file": lambda r: r.file,
}
"""The sort keys that read only a :class:`.row.LeanRow`'s fields (a CSV with kept heads may be sorted by these)."""


def sort_key(column: str, criteria: Criteria | None = None) -> Callable[[Row], Any]:
    """A key for ``column``; classes (open verdicts after the decided ones, :func:`class_order`) and evidence
    levels sort by rank, dates with unknowns first, an open advice after the decided ones."""
    keys: dict[str, Callable[[Row], Any]] = {
        **LEAN_SORT_KEYS,
        "class": lambda r: (*class_order(r, criteria), r.municipality.casefold()),
        "advice": lambda r: (r.advice is None, r.advice or "", r.possible_advice, r.municipality.casefold()),
        "provisional": lambda r: (r.provisional, r.municipality.casefold()),
        "evidence": lambda r: (_rank(criteria, "recognition_levels", r.evidence), r.evidence),
        "domains": lambda r: (r.domain_count, r.municipality.casefold()),
        "criteria": lambda r: (r.criteria_version, r.criteria_status),
        "date": lambda r: (r.assessed_on or dt.date.min, r.file),
        "assessor": lambda r: (r.assessor.casefold(), r.file),
        "out_of_date": lambda r: (r.out_of_date, r.valid_until or dt.date.max),
    }
    if column not in keys:
        raise ValueError(f"unknown column {column!r}; choose one of {', '.join(COLUMNS)}")
    return keys[column]


def sort_rows(
    rows: Iterable[Row], column: str, *, descending: bool = False, criteria: Criteria | None = None
) -> list[Row]:
    return sorted(rows, key=sort_key(column, criteria), reverse=descending)


def sort_lean_rows(rows: Iterable[LeanRow], column: str, *, descending: bool = False) -> list[LeanRow]:
    """:func:`sort_rows` by a column of :data:`LEAN_SORT_KEYS`, for rows that may be lean (the same order)."""
    return sorted(rows, key=LEAN_SORT_KEYS[column], reverse=descending)


FILTER_KEYS: dict[str, str] = {
    "klasse": "class_",
    "class": "class_",
    "gemeente": "municipality",
    "municipality": "municipality",
    "domein": "domain",
    "domain": "domain",
    "factor": "risk_factor",
    "risicofactor": "risk_factor",
    "risk": "risk_factor",
}


def _norm(value: str) -> str:
    """Ids and typed words compare alike: ``bewezen_effectief`` = ``Bewezen effectief``."""
    return " ".join(value.replace("_", " ").casefold().split())


OPEN_CLASS = "open"
"""What ``klasse:open`` matches: the verdicts without a class yet (``klasse:onbepaald`` and
``klasse:"nog geen oordeel"`` mean the same)."""
_OPEN_WORDS = frozenset({OPEN_CLASS, "onbepaald", "nog geen oordeel", "undecided", "no verdict yet"})


def class_filter_value(row: Row) -> str:
    """What a ``klasse:`` filter compares with a row: its class id (normalised), or :data:`OPEN_CLASS`."""
    return _norm(row.decided_class) if row.decided_class is not None else OPEN_CLASS


def text_haystack(row: Row) -> str:
    """What free text searches in a row: file, names, assessor, the class or the classes still possible,
    the advice or the advice still possible, and the rule (lower case)."""
    verdict = (row.decided_class or " ".join(row.possible_classes), row.advice or " ".join(row.possible_advice))
    return " ".join((row.file, row.municipality, row.intervention, row.assessor, *verdict, row.rule)).casefold()


@dataclass(frozen=True)
class Filter:
    """What the table shows. Empty fields match everything; all given fields must match."""

    class_: str = ""
    municipality: str = ""
    domain: str = ""
    risk_factor: str = ""
    text: str = ""

    @property
    def empty(self) -> bool:
        return not (self.class_ or self.municipality or self.domain or self.risk_factor or self.text)

    def matches(self, row: Row) -> bool:
        if self.class_ and class_filter_value(row) != _norm(self.class_):
            return False
        if self.municipality and row.municipality.casefold() != self.municipality.casefold():
            return False
        if self.domain and _norm(self.domain) not in {_norm(d) for d in row.domains}:
            return False
        if self.risk_factor and _norm(self.risk_factor) not in {_norm(f) for f in row.risk_factors}:
            return False
        if self.text:
            haystack = text_haystack(row)
            return all(word in haystack for word in self.text.casefold().split())
        return True

    def query(self) -> str:
        """The filter as the text a user would type (inverse of :func:`parse_filter`)."""
        parts = []
        for key, value in (
            ("klasse", self.class_),
            ("gemeente", self.municipality),
            ("domein", self.domain),
            ("factor", self.risk_factor),
        ):
            if value:
                parts.append(f'{key}:"{value}"' if " " in value else f"{key}:{value}")
        if self.text:
            parts.append(self.text)
        return " ".join(parts)


def parse_filter(query: str) -> Filter:
    """``klasse:kansrijk gemeente:"Den Haag" domein:gezin factor:impulsiviteit vrije tekst``.

    Keys may also be given in English (class, municipality, domain, risk). Other words are free text.
    """
    import shlex

    try:
        words = shlex.split(query)
    except ValueError:  # an unclosed quote while the user is still typing: close it
        try:
            words = shlex.split(query + '"')
        except ValueError:
            words = query.split()
    values: dict[str, str] = {}
    free: list[str] = []
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key.casefold() in FILTER_KEYS and value:
            values[FILTER_KEYS[key.casefold()]] = value
        else:
            free.append(word)
    if _norm(values.get("class_", "")) in _OPEN_WORDS:
        values["class_"] = OPEN_CLASS
    return Filter(text=" ".join(free), **values)


def unknown_filter_keys(query: str) -> list[str]:
    """Words that look like ``key:value`` with a key the filter does not know (``klase:stoppen``): they
    would silently become free text that matches nothing, so the view and the CLI report them."""
    import re

    return [word.partition(":")[0] for word in query.split()
            if re.fullmatch(r"[^\W\d]\w*:\S+", word) and word.partition(":")[0].casefold() not in FILTER_KEYS]


def filter_rows(rows: Iterable[Row], flt: Filter) -> list[Row]:
    return [r for r in rows if flt.matches(r)]


# --- side by side ----------------------------------------------------------------------------------

