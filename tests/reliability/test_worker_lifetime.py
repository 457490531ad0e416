"""Workers end when the process that started them dies, however it dies (``kill -9``, SIGTERM).

A killed ``compare`` must not leave its worker processes behind, waiting for work for ever with parent 1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = """
import sys, time
from kwaliteitskader.core.parallel import WorkerPool

def work(state, item):
    return item

if __name__ == "__main__":
    pool = WorkerPool(work, None, 3)
    assert list(pool.map(range(10))) == list(range(10))
    print(" ".join(str(w.process.pid) for w in pool._workers), flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended (no reaper in some containers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_within_a_second_or_two_when_the_parent_is_killed(tmp_path: Path, how: signal.Signals) -> None:
    script = tmp_path / "pool.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert parent.stdout is not None
        pids = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(pids) == 3 and all(_alive(pid) for pid in pids)
        parent.send_signal(how)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 2.0  # a second, and some slack on a busy machine
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in pids if _alive(pid)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert left == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
