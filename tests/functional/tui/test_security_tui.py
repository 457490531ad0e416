"""The output-path rule and regular-files-only in the wizard and the compare view (issue #15, problems 2, 5).

F2 (save as) never writes through a symbolic link or onto a folder or device; F3 (the report) asks before
replacing an existing file and never replaces an assessment; the compare view never exports onto an
assessment; opening a FIFO says "geen gewoon bestand" at once and the application stays usable.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from kwaliteitskader.tui.screens.choice import ChoiceScreen
from kwaliteitskader.tui.screens.file_dialog import FileScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from tests.functional.tui.drive import sync, type_text, wait_for_screen

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "sample_assessments" / "kapot_sterk_tilburg.toml"
OTHER = ROOT / "sample_assessments" / "ajb_rotterdam.toml"
SIZE = (120, 40)


def _messages(app: Any) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def _choose(pilot: Any, key: str, target: Path) -> None:
    await pilot.press(key)
    await wait_for_screen(pilot, FileScreen)
    await type_text(pilot, str(target))  # pasted: the dialog, not typing, is under test here
    await pilot.press("enter")
    for _ in range(5):
        await pilot.pause()


@sync
async def test_save_as_never_writes_through_a_link(make_app: Any, tmp_path: Path) -> None:
    file = tmp_path / "kapot.toml"
    file.write_bytes(SAMPLE.read_bytes())
    other = tmp_path / "ander.toml"
    other.write_bytes(OTHER.read_bytes())
    link = tmp_path / "koppeling.toml"
    link.symlink_to(other)
    app = make_app(path=file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _choose(pilot, "f2", link)
        await wait_for_screen(pilot, WizardScreen)
        assert "symbolische koppeling" in _messages(pilot.app)
    assert link.is_symlink() and other.read_bytes() == OTHER.read_bytes()
    assert file.read_bytes() == SAMPLE.read_bytes()


@sync
async def test_report_asks_before_replacing_and_never_replaces_an_assessment(make_app: Any, tmp_path: Path) -> None:
    file = tmp_path / "kapot.toml"
    file.write_bytes(SAMPLE.read_bytes())
    report = tmp_path / "rapport.html"
    report.write_text("oud rapport\n", encoding="utf-8")
    disguised = tmp_path / "vermomd.md"  # an assessment by content, whatever its name
    disguised.write_bytes(OTHER.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _choose(pilot, "f3", report)
        await wait_for_screen(pilot, ChoiceScreen)  # asked: it exists
        await pilot.click("#choice-cancel")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert report.read_text(encoding="utf-8") == "oud rapport\n"
        await _choose(pilot, "f3", report)
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.click("#choice-overwrite")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "Kapot Sterk" in report.read_text(encoding="utf-8")
        await wait_for_screen(pilot, WizardScreen)
        await _choose(pilot, "f3", disguised)
        await wait_for_screen(pilot, WizardScreen)
        assert "daar staat een beoordeling" in _messages(pilot.app)
    assert disguised.read_bytes() == OTHER.read_bytes()


@sync
async def test_opening_a_fifo_says_so_at_once_and_the_app_still_answers(make_app: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.toml"
    os.mkfifo(fifo)
    app = make_app(path=fifo)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):
            await pilot.pause()
            if "geen gewoon bestand" in _messages(pilot.app):
                break
        assert "geen gewoon bestand maar een FIFO" in _messages(pilot.app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)


def test_compare_view_never_exports_onto_an_assessment_or_a_device(tmp_path: Path) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.tui.compare.app import CompareApp

    folder = tmp_path / "beoordelingen"
    folder.mkdir()
    (folder / "a.toml").write_bytes(SAMPLE.read_bytes())
    elsewhere = tmp_path / "elders.toml"
    elsewhere.write_bytes(OTHER.read_bytes())

    async def main() -> None:
        app = CompareApp([folder], load_criteria(), "nl")
        async with app.run_test(size=(180, 50)) as pilot:
            screen = app.compare_screen
            for _ in range(500):
                if not screen.loading_rows:
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            assert not screen.export("csv", folder / "a.toml", overwrite=True)  # an input
            assert not screen.export("csv", elsewhere, overwrite=True)  # an assessment
            assert not screen.export("csv", Path("/dev/null"), overwrite=True)  # a device
            assert screen.export("csv", tmp_path / "overzicht.csv")
            await pilot.pause()
            messages = "\n".join(str(n.message) for n in app._notifications)
            assert "invoerbestand" in messages and "daar staat een beoordeling" in messages
            assert "apparaatbestand" in messages

    asyncio.run(main())
    assert (folder / "a.toml").read_bytes() == SAMPLE.read_bytes()
    assert elsewhere.read_bytes() == OTHER.read_bytes()
