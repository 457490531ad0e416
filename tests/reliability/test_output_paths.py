"""One output-path rule everywhere (issue #15, problem 2): ``report -o``, ``compare -o`` (and, in
tests/tui/test_security_tui.py and tests/compare/test_view_security.py, F2, F3 and the compare view's export).

Only a regular file is written; a device, FIFO, socket, folder or symbolic link is refused; an input of the
same command and an existing assessment are never replaced; any other existing file only with ``--force``.
Every refusal: exit 2, a clear message in Dutch and English, and nothing changed on disk.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from kwaliteitskader.core.io.safefiles import OutputRefused, Refusal, check_output
from tests.conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "kapot_sterk_tilburg.toml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.toml").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "b.toml").write_bytes((SAMPLES / "ajb_rotterdam.toml").read_bytes())
    (tmp_path / "koppeling.md").symlink_to("b.toml")
    (tmp_path / "los.md").symlink_to("bestaat-niet.md")
    (tmp_path / "map.md").mkdir()
    (tmp_path / "bestaand.md").write_text("oud rapport\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pijp.md")
    return tmp_path


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """What is in the folder: each entry's type and content (a link's target, a file's bytes)."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for entry in sorted(folder.iterdir()):
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[entry.name] = (stat.S_IFMT(mode), os.readlink(entry))
        elif stat.S_ISREG(mode):
            found[entry.name] = (stat.S_IFMT(mode), entry.read_bytes())
        else:
            found[entry.name] = (stat.S_IFMT(mode), b"")
    return found


REFUSED = {
    # destination: words of the Dutch reason
    "/dev/null": "geen gewoon bestand maar een apparaatbestand",
    "/dev/full": "geen gewoon bestand maar een apparaatbestand",
    "koppeling.md": "symbolische koppeling",
    "los.md": "symbolische koppeling",
    "map.md": "geen gewoon bestand maar een map",
    "pijp.md": "geen gewoon bestand maar een FIFO",
    "b.toml": "daar staat een beoordeling",
    "a.toml": "invoerbestand van deze opdracht",
    "bestaand.md": "het bestand bestaat al",
}


@pytest.mark.parametrize("command", ["report", "compare"])
@pytest.mark.parametrize("destination", list(REFUSED))
def test_refused_destinations_change_nothing(folder: Path, command: str, destination: str) -> None:
    devices = {d: os.stat(d) for d in ("/dev/null", "/dev/full")}
    before = _snapshot(folder)
    source = "a.toml" if command == "report" else "."
    result = run_cli(command, source, "-o", destination, cwd=folder)
    assert result.returncode == 2, result.stdout + result.stderr
    reason = REFUSED[destination]
    if command == "compare" and destination == "b.toml":
        reason = "invoerbestand van deze opdracht"  # compare reads the whole folder: b.toml is an input too
    assert reason in result.stderr and "Er is niets veranderd" in result.stderr
    assert _snapshot(folder) == before
    for device, was in devices.items():  # still the device, not a regular file put in its place
        now = os.stat(device)
        assert stat.S_ISCHR(now.st_mode) and now.st_rdev == was.st_rdev


def test_force_replaces_an_ordinary_file_but_never_an_assessment_or_an_input(folder: Path) -> None:
    result = run_cli("report", "a.toml", "-o", "bestaand.md", cwd=folder)
    assert result.returncode == 2 and "Gebruik --force" in result.stderr
    assert run_cli("report", "a.toml", "-o", "bestaand.md", "--force", cwd=folder).returncode == 0
    assert "Kapot Sterk" in (folder / "bestaand.md").read_text(encoding="utf-8")
    before = _snapshot(folder)
    for destination in ("b.toml", "a.toml", "koppeling.md", "/dev/null"):
        assert run_cli("report", "a.toml", "-o", destination, "--force", cwd=folder).returncode == 2, destination
    assert run_cli("compare", ".", "-o", "a.toml", "--force", cwd=folder).returncode == 2
    assert _snapshot(folder) == before
    assert run_cli("compare", ".", "-o", "nieuw.csv", cwd=folder).returncode in (0, 1, 2)  # rows; errors for the FIFO
    assert (folder / "nieuw.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_messages_in_english(folder: Path) -> None:
    result = run_cli("--lang", "en", "report", "a.toml", "-o", "b.toml", cwd=folder)
    assert result.returncode == 2
    assert "Not written to b.toml: it holds an assessment" in result.stderr and "Nothing was changed" in result.stderr
    result = run_cli("--lang", "en", "report", "a.toml", "-o", "bestaand.md", cwd=folder)
    assert "Use --force to replace it." in result.stderr


def test_the_rule_itself(folder: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "sok.md"))
        with pytest.raises(OutputRefused) as refused:
            check_output(folder / "sok.md")
        assert refused.value.kind is Refusal.NOT_REGULAR and "socket" in refused.value.reason
    check_output(folder / "nieuw.md")  # a new name is fine
    check_output(folder / "bestaand.md", force=True)
    # saving an assessment over another one: the user is asked (may_confirm), never silently
    with pytest.raises(OutputRefused) as refused:
        check_output(folder / "b.toml", assessment=True)
    assert refused.value.may_confirm
    check_output(folder / "b.toml", assessment=True, replaces=folder / "b.toml")  # its own file: no question
    # a file that is an assessment by content, whatever its name
    (folder / "vermomd.md").write_bytes(SAMPLE.read_bytes())
    with pytest.raises(OutputRefused) as refused:
        check_output(folder / "vermomd.md", force=True)
    assert refused.value.kind is Refusal.ASSESSMENT
    # an input given as a folder covers the TOML files inside it
    with pytest.raises(OutputRefused) as refused:
        check_output(folder / "a.toml", inputs=[folder], assessment=True, force=True)
    assert refused.value.kind is Refusal.INPUT
