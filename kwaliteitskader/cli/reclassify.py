"""``kwaliteitskader reclassify PATH... --criteria DIR``: which verdicts change under other criteria, and why."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kwaliteitskader.cli.options import add_setting_option, parse_settings
from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.safetext import json_safe, terminal_safe


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "reclassify", help=t("cli.help.reclassify"), description=t("cli.help.reclassify")
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=t("cli.help.compare_paths"))
    p.add_argument(
        "--criteria",
        dest="new_criteria",
        type=Path,
        required=True,
        metavar="DIR",
        help=t("cli.help.reclassify_criteria"),
    )
    p.add_argument(
        "--base",
        type=Path,
        default=None,
        metavar="DIR",
        help=t("cli.help.reclassify_base"),
    )
    add_setting_option(p)
    p.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.help.reclassify_format"))
    from kwaliteitskader.cli.compare import add_index_option

    add_index_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kwaliteitskader.core.findings import FindingsError, print_findings
    from kwaliteitskader.core.io.load import load_criteria
    from kwaliteitskader.core.portfolio.reclassify import reclassify

    try:
        old = load_criteria(args.base if args.base is not None else getattr(args, "criteria", None))
        new = load_criteria(args.new_criteria)
    except FindingsError as exc:
        return print_findings(exc.findings)
    try:
        overrides = parse_settings(args.setting, new)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if overrides:
        new = new.with_settings(**overrides)
    from kwaliteitskader.cli.compare import open_index_or_say_why

    index = open_index_or_say_why(args.paths, args.index)
    try:
        result = reclassify(args.paths, old, new, index=index)
    finally:
        if index is not None:
            index.close()
    if args.format == "json":
        print(json_safe(json.dumps(reclassify_dict(result, old, new), ensure_ascii=False, indent=2)))
    else:
        print(terminal_safe(reclassify_text(result, old, new)))  # names from the files are shown, not obeyed
    return print_findings(result.errors)


def reclassify_dict(result: Any, old: Any, new: Any) -> dict[str, Any]:
    return {
        "old": {"version": old.version, "digest": old.digest, "folder": str(old.folder)},
        "new": {"version": new.version, "digest": new.digest, "folder": str(new.folder)},
        "settings_changed": {k: {"old": a, "new": b} for k, (a, b) in result.settings.items()},
        "total": result.total,
        "changes": [
            {
                "file": c.file,
                "municipality": c.municipality,
                "intervention": c.intervention,
                "old": {
                    "class": c.old_class,
                    "advice": c.old_advice,
                    "rule": c.old_rule,
                    "provisional": c.old_provisional,
                },
                "new": {
                    "class": c.new_class,
                    "advice": c.new_advice,
                    "rule": c.new_rule,
                    "provisional": c.new_provisional,
                },
                "first_rule_that_differs": c.first_rule,
                "first_rule_old": c.first_old.value if c.first_old else None,
                "first_rule_new": c.first_new.value if c.first_new else None,
                "conditions_that_differ": [
                    {"condition": i, "old": a.value, "new": b.value} for i, a, b in c.conditions
                ],
            }
            for c in result.changes
        ],
        "errors": [{"file": e.file, "line": e.line, "key": e.key, "reason": e.message} for e in result.errors],
    }


def reclassify_text(result: Any, old: Any, new: Any) -> str:
    """The changed verdicts in words, with the rule and conditions that made the difference."""
    lang = language()

    def klass(c: str) -> str:
        return str(new.label("classes", c, lang))

    def advice(a: str) -> str:
        return str(new.label("advice", a, lang))

    def truth(value: Any) -> str:
        return t(f"result.{value.value}") if value is not None else "—"

    def rule_label(criteria: Any, rule_id: str) -> str:
        found = next((r for r in criteria.document.rules if r.id == rule_id), None)
        return f"{rule_id} ({found.label.get(lang)})" if found else rule_id

    lines = [
        t(
            "compare.re.header",
            old=old.version,
            old_digest=old.digest[7:19],
            new=new.version,
            new_digest=new.digest[7:19],
        )
    ]
    for setting, (a, b) in result.settings.items():
        lines.append("  " + t("compare.re.setting", setting=setting, old=a, new=b))
    lines.append(t("compare.re.count", changed=len(result.changes), total=result.total))
    for c in result.changes:
        lines.append("")
        lines.append(f"== {c.file}: {c.intervention} ({c.municipality})")
        lines.append(
            "   "
            + t(
                "compare.re.class",
                old=klass(c.old_class),
                new=klass(c.new_class),
                old_advice=advice(c.old_advice),
                new_advice=advice(c.new_advice),
            )
        )
        if c.old_provisional != c.new_provisional:
            lines.append("   " + t("compare.re.provisional_now" if c.new_provisional else "compare.re.definite_now"))
        lines.append("   " + t("compare.re.rule", old=rule_label(old, c.old_rule), new=rule_label(new, c.new_rule)))
        if c.first_rule is None:
            lines.append("   " + t("compare.re.same_results", rule=rule_label(new, c.new_rule)))
        else:
            lines.append(
                "   "
                + t(
                    "compare.re.first",
                    rule=rule_label(new, c.first_rule),
                    old=truth(c.first_old),
                    new=truth(c.first_new),
                )
            )
            conditions = new.conditions
            for cond_id, a, b in c.conditions:
                label = conditions[cond_id].label.get(lang) if cond_id in conditions else cond_id
                lines.append(f"     - {label}: {truth(a)} → {truth(b)}")
    return "\n".join(lines)
