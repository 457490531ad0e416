"""The national portfolio (issue 17): 50,000 assessments, cold (no index) and warm (index, 1% changed).

- **Data**: :func:`cached_portfolio` generates the files once with :mod:`benchmarks.synth` (fixed seed) into
  the cache folder (``KWALITEITSKADER_CACHE``, default ``~/.cache/kwaliteitskader``; ``off``: a temporary
  folder) and links them into the run's own folder, so changing 1% of them never touches the cached copy.
- **compare --format csv**: cold (the index deleted before each run) against the TOML parser alone on the
  same cores (one process per core, every file), with ``tomllib`` and with ``rtoml`` (the one we read
  with); warm (1% of the files changed before each run) against the cold run. Peak memory of every run (the
  process and its worker processes).
- **the view**: :mod:`benchmarks.probes.compare` with an index, cold and warm: first rows, filters and sorts
  over all rows, the longest wait of the UI while loading, peak memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.measures import CLI, PROBES, PY, ROOT, Row, env, ms, reported
from benchmarks.synth import SEED, generate
from kwaliteitskader.core.portfolio.index import RACY_NS

PARALLEL_PARSE = """
import os, sys, importlib
from multiprocessing import Pool

loads = importlib.import_module(sys.argv[2]).loads

def parse(path):
    with open(path, "rb") as handle:
        loads(handle.read().decode("utf-8"))

if __name__ == "__main__":
    files = sorted(os.path.join(sys.argv[1], n) for n in os.listdir(sys.argv[1]) if n.endswith(".toml"))
    with Pool(len(os.sched_getaffinity(0))) as pool:
        pool.map(parse, files, chunksize=256)
"""


def _synth_key(count: int, seed: int) -> str:
    source = (Path(__file__).parent / "synth.py").read_bytes()
    criteria = sorted((ROOT / "criteria").rglob("*.toml"))
    digest = hashlib.sha256(source + b"".join(p.read_bytes() for p in criteria)).hexdigest()[:12]
    return f"synth-{seed}-{count}-{digest}"


def cached_portfolio(count: int, work: Path, seed: int = SEED) -> tuple[Path, bool]:
    """A folder of ``count`` generated assessments for this run (hard links into the cached copy), and
    whether the cached copy had to be generated first."""
    from kwaliteitskader.core.places import cache_dir

    cache = cache_dir()
    home = (cache / "benchmarks") if cache is not None else (work / "generated")
    source = home / _synth_key(count, seed)
    made = False
    if not (source / ".complete").is_file():
        shutil.rmtree(source, ignore_errors=True)
        partial = source.with_name(source.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        generate(partial, count, seed)
        (partial / ".complete").write_text("ok\n", encoding="ascii")
        partial.rename(source)
        made = True
        for old in home.glob("synth-*"):  # earlier generators or criteria: never used again
            if old != source:
                shutil.rmtree(old, ignore_errors=True)
    target = work / f"portfolio_{count}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in os.listdir(source):
        if name.endswith(".toml"):
            try:
                os.link(source / name, target / name)
            except OSError:
                shutil.copyfile(source / name, target / name)
    # linking sets each file's change time to now, and the index does not trust the size and times of a file
    # that changed less than RACY_NS before it was read: without this wait, the first warm run would read and
    # hash again every file linked in the seconds before the cold run read it, which a real portfolio, whose
    # files are days old, never does
    time.sleep(RACY_NS / 1e9)
    return target, made


def change_one_percent(folder: Path, run: int) -> int:
    """Change 1% of the files (another 1% each run) as a municipality would: a new answer, written as a
    new file (so a hard-linked cached copy stays as it was)."""
    files = sorted(folder.glob("*.toml"))
    changed = files[run % 100 :: 100]
    for path in changed:
        text = path.read_text(encoding="utf-8")
        text = text.replace("Synthetische beoordeling", f"Bijgewerkte beoordeling (ronde {run})", 1)
        text = text.replace('effect_direction = "positief"', 'effect_direction = "geen"', 1)
        fresh = path.with_name(f".{path.name}.new")
        fresh.write_text(text, encoding="utf-8")
        os.replace(fresh, path)
    return len(changed)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB, the largest of the process and the worker processes it waited for)."""
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and program
        cmd, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    with contextlib.suppress(Exception):
        process.wait(timeout=1)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:5])} … failed ({code}): {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def compare_csv(folder: Path, work: Path, runs: int) -> list[Row]:
    count = len(list(folder.glob("*.toml")))
    index = work / "portfolio-index.sqlite"
    command = [*CLI, "compare", str(folder), "--format", "csv", "--index", str(index)]

    def cold() -> tuple[float, float]:
        index.unlink(missing_ok=True)
        return timed(command)

    changed = 0

    def warm(run: int) -> tuple[float, float]:
        nonlocal changed
        if not index.is_file():
            timed(command)
        changed = change_one_percent(folder, run)
        return timed(command)

    # the baseline, "the TOML parser alone": the standard library's, and the one we read with (rtoml,
    # issue 12), which is several times quicker, so the second ratio is the harder one
    parsers = ("tomllib", "rtoml")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    colds, warms, classifies = [], [], []
    parses: dict[str, list[tuple[float, float]]] = {parser: [] for parser in parsers}
    for run in range(runs):  # interleaved, so a burst of load hits all of them
        colds.append(cold())
        # the "cold compare/classify": classify keeps no index, and explains every verdict in full
        classifies.append(timed([*CLI, "classify", str(folder)]))
        for parser in parsers:
            parses[parser].append(timed([PY, "-c", PARALLEL_PARSE, str(folder), parser]))
        warms.append(warm(run))
    cold_s, cold_mb = _medians(colds)
    warm_s, warm_mb = _medians(warms)
    label = f"compare --format csv, {count} files"
    classify_s, _ = _medians(classifies)
    rows = []
    for name, ours in ((f"{label}, cold (no index)", cold_s), (f"classify {count} files (text output), cold", classify_s)):
        for parser in parsers:
            parse_s, _ = _medians(parses[parser])
            baseline = f"{ms(parse_s)} ({parser} alone, {cores} processes)"
            rows.append(Row(name, ms(ours), baseline, ours / parse_s, "≤ 2.0×", ours / parse_s <= 2.0))
    return [
        *rows,
        Row(
            f"{label}, warm (index, {changed} changed)",
            ms(warm_s),
            f"{ms(cold_s)} (cold run)",
            warm_s / cold_s,
            "≤ 0.15×",
            warm_s / cold_s <= 0.15,
        ),
        Row(f"{label}: peak RSS cold / warm", f"{cold_mb:.0f} / {warm_mb:.0f} MB", "—", None, "≤ 300 MB",
            max(cold_mb, warm_mb) <= 300),
    ]


def view(folder: Path, work: Path, runs: int) -> list[Row]:
    count = len(list(folder.glob("*.toml")))
    index = work / "view-index.sqlite"
    probe = [PY, str(PROBES / "compare.py"), str(folder), "--index", str(index), "--interact"]
    colds: list[dict[str, float]] = []
    warms: list[dict[str, float]] = []
    for run in range(runs):
        index.unlink(missing_ok=True)
        colds.append(reported(probe))
        change_one_percent(folder, 50 + run)
        warms.append(reported(probe))

    def median(values: list[dict[str, float]], key: str) -> float:
        return statistics.median(v[key] for v in values) / 1000

    def worst(values: list[dict[str, float]], key: str) -> float:
        return max(v[key] for v in values) / 1000

    label = f"compare view, {count} files"
    cold_first, warm_first = median(colds, "first_rows_ms"), median(warms, "first_rows_ms")
    both = colds + warms
    filter_max, sort_max = worst(both, "filter_ms_max"), worst(both, "sort_ms_max")
    filter_median, sort_median = median(both, "filter_ms_median"), median(both, "sort_ms_median")
    rss = max(v["peak_rss_mb"] for v in both)
    return [
        Row(f"{label}, cold: first rows", f"{cold_first:.2f} s", f"all rows {median(colds, 'all_rows_ms'):.1f} s",
            None, "≤ 1 s", cold_first <= 1.0),
        Row(f"{label}, warm (1% changed): first rows", f"{warm_first:.2f} s",
            f"all rows {median(warms, 'all_rows_ms'):.1f} s", None, "≤ 1 s", warm_first <= 1.0),
        Row(f"{label}: a filter (slowest of {len(both) * 6})", ms(filter_max), f"median {ms(filter_median)}", None,
            "≤ 100 ms", filter_max <= 0.1),
        Row(f"{label}: a sort (slowest of {len(both) * 4})", ms(sort_max), f"median {ms(sort_median)}", None,
            "≤ 100 ms", sort_max <= 0.1),
        Row(f"{label}: longest UI wait while loading", ms(worst(both, "max_stall_ms")), "—", None, "—", True),
        Row(f"{label}: peak RSS", f"{rss:.0f} MB", "—", None, "≤ 300 MB", rss <= 300),
    ]


def measure(count: int, work: Path, runs: int, note: Callable[[str], None] = print) -> list[Row]:
    started = time.perf_counter()
    folder, made = cached_portfolio(count, work)
    note(
        f"portfolio: {count} assessments ({'generated now' if made else 'from the cache'}, "
        f"{time.perf_counter() - started:.0f} s)"
    )
    rows = compare_csv(folder, work, runs)
    rows += view(folder, work, runs)
    return rows
