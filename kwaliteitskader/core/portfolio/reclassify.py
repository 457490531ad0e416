"""Re-run every assessment under another criteria set: only changed verdicts, with the rule that made the difference."""


from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kwaliteitskader.core.findings import Finding, FindingsError
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.cells import advice_text, class_text
from kwaliteitskader.core.portfolio.loading import Progress, find_files
from kwaliteitskader.core.portfolio.row import VerdictFields, verdict_fields
from kwaliteitskader.core.rules.engine import Truth, Verdict, evaluate

if TYPE_CHECKING:
    from kwaliteitskader.core.model.assessment import Assessment
    from kwaliteitskader.core.portfolio.index import PortfolioIndex



@dataclass(frozen=True)
class Reclassified:
    """One verdict that changes under the new criteria, and why."""

    file: str
    municipality: str
    intervention: str
    old: VerdictFields
    new: VerdictFields
    first_rule: str | None
    """The first rule (in the new order) whose result differs; None when only the rule itself changed
    (e.g. its advice or class), in which case ``new.rule`` made the difference."""
    first_old: Truth | None
    first_new: Truth | None
    conditions: tuple[tuple[str, Truth, Truth], ...]
    """Conditions inside ``first_rule`` whose result differs: (condition id, old, new)."""

    @property
    def verdict_changed(self) -> bool:
        """The class or the advice changes (or what is still possible of either); False when only the deciding
        rule differs and a reader sees the same verdict."""
        return self.old._replace(rule="") != self.new._replace(rule="")


@dataclass
class ReclassifyResult:
    changes: list[Reclassified]
    """Every file whose verdict or deciding rule changes (see :attr:`Reclassified.verdict_changed`)."""
    errors: list[Finding]
    total: int
    old_version: str
    new_version: str
    settings: dict[str, tuple[bool | int | None, bool | int | None]]
    """Settings whose value differs: id → (old, new)."""

    @property
    def verdicts_changed(self) -> int:
        """How many class or advice changes (a reader sees another verdict)."""
        return sum(change.verdict_changed for change in self.changes)

    @property
    def rules_only(self) -> int:
        """How many changes of the deciding rule alone (the same class and advice)."""
        return len(self.changes) - self.verdicts_changed


def _first_difference(
    old: Verdict, new: Verdict
) -> tuple[str | None, Truth | None, Truth | None, tuple[tuple[str, Truth, Truth], ...]]:
    old_rules = {r.id: r for r in old.trace}
    for nr in new.trace:
        orule = old_rules.get(nr.id)
        if orule is None:
            return nr.id, None, nr.result, ()
        if orule.result is not nr.result:
            oconds = {c.id: c.result for c in orule.conditions}
            conds = tuple(
                (c.id, oconds[c.id], c.result) for c in nr.conditions if c.id in oconds and oconds[c.id] is not c.result
            )
            return nr.id, orule.result, nr.result, conds
    return None, None, None, ()


def compare_verdicts(file: str, a: Assessment, old: Verdict, new: Verdict) -> Reclassified | None:
    before, after = verdict_fields(old), verdict_fields(new)
    if before == after:
        return None
    first, old_result, new_result, conds = _first_difference(old, new)
    return Reclassified(
        file, a.intervention.municipality, a.intervention.name, before, after, first, old_result, new_result, conds
    )


def change_texts(change: Reclassified, old: Criteria, new: Criteria, lang: str) -> tuple[str, str, str]:
    """A change's class, advice and deciding rule as ``before → after``, in labels (an open verdict as open)."""
    def rule(criteria: Criteria, rule_id: str) -> str:
        found = next((r for r in criteria.document.rules if r.id == rule_id), None)
        return found.label.get(lang) if found is not None else rule_id

    return (
        f"{class_text(change.old, old, lang)} → {class_text(change.new, new, lang)}",
        f"{advice_text(change.old, old, lang)} → {advice_text(change.new, new, lang)}",
        f"{rule(old, change.old.rule)} → {rule(new, change.new.rule)}",
    )


def setting_value_text(value: bool | int | None, lang: str) -> str:
    """A setting's value as a reader says it: ja/nee, a number, or *niet gezet*."""
    if value is None:
        return t("compare.re.unset", lang=lang)
    if isinstance(value, bool):
        return t("compare.yes" if value else "compare.no", lang=lang)
    return str(value)


def setting_label(criteria: Criteria, setting_id: str, lang: str) -> str:
    found = next((s for s in criteria.document.settings if s.id == setting_id), None)
    return found.label.get(lang) if found is not None else setting_id


def summary_lines(result: ReclassifyResult, old: Criteria, new: Criteria, lang: str) -> list[str]:
    """The head of a re-classification in words: the two criteria sets, each changed setting (its label and
    values), and the count of class or advice changes apart from changes of the deciding rule alone."""
    lines = [
        t("compare.re.header", lang=lang, old=old.version, old_digest=old.digest[7:19], new=new.version,
          new_digest=new.digest[7:19])
    ]
    for setting, (a, b) in result.settings.items():
        lines.append("  " + t("compare.re.setting", lang=lang, setting=setting_label(new, setting, lang),
                              old=setting_value_text(a, lang), new=setting_value_text(b, lang)))
    lines.append(t("compare.re.count", lang=lang, changed=result.verdicts_changed, total=result.total,
                   rules=result.rules_only))
    return lines


def settings_changes(old: Criteria, new: Criteria) -> dict[str, tuple[bool | int | None, bool | int | None]]:
    ids = list(old.settings) + [s for s in new.settings if s not in old.settings]
    return {s: (old.settings.get(s), new.settings.get(s)) for s in ids if old.settings.get(s) != new.settings.get(s)}


def _judged_twice(assessment: Assessment, old: Criteria, new: Criteria, today: dt.date) -> tuple[Verdict, Verdict]:
    """The verdicts under ``old`` and ``new`` on ``today``; with each rule's condition rows only when the verdict
    changes, where the change's first differing conditions are read from them (most files do not change)."""
    before = evaluate(assessment, old, conditions=False, on=today)
    after = evaluate(assessment, new, conditions=False, on=today)
    if verdict_fields(before) == verdict_fields(after):
        return before, after
    return evaluate(assessment, old, on=today), evaluate(assessment, new, on=today)


def reclassify(
    paths: Iterable[Path | str],
    old: Criteria,
    new: Criteria,
    *,
    progress: Progress | None = None,
    index: PortfolioIndex | None = None,
    today: dt.date | None = None,
) -> ReclassifyResult:
    """Evaluate every assessment under ``old`` and ``new``; keep only the verdicts that change. An
    assessment without a date is judged on ``today`` (default: the day it runs), under both sets alike.

    With an ``index`` (:mod:`.index`), a file whose unchanged content has rows under both criteria
    sets with the same verdict is skipped (it cannot be a change); every other file is read and judged
    under both, and its rows are kept in the index for the next time."""
    from kwaliteitskader.core.io.load import load_assessment

    today = today or dt.date.today()
    files, errors = find_files(paths)
    unchanged = index.same_verdicts(files, old, new) if index is not None else set()
    changes: list[Reclassified] = []
    for n, file in enumerate(files, 1):
        if n - 1 not in unchanged:
            try:
                loaded = load_assessment(file)
            except FindingsError as exc:
                errors += exc.findings
                if index is not None:
                    index.forget(file)
            else:
                before, after = _judged_twice(loaded.assessment, old, new, today)
                change = compare_verdicts(str(file), loaded.assessment, before, after)
                if change is not None:
                    changes.append(change)
                if index is not None:
                    index.remember_verdicts(loaded, ((before, old), (after, new)))
        if progress is not None and (n % 100 == 0 or n == len(files)):
            progress(n, len(files))
    if index is not None:
        index.commit(seen=files)
    return ReclassifyResult(changes, errors, len(files), old.version, new.version, settings_changes(old, new))


# --- cell texts (shared by the table, the exports and the view) -------------------------------------
