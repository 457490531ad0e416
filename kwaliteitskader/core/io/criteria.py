"""Finding, reading and loading criteria sets (``criteria/<version>/``), with their digest."""


from __future__ import annotations

import errno
import hashlib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kwaliteitskader.core.findings import Finding, FindingsError, Severity
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.fasttoml import loads as fast_loads
from kwaliteitskader.core.io.locate import LazyLineIndex, dotted
from kwaliteitskader.core.model.criteria import CriteriaDocument, SourceMap
from kwaliteitskader.core.model.criteria_set import CATALOGUES as CATALOGUES  # re-exported: the public home of these names
from kwaliteitskader.core.model.criteria_set import Criteria as Criteria

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
    from kwaliteitskader.core.io.safefiles import NotRegularFile, read_regular

    try:
        # Opened without blocking and checked on the handle: a FIFO or device is refused, never waited on.
        raw = read_regular(path, MAX_FILE_BYTES)  # one byte more than allowed: a larger file is refused
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
    return raw


def parse_toml_bytes(path: Path, raw: bytes) -> tuple[dict[str, Any], str]:
    """Decode (UTF-8, optional BOM) and parse bytes read from ``path``; findings name ``path``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FindingsError([_unusable(path, raw[: exc.start].count(b"\n") + 1, t("load.not_utf8"))]) from None
    try:
        data = fast_loads(text)  # plain assessment TOML, fast; None for anything else (docs/performance.md)
        if data is None:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line: int | None = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        if line is None and "end of document" in str(exc):
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        reason = getattr(exc, "msg", None) or str(exc).split(" (at")[0]
        raise FindingsError([_unusable(path, line, t("load.not_toml", reason=reason))]) from None
    except RecursionError:
        raise FindingsError([_unusable(path, None, t("load.too_deep"))]) from None
    return data, text


_OS_REASONS = {
    errno.ENOSPC: "reliability.reason.disk_full",
    errno.EDQUOT: "reliability.reason.disk_full",
    errno.EROFS: "reliability.reason.read_only",
    errno.EACCES: "reliability.reason.permission",
    errno.EPERM: "reliability.reason.permission",
    errno.ENOENT: "reliability.reason.missing",
    errno.ENOTDIR: "reliability.reason.missing",
    errno.ELOOP: "reliability.reason.symlink_loop",
    errno.EISDIR: "reliability.reason.is_directory",
    errno.ENAMETOOLONG: "reliability.reason.name_too_long",
}


def os_reason(exc: OSError) -> str:
    """A short reason in the user's language for an OS error (disk full, no permission, …), followed by
    the system's own wording, which is what a help desk searches for."""
    system = str(exc.strerror or exc)
    key = _OS_REASONS.get(exc.errno or 0)
    return f"{t(key)} ({system})" if key is not None else system


def _line_from_message(message: str) -> int | None:
    marker = "at line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",")[0].split(")")[0]
        return int(digits) if digits.isdigit() else None
    return None


def _unusable(path: Path, line: int | None, message: str) -> Finding:
    return Finding(file=str(path), line=line, key="", message=message, code="unusable", severity=Severity.UNUSABLE)


def digest_files(files: list[Path]) -> str:
    sha = hashlib.sha256()
    for file in sorted(files, key=lambda p: p.name):
        sha.update(file.name.encode() + b"\0" + _read_whole(file) + b"\0")
    return "sha256:" + sha.hexdigest()


def _read_whole(file: Path) -> bytes:
    from kwaliteitskader.core.io.safefiles import read_regular

    return read_regular(file, MAX_FILE_BYTES)


def pydantic_findings(error: ValidationError, locate: Any, prefix: tuple[str | int, ...] = ()) -> list[Finding]:
    """Turn pydantic's errors into findings; ``locate(path)`` gives (file, line) for a key path."""
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
            message = t("field.invalid", reason=err["msg"], value=_short(err.get("input")))
        findings.append(Finding(file=file, line=line, key=dotted(path), message=message, code=kind))
    return findings


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def load_criteria(folder: Path | None = None, *, check: bool = True) -> Criteria:
    """Load and validate a criteria set; raise :class:`FindingsError` listing every problem found."""
    from kwaliteitskader.core.rules.checks import check_criteria  # checks imports this module

    folder = Path(folder) if folder is not None else default_criteria_folder()
    if folder.is_file():
        folder = folder.parent
    if not folder.is_dir():
        raise FindingsError([_unusable(folder, None, t("load.missing"))])
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    if not (folder / "kader.toml").is_file():
        raise FindingsError([_unusable(folder, None, t("criteria.no_kader"))])
    merged: dict[str, Any] = {}
    sources = SourceMap()
    unusable: list[Finding] = []
    findings: list[Finding] = []
    for file in files:
        try:
            data, text = read_toml(file)
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
    criteria = Criteria(document, folder, digest_files(files), sources)
    if check:
        findings += check_criteria(criteria)
    if findings:
        raise FindingsError(findings)
    return criteria
