"""Environment faults and conflicts: saves fail with SaveError (old file intact), reads give findings.

The tests run as root in CI's container, where chmod cannot take rights away; permission, read-only
and disk-full faults are therefore raised by monkeypatching the system call that would fail, with the
errno the operating system uses. Everything else (missing folders, directories, symlink loops, size
limits) is real.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.findings import FindingsError, Severity
from kwaliteitskader.core.i18n import set_language
from kwaliteitskader.core.io import assessments as storage
from kwaliteitskader.core.io import atomic
from kwaliteitskader.core.io.assessments import ConflictError, SaveError, save_assessment
from kwaliteitskader.core.io.criteria import MAX_FILE_BYTES
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import Assessment, set_path
from tests.conftest import SAMPLES, run_cli
from tests.reliability.fuzz import run_main

SAMPLE = SAMPLES / "ipta_amsterdam.toml"


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    set_language("nl")
    yield
    set_language(None)


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, bytes]:
    """An assessment file on disk and its bytes, to prove it is untouched after a failed save."""
    target = tmp_path / "beoordeling.toml"
    shutil.copy(SAMPLE, target)
    return target, target.read_bytes()


def _changed(path: Path) -> Assessment:
    return set_path(load_assessment(path).assessment, "intervention.name", "Nieuwe naam")


def _only_target_left(target: Path) -> None:
    assert [p.name for p in target.parent.iterdir()] == [target.name]


# --- conflicts --------------------------------------------------------------------------------


def test_file_changed_on_disk_since_opening_is_not_overwritten(saved: tuple[Path, bytes]) -> None:
    target, _ = saved
    opened = load_assessment(target)
    theirs = target.read_text(encoding="utf-8").replace("Amsterdam", "Amstelveen")
    target.write_text(theirs, encoding="utf-8")  # a colleague saved in the meantime
    with pytest.raises(ConflictError) as caught:
        save_assessment(_changed(target), target, expected=opened.fingerprint)
    assert str(target) in str(caught.value)
    assert "gewijzigd" in str(caught.value)
    assert target.read_text(encoding="utf-8") == theirs
    _only_target_left(target)
    # Only when the user chooses to overwrite:
    save_assessment(opened.assessment, target, expected=opened.fingerprint, force=True)
    assert load_assessment(target).assessment == opened.assessment


def test_change_while_the_file_is_being_read_is_still_a_conflict(
    saved: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves while we parse: the fingerprint belongs to the bytes we parsed, not the new ones."""
    target, _ = saved
    from kwaliteitskader.core.io import load

    real_parse = load.parse_toml_bytes

    def parse_while_someone_saves(path: Path, raw: bytes) -> Any:
        result = real_parse(path, raw)
        target.write_text(target.read_text(encoding="utf-8").replace("Amsterdam", "Diemen"), encoding="utf-8")
        return result

    monkeypatch.setattr(load, "parse_toml_bytes", parse_while_someone_saves)
    opened = load_assessment(target)
    monkeypatch.undo()
    with pytest.raises(ConflictError):
        save_assessment(opened.assessment, target, expected=opened.fingerprint)
    assert "Diemen" in target.read_text(encoding="utf-8")


def test_touched_but_unchanged_file_is_no_conflict(saved: tuple[Path, bytes]) -> None:
    target, _ = saved
    opened = load_assessment(target)
    os.utime(target, (1, 1))  # another program touched it without changing it
    save_assessment(_changed(target), target, expected=opened.fingerprint)
    assert load_assessment(target).assessment.intervention.name == "Nieuwe naam"


# --- saving: faults ---------------------------------------------------------------------------


def _fail(error: OSError) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise error

    return fail


def test_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "bestaat_niet" / "a.toml"
    with pytest.raises(SaveError) as caught:
        save_assessment(Assessment(), target)
    assert str(target) in str(caught.value)
    assert "de map bestaat niet" in str(caught.value)
    assert not target.parent.exists()


def test_path_is_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "map.toml"
    target.mkdir()
    with pytest.raises(SaveError) as caught:
        save_assessment(Assessment(), target)
    assert "map" in str(caught.value)
    assert target.is_dir() and not any(target.iterdir())
    with pytest.raises(FindingsError) as read:
        load_assessment(target)
    assert read.value.findings[0].severity is Severity.UNUSABLE


@pytest.mark.parametrize(
    ("where", "error", "reason"),
    [
        ("create", OSError(errno.EROFS, "Read-only file system"), "alleen-lezen"),
        ("create", PermissionError(errno.EACCES, "Permission denied"), "geen toestemming"),
        ("write", OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol"),
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol"),
        ("fsync", OSError(errno.EDQUOT, "Disk quota exceeded"), "de schijf is vol"),
        ("replace", PermissionError(errno.EPERM, "Operation not permitted"), "geen toestemming"),
        ("replace", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
)
def test_failed_save_keeps_old_file_and_says_why(
    saved: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch, where: str, error: OSError, reason: str
) -> None:
    target, before = saved
    new = _changed(target)
    if where == "create":
        monkeypatch.setattr(atomic.tempfile, "NamedTemporaryFile", _fail(error))
    elif where == "write":
        real = tempfile.NamedTemporaryFile

        def half_written(*args: Any, **kwargs: Any) -> Any:
            handle = real(*args, **kwargs)
            handle.file.write(b"half")  # part of the data reaches the disk, then it is full
            handle.write = _fail(error)
            return handle

        monkeypatch.setattr(atomic.tempfile, "NamedTemporaryFile", half_written)
    else:
        monkeypatch.setattr(storage.os, where, _fail(error))
    with pytest.raises(SaveError) as caught:
        save_assessment(new, target)
    monkeypatch.undo()
    message = str(caught.value)
    assert str(target) in message and reason in message
    assert "ongewijzigd" in message  # the user is told the previous file is still there
    assert target.read_bytes() == before
    _only_target_left(target)  # no half-written temporary file is left behind
    # The answers are still in memory: once the fault is gone, the same object saves.
    save_assessment(new, target)
    assert load_assessment(target).assessment == new


def test_assessment_over_the_size_limit_is_not_saved(saved: tuple[Path, bytes]) -> None:
    target, before = saved
    huge = set_path(Assessment(), "intervention.description", "x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(SaveError) as caught:
        save_assessment(huge, target)
    assert str(MAX_FILE_BYTES) in str(caught.value)
    assert target.read_bytes() == before
    _only_target_left(target)


# --- reading: faults --------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_by_validate(tmp_path: Path) -> None:
    target = tmp_path / "groot.toml"
    with target.open("wb") as handle:
        handle.write(b'[intervention]\ndescription = "')
        handle.write(b"x" * MAX_FILE_BYTES)
        handle.write(b'"\n')
    code, out, _ = run_main(["validate", str(target)])
    assert code == 2
    assert out.startswith(f"{target}:") and "te groot" in out and str(MAX_FILE_BYTES) in out


def test_file_growing_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """stat() said small, but the file grew before it was read: reading stops at the limit."""
    target = tmp_path / "groeit.toml"
    target.write_bytes(b"x" * (MAX_FILE_BYTES + 10))
    real_stat = Path.stat

    def small_stat(self: Path, **kwargs: Any) -> Any:
        result = real_stat(self, **kwargs)
        return os.stat_result((*result[:6], 10, *result[7:])) if self == target else result

    monkeypatch.setattr(Path, "stat", small_stat)
    with pytest.raises(FindingsError) as caught:
        load_assessment(target)
    assert "te groot" in caught.value.findings[0].message


def test_a_file_is_read_in_one_call_when_it_is_as_long_as_its_status_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """50,000 files are read per portfolio: no second read just to hear the end of the file."""
    from kwaliteitskader.core.io import safefiles

    target = tmp_path / "a.toml"
    target.write_bytes((SAMPLES / "ajb_rotterdam.toml").read_bytes())
    calls: list[int] = []
    real_read = os.read

    def counted(fd: int, size: int) -> bytes:
        calls.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(safefiles.os, "read", counted)
    raw, status = safefiles.read_regular_stat(target, MAX_FILE_BYTES)
    assert raw == target.read_bytes() and status.st_size == len(raw)
    assert len(calls) == 1


def test_a_file_longer_than_its_status_says_is_read_to_its_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files whose status gives no length (as under /proc), or that grew after it was taken: read until the end."""
    from kwaliteitskader.core.io import safefiles

    target = tmp_path / "a.toml"
    target.write_bytes(b"x = 1\n" * 100)
    real_fstat = os.fstat

    def no_length(fd: int) -> os.stat_result:
        result = real_fstat(fd)
        return os.stat_result((*result[:6], 0, *result[7:]))

    monkeypatch.setattr(safefiles.os, "fstat", no_length)
    raw, _status = safefiles.read_regular_stat(target, MAX_FILE_BYTES)
    assert raw == target.read_bytes()


def test_permission_denied_when_reading(saved: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    target, _ = saved
    real_open = io.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | Path) and Path(file) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def guarded_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | Path) and Path(file) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)

    # Every way of opening a file in Python ends in one of these (Path.open calls io.open; files from
    # users are opened with os.open, without blocking, see core/io/safefiles.py).
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    code, out, _ = run_main(["validate", str(target)])
    monkeypatch.undo()
    assert code == 2
    assert out.startswith(f"{target}:") and "toestemming" in out


def test_path_under_a_folder_that_cannot_be_entered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """stat() of a path below a folder without x-permission raises PermissionError (it is not "missing").
    validate reported it with a traceback; now it is a finding and the other paths are still checked."""
    locked = tmp_path / "geheim" / "a.toml"
    other = tmp_path / "b.toml"
    shutil.copy(SAMPLE, other)
    real_stat, real_lstat = Path.stat, Path.lstat

    def deny(real: Callable[..., Any]) -> Callable[..., Any]:
        def stat(self: Path, *args: Any, **kwargs: Any) -> Any:
            if locked == self or locked in self.parents:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        return stat

    monkeypatch.setattr(Path, "stat", deny(real_stat))
    monkeypatch.setattr(Path, "lstat", deny(real_lstat))
    code, out, err = run_main(["validate", str(locked), str(other)])
    assert code == 2
    assert out.splitlines() == [f"{locked}: Kan niet lezen: geen toestemming (Permission denied)"], out + err


def test_symlink_loop_is_a_finding_not_missing(tmp_path: Path) -> None:
    loop = tmp_path / "lus.toml"
    loop.symlink_to(loop)
    shutil.copy(SAMPLE, tmp_path / "goed.toml")
    for args in (["validate", str(loop)], ["validate", str(tmp_path)]):
        code, out, _ = run_main(args)
        assert code == 2
        assert out.splitlines() == [f"{loop}: Kan niet lezen: een symbolische koppeling verwijst (via andere) "
                                    "naar zichzelf (Too many levels of symbolic links)"]


def test_missing_path_and_folder_in_a_real_process(tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "weg.toml", tmp_path / "weg")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.count("bestaat niet") == 2


def test_unexpected_os_error_in_a_command_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from kwaliteitskader.core.io import validate

    monkeypatch.setattr(validate, "validate_paths", _fail(OSError(errno.EIO, "Input/output error", "/dev/sdz")))
    code, _, err = run_main(["validate", str(SAMPLE)])
    assert code == 2
    assert err.strip() == "Kan /dev/sdz niet gebruiken: Input/output error"


def test_save_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    """A link to a file on a shared drive: saving updates the shared file, not a local copy in its place."""
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    real = shared / "beoordeling.toml"
    shutil.copy(SAMPLE, real)
    link = tmp_path / "mijn_beoordeling.toml"
    link.symlink_to(real)
    opened = load_assessment(link)
    save_assessment(_changed(link), link, expected=opened.fingerprint)
    assert link.is_symlink() and link.resolve() == real
    assert load_assessment(real).assessment.intervention.name == "Nieuwe naam"
    assert [p.name for p in shared.iterdir()] == [real.name]


def test_save_to_a_symlink_loop_fails_and_leaves_the_link(tmp_path: Path) -> None:
    loop = tmp_path / "lus.toml"
    loop.symlink_to(loop)
    with pytest.raises(SaveError) as caught:
        save_assessment(Assessment(), loop)
    assert "symbolische koppeling" in str(caught.value)
    assert loop.is_symlink()
    assert [p.name for p in tmp_path.iterdir()] == [loop.name]
