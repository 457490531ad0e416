"""Meaning checks on a parsed criteria set and on an assessment read against one.

Parsing and types are pydantic's job (see criteria.py); these checks find what types cannot:
references to ids that do not exist, duplicate ids, comparisons that do not fit their field, rules
that can never decide (after the fallback, contradicting themselves, or repeating an earlier rule),
and a missing fallback (some assessment would get no class). Every finding names file, line and key.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.assessment import FieldKind, Tri, answer_fields
from kwaliteitskader.core.model.criteria import Condition
from kwaliteitskader.core.model.criteria_set import CATALOGUES, FullCriteria
from kwaliteitskader.core.rules.derived import field_info, fields_read, years_since_reads
from kwaliteitskader.core.rules.operators import NUMERIC, OPERATORS, compare

MAX_CONDITION_DEPTH = 64
"""Deepest nesting of ``all``/``any``/``not`` accepted (the bundled criteria use 5)."""
MAX_CONDITION_SIZE = 5000
"""Most conditions one condition may spell out as a tree, shared parts counted per use (bundled: < 50)."""

_OPS_BY_KIND: dict[FieldKind, set[str]] = {
    kind: {name for name, op in OPERATORS.items() if kind.value in op.kinds} for kind in FieldKind
}
"""The operators each kind of answer may be compared with (from the operator registry)."""


def check_criteria(criteria: FullCriteria) -> list[Finding]:
    return list(_CriteriaChecker(criteria).run())


class _CriteriaChecker:
    def __init__(self, criteria: FullCriteria) -> None:
        self.c = criteria
        self.doc = criteria.document
        self.src = criteria.sources
        self.ids = {name: {item.id for item in getattr(self.doc, name)} for name in CATALOGUES}
        self.cond_index = {cond.id: i for i, cond in enumerate(self.doc.conditions)}
        self._signatures: dict[str, int] = {}
        """Per condition its number from :meth:`_signature`."""
        self._interned: dict[tuple[Any, ...], int] = {}
        """Per kind and children's numbers the number given to it."""

    def at(self, path: tuple[str | int, ...], message: str, code: str, value: str | None = None) -> Finding:
        return self.src.finding(path, message, code, value)

    def run(self) -> Iterator[Finding]:
        yield from self.duplicates()
        yield from self.citations()
        yield from self.notices()
        yield from self.catalogue_references()
        yield from self.questions()
        cond_ok = True
        for finding in self.conditions():
            cond_ok = False
            yield finding
        yield from self.rules(check_logic=cond_ok)
        if cond_ok:
            yield from self.change_models()
            yield from self.applicability()

    def duplicates(self) -> Iterator[Finding]:
        for name in [*CATALOGUES, "conditions", "rules"]:
            seen: dict[str, int] = {}
            for i, item in enumerate(getattr(self.doc, name)):
                if item.id in seen:
                    first_line = self.src.locate((name, seen[item.id], "id"))[1]
                    yield self.at((name, i, "id"), t("check.duplicate_id", id=item.id, first=first_line), "duplicate-id")
                seen.setdefault(item.id, i)
        for rank, count in Counter(c.rank for c in self.doc.classes).items():
            if count > 1:
                i = [c.rank for c in self.doc.classes].index(rank)
                yield self.at(("classes", i, "rank"), t("check.duplicate_rank", rank=rank), "duplicate-rank")

    # --- sources ------------------------------------------------------------------------------

    def _cited(self) -> Iterator[tuple[tuple[str | int, ...], Any]]:
        """Every item that carries a ``source``, with its path in the document."""
        for name in type(self.doc).model_fields:
            value = getattr(self.doc, name)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if hasattr(item, "source"):
                        yield (name, i), item
            elif hasattr(value, "source"):
                yield (name,), value

    def citations(self) -> Iterator[Finding]:
        """Every citation names a key of the reference list; a design choice says why, in one line."""
        keys: dict[str, int] = {}
        for i, ref in enumerate(self.doc.references):
            if ref.key in keys:
                yield self.at(("references", i, "key"), t("check.duplicate_reference", key=ref.key), "duplicate-reference")
            keys.setdefault(ref.key, i)
        for path, item in self._cited():
            for j, cite in enumerate(item.source):
                if cite.ref in keys:
                    continue
                looks_like_document = any(ch in cite.ref for ch in "./\\§ ")
                message = t("check.source_not_listed" if looks_like_document else "check.unknown_source", value=cite.ref)
                yield self.at((*path, "source", j), message, "unknown-source", cite.ref)
            if item.design_choice and item.design_reason is None:
                yield self.at((*path, "design_choice"), t("check.design_reason_missing"), "design-reason-missing")
            if not item.design_choice and item.design_reason is not None:
                yield self.at((*path, "design_reason"), t("check.design_reason_without_choice"), "design-reason")

    def notices(self) -> Iterator[Finding]:
        seen: set[str] = set()
        for i, notice in enumerate(self.doc.notices):
            if notice.id in seen:
                yield self.at(("notices", i, "id"), t("check.duplicate_id", id=notice.id, first=""), "duplicate-id")
            seen.add(notice.id)
            if notice.when not in self.cond_index:
                yield self.at(("notices", i, "when"), t("check.unknown_condition", value=notice.when), "unknown-reference")
            for j, cls in enumerate(notice.classes or ()):
                yield from self._ref(("notices", i, "classes", j), "classes", cls)
            if notice.show_field is not None and notice.show_field not in answer_fields():
                yield self.at(("notices", i, "show_field"), t("check.unknown_field", field=notice.show_field), "unknown-field")
            yield from self._inconsistent_fields(i, notice.when, notice.inconsistent_fields or ())

    def _inconsistent_fields(self, i: int, when: str, fields: Iterable[str]) -> Iterator[Finding]:
        """Each field a notice names as contradicting is an answer in the file (``validate`` points at its
        line) and is read by the notice's condition."""
        read = self._reads(when, set()) if when in self.cond_index else None
        for j, path in enumerate(fields):
            here = ("notices", i, "inconsistent_fields", j)
            if path not in answer_fields():
                yield self.at(here, t("check.unknown_field", field=path), "unknown-field", path)
            elif read is not None and path not in read:
                yield self.at(here, t("check.inconsistent_field_unread", field=path, id=when), "unknown-field", path)

    def _reads(self, cond_id: str, seen: set[str]) -> set[str]:
        """The answers a condition reads (through the conditions below it)."""
        if cond_id in seen or cond_id not in self.c.conditions:
            return set()
        seen.add(cond_id)
        cond = self.c.conditions[cond_id]
        if cond.years_since is not None:
            return set(years_since_reads(cond.years_since))
        if cond.is_atom:
            return set(fields_read(cond.field or cond.count or ""))
        return {f for child in cond.children for f in self._reads(child, seen)}

    def _ref(self, path: tuple[str | int, ...], catalogue: str, value: str) -> Iterator[Finding]:
        if value not in self.ids.get(catalogue, set()):
            yield self.at(path, t("check.unknown_ref", value=value, catalogue=catalogue), "unknown-reference", value)

    def catalogue_references(self) -> Iterator[Finding]:
        for i, rf in enumerate(self.doc.risk_factors):
            yield from self._ref(("risk_factors", i, "domain"), "domains", rf.domain)
        for i, pf in enumerate(self.doc.protective_factors):
            yield from self._ref(("protective_factors", i, "domain"), "domains", pf.domain)
        for i, ai in enumerate(self.doc.active_ingredients):
            for j, domain in enumerate(ai.domains):
                yield from self._ref(("active_ingredients", i, "domains", j), "domains", domain)
        used = {cond.field.partition(".")[2] for cond in self.doc.conditions if cond.field and cond.field.startswith("harm_signals.")}
        for i, signal in enumerate(self.doc.harm_signals):
            if signal.id not in used:
                yield self.at(("harm_signals", i, "id"), t("check.harm_unused", id=signal.id), "unused-harm-signal")
        for i, cls in enumerate(self.doc.classes):
            if not any(rule.class_ == cls.id for rule in self.doc.rules):
                yield self.at(("classes", i, "id"), t("check.class_unused", id=cls.id), "unused-class")

    def questions(self) -> Iterator[Finding]:
        fields = answer_fields()
        asked = set()
        for i, question in enumerate(self.doc.questions):
            asked.add(question.field)
            if question.field not in fields:
                yield self.at(("questions", i, "field"), t("check.unknown_field", field=question.field), "unknown-field")
            yield from self._ref(("questions", i, "step"), "steps", question.step)
        for path in fields:
            if not path.startswith("meta.") and path not in asked and self.doc.questions:
                yield self.at(("questions",), t("check.question_missing", field=path), "question-missing")

    # --- conditions ---------------------------------------------------------------------------

    def conditions(self) -> Iterator[Finding]:
        for i, cond in enumerate(self.doc.conditions):
            yield from self._condition(i, cond)
        cycles = list(self._cycles())
        yield from cycles
        if not cycles:
            yield from self._shape()

    def _condition(self, i: int, cond: Condition) -> Iterator[Finding]:
        here = ("conditions", i)
        forms = [k for k in ("field", "count", "years_since", "all", "any", "not_") if getattr(cond, k, None) is not None]
        if len(forms) != 1:
            yield self.at((*here, "id"), t("check.condition_form", id=cond.id), "condition-form")
            return
        for key, children in (("all", cond.all), ("any", cond.any)):
            if children is not None and not children:
                yield self.at((*here, key), t("check.empty_combination", id=cond.id), "empty-combination")
            for j, child in enumerate(children or []):
                if child not in self.cond_index:
                    yield self.at((*here, key, j), t("check.unknown_condition", value=child), "unknown-reference", child)
        if cond.not_ is not None and cond.not_ not in self.cond_index:
            yield self.at((*here, "not"), t("check.unknown_condition", value=cond.not_), "unknown-reference")
        if cond.is_atom:
            yield from self._atom(here, cond)
        elif cond.op is not None or cond.value is not None or cond.setting is not None:
            yield self.at((*here, "op"), t("check.combination_with_op", id=cond.id), "condition-form")

    def _atom(self, here: tuple[str | int, ...], cond: Condition) -> Iterator[Finding]:
        key = "field" if cond.field is not None else "count" if cond.count is not None else "years_since"
        path = cond.field or cond.count or cond.years_since or ""
        info = field_info(path, self.c)
        if info is None:
            yield self.at((*here, key), t("check.unknown_field", field=path), "unknown-field")
            return
        if key == "years_since" and info.kind is not FieldKind.INT:
            yield self.at((*here, key), t("check.value_type", field=path, kind="int"), "type")
            return
        if cond.op is None:
            yield self.at((*here, key), t("check.op_missing", id=cond.id), "op-missing")
            return
        if (cond.value is None) == (cond.setting is None):
            yield self.at((*here, "op"), t("check.value_or_setting", id=cond.id), "value-missing")
            return
        expected: Any = cond.value
        if cond.setting is not None:
            if cond.setting not in self.c.settings:
                yield self.at((*here, "setting"), t("check.unknown_setting", value=cond.setting), "unknown-reference")
                return
            expected = self.c.settings[cond.setting]
        if key == "count":
            if info.kind is not FieldKind.MULTI:
                yield self.at((*here, key), t("check.count_not_list", field=path), "type")
            elif cond.op not in NUMERIC:
                yield self.at((*here, "op"), t("check.op_not_allowed", op=cond.op, field=path), "type")
            elif not isinstance(expected, int) or isinstance(expected, bool):
                yield self.at((*here, "value"), t("check.value_type", field=path, kind="int"), "type")
            return
        if cond.op not in _OPS_BY_KIND[info.kind]:
            yield self.at((*here, "op"), t("check.op_not_allowed", op=cond.op, field=path), "type")
            return
        yield from self._atom_value(here, cond, info.kind, info.catalogue, path, expected)

    def _atom_value(self, here: tuple[str | int, ...], cond: Condition, kind: FieldKind, catalogue: str | None,
                    path: str, expected: Any) -> Iterator[Finding]:
        values_path = (*here, "setting" if cond.setting else "value")
        is_list_op = cond.op in ("in", "not_in")
        if is_list_op != isinstance(expected, list):
            yield self.at(values_path, t("check.value_list", op=cond.op), "type")
            return
        values = expected if isinstance(expected, list) else [expected]
        if path.startswith("settings.") and kind is FieldKind.TRI:
            if not all(isinstance(v, bool) for v in values):
                yield self.at(values_path, t("check.value_type", field=path, kind="bool"), "type")
            return
        if kind in (FieldKind.INT, FieldKind.FLOAT):
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                yield self.at(values_path, t("check.value_type", field=path, kind="int"), "type")
            return
        if not all(isinstance(v, str) for v in values):
            yield self.at(values_path, t("check.value_type", field=path, kind="text"), "type")
            return
        if kind is FieldKind.TRI:
            for v in values:
                if v not in (Tri.JA, Tri.NEE):
                    yield self.at(values_path, t("check.tri_value", value=v), "type", str(v))
        elif catalogue:
            for v in values:
                if v not in self.ids.get(catalogue, set()):
                    yield self.at(values_path, t("check.unknown_ref", value=v, catalogue=catalogue), "unknown-reference", str(v))

    def _cycles(self) -> Iterator[Finding]:
        """A finding for every condition from which a cycle is reached (that was not reached before).
        Iterative: a criteria set may nest conditions deeper than Python's recursion limit."""
        conditions = self.c.conditions
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for i, cond in enumerate(self.doc.conditions):
            if cond.id in state:
                continue
            found = False
            state[cond.id] = 1
            stack: list[tuple[str, Iterator[str]]] = [(cond.id, iter(conditions[cond.id].children))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(child) == 1:
                    found = True
                elif child not in state and child in conditions:
                    state[child] = 1
                    stack.append((child, iter(conditions[child].children)))
            if found:
                yield self.at(("conditions", i, "id"), t("check.cycle", id=cond.id), "cycle")

    def _bottom_up(self) -> list[str]:
        """Every condition, children before parents (after :meth:`_cycles` found none); iterative."""
        conditions = self.c.conditions
        order: list[str] = []
        done: set[str] = set()
        for cond in self.doc.conditions:
            if cond.id in done:
                continue
            done.add(cond.id)
            stack: list[tuple[str, Iterator[str]]] = [(cond.id, iter(conditions[cond.id].children))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    order.append(node)
                    stack.pop()
                elif child not in done and child in conditions:
                    done.add(child)
                    stack.append((child, iter(conditions[child].children)))
        return order

    def _shape(self) -> Iterator[Finding]:
        """Depth and written-out size of every condition, with a finding where a limit is passed.

        The engine, its trace and "Wat is er nodig?" walk a condition as the tree it spells out (a shared
        sub-condition once per use), so a set whose conditions are nested too deep, or that spell out an
        enormous tree from a few shared parts, is refused here rather than exhausting time, memory or the
        recursion limit later. Only the outermost offender of a chain is named."""
        conditions = self.c.conditions
        self.depth: dict[str, int] = {}
        size: dict[str, int] = {}
        for cond_id in self._bottom_up():
            children = [c for c in conditions[cond_id].children if c in conditions]
            self.depth[cond_id] = 1 + max((self.depth[c] for c in children), default=0)
            # capped: beyond the limit the exact number does not matter (and would grow exponentially)
            size[cond_id] = min(MAX_CONDITION_SIZE + 1, 1 + sum(size[c] for c in children))
        too_deep = {c for c, d in self.depth.items() if d > MAX_CONDITION_DEPTH}
        too_large = {c for c, n in size.items() if n > MAX_CONDITION_SIZE} - too_deep
        inner = {child for c in too_deep | too_large for child in conditions[c].children}
        for i, cond in enumerate(self.doc.conditions):
            if cond.id in too_deep and cond.id not in inner:
                yield self.at(("conditions", i, "id"), t("security.check.too_deep", id=cond.id,
                                                           depth=self.depth[cond.id], limit=MAX_CONDITION_DEPTH),
                              "condition-too-deep")
            elif cond.id in too_large and cond.id not in inner:
                yield self.at(("conditions", i, "id"), t("security.check.too_large", id=cond.id,
                                                           size=MAX_CONDITION_SIZE + 1, limit=MAX_CONDITION_SIZE),
                              "condition-too-large")

    # --- change models and applicability -----------------------------------------------------------

    def _needed_directions(self) -> dict[str, set[bool]]:
        """Per comparison: the directions "Wat is er nodig?" may need it changed in.

        A rule of a class above the lowest may be wanted to hold; a rule followed by a rule of a higher
        class may be wanted not to hold. Through ``not`` the direction turns round."""
        rank = {c.id: c.rank for c in self.doc.classes}
        lowest = min(rank.values(), default=0)
        needs: dict[str, set[bool]] = {}
        seen: set[tuple[str, bool]] = set()

        def walk(cond_id: str, want: bool) -> None:
            cond = self.c.conditions.get(cond_id)
            if cond is None or (cond_id, want) in seen:
                return
            seen.add((cond_id, want))
            if cond.is_atom:
                if not (cond.field or "").startswith("settings."):
                    needs.setdefault(cond_id, set()).add(want)
                return
            for child in cond.children:
                walk(child, not want if cond.not_ is not None else want)

        rules = self.doc.rules
        for i, rule in enumerate(rules):
            if rule.when is None or rule.class_ not in rank:
                continue
            if rank[rule.class_] > lowest:
                walk(rule.when, True)
            if any(rank.get(later.class_, lowest) > rank[rule.class_] for later in rules[i + 1:]):
                walk(rule.when, False)
        return needs

    def change_models(self) -> Iterator[Finding]:
        """Every direction a rule may need a comparison changed in has a change model; an offered change
        says what to do; only comparisons have one."""
        needs = self._needed_directions()
        for i, cond in enumerate(self.doc.conditions):
            here = ("conditions", i)
            for key in ("make_true", "make_false"):
                model = getattr(cond, key)
                if model is None:
                    continue
                if not cond.is_atom:
                    yield self.at((*here, key), t("check.change_model_on_combination", id=cond.id), "change-model")
                    continue
                path: tuple[str | int, ...] = (*here, key)
                while model is not None:
                    if model.offered and model.actor != "niet_wijzigbaar" and model.remedy is None:
                        yield self.at(path, t("check.change_model_remedy", id=cond.id), "change-model")
                    if model.requires is not None and model.requires not in self.c.conditions:
                        yield self.at((*path, "requires"), t("check.unknown_condition", value=model.requires),
                                      "unknown-reference", model.requires)
                    model, path = model.otherwise, (*path, "otherwise")
            for want in sorted(needs.get(cond.id, ()), reverse=True):
                declared = cond.make_true is not None or cond.remedy is not None if want else cond.make_false is not None
                if not declared:
                    key = "check.change_model_missing_true" if want else "check.change_model_missing_false"
                    yield self.at((*here, "id"), t(key, id=cond.id), "change-model-missing")

    def applicability(self) -> Iterator[Finding]:
        """``applies_when`` names a condition; no question's applicability depends on its own answer."""
        applies: dict[str, tuple[int, str]] = {}
        for i, question in enumerate(self.doc.questions):
            if question.applies_when is None:
                continue
            if question.applies_when not in self.c.conditions:
                yield self.at(("questions", i, "applies_when"),
                              t("check.unknown_condition", value=question.applies_when), "unknown-reference",
                              question.applies_when)
                continue
            applies[question.field] = (i, question.applies_when)

        depends = {path: self._reads(cond_id, set()) for path, (_i, cond_id) in applies.items()}
        for path, (i, cond_id) in applies.items():
            stack, visited = list(depends[path]), set()
            while stack:
                other = stack.pop()
                if other == path:
                    yield self.at(("questions", i, "applies_when"), t("check.applies_cycle", field=path, id=cond_id),
                                  "cycle")
                    break
                if other not in visited:
                    visited.add(other)
                    stack.extend(depends.get(other, ()))

    # --- rules --------------------------------------------------------------------------------

    def rules(self, check_logic: bool) -> Iterator[Finding]:
        rules = self.doc.rules
        fallback_at: int | None = None
        signatures: dict[int, int] = {}
        for i, rule in enumerate(rules):
            here = ("rules", i)
            yield from self._ref((*here, "class"), "classes", rule.class_)
            yield from self._ref((*here, "advice"), "advice", rule.advice)
            if rule.advice_if_near:
                yield from self._ref((*here, "advice_if_near"), "advice", rule.advice_if_near)
            if rule.when is not None and rule.when not in self.cond_index:
                yield self.at((*here, "when"), t("check.unknown_condition", value=rule.when), "unknown-reference")
                continue
            if fallback_at is not None:
                yield self.at((*here, "id"), t("check.after_fallback", id=rule.id, fallback=rules[fallback_at].id), "unreachable")
                continue
            if rule.when is None:
                fallback_at = i
                continue
            if not check_logic:
                continue
            signature = self._signature(rule.when)
            if signature in signatures:
                yield self.at((*here, "when"), t("check.same_as_earlier", id=rule.id, other=rules[signatures[signature]].id), "unreachable")
            signatures.setdefault(signature, i)
            if not self._satisfiable(rule.when):
                yield self.at((*here, "when"), t("check.contradiction", id=rule.id, condition=rule.when), "contradiction")
        if fallback_at is None:
            yield self.at(("rules", len(rules) - 1, "id"), t("check.no_fallback"), "no-fallback")

    def _signature(self, cond_id: str) -> int:
        """A number equal for conditions that test the same thing (ids and child order aside).

        Memoised and interned: each condition gets a small number from its kind and its children's numbers,
        so shared sub-conditions cost nothing extra (a string of the written-out tree doubled per level).
        Iterative, children before parents; only called when the conditions have no cycle."""
        signatures, interned = self._signatures, self._interned
        conditions = self.c.conditions
        stack = [cond_id]
        while stack:
            current = stack[-1]
            if current in signatures:
                stack.pop()
                continue
            cond = conditions[current]
            pending = [c for c in cond.children if c not in signatures]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            key: tuple[Any, ...]
            if cond.is_atom:
                key = ("atom", repr((cond.field, cond.count, cond.years_since, cond.op, cond.value, cond.setting)))
            elif cond.not_ is not None:
                key = ("not", signatures[cond.not_])
            else:
                key = ("all" if cond.all is not None else "any", tuple(sorted(signatures[c] for c in cond.children)))
            signatures[current] = interned.setdefault(key, len(interned))
        result: int = signatures[cond_id]
        return result

    # satisfiability: expand to disjunctive normal form, then check each conjunction for consistency

    def _dnf(self, cond_id: str, negate: bool, budget: list[int]) -> list[list[tuple[str, bool]]] | None:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        cond = self.c.conditions[cond_id]
        if cond.is_atom:
            return [[(cond_id, negate)]]
        if cond.not_ is not None:
            return self._dnf(cond.not_, not negate, budget)
        parts = [self._dnf(child, negate, budget) for child in cond.children]
        if any(p is None for p in parts):
            return None
        conjunctive = (cond.all is not None) != negate
        if not conjunctive:
            return [conj for part in parts for conj in part or []]
        result: list[list[tuple[str, bool]]] = [[]]
        for part in parts:
            result = [a + b for a, b in itertools.product(result, part or [])]
            if len(result) > 4096:
                return None
        return result

    def _satisfiable(self, cond_id: str) -> bool:
        dnf = self._dnf(cond_id, False, [20000])
        if dnf is None:
            return True  # too large to decide: do not report what we cannot prove
        return any(self._consistent(conj) for conj in dnf)

    def _domain(self, path: str) -> set[Any] | None:
        info = field_info(path, self.c)
        if info is None:
            return None
        if info.kind is FieldKind.TRI:
            return {"ja", "nee"}
        if info.kind is FieldKind.CHOICE and info.catalogue:
            return set(self.ids.get(info.catalogue, set()))
        return None

    def _consistent(self, conj: list[tuple[str, bool]]) -> bool:
        allowed: dict[str, set[Any]] = {}
        bounds: dict[str, tuple[float, float]] = {}
        contains: dict[str, tuple[set[str], set[str]]] = {}
        for cond_id, negated in conj:
            cond = self.c.conditions[cond_id]
            path = cond.field or cond.count or ""
            if cond.years_since is not None:
                path = f"years_since:{cond.years_since}"  # its own number, not the year itself
            expected = self.c.settings[cond.setting] if cond.setting else cond.value
            op = cond.op or "eq"
            if path.startswith("settings."):
                setting: Any = self.c.settings[path.partition(".")[2]]
                if isinstance(setting, bool) and isinstance(expected, str):
                    setting = "ja" if setting else "nee"
                if compare(op, setting, expected) == negated:
                    return False
                continue
            numeric = isinstance(expected, int | float) and not isinstance(expected, bool)
            if cond.count is not None or op in ("ge", "gt", "le", "lt") or numeric:
                key = ("#" if cond.count else "") + path
                lo, hi = bounds.get(key, (0 if cond.count else float("-inf"), float("inf")))
                lo, hi = _narrow(op, float(expected), negated, lo, hi)  # type: ignore[arg-type]
                if lo > hi:
                    return False
                bounds[key] = (lo, hi)
                continue
            if op == "contains":
                pos, neg = contains.setdefault(path, (set(), set()))
                (neg if negated else pos).add(str(expected))
                if pos & neg:
                    return False
                continue
            domain = self._domain(path)
            if domain is None:
                continue
            values = set(expected) if isinstance(expected, list) else {expected}
            if op in ("ne", "not_in"):
                values = domain - values
            if negated:
                values = domain - values
            allowed[path] = allowed.get(path, domain) & values
            if not allowed[path]:
                return False
        return True


def _narrow(op: str, value: float, negated: bool, lo: float, hi: float) -> tuple[float, float]:
    """Integer interval after ``x op value`` (or its negation), as the operator registry narrows it."""
    found = OPERATORS[OPERATORS[op].negation if negated else op]
    return found.narrow(value, lo, hi)


# --- assessments against criteria ---------------------------------------------------------------------
