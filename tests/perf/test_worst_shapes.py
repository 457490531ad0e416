"""The worst shapes the size limit admits, through ``validate``, ``classify`` and ``compare`` (slow: run with
``--run-slow``, or ``python -m tests.perf.test_worst_shapes`` for the table in docs/performance.md).

Each command runs as a user runs it, in its own process; its wall time and peak memory (``wait4``) are set
beside a baseline measured in the same run (the same command on one sample assessment), so the table says
what the shape itself costs on this machine today. The target: every shape within 2 s and 200 MB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.reliability import worst_shapes

TIME_LIMIT = 2.0
MEMORY_LIMIT_MB = 200


def _shapes(folder: Path) -> Iterator[tuple[str, Path, Path | None]]:
    """(name, file or folder, criteria folder or None)."""
    for count in (20_000, 60_000):
        path = folder / f"array_{count}.toml"
        path.write_text(worst_shapes.empty_tables(count), encoding="utf-8")
        yield f"a=[{{}},…] {count:,} on one line", path, None
    path = folder / "array_5mb.toml"
    path.write_text(worst_shapes.empty_tables((worst_shapes.LIMIT - 16) // 3), encoding="utf-8")
    yield "a=[{},…] filling 5 MB, one line", path, None
    path = folder / "risk_factors_30000.toml"
    path.write_text(worst_shapes.unknown_risk_factors(30_000), encoding="utf-8")
    yield "30,000 unknown risk factors, one line", path, None
    path = folder / "risk_factors_5mb.toml"
    path.write_text(worst_shapes.unknown_risk_factors(worst_shapes.LIMIT // 16), encoding="utf-8")
    yield "unknown risk factors filling 5 MB, one line", path, None
    path = folder / "headers_5mb.toml"
    path.write_text(worst_shapes.table_headers(), encoding="utf-8")
    yield f"{path.read_text().count(chr(10)):,} table headers (5 MB)", path, None
    path = folder / "keys_5mb.toml"
    path.write_text(worst_shapes.unknown_keys(), encoding="utf-8")
    yield f"{path.read_text().count(chr(10)):,} unknown keys, one per line (5 MB)", path, None
    criteria = worst_shapes.criteria_any(folder / "criteria_any", 30_000)
    yield "criteria: any of 30,000 references", SAMPLES / "ajb_rotterdam.toml", criteria


def _run(*args: str | Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of ``python -m kwaliteitskader ARGS``."""
    env = {**os.environ, "KWALITEITSKADER_LANG": "nl", "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kwaliteitskader", *map(str, args)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def _commands(target: Path, criteria: Path | None, folder: Path) -> dict[str, tuple[str | Path, ...]]:
    chosen: tuple[str | Path, ...] = ("--criteria", criteria) if criteria else ()
    portfolio = folder / f"portfolio_{target.stem}"
    portfolio.mkdir(exist_ok=True)
    shutil.copy(target, portfolio / target.name)
    shutil.copy(SAMPLES / "kapot_sterk_tilburg.toml", portfolio / "kapot_sterk_tilburg.toml")
    validated = criteria if criteria else target
    return {
        "validate": ("validate", validated),
        "classify": ("classify", *chosen, target),
        "compare": ("compare", portfolio, "--format", "csv", "--index", "off", *chosen),
    }


def measure(folder: Path) -> list[tuple[str, str, float, float, float]]:
    """(shape, command, seconds, MB, seconds of the baseline) per shape and command."""
    (folder / "base").mkdir(parents=True)
    sample = _commands(SAMPLES / "ajb_rotterdam.toml", None, folder / "base")
    baseline = {name: _run(*args)[0] for name, args in sample.items()}
    rows = []
    for shape, target, criteria in _shapes(folder):
        for name, args in _commands(target, criteria, folder).items():
            seconds, megabytes = _run(*args)
            rows.append((shape, name, seconds, megabytes, baseline[name]))
    return rows


def table(rows: list[tuple[str, str, float, float, float]]) -> str:
    lines = ["| shape | command | s | MB | baseline s |", "|---|---|---:|---:|---:|"]
    lines += [f"| {shape} | {name} | {s:.2f} | {mb:.0f} | {base:.2f} |" for shape, name, s, mb, base in rows]
    return "\n".join(lines)


def measure_from_a_fresh_process(folder: Path) -> list[tuple[str, str, float, float, float]]:
    """:func:`measure`, run by a new small Python process. On Linux a program's peak memory (``ru_maxrss``)
    includes the memory of the process it was started from, and a test worker that ran large tests before is
    large: started from it, every command would seem to use that much."""
    code = ("import json, sys; from pathlib import Path; from tests.perf.test_worst_shapes import measure; "
            "print(json.dumps(measure(Path(sys.argv[1]))))")
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900, check=True)
    return [tuple(row) for row in json.loads(done.stdout)]  # type: ignore[misc]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child needs wait4")
def test_the_worst_shapes_stay_within_two_seconds_and_200_mb(tmp_path: Path) -> None:
    rows = measure_from_a_fresh_process(tmp_path)
    print("\n" + table(rows))
    over = [(shape, name, round(s, 2), round(mb)) for shape, name, s, mb, _ in rows
            if s > TIME_LIMIT or mb > MEMORY_LIMIT_MB]
    assert over == []


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        print(table(measure(Path(scratch))))
