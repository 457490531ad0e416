"""Criteria compiled once into a plan of typed condition nodes.

A node is one of six kinds (a discriminated union on ``kind``): a :class:`Comparison` of one answer, a
:class:`Count` of a list, a :class:`YearsSince` (whole years from a year answer to the assessment's date),
and the combinations :class:`All`, :class:`AnyOf` and :class:`Not`. A comparison has one three-valued
``truth(value)``; a combination one three-valued ``combine(truths of its children)``. The plan also holds
what every verdict under the criteria needs: the rules, the order to evaluate in, the trace rows, the
questions that apply only sometimes, the notices, and per question the answers the range search tries.

**Cache policy (the engine's only caches).** :func:`plan_for` keeps one plan per criteria object, keyed by
the object's identity (criteria are not changed after loading; ``with_settings`` makes a new object), in a
weak dictionary under a lock, and beside it the plans of the first rules (one per rule at most, the range
search's scope): a plan lives as long as its criteria and is built once even when two threads ask; what
only some uses read (the search's sample answers, the trace rows, ...) is worked out on first use and kept
on the plan (``functools.cached_property``). The range search (:mod:`.range`) and the option search
(:mod:`.steps`) keep their results in ``functools.lru_cache`` memos bounded in size, keyed by exactly
their arguments: the plan and the truths of the comparisons (:class:`~kwaliteitskader.core.rules.verdict.Known`).
The option search also keeps, per condition, the smallest sets of changes that make it pass or fail, keyed
by the plan, the condition, the wanted outcome and the truths of the condition, of every condition below it
and of the preconditions of their changes (:attr:`Plan.parts`): the exact inputs of those sets, which many
assessments share for the smaller conditions; and the join of two groups of such sets, keyed by the two
groups. The evaluation keeps a rule's trace line per plan, rule, result and whether it decides. Nothing else.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from kwaliteitskader.core.rules import samples
from kwaliteitskader.core.rules.derived import DERIVED, fields_read, years_since_reads
from kwaliteitskader.core.rules.operators import OPERATORS, Operator
from kwaliteitskader.core.rules.values import NOT_APPLICABLE, Partial, display, is_open
from kwaliteitskader.core.rules.verdict import Truth

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria import Condition, Rule, Text
    from kwaliteitskader.core.model.criteria_set import Criteria

PASS, FAIL, UNKNOWN = Truth.PASS, Truth.FAIL, Truth.UNKNOWN
NEGATION = {PASS: FAIL, FAIL: PASS, UNKNOWN: UNKNOWN}


def _truth(holds: bool) -> Truth:
    return PASS if holds else FAIL


class Offer(NamedTuple):
    """One direction of a comparison's change model: who acts, what to do, whether it is ever offered, and
    the step's precondition (``requires``, a condition id) with the change made where it does not hold."""

    actor: str
    remedy: Text | None
    offered: bool
    requires: str | None = None
    otherwise: Offer | None = None

    def where(self, results: Any) -> Offer:
        """The change as offered for an assessment with these condition truths: this one where its
        precondition holds, else ``otherwise`` (read the same way), else the same change not offered."""
        if self.requires is None or results.get(self.requires) is PASS:
            return self
        if self.otherwise is None:
            return Offer(self.actor, self.remedy, False)
        return self.otherwise.where(results)

    def preconditions(self) -> tuple[str, ...]:
        """Every condition this offer and its alternatives read."""
        own = (self.requires,) if self.requires else ()
        return own + (self.otherwise.preconditions() if self.otherwise else ())


def _model_offer(model: Any) -> Offer:
    offered = bool(getattr(model, "offered", True)) and model.actor != "niet_wijzigbaar"
    otherwise = getattr(model, "otherwise", None)
    return Offer(model.actor, model.remedy, offered, getattr(model, "requires", None),
                 _model_offer(otherwise) if otherwise is not None else None)


def _offer(cond: Condition, want: bool) -> Offer:
    """The change model for making ``cond`` hold (``want``) or not.

    Criteria before 2024.2 wrote only ``remedy``/``remedy_kind`` (the true side); a missing false side is
    never offered (``validate`` rejects a set that needs one and lacks it)."""
    model = getattr(cond, "make_true" if want else "make_false", None)
    if model is not None:
        return _model_offer(model)
    if not want:
        return Offer("niet_wijzigbaar", None, False)
    legacy = getattr(cond, "remedy_kind", "nu")
    return Offer("onderzoek" if legacy == "onderzoek" else "gemeente", getattr(cond, "remedy", None), True)


class Comparison(NamedTuple):
    """One answer compared with a value or a setting (``field``/``op``/``value``)."""

    id: str
    cond: Condition
    path: str
    op: Operator
    expected: Any
    fields: tuple[str, ...]
    """The answers it reads (a derived value reads several)."""
    setting: str | None
    make_true: Offer
    make_false: Offer

    @property
    def kind(self) -> str:
        return "comparison"

    @property
    def free(self) -> bool:
        """Whether the range search takes it as a free yes/no (it reads a value derived from several answers),
        rather than through the values of its one answer."""
        return self.path in DERIVED

    @property
    def settings_field(self) -> bool:
        return self.path.startswith("settings.")

    @property
    def expected_text(self) -> str:
        prefix = "aantal " if self.kind == "count" else ""
        return f"{prefix}{self.op.symbol} {display(self.expected)}"

    def offer(self, want: bool, results: Any = None) -> Offer:
        """The change model in direction ``want``; with the truths of an assessment's conditions, as offered
        there (its precondition read: :meth:`Offer.where`)."""
        offer = self.make_true if want else self.make_false
        return offer if results is None else offer.where(results)

    def truth(self, value: Any) -> Truth:
        if value is NOT_APPLICABLE:  # a question that does not apply equals no answer
            return _truth(self.op.holds_when_not_applicable)
        if is_open(value):
            return UNKNOWN
        if self.op.name == "contains":
            items = value.items if isinstance(value, Partial) else value
            if self.expected in items:
                return PASS
            return FAIL if not isinstance(value, Partial) or value.complete else UNKNOWN
        if isinstance(value, bool) and isinstance(self.expected, str):
            value = "ja" if value else "nee"
        return _truth(self.op.test(getattr(value, "value", value), self.expected))


class Count(Comparison):
    """The number of items of a list compared with a number (``count``)."""

    __slots__ = ()

    @property
    def kind(self) -> str:
        return "count"

    def truth(self, value: Any) -> Truth:
        if value is NOT_APPLICABLE:
            return _truth(self.op.test(0, self.expected))
        if value is None:
            return UNKNOWN
        items = value.items if isinstance(value, Partial) else value
        passed = self.op.test(len(items), self.expected)
        if isinstance(value, Partial) and not value.complete:
            # more items may follow once the missing answers are known: the operator says what stays sure
            if passed and self.op.on_incomplete_pass:
                return PASS
            if not passed and self.op.on_incomplete_fail:
                return FAIL
            return UNKNOWN
        return _truth(passed)


@dataclass(frozen=True)
class Years:
    """The value a ``years_since`` comparison reads: the year answer, the assessment's date, and the
    whole years between them (None when either is missing). A value, so no tuple (see :func:`display`)."""

    since: int | None
    on: Any
    years: int | None

    def __str__(self) -> str:
        since = "onbekend" if self.since is None else str(self.since)
        on = "onbekend" if self.on is None else str(self.on)
        return f"{'onbekend' if self.years is None else self.years} ({since} → {on})"


class YearsSince(Comparison):
    """Whole years from a year answer to the year of ``meta.assessed_on``, compared with a number."""

    __slots__ = ()

    @property
    def kind(self) -> str:
        return "years_since"

    @property
    def free(self) -> bool:
        return True  # reads two answers: the search takes it as a free yes/no

    def truth(self, value: Any) -> Truth:
        if value is NOT_APPLICABLE:
            return _truth(self.op.holds_when_not_applicable)
        if not isinstance(value, Years) or value.years is None:
            return UNKNOWN
        return _truth(self.op.test(value.years, self.expected))


def kleene_all(truths: Sequence[Truth]) -> Truth:
    return FAIL if FAIL in truths else UNKNOWN if UNKNOWN in truths else PASS


def kleene_any(truths: Sequence[Truth]) -> Truth:
    return PASS if PASS in truths else UNKNOWN if UNKNOWN in truths else FAIL


class All(NamedTuple):
    id: str
    cond: Condition
    children: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "all"

    def combine(self, truths: Sequence[Truth]) -> Truth:
        return kleene_all(truths)


class AnyOf(NamedTuple):
    id: str
    cond: Condition
    children: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "any"

    def combine(self, truths: Sequence[Truth]) -> Truth:
        return kleene_any(truths)


class Not(NamedTuple):
    id: str
    cond: Condition
    children: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "not"

    def combine(self, truths: Sequence[Truth]) -> Truth:
        return NEGATION[truths[0]]


Atom = Comparison | Count | YearsSince
Combination = All | AnyOf | Not
Node = Atom | Combination


def compile_condition(cond: Condition, settings: dict[str, bool | int]) -> Node:
    """One condition of the criteria as a node of the plan."""
    children = tuple(cond.children)
    if cond.all is not None:
        return All(cond.id, cond, children)
    if cond.any is not None:
        return AnyOf(cond.id, cond, children)
    years = getattr(cond, "years_since", None)
    if not (cond.field or cond.count or years):
        return Not(cond.id, cond, children)
    path = years or cond.field or cond.count or ""
    setting = cond.setting or (path.partition(".")[2] if path.startswith("settings.") else None)
    expected = settings[cond.setting] if cond.setting else cond.value
    op = OPERATORS.get(cond.op or "") or OPERATORS["eq"]
    kind = Count if cond.count is not None else YearsSince if years else Comparison
    reads = years_since_reads(path) if years else fields_read(path)
    return kind(cond.id, cond, path, op, expected, reads, setting, _offer(cond, True), _offer(cond, False))


class BrokenCriteria(ValueError):
    """Criteria whose conditions have a cycle or a dangling reference (the criteria checks reject them)."""

    def __init__(self) -> None:
        super().__init__("criteria whose conditions have a cycle or a dangling reference")


class NoFallback(ValueError):
    """Criteria without a fallback rule (the criteria checks reject them): some assessment gets no class."""

    def __init__(self) -> None:
        super().__init__("criteria without a fallback rule")


def is_atom(node: Node) -> bool:
    return isinstance(node, Comparison)


class Plan:
    """A criteria set compiled for the engine: built once per criteria object by :func:`plan_for`, never
    changed after. It holds no reference to the criteria object (so that the weak cache can let go)."""

    def __init__(self, criteria: Criteria, upto: int | None = None, nodes: dict[str, Node] | None = None) -> None:
        document = criteria.document
        self.settings = dict(criteria.settings)
        self.catalogues = criteria.catalogues
        self.nodes: dict[str, Node] = nodes if nodes is not None else {
            c.id: compile_condition(c, self.settings) for c in criteria.conditions.values()}
        self.rules: tuple[Rule, ...] = tuple(document.rules if upto is None else document.rules[:upto + 1])
        self.class_rank = dict(criteria.class_rank)
        self.classes_up = tuple(c.id for c in sorted(document.classes, key=lambda c: c.rank))
        """The class ids, lowest rank first."""
        self.near_steps = int(criteria.header.near_steps)
        self.applies = {q.field: q.applies_when for q in document.questions
                        if getattr(q, "applies_when", None) and q.applies_when in self.nodes}
        """Per question that applies only sometimes: the condition that says when (``applies_when``); in a
        plan of the first rules only the questions those rules depend on."""
        self.question_order = {q.field: i for i, q in enumerate(document.questions)}
        roots = [rule.when for rule in self.rules if rule.when]
        preconditions = [c for node in self.nodes.values() if isinstance(node, Comparison)
                         for offer in (node.make_true, node.make_false) for c in offer.preconditions()]
        if upto is not None:  # the range search reads no preconditions: only the steps do, on the whole plan
            self.applies = {path: self.applies[path] for path in self._depends_on(roots)}
            preconditions = []
        order = self._order([*roots, *self.applies.values(), *dict.fromkeys(preconditions)])
        self.order: tuple[str, ...] | None = None if order is None else tuple(order)
        """The rules' conditions, the applicability conditions and (in the plan of every rule) the steps'
        preconditions (``requires``), children before parents (None when they are not a proper tree: the
        criteria checks reject such criteria)."""
        self.atoms: tuple[str, ...] = tuple(c for c in self.order or () if is_atom(self.nodes[c]))
        """The comparisons the rules and the applicability read, in :attr:`order`."""
        self.combinations: tuple[Combination, ...] = tuple(
            node for c in self.order or () if not isinstance(node := self.nodes[c], Comparison))
        """The combinations of :attr:`order`, children first: what three-valued logic works out from the
        comparisons' truths."""
        self.path_atoms: dict[str, tuple[str, ...]] = {}
        """Per answer path: the comparisons of :attr:`atoms` that read it (settings are never open; a
        ``years_since`` reads two answers and is searched as a free yes/no)."""
        for atom in self.atoms:
            node = self.nodes[atom]
            if isinstance(node, Comparison) and not node.settings_field and not isinstance(node, YearsSince):
                self.path_atoms[node.path] = (*self.path_atoms.get(node.path, ()), atom)
        self.applies_order = self._applies_order()
        """``(question, condition)`` for the questions that apply only sometimes, each after the ones its
        condition reads (a question whose condition depends on itself is left out: ``validate`` reports it)."""
        self.notices = tuple(n for n in getattr(document, "notices", None) or () if n.when in self.nodes)
        self.notice_order = self._order([n.when for n in self.notices])
        """The notices' conditions and those below them, children first."""
        self.sequence: tuple[Node, ...] = tuple(self.nodes[c] for c in self.order or ())
        """:attr:`order` as nodes: one pass over it evaluates every condition the rules read."""
        self.notice_sequence: tuple[Node, ...] = tuple(self.nodes[c] for c in self.notice_order or ())
        self.below: dict[str, tuple[Node, ...]] = {
            cond: tuple(self.nodes[c] for c in self._order([cond]) or ()) for cond in self.applies.values()}
        """Per applicability condition: it and the conditions below it, children first."""

    @functools.cached_property
    def parts(self) -> dict[str, tuple[str, ...]]:
        """Per condition of :attr:`order`: every condition below it and the preconditions (``requires``) of
        its comparisons' changes, then itself. Their truths are all that the sets of changes making it pass
        or fail depend on (:mod:`.steps`)."""
        parts: dict[str, tuple[str, ...]] = {}
        for cond_id in self.order or ():
            node = self.nodes[cond_id]
            if isinstance(node, Comparison):
                below = [*node.make_true.preconditions(), *node.make_false.preconditions()]
            else:
                below = [part for child in node.children for part in parts[child]]
            parts[cond_id] = (*dict.fromkeys(c for c in below if c != cond_id), cond_id)
        return parts

    @functools.cached_property
    def above(self) -> dict[str, frozenset[str]]:
        """Per comparison of :attr:`atoms`: the combinations of :attr:`order` built on it (directly or further
        up). Only these can change when its truth does: what the range search works out again."""
        above: dict[str, set[str]] = {atom: set() for atom in self.atoms}
        below: dict[str, set[str]] = {atom: {atom} for atom in self.atoms}
        for node in self.combinations:  # children first: every child's comparisons are known by then
            below[node.id] = set().union(*(below[child] for child in node.children))
            for atom in below[node.id]:
                above[atom].add(node.id)
        return {atom: frozenset(ids) for atom, ids in above.items()}

    @functools.cached_property
    def rule_atoms(self) -> dict[str, frozenset[str]]:
        """Per rule condition: the comparisons it is built from (what an option must touch to change it)."""
        return {rule.when: frozenset(self.atoms_below(rule.when)) for rule in self.rules
                if rule.when and self.order is not None}

    @functools.cached_property
    def flat(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Per rule condition: the trace rows' conditions and depths, in trace order."""
        return {rule.when: tuple(self._flatten(rule.when, 0)) for rule in self.rules
                if rule.when and rule.when in self.nodes and self.order is not None}

    @functools.cached_property
    def signatures(self) -> dict[str, list[samples.Signature]]:
        """Per question read by the rules: the ways an answer to it can make its comparisons come out."""
        return {path: samples.signatures(path, [self.comparison(a) for a in atoms], self.catalogues)
                for path, atoms in self.path_atoms.items() if path not in DERIVED}

    @functools.cached_property
    def inconsistencies(self) -> tuple[tuple[Any, tuple[tuple[str, str], ...], tuple[Node, ...]], ...]:
        """The notices that name contradicting answers (``inconsistent_fields``), each with the questions
        whose applicability its condition depends on (as in :attr:`applies_order`) and its condition and
        those below it, children first: what ``validate`` evaluates of an assessment, and nothing else."""
        return tuple((n, self._applies_for([n.when]), tuple(self.nodes[c] for c in self._order([n.when]) or ()))
                     for n in self.notices if getattr(n, "inconsistent_fields", None))

    @functools.cached_property
    def answers_read(self) -> frozenset[str]:
        """The answers whose value can change what the verdict says: read by a rule, by when a question
        applies, or by a notice (its condition, or the answer it shows). Any other answer is recorded only."""
        return frozenset(
            {f for node in (*self.sequence, *self.notice_sequence) if isinstance(node, Comparison) for f in node.fields}
            | {n.show_field for n in self.notices if getattr(n, "show_field", None)})

    def check(self) -> None:
        """Raise :class:`BrokenCriteria` for criteria the engine cannot evaluate."""
        if self.order is None or self.notice_order is None:
            raise BrokenCriteria

    def truths_of(self, cond_id: str, results: Mapping[str, Truth]) -> tuple[Truth, ...]:
        """The truths of ``cond_id`` and the conditions below it (in the order of :attr:`parts`)."""
        return tuple(map(results.__getitem__, self.parts[cond_id]))

    def comparison(self, cond_id: str) -> Comparison:
        """The comparison ``cond_id`` (one of :attr:`atoms`)."""
        node = self.nodes[cond_id]
        if not isinstance(node, Comparison):
            raise TypeError(cond_id)
        return node

    def _order(self, roots: list[str]) -> list[str] | None:
        """``roots`` and the conditions below them, children first; None on a cycle or dangling reference."""
        order: list[str] = []
        state: dict[str, int] = {}
        for root in roots:
            stack = [(root, False)]
            while stack:
                cond_id, done = stack.pop()
                if done:
                    state[cond_id] = 2
                    order.append(cond_id)
                    continue
                if state.get(cond_id) == 2:
                    continue
                node = self.nodes.get(cond_id)
                if state.get(cond_id) == 1 or node is None or (isinstance(node, Not) and not node.children):
                    return None
                state[cond_id] = 1
                stack.append((cond_id, True))
                children = () if isinstance(node, Comparison) else node.children
                stack.extend((child, False) for child in reversed(children) if state.get(child) != 2)
        return order

    def children(self, cond_id: str) -> tuple[str, ...]:
        node = self.nodes[cond_id]
        return () if isinstance(node, Comparison) else node.children

    def atoms_below(self, cond_id: str) -> list[str]:
        """The comparisons ``cond_id`` is built from (itself for a comparison), each once."""
        found: dict[str, None] = {}
        stack = [cond_id]
        while stack:
            current = stack.pop()
            if current not in self.nodes:
                continue
            if is_atom(self.nodes[current]):
                found[current] = None
            stack.extend(reversed(self.children(current)))
        return list(found)

    def _depends_on(self, roots: Sequence[str]) -> set[str]:
        """The questions that apply only sometimes whose applicability the conditions ``roots`` depend on:
        those they read, and those that the conditions saying when those apply read, and so on."""
        found: set[str] = set()
        waiting = [*roots]
        while waiting:
            for path in {f for atom in self.atoms_below(waiting.pop()) for f in self.comparison(atom).fields}:
                if path in self.applies and path not in found:
                    found.add(path)
                    waiting.append(self.applies[path])
        return found

    def _applies_for(self, roots: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """The entries of :attr:`applies_order` that the conditions ``roots`` depend on (none for criteria
        that are not a proper tree: the engine refuses them)."""
        if self.order is None or self.notice_order is None:
            return ()
        needed = self._depends_on(roots)
        return tuple((path, cond) for path, cond in self.applies_order if path in needed)

    @functools.cached_property
    def by_rule(self) -> tuple[tuple[tuple[tuple[str, str], ...], tuple[Node, ...]], ...]:
        """Per rule, in order: the questions whose applicability it is the first to depend on (as in
        :attr:`applies_order`) and the conditions it is the first to read (children first). Evaluated rule
        by rule until one passes, they are all that decides a verdict: the rules after it never decide."""
        if self.order is None:
            return ()
        seen: set[str] = set()
        applied: set[str] = set()
        found = []
        for rule in self.rules:
            roots = [rule.when] if rule.when else []
            applies = tuple((path, cond) for path, cond in self._applies_for(roots) if path not in applied)
            applied.update(path for path, _ in applies)
            nodes = tuple(self.nodes[c] for c in self._order(roots) or () if c not in seen)
            seen.update(node.id for node in nodes)
            found.append((applies, nodes))
        return tuple(found)

    def _applies_order(self) -> list[tuple[str, str]]:
        if self.order is None:
            return []
        reads = {path: {f for a in self.atoms_below(cond) for f in self.comparison(a).fields}
                 for path, cond in self.applies.items()}
        placed: list[tuple[str, str]] = []
        done: set[str] = set()
        waiting = dict(reads)
        while waiting:
            ready = [p for p, r in waiting.items() if not (r & (waiting.keys() - done))]
            if not ready:
                break  # a cycle: those questions are always asked
            for path in ready:
                placed.append((path, self.applies[path]))
                done.add(path)
                del waiting[path]
        return placed

    def _flatten(self, cond_id: str, depth: int) -> list[tuple[str, int]]:
        return [(cond_id, depth), *(row for child in self.children(cond_id) for row in self._flatten(child, depth + 1))]


_PLANS: weakref.WeakKeyDictionary[Criteria, dict[int | None, Plan]] = weakref.WeakKeyDictionary()
_PLANS_LOCK = threading.Lock()


def plan_for(criteria: Criteria, upto: int | None = None) -> Plan:
    """The plan of ``criteria``, or with ``upto`` the plan of its rules up to and including rule ``upto``:
    each built on first use, then kept as long as the criteria object lives (see the cache policy above)."""
    with _PLANS_LOCK:
        plans = _PLANS.setdefault(criteria, {})
        plan = plans.get(upto)
        if plan is None:
            nodes = None if upto is None or None not in plans else plans[None].nodes  # the same: shared
            plan = plans[upto] = Plan(criteria, upto, nodes)
        return plan
