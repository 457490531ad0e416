"""The measures: each runs our program and a baseline in fresh processes, several times, and compares medians.

Everything is measured in the same run on the same machine, so the ratios mean something even on a busy
or slow machine; absolute numbers (files per second) are printed too, because one target is absolute.
Runs of ours and of the baseline are interleaved, so that a burst of load on the machine hits both.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBES = Path(__file__).resolve().parent / "probes"


@dataclass
class Row:
    measure: str
    ours: str
    baseline: str
    ratio: float | None
    target: str
    ok: bool | None  # None: could not be measured (the row says why)

    @property
    def verdict(self) -> str:
        return "not available" if self.ok is None else ("pass" if self.ok else "FAIL")


def env() -> dict[str, str]:
    """Run the program from this checkout (not from an installed copy), in Dutch, without colours."""
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""),
        "KWALITEITSKADER_LANG": "nl",
        "NO_COLOR": "1",
    }


def wall(cmd: Sequence[str], *, cwd: Path = ROOT) -> float:
    """Seconds for one whole process, output discarded; a failing command is an error (not a fast run)."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and program
        list(cmd), cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: findings (validate) are a normal outcome
        raise RuntimeError(f"{' '.join(cmd[:4])} … failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def reported(cmd: Sequence[str], *, cwd: Path = ROOT) -> dict[str, float]:
    """Run a probe that prints ``name=value`` lines (milliseconds, megabytes) and return them."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and probe scripts
        list(cmd), cwd=cwd, env=env(), capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"probe {' '.join(cmd[1:3])} failed ({done.returncode}): {done.stderr[-2000:]}")
    values = {}
    for line in done.stdout.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            values[name.strip()] = float(value)
    return values


def interleaved(ours: Callable[[], float], base: Callable[[], float], runs: int) -> tuple[float, float]:
    """Medians of ``runs`` alternating runs of each (after one warm-up run each, for the file cache and
    the criteria cache; a single run, as in the smoke test, goes without)."""
    if runs > 1:
        ours()
        base()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(ours())
        b.append(base())
    return statistics.median(a), statistics.median(b)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


PY = sys.executable
CLI = [PY, "-m", "kwaliteitskader"]


def startup(one_file: Path, runs: int) -> Row:
    ours, base = interleaved(
        lambda: wall([*CLI, "classify", str(one_file)]),
        lambda: wall([PY, "-c", "import tomllib, pydantic"]),
        runs,
    )
    ratio = ours / base
    return Row(
        "classify 1 file (whole process)",
        ms(ours),
        ms(base) + " (import tomllib, pydantic)",
        ratio,
        "≤ 1.5×",
        ratio <= 1.5,
    )


BARE_PARSE = "import sys, tomllib\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f:\n        tomllib.load(f)\n"


def throughput(command: str, folder: Path, files: list[Path], runs: int) -> list[Row]:
    """``validate FOLDER`` or ``classify FILES…`` against a bare tomllib parse of the same files."""
    names = [str(p) for p in files]
    target = [str(folder)] if command == "validate" else names
    ours, base = interleaved(
        lambda: wall([*CLI, command, *target]),
        lambda: wall([PY, "-c", BARE_PARSE, *names]),
        runs,
    )
    n = len(files)
    rate, base_rate = n / ours, n / base
    ratio = ours / base
    label = f"{command} {n} files" + (" (text output)" if command == "classify" else "")
    return [
        Row(
            f"{label}: throughput",
            f"{rate:.0f} files/s",
            f"{base_rate:.0f} files/s (bare tomllib)",
            None,
            "≥ 5000 files/s",
            rate >= 5000,
        ),
        Row(f"{label}: time vs tomllib", ms(ours), ms(base) + " (bare tomllib)", ratio, "≤ 3.0×", ratio <= 3.0),
    ]


def probe_available(name: str) -> str | None:
    """Why a probe cannot run (the part of the program it measures is missing), or None."""
    needs = {
        "tui_first_screen": ("kwaliteitskader/tui/app.py",),
        "wizard_live_verdict": ("kwaliteitskader/tui/app.py",),
        "compare_first_rows": ("kwaliteitskader/core/portfolio/loading.py",),  # the probe uses the view when it exists
    }[name]
    missing = [n for n in needs if not (ROOT / n).exists()]
    return f"not available: {', '.join(missing)} missing" if missing else None


def not_available(measure: str, target: str, why: str) -> Row:
    return Row(measure, why, "—", None, target, None)


def tui_first_screen(runs: int) -> Row:
    measure, target = "TUI first screen (headless, to first idle)", "≤ 1.5×"
    why = probe_available("tui_first_screen")
    if why:
        return not_available(measure, target, why)
    script = str(PROBES / "tui.py")
    ours, base = interleaved(
        lambda: reported([PY, script, "app"])["first_idle_ms"] / 1000,
        lambda: reported([PY, script, "minimal"])["first_idle_ms"] / 1000,
        runs,
    )
    ratio = ours / base
    return Row(measure, ms(ours), ms(base) + " (minimal Textual app)", ratio, target, ratio <= 1.5)


def wizard_live_verdict(runs: int) -> Row:
    measure, target = "wizard: answer change → live verdict", "≤ 50 ms"
    why = probe_available("wizard_live_verdict")
    if why:
        return not_available(measure, target, why)
    script = str(PROBES / "tui.py")
    values = [reported([PY, script, "wizard"]) for _ in range(runs)]
    if any("update_ms" not in v for v in values):
        return not_available(measure, target, "not available: the wizard has no live verdict to watch")
    ours = statistics.median(v["update_ms"] for v in values) / 1000
    roundtrip = statistics.median(v.get("press_roundtrip_ms", 0) for v in values) / 1000
    note = f"— (pilot press incl. waiting for every widget: {ms(roundtrip)})"
    return Row(measure, ms(ours), note, None, target, ours <= 0.050)


def compare_view(folder: Path, count: int, runs: int) -> list[Row]:
    first, memory = f"compare view, {count} files: first rows", f"compare view, {count} files: peak RSS"
    why = probe_available("compare_first_rows")
    if why:
        return [not_available(first, "≤ 2 s", why), not_available(memory, "≤ 300 MB", why)]
    script = str(PROBES / "compare.py")
    values = [reported([PY, script, str(folder)]) for _ in range(runs)]
    seconds = statistics.median(v["first_rows_ms"] for v in values) / 1000
    rss = max(v["peak_rss_mb"] for v in values)
    what = "" if all(v.get("tui", 0) for v in values) else " (core loading only)"
    return [
        Row(first + what, f"{seconds:.2f} s", "—", None, "≤ 2 s", seconds <= 2.0),
        Row(memory + what, f"{rss:.0f} MB", "—", None, "≤ 300 MB", rss <= 300),
    ]
