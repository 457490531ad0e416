"""The view's first tab: the table of assessments, and the detail pane with the verdict of the row under the cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.cells import view_text
from kwaliteitskader.core.portfolio.loading import Row, open_row
from kwaliteitskader.core.portfolio.table import COLUMNS
from kwaliteitskader.tui.compare.rows_table import RowsTable
from kwaliteitskader.tui.compare.table_cell import Cell
from kwaliteitskader.tui.safety import shown
from kwaliteitskader.tui.widgets.verdict import VerdictView, class_style

TABLE_COLUMNS: tuple[str, ...] = ("mark", *COLUMNS)
CLIPPED: dict[str, int] = {"municipality": 18, "intervention": 30}
"""Table columns whose text is cut to this many characters (the detail pane shows it whole)."""
TABLE_CHUNK = 50
"""Rows added to the table at a time: more than a screen shows. More come a chunk at a time as the user
scrolls or moves the cursor towards the table's last row (see :meth:`RowsPane.add`)."""
AHEAD = 10
"""A next chunk is added once the cursor or the bottom of the view is this close to the table's last row."""
TABLE_LIMIT = 1000
"""At most this many rows in the table at once (see :meth:`RowsPane.add`)."""
MARK = "●"
MARK_STYLE = Style.parse("bold magenta")
OPEN_STYLE = Style.parse("bold yellow")
"""The class of an open verdict, and the *provisional* column when it is."""
WARN_STYLE = Style.parse("bold red")
"""A criteria mismatch, or an assessment out of date."""


def clip(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class RowsPane(Horizontal):
    """The table and the detail pane. It shows what the view gives it (:meth:`add`, :meth:`refill`) and
    keeps the marks; ``find`` looks a file's row up for the detail pane."""

    def __init__(
        self, criteria: Criteria, lang: str, find: Callable[[str], Row | None], *, table_limit: int = TABLE_LIMIT
    ) -> None:
        super().__init__(id="rows-pane")
        self.criteria = criteria
        self.lang = lang
        self.find = find
        self.table_limit = table_limit
        self.marked: list[str] = []
        self.selected: str | None = None
        self._seeking: str | None = None
        """The file the table is filling up to, to put the cursor on it again (see :meth:`refill`)."""
        self._refills = 0
        self._detail_waits = False
        """The table changed and is not drawn yet: the detail pane follows once it is (see :meth:`detail_after_draw`)."""
        self._chosen = False
        """The selected file is one the user moved the cursor to (not the first row, which the view picks
        itself): a new order keeps the cursor on it (see :meth:`refill`)."""
        self._when_shown: list[Callable[[], object]] = []
        """Called once the verdict view, just made, shows its verdict and is drawn (see :meth:`detail_after_draw`)."""
        self._pending: list[Row] = []
        """Rows shown in the table's order but not yet in it: they are added when the user comes near (see :meth:`add`)."""

    def compose(self) -> ComposeResult:
        table = RowsTable()
        for column in TABLE_COLUMNS:
            label = "✓" if column == "mark" else t(f"compare.col.{column}", lang=self.lang)
            table.add_column(label, key=column)
        yield table
        with VerticalScroll(id="detail"):
            yield Static(t("compare.tui.pick_row", lang=self.lang), id="detail-title", markup=False)
            # the verdict view comes with the first row shown in it (``_verdict_view``)

    def on_mount(self) -> None:
        self.watch(self.table, "scroll_y", self._scrolled, init=False)

    def _scrolled(self) -> None:
        # scrolled near the end: more rows, once the current handler is done (adding or clearing rows
        # moves the scroll position too, and rows must not be added in the middle of that)
        self.call_later(self._top_up)

    def on_resize(self) -> None:
        self._top_up()  # a taller table: more rows

    @property
    def table(self) -> RowsTable:
        return self.query_one("#rows", RowsTable)

    # --- the table ---------------------------------------------------------------------------------

    def cells(self, row: Row) -> list[Cell]:
        """The table's cells of one row: the core's texts, clipped and coloured."""
        lang, criteria = self.lang, self.criteria
        cells: list[Cell] = []
        for column in TABLE_COLUMNS:
            if column == "mark":
                cells.append(self._mark_cell(row.file))
                continue
            plain = shown(view_text(row, column, criteria, lang))  # file text: visible, never obeyed
            if column in CLIPPED:  # long names would push class and advice out of view (full text in the detail)
                plain = clip(plain, CLIPPED[column])
            style: Style | None = None
            if column == "class":
                style = class_style(criteria, row.decided_class) if row.decided_class else OPEN_STYLE
            elif column == "provisional" and row.provisional:
                style = OPEN_STYLE
            elif (column == "criteria" and row.criteria_mismatch) or (column == "out_of_date" and row.out_of_date):
                style = WARN_STYLE
            cells.append(Cell(plain, style))
        return cells

    def _mark_cell(self, file: str) -> Cell:
        return Cell(MARK if file in self.marked else "", MARK_STYLE)

    def add(self, rows: Sequence[Row], *, now: int = 0) -> bool:
        """Show ``rows`` after those already shown, up to :attr:`table_limit`: a terminal table of thousands
        of rows is slow to lay out (Textual measures every cell) and nobody scrolls it; filter and sort find
        the rest, and the status line and exports always cover every matching row.

        Rows go into the table when the view would otherwise show empty space or come to the table's end
        (and until the table holds ``now`` rows); the others wait until the user scrolls or moves the cursor
        near its end, and then come a chunk at a time. Every row added makes Textual measure its cells and
        draw the visible rows again, so rows nobody has looked at yet cost the UI nothing: a keystroke never
        waits for a thousand of them, also while rows keep arriving. Returns whether rows went into the
        table now."""
        table = self.table
        before = table.row_count
        room = max(0, self.table_limit - before - len(self._pending))
        self._pending += rows[:room]
        self._add_rows(max(0, now - before))
        self._top_up()
        return table.row_count > before

    def _add_rows(self, count: int) -> None:
        chunk, self._pending = self._pending[:count], self._pending[count:]
        table = self.table
        for row in chunk:
            table.add_row(*self.cells(row), key=row.file)

    def _near_end(self) -> bool:
        table = self.table
        last = table.row_count - 1
        bottom = int(table.scroll_y) + table.scrollable_content_region.height
        return max(table.cursor_row, bottom) >= last - AHEAD

    def _top_up(self) -> None:
        """Add the next chunk of waiting rows when the user is near the table's end; again after it, as long
        as that holds (one chunk per turn of the event loop, so keys are handled in between)."""
        if not self.is_attached or not self._pending or not self._near_end():
            return
        self._add_rows(TABLE_CHUNK)
        if self._pending:
            self.call_later(self._top_up)

    def refill(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` instead of what the table shows. The cursor stays on the file the user chose when it
        is among them; else it goes to the top, as it does when the user has not moved it (at the end of
        loading the rows show in their order from the top). When that file is further down, the table fills
        up to it a chunk per frame (keys are handled in between, and the detail pane keeps showing the file
        meanwhile) and the cursor goes to it once its row is in; moving the cursor before that ends the search."""
        table = self.table
        keep = self.selected if self._chosen else None  # else the new order from its top
        self._pending = []
        table.clear()
        self.add(rows, now=TABLE_CHUNK)
        listed = keep is not None and any(r.file == keep for r in rows[: self.table_limit])
        self._seeking = keep if listed else None
        if not rows:
            self.clear_detail()  # never leave an assessment on show that the filter has taken away
        self._refills += 1
        if self._seeking is None:
            self.detail_after_draw()
        elif self._seeking in table.rows:
            self._seek(self._refills)  # in the first chunk: the cursor goes there now
        else:
            self.call_after_refresh(self._seek, self._refills)  # the new order is drawn first

    @property
    def seeking(self) -> bool:
        """The table is filling up to the selected file's row (see :meth:`refill`)."""
        return self._seeking is not None

    def _seek(self, refill: int) -> None:
        file = self._seeking
        if file is None or refill != self._refills or not self.is_attached:
            return  # found, given up, or a newer refill seeks on its own
        table = self.table
        if file in table.rows:
            self._seeking = None
            table.move_cursor(row=table.get_row_index(file))
        elif self._pending:
            self._add_rows(TABLE_CHUNK)
            self.call_after_refresh(self._seek, refill)  # one chunk per frame: sized and drawn in between
        else:
            self._seeking = None

    def cursor_file(self) -> str | None:
        table = self.table
        if table.cursor_row < 0 or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return str(key) if key is not None else None

    def toggle_mark(self) -> str | None:
        """Mark the row under the cursor, or take its mark off. At most two are marked: marking a third
        takes the mark off the first, whose file this returns."""
        file = self.cursor_file()
        if file is None:
            return None
        changed, dropped = [file], None
        if file in self.marked:
            self.marked.remove(file)
        else:
            self.marked.append(file)
            if len(self.marked) > 2:
                dropped = self.marked.pop(0)
                changed.append(dropped)
        table = self.table
        for f in changed:
            if f in table.rows:
                table.update_cell(f, "mark", self._mark_cell(f))
        return dropped

    # --- the detail pane ---------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#rows")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != self.table.cursor_row:
            return  # the cursor has moved on since (a refill puts it back on its file): that row's event follows
        if self._seeking is not None:
            if event.cursor_row == 0:
                return  # the refilled table's first row: the cursor is on its way to the selected file
            self._seeking = None  # the user moved the cursor: it stays where they put it
        self._top_up()  # the cursor near the end: more rows
        if event.row_key.value is not None and not self._detail_waits:
            file = str(event.row_key.value)
            self._chosen = self._chosen or file != self.selected
            self.show_detail(file)

    def detail_after_draw(self, then: Callable[[], object] | None = None) -> None:
        """Show the cursor's row in the detail pane once the table has drawn its rows, and call ``then`` once
        the detail pane is drawn too. The table first, the detail pane (it reads a file) after it: one drawing
        never waits for both. Meanwhile the rows the cursor passes are not opened; the detail shows the row the
        cursor is on when the table is drawn (while another tab is shown, when the table is shown again)."""
        self._detail_waits = True

        def drawn() -> None:
            self._detail_waits = False
            self._chosen = self.table.cursor_row > 0  # moved meanwhile by the user, or the view's own pick
            self.show_cursor_detail()
            if then is None or not self.is_attached:
                return
            if any(not view.is_mounted for view in self.query("#detail-verdict")):
                self._when_shown.append(then)  # a new verdict view: once it shows the verdict (_show_latest)
            else:
                self.call_after_refresh(then)

        self.table.after_drawn(drawn)

    def show_cursor_detail(self) -> None:
        if not self.is_attached:
            return  # called after a refresh, when the view may have closed
        file = self.cursor_file()
        if file is not None:
            self.show_detail(file)

    def clear_detail(self) -> None:
        self.selected = None
        self.query_one("#detail-title", Static).update(Text(t("compare.tui.no_rows_detail", lang=self.lang)))
        for view in self.query("#detail-verdict"):
            view.display = False

    def show_detail(self, file: str) -> None:
        row = self.find(file)
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
        title.update(self._detail_head(row))
        view = self._verdict_view()
        view.display = True
        view.show(verdict)
        if not view.is_mounted:  # just made: it shows what it was given once mounted (the latest verdict)
            view.call_later(self._show_latest, view)

    def _detail_head(self, row: Row) -> Text:
        head = Text()
        head.append(row.intervention or Path(row.file).name, "bold")
        head.append(f"\n{row.municipality}")
        head.append(f"\n{row.file}", "dim")
        if row.criteria_mismatch:
            mismatch = t("compare.tui.criteria_mismatch", lang=self.lang, recorded=row.criteria_version or "?",
                         loaded=row.loaded_version)
            head.append("\n" + mismatch, "bold red")
        if row.out_of_date:
            head.append("\n" + t("compare.tui.out_of_date", lang=self.lang, date=row.valid_until), "bold red")
        return head

    def _verdict_view(self) -> VerdictView:
        """The detail pane's verdict view, made with the first row shown (it is not needed before)."""
        found = self.query("#detail-verdict")
        if found:
            return found.first(VerdictView)
        view = VerdictView(self.criteria, self.lang, id="detail-verdict")
        self.query_one("#detail", VerticalScroll).mount(view)
        return view

    def _show_latest(self, view: VerdictView) -> None:
        if view.verdict is not None:
            view.show(view.verdict)
        waiting, self._when_shown = self._when_shown, []
        for callback in waiting:  # its parts are laid out in one refresh, drawn with the verdict in the next
            self.call_after_refresh(self.call_after_refresh, callback)
