"""Waiting for a Textual app driven by its pilot (``App.run_test()``), shared by every TUI test.

A test waits for a state, never for a time: :func:`wait_until` pauses (letting the app process its messages)
until a condition holds and fails with what it waited for when it does not hold within ``timeout`` seconds,
which is generous so that a busy machine slows a test down instead of failing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

T = TypeVar("T")

TIMEOUT = 60.0


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an ``async def`` test with ``asyncio.run`` (no pytest-asyncio needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def wait_until(pilot: Pilot[Any], condition: Callable[[], T], what: str, *, timeout: float = TIMEOUT) -> T:
    """Pause until ``condition()`` is true and return its value; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        await pilot.pause(0.01)
    await pilot.pause()
    return value


async def wait_for_screen(pilot: Pilot[Any], kind: type[T]) -> T:
    """Wait until a screen of ``kind`` is on top and return it."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), f"a {kind.__name__} on top")
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the workers are done and every footer shows its keys (it is rebuilt after focus changes),
    so that a screenshot does not depend on how busy the machine is."""
    from textual.widgets import Footer

    await pilot.app.workers.wait_for_complete()
    with contextlib.suppress(AssertionError):  # a screen without keys has an empty footer: go on after a while
        await wait_until(pilot, lambda: all(footer.children for footer in pilot.app.screen.query(Footer)),
                         "the footer's keys", timeout=5.0)
    await pilot.pause()


async def wait_for_compare_rows(pilot: Pilot[Any]) -> None:
    """Wait until the compare view (``CompareApp``) has loaded all its rows."""
    app: Any = pilot.app
    screen = app.compare_screen
    await wait_until(pilot, lambda: not screen.loading_rows, "the compare view's rows")
