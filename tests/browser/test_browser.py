"""Browser mode in a real browser: Chromium (Debian's ``chromium-headless-shell``) driven by Playwright.

``serve`` runs on a free loopback port in a temporary folder; the test opens the URL exactly as ``serve``
prints it (it may carry a secret token), waits for the terminal, and then works only through the page's
keyboard, as a policy officer would: a new assessment with alt+n (ctrl+n opens a window in a browser), a
name typed, steps with alt+n, a harm signal answered "ja", saved with ctrl+s into the temporary folder. The
file on disk and its verdict are checked, and the verdict the page showed. A second test records every
request the page makes: none may go to another host than the server.

What the page shows is read from the terminal stream on the websocket (the terminal draws on a canvas);
screenshots of every stage are written to the test's folder, or to ``$KWALITEITSKADER_BROWSER_SCREENSHOTS``
(``docs/make_screenshots.py`` runs this test that way and keeps ``browser-verdict.png`` for the README).

Needs ``playwright`` (pip) and ``/usr/lib/chromium/chromium-headless-shell`` (apt ``chromium-headless-shell``;
Playwright's own browser download is not used). Without them the tests are skipped, unless
``KWALITEITSKADER_BROWSER_TESTS=required`` (set by ``.ci/run``), which turns a missing browser into a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("KWALITEITSKADER_CHROMIUM", "/usr/lib/chromium/chromium-headless-shell"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-default-apps"]
START_TIMEOUT = 60.0
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.", re.S)


def _requirements() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium-headless-shell)"
    return None


_missing = _requirements()
if _missing is not None:
    if os.environ.get("KWALITEITSKADER_BROWSER_TESTS") == "required":
        raise RuntimeError(f"browser tests required, but {_missing}")
    pytest.skip(_missing, allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    url: str
    folder: Path
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)


@contextlib.contextmanager
def serving(tmp_path: Path) -> Iterator[Served]:
    """``kwaliteitskader serve`` on a free port, run from an empty folder; its printed URL, as printed."""
    folder = tmp_path / "werkmap"
    folder.mkdir()
    env = {**os.environ, "KWALITEITSKADER_LANG": "nl", "KWALITEITSKADER_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        [sys.executable, "-m", "kwaliteitskader", "serve", "--port", str(_free_port())],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
    )
    output: list[str] = []
    try:
        assert process.stdout is not None
        url = None
        deadline = time.monotonic() + START_TIMEOUT
        for line in process.stdout:  # serve prints its address once it listens
            output.append(line)
            found = re.search(r"https?://\S+", line)
            if found:
                url = found.group(0).rstrip(".,;)")
                break
            if time.monotonic() > deadline:
                break
        assert url is not None, "serve printed no address:\n" + "".join(output)
        yield Served(url, folder, process, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as server:
        yield server


class Terminal:
    """The page's terminal, read from what the server sends over the websocket (text without escapes)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frames: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: Any) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
        self.frames.append(ANSI.sub("", text))

    def mark(self) -> int:
        return len(self.frames)

    def wait_for(self, text: str, since: int = 0, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in "".join(self.frames[since:]):
                return
            self.page.wait_for_timeout(100)  # lets Playwright deliver events (time.sleep would not)
        tail = "".join(self.frames[-3:])[-1500:]
        raise AssertionError(f"the page never showed {text!r}; last output:\n{tail}")

    def quiet(self, ms: int = 700, timeout: float = 30.0) -> None:
        """Wait until the app has drawn everything for the last key (no output for ``ms``): the way a person
        waits for the screen to settle before typing on, so that no key lands before the focus has moved."""
        deadline = time.monotonic() + timeout
        seen, since = self._drawn(), time.monotonic()
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            if self._drawn() != seen:
                seen, since = self._drawn(), time.monotonic()
            elif time.monotonic() - since >= ms / 1000:
                return

    def _drawn(self) -> int:
        """How many frames drew something new: not a ping's answer, not a blinking cursor (which redraws its
        field in two alternating states, so a frame equal to one of the two before it is no change)."""
        drawn = [f for f in self.frames if not f.startswith('["pong"')]
        return sum(1 for n, f in enumerate(drawn) if f not in drawn[max(0, n - 2):n])

    def press(self, *keys: str, settle: str | None = None) -> None:
        since = self.mark()
        for key in keys:
            self.page.keyboard.press(key)
        if settle is not None:
            self.wait_for(settle, since)
            self.quiet()


def _shots() -> Path | None:
    folder = os.environ.get("KWALITEITSKADER_BROWSER_SCREENSHOTS")
    return Path(folder) if folder else None


def _shoot(page: Page, tmp_path: Path, name: str) -> None:
    for folder in filter(None, (tmp_path, _shots())):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"browser-{name}.png"))


def _open(page: Page, url: str, terminal: Terminal) -> None:
    page.goto(url)
    terminal.wait_for("Nieuwe beoordeling", timeout=START_TIMEOUT)
    page.locator(".xterm-helper-textarea").focus()  # keys go to the terminal, as after a click on it
    terminal.quiet()


def test_fill_in_and_save_an_assessment_in_the_browser(served: Served, tmp_path: Path) -> None:
    from kwaliteitskader.core.io.load import load_assessment, load_criteria
    from kwaliteitskader.core.model.assessment import Assessment, set_path
    from kwaliteitskader.core.rules.engine import evaluate

    criteria = load_criteria()
    steps = [s.id for s in criteria.document.steps]
    # a harm signal that decides on its own (some count only together with another answer)
    signal = next(h for h in criteria.document.harm_signals
                  if not evaluate(set_path(Assessment(), f"harm_signals.{h.id}", "ja"), criteria).provisional)
    signal_index = [h.id for h in criteria.document.harm_signals].index(signal.id)
    target = tmp_path / "opgeslagen" / "buurtvaders.toml"
    target.parent.mkdir()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            terminal = Terminal(page)
            _open(page, served.url, terminal)
            _shoot(page, tmp_path, "start")
            # the footer names the browser-safe key, and it works
            terminal.wait_for("alt+n")
            terminal.press("Alt+n", settle="Stappen")
            terminal.wait_for("1. Interventie")
            terminal.quiet()
            page.keyboard.press("Tab")  # from the assessor's name to the intervention's name
            terminal.quiet()
            since = terminal.mark()
            page.keyboard.type("Buurtvaders Teststad")
            terminal.wait_for("Buurtvaders Teststad", since)
            _shoot(page, tmp_path, "wizard")
            harm_step = steps.index("schadesignalen")
            for step in steps[1:harm_step + 1]:  # step by step, each page drawn before the next key
                explanation = criteria.item("steps", step).explanation.get("nl")
                terminal.press("Alt+n", settle=" ".join(explanation.split()[:3]))
            # the step's first question is focused; Tab goes on to the deciding signal, a yes/no question at
            # "onbekend"; "ja" is two to the left
            for _ in range(signal_index):
                terminal.quiet()
                page.keyboard.press("Tab")
            terminal.quiet()
            since = terminal.mark()
            terminal.press("ArrowLeft", "ArrowLeft", "Enter")
            terminal.wait_for("definitief", since)  # a harm signal decides: the verdict is no longer provisional
            _shoot(page, tmp_path, "verdict")
            terminal.press("Control+s", settle="Pad van het bestand")  # the save dialog (not the footer's "Opslaan")
            page.keyboard.press("Control+a")  # home, then delete to the end: an empty path field
            page.keyboard.press("Control+k")
            terminal.quiet()
            since = terminal.mark()
            page.keyboard.type(str(target))
            terminal.wait_for(target.name, since)  # the field shows the whole path before Enter
            terminal.quiet()
            page.keyboard.press("Enter")
            deadline = time.monotonic() + 30
            while not target.is_file() and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert target.is_file(), "the file was not saved:\n" + "".join(terminal.frames[-2:])[-1500:]
            terminal.wait_for("buurtvaders.toml")  # the title bar names the file
            _shoot(page, tmp_path, "saved")
        finally:
            browser.close()

    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["intervention"]["name"] == "Buurtvaders Teststad"
    assert data["harm_signals"][signal.id] == "ja"
    assert data["meta"]["criteria_version"] == criteria.version
    verdict = evaluate(load_assessment(target).assessment, criteria)
    assert verdict.class_ == "stoppen" and not verdict.provisional
    assert "STOPPEN" in "".join(terminal.frames)  # the class the page showed is the class of the saved file


def test_the_page_asks_nothing_of_any_other_host(served: Served) -> None:
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            terminal = Terminal(page)
            _open(page, served.url, terminal)
            terminal.press("Alt+n", settle="Stappen")
            page.wait_for_timeout(500)
        finally:
            browser.close()
    server = urlsplit(served.url).netloc
    assert requested, "the page made no requests at all"
    elsewhere = sorted({url for url in requested if urlsplit(url).netloc != server})
    assert not elsewhere, f"requests to other hosts than {server}: {elsewhere}"
