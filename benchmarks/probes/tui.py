"""Probe: the TUI's first screen, a minimal Textual app's first screen, and the wizard's live verdict.

``python benchmarks/probes/tui.py minimal|app|wizard`` prints ``first_idle_ms=…`` (from the start of this
process's Python code, imports included, until the first screen is up and the app is idle), and for
``wizard`` also ``update_ms=…`` (median time from a key press that changes an answer until the live
verdict shows the new class and the app is idle again). ``result [WIDTHxHEIGHT]`` prints ``result_page_ms``:
from ctrl+r on an incomplete sample until the last frame that changed what the screen shows (the result
page fully drawn).
"""

from __future__ import annotations

import time

START = time.perf_counter()

import asyncio  # noqa: E402 - the clock starts before any import
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SIZE = (100, 32)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


async def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("kwaliteitskader")
            yield Footer()

    app = Minimal()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        print(f"first_idle_ms={ms(time.perf_counter() - START)}")


def build_app(data: Path, path: Path | None) -> Any:
    from kwaliteitskader.tui.app import KwaliteitskaderApp, load_app_criteria

    # as run_app does it, but with a temporary data folder (no recent files, no recovery copy) and no timers
    return KwaliteitskaderApp(load_app_criteria(), "nl", path, data_folder=data, autosave_seconds=None, cursor_blink=False)


async def first_screen() -> None:
    with tempfile.TemporaryDirectory() as data:
        app = build_app(Path(data), None)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            print(f"first_idle_ms={ms(time.perf_counter() - START)}")


async def wizard() -> None:
    """Open a sample, go to the monitoring-plan question and switch it between ja and nee by keyboard:
    that moves the verdict between two rules (kansrijk gemonitord / ongemonitord).

    Timed: from the Enter key event (sent as the pilot sends it) until the wizard's live verdict summary
    shows the new verdict. The pilot's own waiting for every widget on the screen to go idle is not part
    of what a person sees, so it is reported apart (``press_roundtrip_ms``)."""
    from textual import events

    sample = ROOT / "sample_assessments" / "rio_den_haag.toml"
    field = "delivery.monitoring_plan"
    with tempfile.TemporaryDirectory() as data:
        app = build_app(Path(data), sample)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            print(f"first_idle_ms={ms(time.perf_counter() - START)}")
            from textual.widgets import RadioSet

            from kwaliteitskader.tui.widgets.questions import TRI_ORDER, QuestionField, widget_id

            screen = app.wizard
            summary = screen.query_one("#summary")
            await screen.jump_to(field)
            await pilot.pause()
            radio = screen.query_one(f"#{widget_id(field)}", QuestionField).query_one(RadioSet)
            if app.focused is not radio:
                radio.focus()
                await pilot.pause()
            updates, roundtrips = [], []
            for _ in range(9):
                before = summary.verdict.rule
                current = radio.pressed_index if radio.pressed_index >= 0 else len(TRI_ORDER) - 1
                target = 1 if TRI_ORDER[current].value == "ja" else 0  # ja <-> nee
                await pilot.press(*(["right"] * (target - current) if target > current else ["left"] * (current - target)))
                start = time.perf_counter()
                key = events.Key("enter", "\r")
                key.set_sender(app)
                app._driver.send_message(key)
                while summary.verdict.rule == before:
                    if time.perf_counter() - start > 10:
                        print(f"verdict did not change ({before})", file=sys.stderr)
                        sys.exit(3)
                    await asyncio.sleep(0.0005)
                updates.append(time.perf_counter() - start)
                await pilot.pause()
                roundtrips.append(time.perf_counter() - start)
            print(f"update_ms={ms(statistics.median(updates))}")
            print(f"press_roundtrip_ms={ms(statistics.median(roundtrips))}")


async def result_page() -> None:
    """ctrl+r on an incomplete sample: the time from the key event until the last frame that differs from
    the one before, once nothing changes for half a second (a frame is what the terminal would get)."""
    from textual import events

    size = tuple(int(n) for n in sys.argv[2].split("x")) if len(sys.argv) > 2 else (120, 40)
    sample = ROOT / "sample_assessments" / "onvolledig_weerbaarheid_enschede.toml"
    with tempfile.TemporaryDirectory() as data:
        app = build_app(Path(data), sample)
        async with app.run_test(size=size) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            frames: list[tuple[float, str]] = []
            original = app._display

            def display(target: Any, renderable: Any) -> None:
                if renderable is not None:
                    text = "\n".join("".join(s.text for s in strip) for strip in target._compositor.render_strips())
                    frames.append((time.perf_counter(), text))
                original(target, renderable)

            app._display = display  # type: ignore[method-assign]
            start = time.perf_counter()
            key = events.Key("ctrl+r", None)
            key.set_sender(app)
            app._driver.send_message(key)
            while not frames or time.perf_counter() - frames[-1][0] < 0.5:
                if time.perf_counter() - start > 20:
                    sys.exit(3)
                await asyncio.sleep(0.01)
            texts = ["", *(text for _, text in frames)]
            changed = [at for (at, text), before in zip(frames, texts, strict=False) if text != before]
            print(f"result_page_ms={ms(changed[-1] - start)}")
            print(f"frames={len(frames)}")
            print(f"shown={int('Ontbrekende antwoorden' in frames[-1][1])}")


if __name__ == "__main__":
    mode = sys.argv[1]
    asyncio.run({"minimal": minimal, "app": first_screen, "wizard": wizard, "result": result_page}[mode]())
