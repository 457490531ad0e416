"""The benchmark runs from a clean checkout and prints every row (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

MEASURES = [
    "classify 1 file (whole process)",
    "validate 12 files: throughput",
    "validate 12 files: time vs tomllib",
    "classify 12 files (text output): throughput",
    "classify 12 files (text output): time vs tomllib",
    "TUI first screen (headless, to first idle)",
    "compare view, 12 files: first rows",
    "compare view, 12 files: peak RSS",
    "wizard: answer change → live verdict",
    "compare --format csv, 30 files, cold (no index)",
    "classify 30 files (text output), cold",
    "compare --format csv, 30 files, warm (index, 1 changed)",
    "compare --format csv, 30 files: peak RSS",
    "compare view, 30 files, cold: first rows",
    "compare view, 30 files, warm (1% changed): first rows",
    "compare view, 30 files: a filter",
    "compare view, 30 files: a sort",
    "compare view, 30 files: peak RSS",
]


def test_benchmark_prints_every_row(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--files", "12", "--compare-files", "12", "--runs", "1",
         "--portfolio-files", "30"],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "KWALITEITSKADER_CACHE": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert table[0].split("|")[1:-1] == [" measure ", " ours ", " baseline ", " ratio ", " target ", " result "]
    rows = {line.split("|")[1].strip(): line for line in table[1:]}
    for measure in MEASURES:
        found = [row for name, row in rows.items() if name.startswith(measure)]
        assert found, f"missing row {measure!r} in:\n{done.stdout}"
        assert found[0].rstrip(" |").rsplit("|", 1)[1].strip() in ("pass", "FAIL", "not available")
    assert "synthetic assessments (seed" in done.stdout
    assert "'stoppen'" in done.stdout  # the class spread is reported
