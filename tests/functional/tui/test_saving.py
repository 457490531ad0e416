"""Never lose work: a file changed on disk is not overwritten without asking; a failed save keeps the answers."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.tui.screens.choice import ChoiceScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.session import read_recovery
from tests.functional.tui.drive import answer, sync, wait_for_screen

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "sample_assessments" / "kapot_sterk_tilburg.toml"
SIZE = (120, 40)


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@sync
async def test_file_changed_on_disk_asks_before_overwriting(make_app: Any, tmp_path: Path) -> None:
    file = tmp_path / "kapot.toml"
    file.write_bytes(SAMPLE.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(pilot, "intervention.municipality", "Breda")
        someone_else = file.read_text(encoding="utf-8").replace("Kapot Sterk", "Kapot Sterk (versie collega)")
        file.write_text(someone_else, encoding="utf-8")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.click("#choice-cancel")
        await settle(pilot)
        assert file.read_text(encoding="utf-8") == someone_else  # the colleague's work is untouched
        assert pilot.app.dirty and pilot.app.assessment.intervention.municipality == "Breda"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.click("#choice-overwrite")
        await settle(pilot)
        await wait_for_screen(pilot, WizardScreen)
        assert not pilot.app.dirty
    assert load_assessment(file).assessment.intervention.municipality == "Breda"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs a folder the user cannot write")
@sync
async def test_failed_save_keeps_answers_and_says_why(make_app: Any, tmp_path: Path, data_folder: Path) -> None:
    folder = tmp_path / "alleen_lezen"
    folder.mkdir()
    file = folder / "kapot.toml"
    file.write_bytes(SAMPLE.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(pilot, "intervention.municipality", "Breda")
        folder.chmod(0o500)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
        finally:
            folder.chmod(0o700)
        assert pilot.app.dirty and pilot.app.assessment.intervention.municipality == "Breda"
        messages = [n.message for n in pilot.app._notifications]
        assert any("Opslaan van" in m and "mislukt" in m for m in messages), messages
        recovery = read_recovery(data_folder)
        assert recovery is not None and recovery.assessment.intervention.municipality == "Breda"


@sync
async def test_save_error_from_core_is_reported(make_app: Any, tmp_path: Path, data_folder: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as root too: the core's SaveError (disk full, permission, …) is simulated."""
    from kwaliteitskader.core.io import assessments as storage
    from kwaliteitskader.core.io.assessments import SaveError

    def fail(*args: Any, **kwargs: Any) -> None:
        raise SaveError(Path(args[1]), "schijf vol")

    file = tmp_path / "kapot.toml"
    file.write_bytes(SAMPLE.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(pilot, "intervention.municipality", "Breda")
        monkeypatch.setattr(storage, "save_assessment", fail)  # the app imports it from the core when it saves
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.is_running and pilot.app.dirty
        assert pilot.app.assessment.intervention.municipality == "Breda"
        messages = [n.message for n in pilot.app._notifications]
        assert any("schijf vol" in m for m in messages), messages
        assert read_recovery(data_folder) is not None
    assert load_assessment(file).assessment.intervention.municipality == "Tilburg"


@sync
async def test_sample_opens_as_new_assessment(make_app: Any, tmp_path: Path) -> None:
    samples = tmp_path / "voorbeelden"
    samples.mkdir()
    (samples / "kapot.toml").write_bytes(SAMPLE.read_bytes())
    app = make_app(samples=samples)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one("#samples").focus()
        await pilot.press("enter")
        await settle(pilot)
        await wait_for_screen(pilot, WizardScreen)
        assert pilot.app.assessment.intervention.name == "Kapot Sterk"
        assert pilot.app.path is None  # saving asks for a new name; the sample is never overwritten


@sync
async def test_report_from_the_wizard_is_written_and_escapes_user_text(make_app: Any, tmp_path: Path) -> None:
    """F3 writes the printable report of the current answers; markup in a name stays text."""
    from kwaliteitskader.tui.screens.file_dialog import FileScreen
    from tests.functional.tui.drive import type_text

    file = tmp_path / "kapot.toml"
    file.write_bytes(SAMPLE.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(pilot, "intervention.name", "Kapot <Sterk> [/oeps]")
        await pilot.press("f3")
        await wait_for_screen(pilot, FileScreen)
        target = tmp_path / "rapport.html"
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot)
        await wait_for_screen(pilot, WizardScreen)
    html = target.read_text(encoding="utf-8")
    assert "Kapot &lt;Sterk&gt; [/oeps]" in html
    assert "stoppen" in html  # the class the screen shows for this sample
    assert file.read_bytes() == SAMPLE.read_bytes()  # the assessment itself is not touched
