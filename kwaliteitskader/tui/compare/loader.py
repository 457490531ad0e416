"""Loading the view's rows in a Textual thread worker that posts them to the view batch by batch.

The worker finds the files, opens the portfolio index (when the view has one), reads and judges the files
through :func:`~kwaliteitskader.core.portfolio.loading.iter_batches` and posts every batch as a
:class:`RowsArrived` message: the view adds it on the UI thread, between other events, so the first rows
show at once and keys keep working while the rest load. After each batch the worker waits until the view
has taken it in (:class:`Handshake`), so it never reads ahead while the view draws. The worker also keeps a :class:`RowSet` of
everything it loaded and, at the end, works out every column's order and the text filter's haystacks in
it; :class:`RowsReady` hands that set over, after which the worker no longer touches it. Sorting and
filtering all rows is then a lookup on the UI thread.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.index import open_index
from kwaliteitskader.core.portfolio.loading import Batch, ComparePool, iter_batches
from kwaliteitskader.core.portfolio.rowset import RowSet
from kwaliteitskader.core.portfolio.table import COLUMNS


class RowsArrived(Message):
    """One batch of rows (and of files that could not be used), in file order."""

    def __init__(self, batch: Batch) -> None:
        super().__init__()
        self.batch = batch


class RowsReady(Message):
    """All rows are loaded; ``rowset`` holds them, with every column's order and the haystacks prepared."""

    def __init__(self, rowset: RowSet) -> None:
        super().__init__()
        self.rowset = rowset


DETAIL_WAIT = 0.3
"""Seconds the worker waits at most for the detail pane after the table is drawn (see :class:`Handshake`)."""


class Handshake:
    """The worker's wait for the view: after posting a batch the worker waits until the view has taken it in,
    and drawn it when the batch changed what the table shows; after the first rows also until the detail
    pane shows the first of them (it reads that file and draws a view of its own), for at most
    :data:`DETAIL_WAIT` seconds (the table may not be drawn at all while another tab is shown). Reading and
    judging the next batch holds the interpreter, so without this wait it would compete with the view's
    drawing and keys would wait for both. Before it posts, the worker waits until the view is mounted
    (:meth:`mounted`): it may start while Textual is still starting up, and a message can only be posted to
    a view that belongs to the app. Once the view closes (or its app ends before it is shown) the worker no
    longer waits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._taken = threading.Event()
        self._detail = threading.Event()
        self._detail.set()
        self._mounted = threading.Event()
        self._closed = False

    def mounted(self) -> None:
        """The view is mounted: the worker may post to it."""
        self._mounted.set()

    def wait_for_view(self) -> bool:
        """Wait until the view is mounted (at once when it is); False once it is closed (or its app ended)."""
        self._mounted.wait()
        with self._lock:
            return not self._closed

    def posting(self) -> None:
        """The worker is about to post a batch: from now on it waits for :meth:`taken_in`."""
        with self._lock:
            if not self._closed:
                self._taken.clear()

    def wait(self) -> None:
        self._taken.wait()
        self._detail.wait(DETAIL_WAIT)

    def expect_detail(self) -> None:
        """The view is about to show a row of this batch in the detail pane: the worker also waits for
        :meth:`detail_shown`."""
        with self._lock:
            if not self._closed:
                self._detail.clear()

    def taken_in(self) -> None:
        """The view has the batch (and drew it, if needed)."""
        self._taken.set()

    def detail_shown(self) -> None:
        """The detail pane shows (and drew) the row the view waited for."""
        self._detail.set()

    def close(self) -> None:
        """The view draws nothing more: the worker never waits again."""
        with self._lock:
            self._closed = True
            self._mounted.set()
            self._taken.set()
            self._detail.set()


@dataclass(frozen=True)
class Source:
    """What the view loads: its paths under its criteria, and how."""

    paths: list[Path]
    criteria: Criteria
    today: dt.date | None
    batch_size: int
    pool: ComparePool | None
    """Worker processes started before the UI (a thread of the UI must never fork them itself)."""
    index: str | Path | None
    """``--index``: a file, ``off``, or None for the cache folder's index (:mod:`core.portfolio.index`)."""


def load_rows(view: MessagePump, source: Source, sort_column: str, handshake: Handshake) -> None:
    """Run in a thread worker: post the rows of ``source`` to ``view``, then the prepared set.

    It posts once ``view`` is mounted, and after each batch waits until ``view`` has taken it in (see
    :class:`Handshake`). Stops, without posting more, as soon as the view is closed or the worker cancelled."""
    worker = get_current_worker()
    rowset = RowSet(source.criteria)
    index = open_index(source.paths, source.index)
    try:
        batches = iter_batches(
            source.paths, source.criteria, today=source.today, batch_size=source.batch_size, workers=1,
            pool=source.pool, index=index,
        )
        for batch in batches:
            if worker.is_cancelled or not handshake.wait_for_view():
                return
            rowset.extend(batch.rows)
            handshake.posting()
            view.post_message(RowsArrived(batch))
            handshake.wait()
    finally:
        if index is not None:
            index.close()
    # the view's current column first: it is the one shown when the rows are ready
    for column in dict.fromkeys((sort_column, *COLUMNS)):
        if worker.is_cancelled:
            return
        rowset.order(column)
    rowset.prepare_text()
    if not worker.is_cancelled and handshake.wait_for_view():
        view.post_message(RowsReady(rowset))
