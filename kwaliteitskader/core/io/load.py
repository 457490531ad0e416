"""The one way to load criteria and assessments: :func:`load_criteria` and :func:`load_assessment`.

Each reads its files once and chooses the path itself:

- ``light=False`` (the default): the full path — pydantic models, source lines, migrations. For callers
  that edit, save or check (the TUI's wizard, reports, what-if settings, ``validate`` of a criteria folder).
- ``light=True``: the caller only reads, so light objects will do (``classify``, ``validate`` of
  assessments, ``compare``). Criteria come from the checked cache when it holds them (else they are read
  in full and cached); an assessment that is plainly valid becomes a light record (:mod:`fastpath`),
  anything else continues on the full path with the bytes and data already read, so that it is
  migrated, or its problems reported, exactly as by the full path.

Either way the values, verdicts and findings are the same (tests/perf/test_fastpath.py); the light path
does not import pydantic.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, overload

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.criteria import (
    criteria_files,
    digest_contents,
    parse_toml_bytes,
    read_bytes_and_mtime,
    read_bytes_limited,
    read_criteria,
)
from kwaliteitskader.core.io.fastpath import QuickLoaded, entry_path, quick_assessment, read_entry, write_entry
from kwaliteitskader.core.model.criteria_set import Criteria, FullCriteria

if TYPE_CHECKING:
    from kwaliteitskader.core.io.assessments import Fingerprint, LoadedAssessment
    from kwaliteitskader.core.locate import LineIndex
    from kwaliteitskader.core.model.assessment import Assessment


class Loaded(Protocol):
    """A loaded assessment, full (:class:`assessments.LoadedAssessment`) or light (:class:`fastpath.QuickLoaded`).

    A light ``assessment`` is a record with the model's attributes and values, to be read only."""

    @property
    def assessment(self) -> Assessment: ...

    @property
    def path(self) -> Path: ...

    @property
    def fingerprint(self) -> Fingerprint | None: ...

    @property
    def lines(self) -> LineIndex: ...

    @property
    def migrated_from(self) -> int | None: ...


@overload
def load_criteria(folder: Path | str | None = None, *, light: Literal[False] = False) -> FullCriteria: ...
@overload
def load_criteria(folder: Path | str | None = None, *, light: bool) -> Criteria: ...
def load_criteria(folder: Path | str | None = None, *, light: bool = False) -> Criteria:
    """The criteria set in ``folder`` (the newest bundled set if None), checked; :class:`FindingsError`
    lists every problem. ``light``: from the cache when it holds this set (:class:`fastpath.LiteCriteria`)."""
    if not light:
        return read_criteria(folder)
    chosen, files = criteria_files(folder)
    contents: dict[Path, bytes] = {}
    for file in files:
        with contextlib.suppress(FindingsError):  # the full read below reports it, with the others
            contents[file] = read_bytes_limited(file)
    if len(contents) < len(files):
        return read_criteria(chosen, contents=contents)
    digest = digest_contents(contents)
    entry = entry_path(digest)
    cached = read_entry(entry, chosen, digest) if entry is not None else None
    if cached is not None:
        return cached
    criteria = read_criteria(chosen, contents=contents)  # raises for a broken set: nothing is cached then
    if entry is not None:
        write_entry(entry, criteria)
    return criteria


@overload
def load_assessment(path: Path | str, *, light: Literal[False] = False) -> LoadedAssessment: ...
@overload
def load_assessment(path: Path | str, *, light: bool) -> Loaded: ...
def load_assessment(path: Path | str, *, light: bool = False) -> Loaded:
    """Read one assessment; :class:`FindingsError` with file, line and field when it is wrong.
    ``light``: a plainly valid file gives a light record instead of the model (same values)."""
    # The fingerprint is taken from the very bytes that are parsed: reading the file a second time
    # could fingerprint a version written by someone else in between, and that version would then
    # be overwritten without a conflict. The modification time is the opened file's, taken before reading.
    raw, mtime_ns = read_bytes_and_mtime(path)
    data, text = parse_toml_bytes(path, raw)
    if light:
        record = quick_assessment(data)
        if record is not None:
            return QuickLoaded(record, path, raw, mtime_ns, text)
    from kwaliteitskader.core.io.assessments import loaded_assessment

    return loaded_assessment(path if isinstance(path, Path) else Path(path), raw, mtime_ns, data, text)
