"""What ``kwaliteitskader validate`` checks: criteria sets and assessments, found in files and folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .checks import check_assessment
from .criteria import Criteria, find_criteria_folders, load_criteria, os_reason
from .findings import Finding, FindingsError, Severity
from .i18n import t
from .storage import load_assessment


def _criteria_folder_of(file: Path) -> Path | None:
    return file.parent if (file.parent / "kader.toml").is_file() else None


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Finding]]:
    """Split the given paths into criteria folders and assessment files; missing paths are findings."""
    criteria: list[Path] = []
    assessments: list[Path] = []
    missing: list[Finding] = []
    for path in paths:
        try:
            if path.is_symlink() and not path.exists():
                # A dangling link or a symlink loop: reading it gives the precise reason.
                if path not in assessments:
                    assessments.append(path)
            elif not path.exists():
                missing.append(Finding(str(path), None, "", t("load.missing"), "unusable", Severity.UNUSABLE))
            elif path.is_dir():
                folders = find_criteria_folders(path) if (path / "kader.toml").is_file() else [p.parent for p in path.rglob("kader.toml")]
                criteria += [f for f in folders if f not in criteria]
                for file in sorted(path.rglob("*.toml")):
                    if not any(folder in file.parents for folder in folders) and file not in assessments:
                        assessments.append(file)
            elif (folder := _criteria_folder_of(path)) is not None:
                if folder not in criteria:
                    criteria.append(folder)
            elif path not in assessments:
                assessments.append(path)
        except OSError as exc:
            # stat() of a path under a folder we may not enter raises PermissionError (not False):
            # report it for this path and go on with the others.
            reason = t("load.os_error", reason=os_reason(exc))
            missing.append(Finding(str(path), None, "", reason, "unusable", Severity.UNUSABLE))
    return criteria, assessments, missing


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
    if assessment_files:
        reference: Criteria | None = None
        try:
            reference = load_criteria(criteria_folder)
        except FindingsError as exc:
            findings += exc.findings
        for file in assessment_files:
            checked += 1
            findings += validate_assessment_file(file, reference)
    return findings, checked


def validate_assessment_file(file: Path, criteria: Criteria | None) -> list[Finding]:
    try:
        loaded = load_assessment(file)
    except FindingsError as exc:
        return exc.findings
    if criteria is None:
        return []
    return check_assessment(loaded.assessment, criteria, str(file), loaded.lines)
