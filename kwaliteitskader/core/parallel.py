"""One worker pool for ``validate``, ``classify`` and ``compare``: many independent files over the cores.

Each file is read and judged on its own, so worker processes can share the work; results always come
back in input order. Few files (fewer than :data:`MIN_FILES`) or one core run in the calling process,
so a single file is never slowed down by starting workers. ``KWALITEITSKADER_JOBS=1`` turns the workers
off; ``KWALITEITSKADER_JOBS=N`` sets their number (default: the cores this process may use).

No module-level state: a :class:`WorkerPool` hands every worker process its ``state`` (e.g. the loaded
criteria) once, as an argument of the worker's loop, and the work function receives it explicitly:
``work(state, item)``. With ``fork`` (Linux) workers start in milliseconds with everything already
imported and the state inherited; elsewhere the state is pickled once per worker.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

MIN_FILES = 200
"""Below this many files starting workers costs more than it saves."""

_IN_FLIGHT = 2
"""Tasks sent ahead to each worker, so that it never waits for the next one."""

PARENT_CHECK_SECONDS = 0.5
"""How often an idle worker checks that the process that started it is still there: a worker whose parent
died (``kill -9``, SIGTERM, a crash) ends within this time instead of waiting for work for ever."""


def usable_cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worker_count() -> int:
    """The workers wanted: ``KWALITEITSKADER_JOBS`` if set to a number ≥ 1, else the usable cores."""
    setting = os.environ.get("KWALITEITSKADER_JOBS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    return usable_cores()


def jobs(count: int) -> int:
    """How many worker processes to use for ``count`` files (1 means: no workers)."""
    if count < MIN_FILES:
        return 1
    return max(1, min(worker_count(), count // (MIN_FILES // 2)))


def _serve(work: Callable[[Any, Any], Any], state: Any, lang: str, conn: Connection, parent: int = 0,
           inherited: Sequence[Connection] = (), nice: int = 0) -> None:
    """A worker's loop: answer ``(generation, index, items)`` with ``(generation, index, results)``.

    It ends when the pool sends None, when its pipe ends, or when process ``parent`` is gone. A forked worker
    first closes ``inherited``, the parent's ends of its own and the other workers' pipes, which fork copied:
    while any of them is open in a worker, that pipe never ends (and a worker of a killed parent would wait on
    it for ever); the check of the parent catches what other processes still hold."""
    from kwaliteitskader.core.i18n import set_language

    for end in inherited:
        with contextlib.suppress(OSError):
            end.close()

    set_language(lang)  # findings are worded in the caller's language
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    while True:
        try:
            while not conn.poll(PARENT_CHECK_SECONDS):
                if parent and os.getppid() != parent:
                    return  # the parent died: nobody will read an answer
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        generation, index, items = task
        try:
            results = [work(state, item) for item in items]
        except Exception:
            results = None
        try:
            conn.send((generation, index, results))
        except OSError:  # the parent is gone
            return
        del results


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.sent: list[tuple[int, int]] = []  # (generation, chunk index) of the tasks it has not answered


class WorkerPool(Generic[S, T, R]):
    """Worker processes that each hold ``state`` and compute ``work(state, item)``.

    :meth:`map` gives the results in input order. A chunk whose worker fails or dies is done in the
    calling process instead, so no item is ever lost. Use as a context manager, or call :meth:`close`.
    Only one :meth:`map` runs at a time; a second one meanwhile (another thread) runs in its own thread
    of control without the workers. ``nice``: the workers run at this much lower priority (Unix), so that
    the process that started them (an interactive view) gets the processor first."""

    def __init__(self, work: Callable[[S, T], R], state: S, workers: int, *, nice: int = 0) -> None:
        import multiprocessing

        from kwaliteitskader.core.i18n import language

        self.work = work
        self.state = state
        self._lock = threading.Lock()
        self._generation = 0
        # fork where available: workers start in milliseconds with everything already imported
        fork = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        for _ in range(max(1, workers)):
            parent, child = context.Pipe()
            # a forked worker closes the parent's pipe ends it got a copy of (spawn copies none)
            inherited = [*(w.conn for w in self._workers), parent] if fork else []
            process = context.Process(
                target=_serve, args=(work, state, language(), child, os.getpid(), inherited, nice), daemon=True
            )
            process.start()
            child.close()
            self._workers.append(_Worker(process, parent))

    @property
    def size(self) -> int:
        return len(self._workers)

    def map(self, items: Sequence[T], chunksize: int = 1) -> Iterator[R]:
        """``work(state, item)`` for every item, in order."""
        chunks = [list(items[i : i + chunksize]) for i in range(0, len(items), max(1, chunksize))]
        for results in self.map_chunks(chunks):
            yield from results

    def map_chunks(self, chunks: Sequence[list[T]]) -> Iterator[list[R]]:
        """The results of each chunk of items, chunk by chunk in order."""
        if not self._lock.acquire(blocking=False):  # the workers are busy for another caller
            for chunk in chunks:
                yield self._here(chunk)
            return
        try:
            yield from self._run(chunks)
        finally:
            self._lock.release()

    def _here(self, chunk: list[T]) -> list[R]:
        return [self.work(self.state, item) for item in chunk]

    def _run(self, chunks: Sequence[list[T]]) -> Iterator[list[R]]:
        from multiprocessing.connection import wait

        self._generation += 1
        generation = self._generation
        waiting = list(range(len(chunks)))[::-1]  # chunk indexes not sent yet, next one last
        done: dict[int, list[R] | None] = {}
        next_out = 0

        def feed(worker: _Worker) -> None:
            while waiting and sum(1 for g, _ in worker.sent if g == generation) < _IN_FLIGHT:
                index = waiting.pop()
                worker.sent.append((generation, index))
                try:
                    worker.conn.send((generation, index, chunks[index]))
                except (OSError, ValueError):  # a dead worker: its chunks are done here
                    self._lost(worker, generation, done)
                    return

        for worker in list(self._workers):
            feed(worker)
        while next_out < len(chunks):
            if next_out in done:
                results = done.pop(next_out)
                yield results if results is not None else self._here(chunks[next_out])
                next_out += 1
                continue
            busy = [w for w in self._workers if w.sent]
            if not busy:  # no worker left (or the pool was closed): the rest here
                waiting.clear()
                for index in range(next_out, len(chunks)):
                    done.setdefault(index, None)
                continue
            try:
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            except (OSError, ValueError):  # the pool was closed meanwhile (the view quit): the rest here
                for worker in busy:
                    self._lost(worker, generation, done)
                continue
            for worker in busy:
                if worker.conn in ready:
                    if self._receive(worker, generation, done):
                        feed(worker)
                elif worker.process.sentinel in ready:
                    self._lost(worker, generation, done)

    def _receive(self, worker: _Worker, generation: int, done: dict[int, list[R] | None]) -> bool:
        """Take one answer from a worker that has one ready; an answer of an earlier generation (a run its
        caller stopped reading) is dropped. False when the worker died instead, so it is fed no more."""
        try:
            answer_generation, index, results = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker, generation, done)
            return False
        worker.sent.remove((answer_generation, index))
        if answer_generation == generation:
            done[index] = results
        return True

    def _lost(self, worker: _Worker, generation: int, done: dict[int, list[R] | None]) -> None:
        """A worker died: its unanswered chunks are done here, and it takes no more work."""
        for answer_generation, index in worker.sent:
            if answer_generation == generation:
                done[index] = None
        worker.sent.clear()
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker in self._workers:
            self._workers.remove(worker)

    def close(self) -> None:
        """Stop the workers (they finish the chunk they are on)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):  # already gone
                worker.conn.send(None)
            with contextlib.suppress(OSError):
                worker.conn.close()
        for worker in workers:
            worker.process.join(timeout=1)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=1)

    def __enter__(self) -> WorkerPool[S, T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def in_order(work: Callable[[S, T], R], state: S, items: Sequence[T]) -> Iterator[R]:
    """``work(state, item)`` for every item, in order; in worker processes when there are many items."""
    workers = jobs(len(items))
    if workers <= 1:
        yield from (work(state, item) for item in items)
        return
    chunk = max(16, min(256, len(items) // (workers * 8)))
    with WorkerPool(work, state, workers) as pool:
        for results in pool.map_chunks(tapered(items, chunk, workers)):
            yield from results


def tapered(items: Sequence[T], size: int, workers: int) -> list[list[T]]:
    """``items`` in chunks of ``size``, the last ones smaller: what the workers hold at the end is split finer,
    so that one worker is not still busy with a whole chunk (0.15 s of 256 classified files) while the others
    have nothing left to do."""
    small = min(size, max(16, size // 4))  # a chunk also costs a message each way and a collector pass
    head = max(0, len(items) - workers * _IN_FLIGHT * size)
    head -= head % size  # whole chunks, then the small ones
    chunks = [list(items[i : i + size]) for i in range(0, head, size)]
    chunks += [list(items[i : i + small]) for i in range(head, len(items), small)]
    return chunks

