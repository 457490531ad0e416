"""The benchmark runs from a clean checkout, prints every row, and judges each row by its own numbers
(tiny sizes; no timing is asserted: a missed target is a measurement, but a wrong verdict is a bug)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


_NUMBER = re.compile(r"([0-9][0-9.]*)\s*(×|ms|s|MB|files/s)")
_SCALE = {"ms": 0.001, "s": 1.0}


def _amounts(text: str) -> list[tuple[float, str]]:
    """The numbers in a cell with their units, times in seconds (``"241 / 148 MB"`` gives both sizes)."""
    found = [(float(n), unit) for n, unit in _NUMBER.findall(text)]
    if "/" in text and found:  # "a / b MB": the unit is written once, after the last number
        found = [(float(n), found[-1][1]) for n in re.findall(r"[0-9][0-9.]*", text)]
    return [(n * _SCALE.get(unit, 1.0), "s" if unit in _SCALE else unit) for n, unit in found]


def expected_result(ours: str, ratio: str, target: str) -> set[str]:
    """The result a row must show given its own cells: ``pass`` when the row's value is within the target.
    Values printed rounded that equal the target may go either way."""
    if target == "—":
        return {"pass"}
    (limit, unit), = _amounts(target)
    values = [n for n, u in _amounts(ratio if unit == "×" else ours) if u == unit]
    assert values, (ours, ratio, target)
    worst = min(values) if target.startswith("≥") else max(values)
    within = worst >= limit if target.startswith("≥") else worst <= limit
    if abs(worst - limit) <= limit * 0.01:
        return {"pass", "FAIL"}
    return {"pass" if within else "FAIL"}


def test_expected_result_reads_the_cells() -> None:
    assert expected_result("157 ms", "1.11×", "≤ 1.5×") == {"pass"}
    assert expected_result("157 ms", "1.61×", "≤ 1.5×") == {"FAIL"}
    assert expected_result("2149 files/s", "—", "≥ 5000 files/s") == {"FAIL"}
    assert expected_result("1.93 s", "—", "≤ 2 s") == {"pass"}
    assert expected_result("120 ms", "—", "≤ 100 ms") == {"FAIL"}
    assert expected_result("241 / 348 MB", "—", "≤ 300 MB") == {"FAIL"}
    assert expected_result("635 ms", "—", "—") == {"pass"}


@pytest.mark.slow
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
        _, _, ours, _, ratio, target, result, _ = (cell.strip() for cell in found[0].split("|"))
        assert result in expected_result(ours, ratio, target), found[0]  # "not available" is never right here
    assert "synthetic assessments (seed" in done.stdout
    assert "'stoppen'" in done.stdout  # the class spread is reported
