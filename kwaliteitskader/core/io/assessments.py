"""Reading and writing assessments as TOML, without ever losing a user's work.

- Saving is atomic: a temporary file in the same folder, flushed and fsynced, then ``os.replace``;
  a crash at any moment leaves either the complete old file or the complete new one.
- A file changed on disk since it was opened is not overwritten unless the caller says so
  (:class:`ConflictError` carries what is needed to ask the user).
- Loading never writes. Files of a newer schema are refused; older ones are migrated in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from kwaliteitskader.core.findings import Finding, FindingsError, Severity
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.atomic import STALE_TEMP_SECONDS as STALE_TEMP_SECONDS
from kwaliteitskader.core.io.atomic import SaveError as SaveError
from kwaliteitskader.core.io.atomic import atomic_write as atomic_write
from kwaliteitskader.core.io.atomic import stale_temp_files as stale_temp_files
from kwaliteitskader.core.io.atomic import temp_pattern as temp_pattern
from kwaliteitskader.core.io.criteria import MAX_FILE_BYTES, os_reason, pydantic_findings
from kwaliteitskader.core.locate import LazyLineIndex, LineIndex
from kwaliteitskader.core.model.assessment import SCHEMA_VERSION, Assessment, Tri
from kwaliteitskader.core.model.schemas import schema_directive


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when it was read or written, to notice changes made by others."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint | None:
        from kwaliteitskader.core.io.safefiles import read_regular

        try:
            stat = path.stat()
            data = read_regular(path, 2 * MAX_FILE_BYTES)  # never blocks on a FIFO put in the file's place
        except OSError:
            return None
        return cls(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def same_content(self, other: Fingerprint | None) -> bool:
        return other is not None and other.sha256 == self.sha256


@dataclass(frozen=True)
class LoadedAssessment:
    assessment: Assessment
    path: Path
    fingerprint: Fingerprint | None
    lines: LineIndex
    migrated_from: int | None = None


class ConflictError(Exception):
    """The file changed on disk since it was opened; saving would overwrite someone's work."""

    def __init__(self, path: Path) -> None:
        super().__init__(t("save.conflict", file=path))
        self.path = path


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 listed the harm signals present; it could not say "unknown". Those listed become
    ``ja``; the others are left unanswered (*onbekend*), never assumed absent."""
    listed = data.get("harm_signals", [])
    if isinstance(listed, list):
        data["harm_signals"] = {str(s): "ja" for s in listed}
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(data: dict[str, Any], file: str, index: LineIndex) -> tuple[dict[str, Any], int | None]:
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FindingsError(
            [Finding(file, index.line(("schema_version",)), "schema_version",
                     t("load.bad_schema_version", value=version), "schema-version")]
        )
    if version > SCHEMA_VERSION:
        raise FindingsError(
            [
                Finding(
                    file,
                    index.line(("schema_version",)),
                    "schema_version",
                    t("load.newer_schema", found=version, supported=SCHEMA_VERSION),
                    "newer-schema",
                    Severity.UNUSABLE,
                )
            ]
        )
    original = version
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["schema_version"] = version
    return data, (original if original != SCHEMA_VERSION else None)


# --- reading ---------------------------------------------------------------------------------------


def missing_header(data: dict[str, Any]) -> list[str]:
    """The keys every assessment has that ``data`` lacks: ``schema_version`` and ``intervention.name``.

    Without them a file is not an assessment (an empty file, only comments, only ``[meta]``…), however
    valid its few keys are; every other answer may be left out (unknown)."""
    missing = [] if "schema_version" in data else ["schema_version"]
    intervention = data.get("intervention")
    if not isinstance(intervention, dict) or "name" not in intervention:
        missing.append("intervention.name")
    return missing


def parse_assessment(data: dict[str, Any], text: str, file: str) -> tuple[Assessment, LineIndex, int | None]:
    index = LazyLineIndex(text)  # lines are only looked up for findings: scan the text then
    names = {"schema_version": t("security.load.header.schema_version"),
             "intervention.name": t("security.load.header.name")}
    # a header that is missing is named together with whatever else is wrong (after a newer schema,
    # which stops everything): the file's top line, or its [intervention] table
    header = [
        Finding(file, (index.line(("intervention",)) or 1) if key == "intervention.name" and "intervention" in data
                else 1, key, t("security.load.missing_header", missing=names[key]), "not-an-assessment")
        for key in missing_header(data)
    ]
    data, migrated_from = migrate(data, file, index)
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        raise FindingsError(header + pydantic_findings(exc, lambda path: (file, index.line(path)))) from None
    if header:
        raise FindingsError(header)
    return assessment, index, migrated_from


def loaded_assessment(path: Path, raw: bytes, mtime_ns: int, data: dict[str, Any], text: str) -> LoadedAssessment:
    """The full path for a file already read and parsed (by :func:`kwaliteitskader.core.io.load.load_assessment`,
    which is the one to call): migrate, validate with the models, fingerprint the very bytes parsed.

    Raises :class:`FindingsError` with file, line and field when the assessment is wrong."""
    fingerprint = Fingerprint(len(raw), mtime_ns, hashlib.sha256(raw).hexdigest())
    assessment, index, migrated_from = parse_assessment(data, text, str(path))
    return LoadedAssessment(assessment, path, fingerprint, index, migrated_from)


# --- writing ---------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def dump_assessment(assessment: Assessment, path: Path | None = None) -> str:
    """The TOML text of an assessment: sections in the order of the form, unknown numbers/lists left out.

    The first line is a ``#:schema`` directive for TOML-aware editors, pointing at the JSON Schema as
    seen from ``path`` (where the text will be saved; see :func:`schemas.schema_reference`)."""
    data = _plain(assessment.model_dump(mode="python"))
    data["harm_signals"] = {k: Tri(v).value for k, v in assessment.harm_signals.items()}
    return schema_directive(path) + tomli_w.dumps(data)


def save_assessment(
    assessment: Assessment,
    path: Path | str,
    *,
    expected: Fingerprint | None = None,
    force: bool = False,
) -> Fingerprint:
    """Write atomically. If ``expected`` is given and the file on disk differs from it, raise
    :class:`ConflictError` unless ``force``. Returns the fingerprint of the written file."""
    path = Path(path)
    payload = dump_assessment(assessment, path).encode("utf-8")
    if len(payload) > MAX_FILE_BYTES:
        # Loading refuses files over the limit; saving one would lock the user out of their own work.
        raise SaveError(path, t("reason.too_large", size=len(payload), limit=MAX_FILE_BYTES))
    # The check and the replacement are one step for every other save of this program: without the lock,
    # two saves of the same file both passed the check and the second silently replaced the first.
    with save_lock(path):
        # a file that cannot be read now (deleted, or its folder renamed for a moment) has changed too:
        # replacing it unasked could write over a save made meanwhile
        if expected is not None and not force and not expected.same_content(Fingerprint.of(path)):
            raise ConflictError(path)
        atomic_write(path, payload)
        return Fingerprint.of(path) or Fingerprint(len(payload), 0, hashlib.sha256(payload).hexdigest())


LOCK_WAIT_SECONDS = 10.0
"""How long a save waits for another save of a file in the same folder (those take milliseconds)."""


@contextlib.contextmanager
def save_lock(path: Path) -> Iterator[None]:
    """An advisory lock (``flock``) on the folder that will hold ``path``, for the check-and-replace of a save.

    The folder, not the file: the file is replaced by ``rename`` (a lock on it would stay with the old
    inode), and a separate lock file would be left lying about. Every save of this program takes it; other
    programs do not, which is why the fingerprint check stays. Where ``flock`` is unavailable (not POSIX,
    or a file system that refuses it) the save goes on as before, unlocked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    target = path
    if path.is_symlink():  # atomic_write writes through a link: lock the folder it writes in
        with contextlib.suppress(OSError, RuntimeError):
            target = path.resolve(strict=True)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError) as exc:  # gone (renamed?): never save unlocked meanwhile
        raise SaveError(path, os_reason(exc)) from exc
    except OSError:
        yield  # no permission to read the folder: atomic_write reports what it cannot do
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SaveError(path, t("security.save.busy")) from None
                time.sleep(0.002)
            except OSError:
                break  # flock not supported here: unlocked, as before
        yield
    finally:
        os.close(fd)  # closing releases the lock
