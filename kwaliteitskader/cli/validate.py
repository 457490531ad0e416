"""``kwaliteitskader validate PATH...``: check criteria sets and assessments (what CI runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kwaliteitskader.cli.options import add_criteria_option
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.safetext import terminal_safe


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("validate", help=t("cli.help.validate"), description=t("cli.help.validate"))
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=t("cli.help.validate_paths"))
    p.add_argument("--bundled", action="store_true", help=t("cli.help.bundled"))
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help=t("cli.help.format"))
    add_criteria_option(p)
    p.set_defaults(handler=_cmd_validate)



def _cmd_validate(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.findings import exit_code, render
    from kwaliteitskader.core.io.validate import validate_paths

    paths = list(args.paths)
    if args.bundled:
        from kwaliteitskader.core.io.criteria import default_criteria_folder

        paths.append(default_criteria_folder())
    if not paths:
        print(t("cli.validate_nothing"), file=sys.stderr)
        return 2
    findings, checked = validate_paths(paths, criteria_folder=args.criteria)
    if args.format == "text":
        for finding in findings:
            print(terminal_safe(finding.text(), one_line=True))
        if findings:
            print(t("cli.summary", count=len(findings), files=len({f.file for f in findings})), file=sys.stderr)
        elif checked:
            print(t("cli.ok", count=checked))
        else:
            print(t("cli.no_files"), file=sys.stderr)
    elif findings or args.format == "json":
        output = render(findings, args.format)
        # JSON escapes control characters itself (and must stay valid JSON); GitHub annotations are logs.
        print(output if args.format == "json" else terminal_safe(output))
    return exit_code(findings)


