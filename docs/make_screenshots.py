"""Write every screenshot in docs/: the wizard and the compare view (SVG, Textual's own export) and the
wizard in a real browser (PNG).

    PYTHONPATH=. python docs/make_screenshots.py            # all, Dutch
    PYTHONPATH=. python docs/make_screenshots.py en         # the SVGs in English, with an -en suffix

Drives the real applications headless with ``App.run_test()`` on the bundled criteria and the samples,
with a fixed date and no autosave, so the pictures only change when the screens do. The browser picture
(``browser-verdict.png``) is the one the real-browser test takes after a harm signal
(tests/browser/test_browser.py, Chromium from Debian's chromium-headless-shell and Playwright); without
those it is left as it is, with a message. tests/unit/test_docs_images.py fails when the README shows a
picture that is not there, or docs/ holds one that nothing shows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kwaliteitskader.core.i18n import set_language
from kwaliteitskader.core.io.load import load_criteria

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SAMPLES = ROOT / "sample_assessments"
SIZE = (132, 42)
COMPARE_SIZE = (150, 42)
TODAY = dt.date(2025, 11, 1)
STEP_WAIT = 200  # at most this many pauses while waiting for background loading


async def wizard(lang: str) -> list[Path]:
    from kwaliteitskader.tui.app import KwaliteitskaderApp

    written = []
    with tempfile.TemporaryDirectory() as data:
        app = KwaliteitskaderApp(
            load_criteria(), lang, SAMPLES / "onvolledig_weerbaarheid_enschede.toml",
            data_folder=Path(data), today=lambda: TODAY, autosave_seconds=None, samples=SAMPLES,
        )
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.wizard
            if screen is None:
                raise SystemExit("the wizard did not open the sample")
            for step, name in (("bewijs", "wizard"), (screen.steps[-1], "wizard-result")):
                await screen.show_step(step)
                await pilot.pause()
                target = DOCS / f"screenshot-{name}{'' if lang == 'nl' else '-' + lang}.svg"
                target.write_text(app.export_screenshot(title="kwaliteitskader"), encoding="utf-8")
                written.append(target)
    return written


async def compare(lang: str) -> list[Path]:
    from kwaliteitskader.tui.compare.app import CompareApp

    app = CompareApp([SAMPLES.relative_to(ROOT)], load_criteria(), lang, today=TODAY)
    expected = len(list(SAMPLES.glob("*.toml")))
    async with app.run_test(size=COMPARE_SIZE) as pilot:
        screen = app.compare_screen
        for _ in range(STEP_WAIT):
            await pilot.pause(0.05)
            if len(screen.rows) + len(screen.errors) >= expected:
                await pilot.pause(0.2)  # let the sort at the end of loading repaint
                break
        else:
            raise SystemExit("the compare view did not finish loading the samples")
        await pilot.press("down")
        await pilot.pause()
        target = DOCS / f"screenshot-compare{'' if lang == 'nl' else '-' + lang}.svg"
        target.write_text(app.export_screenshot(title="kwaliteitskader compare"), encoding="utf-8")
    return [target]


BROWSER_PICTURES = ("browser-verdict.png",)
"""The pictures of the browser test that the README shows (the test takes more; those are not kept)."""


def browser() -> list[Path]:
    """Run the real-browser test with its pictures going to a temporary folder; keep the ones shown."""
    with tempfile.TemporaryDirectory() as shots:
        env = {**os.environ, "KWALITEITSKADER_BROWSER_SCREENSHOTS": shots, "KWALITEITSKADER_LANG": "nl"}
        test = "tests/browser/test_browser.py::test_fill_in_and_save_an_assessment_in_the_browser"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist", test]
        result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 - this Python, pytest, our test
        taken = [Path(shots) / name for name in BROWSER_PICTURES]
        if result.returncode != 0 or not all(p.is_file() for p in taken):
            print("browser pictures not made (is chromium-headless-shell with playwright installed?)", file=sys.stderr)
            return []
        for picture in taken:
            shutil.copyfile(picture, DOCS / picture.name)
        return [DOCS / picture.name for picture in taken]


async def main() -> None:
    lang = sys.argv[1] if len(sys.argv) > 1 else "nl"
    os.chdir(ROOT)  # relative file names in the pictures, not this computer's folders
    set_language(lang)
    for path in [*await wizard(lang), *await compare(lang), *(browser() if lang == "nl" else [])]:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main())
