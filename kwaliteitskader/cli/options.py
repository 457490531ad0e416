"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from kwaliteitskader.core.i18n import t


def add_criteria_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--criteria DIR``, before the command (``top``) or after it. After it, the default is SUPPRESS:
    a command's own default would otherwise overwrite a ``--criteria`` given before the command, which
    was then silently ignored."""
    parser.add_argument("--criteria", type=Path, default=None if top else argparse.SUPPRESS, metavar="DIR",
                        help=t("cli.help.criteria"))
