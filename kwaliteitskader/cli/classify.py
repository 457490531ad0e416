"""``kwaliteitskader classify FILE...``: class, advice, reasons, missing answers and next steps."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kwaliteitskader.cli.options import add_criteria_option
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.safetext import terminal_safe


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("classify", help=t("cli.help.classify"), description=t("cli.help.classify"))
    p.add_argument("files", nargs="+", type=Path, metavar="PATH", help=t("cli.help.classify_files"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--trace", action="store_true", help=t("cli.help.trace"))
    add_criteria_option(p)
    p.set_defaults(handler=_cmd_classify)



def _cmd_classify(args: argparse.Namespace) -> int:
    # the fast path gives the same criteria and assessments (and the same findings) without pydantic
    from kwaliteitskader.core.findings import FindingsError, exit_code
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.io.fastpath import load_criteria_quick
    from kwaliteitskader.core.parallel import in_order

    try:
        criteria = load_criteria_quick(args.criteria)
    except FindingsError as exc:
        for finding in exc.findings:
            print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
        return exit_code(exc.findings)
    files, problems = expand_folders(args.files)
    for finding in problems:
        print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
    if not files and not problems:
        print(t("cli.no_files"), file=sys.stderr)
    fragments = []
    # many files are spread over the cores; output and findings keep the order of the files given
    setup = (criteria, args.json, args.trace, language())
    for text, found in in_order(_classify_file, files, _classify_setup, setup):
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


def expand_folders(paths: list[Path]) -> tuple[list[Path], list[Any]]:
    """Files as given; a folder becomes the assessments in it (recursively, criteria folders skipped),
    found the way ``validate`` and ``compare`` find them. Unreadable subfolders are findings."""
    from kwaliteitskader.core.rules.validate import collect

    files: list[Path] = []
    problems: list[Any] = []
    for path in paths:
        if path.is_dir():
            _criteria, found, lost = collect([path])
            files += [file for file in found if file not in files]
            problems += lost
        else:
            files.append(path)  # named explicitly: classified (or its problem reported), wherever it is
    return files, problems


_classify_state: dict[str, Any] = {}


def _classify_setup(criteria: Any, as_json: bool, trace: bool, lang: str) -> None:
    _classify_state.update(criteria=criteria, json=as_json, trace=trace, lang=lang)


def _classify_file(file: Path) -> tuple[str | None, list[Any]]:
    """The output for one file (a JSON list element, or text), or the findings that stop it."""
    from kwaliteitskader.core.findings import FindingsError
    from kwaliteitskader.core.io.fastpath import load_assessment_quick
    from kwaliteitskader.core.rules.engine import evaluate
    from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text

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


