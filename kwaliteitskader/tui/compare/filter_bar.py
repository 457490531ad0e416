"""The view's filter bar: the filter field, its clear button, and the line that says what in the filter matches nothing.

A filter key the view does not know (``klase:stoppen``) and a value no assessment can have (``klasse:kansrjk``,
``gemeente:Roterdam``) would silently show "0 van 11": the bar says so, and suggests the near key or value
("Bedoelde u klasse:kansrijk?"), as the command line does for its choices.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.portfolio.table import FILTER_KEYS, parse_filter, unknown_filter_keys


def _norm(value: str) -> str:
    """Values compare as the filter compares them: ``bewezen_effectief`` = ``Bewezen effectief``."""
    return " ".join(value.replace("_", " ").casefold().split())


def value_hints(query: str, known: Mapping[str, Collection[str]], lang: str) -> list[str]:
    """One sentence per ``key:value`` in ``query`` whose value is none of the ``known`` values of that
    filter field (``class_``, ``municipality``, ``domain``, ``risk_factor``), with the nearest known value
    when there is one. Fields without known values are not checked."""
    flt = parse_filter(query)
    hints = []
    for word in query.split():
        key, _, _ = word.partition(":")
        field = FILTER_KEYS.get(key.casefold())
        value = getattr(flt, field) if field else ""
        values = known.get(field or "", ())
        if not value or not values or _norm(value) in {_norm(v) for v in values}:
            continue
        by_norm = {_norm(v): v for v in values}
        close = difflib.get_close_matches(_norm(value), list(by_norm), n=1, cutoff=0.6)
        if close:
            near = by_norm[close[0]]
            suggestion = f'{key}:"{near}"' if " " in near else f"{key}:{near}"
            hints.append(t("compare.filter.unknown_value_near", lang=lang, key=key, value=value, suggestion=suggestion))
        else:
            hints.append(t("compare.filter.unknown_value", lang=lang, key=key, value=value))
    return hints


class FilterBar(Vertical):
    """The filter field (``#filter``), its clear button (``#clear-filter``) and the warning line
    (``#filter-warning``, shown only when there is something to say)."""

    DEFAULT_CSS = """
    FilterBar { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "screen.focus_table", show=False)]
    """Enter applies the filter and leaves the typing in it; the down arrow goes on to the table."""

    def __init__(self, lang: str, query: str = "") -> None:
        super().__init__(id="filter-area")
        self.lang = lang
        self.initial_query = query

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Horizontal(id="filter-bar"):
            yield Label(t("compare.tui.filter", lang=lang), id="filter-label")
            yield Input(value=self.initial_query, placeholder=t("compare.tui.filter_hint", lang=lang), id="filter")
            yield Button(t("compare.tui.clear", lang=lang), id="clear-filter")
        yield Static("", id="filter-warning", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#filter", Input)

    def check(self, query: str, known: Mapping[str, Collection[str]]) -> None:
        """Show what in ``query`` can match nothing: unknown keys (with the valid ones) and unknown values."""
        lines = []
        unknown = unknown_filter_keys(query)
        if unknown:
            lines.append(t("compare.filter.unknown_keys", lang=self.lang, keys=", ".join(unknown),
                           valid=", ".join(FILTER_KEYS)))
        lines += value_hints(query, known, self.lang)
        warning = self.query_one("#filter-warning", Static)
        warning.update(Text("\n".join(lines), "bold red"))
        warning.display = bool(lines)
