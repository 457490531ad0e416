"""Finding, reading and validating criteria sets (``criteria/<version>/``), with their digest.

Also the bounded reading and TOML parsing that assessments share. pydantic is imported only when a set is
validated (:func:`read_criteria`), so the fast path (:mod:`load`) can read files through this module.
"""


from __future__ import annotations

import errno
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.findings import Finding, FindingsError, Severity
from kwaliteitskader.core.hashes import sha256
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.locate import LazyLineIndex, dotted
from kwaliteitskader.core.model.criteria_set import CATALOGUES as CATALOGUES  # re-exported: the public home of these names
from kwaliteitskader.core.model.criteria_set import Criteria as Criteria
from kwaliteitskader.core.model.criteria_set import FullCriteria
from kwaliteitskader.core.toml import TomlError, TomlTooDeep, loads

if TYPE_CHECKING:
    from pydantic import ValidationError

# --- loading -------------------------------------------------------------------------------------

MAX_FILE_BYTES = 5 * 1024 * 1024


def bundled_criteria_root() -> Path:
    """The criteria shipped with the program: inside the wheel, or the repository's top level."""
    package = Path(__file__).resolve().parents[2]  # kwaliteitskader/
    for candidate in (package / "criteria", package.parent / "criteria"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(t("criteria.none_bundled"))


def _version_key(name: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in name.replace("-", ".").split("."))


def find_criteria_folders(root: Path) -> list[Path]:
    """Criteria sets under ``root`` (folders holding a ``kader.toml``), oldest version first."""
    if (root / "kader.toml").is_file():
        return [root]
    folders = [p.parent for p in root.rglob("kader.toml")]
    return sorted(folders, key=lambda p: _version_key(p.name))


def default_criteria_folder() -> Path:
    folders = find_criteria_folders(bundled_criteria_root())
    if not folders:
        raise FileNotFoundError(t("criteria.none_bundled"))
    return folders[-1]


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse one TOML file; raise :class:`FindingsError` (unusable) with a line if it fails."""
    return parse_toml_bytes(path, read_bytes_limited(path))


def read_bytes_limited(path: Path) -> bytes:
    """The bytes of ``path`` (at most :data:`MAX_FILE_BYTES`); every OS problem becomes an unusable finding."""
    return read_bytes_and_mtime(path)[0]


def read_bytes_and_mtime(path: Path | str) -> tuple[bytes, int]:
    """:func:`read_bytes_limited`, with the modification time (ns) of the file read, taken before reading."""
    from kwaliteitskader.core.io.safefiles import NotRegularFile, read_regular_stat

    try:
        # Opened without blocking and checked on the handle: a FIFO or device is refused, never waited on.
        raw, status = read_regular_stat(path, MAX_FILE_BYTES)  # one byte more than allowed: too large is refused
    except NotRegularFile as exc:
        if exc.is_directory:
            raise FindingsError([_unusable(path, None, t("load.is_directory"))]) from None
        raise FindingsError([_unusable(path, None, exc.strerror or "")]) from None
    except FindingsError:
        raise
    except FileNotFoundError:
        raise FindingsError([_unusable(path, None, t("load.missing"))]) from None
    except IsADirectoryError:
        raise FindingsError([_unusable(path, None, t("load.is_directory"))]) from None
    except PermissionError:
        raise FindingsError([_unusable(path, None, t("load.permission"))]) from None
    except OSError as exc:
        raise FindingsError([_unusable(path, None, t("load.os_error", reason=os_reason(exc)))]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise FindingsError([_unusable(path, None, t("load.too_large", size=len(raw), limit=MAX_FILE_BYTES))])
    return raw, status.st_mtime_ns


MAX_TABLES = 10_000
"""Table headers (``[x]``, ``[[x]]``) one file may have: an assessment has about fifteen, a criteria file a few
hundred. Each costs the parser, the models and every finding about it far more than its bytes, so the size limit
alone does not bound the work: half a million one-line headers fit in 5 MB."""
_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
MAX_LINES = 20_000
"""Lines one file may have: the longest bundled criteria file has about a thousand. Each line can be a key
the models do not know, and every such key is a finding."""
MAX_VALUES = 100_000
"""Commas one file may have (each separates two values of an array or inline table, or sits in a text): an
assessment has a few hundred, the bundled criteria a few thousand. Five MB of ``[{},{},…]`` are 1.7 million
values, and the parser alone makes half a gigabyte of them."""


def _too_many_tables(path: Path | str, text: str) -> None:
    """Refuse a text with more than :data:`MAX_TABLES` table headers, before it is parsed. Counted over lines
    that start with ``[`` (a line of a multi-line array or string may too: it only counts higher)."""
    if text.count("[") <= MAX_TABLES:
        return
    count, line = 0, None
    for count, match in enumerate(_HEADER.finditer(text), start=1):
        if count == MAX_TABLES + 1:
            line = text.count("\n", 0, match.start()) + 1
    if count > MAX_TABLES:
        raise FindingsError([_unusable(path, line, t("load.too_many_tables", count=count, limit=MAX_TABLES))])


def _too_many(path: Path | str, text: str, mark: str, limit: int, message: str) -> None:
    """Refuse a text with more than ``limit`` times ``mark``, before it is parsed (one finding, at the line
    of the first one past the limit)."""
    count = text.count(mark)
    if count <= limit:
        return
    at = -1
    for _ in range(limit + 1):
        at = text.find(mark, at + 1)
    line = text.count("\n", 0, at) + 1
    raise FindingsError([_unusable(path, line, t(message, count=count, limit=limit))])


def parse_toml_bytes(path: Path | str, raw: bytes) -> tuple[dict[str, Any], str]:
    """Decode (UTF-8, optional BOM) and parse bytes read from ``path``; findings name ``path``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FindingsError([_unusable(path, raw[: exc.start].count(b"\n") + 1, t("load.not_utf8"))]) from None
    _too_many_tables(path, text)
    _too_many(path, text, ",", MAX_VALUES, "load.too_many_values")
    _too_many(path, text, "\n", MAX_LINES, "load.too_many_lines")
    try:
        data = loads(text)
    except TomlTooDeep:
        raise FindingsError([_unusable(path, None, t("load.too_deep"))]) from None
    except TomlError as exc:
        from kwaliteitskader.core.io.reasons import toml_reason

        reason = toml_reason(exc.reason)
        raise FindingsError([_unusable(path, _within(exc.line, text), t("load.not_toml", reason=reason))]) from None
    return data, text


def _within(line: int | None, text: str) -> int | None:
    """The parser's line, kept within the text (a parser may point just past the last line)."""
    if line is None:
        return None
    return max(1, min(line, text.count("\n") + 1))


_OS_REASONS = {
    errno.ENOSPC: "reason.disk_full",
    errno.EDQUOT: "reason.disk_full",
    errno.EROFS: "reason.read_only",
    errno.EACCES: "reason.permission",
    errno.EPERM: "reason.permission",
    errno.ENOENT: "reason.missing",
    errno.ENOTDIR: "reason.missing",
    errno.ELOOP: "reason.symlink_loop",
    errno.EISDIR: "reason.is_directory",
    errno.ENAMETOOLONG: "reason.name_too_long",
}


def os_reason(exc: OSError) -> str:
    """A short reason in the user's language for an OS error (disk full, no permission, …), followed by
    the system's own wording, which is what a help desk searches for."""
    system = str(exc.strerror or exc)
    key = _OS_REASONS.get(exc.errno or 0)
    return f"{t(key)} ({system})" if key is not None else system


def _unusable(path: Path | str, line: int | None, message: str) -> Finding:
    # a path given as text is named as its Path names it ("./a.toml" as "a.toml"), as when a Path was given
    return Finding(file=str(Path(path)), line=line, key="", message=message, code="unusable", severity=Severity.UNUSABLE)


def digest_contents(contents: Mapping[Path, bytes]) -> str:
    """The digest of a criteria set: its files' names and bytes, in name order."""
    sha = sha256()
    for file in sorted(contents, key=lambda p: p.name):
        sha.update(file.name.encode() + b"\0" + contents[file] + b"\0")
    return "sha256:" + sha.hexdigest()


def criteria_files(folder: Path | str | None = None) -> tuple[Path, list[Path]]:
    """The criteria folder (the newest bundled set if None; a file's folder) and its ``*.toml`` files;
    :class:`FindingsError` if it is missing or has no ``kader.toml``."""
    folder = Path(folder) if folder is not None else default_criteria_folder()
    if folder.is_file():
        folder = folder.parent
    if not folder.is_dir():
        raise FindingsError([_unusable(folder, None, t("load.missing"))])
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    if not (folder / "kader.toml").is_file():
        raise FindingsError([_unusable(folder, None, t("criteria.no_kader"))])
    return folder, files


def pydantic_findings(error: ValidationError, locate: Any, prefix: tuple[str | int, ...] = ()) -> list[Finding]:
    """Turn pydantic's errors into findings; ``locate(path)`` gives (file, line) for a key path."""
    from kwaliteitskader.core.io.reasons import pydantic_reason

    findings = []
    for err in error.errors(include_url=False):
        path = (*prefix, *err["loc"])
        file, line = locate(path)
        kind = err["type"]
        if kind == "missing":
            message = t("field.missing")
        elif kind == "extra_forbidden":
            message = t("field.unknown")
        else:
            message = t("field.invalid", reason=pydantic_reason(err), value=_short(err.get("input")))
        findings.append(Finding(file=file, line=line, key=dotted(path), message=message, code=kind))
    return findings


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_criteria(
    folder: Path | str | None = None, *, check: bool = True, contents: Mapping[Path, bytes] | None = None
) -> FullCriteria:
    """Read and validate a criteria set in full; raise :class:`FindingsError` listing every problem found.

    The full path behind :func:`kwaliteitskader.core.io.load.load_criteria` (call that one). ``contents``:
    files already read (by :func:`criteria_files` and :func:`read_bytes_limited`), not read again."""
    from pydantic import ValidationError

    from kwaliteitskader.core.model.criteria import CriteriaDocument, SourceMap
    from kwaliteitskader.core.rules.checks import check_criteria  # checks imports this module

    folder, files = criteria_files(folder)
    read: dict[Path, bytes] = {}
    merged: dict[str, Any] = {}
    sources = SourceMap()
    unusable: list[Finding] = []
    findings: list[Finding] = []
    for file in files:
        try:
            raw = read[file] = contents[file] if contents is not None and file in contents else read_bytes_limited(file)
            data, text = parse_toml_bytes(file, raw)
        except FindingsError as exc:
            unusable.extend(exc.findings)
            continue
        index = LazyLineIndex(text)  # lines are only looked up for findings
        sources.indexes[file] = index
        for key, value in data.items():
            if key in merged:
                first = sources.files[key]
                findings.append(
                    Finding(str(file), index.line((key,)), key, t("criteria.duplicate_table", other=first.name), "duplicate")
                )
                continue
            merged[key] = value
            sources.files[key] = file
    if unusable:
        raise FindingsError(unusable)
    try:
        document = CriteriaDocument.model_validate(merged)
    except ValidationError as exc:
        raise FindingsError(findings + pydantic_findings(exc, sources.locate)) from None
    criteria = FullCriteria(document, folder, digest_contents(read), sources)
    if check:
        findings += check_criteria(criteria)
    if findings:
        raise FindingsError(findings)
    return criteria
