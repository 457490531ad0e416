"""Writing a file so that readers only ever see the old or the new content (temporary file, ``fsync``,
rename), and clearing the temporary files of saves that were killed.

Apart from :mod:`.assessments` (which re-exports these names) so that writing a report does not import the
assessment model (pydantic: ~0.1 s of a warm ``compare -o``)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.criteria import os_reason


class SaveError(Exception):
    """Saving failed (permission, disk full, …); the previous file, if any, is untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(t("save.failed", file=path, reason=reason))
        self.path = path
        self.reason = reason


# --- migrations ------------------------------------------------------------------------------------


STALE_TEMP_SECONDS = 60
"""A temporary file of ours older than this is left over from a save that was killed (a save takes
milliseconds); the next successful save of the same file removes it."""


def temp_pattern(path: Path) -> re.Pattern[str]:
    """Names of the temporary files :func:`atomic_write` creates for ``path`` (``.name.XXXXXXXX.tmp``)."""
    return re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")


def stale_temp_files(path: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Left-over temporary files of ours beside ``path``: regular files, our name pattern, not recent."""
    folder = path.parent if str(path.parent) else Path(".")
    pattern = temp_pattern(path)
    now = time.time()
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                found.append(Path(entry.path))
    return found


def current_umask() -> int:
    """The process's umask, which a new file's mode honours (``umask 077`` on a shared server: 0600). Read
    from ``/proc`` where it is there; else set and put back at once, by way of the strictest mask (a file
    another thread makes in between is then only more private)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that readers only ever see the old or the new content.
    A symbolic link is written through: its target gets the new content and the link stays."""
    if path.is_symlink():
        try:
            path = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11 reports a symlink loop this way
            raise SaveError(path, t("reason.symlink_loop")) from None
        except OSError as exc:
            raise SaveError(path, os_reason(exc)) from exc
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise SaveError(path, t("load.is_directory"))
    try:  # the handle is closed in the block below, whatever happens
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False)  # noqa: SIM115
    except OSError as exc:
        raise SaveError(path, os_reason(exc)) from exc
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # written private (0600); now the mode it is to have
            os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise SaveError(path, os_reason(exc)) from exc
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    # The new version is safely in place: temporary files left by earlier, killed saves can go.
    for stale in stale_temp_files(path):
        with contextlib.suppress(OSError):
            stale.unlink()
