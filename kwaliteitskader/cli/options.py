"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from kwaliteitskader.core.i18n import t


def add_criteria_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--criteria", type=Path, default=None, metavar="DIR",
                        help=t("cli.help.criteria"))
