"""Finding the TOML files under a folder, once and cheaply.

``validate`` and ``compare`` are given folders of thousands of assessments. Walking them with
``Path.rglob`` twice (once for criteria folders, once for files), then checking every file's parents,
cost ~150 ms for 5,000 files, and several times that while the compare view drew its first screen in
another thread (docs/performance.md). :func:`walk_toml` makes one pass with :func:`os.scandir` and
returns what those calls returned: the same entries, in the same order as ``sorted(rglob(...))``; symbolic
links to folders are not followed, as ``rglob`` does. Folders that cannot be read are skipped, as ``rglob``
does, but listed in :attr:`Found.unreadable`, so that ``validate`` and ``compare`` can say so instead of
leaving them out silently.

The walk works with paths as text (a folder's text, a separator, an entry's name) and makes a
:class:`~pathlib.Path` only where one is asked for: 50,000 ``Path`` objects cost more than the walk itself,
and ``compare`` only needs the text (:attr:`Found.names`).
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
    names: list[tuple[str, bool]] = field(default_factory=list)
    """Entries named ``*.toml`` outside every criteria folder (files, links, even folders), as text (as
    ``str(path)`` of the ``Path`` the entry is), sorted as ``sorted()`` sorts those paths, each with whether
    it is a file (following symbolic links, like ``Path.is_file()``)."""

    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)
    """Folders below the start that could not be read (no permission, …), with the reason."""

    @property
    def toml(self) -> list[Path]:
        return [Path(name) for name, _ in self.names]

    @property
    def files(self) -> list[Path]:
        return [Path(name) for name, is_file in self.names if is_file]


_NUL = "\0"


def path_order(name: str) -> str:
    """Sort key that orders paths as text exactly as ``sorted()`` orders them as ``Path`` objects on POSIX
    (part by part): the separator becomes NUL, which no file name contains, so it sorts before every
    character a part can hold ("a/b" before "a-b", as ``("a", "b") < ("a-b",)``)."""
    return name.replace(os.sep, _NUL)


def walk_toml(folder: Path | str) -> Found:
    found = Found()
    top = str(Path(folder))  # the text ``Path`` makes of it ("pf/" and "./pf" are "pf"), as before
    _walk(top, _prefix(top), False, found)
    found.names.sort(key=lambda entry: path_order(entry[0]))
    return found


def _prefix(folder: str) -> str:
    """What goes before an entry's name: ``Path(".") / "x"`` is ``x``, ``Path("/") / "x"`` is ``/x``."""
    if folder == ".":
        return ""
    return folder if folder.endswith(os.sep) else folder + os.sep


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _walk(folder: str, prefix: str, inside_criteria: bool, found: Found) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except (NotADirectoryError, FileNotFoundError):
        return  # gone, or replaced by a file, since it was listed: nothing to read
    except OSError as exc:
        found.unreadable.append((Path(folder), exc))
        return
    if any(entry.name == CRITERIA_MARK for entry in entries):
        found.criteria_folders.append(Path(folder))
        inside_criteria = True
    subfolders: list[str] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir() and not entry.is_symlink()
        except OSError:
            is_folder = False
        if is_folder:
            subfolders.append(prefix + entry.name)
        if not inside_criteria and entry.name.endswith(".toml"):
            found.names.append((prefix + entry.name, _is_file(entry)))
    for subfolder in subfolders:
        _walk(subfolder, subfolder + os.sep, inside_criteria, found)
