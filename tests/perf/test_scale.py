"""5,000 generated assessments (slow: run with --run-slow). Behaviour only; timings are measured by
``bench_load.py`` and reported, never asserted."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import loading
from tests.conftest import TODAY
from tests.perf.bench_load import generate


@pytest.mark.slow
def test_five_thousand_files_stream_in_batches_with_every_error_listed(tmp_path: Path, criteria: Criteria) -> None:
    generate(tmp_path, 5000)
    broken = {str(p) for p in tmp_path.rglob("*.toml") if "[intervention\n" in p.read_text(encoding="utf-8")}
    progress: list[int] = []
    batches = list(loading.iter_batches([tmp_path], criteria, today=TODAY, workers=loading.default_workers(),
                                    progress=lambda done, total: progress.append(done)))
    rows = [r for b in batches for r in b.rows]
    errors = [e for b in batches for e in b.errors]
    assert len(rows) + len({e.file for e in errors}) == 5000
    assert {e.file for e in errors} == broken
    assert all(e.line for e in errors)
    assert len(batches[0].rows) + len(batches[0].errors) <= loading.FIRST_BATCH  # rows appear at once
    assert progress == sorted(progress) and progress[-1] == 5000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 < 300
