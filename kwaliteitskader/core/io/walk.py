"""Finding the TOML files under a folder, once and cheaply.

``validate`` and ``compare`` are given folders of thousands of assessments. Walking them with
``Path.rglob`` twice (once for criteria folders, once for files), then checking every file's parents,
cost ~150 ms for 5,000 files, and several times that while the compare view drew its first screen in
another thread (docs/performance.md). :func:`walk_toml` makes one pass with :func:`os.scandir` and
returns what those calls returned: the same entries, in the same order as ``sorted(rglob(...))``; symbolic
links to folders are not followed, as ``rglob`` does. Folders that cannot be read are skipped, as ``rglob``
does, but listed in :attr:`Found.unreadable`, so that ``validate`` and ``compare`` can say so instead of
leaving them out silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

CRITERIA_MARK = "kader.toml"
"""A folder holding this file is a criteria set; its TOML files are not assessments."""


@dataclass
class Found:
    criteria_folders: list[Path] = field(default_factory=list)
    """Folders holding a ``kader.toml``, in the order ``rglob("kader.toml")`` finds them."""
    entries: list[tuple[Path, bool]] = field(default_factory=list)
    """Entries named ``*.toml`` outside every criteria folder (files, links, even folders), sorted, each with
    whether it is a file (following symbolic links, like ``Path.is_file()``)."""

    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)
    """Folders below the start that could not be read (no permission, …), with the reason."""

    @property
    def toml(self) -> list[Path]:
        return [path for path, _ in self.entries]

    @property
    def files(self) -> list[Path]:
        return [path for path, is_file in self.entries if is_file]


def walk_toml(folder: Path) -> Found:
    found = Found()
    _walk(Path(folder), False, found)
    found.entries.sort(key=lambda entry: entry[0].parts)  # how ``sorted()`` orders paths on POSIX
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _walk(folder: Path, inside_criteria: bool, found: Found) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except (NotADirectoryError, FileNotFoundError):
        return  # gone, or replaced by a file, since it was listed: nothing to read
    except OSError as exc:
        found.unreadable.append((folder, exc))
        return
    if any(entry.name == CRITERIA_MARK for entry in entries):
        found.criteria_folders.append(folder)
        inside_criteria = True
    subfolders: list[Path] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir() and not entry.is_symlink()
        except OSError:
            is_folder = False
        if is_folder:
            subfolders.append(folder / entry.name)
        if not inside_criteria and entry.name.endswith(".toml"):
            found.entries.append((folder / entry.name, _is_file(entry)))
    for subfolder in subfolders:
        _walk(subfolder, inside_criteria, found)
