"""Finding the TOML files under a folder, once and cheaply.

``validate`` and ``compare`` are given folders of thousands of assessments. Walking them with
``Path.rglob`` twice (once for criteria folders, once for files), then checking every file's parents,
is slow, the more so while the compare view draws its first screen in another thread.
:func:`walk_toml` makes one pass with :func:`os.scandir` and
returns what those calls would return: the same entries, in the same order as ``sorted(rglob(...))``; symbolic
links to folders are not followed, as ``rglob`` does. Folders that cannot be read are skipped, as ``rglob``
does, but listed in :attr:`Found.unreadable`, so that ``validate`` and ``compare`` can say so instead of
leaving them out silently.

The walk works with paths as text (a folder's text, a separator, an entry's name) and makes a
:class:`~pathlib.Path` only where one is asked for: 50,000 ``Path`` objects cost more than the walk itself,
and ``compare`` only needs the text (:attr:`Found.paths`). For the compare view it is on the way to the
first rows, so the work per entry is kept in C where it can be: one list comprehension per question over
a folder's entries, the names sorted per folder (a part of a path never holds a separator, so no key is
needed), and the few entries that are no file kept apart (:attr:`Found.not_files`) instead of a flag on
every one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

CRITERIA_MARK = "kader.toml"
"""A folder holding this file is a criteria set; its TOML files are not assessments."""


@dataclass
class Found:
    criteria_folders: list[Path] = field(default_factory=list)
    """Folders holding a ``kader.toml``, in the order ``rglob("kader.toml")`` finds them."""
    paths: list[str] = field(default_factory=list)
    """Entries named ``*.toml`` outside every criteria folder (files, links, even folders), as text (as
    ``str(path)`` of the ``Path`` the entry is), sorted as ``sorted()`` sorts those paths."""
    not_files: set[str] = field(default_factory=set)
    """Those of :attr:`paths` that are no file (following symbolic links, like ``Path.is_file()``): folders,
    dangling links, FIFOs… Usually none, so a caller wanting the files has nothing to look at per entry."""

    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)
    """Folders below the start that could not be read (no permission, …), with the reason."""

    @property
    def toml(self) -> list[Path]:
        return [Path(name) for name in self.paths]

    @property
    def files(self) -> list[Path]:
        return [Path(name) for name in self.paths if name not in self.not_files]


def walk_toml(folder: Path | str) -> Found:
    found = Found()
    top = str(Path(folder))  # the text ``Path`` makes of it ("pf/" and "./pf" are "pf"), as before
    listed: dict[str, _Listing] = {}
    _walk(top, _prefix(top), False, found, listed)
    _in_order(top, listed, found)
    return found


class _Listing(NamedTuple):
    """What one folder holds: its prefix, its ``*.toml`` entries (names; those that are no file apart)
    and its folders (names), each in the order the folder lists them."""

    prefix: str
    toml: list[str]
    not_files: set[str]
    folders: list[str]


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


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A folder, not a link to one (``rglob`` does not follow those)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _walk(folder: str, prefix: str, inside_criteria: bool, found: Found, listed: dict[str, _Listing]) -> None:
    """List ``folder`` and the folders below it, in the order ``rglob`` visits them (so that criteria
    folders and unreadable ones are found in its order); the names are put in order afterwards."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except (NotADirectoryError, FileNotFoundError):
        return  # gone, or replaced by a file, since it was listed: nothing to read
    except OSError as exc:
        found.unreadable.append((Path(folder), exc))
        return
    # one pass per question, each in C as far as it goes: a folder of 50,000 files is listed in a few
    # milliseconds, and Python work per entry is what costs (the entry's type comes with the listing)
    if CRITERIA_MARK in [entry.name for entry in entries]:
        found.criteria_folders.append(Path(folder))
        inside_criteria = True
    try:
        folders = [entry.name for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:  # the type had to be asked for, and could not be: as one entry at a time did
        folders = [entry.name for entry in entries if _is_folder(entry)]
    toml: list[str] = []
    not_files: set[str] = set()
    if not inside_criteria:
        named = [entry for entry in entries if entry.name.endswith(".toml")]
        toml = [entry.name for entry in named]
        try:
            not_files = {entry.name for entry in named if not entry.is_file()}  # following links, as is_file()
        except OSError:
            not_files = {entry.name for entry in named if not _is_file(entry)}
    listed[folder] = _Listing(prefix, toml, not_files, folders)
    for name in folders:
        subfolder = prefix + name
        _walk(subfolder, subfolder + os.sep, inside_criteria, found, listed)


def _in_order(folder: str, listed: dict[str, _Listing], found: Found) -> None:
    """Append the ``*.toml`` names under ``folder`` in path order: ``sorted()`` of ``Path`` objects compares
    part by part, so within a folder its entries go by name, and everything below a folder comes where
    that folder's name goes (after an entry of the same name: a folder called ``x.toml``)."""
    listing = listed.get(folder)
    if listing is None:
        return  # could not be read
    prefix, toml = listing.prefix, listing.toml
    found.not_files.update(prefix + name for name in listing.not_files)
    if not listing.folders:  # the usual case, and a folder of 50,000 files: one sort of the names
        toml.sort()
        found.paths += map(prefix.__add__, toml)
        return
    for name, is_folder in sorted([(name, 0) for name in toml] + [(name, 1) for name in listing.folders]):
        if is_folder:
            _in_order(prefix + name, listed, found)
        else:
            found.paths.append(prefix + name)
