"""The ``kwaliteitskader`` command.

The parser and the entry point; each command lives in its own module beside this one. The paths CI uses
(``validate``, ``classify``, ``schema``) and ``new`` import only the domain core; Textual is imported only when the
interactive application starts (a test checks this in a subprocess).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from kwaliteitskader.cli.options import add_criteria_option
from kwaliteitskader.cli.parser import Parser, argparse_in_language, suggestion
from kwaliteitskader.core.i18n import LANGUAGES, set_language, t
from kwaliteitskader.core.safetext import terminal_safe

Handler = Callable[[argparse.Namespace], int]

APP_COMMANDS = ("open", "serve")
"""Commands that run an interactive application for long (the wizard, the browser mode): Python's own collector
thresholds (:func:`kwaliteitskader.gc_policy.for_apps`); every other command reads files and exits."""

COMMANDS: tuple[str, ...] = ("validate", "classify", "schema", "new", "open", "compare", "reclassify", "report", "serve")
"""One module per command, ``kwaliteitskader.cli.<name>``, with ``register(subparsers)`` that adds its
parser and sets ``handler``. No command module imports Textual at module level."""


def build_parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only`` just that command's parser (see :func:`main`)."""
    parser = Parser(prog="kwaliteitskader", description=t("cli.description"))
    parser.add_argument("--lang", choices=list(LANGUAGES), default=None, help=t("cli.help.lang"))
    add_criteria_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only in COMMANDS else COMMANDS:
        module = importlib.import_module(f"kwaliteitskader.cli.{name}")
        module.register(sub)
    return parser


def _early_language(argv: Sequence[str]) -> str | None:
    """``--lang`` as given on the command line, read before the parser is built so that the help
    texts (which argparse needs when the parser is built) are already in the chosen language."""
    for n, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and n + 1 < len(argv):
            value = argv[n + 1]
        if value in LANGUAGES:
            return value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_early_language(argv))
    # only the module of the command given is imported: whatever the other commands import to register
    # themselves would otherwise slow every run down
    command = _command_of(argv)
    with argparse_in_language():  # argparse's own words ("usage", "options", errors) in the chosen language
        parser = build_parser(only=command)
        if command is not None and command not in COMMANDS:
            # a mistyped command: say which ones exist and which was probably meant
            parser.error(t("cli.argparse.unknown_command", command=command, choices=", ".join(COMMANDS))
                         + suggestion(command, list(COMMANDS)))
        args = parser.parse_args(argv)
    set_language(args.lang)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _start_app(args)
    from kwaliteitskader import gc_policy

    # the one place a command's use of the cycle collector is decided (the compare view decides for itself)
    if args.command in APP_COMMANDS:
        gc_policy.for_apps()
    else:
        gc_policy.for_commands()
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``classify … | head``): stop quietly, as other command-line tools do
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # An environment fault that no command anticipated (a folder that cannot be entered, a
        # device error): one clear line and exit 2, never a traceback.
        from kwaliteitskader.core.io.criteria import os_reason

        print(terminal_safe(t("cli.os_error", file=exc.filename or "?", reason=os_reason(exc)), one_line=True),
              file=sys.stderr)
        return 2


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word on a command line (None when help is asked for first, or there is none)."""
    value_follows = False
    for arg in argv:
        if value_follows:
            value_follows = False
        elif arg in ("--lang", "--criteria"):
            value_follows = True
        elif arg in ("-h", "--help", "--"):
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def _start_app(args: argparse.Namespace) -> int:
    try:
        from kwaliteitskader.tui.app import run_app  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        with argparse_in_language():
            build_parser().print_help()
        print(t("cli.tui_missing"), file=sys.stderr)
        return 0
    result: int = run_app(criteria=args.criteria, lang=args.lang)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
