"""``kwaliteitskader new FILE``: write an empty assessment as a commented questionnaire.

The way through the program for any text editor, a screen reader or a git workflow: every question with
its help, its allowed answers and their meaning, when it applies and its source (see
:mod:`kwaliteitskader.core.output.questionnaire`). Runs without Textual, like ``validate`` and ``classify``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kwaliteitskader.cli.options import add_criteria_option
from kwaliteitskader.cli.output import output_refused, output_written
from kwaliteitskader.core.i18n import LANGUAGES, t
from kwaliteitskader.core.safetext import terminal_safe


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("new", help=t("cli.help.new"), description=t("cli.help.new"))
    p.add_argument("file", type=Path, metavar="FILE", help=t("cli.help.new_file"))
    p.add_argument("--force", action="store_true", help=t("security.cli.force"))
    # Also accepted after the command (``new x.toml --lang en``); SUPPRESS keeps a global --lang.
    p.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS, help=t("cli.help.lang"))
    add_criteria_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.findings import FindingsError, print_findings
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.model.schemas import schema_directive
    from kwaliteitskader.core.output.questionnaire import entries, questionnaire

    target: Path = args.file
    to_stdout = str(target) == "-"
    # an existing assessment is never replaced, not even with --force
    if not to_stdout and output_refused(target, force=args.force):
        return 2
    try:
        criteria = load_criteria(getattr(args, "criteria", None))
    except FindingsError as exc:
        return print_findings(exc.findings)
    lang = language()
    text = questionnaire(criteria, lang, "" if to_stdout else schema_directive(target))
    if to_stdout:
        sys.stdout.write(text)
        return 0
    if not output_written(target, text.encode("utf-8"), failed="questionnaire.write_failed"):
        return 2
    count = len(entries(criteria, lang))
    print(terminal_safe(t("questionnaire.written", file=target, count=count), one_line=True), file=sys.stderr)
    return 0
