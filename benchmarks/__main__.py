"""``python -m benchmarks [--quick]``: measure kwaliteitskader against baselines and print a table.

Synthetic assessments are generated deterministically (fixed seed) in a temporary folder; every measure
runs ours and its baseline in fresh processes several times and compares medians. Prints a Markdown
table (measure, ours, baseline, ratio, target, pass/fail) ready to paste into docs/performance.md.
Exit status 0 even when a target is missed: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from benchmarks import measures
from benchmarks.synth import SEED, generate, spread


def machine() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            total_kb = int(handle.readline().split()[1])
        memory = f"{total_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = "RAM unknown"
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}, {platform.system()}"


def table(rows: list[measures.Row]) -> str:
    lines = ["| measure | ours | baseline | ratio | target | result |", "|---|---|---|---|---|---|"]
    for row in rows:
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
        lines.append(f"| {row.measure} | {row.ours} | {row.baseline} | {ratio} | {row.target} | {row.verdict} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer files and runs (a rough look in ~1 minute)")
    parser.add_argument("--files", type=int, default=None, help="assessments for validate/classify (default 10000)")
    parser.add_argument(
        "--compare-files", type=int, default=None, help="assessments for the compare view (default 5000)"
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per measure (median); default 11, quick 3")
    parser.add_argument(
        "--only", default="", help="comma-separated subset: startup,validate,classify,tui,compare,wizard,portfolio"
    )
    parser.add_argument(
        "--portfolio-files", type=int, default=None, help="assessments for the portfolio index (default 50000)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="generate into (and keep) this folder")
    args = parser.parse_args(argv)

    files = args.files or (1000 if args.quick else 10_000)
    compare_files = args.compare_files or (500 if args.quick else 5_000)
    runs = args.runs or (3 if args.quick else 11)
    heavy_runs = max(1, min(runs, 3))  # the many-file measures take seconds each
    wanted = set(filter(None, args.only.split(","))) or {
        "startup", "validate", "classify", "tui", "compare", "wizard", "portfolio"
    }
    portfolio_files = args.portfolio_files or (2000 if args.quick else 50_000)

    # as after an install (pip compiles the package): without this, every run in an environment with
    # PYTHONDONTWRITEBYTECODE=1 would compile our modules from source, while the baselines use compiled ones
    compileall.compile_dir(measures.ROOT / "kwaliteitskader", quiet=1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="kk-bench-"))
    try:
        print(f"# kwaliteitskader benchmark — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC", flush=True)
        print(f"machine: {machine()}")
        print("package byte-compiled first (as an install does), so no run pays for compiling our modules")
        folder = work / "assessments"
        needs_files = wanted & {"startup", "validate", "classify"}
        count = max(files if needs_files else 0, compare_files if "compare" in wanted else 0)
        existing = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        paths = existing if len(existing) == count else generate(folder, count, SEED)
        if count:  # the portfolio measures bring their own (cached) files
            print(
                f"data: {count} synthetic assessments (seed {SEED}); "
                f"classes of the first 300: {spread(paths, limit=300)}"
            )
        print(f"runs: median of {runs} (many-file measures: {heavy_runs})\n", flush=True)

        load_before = _load()
        rows: list[measures.Row] = _Progress()
        if "startup" in wanted:
            rows.append(measures.startup(paths[0], runs))
        subset = folder if files == count or not needs_files else _subset(work / f"first_{files}", paths[:files])
        for command in ("validate", "classify"):
            if command in wanted:
                rows += measures.throughput(command, subset, paths[:files], heavy_runs)
        if "tui" in wanted:
            rows.append(measures.tui_first_screen(runs))
        if "compare" in wanted:
            compare_folder = (
                folder if compare_files == count else _subset(work / f"first_{compare_files}", paths[:compare_files])
            )
            rows += measures.compare_view(compare_folder, compare_files, heavy_runs)
        if "wizard" in wanted:
            rows.append(measures.wizard_live_verdict(runs))
        if "portfolio" in wanted:
            from benchmarks import portfolio

            rows += portfolio.measure(portfolio_files, work, heavy_runs)
        print(f"load average before/after: {load_before} / {_load()} (other processes share the cores)\n")
        print(table(rows))
        missed = [r.measure for r in rows if r.ok is False]
        unavailable = [r.measure for r in rows if r.ok is None]
        print(
            f"\n{len(rows) - len(missed) - len(unavailable)} pass, {len(missed)} fail, {len(unavailable)} not available"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


class _Progress(list[measures.Row]):
    """Rows as they are measured, each also shown at once on stderr (the table comes at the end)."""

    def append(self, row: measures.Row) -> None:
        print(f"  {row.measure}: {row.ours} vs {row.baseline} → {row.verdict}", file=sys.stderr, flush=True)
        super().append(row)

    def __iadd__(self, rows: Iterable[measures.Row]) -> _Progress:  # type: ignore[override,misc]
        for row in rows:
            self.append(row)
        return self


def _subset(folder: Path, paths: list[Path]) -> Path:
    """A folder holding exactly ``paths`` (hard links where possible), for measures that take a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        target = folder / path.name
        if not target.exists():
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
    return folder


if __name__ == "__main__":
    sys.exit(main())
