"""core/heap.py: the rows of a portfolio are kept from the cycle collector while they are being loaded,
and handed back afterwards (issue 17)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.parallel import WorkerPool
from kwaliteitskader.core.portfolio import loading
from tests.conftest import TODAY


def test_load_rows_settles_each_batch_and_releases_at_the_end(
    samples: Path, criteria: Criteria, monkeypatch: object
) -> None:
    frozen: list[int] = []
    real = loading.heap.settle

    def settle() -> None:
        real()
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(loading.heap, "settle", settle)  # type: ignore[attr-defined]
    result = loading.load_rows([samples], criteria, today=TODAY)
    assert result.rows
    assert len(frozen) >= 1 and all(count > 0 for count in frozen)
    assert gc.get_freeze_count() == 0  # released: what became garbage meanwhile can be collected


def test_load_rows_releases_even_when_loading_fails(samples: Path, criteria: Criteria, monkeypatch: object) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        yield loading.Batch([], [], 0, 1)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(loading, "iter_batches", broken)  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        loading.load_rows([samples], criteria, today=TODAY)
    assert gc.get_freeze_count() == 0


def test_the_same_rows_with_and_without_settling(samples: Path, criteria: Criteria, monkeypatch: object) -> None:
    settled = loading.load_rows([samples], criteria, today=TODAY).rows
    monkeypatch.setattr(loading.heap, "settle", lambda: None)  # type: ignore[attr-defined]
    assert loading.load_rows([samples], criteria, today=TODAY).rows == settled


def _frozen_in_worker(_state: object, _item: object) -> int:
    return gc.get_freeze_count()


def test_worker_processes_keep_what_they_inherited_from_the_collector() -> None:
    pool = WorkerPool(_frozen_in_worker, None, 2)
    try:
        assert all(count > 0 for count in pool.map([1, 2, 3, 4]))
    finally:
        pool.close()
    assert gc.get_freeze_count() == 0  # the parent is untouched


def test_paused_turns_the_collector_off_and_back_as_it_was() -> None:
    from kwaliteitskader.core import heap

    assert gc.isenabled()
    with heap.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), heap.paused():
        raise RuntimeError("a failing lookup")
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.paused():
            pass
        assert not gc.isenabled()  # someone else turned it off: left off
    finally:
        gc.enable()


def test_renew_collects_what_freezing_kept_and_freezes_what_is_alive() -> None:
    """A cycle alive at a freeze and dropped after it is never collected while frozen; renew collects it,
    and what is still alive is out of the collector's sight again."""
    import weakref

    class Node:
        pass

    def cycle() -> Node:
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        return a

    from kwaliteitskader.core import heap

    try:
        dropped, kept = cycle(), cycle()
        gone = weakref.ref(dropped)
        heap.settle()
        del dropped
        gc.collect()
        assert gone() is not None  # frozen: the collector does not see it
        heap.renew()
        assert gone() is None
        assert gc.get_freeze_count() > 0 and kept.other.other is kept  # type: ignore[attr-defined]
    finally:
        heap.release()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _tidy_probe(state: dict[str, list[object]], _item: object) -> tuple[int, int]:
    """Keeps one object (as a cache would) and drops one cycle per item; says how much is settled and how
    many of the earlier items' cycles are gone."""
    import weakref

    dropped = state["dropped"]
    gone = sum(1 for ref in dropped if ref() is None)
    state["kept"].append([object()])
    dropped.append(weakref.ref(_Cycle()))
    return gc.get_freeze_count(), gone


def test_a_worker_settles_what_a_chunk_leaves_alive_and_collects_its_garbage_first() -> None:
    """Between chunks a worker collects the garbage (cycles included) and settles the rest, so the collector's
    full passes do not walk its growing caches again; nothing unreachable is settled (kept for good)."""
    gc.disable()  # in the worker too (forked): only the worker's own tidying collects
    try:
        pool = WorkerPool(_tidy_probe, {"kept": [], "dropped": []}, 1)
    finally:
        gc.enable()
    try:
        answers = list(pool.map(list(range(5)), chunksize=1))
    finally:
        pool.close()
    counts = [count for count, _gone in answers]
    assert counts == sorted(counts) and counts[-1] > counts[0]  # each chunk's survivors settled
    assert [gone for _count, gone in answers] == [0, 1, 2, 3, 4]  # every earlier cycle collected, none kept
    assert gc.get_freeze_count() == 0  # the parent is untouched


def test_judging_and_explaining_an_assessment_leaves_no_garbage_for_the_collector(samples: Path) -> None:
    """Everything made for one assessment is freed by its reference counts as soon as it is no longer used:
    no reference cycle waits for the cycle collector, holding the assessment and its verdict meanwhile. (A
    closure calling itself was such a cycle: each explained verdict stayed alive until the next pass.)"""
    from benchmarks.synth import generate
    from kwaliteitskader.core.io.load import load_assessment, load_criteria
    from kwaliteitskader.core.rules.engine import evaluate
    from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text

    criteria = load_criteria(light=True)  # as classify loads them
    # the samples, and varied generated answers: decided and provisional verdicts, every class, open questions
    files = sorted(samples.glob("*.toml")) + generate(samples / "generated", 60, seed=5)

    def explain(trace: bool) -> int:
        made = 0
        for file in files:
            loaded = load_assessment(file, light=True)
            verdict = evaluate(loaded.assessment, criteria, conditions=trace)
            made += len(verdict_text(verdict, criteria, "nl", trace=trace, assessment=loaded.assessment, safe=True))
            made += len(verdict_dict(verdict, criteria, "en", assessment=loaded.assessment))
        return made

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        explain(True)  # the kept texts and decisions are made once: what stays is no garbage
        gc.collect()
        for trace in (False, True):
            assert explain(trace) > 0
            assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
