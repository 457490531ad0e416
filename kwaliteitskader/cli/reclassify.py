"""``kwaliteitskader reclassify PATH... --criteria DIR``: which verdicts change under other criteria, and why."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kwaliteitskader.cli.options import add_setting_option, parse_settings
from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.portfolio.cells import or_list
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


def _verdict_dict(verdict: Any) -> dict[str, Any]:
    """A :class:`.row.VerdictFields` in the fields of ``classify --json``."""
    return {
        "class": verdict.decided_class,
        "possible_classes": list(verdict.possible_classes),
        "provisional": verdict.provisional,
        "advice": verdict.advice,
        "possible_advice": list(verdict.possible_advice),
        "advice_provisional": verdict.advice_provisional,
        "rule": verdict.rule,
    }


def reclassify_dict(result: Any, old: Any, new: Any) -> dict[str, Any]:
    return {
        "old": {"version": old.version, "digest": old.digest, "folder": str(old.folder)},
        "new": {"version": new.version, "digest": new.digest, "folder": str(new.folder)},
        "settings_changed": {k: {"old": a, "new": b} for k, (a, b) in result.settings.items()},
        "total": result.total,
        "verdicts_changed": result.verdicts_changed,
        "rules_only": result.rules_only,
        "changes": [
            {
                "file": c.file,
                "municipality": c.municipality,
                "intervention": c.intervention,
                "change": "verdict" if c.verdict_changed else "rule_only",
                "old": _verdict_dict(c.old),
                "new": _verdict_dict(c.new),
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


class _Words:
    """The labels a reader sees for ids, flags and results, under one criteria set (the old or the new)."""

    def __init__(self, criteria: Any, lang: str) -> None:
        self.criteria, self.lang = criteria, lang

    def klass(self, verdict: Any) -> str:
        if verdict.decided_class is not None:
            return str(self.criteria.label("classes", verdict.decided_class, self.lang))
        labels = or_list((self.criteria.label("classes", c, self.lang) for c in verdict.possible_classes), self.lang)
        return t("compare.re.open_class", classes=labels)

    def advice(self, verdict: Any) -> str:
        if verdict.advice is not None:
            return str(self.criteria.label("advice", verdict.advice, self.lang))
        labels = or_list((self.criteria.label("advice", a, self.lang) for a in verdict.possible_advice), self.lang)
        return t("compare.re.open_advice", advice=labels)

    def rule(self, rule_id: str) -> str:
        found = next((r for r in self.criteria.document.rules if r.id == rule_id), None)
        return str(found.label.get(self.lang)) if found else rule_id

    def condition(self, condition_id: str) -> str:
        found = self.criteria.conditions.get(condition_id)
        return str(found.label.get(self.lang)) if found is not None else condition_id


def value_text(value: Any) -> str:
    """A flag as a reader says it: ja/nee."""
    return t("compare.yes" if value else "compare.no")


def truth_text(value: Any) -> str:
    return t(f"result.{value.value}") if value is not None else "—"


def _change_lines(c: Any, before: _Words, after: _Words) -> list[str]:
    """One changed file: what a reader sees change (class, advice, provisional), the deciding rule, and why."""
    lines = ["", f"== {c.file}: {c.intervention} ({c.municipality})"]
    pairs = [
        ("compare.re.class", before.klass(c.old), after.klass(c.new)),
        ("compare.re.advice", before.advice(c.old), after.advice(c.new)),
        ("compare.re.provisional", value_text(c.old.provisional), value_text(c.new.provisional)),
    ]
    lines += ["   " + t(key, old=a, new=b) for key, a, b in pairs if a != b]
    if not c.verdict_changed:
        lines.append("   " + t("compare.re.rule_only", klass=after.klass(c.new), advice=after.advice(c.new)))
    if before.rule(c.old.rule) != after.rule(c.new.rule):
        lines.append("   " + t("compare.re.rule", old=before.rule(c.old.rule), new=after.rule(c.new.rule)))
    if c.first_rule is None:
        lines.append("   " + t("compare.re.same_results", rule=after.rule(c.new.rule)))
        return lines
    first = t("compare.re.first", rule=after.rule(c.first_rule), old=truth_text(c.first_old), new=truth_text(c.first_new))
    lines.append("   " + first)
    lines += [f"     - {after.condition(i)}: {truth_text(a)} → {truth_text(b)}" for i, a, b in c.conditions]
    return lines


def reclassify_text(result: Any, old: Any, new: Any) -> str:
    """The changed verdicts in words (labels, never ids), the class or advice changes counted apart from the
    changes of the deciding rule alone, with the rule and conditions that made the difference."""
    from kwaliteitskader.core.portfolio.reclassify import summary_lines

    lang = language()
    before, after = _Words(old, lang), _Words(new, lang)
    lines = summary_lines(result, old, new, lang)
    for c in result.changes:
        lines += _change_lines(c, before, after)
    return "\n".join(lines)
