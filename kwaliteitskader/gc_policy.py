"""How the application uses Python's cycle collector: decided here, once, at the entry points.

The library (``kwaliteitskader.core``) never touches :mod:`gc`: whether a process may keep the collector away
from what it holds is the decision of the program that owns the process, not of a function it calls.

Why it matters: Python's cycle collector visits every object that can be part of a reference cycle. A
command that judges 50,000 files keeps 50,000 portfolio rows (about a million tuples, strings and dates)
and the engine's caches; with Python's default thresholds a full pass comes each time the heap has grown by
a quarter, and each pass walks everything kept so far, again and again, although none of it is garbage
(rows hold no cycles, and judging an assessment leaves no cyclic garbage: a test checks it).

- :func:`for_commands` (``kwaliteitskader.cli.main``, before any command runs): what is alive at start
  (the imported program) is frozen out of the collector's sight, and the collector passes over young
  objects after 20,000 new ones instead of 700 and almost never over everything, so what a command keeps
  is not walked again and again; short-lived cycles are still collected while they are young. Worker
  processes forked from it inherit these thresholds and freeze what they inherited, so the collector
  neither walks nor (by touching it) copies the parent's memory pages.
- :func:`for_apps` (an interactive application starting: the wizard, the compare view): Python's own
  thresholds again, since such a process runs for hours and makes garbage with cycles (closed screens,
  widgets) that must be collected.
- :func:`settle`, :func:`release`, :func:`renew`, :func:`paused`: for an application that holds many rows
  while it keeps running (the compare view): keep them out of the collector's sight while they are held,
  and give them back when they go.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator

APP_THRESHOLDS: tuple[int, int, int] = (700, 10, 10)
"""Python's default thresholds (youngest generation, middle, oldest): what a long-running application uses."""
COMMAND_THRESHOLDS: tuple[int, int, int] = (20_000, 50, 1000)
"""A command's thresholds: a pass over young objects after 20,000 new ones; a full pass only after 50,000 of
those, which a command judging 50,000 files does not reach."""

_hooked = False


def _freeze_inherited() -> None:
    """In a forked worker: what it inherited from the command lives as long as it does; out of sight."""
    gc.freeze()


def for_commands() -> None:
    """A command that reads files and exits: see the module docstring. Called once, by ``cli.main``."""
    global _hooked
    gc.freeze()
    gc.set_threshold(*COMMAND_THRESHOLDS)
    if not _hooked and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_freeze_inherited)
        _hooked = True


def for_apps() -> None:
    """An interactive application starting: everything back in the collector's sight, Python's thresholds."""
    gc.unfreeze()
    gc.set_threshold(*APP_THRESHOLDS)


def settle() -> None:
    """After storing a batch of rows that will be held for long: the collector no longer visits anything
    alive now (``gc.freeze``). Whoever settles, releases."""
    gc.freeze()


def release() -> None:
    """When the settled rows are no longer held: the collector sees everything again, so what became
    garbage meanwhile is collected."""
    gc.unfreeze()


def renew() -> None:
    """At the end of a long load: everything back in sight, one full collection (what was settled and then
    dropped, in a cycle, goes now), and what is alive then out of sight again. Callers drop what they can
    first, so it goes in this one collection."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collector pass while many rows are made in one go (no cycle among them); as it was afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
