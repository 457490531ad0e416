"""``kwaliteitskader classify FILE...``: class, advice, reasons, missing answers and next steps."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kwaliteitskader.cli.options import add_criteria_option, add_setting_option, parse_settings
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.safetext import json_safe, terminal_safe

if TYPE_CHECKING:
    from kwaliteitskader.core.findings import Finding
    from kwaliteitskader.core.model.criteria_set import Criteria


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("classify", help=t("cli.help.classify"), description=t("cli.help.classify"))
    p.add_argument("files", nargs="+", type=Path, metavar="PATH", help=t("cli.help.classify_files"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--trace", action="store_true", help=t("cli.help.trace"))
    add_criteria_option(p)
    add_setting_option(p)
    p.set_defaults(handler=_cmd_classify)



def _cmd_classify(args: argparse.Namespace) -> int:
    # the light path gives the same criteria and assessments (and the same findings) without pydantic
    from kwaliteitskader.core.findings import FindingsError, exit_code
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.parallel import in_order

    criteria: Criteria
    try:
        if args.setting:  # a changed setting needs the full criteria (the light ones are read-only records)
            full = load_criteria(args.criteria)
            criteria = full.with_settings(**parse_settings(args.setting, full))
        else:
            criteria = load_criteria(args.criteria, light=True)
    except FindingsError as exc:
        for finding in exc.findings:
            print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
        return exit_code(exc.findings)
    except ValueError as exc:  # a setting that the criteria do not have, or a value of the wrong kind
        print(terminal_safe(str(exc), one_line=True), file=sys.stderr)
        return 2
    files, problems = expand_folders(args.files)
    for finding in problems:
        print(terminal_safe(finding.text(), one_line=True), file=sys.stderr)
    if not files and not problems:
        print(t("cli.no_files"), file=sys.stderr)
        return 2  # as validate: a folder without assessments is unusable input
    fragments = []
    # many files are spread over the cores; output and findings keep the order of the files given
    job = ClassifyJob(criteria, args.json, args.trace, language(), dt.date.today())
    for text, found in in_order(_classify_file, job, files):
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


def expand_folders(paths: list[Path]) -> tuple[list[str], list[Finding]]:
    """Files as given; a folder becomes the assessments in it (recursively, criteria folders skipped),
    found the way ``validate`` and ``compare`` find them. Unreadable subfolders are findings.

    Each file as the text of its ``Path`` (what the output names): for a folder of 50,000 files, making a
    ``Path`` of each in this process (and again in the worker that receives it) cost a quarter of a second
    before the first worker could start. A file found in a folder is left out when given (or found) before."""
    from kwaliteitskader.core.io.validate import empty_folder_findings, unreadable_findings
    from kwaliteitskader.core.io.walk import walk_toml

    files: list[str] = []
    seen: set[str] = set()
    problems: list[Finding] = []
    for path in paths:
        if path.is_dir():
            # as validate's collect walks a folder: every *.toml entry outside criteria folders, sorted (one
            # that is no file is classified too, so that its problem is reported)
            walked = walk_toml(path)
            problems += unreadable_findings(walked) + empty_folder_findings(path, walked)
            found = walked.paths
            if len(paths) == 1:  # one folder lists each file once
                files = found
                break
            for file in found:
                if file not in seen:
                    seen.add(file)
                    files.append(file)
        else:
            files.append(str(path))  # named explicitly: classified (or its problem reported), wherever it is
            seen.add(files[-1])  # (and not again from a folder given after it)
    return files, problems


class ClassifyJob(NamedTuple):
    """What every file is classified with (handed to each worker once)."""

    criteria: Criteria
    json: bool
    trace: bool
    lang: str
    today: dt.date
    """The date an assessment without its own date is judged on (one date for the whole run)."""


def _classify_file(job: ClassifyJob, file: str | Path) -> tuple[str | None, list[Finding]]:
    """The output for one file (a JSON list element, or text), or the findings that stop it."""
    from kwaliteitskader.core.findings import FindingsError
    from kwaliteitskader.core.io.load import load_assessment
    from kwaliteitskader.core.rules.engine import evaluate
    from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text

    criteria, lang = job.criteria, job.lang
    try:
        loaded = load_assessment(file, light=True)
    except FindingsError as exc:
        return None, exc.findings
    # the condition rows are only shown with --trace and in JSON
    verdict = evaluate(loaded.assessment, criteria, conditions=job.trace or job.json, on=job.today)
    if job.json:
        result = {"file": str(file), "intervention": loaded.assessment.intervention.name,
                  "municipality": loaded.assessment.intervention.municipality,
                  **verdict_dict(verdict, criteria, lang, assessment=loaded.assessment)}
        text = json_safe(json.dumps(result, ensure_ascii=False, indent=2))  # bidi, C1: escaped, value kept
        return "\n".join("  " + line for line in text.split("\n")), []
    title = loaded.assessment.intervention.name or str(file)
    header = terminal_safe(f"== {file}: {title}", one_line=True)  # names may hold escapes or control characters
    # safe: control characters from the file shown as escapes, as terminal_safe(text) (made safe line by line)
    text = verdict_text(verdict, criteria, lang, trace=job.trace, assessment=loaded.assessment, safe=True)
    return f"{header}\n{text}\n", []
