"""Findings: what validation and loading report, always with file, line, key and a reason."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from enum import StrEnum

from kwaliteitskader.core.safetext import terminal_safe


class Severity(StrEnum):
    ERROR = "error"  # the input is wrong: exit 1
    UNUSABLE = "unusable"  # the input cannot be read at all: exit 2


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    key: str
    message: str
    code: str
    severity: Severity = Severity.ERROR

    def text(self) -> str:
        """One line for a terminal or log; control characters from the files (in a name, key or value)
        are shown as escapes, never sent to the terminal (safetext.terminal_safe)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" [{self.key}]" if self.key else ""
        return terminal_safe(f"{where}:{key} {self.message}", one_line=True)

    def github(self) -> str:
        def esc(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        props = f"file={esc(self.file).replace(',', '%2C').replace(':', '%3A')}"
        if self.line:
            props += f",line={self.line}"
        props += f",title={esc(self.code)}"
        key = f"{self.key}: " if self.key else ""
        return f"::error {props}::{esc(key + self.message)}"


class FindingsError(Exception):
    """Raised when an input cannot be used; carries the findings that explain why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(f.text() for f in findings))
        self.findings = findings


def exit_code(findings: list[Finding]) -> int:
    if any(f.severity is Severity.UNUSABLE for f in findings):
        return 2
    return 1 if findings else 0


def print_findings(findings: list[Finding]) -> int:
    """Each finding on its own line on stderr, as the commands report what they could not use; returns the
    exit code the findings mean (:func:`exit_code`)."""
    from kwaliteitskader.core.safetext import terminal_safe

    for finding in findings:  # values from files: control characters shown, never obeyed
        print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
    return exit_code(findings)


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        from kwaliteitskader.core.safetext import json_safe

        return json_safe(json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2))
    if fmt == "github":
        return "\n".join(f.github() for f in findings)
    return "\n".join(f.text() for f in findings)
