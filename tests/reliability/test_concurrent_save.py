"""Two processes saving the same assessment at the same moment: one wins, the other gets ConflictError.

Both processes open the same version, wait for each other (a barrier), then save their own change with the
fingerprint they read. The check and the replacement happen under one lock: in every round exactly one save
succeeds, the other is told, and the file holds the winner's work. Were the check and the rename two steps,
both saves would "succeed" in nearly every round, the second silently replacing the first.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.assessments import ConflictError, save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import set_path
from tests.conftest import SAMPLES, repetitions

ROUNDS = repetitions(20, 200)  # the unlocked save failed in every round


def _saver(worker: int, path: str, barrier: Any, results: Any) -> None:
    target = Path(path)
    for round_ in range(ROUNDS):
        barrier.wait()  # the previous round is over and checked
        loaded = load_assessment(target)
        barrier.wait()  # both have read the same version
        mine = set_path(loaded.assessment, "intervention.provider", f"werker {worker} ronde {round_}")
        try:
            save_assessment(mine, target, expected=loaded.fingerprint)
            outcome = "saved"
        except ConflictError:
            outcome = "conflict"
        barrier.wait()  # both saves are done
        on_disk = load_assessment(target).assessment.intervention.provider if worker == 0 else ""
        results.put((round_, worker, outcome, on_disk))


@pytest.mark.repeated
@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_two_processes_saving_at_once_one_gets_a_conflict_and_nothing_is_lost(tmp_path: Path) -> None:
    target = tmp_path / "gedeeld.toml"
    target.write_bytes((SAMPLES / "kapot_sterk_tilburg.toml").read_bytes())
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2, timeout=60)
    results = context.Queue()
    workers = [context.Process(target=_saver, args=(n, str(target), barrier, results)) for n in (0, 1)]
    for process in workers:
        process.start()
    outcomes: dict[int, dict[int, tuple[str, str]]] = {}
    for _ in range(2 * ROUNDS):
        round_, worker, outcome, on_disk = results.get(timeout=120)
        outcomes.setdefault(round_, {})[worker] = (outcome, on_disk)
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    lost = []
    for round_, by_worker in sorted(outcomes.items()):
        saved = [w for w, (outcome, _) in by_worker.items() if outcome == "saved"]
        assert sorted(o for o, _ in by_worker.values()) == ["conflict", "saved"], (round_, by_worker)
        if by_worker[0][1] != f"werker {saved[0]} ronde {round_}":
            lost.append(round_)
    assert lost == []  # the file always holds the one save that was reported as done

