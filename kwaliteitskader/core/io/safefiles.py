"""Which files the program opens and which it writes: only regular files, and never the wrong one.

Reading (:func:`read_regular`): a FIFO named ``x.toml`` would block a plain ``open()`` for ever (``validate``,
``compare`` of a folder, the wizard's ``open``), and a device can be endless. Every file from a user is
opened without blocking, checked to be a regular file on the open handle itself (so nothing can be swapped
in between), and read up to a limit; anything else is "geen gewoon bestand".

Writing: one rule for every file written on request: ``-o`` of report and compare, F2 (save as), F3 (the
report from the wizard) and the exports of the compare view. A destination chosen by a user (or typed by
someone else into a shared script, or run as root) must never turn into something it should not:

- only a regular file is written: a device (``/dev/null``, ``/dev/full``), a FIFO, a socket or a folder is
  refused, as is a symbolic link (its target could be anything, even another assessment; the link is never
  followed);
- an input of the same command is never overwritten (``report a.toml -o a.toml``, ``compare . -o x.toml``
  with ``x.toml`` in that folder), and no new ``.toml`` file is made in an input folder (``compare in -o
  in/new.toml``: the next compare of that folder would read the table as an assessment);
- an existing assessment is never replaced by something that is not that assessment (a report, an export);
- any other existing file is replaced only when the user says so: the TUI asks, the CLI wants ``--force``.

:func:`check_output` decides before anything is written; when it refuses, nothing has changed. It is a
check of the path as it is now; the write itself (:func:`storage.atomic_write`) replaces the name with a new
file by ``rename`` and so never writes into whatever might appear there later.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from kwaliteitskader.core.i18n import t

ASSESSMENT_SNIFF_BYTES = 64 * 1024


class NotRegularFile(OSError):
    """The path exists but is a FIFO, device, socket or folder; ``kind`` names it for the user."""

    def __init__(self, path: Path, mode: int) -> None:
        self.kind = kind_name(mode)
        super().__init__(0, t("security.load.not_regular", kind=self.kind), str(path))
        self.is_directory = stat.S_ISDIR(mode)


def read_regular(path: Path | str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (the caller decides what "too large" means).

    Raises :class:`NotRegularFile` for anything that is not a regular file (following symbolic links, as
    reading does), and the usual :class:`OSError` otherwise. Never blocks on a FIFO."""
    return read_regular_stat(path, limit)[0]


def read_regular_stat(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """:func:`read_regular`, with the status of the file read, taken on its handle before reading (the
    modification time of the very file whose bytes these are, without a second look-up by name)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(Path(path), mode)
        chunks = []
        left = limit + 1
        # first as much as its status says, and a byte more to see the end: a buffer of 1 MB for a file of 3 KB,
        # shrunk after reading, made the allocator give memory back and take it again for every file
        asked = min(left, status.st_size + 1)
        while left > 0:
            chunk = os.read(fd, asked)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            if len(chunk) < asked and limit + 1 - left == status.st_size:
                break  # as long as its status says, and the read came up short: no need to ask once more for EOF
            asked = min(left, 1 << 20)
        return b"".join(chunks), status
    finally:
        os.close(fd)


class Refusal(Enum):
    NOT_REGULAR = "not-regular"
    SYMLINK = "symlink"
    INPUT = "input"
    ASSESSMENT = "assessment"
    EXISTS = "exists"
    """The only refusal the user may overrule (TUI: ask; CLI: ``--force``)."""


class OutputRefused(Exception):
    """Writing to ``path`` is not allowed (see the module text); ``kind`` says why."""

    def __init__(self, path: Path, kind: Refusal, reason: str, lang: str | None = None) -> None:
        super().__init__(t("security.output.refused", lang=lang, file=path, reason=reason))
        self.path = path
        self.kind = kind
        self.reason = reason

    @property
    def may_confirm(self) -> bool:
        return self.kind is Refusal.EXISTS


def kind_name(mode: int, lang: str | None = None) -> str:
    if stat.S_ISDIR(mode):
        return t("security.output.kind.directory", lang=lang)
    if stat.S_ISFIFO(mode):
        return t("security.output.kind.fifo", lang=lang)
    if stat.S_ISSOCK(mode):
        return t("security.output.kind.socket", lang=lang)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("security.output.kind.device", lang=lang)
    return t("security.output.kind.other", lang=lang)


def looks_like_assessment(path: Path) -> bool:
    """An existing regular file that is (or claims to be) an assessment: named ``*.toml``, or TOML text
    that starts the way a saved assessment does. Read without blocking and at most 64 KB."""
    if path.suffix.lower() == ".toml":
        return True
    try:
        head = read_regular(path, ASSESSMENT_SNIFF_BYTES)
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace")
    return re.search(r"^\s*(schema_version\s*=|\[intervention\])", text, re.MULTILINE) is not None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def is_input(path: Path, inputs: Iterable[Path]) -> bool:
    """Whether ``path`` is one of ``inputs``: the same file, or a TOML file inside an input folder."""
    try:
        here = path.stat()
    except OSError:
        here = None
    for given in inputs:
        try:
            if given.is_dir():
                if path.suffix.lower() == ".toml" and _inside(path, given):
                    return True
                continue
            there = given.stat()
        except OSError:
            continue
        if here is not None and (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino):
            return True
    return False


def check_output(path: Path, *, inputs: Iterable[Path] = (), assessment: bool = False,
                 replaces: Path | None = None, force: bool = False, lang: str | None = None) -> None:
    """Raise :class:`OutputRefused` unless ``path`` may be written now (see the module text).

    ``inputs``: what this command reads. ``assessment``: what is written is an assessment (save as), so an
    existing assessment there is "another existing file" (ask / ``--force``) rather than forbidden.
    ``replaces``: the file this assessment was opened from; writing it back is never asked about.
    ``force``: the user already agreed to replace an existing regular file."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if is_input(path, inputs):  # a new .toml in an input folder: the next run would read it as an assessment
            raise OutputRefused(path, Refusal.INPUT, t("security.output.input_folder", lang=lang), lang) from None
        return
    except OSError:
        return  # a missing folder, no permission…: the write itself says why, and changes nothing
    if stat.S_ISLNK(info.st_mode):
        raise OutputRefused(path, Refusal.SYMLINK, t("security.output.symlink", lang=lang), lang)
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(path, Refusal.NOT_REGULAR,
                            t("security.output.not_regular", lang=lang, kind=kind_name(info.st_mode, lang)), lang)
    if is_input(path, inputs):
        raise OutputRefused(path, Refusal.INPUT, t("security.output.input", lang=lang), lang)
    if replaces is not None:
        try:
            same = os.path.samefile(path, replaces)
        except OSError:
            same = False
        if same:
            return
    if not assessment and looks_like_assessment(path):
        raise OutputRefused(path, Refusal.ASSESSMENT, t("security.output.assessment", lang=lang), lang)
    if not force:
        raise OutputRefused(path, Refusal.EXISTS, t("security.output.exists", lang=lang), lang)
