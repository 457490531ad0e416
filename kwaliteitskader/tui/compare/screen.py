"""The comparison view: many assessments in one table, with detail, side by side, portfolio,
errors, re-classification and export (issue 5).

Its first rows come without pydantic (docs/performance.md): the criteria from the checked cache, the rows
through the core's fast path; the models and storage are imported when a file is opened side by side, a
criteria folder is chosen to re-classify against, or an export is written.

Loading runs in a worker thread and adds rows batch by batch, so the first rows are visible at once
while a progress bar counts the rest. All domain work is in :mod:`kwaliteitskader.core.portfolio`;
this module only presents it.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import (
    Button,
    DataTable,
    Header,
    Input,
    Label,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from kwaliteitskader import gc_policy as heap
from kwaliteitskader.core.findings import Finding, FindingsError
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.export import Report, render
from kwaliteitskader.core.portfolio.cells import advice_text, class_text, view_text
from kwaliteitskader.core.portfolio.index import PortfolioIndex, open_index
from kwaliteitskader.core.portfolio.loading import Batch, ComparePool, Row, find_files, iter_batches, open_row
from kwaliteitskader.core.portfolio.reclassify import ReclassifyResult, change_texts, reclassify, summary_lines
from kwaliteitskader.core.portfolio.row import VerdictFields, verdict_fields
from kwaliteitskader.core.portfolio.rowset import RowSet
from kwaliteitskader.core.portfolio.side_by_side import diff_assessments
from kwaliteitskader.core.portfolio.summary import build_portfolio
from kwaliteitskader.core.portfolio.table import (
    COLUMNS,
    FILTER_KEYS,
    Filter,
    parse_filter,
    unknown_filter_keys,
)
from kwaliteitskader.core.rules.engine import Truth
from kwaliteitskader.tui.compare.widgets import ClassBars, ExportDialog, FolderDialog
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.widgets.footer import KeyFooter
from kwaliteitskader.tui.widgets.verdict import RESULT_MARK, RESULT_STYLE, VerdictView, class_style

TABLE_COLUMNS: tuple[str, ...] = ("mark", *COLUMNS)
CLIPPED: dict[str, int] = {"municipality": 18, "intervention": 30}
"""Table columns whose text is cut to this many characters (the detail pane shows it whole)."""
NARROW = 140
"""Below this width the detail pane goes under the table, so class and advice stay in view."""
TABLE_CHUNK = 100
"""Rows added to the table at once; the rest follow a chunk at a time."""
PAINT_WAIT = 1.0
"""Seconds the loading thread waits at most for the first rows to be drawn (see ``_wait_for_paint``)."""
PAINT_POLL = 0.02
"""Seconds between two looks, while it waits, whether the view is still there."""
TABLE_LIMIT = 1000
"""At most this many rows in the table at once (see ``_add_table_rows``)."""


class FirstRows:
    """The first rows, looked up in a thread of its own from the moment the view is made, while Textual
    starts and composes it: finding the files and reading the first ones (from the index, or judging
    them) no longer waits until the view is mounted, and the rows are often there for its first paint
    (docs/performance.md). The view's loading thread takes over from there: :attr:`batches` goes on
    where this stopped.

    It stops after the first batch with rows (or at the end): before that, only batches of findings."""

    def __init__(self, screen: CompareScreen) -> None:
        self.ready = threading.Event()
        self.index: PortfolioIndex | None = None
        self.batches: Iterator[Batch] = iter(())
        self.first: list[Batch] = []
        """Batches looked up, not yet handed to the view."""
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._claimed = False
        self._abandoned = False
        arguments = (screen.paths, screen.index_where, screen.criteria, screen.today, screen.batch_size, screen.pool)
        threading.Thread(target=self._run, args=arguments, name="compare-first-rows", daemon=True).start()

    def _run(
        self,
        paths: list[Path],
        where: str | Path | None,
        criteria: Criteria,
        today: dt.date | None,
        batch_size: int,
        pool: ComparePool | None,
    ) -> None:
        try:
            # the index is opened (made, on a first run: the disk's wait, not the interpreter's) while the
            # files are found; unchanged files come from it, the same rows
            opened: list[PortfolioIndex | BaseException | None] = []
            opener = threading.Thread(target=self._open, args=(paths, where, opened), daemon=True)
            opener.start()
            found = find_files(paths)
            opener.join()
            if isinstance(opened[0], BaseException):
                raise opened[0]
            self.index = opened[0]
            # never fork a pool from here (the UI has threads); use the one started before the UI, if any
            self.batches = iter_batches(
                paths, criteria, today=today, batch_size=batch_size, workers=1, pool=pool, index=self.index,
                found=found,
            )
            for batch in self.batches:
                self.first.append(batch)
                if batch.rows:
                    break
        except BaseException as exc:  # raised again in the view's loading thread, where it was raised before
            self.error = exc
        finally:
            with self._lock:
                self.ready.set()
                abandoned = self._abandoned
            if abandoned:
                self.close()

    @staticmethod
    def _open(paths: list[Path], where: str | Path | None, opened: list[PortfolioIndex | BaseException | None]) -> None:
        try:
            opened.append(open_index(paths, where))
        except BaseException as exc:  # handed to the thread that waits for it
            opened.append(exc)

    def claim(self) -> bool:
        """True once: for the view's loading thread, which goes on from here (and closes the index)."""
        with self._lock:
            claimed, self._claimed = self._claimed, True
        return not claimed

    def abandon(self) -> None:
        """The view closes and its loading thread never ran: the index is closed (once the lookup is done)."""
        with self._lock:
            if self._claimed:
                return
            self._claimed = self._abandoned = True
            ready = self.ready.is_set()
        if ready:
            self.close()

    def take(self) -> list[Batch]:
        """The batches looked up so far (once ``ready``), handed over once."""
        taken, self.first = self.first, []
        return taken

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class CompareScreen(Screen[None]):
    """Table, filter bar and tabs for one set of paths under one criteria set."""

    CSS_PATH = "compare.tcss"

    FOOTER_OPTIONAL = ("reclassify", "show_tab('tab-portfolio')", "reverse_sort", "clear_filter", "mark")
    """Left out of the footer, first to last, when the screen is too narrow for every key (still bound; the
    tabs and their keys are named in the tab bar and the command palette)."""
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
    ]

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
        index: str | Path | None = "off",
    ) -> None:
        super().__init__()
        self.pool = pool
        self.index_where = index
        """``--index``: a file, ``off``, or None for the cache folder's index (:mod:`core.portfolio.index`)."""
        self.table_limit = table_limit
        self.paths = [Path(p) for p in paths]
        self.criteria = criteria
        self.lang = lang
        self.today = today
        self.batch_size = batch_size
        self.rows: list[Row] = []
        self.errors: list[Finding] = []
        self.shown: list[Row] = []
        self.by_file: dict[str, Row] = {}
        self.flt: Filter = parse_filter(query)
        self.initial_query = query
        self.sort_column = "municipality"
        self.descending = False
        self.marked: list[str] = []
        self.loading_rows = True  # not ``loading``: that is Textual's own (it would cover the screen)
        self.total = 0
        self.selected: str | None = None
        self.reclassified: ReclassifyResult | None = None
        self.rowset = RowSet(criteria)
        self._table_queue: list[Row] = []
        """Rows on their way into the table, a chunk at a time (see ``_add_table_rows``)."""
        self._portfolio_stale = True
        self._built_tabs: set[str] = {"tab-rows"}
        """Tabs whose content is there (see ``_build_tab``)."""
        self._first_rows = FirstRows(self)
        self._shown_first = False
        """The first rows were added when the view was mounted (see ``on_mount``)."""
        self.prepared = False
        """True once the loading thread has also worked out every column's order and the text filter's
        haystacks (after ``loading_rows`` turned False)."""

    # --- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Header()
        with Horizontal(id="filter-bar"):
            yield Label(t("compare.tui.filter", lang=lang), id="filter-label")
            yield Input(value=self.initial_query, placeholder=t("compare.tui.filter_hint", lang=lang), id="filter")
            yield Button(t("compare.tui.clear", lang=lang), id="clear-filter")
        yield Static("", id="filter-warning", markup=False)
        with Horizontal(id="status-bar"):
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="status", markup=False)
        with TabbedContent(id="tabs", initial="tab-rows"):
            with TabPane(t("compare.tui.tab_rows", lang=lang), id="tab-rows"), Horizontal(id="rows-pane"):
                table: DataTable[Text] = DataTable(id="rows", cursor_type="row", zebra_stripes=True)
                yield table
                with VerticalScroll(id="detail"):
                    yield Static(t("compare.tui.pick_row", lang=lang), id="detail-title", markup=False)
                    # the verdict view comes with the first row shown in it (``_verdict_view``)
            # the other tabs get their content when first shown (``_build_tab``): nobody sees it before, and
            # composing, styling and laying it out came before the first rows (docs/performance.md)
            yield TabPane(t("compare.tui.tab_side", lang=lang), id="tab-side")
            yield TabPane(t("compare.tui.tab_portfolio", lang=lang), id="tab-portfolio")
            yield TabPane(t("compare.tui.tab_errors", lang=lang, count=0), id="tab-errors")
            yield TabPane(t("compare.tui.tab_reclassify", lang=lang), id="tab-reclassify")
        yield KeyFooter()

    def on_mount(self) -> None:
        lang = self.lang
        self.title = t("compare.tui.title", lang=lang)
        self.sub_title = t("compare.tui.subtitle", lang=lang, version=self.criteria.version)
        table = self.query_one("#rows", DataTable)
        for column in TABLE_COLUMNS:
            label = "✓" if column == "mark" else t(f"compare.col.{column}", lang=lang)
            table.add_column(label, key=column)
        self._warn_unknown_keys(self.initial_query)
        self._update_status()
        table.focus()
        if self._first_rows.ready.is_set() and self._first_rows.error is None:
            for batch in self._first_rows.take():  # already there: in the view's first paint
                self._add_batch(batch)
                self._shown_first = self._shown_first or bool(batch.rows)
        self.load()

    def _build_tab(self, tab: str) -> list[AwaitMount]:
        """Give a tab its content the first time it is needed (shown, or filled while hidden): the same
        widgets the view used to compose with the others. They can be filled at once; awaiting what this
        returns waits until they are mounted (nothing when the tab was built before)."""
        if tab in self._built_tabs or tab not in self.TAB_FOCUS:
            return []
        self._built_tabs.add(tab)
        lang = self.lang

        def table(id_: str, columns: Sequence[tuple[str, str]] = (), *, zebra: bool = True) -> DataTable[Text]:
            made: DataTable[Text] = DataTable(id=id_, cursor_type="row", zebra_stripes=zebra)
            for key, label in columns:
                made.add_column(t(label.format(key=key), lang=lang), key=key)
            return made

        def text(key: str, *, id: str | None = None, classes: str | None = None) -> Static:
            return Static(t(key, lang=lang), id=id, classes=classes, markup=False)

        container: Widget | None
        children: list[Widget]
        if tab == "tab-side":
            container = VerticalScroll(id="side")
            children = [
                text("compare.tui.mark_two", id="side-head"),
                text("compare.tui.side_answers", classes="heading"),
                table("side-answers", [(key, "compare.tui.side_col_{key}") for key in ("question", "left", "right")]),
                text("compare.tui.side_rules", classes="heading"),
                table("side-rules", [(key, "compare.tui.rule_col_{key}") for key in ("rule", "left", "right", "conditions")]),
            ]
        elif tab == "tab-portfolio":
            container = VerticalScroll(id="portfolio")
            children = [
                text("compare.report.spread", classes="heading"),
                ClassBars(self.criteria, lang, id="bars"),
                text("compare.report.coverage", classes="heading"),
                text("compare.tui.coverage_note", id="coverage-note"),
                Static("", id="uncovered", markup=False),
                table("coverage", zebra=False),
            ]
        elif tab == "tab-errors":
            container = None
            errors = table("errors", [(key, "compare.err.{key}") for key in ("file", "line", "reason")])
            errors.display = False
            children = [text("compare.tui.no_errors", id="errors-none"), errors]
        else:
            container = Vertical(id="reclassify")
            columns = ("intervention", "municipality", "class", "advice", "rule", "first")
            children = [
                text("compare.tui.reclassify_hint", id="re-head"),
                table("re-changes", [(key, "compare.tui.re_col_{key}") for key in columns]),
            ]
        parent: Widget = self.query_one(f"#{tab}", TabPane)
        mounting = []
        if container is not None:  # the container first: its children are only found once it is there
            mounting.append(parent.mount(container))
            parent = container
        mounting.append(parent.mount_all(children))
        if tab == "tab-errors":
            self._fill_errors()
        return mounting

    def on_unmount(self) -> None:
        heap.release()  # the rows may go now: let the collector see them again
        self._first_rows.abandon()  # when the loading thread never ran

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.query_one(KeyFooter).fit(event.size.width, self.FOOTER_OPTIONAL)

    # --- loading -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        worker = get_current_worker()
        first = self._first_rows
        if not first.claim():
            return  # the view closed before this thread ran
        first.ready.wait()
        try:
            if first.error is not None:
                raise first.error
            painted = self._shown_first
            if painted:
                self._wait_for_paint()
            for batch in itertools.chain(first.take(), first.batches):
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._add_batch, batch)
                if batch.rows and not painted:
                    painted = True
                    self._wait_for_paint()
        finally:
            first.close()
        if worker.is_cancelled:
            return
        self.rowset.order(self.sort_column, self.descending)  # here, not in the UI: 50,000 rows take a while
        self.app.call_from_thread(self._loaded)
        for column in COLUMNS:  # then every column's order, so that a sort is a lookup
            # each once the UI has drawn what it had to do: a column's sort holds the interpreter until it is done
            # (up to 0.1 s for 50,000 rows), and the UI, refilling its table, got its turns only between them (the
            # UI waited 1.1 s at the end of loading 50,000 rows, now 0.65 s: docs/performance.md)
            if worker.is_cancelled or not self.is_attached:
                return
            self._wait_for_paint()
            if worker.is_cancelled or not self.is_attached:
                return
            self.rowset.order(column)
        self.rowset.prepare_text()
        self.prepared = True

    def _wait_for_paint(self) -> None:
        """Let the UI draw what it has to (the first rows; the table refilled at the end) before this thread goes on:
        it would otherwise hold the interpreter (checking 50,000 files, sorting them) while the UI thread waits for
        its turn to paint."""
        painted = threading.Event()
        self.app.call_from_thread(self.call_after_refresh, painted.set)
        for _ in range(round(PAINT_WAIT / PAINT_POLL)):  # a view that closes meanwhile never draws: not waited for
            if painted.wait(timeout=PAINT_POLL) or not self.is_attached or get_current_worker().is_cancelled:
                return

    def _add_batch(self, batch: Batch) -> None:
        if not self.is_attached:
            return  # handed over by the loader just as the view closed (it checks for that before, not after)
        self.total = batch.total
        self.rows += batch.rows
        self.rowset.extend(batch.rows)
        for row in batch.rows:
            self.by_file[row.file] = row
        heap.settle()  # kept until the view closes: the cycle collector need not visit them (core/heap.py)
        if batch.errors:
            self.errors += batch.errors
            self._fill_errors()
        # while loading, matching rows are appended as they come; sorting waits for the end
        new = [r for r in batch.rows if self.flt.matches(r)]
        self.shown += new
        self._add_table_rows(new)
        if self.selected is None:
            self.call_after_refresh(self._show_cursor_detail)  # the rows first: the detail pane reads a file
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=max(batch.total, 1), progress=batch.done)
        self._update_status()

    def _loaded(self) -> None:
        if not self.is_attached:
            return
        self.loading_rows = False
        self.query_one("#progress", ProgressBar).display = False
        # the table is filled again below: its old rows go now, with what the freezes of the batches kept
        self.query_one("#rows", DataTable).clear()
        heap.renew()
        self.refresh_rows()
        self._update_status()

    # --- table -------------------------------------------------------------------------------------

    def _cells(self, row: Row) -> list[Text]:
        lang, criteria = self.lang, self.criteria
        cells: list[Text] = []
        for column in TABLE_COLUMNS:
            if column == "mark":
                cells.append(Text("●" if row.file in self.marked else "", style="bold magenta"))
                continue
            plain = shown(view_text(row, column, criteria, lang))  # file text: visible, never obeyed
            if column in CLIPPED:  # long names would push class and advice out of view (full text in the detail)
                plain = _clip(plain, CLIPPED[column])
            text = Text(plain)
            if column == "class":
                text.stylize(class_style(criteria, row.decided_class) if row.decided_class else "bold yellow")
            elif column == "provisional" and row.provisional:
                text.stylize("bold yellow")
            elif (column == "criteria" and row.criteria_mismatch) or (column == "out_of_date" and row.out_of_date):
                text.stylize("bold red")
            cells.append(text)
        return cells

    def _add_table_rows(self, rows: Sequence[Row], *, now: int = TABLE_CHUNK) -> None:
        """Add rows up to :attr:`table_limit`: a terminal table of thousands of rows is slow to lay out
        (Textual measures every cell) and nobody scrolls it; filter and sort find the rest, and the
        status line and exports always cover every matching row. The first ``now`` rows are added at
        once, the rest a chunk at a time between other events, so a keystroke never waits for 1,000 rows."""
        table = self.query_one("#rows", DataTable)
        wanted = list(rows[: max(0, self.table_limit - table.row_count - len(self._table_queue))])
        if self._table_queue:  # earlier rows are still waiting: these come after them
            self._table_queue += wanted
            return
        for row in wanted[:now]:
            table.add_row(*self._cells(row), key=row.file)
        self._table_queue = wanted[now:]
        if self._table_queue:
            self.call_later(self._add_queued_rows)

    def _add_queued_rows(self) -> None:
        if not self.is_attached or not self._table_queue:
            return
        table = self.query_one("#rows", DataTable)
        chunk, self._table_queue = self._table_queue[:TABLE_CHUNK], self._table_queue[TABLE_CHUNK:]
        for row in chunk:
            table.add_row(*self._cells(row), key=row.file)
        if self._table_queue:
            self.call_later(self._add_queued_rows)
        elif not self.loading_rows:
            gc.collect()  # the table is complete: the collector's pass now, not in the next keystroke

    def refresh_rows(self) -> None:
        """Re-apply filter and sort to all loaded rows; keep the cursor on the same file if it is shown.

        :class:`RowSet` keeps each column's order and what the filters compare, so this is one pass
        over the rows even for 50,000 of them (docs/performance.md)."""
        table = self.query_one("#rows", DataTable)
        keep = self.selected
        # no pass of the cycle collector in the middle of a keystroke: the old table's thousand rows and the
        # new one's are Textual's objects (about a hundred thousand), a pass over them 40-50 ms; it comes
        # when the table is complete (``_add_queued_rows``)
        with heap.paused():
            self.shown = self.rowset.query(self.flt, self.sort_column, self.descending)
            table.clear()
            self._table_queue = []
            position = next((i for i, r in enumerate(self.shown[: self.table_limit]) if r.file == keep), -1)
            self._add_table_rows(self.shown, now=max(TABLE_CHUNK, position + 1))
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        if not self.shown:
            self._clear_detail()  # never leave an assessment on show that the filter has taken away
        self.call_after_refresh(self._show_cursor_detail)  # the table first; the detail pane reads a file
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
        parts.append(
            t(
                "compare.tui.sorted",
                lang=lang,
                column=t(f"compare.col.{self.sort_column}", lang=lang),
                direction="↓" if self.descending else "↑",
            )
        )
        if not self.flt.empty:
            parts.append(t("compare.tui.filtered", lang=lang, filter=self.flt.query()))
        if self.errors:
            parts.append(t("compare.tui.error_count", lang=lang, count=self._error_files()))
        if self.marked:
            parts.append(t("compare.tui.marked", lang=lang, count=len(self.marked)))
        self.query_one("#status", Static).update(" · ".join(parts))

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

    # --- filter ------------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#rows", DataTable).focus()

    def apply_filter(self, query: str) -> None:
        self._warn_unknown_keys(query)
        flt = parse_filter(query)
        if flt == self.flt:
            return
        self.flt = flt
        self.refresh_rows()

    def _warn_unknown_keys(self, query: str) -> None:
        """Say so when a ``key:`` is not a filter key (a typo would otherwise silently match nothing)."""
        unknown = unknown_filter_keys(query)
        warning = self.query_one("#filter-warning", Static)
        if unknown:
            warning.update(Text(t("compare.filter.unknown_keys", lang=self.lang, keys=", ".join(unknown),
                                  valid=", ".join(FILTER_KEYS)), "bold red"))
        warning.display = bool(unknown)

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
        self.query_one("#rows", DataTable).focus()

    # --- detail ------------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#rows")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show_detail(str(event.row_key.value))

    def _show_cursor_detail(self) -> None:
        if not self.is_attached:
            return  # called after a refresh, when the view may have closed
        file = self._cursor_file()
        if file is not None:
            self.show_detail(file)

    def _clear_detail(self) -> None:
        self.selected = None
        self.query_one("#detail-title", Static).update(Text(t("compare.tui.no_rows_detail", lang=self.lang)))
        for view in self.query("#detail-verdict"):
            view.display = False

    def show_detail(self, file: str) -> None:
        row = self.by_file.get(file)
        if row is None or file == self.selected:
            return
        self.selected = file
        title = self.query_one("#detail-title", Static)
        try:
            _loaded, verdict = open_row(row, self.criteria)
        except FindingsError as exc:
            title.update(Text("\n".join(f.text() for f in exc.findings), style="red"))
            for view in self.query("#detail-verdict"):
                view.display = False
            return
        head = Text()
        head.append(row.intervention or Path(row.file).name, "bold")
        head.append(f"\n{row.municipality}")
        head.append(f"\n{row.file}", "dim")
        if row.criteria_mismatch:
            head.append(
                "\n"
                + t(
                    "compare.tui.criteria_mismatch",
                    lang=self.lang,
                    recorded=row.criteria_version or "?",
                    loaded=row.loaded_version,
                ),
                "bold red",
            )
        if row.out_of_date:
            head.append("\n" + t("compare.tui.out_of_date", lang=self.lang, date=row.valid_until), "bold red")
        title.update(head)
        view = self._verdict_view()
        view.display = True
        view.show(verdict)
        if not view.is_mounted:  # just made: it shows what it was given once mounted (the latest verdict)
            view.call_later(self._show_latest, view)

    def _verdict_view(self) -> VerdictView:
        """The detail pane's verdict view, made with the first row shown (it is not needed before)."""
        found = self.query("#detail-verdict")
        if found:
            return found.first(VerdictView)
        view = VerdictView(self.criteria, self.lang, id="detail-verdict")
        self.query_one("#detail", VerticalScroll).mount(view)
        return view

    @staticmethod
    def _show_latest(view: VerdictView) -> None:
        if view.verdict is not None:
            view.show(view.verdict)

    # --- side by side ------------------------------------------------------------------------------

    def _cursor_file(self) -> str | None:
        table = self.query_one("#rows", DataTable)
        if not self.shown or table.cursor_row < 0 or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return str(key) if key is not None else None

    def action_mark(self) -> None:
        file = self._cursor_file()
        if file is None:
            return
        changed = [file]
        if file in self.marked:
            self.marked.remove(file)
        else:
            self.marked.append(file)
            if len(self.marked) > 2:
                dropped = self.marked.pop(0)
                changed.append(dropped)
                row = self.by_file.get(dropped)
                name = (row.intervention if row is not None else "") or Path(dropped).name
                self.notify(t("compare.tui.mark_dropped", lang=self.lang, name=name), markup=False)
        table = self.query_one("#rows", DataTable)
        for f in changed:
            if f in table.rows:
                table.update_cell(f, "mark", Text("●" if f in self.marked else "", style="bold magenta"))
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
        lang, criteria = self.lang, self.criteria
        for mounting in self._build_tab("tab-side"):
            await mounting

        def verdict_line(name: str, file: str, verdict: VerdictFields) -> Text:
            line = Text(f"{name}: ", "bold")
            style = class_style(criteria, verdict.decided_class) if verdict.decided_class else "bold yellow"
            line.append(f" {class_text(verdict, criteria, lang)} ", style)
            line.append(f" {advice_text(verdict, criteria, lang)}  ")
            line.append(shown(file), "dim")
            return line

        head = Text()
        head.append_text(verdict_line("A", left_file, verdict_fields(diff.left)))
        head.append("\n")
        head.append_text(verdict_line("B", right_file, verdict_fields(diff.right)))
        head.append("\n" + t("compare.tui.side_summary", lang=lang, answers=len(diff.answers), rules=len(diff.rules)))
        self.query_one("#side-head", Static).update(head)
        # fixed column widths from the screen width, so that A and B are both in view (long texts wrap)
        width = max(60, self.size.width - 8)
        question, side = int(width * 0.4), int(width * 0.3) - 2
        answers = self.query_one("#side-answers", DataTable)
        answers.clear(columns=True)
        for key, column_width in (("question", question), ("left", side), ("right", side)):
            answers.add_column(t(f"compare.tui.side_col_{key}", lang=lang), key=key, width=column_width)
        for a in diff.answers:
            answers.add_row(Text(shown(a.label)), Text(shown(_clip(a.left, side * 3))), Text(shown(_clip(a.right, side * 3))),
                            key=a.path, height=None)
        rules = self.query_one("#side-rules", DataTable)
        rules.clear(columns=True)
        rule_width, truth = int(width * 0.3), 16
        for key, column_width in (("rule", rule_width), ("left", truth), ("right", truth),
                                  ("conditions", width - rule_width - 2 * truth - 8)):
            rules.add_column(t(f"compare.tui.rule_col_{key}", lang=lang), key=key, width=column_width)
        for r in diff.rules:
            rules.add_row(
                Text(r.label),
                self._truth(r.left, r.left_decided),
                self._truth(r.right, r.right_decided),
                Text(
                    "; ".join(f"{label}: {RESULT_MARK[a.value]}→{RESULT_MARK[b.value]}" for label, a, b in r.conditions)
                ),
                key=r.rule,
                height=None,
            )
        self.show_tab("tab-side")

    def _truth(self, value: Truth, decided: bool) -> Text:
        text = Text(
            f"{RESULT_MARK[value.value]} {t('result.' + value.value, lang=self.lang)}", RESULT_STYLE[value.value]
        )
        if decided:
            text.append(" ← " + t("compare.tui.decided", lang=self.lang), "bold")
        return text

    TAB_FOCUS: ClassVar[dict[str, str]] = {
        "tab-rows": "#rows", "tab-side": "#side-answers", "tab-portfolio": "#coverage", "tab-errors": "#errors",
        "tab-reclassify": "#re-changes",
    }

    async def action_show_tab(self, tab: str) -> None:
        for mounting in self._build_tab(tab):
            await mounting  # shown with its content, as when it was made with the view
        self.show_tab(tab)

    def show_tab(self, tab: str) -> None:
        # Focus moves along: after a dialog closes, focus restored to the table would switch the tabs back.
        self.set_focus(None)
        self._build_tab(tab)
        self.query_one("#tabs", TabbedContent).active = tab
        if tab == "tab-portfolio" and self._portfolio_stale:
            self._update_portfolio()
        self.call_after_refresh(self._focus_tab, tab)

    @on(TabbedContent.TabActivated, "#tabs")
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # shown by a click on its name, or with the arrow keys on the names: its content may not be there yet
        for mounting in self._build_tab(event.pane.id or ""):
            await mounting
        if event.pane.id == "tab-portfolio" and self._portfolio_stale:
            self._update_portfolio()

    def _focus_tab(self, tab: str) -> None:
        target = self.query_one(self.TAB_FOCUS[tab])
        if target.display and self.query_one("#tabs", TabbedContent).active == tab:
            target.focus(scroll_visible=False)  # keep the top of the tab (the chart) in view

    # --- portfolio ---------------------------------------------------------------------------------

    def _update_portfolio(self) -> None:
        """The portfolio tab for the shown rows; made when that tab is shown (for 50,000 rows it takes a
        while, and nobody sees it while another tab is open)."""
        if self.query_one("#tabs", TabbedContent).active != "tab-portfolio":
            self._portfolio_stale = True
            return
        self._portfolio_stale = False
        pf = build_portfolio(self.shown, self.criteria)
        self.query_one("#bars", ClassBars).show(pf)
        lang, criteria = self.lang, self.criteria
        uncovered = pf.uncovered_dynamic
        text = Text(t("compare.report.uncovered", lang=lang) + ": ", "bold")
        if uncovered:
            text.append(", ".join(criteria.label("risk_factors", f, lang) for f in uncovered), "bold red")
        else:
            text.append(t("compare.report.none", lang=lang), "green")
        self.query_one("#uncovered", Static).update(text)
        table = self.query_one("#coverage", DataTable)
        table.clear(columns=True)
        table.add_column(t("compare.coverage.factor", lang=lang), key="factor")
        table.add_column(t("compare.coverage.dynamic", lang=lang), key="dynamic")
        for m in pf.municipalities:
            table.add_column(m, key=f"m:{m}")
        for f in pf.risk_factors:
            style = "bold white on dark_red" if f in uncovered else ""
            cells = [
                Text(criteria.label("risk_factors", f, lang), style=style),
                Text(t("compare.yes" if f in pf.dynamic else "compare.no", lang=lang), style=style),
            ]
            for m in pf.municipalities:
                n = pf.coverage[f][m]
                if n:
                    cells.append(Text(str(n), style="green"))
                elif f in pf.dynamic and f in pf.local[m]:
                    cells.append(Text("! 0", style="bold red"))  # locally high, nothing targets it
                else:
                    cells.append(Text("·", style="dim"))
            table.add_row(*cells, key=f)

    # --- errors ------------------------------------------------------------------------------------

    def _fill_errors(self) -> None:
        if "tab-errors" not in self._built_tabs:
            self._build_tab("tab-errors")  # fills it once it is there
            return
        table = self.query_one("#errors", DataTable)
        table.clear()
        for e in self.errors:
            table.add_row(Text(e.file), Text(str(e.line or "")), Text(f"[{e.key}] {e.message}" if e.key else e.message))
        table.display = bool(self.errors)
        self.query_one("#errors-none", Static).display = not self.errors
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
        self._build_tab("tab-reclassify")
        self.query_one("#re-head", Static).update(t("compare.tui.reclassifying", lang=self.lang, folder=folder))
        self.call_after_refresh(self.show_tab, "tab-reclassify")
        self.run_reclassify(new)

    @work(thread=True, exclusive=True, group="reclassify")
    def run_reclassify(self, new: Criteria) -> None:
        index = open_index(self.paths, self.index_where)
        try:
            result = reclassify([r.file for r in self.rows], self.criteria, new, index=index)
        finally:
            if index is not None:
                index.close()
        self.app.call_from_thread(self.show_reclassified, result, new)

    def show_reclassified(self, result: ReclassifyResult, new: Criteria) -> None:
        if not self.is_attached:
            return  # the view closed while the reclassification ran
        self.reclassified = result
        self.show_tab("tab-reclassify")
        lang, old = self.lang, self.criteria
        first_line, *rest = summary_lines(result, old, new, lang)
        head = Text(first_line, "bold")
        head.append("".join(f"\n{line}" for line in rest))
        self.query_one("#re-head", Static).update(head)
        table = self.query_one("#re-changes", DataTable)
        table.clear()
        for c in result.changes:
            first = "—"
            if c.first_rule is not None:
                marks = [RESULT_MARK[v.value] if v is not None else "∅" for v in (c.first_old, c.first_new)]
                first = f"{c.first_rule}: {marks[0]}→{marks[1]}"
            table.add_row(
                Text(c.intervention or Path(c.file).name),
                Text(c.municipality),
                *(Text(cell) for cell in change_texts(c, old, new, lang)),
                Text(first),
                key=c.file,
            )

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
