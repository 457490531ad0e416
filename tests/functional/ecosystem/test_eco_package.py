"""The wheel works from a fresh virtual environment outside the repository (.ci/package-check)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repository() -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is needed for .ci/package-check")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHON": sys.executable}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "package-check")], capture_output=True, text=True,
                            env=env, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("package-check: ok")
