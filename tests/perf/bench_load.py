"""Benchmark: load N generated assessments (default 5,000) headless; report time and peak memory.

Not a test (no timing assertions in tests); run by hand:

    PYTHONPATH=$PWD python tests/perf/bench_load.py [N] [--workers 1|2] [--view]

The folder is generated on the fly in a temporary directory from the samples (varied municipality,
assessor and a few answers) and removed afterwards; thousands of files are never committed.
``--view`` measures the Textual view instead: time until the first rows are in the table, and until
all are.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_assessments"
MUNICIPALITIES = [
    "Almere", "Amersfoort", "Amsterdam", "Arnhem", "Breda", "Delft", "Den Bosch", "Den Haag", "Deventer", "Dordrecht",
    "Ede", "Eindhoven", "Enschede", "Groningen", "Haarlem", "Heerlen", "Helmond", "Hilversum", "Leeuwarden", "Leiden",
    "Lelystad", "Maastricht", "Nijmegen", "Oss", "Roermond", "Rotterdam", "Schiedam", "Tilburg", "Utrecht", "Venlo",
    "Vlaardingen", "Zaanstad", "Zoetermeer", "Zwolle",
]
TRI = ("ja", "nee", "onbekend")


def generate(folder: Path, count: int) -> None:
    """Write ``count`` assessments under ``folder`` in sub-folders per municipality, plus 1% broken files."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.toml"))]
    for i in range(count):
        m = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        text = texts[i % len(texts)]
        text = re.sub(r'(?m)^municipality = ".*"$', f'municipality = "{m}"', text)
        text = re.sub(r'(?m)^assessor = ".*"$', f'assessor = "Beoordelaar {i % 97}"', text)
        text = re.sub(r'(?m)^monitoring_plan = ".*"$', f'monitoring_plan = "{TRI[i % 3]}"', text)
        text = re.sub(r'(?m)^supervision = ".*"$', f'supervision = "{TRI[(i // 3) % 3]}"', text)
        if i % 100 == 99:
            text = text.replace("[intervention]", "[intervention\n", 1)  # broken on purpose
        sub = folder / m.lower().replace(" ", "-")
        sub.mkdir(exist_ok=True)
        (sub / f"beoordeling-{i:05d}.toml").write_text(text, encoding="utf-8")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_rss_mb() -> float:
    """Current RSS of this process's children (the pool's workers), from /proc (Linux)."""
    total = 0.0
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == me and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0]) / 1024
    return total


def bench_core(folder: Path, workers: int) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.portfolio.loading import iter_batches

    base = peak_mb()
    start = time.perf_counter()
    criteria = load_criteria()
    first = None
    rows = errors = 0
    workers_peak = 0.0
    for batch in iter_batches([folder], criteria, workers=workers):
        workers_peak = max(workers_peak, children_rss_mb())
        if first is None and batch.rows:
            first = time.perf_counter() - start
        rows += len(batch.rows)
        errors += len(batch.errors)
    total = time.perf_counter() - start
    print(f"core workers={workers}: {rows} rows, {errors} errors; first rows after {first:.2f} s, "
          f"all after {total:.2f} s; peak RSS {peak_mb():.0f} MB (at start {base:.0f} MB), "
          f"workers together {workers_peak:.0f} MB")


def bench_view(folder: Path, workers: int) -> None:
    from textual.widgets import DataTable

    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.portfolio.loading import start_pool
    from kwaliteitskader.tui.compare.app import CompareApp

    criteria = load_criteria()
    pool = start_pool(criteria, workers)  # before Textual's threads, as run_compare does

    async def main() -> None:
        start = time.perf_counter()
        app = CompareApp([folder], criteria, "nl", pool=pool)
        async with app.run_test(size=(160, 45)):
            screen = app.compare_screen
            first = None
            while screen.loading_rows:
                if first is None and screen.query_one("#rows", DataTable).row_count:
                    first = time.perf_counter() - start
                await asyncio.sleep(0.05)
            total = time.perf_counter() - start
            in_table = screen.query_one("#rows", DataTable).row_count
            print(f"view workers={workers}: first rows in the table after {first:.2f} s, "
                  f"all {len(screen.rows)} loaded ({in_table} in the table) after {total:.2f} s; "
                  f"peak RSS {peak_mb():.0f} MB")

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--view", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kk-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, args.count)
        print(f"generated {args.count} files in {time.perf_counter() - t0:.1f} s")
        if args.view:
            bench_view(folder, args.workers)
        else:
            bench_core(folder, args.workers)


if __name__ == "__main__":
    main()
