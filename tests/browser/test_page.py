"""The browser page as a first user meets it, and axe-core on every page the program makes.

- The page has a ``<title>``; the terminal has the keyboard at once (alt+n works without a click or Tab);
  the start screen names the same quit key as the footer (alt+q, ctrl+q being the browser's own); the
  console shows no error, in particular none about the Content-Security-Policy.
- axe-core (npm ``axe-core``, injected into the page) finds no serious or critical violation on the served
  page, the HTML report of an assessment and the HTML overview of ``compare``.

axe-core is found at ``$KWALITEITSKADER_AXE`` (``.ci/run`` installs it with npm into a cache folder), else
in that cache folder. Without it these tests are skipped, unless ``KWALITEITSKADER_BROWSER_TESTS=required``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# test_browser skips (or fails) the module when Playwright or Chromium is missing, before Playwright is imported
from tests.browser.test_browser import CHROMIUM, LAUNCH_ARGS, START_TIMEOUT, Page, Terminal, serving, sync_playwright
from tests.conftest import SAMPLES, run_cli

AXE = Path(os.environ.get("KWALITEITSKADER_AXE")
           or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kwaliteitskader-axe"
           / "node_modules" / "axe-core" / "axe.min.js")
SERIOUS = ("serious", "critical")


def _axe_or_skip() -> Path:
    if AXE.is_file():
        return AXE
    reason = f"axe-core is missing at {AXE} (npm install --prefix <folder> axe-core; KWALITEITSKADER_AXE=…/axe.min.js)"
    if os.environ.get("KWALITEITSKADER_BROWSER_TESTS") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now, and every text whose
    contrast axe could not decide: it leaves coloured bars with their own text colour "to review", and a
    contrast nobody checked is not a contrast that passed."""
    page.add_script_tag(path=str(_axe_or_skip()))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations', 'incomplete']})")
    undecided = [v for v in result["incomplete"] if v["id"] == "color-contrast"]
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
        for v in [*result["violations"], *undecided] if v["impact"] in SERIOUS
    ]


@dataclass
class FirstVisit:
    """What a first user met: the page's title, where the keyboard was, what the screen said, the console."""

    title: str = ""
    focused: str = ""
    alt_n_worked: bool = False
    start_screen: str = ""
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def first_visit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstVisit]:
    """The served page opened once and used as it comes: no click, no Tab, just alt+n."""
    seen = FirstVisit()
    with serving(tmp_path_factory.mktemp("bezoek")) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: seen.errors.append(str(error)))
            terminal = Terminal(page)
            page.goto(server.url)
            terminal.wait_for("Nieuwe beoordeling", timeout=START_TIMEOUT)
            terminal.quiet()
            seen.title = page.title()
            seen.start_screen = "".join(terminal.frames)
            seen.focused = str(page.evaluate("document.activeElement ? document.activeElement.className : ''"))
            since = terminal.mark()
            page.keyboard.press("Alt+n")
            try:
                terminal.wait_for("Stappen", since, timeout=10)
                seen.alt_n_worked = True
            except AssertionError:
                seen.alt_n_worked = False
        finally:
            browser.close()
    yield seen


def test_the_page_has_a_title(first_visit: FirstVisit) -> None:
    assert first_visit.title == "Kwaliteitskader jeugdinterventies"


def test_the_terminal_has_the_keyboard_at_once(first_visit: FirstVisit) -> None:
    assert "xterm-helper-textarea" in first_visit.focused
    assert first_visit.alt_n_worked, "alt+n did nothing without a click first"


def test_the_start_screen_names_the_footers_quit_key(first_visit: FirstVisit) -> None:
    """ctrl+q is the browser's own key (it quits the browser); the footer says alt+q, and so does the text."""
    assert "alt+q sluit af" in first_visit.start_screen
    assert "ctrl+q sluit af" not in first_visit.start_screen


def test_no_content_security_policy_errors(first_visit: FirstVisit) -> None:
    assert not [e for e in first_visit.errors if "Content Security Policy" in e or "Content-Security-Policy" in e], \
        first_visit.errors


def test_no_console_errors_at_all(first_visit: FirstVisit) -> None:
    assert first_visit.errors == []


def test_axe_finds_nothing_serious_on_the_served_page(tmp_path: Path) -> None:
    _axe_or_skip()
    with serving(tmp_path) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            terminal = Terminal(page)
            page.goto(served.url)
            terminal.wait_for("Nieuwe beoordeling", timeout=START_TIMEOUT)
            terminal.quiet()
            found = serious_violations(page)
        finally:
            browser.close()
    assert found == []


@pytest.mark.parametrize("output", ["report", "compare"])
def test_axe_finds_nothing_serious_in_the_html_outputs(output: str, tmp_path: Path) -> None:
    _axe_or_skip()
    target = tmp_path / f"{output}.html"
    if output == "report":
        result = run_cli("report", SAMPLES / "ipta_amsterdam.toml", "--format", "html", "--output", target)
    else:
        result = run_cli("compare", SAMPLES, "--format", "html", "--output", target)
    assert result.returncode in (0, 1), result.stderr
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(target.as_uri())
            found = serious_violations(page)
        finally:
            browser.close()
    assert found == []
