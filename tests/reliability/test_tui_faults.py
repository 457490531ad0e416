"""The interactive application never loses work: SIGKILL, conflicts and failed saves.

- The real program (``python -m kwaliteitskader open FILE``) runs in a pseudo-terminal; keys are typed
  into it until its autosave has written the recovery copy, then it is killed with SIGKILL. The next
  start offers the recovered answers, and accepting restores them; the original file is untouched.
- A file changed on disk since it was opened: saving asks (overwrite, save as, cancel); cancelling
  leaves both the file and the answers as they were.
- A save that fails (disk full): the app says why, keeps every answer in memory and can save later.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.i18n import set_language
from kwaliteitskader.core.io import assessments as storage
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import Assessment, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from tests.conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "ipta_amsterdam.toml"
SIZE = (120, 40)
TYPED = "Door SIGKILL onderbroken"


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    set_language("nl")
    yield
    set_language(None)


def _app(criteria: Criteria, data: Path, path: Path | None = None) -> Any:
    from kwaliteitskader.tui.app import KwaliteitskaderApp

    return KwaliteitskaderApp(criteria, "nl", path, data_folder=data, autosave_seconds=None, samples=None, cursor_blink=False)


class Terminal:
    """A pseudo-terminal running the program; its output is drained so the program never blocks."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kwaliteitskader", *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True,
        )
        os.close(slave)
        self.output = bytearray()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def type(self, data: bytes) -> None:
        os.write(self.master, data)

    def kill(self) -> int:
        self.process.kill()  # SIGKILL
        code = self.process.wait(30)
        os.close(self.master)
        return code


def _wait(condition: Any, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _recovered(data: Path) -> Assessment | None:
    try:
        return load_assessment(data / "herstel.toml").assessment
    except Exception:  # not written yet (or being replaced): keep waiting
        return None


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal and SIGKILL are POSIX")
def test_sigkill_of_the_running_app_then_restart_offers_and_restores_the_answers(tmp_path: Path, criteria: Criteria) -> None:
    original = tmp_path / "ipta.toml"
    shutil.copy(SAMPLE, original)
    before = original.read_bytes()
    data = tmp_path / "data"
    env = {**os.environ, "KWALITEITSKADER_DATA_DIR": str(data), "KWALITEITSKADER_LANG": "nl", "TERM": "xterm-256color",
           "PYTHONPATH": str(ROOT), "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    env.pop("NO_COLOR", None)
    terminal = Terminal(["open", str(original)], env, tmp_path)
    try:
        # Type into the first question (the assessor) until the autosave (2 s after a change) has run;
        # retyping is harmless (ctrl+a, ctrl+k clear the field), so a slow start only costs a retry.
        for _ in range(6):
            if not _wait(lambda: len(terminal.output) > 1000, 60):
                break
            time.sleep(1.0)
            for key in (b"\x01", b"\x0b"):  # ctrl+a, ctrl+k: clear the field (as separate key presses)
                terminal.type(key)
                time.sleep(0.3)
            terminal.type(TYPED.encode())
            if _wait(lambda: (r := _recovered(data)) is not None and r.meta.assessor == TYPED, 10):
                break
    finally:
        code = terminal.kill()
    assert code == -9
    recovered = _recovered(data)
    assert recovered is not None, terminal.output[-3000:].decode(errors="replace")
    assert recovered.meta.assessor == TYPED
    assert original.read_bytes() == before  # the kill lost nothing and wrote nothing to the user's file

    async def restart() -> None:
        from kwaliteitskader.tui.screens.start import StartScreen
        from kwaliteitskader.tui.screens.wizard import WizardScreen

        app = _app(criteria, data)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            assert app.focused is not None and app.focused.id == "restore"  # recovery is offered first
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, WizardScreen)
            expected = set_path(load_assessment(SAMPLE).assessment, "meta.assessor", TYPED)
            assert app.assessment == expected  # every answer: the sample's plus the one typed before the kill
            assert app.path == original and app.dirty

    asyncio.run(restart())


def test_tui_conflict_asks_and_cancel_keeps_both_versions(tmp_path: Path, criteria: Criteria) -> None:
    from kwaliteitskader.tui.screens.choice import ChoiceScreen

    original = tmp_path / "ipta.toml"
    shutil.copy(SAMPLE, original)

    async def scenario() -> None:
        app = _app(criteria, tmp_path / "data", original)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.set_answer("intervention.name", "Mijn versie")
            theirs = original.read_text(encoding="utf-8").replace("Amsterdam", "Amstelveen")
            original.write_text(theirs, encoding="utf-8")  # a colleague saves meanwhile
            await pilot.press("ctrl+s")
            await _settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            assert str(original) in app.screen.message  # the question names the file
            await pilot.press("escape")  # cancel
            await _settle(pilot)
            assert original.read_text(encoding="utf-8") == theirs
            assert app.assessment.intervention.name == "Mijn versie" and app.dirty

    asyncio.run(scenario())


def test_tui_failed_save_says_why_and_keeps_the_answers(
    tmp_path: Path, criteria: Criteria, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "ipta.toml"
    shutil.copy(SAMPLE, original)
    before = original.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async def scenario() -> None:
        app = _app(criteria, tmp_path / "data", original)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.set_answer("intervention.name", "Niet verloren")
            monkeypatch.setattr(storage.os, "fsync", disk_full)
            await pilot.press("ctrl+s")
            await _settle(pilot)
            messages = [str(n.message) for n in app._notifications]
            assert any(str(original) in m and "de schijf is vol" in m for m in messages), messages
            assert original.read_bytes() == before
            assert app.assessment.intervention.name == "Niet verloren" and app.dirty
            monkeypatch.undo()  # space again: the same answers save
            await pilot.press("ctrl+s")
            await _settle(pilot)
            assert load_assessment(original).assessment.intervention.name == "Niet verloren"
            assert not app.dirty

    asyncio.run(scenario())


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete() if not pilot.app.screen.is_modal else None
    await pilot.pause()
