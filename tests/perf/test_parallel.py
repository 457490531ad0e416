"""The one worker pool (core/parallel.py) for validate, classify and compare: results in input order, state
handed to each worker explicitly, no item lost when a worker fails or dies, KWALITEITSKADER_JOBS honoured."""

from __future__ import annotations

import ast
import os

import pytest

from kwaliteitskader.core import parallel
from kwaliteitskader.core.parallel import MIN_FILES, WorkerPool, in_order, jobs
from kwaliteitskader.core.portfolio import loading
from tests.conftest import ROOT

PARENT = os.getpid()


def _square_with_pid(offset: int, item: int) -> tuple[int, int]:
    return item * item + offset, os.getpid()


def _dies_in_a_worker(_state: None, item: int) -> int:
    if item == 7 and os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-chunk (out of memory, a signal …)
    return item


def _fails_in_a_worker(_state: None, item: int) -> int:
    if item == 5 and os.getpid() != PARENT:
        raise RuntimeError("only in a worker")
    return -item


def _raises(_state: None, item: int) -> int:
    if item == 3:
        raise ValueError("bad item")
    return item


def test_many_items_go_to_workers_in_order_with_their_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KWALITEITSKADER_JOBS", "2")
    items = list(range(MIN_FILES + 50))
    results = list(in_order(_square_with_pid, 1000, items))
    assert [value for value, _ in results] == [i * i + 1000 for i in items]  # in order, state passed explicitly
    pids = {pid for _, pid in results}
    assert PARENT not in pids and len(pids) == 2


@pytest.mark.parametrize("count", [0, 1, 15, 200, 1_000, 1_100, 50_001])
@pytest.mark.parametrize("size", [1, 16, 256])
def test_the_last_chunks_are_smaller_and_every_item_is_sent_once_in_order(count: int, size: int) -> None:
    items = list(range(count))
    chunks = parallel.tapered(items, size, workers=2)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(chunk for chunk in chunks)
    assert all(len(chunk) <= size for chunk in chunks)
    smallest = min(size, 16)  # never smaller than this (a chunk costs a message each way), but for the very last
    assert all(len(chunk) >= smallest for chunk in chunks[:-1])
    if count >= 10 * size and size >= 64:
        assert len(chunks[0]) == size  # the bulk in whole chunks
        # at the end, as much as the workers hold at once in chunks a quarter of the size
        assert [len(chunk) for chunk in chunks[-8:-1]] == [size // 4] * 7


def test_few_items_stay_in_this_process() -> None:
    results = list(in_order(_square_with_pid, 0, list(range(MIN_FILES - 1))))
    assert {pid for _, pid in results} == {PARENT}


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), ("3", 3), ("", None), ("x", None)])
def test_the_number_of_workers_follows_kwaliteitskader_jobs(
    monkeypatch: pytest.MonkeyPatch, setting: str, expected: int | None
) -> None:
    monkeypatch.setenv("KWALITEITSKADER_JOBS", setting)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    wanted = expected if expected is not None else cores
    assert parallel.worker_count() == wanted
    assert loading.default_workers() == wanted  # compare uses the same setting
    assert jobs(MIN_FILES - 1) == 1
    assert jobs(10_000) == wanted


def test_a_dead_worker_loses_no_item() -> None:
    with WorkerPool(_dies_in_a_worker, None, 2) as pool:
        assert list(pool.map(list(range(40)), 4)) == list(range(40))
        assert pool.size == 1  # the dead one takes no more work
        assert list(pool.map(list(range(40)), 4)) == list(range(40))  # and the pool goes on


def test_a_chunk_that_fails_in_a_worker_is_done_here() -> None:
    with WorkerPool(_fails_in_a_worker, None, 2) as pool:
        assert list(pool.map(list(range(20)), 3)) == [-i for i in range(20)]


def test_an_error_of_the_work_itself_reaches_the_caller() -> None:
    with WorkerPool(_raises, None, 2) as pool, pytest.raises(ValueError, match="bad item"):
        list(pool.map(list(range(10)), 2))


def test_an_abandoned_map_does_not_confuse_the_next() -> None:
    with WorkerPool(_square_with_pid, 0, 2) as pool:
        first = pool.map(list(range(100)), 5)
        assert next(first)[0] == 0
        first.close()  # the caller stopped reading: its answers still in flight are dropped
        assert [v for v, _ in pool.map(list(range(30)), 5)] == [i * i for i in range(30)]


@pytest.mark.parametrize("module", ["core/parallel.py", "core/portfolio/loading.py", "cli/classify.py", "core/io/validate.py"])
def test_no_worker_state_in_module_globals(module: str) -> None:
    """Worker state used to live in module globals (``_WORKER_CRITERIA``, ``_classify_state``, ``_reference``)."""
    tree = ast.parse((ROOT / "kwaliteitskader" / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not isinstance(node, ast.Global), f"{module}:{node.lineno}: global statement"
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict | ast.List | ast.Set):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = target.id if isinstance(target, ast.Name) else ""
            assert not name.startswith("_"), f"{module}:{node.lineno}: module-level mutable {name}"


def test_closing_the_pool_while_a_map_runs_loses_no_item() -> None:
    """The compare view closes its pool when it quits, maybe while rows are still loading in a thread."""
    pool = WorkerPool(_square_with_pid, 0, 2)
    results = pool.map(list(range(60)), 3)
    first = [next(results)[0] for _ in range(5)]
    pool.close()
    assert first + [value for value, _ in results] == [i * i for i in range(60)]


def _niceness(_state: None, _item: int) -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="process priorities are a Unix notion")
def test_workers_run_at_the_asked_lower_priority() -> None:
    """The compare view's workers yield the processor to the view: a pool started with ``nice`` runs its
    workers that much lower, and the calling process stays as it was."""
    own = os.nice(0)
    with WorkerPool(_niceness, None, 2, nice=5) as pool:
        assert set(pool.map([1, 2, 3, 4])) == {min(19, own + 5)}
    assert os.nice(0) == own
