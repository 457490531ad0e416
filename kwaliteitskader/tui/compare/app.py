"""A small Textual app around :class:`CompareScreen`, started by ``kwaliteitskader compare``.

The main application can push :class:`~.screen.CompareScreen` itself; this app exists so the view
also runs on its own (and in tests with ``App.run_test()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from kwaliteitskader.core.findings import FindingsError, print_findings
from kwaliteitskader.core.i18n import set_language, t
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.loading import ComparePool, default_workers, start_pool
from kwaliteitskader.tui.compare.screen import TABLE_LIMIT, CompareScreen


class CompareApp(App[None]):
    TITLE = "kwaliteitskader"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", t("compare.tui.key_quit"))]

    def __init__(
        self,
        paths: Sequence[Path | str],
        criteria: Criteria,
        lang: str,
        *,
        query: str = "",
        today: dt.date | None = None,
        batch_size: int = 250,
        pool: ComparePool | None = None,
        table_limit: int = TABLE_LIMIT,
    ) -> None:
        super().__init__()
        from kwaliteitskader.tui.safety import install

        install(self)  # no control character from a file reaches the terminal (tui/safety.py)
        self.compare_screen = CompareScreen(
            paths, criteria, lang, query=query, today=today, batch_size=batch_size, pool=pool, table_limit=table_limit
        )

    def on_mount(self) -> None:
        self.push_screen(self.compare_screen)


def run_compare(
    paths: Sequence[Path | str], *, criteria_folder: Path | None = None, lang: str = "nl", query: str = ""
) -> int:
    set_language(lang)
    try:
        criteria = load_criteria(criteria_folder, light=True)  # checked in full once, then from the cache
    except FindingsError as exc:
        return print_findings(exc.findings)
    # the worker processes are forked now, before Textual starts its threads (see core.portfolio.loading.start_pool)
    pool = start_pool(criteria, default_workers())
    try:
        CompareApp(paths, criteria, lang, query=query, pool=pool).run()
    finally:
        if pool is not None:
            pool.close()
    return 0
