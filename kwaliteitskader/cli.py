"""The ``kwaliteitskader`` command.

The paths CI uses (``validate``, ``classify``, ``schema``) import only the domain core; Textual is
imported only when the interactive application starts (a test checks this in a subprocess).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .core.i18n import LANGUAGES, set_language, t
from .core.safetext import terminal_safe

Handler = Callable[[argparse.Namespace], int]

COMMAND_MODULES: tuple[str, ...] = ("open", "compare", "reclassify", "report", "serve")
"""Further commands, each a module ``kwaliteitskader.commands.<name>`` with ``register(subparsers)``
that adds its parser and sets ``handler``. Such modules must not import Textual at module level."""


def _add_criteria_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--criteria", type=Path, default=None, metavar="DIR",
                        help=t("cli.help.criteria"))


BUILTIN_COMMANDS = ("validate", "classify", "schema")


def build_parser(*, command_modules: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``command_modules=False`` leaves out the further commands (see :func:`main`)."""
    parser = argparse.ArgumentParser(prog="kwaliteitskader", description=t("cli.description"))
    parser.add_argument("--lang", choices=list(LANGUAGES), default=None, help=t("cli.help.lang"))
    _add_criteria_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help=t("cli.help.validate"), description=t("cli.help.validate"))
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=t("cli.help.validate_paths"))
    p.add_argument("--bundled", action="store_true", help=t("cli.help.bundled"))
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help=t("cli.help.format"))
    _add_criteria_option(p)
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("classify", help=t("cli.help.classify"), description=t("cli.help.classify"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=t("cli.help.classify_files"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--trace", action="store_true", help=t("cli.help.trace"))
    _add_criteria_option(p)
    p.set_defaults(handler=_cmd_classify)

    p = sub.add_parser("schema", help=t("cli.help.schema"), description=t("cli.help.schema"))
    p.add_argument("which", choices=["assessment", "criteria"], help=t("cli.help.schema_which"))
    p.set_defaults(handler=_cmd_schema)

    for name in COMMAND_MODULES if command_modules else ():
        module = importlib.import_module(f"kwaliteitskader.commands.{name}")
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
    # validate/classify/schema (what CI runs) do not import the further command modules: whatever those
    # import to register themselves would otherwise slow every run down (docs/performance.md)
    args = build_parser(command_modules=_command_of(argv) not in BUILTIN_COMMANDS).parse_args(argv)
    set_language(args.lang)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _start_app(args)
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
        from .core.criteria import os_reason

        print(terminal_safe(t("reliability.cli.os_error", file=exc.filename or "?", reason=os_reason(exc)), one_line=True),
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
        from .tui.app import run_app  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        build_parser().print_help()
        print(t("cli.tui_missing"), file=sys.stderr)
        return 0
    result: int = run_app(criteria=args.criteria, lang=args.lang)
    return result


# --- validate ------------------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    from .core.findings import exit_code, render
    from .core.validate import validate_paths

    paths = list(args.paths)
    if args.bundled:
        from .core.criteria import default_criteria_folder

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


# --- classify ------------------------------------------------------------------------------------


def _cmd_classify(args: argparse.Namespace) -> int:
    # the fast path gives the same criteria and assessments (and the same findings) without pydantic
    from .core.fastpath import load_criteria_quick
    from .core.findings import FindingsError, exit_code
    from .core.i18n import language
    from .core.parallel import in_order

    try:
        criteria = load_criteria_quick(args.criteria)
    except FindingsError as exc:
        for finding in exc.findings:
            print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
        return exit_code(exc.findings)
    fragments = []
    problems = []
    # many files are spread over the cores; output and findings keep the order of the files given
    setup = (criteria, args.json, args.trace, language())
    for text, found in in_order(_classify_file, args.files, _classify_setup, setup):
        problems += found
        for finding in found:
            print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
        if text is None:
            continue
        if args.json:
            fragments.append(text)
        else:
            print(text)
    if args.json:
        # what json.dumps(results, indent=2) prints, assembled from per-file parts made by the workers
        print("[\n" + ",\n".join(fragments) + "\n]" if fragments else "[]")
    return exit_code(problems)


_classify_state: dict[str, Any] = {}


def _classify_setup(criteria: Any, as_json: bool, trace: bool, lang: str) -> None:
    _classify_state.update(criteria=criteria, json=as_json, trace=trace, lang=lang)


def _classify_file(file: Path) -> tuple[str | None, list[Any]]:
    """The output for one file (a JSON list element, or text), or the findings that stop it."""
    from .core.engine import evaluate
    from .core.explain import verdict_dict, verdict_text
    from .core.fastpath import load_assessment_quick
    from .core.findings import FindingsError

    criteria, lang = _classify_state["criteria"], _classify_state["lang"]
    try:
        loaded = load_assessment_quick(file)
    except FindingsError as exc:
        return None, exc.findings
    # the condition rows are only shown with --trace and in JSON
    verdict = evaluate(loaded.assessment, criteria, conditions=_classify_state["trace"] or _classify_state["json"])
    if _classify_state["json"]:
        result = {"file": str(file), "intervention": loaded.assessment.intervention.name,
                  "municipality": loaded.assessment.intervention.municipality,
                  **verdict_dict(verdict, criteria, lang)}
        return "\n".join("  " + line for line in json.dumps(result, ensure_ascii=False, indent=2).split("\n")), []
    title = loaded.assessment.intervention.name or str(file)
    header = terminal_safe(f"== {file}: {title}", one_line=True)  # names may hold escapes or control characters
    return f"{header}\n{terminal_safe(verdict_text(verdict, criteria, lang, trace=_classify_state['trace']))}\n", []


# --- schema --------------------------------------------------------------------------------------


def _cmd_schema(args: argparse.Namespace) -> int:
    from .core.schemas import schema_json

    print(schema_json(args.which))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
