"""What keeps the first screen cheap (docs/performance.md): the start screen runs without pydantic,
and the key footer is rebuilt only when the keys it shows change. The timing itself is the benchmark's job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from textual.widgets import Button

from kwaliteitskader.tui.screens.start import StartScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.widgets.footer import KeyFooter
from tests.functional.tui.drive import settle, sync, wait_for_screen

ROOT = Path(__file__).resolve().parents[3]
SIZE = (100, 32)

_FIRST_SCREEN = """
import asyncio, sys, tempfile
from pathlib import Path
from kwaliteitskader.tui.app import KwaliteitskaderApp, load_app_criteria

async def main():
    data = Path(tempfile.mkdtemp())
    app = KwaliteitskaderApp(load_app_criteria(), "nl", None, data_folder=data, autosave_seconds=None,
                             samples=Path(sys.argv[1]))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        print(type(app.screen).__name__, "pydantic" in sys.modules)
        await pilot.click("#new")
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "WizardScreen":
                break
        print(type(app.screen).__name__, "pydantic" in sys.modules)

asyncio.run(main())
"""


def test_start_screen_comes_up_without_pydantic_and_the_wizard_loads_it(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KWALITEITSKADER_CACHE": str(tmp_path / "cache"),
           "KWALITEITSKADER_LANG": "nl"}
    command = [sys.executable, "-c", _FIRST_SCREEN, str(ROOT / "sample_assessments")]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=True)
    # the very first start checks the criteria in full (pydantic) and fills the cache
    assert first.stdout.split() == ["StartScreen", "True", "WizardScreen", "True"], first.stderr
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=True)
    assert again.stdout.split() == ["StartScreen", "False", "WizardScreen", "True"], again.stderr


@sync
async def test_samples_are_listed_by_name_and_open_with_the_mouse(make_app: Any) -> None:
    app = make_app(samples=ROOT / "sample_assessments")
    async with app.run_test(size=(100, 60)) as pilot:  # tall enough to show every sample
        await pilot.pause()
        samples = pilot.app.screen.query_one("#samples")
        labels = [str(samples.get_option_at_index(i).prompt) for i in range(samples.option_count)]
        assert "Kapot Sterk — Tilburg" in labels
        assert len(labels) == len(list((ROOT / "sample_assessments").glob("*.toml")))
        index = labels.index("Kapot Sterk — Tilburg")
        await pilot.click("#samples", offset=(3, 1 + index))
        await wait_for_screen(pilot, WizardScreen)
        await settle(pilot)
        assert pilot.app.assessment.intervention.name == "Kapot Sterk"
        assert pilot.app.path is None


@sync
async def test_footer_is_rebuilt_only_when_its_keys_change(make_app: Any, monkeypatch: Any) -> None:
    builds: list[str] = []
    compose = KeyFooter.compose

    def counting(self: KeyFooter) -> Any:
        builds.append(type(self.screen).__name__)
        return compose(self)

    monkeypatch.setattr(KeyFooter, "compose", counting)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StartScreen)
        shown = [key.key for key in screen.query_one(KeyFooter).query("FooterKey")]
        assert {"ctrl+n", "ctrl+o", "f1"} <= set(shown)
        before = len(builds)
        for _ in range(3):  # focus moves between the two buttons: the keys shown stay the same
            await pilot.press("tab")
            await pilot.pause()
        assert isinstance(pilot.app.focused, Button)
        await settle(pilot)
        assert len(builds) == before
        screen._bindings.bind("f9", "app.bell", "Bel")  # a new key on the same screen: shown at once
        screen.refresh_bindings()
        await settle(pilot)
        assert "f9" in [key.key for key in screen.query_one(KeyFooter).query("FooterKey")]
        assert len(builds) == before + 1
        await pilot.press("ctrl+n")  # another screen with other keys: its footer is built and shows them
        await settle(pilot)
        wizard_keys = [key.key for key in pilot.app.screen.query_one(KeyFooter).query("FooterKey")]
        assert "ctrl+r" in wizard_keys and "ctrl+r" not in shown
