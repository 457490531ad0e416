"""The comparison view: many assessments in one table, with detail, side by side, portfolio, errors,
re-classification and export.

The screen holds the view's state (the rows, the filter, the order, the marks) and its keys; each tab is a
widget of its own module (:mod:`.rows_pane`, :mod:`.side_pane`, :mod:`.portfolio_pane`, :mod:`.errors_pane`,
:mod:`.reclassify_pane`), and the rows come from a thread worker (:mod:`.loader`) as messages. All domain
work is in :mod:`kwaliteitskader.core.portfolio`; this package only presents it.

The first rows come without pydantic: the criteria from the checked cache, the rows through the core's
fast path; the models and storage are imported when a file is opened side by side, a criteria folder is
chosen to re-classify against, or an export is written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import ClassVar, TypedDict, TypeVar, Unpack

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Resize
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, DataTable, Header, Input, ProgressBar, Static, TabbedContent, TabPane
from textual.worker import Worker

from kwaliteitskader import gc_policy
from kwaliteitskader.core.findings import Finding, FindingsError
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import Report, render
from kwaliteitskader.core.portfolio.index import open_index
from kwaliteitskader.core.portfolio.loading import Batch, ComparePool, Row
from kwaliteitskader.core.portfolio.reclassify import ReclassifyResult, reclassify
from kwaliteitskader.core.portfolio.rowset import RowSet
from kwaliteitskader.core.portfolio.side_by_side import diff_assessments
from kwaliteitskader.core.portfolio.summary import build_portfolio
from kwaliteitskader.core.portfolio.table import COLUMNS, Filter, parse_filter
from kwaliteitskader.tui.compare import loader
from kwaliteitskader.tui.compare.errors_pane import ErrorsPane
from kwaliteitskader.tui.compare.filter_bar import FilterBar
from kwaliteitskader.tui.compare.portfolio_pane import PortfolioPane
from kwaliteitskader.tui.compare.reclassify_pane import ReclassifyPane
from kwaliteitskader.tui.compare.rows_pane import TABLE_LIMIT, RowsPane
from kwaliteitskader.tui.compare.rows_table import AFTER_DRAWN
from kwaliteitskader.tui.compare.side_pane import SideBySidePane
from kwaliteitskader.tui.compare.widgets import ExportDialog, FolderDialog
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.widgets.footer import KeyFooter

NARROW = 140
"""Below this width the detail pane goes under the table, so class and advice stay in view."""
BETWEEN_TURNS = 0.001
"""Seconds of a pause between two long turns of the event loop at the view's start, so that the timers that ran
out meanwhile go first: between the app's start and pushing the view (``CompareApp.on_mount``), and between
the screen's layout and its first drawing (:meth:`CompareScreen._laid_out`)."""


class ViewOptions(TypedDict, total=False):
    """How the view is set up, besides its paths, criteria and language (the app passes them on as they are)."""

    query: str
    """The filter to start with."""
    today: dt.date | None
    batch_size: int
    pool: ComparePool | None
    table_limit: int
    index: str | Path | None


_Pane = TypeVar("_Pane", bound=Widget)
TAB_PANES: dict[str, Callable[[Criteria, str], Widget]] = {
    "tab-side": SideBySidePane, "tab-portfolio": PortfolioPane, "tab-errors": ErrorsPane,
    "tab-reclassify": ReclassifyPane,
}
"""The tabs other than the first, and what makes their content."""


class _LaidOut(Message):
    """The screen's first frame is styled and laid out; drawing it comes next (see :meth:`CompareScreen.on_screen_resume`)."""


class ReclassifyDone(Message):
    """The re-classification against ``new`` is done (posted by its thread worker)."""

    def __init__(self, result: ReclassifyResult, new: Criteria) -> None:
        super().__init__()
        self.result = result
        self.new = new


class CompareScreen(Screen[None]):
    """Filter bar, status line and tabs for one set of paths under one criteria set."""

    CSS_PATH = "compare.tcss"
    AUTO_FOCUS = "#rows"
    """The table has the focus from the first time it is drawn (a focus that moves to it later draws it again)."""

    FOOTER_OPTIONAL = ("reverse_sort", "clear_filter", "mark", "reclassify", "show_tab('tab-portfolio')")
    """Left out of the footer, first to last, when the screen is too narrow for every key (still bound, and
    listed in the keys panel and the command palette)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("escape", "clear_filter", t("compare.tui.key_clear")),
        Binding("s", "next_sort", t("compare.tui.key_sort")),
        Binding("d", "reverse_sort", t("compare.tui.key_reverse")),
        Binding("m", "mark", t("compare.tui.key_mark")),
        Binding("v", "side_by_side", t("compare.tui.key_side")),
        Binding("p", "show_tab('tab-portfolio')", t("compare.tui.key_portfolio")),
        Binding("r", "reclassify", t("compare.tui.key_reclassify")),
        Binding("e", "export", t("compare.tui.key_export")),
        Binding("f1", "toggle_keys", t("compare.tui.key_keys")),
    ]
    TAB_FOCUS: ClassVar[dict[str, str]] = {
        "tab-rows": "#rows", "tab-side": "#side-answers", "tab-portfolio": "#coverage", "tab-errors": "#errors",
        "tab-reclassify": "#re-changes",
    }

    def __init__(self, paths: Sequence[Path | str], criteria: Criteria, lang: str, **options: Unpack[ViewOptions]) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.criteria = criteria
        self.lang = lang
        self.source = loader.Source(self.paths, criteria, options.get("today"), options.get("batch_size", 250),
                                    options.get("pool"), options.get("index", "off"))
        self.table_limit = options.get("table_limit", TABLE_LIMIT)
        self.initial_query = options.get("query", "")
        self.flt: Filter = parse_filter(self.initial_query)
        self.rows: list[Row] = []
        self.errors: list[Finding] = []
        self.shown: list[Row] = []
        self.by_file: dict[str, Row] = {}
        self.municipalities: set[str] = set()
        """The municipalities of the rows loaded so far (what ``gemeente:`` can match), kept up to date per batch."""
        self.rowset = RowSet(criteria)
        """The loaded rows as filter and sort read them; replaced by the loader's prepared set at the end."""
        self.sort_column = "municipality"
        self.descending = False
        self.loading_rows = True  # not ``loading``: that is Textual's own (it would cover the screen)
        self.prepared = False
        """True once every column's order and the text filter's haystacks are ready (when loading ends)."""
        self.total = 0
        self.reclassified: ReclassifyResult | None = None
        self._portfolio_stale = True
        self._loading: Worker[None] | None = None
        self._handshake = loader.Handshake()
        """The loading worker waits on it after each batch (see :class:`loader.Handshake`)."""
        self._painted = False
        """The screen's first frame is being drawn (:meth:`render_lines`)."""
        self._drawn = False
        """The screen's first frame is drawn: rows that come before it wait for it (see :meth:`_rows_arrived`)."""
        self._held: list[loader.RowsArrived] = []
        self._panes: dict[str, tuple[Widget, AwaitMount]] = {}
        """The tabs whose content is there, made when first needed (see :meth:`pane`)."""

    # --- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Header()
        yield FilterBar(lang, self.initial_query)
        with Horizontal(id="status-bar"):
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="status", markup=False)
        with TabbedContent(id="tabs", initial="tab-rows"):
            with TabPane(t("compare.tui.tab_rows", lang=lang), id="tab-rows"):
                yield RowsPane(self.criteria, lang, self.by_file.get, table_limit=self.table_limit)
            # the other tabs get their content when first needed (``pane``): nobody sees it before
            yield TabPane(t("compare.tui.tab_side", lang=lang), id="tab-side")
            yield TabPane(t("compare.tui.tab_portfolio", lang=lang), id="tab-portfolio")
            yield TabPane(t("compare.tui.tab_errors", lang=lang, count=0), id="tab-errors")
            yield TabPane(t("compare.tui.tab_reclassify", lang=lang), id="tab-reclassify")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = t("compare.tui.title", lang=self.lang)
        self.sub_title = t("compare.tui.subtitle", lang=self.lang, version=self.criteria.version)
        self.query_one(FilterBar).check(self.initial_query, self._known_values())
        self._update_status()
        self.rows_pane.table.focus()
        self.start_loading()
        self._handshake.mounted()

    def on_screen_resume(self) -> None:
        if not self._painted:  # the first frame: posted before Textual styles and lays out the screen
            self.post_message(_LaidOut())

    @on(_LaidOut)
    async def _laid_out(self) -> None:
        """Styling and laying out the screen and drawing it for the first time are two long turns of the event
        loop on the UI thread; this pause between them lets the timers that ran out meanwhile, and the tasks
        they wake, go first. A pause of :data:`BETWEEN_TURNS`, not ``sleep(0)``: a task resumed from
        ``sleep(0)`` runs before them (asyncio adds the timers that ran out to a turn after the tasks already
        waiting), so they waited for the drawing too."""
        await asyncio.sleep(BETWEEN_TURNS)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if not self._painted:  # the screen's first frame: the rows that came meanwhile go in a frame later
            self._painted = True
            self.set_timer(AFTER_DRAWN, self._first_frame_drawn)
        return lines

    def _first_frame_drawn(self) -> None:
        self._drawn = True
        held, self._held = self._held, []
        for message in held:
            self._take_in(message.batch)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.query_one(KeyFooter).fit(event.size.width, self.FOOTER_OPTIONAL)
        if event.size == self.region.size:
            # Already laid out for this size (Textual hands the terminal's size on to the screen again after
            # it is shown): the screen's own handling, a full layout and drawing, would change nothing.
            event.prevent_default()

    @property
    def rows_pane(self) -> RowsPane:
        return self.query_one(RowsPane)

    @property
    def marked(self) -> list[str]:
        """The marked files (at most two), first marked first."""
        return self.rows_pane.marked

    @property
    def selected(self) -> str | None:
        """The file whose verdict the detail pane shows."""
        return self.rows_pane.selected

    def pane(self, kind: Callable[[Criteria, str], _Pane]) -> _Pane:
        """The content of a tab other than the first, mounted the first time it is needed (shown, or filled
        while hidden). It can be given what to show at once; it shows it once mounted."""
        tab = next(tab for tab, made_by in TAB_PANES.items() if made_by is kind)
        if tab not in self._panes:
            made = kind(self.criteria, self.lang)
            self._panes[tab] = (made, self.query_one(f"#{tab}", TabPane).mount(made))
        found = self._panes[tab][0]
        if not isinstance(found, Widget) or type(found) is not kind:
            raise TypeError(f"{tab} holds {type(found).__name__}")
        return found  # type: ignore[return-value]

    async def _mounted(self, tab: str) -> None:
        """Wait until a tab's content is mounted (at once when it is, or for the first tab)."""
        kind = TAB_PANES.get(tab)
        if kind is not None:
            self.pane(kind)
            await self._panes[tab][1]

    # --- loading -----------------------------------------------------------------------------------

    def start_loading(self) -> None:
        """Start the loading worker, once. The app calls this as soon as it runs, before the view is
        composed, so that finding the files and reading the first ones go on while Textual starts up;
        the rows it posts are handled once the view is mounted."""
        if self._loading is None:
            self._loading = self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        loader.load_rows(self, self.source, self.sort_column, self._handshake)

    def on_unmount(self) -> None:
        self.stop_waiting()
        gc_policy.release()  # the rows go with the view: the collector sees everything again

    def stop_waiting(self) -> None:
        """The view draws nothing more (it closed, or its app ends before it was shown): the loading
        worker does not wait for it."""
        self._handshake.close()

    @on(loader.RowsArrived)
    def _rows_arrived(self, message: loader.RowsArrived) -> None:
        """A batch of rows. One that comes before the screen's first frame waits until that frame is drawn:
        styling and laying out the screen and drawing a table full of rows are each a long drawing, and
        the screen shows sooner, and keys wait less, when they are not one."""
        if self._drawn:
            self._take_in(message.batch)
        else:
            self._held.append(message)

    def _take_in(self, batch: Batch) -> None:
        self.total = batch.total
        self.rows += batch.rows
        self.municipalities.update(row.municipality for row in batch.rows)
        self.rowset.extend(batch.rows)
        for row in batch.rows:
            self.by_file[row.file] = row
        if batch.errors:
            self.errors += batch.errors
            self._show_errors()
        # while loading, matching rows are appended as they come; sorting waits for the end
        new = [r for r in batch.rows if self.flt.matches(r)]
        self.shown += new
        pane = self.rows_pane
        changed = pane.add(new)
        if changed and pane.selected is None:  # the rows first, then the detail pane (it reads a file)
            self._handshake.expect_detail()
            pane.detail_after_draw(then=self._handshake.detail_shown)
        if changed:  # the worker goes on once the table is drawn (also while another tab is shown)
            self.call_after_refresh(self._handshake.taken_in)
        else:
            self._handshake.taken_in()
        self.query_one("#progress", ProgressBar).update(total=max(batch.total, 1), progress=batch.done)
        self._update_status()
        # the rows are held as long as the view is open and hold no cycles: out of the collector's sight, or
        # each of its full passes (one per quarter more objects kept) would walk all rows so far again
        gc_policy.settle()

    @on(loader.RowsReady)
    def _rows_ready(self, message: loader.RowsReady) -> None:
        self.rowset = message.rowset
        gc_policy.settle()  # its orders and haystacks are held as long as the rows
        self.loading_rows = False
        self.prepared = True
        self.query_one("#progress", ProgressBar).display = False
        self.query_one(FilterBar).check(self.query_one("#filter", Input).value, self._known_values())
        self.refresh_rows()

    # --- table -------------------------------------------------------------------------------------

    def refresh_rows(self) -> None:
        """Re-apply filter and sort to all loaded rows; the cursor stays on the same file if it is shown.

        :class:`RowSet` keeps each column's order and what the filters compare, so this is one pass
        over the rows even for 50,000 of them."""
        self.shown = self.rowset.query(self.flt, self.sort_column, self.descending)
        self.rows_pane.refill(self.shown)
        self._update_portfolio()
        self._update_status()

    def _update_status(self) -> None:
        lang = self.lang
        parts = [t("compare.tui.shown", lang=lang, shown=len(self.shown), total=len(self.rows))]
        if len(self.shown) > self.table_limit:
            parts.append(t("compare.tui.limited", lang=lang, limit=self.table_limit))
        if self.loading_rows:
            parts.append(
                t("compare.tui.loading", lang=lang, done=len(self.rows) + self._error_files(), total=self.total)
            )
        column = t(f"compare.col.{self.sort_column}", lang=lang)
        parts.append(t("compare.tui.sorted", lang=lang, column=column, direction="↓" if self.descending else "↑"))
        if not self.flt.empty:
            parts.append(t("compare.tui.filtered", lang=lang, filter=self.flt.query()))
        if self.errors:
            parts.append(t("compare.tui.error_count", lang=lang, count=self._error_files()))
        if self.marked:
            parts.append(t("compare.tui.marked", lang=lang, count=len(self.marked)))
        # one line of a bar one line high, as wide as the bar leaves it: its text never changes its size
        self.query_one("#status", Static).update(" · ".join(parts), layout=False)

    def _error_files(self) -> int:
        return len({e.file for e in self.errors})

    @on(DataTable.HeaderSelected, "#rows")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == "mark":
            return
        self.sort_by(column, descending=not self.descending if column == self.sort_column else False)

    def sort_by(self, column: str, *, descending: bool = False) -> None:
        self.sort_column = column
        self.descending = descending
        self.refresh_rows()

    def action_next_sort(self) -> None:
        index = COLUMNS.index(self.sort_column) if self.sort_column in COLUMNS else -1
        self.sort_by(COLUMNS[(index + 1) % len(COLUMNS)])

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_column, descending=not self.descending)

    def action_focus_table(self) -> None:
        self.rows_pane.table.focus()

    def action_toggle_keys(self) -> None:
        """Show the keys panel (every key of the view, also those the footer has no room for), or close it."""
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    # --- filter ------------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, query: str) -> None:
        self.query_one(FilterBar).check(query, self._known_values())
        flt = parse_filter(query)
        if flt == self.flt:
            return
        self.flt = flt
        self.refresh_rows()

    def _known_values(self) -> dict[str, Collection[str]]:
        """What each filter field can match: the criteria's classes, domains and risk factors, and the
        municipalities of the rows loaded so far (none while the first rows are still on their way)."""
        catalogues = self.criteria.catalogues
        return {
            "class_": list(catalogues["classes"]),
            "domain": list(catalogues["domains"]),
            "risk_factor": list(catalogues["risk_factors"]),
            "municipality": self.municipalities,
        }

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        if self.query("HelpPanel"):  # Escape closes the keys panel first (opened from the palette)
            self.app.action_hide_help_panel()
            return
        self.clear_filter()

    @on(Button.Pressed, "#clear-filter")
    def clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.apply_filter("")
        self.rows_pane.table.focus()

    # --- marks and side by side --------------------------------------------------------------------

    def _cursor_file(self) -> str | None:
        return self.rows_pane.cursor_file() if self.shown else None

    def action_mark(self) -> None:
        if not self.shown:
            return
        dropped = self.rows_pane.toggle_mark()
        if dropped is not None:
            row = self.by_file.get(dropped)
            name = (row.intervention if row is not None else "") or Path(dropped).name
            self.notify(t("compare.tui.mark_dropped", lang=self.lang, name=name), markup=False)
        self._update_status()

    async def action_side_by_side(self) -> None:
        if len(self.marked) != 2:
            self.notify(t("compare.tui.mark_two", lang=self.lang), severity="warning")
            return
        left_file, right_file = self.marked
        from kwaliteitskader.core.io.load import load_assessment

        try:
            left = load_assessment(left_file).assessment
            right = load_assessment(right_file).assessment
        except FindingsError as exc:
            self.notify("\n".join(shown(f.text()) for f in exc.findings), severity="error", markup=False)
            return
        diff = diff_assessments(left, right, self.criteria, self.lang)
        await self._mounted("tab-side")
        pane = self.pane(SideBySidePane)
        pane.show(diff, left_file, right_file)
        self.show_tab("tab-side")

    # --- tabs --------------------------------------------------------------------------------------

    async def action_show_tab(self, tab: str) -> None:
        await self._mounted(tab)  # shown with its content
        self.show_tab(tab)

    def show_tab(self, tab: str) -> None:
        # Focus moves along: after a dialog closes, focus restored to the table would switch the tabs back.
        self.set_focus(None)
        self.query_one("#tabs", TabbedContent).active = tab
        self._tab_shown(tab)
        self.call_after_refresh(self._focus_tab, tab)

    @on(TabbedContent.TabActivated, "#tabs")
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # shown by a click on its name, or with the arrow keys on the names: its content may not be there yet
        tab = event.pane.id or ""
        await self._mounted(tab)
        self._tab_shown(tab)

    def _tab_shown(self, tab: str) -> None:
        if tab == "tab-portfolio" and self._portfolio_stale:
            self._update_portfolio()

    def _focus_tab(self, tab: str) -> None:
        target = self.query(self.TAB_FOCUS[tab])
        if target and target.first().display and self.query_one("#tabs", TabbedContent).active == tab:
            target.first().focus(scroll_visible=False)  # keep the top of the tab (the chart) in view

    def _update_portfolio(self) -> None:
        """The portfolio tab for the shown rows; made when that tab is shown (for 50,000 rows it takes a
        while, and nobody sees it while another tab is open)."""
        if self.query_one("#tabs", TabbedContent).active != "tab-portfolio":
            self._portfolio_stale = True
            return
        self._portfolio_stale = False
        pane = self.pane(PortfolioPane)
        pane.show(build_portfolio(self.shown, self.criteria))

    def _show_errors(self) -> None:
        pane = self.pane(ErrorsPane)
        pane.show(self.errors)
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.get_tab("tab-errors").label = t("compare.tui.tab_errors", lang=self.lang, count=self._error_files())

    # --- re-classify -------------------------------------------------------------------------------

    def action_reclassify(self) -> None:
        start = str(self.criteria.folder.parent) + "/"
        self.app.push_screen(FolderDialog(self.lang, start), self._reclassify_chosen)

    def _reclassify_chosen(self, folder: Path | None) -> None:
        if folder is None:
            return
        from kwaliteitskader.core.io.load import load_criteria

        try:
            new = load_criteria(folder)
        except FindingsError as exc:
            self.notify("\n".join(f.text() for f in exc.findings[:5]), severity="error", timeout=10)
            return
        pane = self.pane(ReclassifyPane)
        pane.working(folder)
        self.call_after_refresh(self.show_tab, "tab-reclassify")
        self.run_reclassify(new)

    @work(thread=True, exclusive=True, group="reclassify")
    def run_reclassify(self, new: Criteria) -> None:
        index = open_index(self.paths, self.source.index)
        try:
            result = reclassify([r.file for r in self.rows], self.criteria, new, index=index)
        finally:
            if index is not None:
                index.close()
        self.post_message(ReclassifyDone(result, new))

    @on(ReclassifyDone)
    def _reclassify_done(self, message: ReclassifyDone) -> None:
        self.reclassified = message.result
        pane = self.pane(ReclassifyPane)
        pane.show(message.result, self.criteria, message.new)
        self.show_tab("tab-reclassify")

    # --- export ------------------------------------------------------------------------------------

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(self.lang), self._export_chosen)

    def _export_chosen(self, choice: tuple[str, Path, bool] | None) -> None:
        if choice is not None:
            fmt, path, overwrite = choice
            self.export(fmt, path, overwrite=overwrite)

    def export(self, fmt: str, path: Path, *, overwrite: bool = False) -> bool:
        """Write what the table shows (filter and order included). Never overwrites silently."""
        from kwaliteitskader.core.io.safefiles import OutputRefused, Refusal, check_output

        try:  # one rule for every output (core/io/safefiles.py): never a device, link, input or assessment
            check_output(path, inputs=[*self.paths, *([self.criteria.folder] if self.criteria.folder else [])],
                         force=overwrite, lang=self.lang)
        except OutputRefused as exc:
            message = t("compare.tui.exists", lang=self.lang, file=path) if exc.kind is Refusal.EXISTS else str(exc)
            self.notify(message, severity="error", timeout=10, markup=False)
            return False
        report = Report(list(self.shown), list(self.errors), self.criteria, lang=self.lang, filter=self.flt.query())
        from kwaliteitskader.core.io.assessments import SaveError, atomic_write

        try:
            atomic_write(path, render(report, fmt))
        except SaveError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        self.notify(t("compare.cli.written", lang=self.lang, file=path, rows=len(self.shown), errors=len(self.errors)))
        return True

