"""The README's exit-code table is true: every documented code of every command is produced by a run here.

The table is read from README.md; each filled-in cell needs a scenario below that gives that code, and every
command of the program has a row. The interactive paths (the app, the compare view) are driven with the pilot.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kwaliteitskader.cli import COMMANDS
from tests.conftest import ROOT, SAMPLES, run_cli

SAMPLE = SAMPLES / "ajb_rotterdam.toml"
CRITERIA = ROOT / "criteria" / "2024.1"


def readme_table() -> dict[str, dict[int, str]]:
    """``{command: {code: cell}}`` from the README's exit-code table (``—`` cells left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = text.split("| opdracht | 0 | 1 | 2 |\n|---|---|---|---|\n", 1)[1].splitlines()
    table: dict[str, dict[int, str]] = {}
    for line in lines:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = cells[0].strip("`*() ").replace("geen opdracht", "")
        table[name] = {code: cell for code, cell in zip((0, 1, 2), cells[1:], strict=True) if cell != "—"}
    return table


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    invalid = tmp_path / "ongeldig" / "ongeldig.toml"
    invalid.parent.mkdir()
    invalid.write_text('schema_version = 2\n\n[target_group]\nage_min = "twaalf"\n', encoding="utf-8")
    broken = tmp_path / "kapot"
    broken.mkdir()
    shutil.copy(SAMPLE, broken / "ajb.toml")
    (broken / "kapot.toml").write_text("dit = = geen toml\n", encoding="utf-8")
    good = tmp_path / "goed"
    good.mkdir()
    shutil.copy(SAMPLE, good / "ajb.toml")
    return {"invalid": invalid, "broken": broken, "good": good, "missing": tmp_path / "bestaat-niet.toml",
            "out": tmp_path / "uit"}


def _scenarios(f: dict[str, Path]) -> dict[tuple[str, int], list[str | Path]]:
    return {
        ("validate", 0): ["validate", f["good"]],
        ("validate", 1): ["validate", f["invalid"]],
        ("validate", 2): ["validate", f["broken"]],
        ("classify", 0): ["classify", f["good"]],
        ("classify", 1): ["classify", f["invalid"]],
        ("classify", 2): ["classify", f["broken"]],
        ("compare", 0): ["compare", f["good"], "--format", "csv"],
        ("compare", 1): ["compare", f["invalid"], "--format", "csv"],
        ("compare", 2): ["compare", f["broken"], "--format", "csv"],
        ("reclassify", 0): ["reclassify", f["good"], "--criteria", CRITERIA],
        ("reclassify", 1): ["reclassify", f["invalid"], "--criteria", CRITERIA],
        ("reclassify", 2): ["reclassify", f["good"], "--criteria", f["missing"]],
        ("report", 0): ["report", SAMPLE, "--format", "md", "-o", f["out"] / "r.md"],
        ("report", 1): ["report", f["invalid"]],
        ("report", 2): ["report", SAMPLE, "-o", f["missing"].parent / "geen-map" / "r.md"],
        ("new", 0): ["new", f["out"] / "vragenlijst.toml"],
        ("new", 2): ["new", SAMPLE],
        ("schema", 0): ["schema", "assessment"],
        ("schema", 2): ["schema", "beoordeling"],
        ("open", 2): ["open"],
        ("serve", 2): ["serve", "--port", "0"],
        ("", 2): ["clasify", SAMPLE],
    }


def test_the_table_has_a_row_for_every_command() -> None:
    assert set(readme_table()) == {*COMMANDS, ""}


def test_every_documented_code_of_the_command_line_is_produced(files: dict[str, Path]) -> None:
    files["out"].mkdir()
    scenarios = _scenarios(files)
    interactive = {("open", 0), ("", 0), ("serve", 0)}  # the tests below
    documented = {(name, code) for name, codes in readme_table().items() for code in codes}
    assert documented - interactive == set(scenarios), "README table and scenarios differ"
    wrong = {}
    for (name, code), args in scenarios.items():
        result = run_cli(*args)
        if result.returncode != code:
            wrong[(name, code)] = (result.returncode, result.stderr[-300:])
    assert not wrong


def test_a_broken_file_gives_2_in_compare_as_in_validate(files: dict[str, Path]) -> None:
    assert run_cli("validate", files["broken"]).returncode == 2
    report = run_cli("compare", files["broken"], "--format", "table")
    assert report.returncode == 2
    assert "kapot.toml:1" in report.stdout + report.stderr  # the table lists it; other formats on stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_stopped_with_ctrl_c_exits_0(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kwaliteitskader", "serve", "--port", str(_free_port())],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if re.search(r"https?://", line):
                break
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_the_compare_view_exits_like_validate(files: dict[str, Path]) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.tui.compare.app import CompareApp

    criteria = load_criteria(None, light=True)

    async def quit_after_loading(folder: Path) -> int | None:
        app = CompareApp([folder], criteria, "nl")
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("q")
        return app.return_code

    assert asyncio.run(quit_after_loading(files["broken"])) == 2
    assert asyncio.run(quit_after_loading(files["good"])) == 0


def test_the_app_closed_normally_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.tui.app import KwaliteitskaderApp

    monkeypatch.setenv("KWALITEITSKADER_DATA_DIR", str(tmp_path / "data"))
    criteria = load_criteria(None, light=True)

    async def open_and_quit() -> int | None:
        app = KwaliteitskaderApp(criteria, "nl", SAMPLE, data_folder=tmp_path / "data", autosave_seconds=None)
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press("ctrl+q")
            await pilot.pause()
        return app.return_code

    assert asyncio.run(open_and_quit()) == 0
