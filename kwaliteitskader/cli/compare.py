"""``kwaliteitskader compare PATH...``: many assessments side by side, as a view or a report.

In a terminal without ``--format`` it opens the Textual view; with ``--format`` (or ``--output``, or
when stdout is not a terminal) it writes a report and exits. Textual is imported only for the view.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kwaliteitskader.cli.output import output_refused, output_written
from kwaliteitskader.core.i18n import t

SUFFIX_FORMATS = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".txt": "table",
    ".sqlite": "sqlite",
    ".db": "sqlite",
}


def register(subparsers: Any) -> None:
    from kwaliteitskader.core.output.export import FORMATS
    from kwaliteitskader.core.portfolio.table import COLUMNS

    p: argparse.ArgumentParser = subparsers.add_parser(
        "compare", help=t("cli.help.compare"), description=t("cli.help.compare")
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=t("cli.help.compare_paths"))
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=t("cli.help.compare_format"),
    )
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        default=None,
        metavar="FILE",
        help=t("cli.help.compare_output"),
    )
    p.add_argument("--force", action="store_true", help=t("security.cli.force"))
    p.add_argument(
        "--criteria",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help=t("cli.help.compare_criteria"),
    )
    p.add_argument(
        "--filter",
        default="",
        metavar="QUERY",
        help=t("cli.help.compare_filter"),
    )
    p.add_argument("--sort", choices=COLUMNS, default="municipality", help=t("cli.help.compare_sort"))
    p.add_argument("--desc", action="store_true", help=t("cli.help.compare_desc"))
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=t("cli.help.compare_workers"),
    )
    add_index_option(p)
    p.set_defaults(handler=run)


def open_index_or_say_why(paths: list[Path], where: str | None) -> Any:
    """The portfolio index for ``paths``; a chosen ``--index`` that cannot be used is said on stderr."""
    from kwaliteitskader.core.portfolio.index import open_index

    index = open_index(paths, where)
    if index is None and where is not None and where.lower() not in ("off", "no", "0", "false"):
        print(t("compare.cli.index_unused", file=where), file=sys.stderr)
    return index


def add_index_option(p: argparse.ArgumentParser) -> None:
    """``--index PATH|off``: where the portfolio index lives (default: the cache folder)."""
    p.add_argument("--index", default=None, metavar="PATH", help=t("cli.help.compare_index"))


def _format_of(args: argparse.Namespace) -> str | None:
    if args.format:
        return str(args.format)
    if args.output is not None:
        return SUFFIX_FORMATS.get(args.output.suffix.lower(), "table")
    if not sys.stdout.isatty():
        return "table"
    return None


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(
            f"\r{t('compare.cli.progress', done=done, total=total)}",
            end="" if done < total else "\n",
            file=sys.stderr,
            flush=True,
        )

    return show


def _kept_csv_heads(index: Any, criteria: Any, lang: str) -> tuple[str, dict[str, str]] | None:
    """The CSV heads the index kept for these criteria and language (None without an index)."""
    if index is None:
        return None
    from kwaliteitskader.core.output.export import csv_texts_key

    texts = csv_texts_key(lang)
    heads: dict[str, str] = index.csv_heads(criteria, texts)
    return texts, heads


def _csv_with_heads(report: Any, index: Any, kept: tuple[str, dict[str, str]]) -> bytes:
    """The CSV, with each row's first cells as the index kept them; the ones made now are kept too."""
    from kwaliteitskader.core.output.export import to_csv

    texts, report.heads = kept
    payload = to_csv(report)
    index.store_csv_heads(report.criteria, texts, report.rows, report.heads)  # for the files it keeps none for yet
    return payload


def _lean_csv(args: argparse.Namespace, criteria: Any, index: Any, kept: tuple[str, dict[str, str]],
              workers: int) -> tuple[bytes, int, list[Any]]:
    """The CSV of the whole portfolio sorted by a column of ``LEAN_SORTS``, with the heads the index kept: the
    stored rows that have one are read as lean rows (``load_lean_rows``), which is most of a warm run's work
    saved. The CSV, its number of rows and the errors."""
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.output.export import csv_with_heads
    from kwaliteitskader.core.portfolio.loading import load_lean_rows
    from kwaliteitskader.core.portfolio.table import sort_lean_rows

    texts, heads = kept
    result = load_lean_rows(args.paths, criteria, index, heads, workers=workers, progress=_progress())
    rows = sort_lean_rows(result.rows, args.sort, descending=args.desc)
    payload = csv_with_heads(rows, heads, criteria, language())
    index.store_csv_heads(criteria, texts, rows, heads)  # for the files it keeps none for yet
    return payload, len(rows), result.errors


def _report(args: argparse.Namespace, fmt: str, flt: Any, criteria: Any, index: Any,
            kept: tuple[str, dict[str, str]] | None, workers: int) -> tuple[bytes, int, list[Any]]:
    """The report of the portfolio in ``fmt`` (a CSV with the heads the index kept, if any), its number of rows
    and the errors."""
    from kwaliteitskader.core.output.export import Report, render
    from kwaliteitskader.core.portfolio.loading import load_rows
    from kwaliteitskader.core.portfolio.table import filter_rows, sort_rows

    result = load_rows(args.paths, criteria, workers=workers, progress=_progress(), index=index)
    shown = result.rows if flt.empty else filter_rows(result.rows, flt)
    rows = sort_rows(shown, args.sort, descending=args.desc, criteria=criteria)
    report = Report(rows, result.errors, criteria, filter=flt.query())
    payload = render(report, fmt) if kept is None else _csv_with_heads(report, index, kept)
    return payload, len(rows), result.errors


def run(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.findings import FindingsError, exit_code, print_findings
    from kwaliteitskader.core.i18n import language
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.portfolio.index import LEAN_SORTS
    from kwaliteitskader.core.portfolio.loading import default_workers
    from kwaliteitskader.core.portfolio.table import parse_filter

    criteria_folder: Path | None = getattr(args, "criteria", None)
    from kwaliteitskader.core.portfolio.table import FILTER_KEYS, unknown_filter_keys

    if args.output is not None and str(args.output) == "-":  # "-o -": standard output, as a report
        args.output, args.format = None, args.format or "table"

    unknown = unknown_filter_keys(args.filter)
    if unknown:  # a typo in a key would silently match nothing
        print(t("compare.filter.unknown_keys", keys=", ".join(unknown), valid=", ".join(FILTER_KEYS)), file=sys.stderr)
        return 2
    fmt = _format_of(args)
    if fmt is None:
        from kwaliteitskader import gc_policy
        from kwaliteitskader.tui.compare.app import run_compare

        gc_policy.for_apps()  # the view runs for long: Python's own collector thresholds (kwaliteitskader/gc_policy.py)

        return run_compare(
            args.paths, criteria_folder=criteria_folder, lang=language(), query=args.filter, index=args.index
        )
    from kwaliteitskader.core.safetext import terminal_safe

    inputs = [*args.paths, *([criteria_folder] if criteria_folder else [])]
    if args.output is not None and output_refused(args.output, inputs=inputs, force=args.force):
        return 2
    try:
        criteria = load_criteria(criteria_folder, light=True)
    except FindingsError as exc:
        return print_findings(exc.findings)
    if fmt in ("xlsx", "sqlite") and args.output is None and sys.stdout.isatty():
        print(t(f"compare.cli.{fmt}_needs_output"), file=sys.stderr)
        return 2
    workers = args.workers if args.workers is not None else default_workers()
    index = open_index_or_say_why(args.paths, args.index)
    try:
        # a CSV takes the first cells of each row from the index (what the row's content, criteria and
        # language decide), and only makes the rest; unfiltered and by a lean sort, from lean rows
        flt = parse_filter(args.filter)
        kept = _kept_csv_heads(index, criteria, language()) if fmt == "csv" else None
        if kept is not None and flt.empty and args.sort in LEAN_SORTS:
            payload, shown, errors = _lean_csv(args, criteria, index, kept, workers)
        else:
            payload, shown, errors = _report(args, fmt, flt, criteria, index, kept, workers)
    finally:
        if index is not None:
            index.close()
    if args.output is not None:
        if not output_written(args.output, payload):
            return 2
        print(t("compare.cli.written", file=args.output, rows=shown, errors=len(errors)), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    if fmt != "table":
        for error in errors:
            print(terminal_safe(error.text(), one_line=True), file=sys.stderr)
    return exit_code(errors)
