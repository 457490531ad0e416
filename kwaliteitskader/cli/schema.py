"""``kwaliteitskader schema assessment|criteria``: the JSON Schema made from the models."""

from __future__ import annotations

import argparse

from kwaliteitskader.core.i18n import t


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("schema", help=t("cli.help.schema"), description=t("cli.help.schema"))
    p.add_argument("which", choices=["assessment", "criteria"], help=t("cli.help.schema_which"))
    p.set_defaults(handler=_cmd_schema)



def _cmd_schema(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.model.schemas import schema_json

    if getattr(args, "criteria", None) is not None:  # the schemas come from the models, not from criteria
        import sys

        print(t("security.cli.criteria_not_here", command="schema"), file=sys.stderr)
        return 2
    print(schema_json(args.which))
    return 0


