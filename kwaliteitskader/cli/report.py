"""``kwaliteitskader report FILE --format md|html [--output F]``: the report for one assessment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kwaliteitskader.cli.output import output_refused, output_written
from kwaliteitskader.core.i18n import LANGUAGES, t
from kwaliteitskader.core.safetext import terminal_safe


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("report", help=t("cli.help.report"), description=t("cli.help.report"))
    p.add_argument("file", type=Path, metavar="FILE", help=t("cli.help.report_file"))
    p.add_argument("--format", choices=["md", "html"], default="md", help=t("cli.help.report_format"))
    p.add_argument("--output", "-o", type=Path, default=None, metavar="F", help=t("cli.help.report_output"))
    p.add_argument("--force", action="store_true", help=t("security.cli.force"))
    p.add_argument("--criteria", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=t("cli.help.criteria"))
    # Also accepted after the command (``report x.toml --lang en``); SUPPRESS keeps a global --lang.
    p.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS, help=t("cli.help.lang"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.findings import FindingsError, print_findings
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.io.load import load_assessment, load_criteria
    from kwaliteitskader.core.output.report import render_report

    output: Path | None = args.output if args.output is None or str(args.output) != "-" else None  # "-": stdout
    criteria_folder = getattr(args, "criteria", None)
    inputs = [args.file, *([criteria_folder] if criteria_folder else [])]
    if output is not None and output_refused(output, inputs=inputs, force=args.force):
        return 2
    try:
        criteria = load_criteria(criteria_folder)
        loaded = load_assessment(args.file)
    except FindingsError as exc:
        return print_findings(exc.findings)
    text = render_report(loaded.assessment, criteria, args.format, language())
    if output is None:
        sys.stdout.write(text)
        return 0
    if not output_written(output, text.encode("utf-8"), failed="report.write_failed"):
        return 2  # as everywhere: 2 = the input or the output could not be used
    print(terminal_safe(t("report.written", file=output), one_line=True), file=sys.stderr)
    return 0
