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
    import os
    import stat
    import sys

    from kwaliteitskader.core.io.safefiles import kind_name

    try:
        mode = os.stat(args.file).st_mode
    except OSError:
        mode = None  # missing or unreadable: the wizard says why, and opens empty
    if mode is not None and not stat.S_ISREG(mode):  # a FIFO would block the application's first screen
        print(f"{args.file}: " + t("security.load.not_regular", kind=kind_name(mode)), file=sys.stderr)
        return 2
    from kwaliteitskader.tui.app import run_app  # Textual only when the app really starts

    result: int = run_app(criteria=getattr(args, "criteria", None), lang=args.lang, path=args.file)
    return result
