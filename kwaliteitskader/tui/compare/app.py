"""A small Textual app around :class:`CompareScreen`, started by ``kwaliteitskader compare``.

The main application can push :class:`~.screen.CompareScreen` itself; this app exists so the view
also runs on its own (and in tests with ``App.run_test()``).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from kwaliteitskader.core.findings import FindingsError, exit_code
from kwaliteitskader.core.i18n import set_language, t
from kwaliteitskader.core.io.fastpath import load_criteria_quick
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.loading import default_workers, start_pool
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
        pool: Executor | None = None,
        table_limit: int = TABLE_LIMIT,
        index: str | Path | None = "off",
    ) -> None:
        super().__init__()
        self.compare_screen = CompareScreen(
            paths,
            criteria,
            lang,
            query=query,
            today=today,
            batch_size=batch_size,
            pool=pool,
            table_limit=table_limit,
            index=index,
        )

    def on_mount(self) -> None:
        self.push_screen(self.compare_screen)


def run_compare(
    paths: Sequence[Path | str],
    *,
    criteria_folder: Path | None = None,
    lang: str = "nl",
    query: str = "",
    index: str | Path | None = None,
) -> int:
    """The view as ``kwaliteitskader compare`` opens it; ``index``: ``--index`` (None: the cache folder's)."""
    set_language(lang)
    try:
        criteria = load_criteria_quick(criteria_folder)  # checked in full once, then from the cache
    except FindingsError as exc:
        for finding in exc.findings:
            print(finding.text(), file=sys.stderr)
        return exit_code(exc.findings)
    # the worker processes are forked now, before Textual starts its threads (see core.compare.start_pool)
    pool = start_pool(criteria, default_workers())
    try:
        CompareApp(paths, criteria, lang, query=query, pool=pool, index=index).run()
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    return 0
