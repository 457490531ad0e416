"""The look, pinned: every wizard step, the result and the answers overview at 120×40, the start screen, and 80×24.

Fixed theme, no blinking cursor, fixed dates and a fixed file name; update with
``pytest tests/functional/tui --update-snapshots`` and look at the SVGs (a browser shows them) before committing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.tui.screens.wizard import CHECK_STEP
from tests.functional.tui.drive import settle, sync

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "sample_assessments" / "wijkaanpak_samen_sterk_eindhoven.toml"


@sync
async def test_every_step_and_result(make_app: Any, criteria: Criteria, tmp_path: Path, snapshot: Any) -> None:
    file = tmp_path / "wijkaanpak.toml"
    file.write_bytes(SAMPLE.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        wizard = pilot.app.wizard
        for n, step in enumerate(criteria.document.steps, 1):
            await wizard.show_step(step.id)
            await settle(pilot)
            snapshot(pilot.app, f"step_{n:02d}_{step.id}")
        page = pilot.app.screen.query_one("#page-resultaat")
        page.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        snapshot(pilot.app, "step_12_resultaat_trace")
        await wizard.show_step(CHECK_STEP)  # the last page: every answer, before saving
        await settle(pilot)
        snapshot(pilot.app, f"step_{len(wizard.steps):02d}_{CHECK_STEP}")


@sync
async def test_start_screen(make_app: Any, snapshot: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        snapshot(pilot.app, "start")


@sync
async def test_small_terminal(make_app: Any, tmp_path: Path, snapshot: Any) -> None:
    """80×24: the live panel folds away, the steps and the question stay readable."""
    file = tmp_path / "wijkaanpak.toml"
    file.write_bytes(SAMPLE.read_bytes())
    app = make_app(path=file)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        snapshot(pilot.app, "small_80x24_step1")
        await pilot.press("ctrl+r")
        await settle(pilot)
        snapshot(pilot.app, "small_80x24_result")
