"""``kwaliteitskader open FILE``: start the wizard with one assessment opened."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("open", help="open een beoordeling in de wizard / open an assessment in the wizard")
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--criteria", type=Path, default=None, metavar="DIR",
                        help="criteriaset (map met kader.toml) / criteria folder")
    parser.set_defaults(handler=_open)


def _open(args: argparse.Namespace) -> int:
    from ..tui.app import run_app  # Textual only when the app really starts

    result: int = run_app(criteria=args.criteria, lang=args.lang, path=args.file)
    return result
