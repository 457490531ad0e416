"""``kwaliteitskader report FILE --format md|html [--output F]``: the report for one assessment."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kwaliteitskader.core.i18n import LANGUAGES, t


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("report", help=t("cli.help.report"), description=t("cli.help.report"))
    p.add_argument("file", type=Path, metavar="FILE", help=t("cli.help.report_file"))
    p.add_argument("--format", choices=["md", "html"], default="md", help=t("cli.help.report_format"))
    p.add_argument("--output", "-o", type=Path, default=None, metavar="F", help=t("cli.help.report_output"))
    p.add_argument("--criteria", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=t("cli.help.criteria"))
    # Also accepted after the command (``report x.toml --lang en``); SUPPRESS keeps a global --lang.
    p.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS, help=t("cli.help.lang"))
    p.set_defaults(handler=run)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.findings import FindingsError, exit_code
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.io.assessments import SaveError, atomic_write, load_assessment
    from kwaliteitskader.core.io.criteria import load_criteria
    from kwaliteitskader.core.output.report import render_report

    output: Path | None = args.output
    if output is not None and _same_file(output, args.file):
        print(t("report.same_file", file=output), file=sys.stderr)
        return 2
    try:
        criteria = load_criteria(getattr(args, "criteria", None))
        loaded = load_assessment(args.file)
    except FindingsError as exc:
        for finding in exc.findings:
            print(finding.text(), file=sys.stderr)
        return exit_code(exc.findings)
    text = render_report(loaded.assessment, criteria, args.format, language())
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        atomic_write(output, text.encode("utf-8"))
    except SaveError as exc:
        print(t("report.write_failed", reason=exc), file=sys.stderr)
        return 2  # as everywhere: 2 = the input or the output could not be used
    print(t("report.written", file=output), file=sys.stderr)
    return 0
