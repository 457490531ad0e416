"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kwaliteitskader.core.i18n import t


def add_criteria_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--criteria DIR``, before the command (``top``) or after it. After it, the default is SUPPRESS:
    a command's own default would otherwise overwrite a ``--criteria`` given before the command, which
    was then silently ignored."""
    parser.add_argument("--criteria", type=Path, default=None if top else argparse.SUPPRESS, metavar="DIR",
                        help=t("cli.help.criteria"))


def add_setting_option(parser: argparse.ArgumentParser) -> None:
    """``--setting ID=WAARDE`` (repeatable): change a setting of the criteria, e.g. the strict evidence standard."""
    parser.add_argument("--setting", action="append", default=[], metavar="ID=WAARDE",
                        help=t("cli.help.reclassify_setting"))


def parse_settings(pairs: list[str], criteria: Any) -> dict[str, bool | int]:
    """``["eerste_aanwijzingen_telt=false"]`` as setting overrides; a ValueError names what is wrong."""
    overrides: dict[str, bool | int] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key, raw = key.strip(), raw.strip().lower()
        if not sep or key not in criteria.settings:
            raise ValueError(t("cli.setting_unknown", setting=pair, known=", ".join(criteria.settings)))
        current = criteria.settings[key]
        if isinstance(current, bool):
            if raw not in ("true", "false", "ja", "nee"):
                raise ValueError(t("cli.setting_bool", setting=key))
            overrides[key] = raw in ("true", "ja")
        elif raw.lstrip("-").isdigit():
            overrides[key] = int(raw)
        else:
            raise ValueError(t("cli.setting_int", setting=key))
    return overrides
