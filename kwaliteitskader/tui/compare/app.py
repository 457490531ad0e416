"""A small Textual app around :class:`CompareScreen`, started by ``kwaliteitskader compare``.

The main application can push :class:`~.screen.CompareScreen` itself; this app exists so the view
also runs on its own (and in tests with ``App.run_test()``).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Unpack

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kwaliteitskader.core.findings import FindingsError, exit_code, print_findings
from kwaliteitskader.core.i18n import set_language, t
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.loading import ComparePool, default_workers, start_pool
from kwaliteitskader.core.safetext import terminal_safe
from kwaliteitskader.tui.compare.screen import BETWEEN_TURNS, CompareScreen, ViewOptions
from kwaliteitskader.tui.palette import PaletteMixin, translated_builtins

# the view's own actions in the palette: (message key of the title, key shown, action on the screen)
PALETTE: tuple[tuple[str, str, str], ...] = (
    ("compare.tui.cmd_filter", "/", "focus_filter"),
    ("compare.tui.key_clear", "esc", "clear_filter"),
    ("compare.tui.key_sort", "s", "next_sort"),
    ("compare.tui.key_reverse", "d", "reverse_sort"),
    ("compare.tui.key_mark", "m", "mark"),
    ("compare.tui.key_side", "v", "side_by_side"),
    ("compare.tui.key_portfolio", "p", "show_tab('tab-portfolio')"),
    ("compare.tui.key_reclassify", "r", "reclassify"),
    ("compare.tui.key_export", "e", "export"),
)


class CompareApp(PaletteMixin, App[None]):
    TITLE = "kwaliteitskader"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", t("compare.tui.key_quit")),
                                             *PaletteMixin.PALETTE_BINDINGS]

    def __init__(self, paths: Sequence[Path | str], criteria: Criteria, lang: str, **options: Unpack[ViewOptions]) -> None:
        super().__init__()
        from kwaliteitskader.tui.safety import install

        install(self)  # no control character from a file reaches the terminal (tui/safety.py)
        self.lang = lang
        self.compare_screen = CompareScreen(paths, criteria, lang, **options)

    def on_load(self) -> None:
        self.compare_screen.start_loading()  # while Textual starts up (see CompareScreen.start_loading)

    async def on_mount(self) -> None:
        # starting the app and composing and styling the view are long turns of the event loop: this pause
        # between them lets the timers that ran out meanwhile go first (as CompareScreen._laid_out does)
        await asyncio.sleep(BETWEEN_TURNS)
        self.push_screen(self.compare_screen)

    def on_unmount(self) -> None:
        self.compare_screen.stop_waiting()  # also when the app ends before the view was shown

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        """The view's own commands in Dutch (or English), then Textual's, translated."""
        lang = self.lang
        if screen is self.compare_screen:
            for title, key, action in PALETTE:
                help_text = t("compare.tui.cmd_help", lang=lang, key=key)
                yield SystemCommand(t(title, lang=lang), help_text, partial(screen.run_action, action))
        yield from translated_builtins(self, screen, lang)

    async def action_quit(self) -> None:
        # the same exit code as ``validate`` and ``compare --format``: 2 when a file could not be used
        self.exit(return_code=exit_code(self.compare_screen.errors))


WORKER_NICENESS = 10
"""How much lower the priority of the view's worker processes is: on a busy machine the view's own process
(keys, drawing) gets the processor first, and the loading takes what is left."""


def start_view_pool(criteria: Criteria) -> ComparePool | None:
    """The view's worker processes. Forked now, before Textual starts its threads (see
    :func:`~kwaliteitskader.core.portfolio.loading.start_pool`), at a lower priority than the view."""
    return start_pool(criteria, default_workers(), nice=WORKER_NICENESS)


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
        criteria = load_criteria(criteria_folder, light=True)  # checked in full once, then from the cache
    except FindingsError as exc:
        return print_findings(exc.findings)
    pool = start_view_pool(criteria)
    app = CompareApp(paths, criteria, lang, query=query, pool=pool, index=index)
    try:
        app.run()
    finally:
        if pool is not None:
            pool.close()
    for error in app.compare_screen.errors:  # also listed in the view's Errors tab
        print(terminal_safe(error.text(), one_line=True), file=sys.stderr)
    return app.return_code or 0
