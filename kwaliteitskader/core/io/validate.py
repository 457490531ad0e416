"""What ``kwaliteitskader validate`` checks: criteria sets and assessments, found in files and folders.

A folder of plain assessments is checked without importing pydantic (docs/performance.md): the criteria
come from the checked cache, the files through :mod:`fastpath`; the models are imported only for a
criteria folder to check or a file that needs the full load to explain its problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kwaliteitskader.core.findings import Finding, FindingsError, Severity
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.io.walk import Found, walk_toml
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.parallel import in_order
from kwaliteitskader.core.rules.assessment_checks import check_assessment


def _criteria_folder_of(file: Path) -> Path | None:
    return file.parent if (file.parent / "kader.toml").is_file() else None


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Finding]]:
    """Split the given paths into criteria folders and assessment files; missing paths are findings."""
    criteria: list[Path] = []
    assessments: list[Path] = []
    seen: set[Path] = set()  # the same files as ``assessments``, for fast membership with many files
    missing: list[Finding] = []
    for path in paths:
        try:
            if path.is_symlink() and not path.exists():
                # A dangling link or a symlink loop: reading it gives the precise reason.
                if path not in seen:
                    assessments.append(path)
                    seen.add(path)
            elif not path.exists():
                missing.append(Finding(str(path), None, "", t("load.missing"), "unusable", Severity.UNUSABLE))
            elif path.is_dir():
                walked = walk_toml(path)  # one pass: criteria folders, and the TOML files outside them, sorted
                missing += unreadable_findings(walked) + empty_folder_findings(path, walked)
                folders = [path] if (path / "kader.toml").is_file() else walked.criteria_folders
                criteria += [f for f in folders if f not in criteria]
                for file in walked.toml:
                    if file not in seen:
                        assessments.append(file)
                        seen.add(file)
            elif (folder := _criteria_folder_of(path)) is not None:
                if folder not in criteria:
                    criteria.append(folder)
            elif path not in seen:
                assessments.append(path)
                seen.add(path)
        except OSError as exc:
            # stat() of a path under a folder we may not enter raises PermissionError (not False):
            # report it for this path and go on with the others.
            from kwaliteitskader.core.io.criteria import os_reason

            reason = t("load.os_error", reason=os_reason(exc))
            missing.append(Finding(str(path), None, "", reason, "unusable", Severity.UNUSABLE))
    return criteria, assessments, missing


def empty_folder_findings(folder: Path, walked: Found) -> list[Finding]:
    """A folder with no TOML file at all is unusable input: CI pointed at the wrong folder must not pass."""
    if walked.paths or walked.criteria_folders or walked.unreadable:
        return []
    return [Finding(str(folder), None, "", t("security.load.empty_folder"), "unusable", Severity.UNUSABLE)]


def unreadable_findings(walked: Found) -> list[Finding]:
    """A finding for every folder the walk could not read: those files are not checked, and CI should know."""
    if not walked.unreadable:
        return []
    from kwaliteitskader.core.io.criteria import os_reason

    return [
        Finding(str(folder), None, "", t("load.os_error", reason=os_reason(exc)), "unusable", Severity.UNUSABLE)
        for folder, exc in walked.unreadable
    ]


def validate_paths(paths: Iterable[Path], criteria_folder: Path | None = None) -> tuple[list[Finding], int]:
    """All findings for the given paths, and how many files were checked."""
    criteria_folders, assessment_files, findings = collect(paths)
    checked = 0
    for folder in criteria_folders:
        checked += 1
        try:
            load_criteria(folder)
        except FindingsError as exc:
            findings += exc.findings
    if assessment_files or criteria_folder is not None:  # criteria asked for are checked, even for no file
        reference: Criteria | None = None
        try:
            reference = load_criteria(criteria_folder, light=True)
        except FindingsError as exc:
            findings += exc.findings
        # many files: spread over the cores (same findings, same order); few files: right here
        for found in in_order(validate_assessment_file, reference, assessment_files):
            checked += 1
            findings += found
    return findings, checked


def validate_assessment_file(criteria: Criteria | None, file: Path) -> list[Finding]:
    """The findings for one assessment file, checked against ``criteria`` (if they could be loaded).

    All in one pass: a file with a wrong type also gets its unknown choices reported, so that fixing the
    first finding does not bring up the next."""
    try:
        loaded = load_assessment(file, light=True)
    except FindingsError as exc:
        if criteria is None or any(f.severity is Severity.UNUSABLE for f in exc.findings):
            return exc.findings
        reported = {f.key for f in exc.findings}
        more = [f for f in choice_findings(file, criteria) if f.key not in reported]
        return sorted([*exc.findings, *more], key=lambda f: (f.line or 0, f.key)) if more else exc.findings
    if criteria is None:
        return []
    return check_assessment(loaded.assessment, criteria, str(file), loaded.lines)


def choice_findings(file: Path, criteria: Criteria) -> list[Finding]:
    """Unknown choices in a file the models refused: its answers read as they are written, and only the
    choices (the other answers may have the wrong type) checked against the criteria's lists."""
    from types import SimpleNamespace

    from kwaliteitskader.core.io.criteria import parse_toml_bytes, read_bytes_limited
    from kwaliteitskader.core.locate import LazyLineIndex
    from kwaliteitskader.core.model.fields_table import CATALOGUE_FIELDS, SECTIONS

    try:
        data, text = parse_toml_bytes(file, read_bytes_limited(file))
    except FindingsError:
        return []
    sections = {name: SimpleNamespace(**dict.fromkeys(fields)) for name, fields in SECTIONS.items()}
    for path in CATALOGUE_FIELDS:
        section, _, name = path.partition(".")
        value = data.get(section, {}).get(name) if isinstance(data.get(section), dict) else None
        if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            setattr(sections[section], name, value)
    signals = data.get("harm_signals")
    record = SimpleNamespace(**sections, harm_signals=signals if isinstance(signals, dict) else {})
    return check_assessment(record, criteria, str(file), LazyLineIndex(text), contradictions=False)
