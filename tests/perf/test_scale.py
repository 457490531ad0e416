"""5,000 generated assessments (slow: run with --run-slow). Behaviour only; timings are measured by
``bench_load.py`` and reported, never asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import loading
from tests.conftest import ROOT, TODAY
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
    assert _peak_megabytes_of_loading(tmp_path) < 300


_LOAD_AND_REPORT_PEAK = """
import re, resource, sys
from pathlib import Path
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.portfolio import loading
from tests.conftest import TODAY
for _ in loading.iter_batches([Path(sys.argv[1])], load_criteria(), today=TODAY, workers=loading.default_workers()):
    pass
try:  # this process's own peak (ru_maxrss also counts the process it was started from)
    status = Path("/proc/self/status").read_text()
    print(int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1)) / 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _peak_megabytes_of_loading(folder: Path) -> float:
    """Peak memory of a new process that loads ``folder`` as the view does: this test worker may have run large
    tests before, so its own peak says nothing about loading."""
    done = subprocess.run([sys.executable, "-c", _LOAD_AND_REPORT_PEAK, str(folder)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600, check=True)
    return float(done.stdout.strip())
