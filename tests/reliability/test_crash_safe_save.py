"""Crash-safe saves: a save killed with SIGKILL at any moment leaves the complete old or the complete new file.

A forked child (everything already imported, so each run costs milliseconds, not an interpreter start)
saves two large versions of an assessment in turn, A, B, A, B, ..., to the same path; the parent kills
it with SIGKILL after a random delay in the range of a few saves. Afterwards the file must be byte for
byte A or B and load as that assessment. Temporary files left by a kill are removed by the next clean
save once they are stale (storage.STALE_TEMP_SECONDS); a clean save never leaves one itself.

The run count is ``KWALITEITSKADER_KILL_RUNS`` (default 40, 200 with ``--run-slow``); the seed is printed
on failure, and ``KWALITEITSKADER_KILL_SEED`` repeats a run.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io import assessments as storage
from kwaliteitskader.core.io.assessments import dump_assessment, save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import Assessment, set_path
from tests.conftest import SAMPLES, repetitions

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

RUNS = int(os.environ.get("KWALITEITSKADER_KILL_RUNS") or repetitions(40, 200))


def large_assessment(marker: str) -> Assessment:
    """A realistic assessment with about 300 KB of text, so that a write takes a while."""
    base = load_assessment(SAMPLES / "ipta_amsterdam.toml").assessment
    text = (f"{marker} — lange toelichting met regels en ‘aanhalingstekens’ \"quotes\" en \\ backslash.\n" * 3_000)
    changed = set_path(base, "intervention.description", text)
    return set_path(changed, "participation.notes", marker * 1000)


def _save_forever(target: str, versions: list[Assessment], ready: Any) -> None:  # runs in the forked child
    path = Path(target)
    ready.set()
    for i in range(100_000):
        save_assessment(versions[(i + 1) % 2], path)  # starts with B: the file on disk begins as A
    os._exit(0)


def _temp_files(folder: Path, target: Path) -> list[Path]:
    return [p for p in folder.iterdir() if storage.temp_pattern(target).fullmatch(p.name)]


@pytest.mark.repeated
def test_sigkill_during_save_leaves_old_or_new_file(tmp_path: Path) -> None:
    seed = int(os.environ.get("KWALITEITSKADER_KILL_SEED", str(random.SystemRandom().randrange(2**32))))
    rng = random.Random(seed)  # noqa: S311 - timing of a test, not cryptography
    parsed = {v: large_assessment(v) for v in "AB"}
    target = tmp_path / "beoordeling.toml"
    versions = {v: dump_assessment(parsed[v], target).encode() for v in "AB"}  # as save_assessment writes it
    # Both versions load as what was saved, so a file equal to one of them byte for byte parses.
    for v in "AB":
        target.write_bytes(versions[v])
        assert load_assessment(target).assessment == parsed[v]

    # One save takes this long here; kills are spread over about three saves, so they land before,
    # inside and between writes, fsyncs and renames (no timing is asserted).
    started = time.perf_counter()
    save_assessment(parsed["A"], target)
    one_save = time.perf_counter() - started

    context = multiprocessing.get_context("fork")
    outcomes = {"A": 0, "B": 0}
    with_temp_left = 0
    for run in range(RUNS):
        if run % 10 == 9:
            target.unlink()  # now and then there is no old file: the kill must leave none or a whole one
        else:
            target.write_bytes(versions["A"])
        ready = context.Event()
        child = context.Process(target=_save_forever, args=(str(target), [parsed["A"], parsed["B"]], ready), daemon=True)
        child.start()
        assert ready.wait(30), "child did not start"
        time.sleep(rng.uniform(0, 3 * one_save))
        child.kill()  # SIGKILL: no cleanup handlers run
        child.join(30)
        assert child.exitcode == -9, f"seed {seed}, run {run}: child was not killed but ended ({child.exitcode})"

        temps = _temp_files(tmp_path, target)
        for temp in temps:
            os.utime(temp, (time.time() - 3600, time.time() - 3600))  # as if the kill were an hour ago
        if not target.exists():
            assert run % 10 == 9, f"seed {seed}, run {run}: the file disappeared"
            continue
        on_disk = target.read_bytes()
        matches = [v for v, payload in versions.items() if on_disk == payload]
        assert matches, f"seed {seed}, run {run}: file is neither the old nor the new version ({len(on_disk)} bytes)"
        outcomes[matches[0]] += 1
        if temps:
            with_temp_left += 1

    # Only the target file and our own temporary files are ever in the folder.
    assert {p.name for p in tmp_path.iterdir()} - {target.name} == {p.name for p in _temp_files(tmp_path, target)}
    # A clean save removes the stale temporary files that kills left behind, and leaves none of its own.
    save_assessment(parsed["B"], target)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert load_assessment(target).assessment == parsed["B"]
    print(f"seed {seed}: {RUNS} kills; old {outcomes['A']}, new {outcomes['B']}, temp left {with_temp_left}")


def test_recent_temp_file_of_a_running_save_is_not_removed(tmp_path: Path) -> None:
    """Another program saving the same file right now has a fresh temporary file: it is left alone."""
    target = tmp_path / "a.toml"
    fresh = tmp_path / ".a.toml.abcd1234.tmp"
    fresh.write_text("half geschreven")
    save_assessment(Assessment(), target)
    assert fresh.exists()
    os.utime(fresh, (time.time() - 3600, time.time() - 3600))
    save_assessment(Assessment(), target)
    assert not fresh.exists()


def test_cleanup_touches_only_our_own_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    others = [
        tmp_path / ".b.toml.abcd1234.tmp",  # another assessment's temp file
        tmp_path / ".a.toml.abcd1234.tmp.bak",  # not our pattern
        tmp_path / "a.toml.abcd1234.tmp",  # not hidden: not ours
        tmp_path / ".a.toml.abc.tmp",  # wrong length
    ]
    for other in others:
        other.write_text("van iemand anders")
        os.utime(other, (time.time() - 3600, time.time() - 3600))
    folder_link = tmp_path / ".a.toml.zzzz9999.tmp"
    folder_link.mkdir()  # a folder with our pattern is not a file of ours
    os.utime(folder_link, (time.time() - 3600, time.time() - 3600))
    save_assessment(Assessment(), target)
    assert all(other.exists() for other in others)
    assert folder_link.is_dir()


def test_set_path_keeps_large_text() -> None:
    """Guard for the test itself: the large versions differ and are large, under the 5 MB limit."""
    a, b = (dump_assessment(large_assessment(v)).encode() for v in "AB")
    assert a != b
    assert 250_000 < len(a) < storage.MAX_FILE_BYTES
    assert set_path(Assessment(), "intervention.name", "x").intervention.name == "x"


# --- the recovery copy ---------------------------------------------------------------------------------


def test_recovery_copy_is_one_atomic_write_with_its_details(tmp_path: Path) -> None:
    """Answers and details (original file, its checksum, when) are one file written once: a kill can leave
    the old copy or the new one, never new answers beside the details of an older copy."""
    import datetime as dt

    from kwaliteitskader.tui import session

    assessment = load_assessment(SAMPLES / "kapot_sterk_tilburg.toml").assessment
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / session.RECOVERY_INFO).write_text('{"original": "/oud/bestand.toml"}', encoding="utf-8")  # older format
    original = tmp_path / "map met spatie" / "beoordeling\nmet regeleinde é.toml"
    writes: list[str] = []
    real = storage.atomic_write

    def counting(path: Path, data: bytes) -> None:
        writes.append(path.name)
        real(path, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "atomic_write", counting)
        session.write_recovery(assessment, original, dt.datetime(2025, 3, 14, 10, 30), folder, original_sha="ab" * 32)
    assert writes == [session.RECOVERY_FILE]
    assert sorted(p.name for p in folder.iterdir()) == [session.RECOVERY_FILE]  # the older details are gone
    recovery = session.read_recovery(folder)
    assert recovery is not None
    assert recovery.assessment == assessment
    assert (recovery.original, recovery.original_sha, recovery.written_at) == (original, "ab" * 32, "2025-03-14T10:30:00")
    assert load_assessment(folder / session.RECOVERY_FILE).assessment == assessment  # still a plain assessment file


def test_recovery_copy_of_an_earlier_version_is_still_offered(tmp_path: Path) -> None:
    from kwaliteitskader.tui import session

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / session.RECOVERY_FILE).write_bytes((SAMPLES / "kapot_sterk_tilburg.toml").read_bytes())
    (folder / session.RECOVERY_INFO).write_text(
        '{"original": "/werk/kapot.toml", "original_sha256": "cd", "written_at": "2025-01-02T03:04:05"}', encoding="utf-8"
    )
    recovery = session.read_recovery(folder)
    assert recovery is not None
    assert (recovery.original, recovery.original_sha, recovery.written_at) == (Path("/werk/kapot.toml"), "cd",
                                                                               "2025-01-02T03:04:05")
    session.clear_recovery(folder)
    assert list(folder.iterdir()) == []
