"""kwaliteitskader/gc_policy.py: the application decides how the cycle collector is used, once, at its entry
points; the library (kwaliteitskader.core) never touches it."""

from __future__ import annotations

import ast
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from kwaliteitskader import gc_policy
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import loading
from tests.conftest import ROOT, SAMPLES, TODAY, repetitions


def test_the_library_never_touches_the_collector() -> None:
    core = ROOT / "kwaliteitskader" / "core"
    users = []
    for source in sorted(core.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name == "gc" or name.startswith("gc.") for name in names):
                users.append(str(source.relative_to(ROOT)))
    assert users == []


def test_loading_rows_leaves_the_collector_as_it_was(samples: Path, criteria: Criteria) -> None:
    before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    result = loading.load_rows([samples], criteria, today=TODAY)
    assert result.rows
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == before


PROBE = """
import gc, os, sys
from kwaliteitskader.cli import main
code = main(sys.argv[1:])
frozen = gc.get_freeze_count()
reader, writer = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(writer, str(gc.get_freeze_count() - frozen).encode())
    os._exit(0)
os.waitpid(pid, 0)
print(code, gc.get_threshold(), frozen > 0, int(os.read(reader, 100)) > 0)
"""


def _probe(*argv: str | Path) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *map(str, argv)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1]


def test_a_command_raises_the_thresholds_and_its_forked_workers_freeze_what_they_inherit() -> None:
    assert _probe("validate", SAMPLES) == f"0 {gc_policy.COMMAND_THRESHOLDS} True True"


def test_an_app_gets_pythons_thresholds_and_everything_back_in_sight() -> None:
    """The compare view is opened by a command (``compare`` in a terminal): it gives the app's policy back."""
    code = (
        "import gc; from kwaliteitskader import gc_policy; gc_policy.for_commands(); gc_policy.for_apps(); "
        "print(gc.get_threshold(), gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.stdout.split("\n")[0] == f"{gc_policy.APP_THRESHOLDS} 0", done.stderr
    assert gc_policy.APP_THRESHOLDS == (700, 10, 10)  # Python's own


def test_paused_turns_the_collector_off_and_back_as_it_was() -> None:
    assert gc.isenabled()
    with gc_policy.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_policy.paused():
        raise RuntimeError("a failing lookup")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_policy.paused():
            pass
        assert not gc.isenabled()  # someone else turned it off: left off
    finally:
        gc.enable()


def test_renew_collects_what_freezing_kept_and_freezes_what_is_alive() -> None:
    """A cycle alive at a freeze and dropped after it is never collected while frozen; renew collects it,
    and what is still alive is out of the collector's sight again."""
    import weakref

    class Node:
        pass

    def cycle() -> Node:
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        return a

    try:
        dropped, kept = cycle(), cycle()
        gone = weakref.ref(dropped)
        gc_policy.settle()
        del dropped
        gc.collect()
        assert gone() is not None  # frozen: the collector does not see it
        gc_policy.renew()
        assert gone() is None
        assert gc.get_freeze_count() > 0 and kept.other.other is kept  # type: ignore[attr-defined]
    finally:
        gc_policy.release()


@pytest.mark.repeated
def test_judging_and_explaining_an_assessment_leaves_no_garbage_for_the_collector(samples: Path) -> None:
    """Everything made for one assessment is freed by its reference counts as soon as it is no longer used:
    no reference cycle waits for the cycle collector, holding the assessment and its verdict meanwhile. (A
    closure calling itself was such a cycle: each explained verdict stayed alive until the next pass.)"""
    from benchmarks.synth import generate
    from kwaliteitskader.core.io.load import load_assessment, load_criteria
    from kwaliteitskader.core.rules.engine import evaluate
    from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text

    criteria = load_criteria(light=True)  # as classify loads them
    # the samples, and varied generated answers: decided and provisional verdicts, every class, open questions
    files = sorted(samples.glob("*.toml")) + generate(samples / "generated", repetitions(20, 60), seed=5)

    def explain(trace: bool) -> int:
        made = 0
        for file in files:
            loaded = load_assessment(file, light=True)
            verdict = evaluate(loaded.assessment, criteria, conditions=trace)
            made += len(verdict_text(verdict, criteria, "nl", trace=trace, assessment=loaded.assessment, safe=True))
            made += len(verdict_dict(verdict, criteria, "en", assessment=loaded.assessment))
        return made

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        explain(True)  # the kept texts and decisions are made once: what stays is no garbage
        gc.collect()
        for trace in (False, True):
            assert explain(trace) > 0
            assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
