"""The program's two folders on the user's machine, in one place for the core and the applications alike.

- :func:`cache_dir`: what can be made again (the parsed criteria, the portfolio index); removing it costs time,
  never work.
- :func:`data_dir`: what is the user's (the wizard's autosaves and recent files, the portfolio index's key).

Tests point both at temporary folders through the environment (``tests/conftest.py``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_dir() -> Path | None:
    """``$KWALITEITSKADER_CACHE`` if set (``off``, ``0``, ``no`` or ``false``: no cache, None), else
    ``$XDG_CACHE_HOME/kwaliteitskader`` or ``~/.cache/kwaliteitskader``."""
    setting = os.environ.get("KWALITEITSKADER_CACHE", "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kwaliteitskader"


def data_dir() -> Path:
    """The user's own data folder: ``$KWALITEITSKADER_DATA_DIR`` if set, else ``$XDG_DATA_HOME/kwaliteitskader``,
    ``~/.local/share/kwaliteitskader`` (``%APPDATA%`` on Windows, ``~/Library/Application Support`` on macOS)."""
    env = os.environ.get("KWALITEITSKADER_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kwaliteitskader"
