"""``kwaliteitskader open FILE``: start the wizard with one assessment opened."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kwaliteitskader.cli.options import add_criteria_option
from kwaliteitskader.core.i18n import t


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("open", help=t("cli.help.open"), description=t("cli.help.open"))
    parser.add_argument("file", type=Path, metavar="FILE", help=t("cli.help.open_file"))
    add_criteria_option(parser)
    parser.set_defaults(handler=_open)


def _open(args: argparse.Namespace) -> int:
    from kwaliteitskader.tui.app import run_app  # Textual only when the app really starts

    result: int = run_app(criteria=getattr(args, "criteria", None), lang=args.lang, path=args.file)
    return result
