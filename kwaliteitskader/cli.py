"""The ``kwaliteitskader`` command.

The paths CI uses (``validate``, ``classify``, ``schema``) import only the domain core; Textual is
imported only when the interactive application starts (a test checks this in a subprocess).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .core.i18n import set_language, t

Handler = Callable[[argparse.Namespace], int]

COMMAND_MODULES: tuple[str, ...] = ()
"""Further commands, each a module ``kwaliteitskader.commands.<name>`` with ``register(subparsers)``
that adds its parser and sets ``handler``. Such modules must not import Textual at module level."""


def _add_criteria_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--criteria", type=Path, default=None, metavar="DIR",
                        help="criteriaset (map met kader.toml); standaard de meegeleverde nieuwste / criteria folder")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kwaliteitskader", description=t("cli.description"))
    parser.add_argument("--lang", choices=["nl", "en"], default=None, help="taal / language (nl, en)")
    _add_criteria_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="controleer criteriasets en beoordelingen / check criteria and assessments")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    _add_criteria_option(p)
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("classify", help="klasse, advies en volgende stappen / class, advice and next steps")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="JSON-uitvoer / JSON output")
    p.add_argument("--trace", action="store_true", help="toon de volledige afleiding / show the full trace")
    _add_criteria_option(p)
    p.set_defaults(handler=_cmd_classify)

    p = sub.add_parser("schema", help="JSON Schema van de modellen / JSON Schema of the models")
    p.add_argument("which", choices=["assessment", "criteria"])
    p.set_defaults(handler=_cmd_schema)

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"kwaliteitskader.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    set_language(args.lang)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _start_app(args)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


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

    findings, checked = validate_paths(args.paths, criteria_folder=args.criteria)
    if args.format == "text":
        for finding in findings:
            print(finding.text())
        if findings:
            print(t("cli.summary", count=len(findings), files=len({f.file for f in findings})), file=sys.stderr)
        elif checked:
            print(t("cli.ok", count=checked))
        else:
            print(t("cli.no_files"), file=sys.stderr)
    elif findings or args.format == "json":
        print(render(findings, args.format))
    return exit_code(findings)


# --- classify ------------------------------------------------------------------------------------


def _cmd_classify(args: argparse.Namespace) -> int:
    # the fast path gives the same criteria and assessments (and the same findings) without pydantic
    from .core.engine import evaluate
    from .core.explain import verdict_dict, verdict_text
    from .core.fastpath import load_assessment_quick as load_assessment
    from .core.fastpath import load_criteria_quick as load_criteria
    from .core.findings import FindingsError, exit_code
    from .core.i18n import language

    try:
        criteria = load_criteria(args.criteria)
    except FindingsError as exc:
        for finding in exc.findings:
            print(finding.text(), file=sys.stderr)
        return exit_code(exc.findings)
    results = []
    problems = []
    for file in args.files:
        try:
            loaded = load_assessment(file)
        except FindingsError as exc:
            problems += exc.findings
            for finding in exc.findings:
                print(finding.text(), file=sys.stderr)
            continue
        verdict = evaluate(loaded.assessment, criteria)
        if args.json:
            results.append({"file": str(file), "intervention": loaded.assessment.intervention.name,
                            "municipality": loaded.assessment.intervention.municipality,
                            **verdict_dict(verdict, criteria)})
        else:
            title = loaded.assessment.intervention.name or str(file)
            print(f"== {file}: {title}")
            print(verdict_text(verdict, criteria, language(), trace=args.trace))
            print()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return exit_code(problems)


# --- schema --------------------------------------------------------------------------------------


def _cmd_schema(args: argparse.Namespace) -> int:
    from .core.schemas import schema_json

    print(schema_json(args.which))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
