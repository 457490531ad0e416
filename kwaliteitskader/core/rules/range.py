"""The range of a verdict: which rules, classes and advice some completion of the missing answers reaches.

This is partial evaluation with unknowns: the evaluation leaves some comparisons *unknown*; the search
assigns them one at a time (an open question takes one of the few groups of answers that make a difference
to the comparisons reading it; a comparison of a value derived from several answers is a free yes/no) and
evaluates the plan's conditions again in three-valued logic after each step. Three-valued logic is
monotone, so a rule that passes with every earlier rule failing while some answers are still open decides
whatever they become, and a branch is dropped as soon as the rule fails or an earlier rule passes. A
question that applies only sometimes is assigned after its ``applies_when`` condition is known, and is
n.v.t. where that condition fails.

The search reads only the plan and :class:`Known` (the truths the evaluation found), never the evaluator:
its results are kept per ``(plan, known)`` (the cache policy in :mod:`.plan`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from kwaliteitskader.core.rules.derived import DERIVED
from kwaliteitskader.core.rules.plan import FAIL, PASS, UNKNOWN, Comparison, NoFallback, Plan, YearsSince, plan_for
from kwaliteitskader.core.rules.values import NOT_APPLICABLE
from kwaliteitskader.core.rules.verdict import Evaluation, Known, MissingAnswer, Truth, Verdict

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria

BUDGET = 100_000
"""Steps per search; past it every rule still open is taken as reachable (an over-estimate, never an
under-estimate; criteria would need hundreds of open questions in one rule to get there)."""

CACHE_SIZE = 4096
"""Entries per memo of this module (see the cache policy in :mod:`.plan`)."""

Assignment = dict[str, Truth]
State = Mapping[str, Truth]
"""Every condition's truth in a state of the search."""


def kleene(plan: Plan, atom_truth: dict[str, Truth]) -> dict[str, Truth]:
    """Every condition of ``plan.order`` from its comparisons' truths, children first."""
    res = {atom: atom_truth.get(atom, UNKNOWN) for atom in plan.atoms}
    for node in plan.combinations:
        res[node.id] = node.combine([res[c] for c in node.children])
    return res


def rule_results(plan: Plan, res: Mapping[str, Truth]) -> list[Truth]:
    return [res[rule.when] if rule.when else PASS for rule in plan.rules]


class _Search:
    """The search over the completions of one :class:`Known`."""

    def __init__(self, plan: Plan, known: Known) -> None:
        self.plan = plan
        self.start = known.results()
        self.open = [node for node in plan.combinations if self.start[node.id] is UNKNOWN]
        """The open combinations, children first: all that a step of the search works out again."""
        self.held: Assignment = {}
        """The decided comparisons of a question with open ones: an assignment to the question leaves them."""
        for atom in plan.atoms:
            if self.start[atom] is UNKNOWN:
                path = plan.comparison(atom).path
                self.held.update({a: self.start[a] for a in plan.path_atoms.get(path, ()) if self.start[a] is not UNKNOWN})
        answered = dict(known.pending)
        self.settle: list[tuple[str, str, Assignment, Assignment | None]] = []
        """``(first comparison, condition, truths where the question does not apply, where it does)``."""
        for path, cond_id in plan.applies_order:
            atoms = plan.path_atoms.get(path, ())
            if any(self.start[a] is UNKNOWN for a in atoms):
                not_applicable = {a: plan.comparison(a).truth(NOT_APPLICABLE) for a in atoms}
                given = answered.get(path)
                self.settle.append((atoms[0], cond_id, not_applicable,
                                    None if given is None else dict(zip(atoms, given, strict=True))))
        whens = [rule.when for rule in plan.rules]
        self.open_rules = [(i, when) for i, when in enumerate(whens) if not when or self.start[when] is not FAIL]

    def extend(self, base: tuple[State, Assignment], choice: Assignment) -> tuple[State, Assignment]:
        """Every condition's truth under the assignment of ``base`` (a state of this search) with ``choice``
        added, and that assignment with what became known of the questions that apply only sometimes.

        Partial evaluation one step further: only the open combinations over a comparison that ``choice``
        (or a question's applicability becoming known) assigns are worked out again."""
        res, assign = dict(base[0]), {**base[1], **choice}
        given = choice
        while True:
            res.update({atom: truth for atom, truth in given.items() if atom not in self.held})
            changed = set().union(*(self.plan.above[atom] for atom in given))
            for node in self.open:
                if node.id in changed:
                    res[node.id] = node.combine([res[c] for c in node.children])
            given = self._settled(res, assign)
            if not given:
                return res, assign
            assign = {**assign, **given}

    def _settled(self, res: State, assign: Assignment) -> Assignment:
        """The truths of the questions whose applicability ``res`` now knows and ``assign`` does not yet
        settle: n.v.t. where it fails, the answer given in the file where it holds."""
        given: Assignment = {}
        for first_atom, cond_id, not_applicable, answered in self.settle:
            applies = res[cond_id]
            if applies is UNKNOWN or first_atom in assign:
                continue
            truths = not_applicable if applies is FAIL else answered
            if truths is not None:
                given.update(truths)
        return given

    def deciding(self, start: Assignment | None = None) -> set[int]:
        """The rules that decide in some completion (of what ``start`` leaves open)."""
        found: set[int] = set()
        self._collect(self.extend((self.start, {}), dict(start or {})), found, [0])
        return found

    def _collect(self, state: tuple[State, Assignment], found: set[int], spent: list[int]) -> None:
        """Add to ``found`` the rules that decide in some completion of ``state``: the first rule that does
        not fail decides when it passes; while it is open, each way of answering one open question below it
        is tried. A branch in which every rule that can still decide is found already is not taken further,
        nor its remaining choices once they are."""
        spent[0] += 1
        res = state[0]
        live = []
        for position, when in self.open_rules:
            truth = res[when] if when else PASS
            if truth is not FAIL:
                live.append(position)
                if truth is PASS:
                    break  # no later rule can decide in a completion of this branch
        if len(live) == 1:
            found.add(live[0])  # every earlier rule fails and this one passes: it decides
            return
        if found.issuperset(live):
            return
        if spent[0] > BUDGET:
            found.update(live)  # an over-estimate, never an under-estimate
            return
        for choice in self._choices(res, self.plan.rules[live[0]].when or ""):
            if found.issuperset(live):
                return  # an earlier choice found every rule this branch can reach
            self._collect(self.extend(state, choice), found, spent)

    def _choices(self, res: State, cond_id: str) -> Iterator[Assignment]:
        """The truths an open answer behind ``cond_id`` can give its comparisons (first whether its question
        applies, when that is open)."""
        nodes = self.plan.nodes
        node = nodes[cond_id]
        while not isinstance(node, Comparison):
            cond_id = next(child for child in node.children if res[child] is UNKNOWN)
            node = nodes[cond_id]
        applies = self.plan.applies.get(node.path)
        if applies is not None and res.get(applies) is UNKNOWN:
            yield from self._choices(res, applies)
            return
        if node.path in DERIVED or isinstance(node, YearsSince) or node.path not in self.plan.path_atoms:
            yield {cond_id: PASS}
            yield {cond_id: FAIL}
            return
        atoms = self.plan.path_atoms[node.path]
        for sig, _values in self.plan.signatures.get(node.path, ()):
            yield dict(zip(atoms, sig, strict=True))


@functools.lru_cache(maxsize=16)
def _search(plan: Plan, known: Known) -> _Search:
    """The search over the completions of ``known``, set up once for its range and every answer's outcome
    (never changed after: each call of :meth:`_Search.deciding` keeps its own state). Kept for the few
    verdicts being explained at a time."""
    return _Search(plan, known)


def first_passing(results: list[Truth]) -> int | None:
    return next((i for i, r in enumerate(results) if r is PASS), None)


@functools.lru_cache(maxsize=CACHE_SIZE)
def reachable_rules(plan: Plan, known: Known) -> tuple[int, ...]:
    """Every rule that some completion of the missing answers lets decide, in rule order."""
    results = rule_results(plan, known.results())
    first = first_passing(results)
    if first is None:
        raise NoFallback
    if UNKNOWN not in results[:first]:
        return (first,)  # every earlier rule fails whatever is answered: the first passing rule decides: no search
    return tuple(sorted(_search(plan, known).deciding())) or (first,)


class Range(NamedTuple):
    """What the range search decides for a verdict."""

    reachable: tuple[int, ...]
    classes: tuple[str, ...]
    """Best first."""
    chosen: int
    """The rule shown: the first passing rule when it can decide the lowest possible class, else the first
    rule that can decide that class."""
    targets: tuple[str, ...]
    """The classes above the lowest possible one, nearest first."""


def decide(plan: Plan, known: Known, first: int) -> Range:
    reachable = reachable_rules(plan, known)
    rank = plan.class_rank
    classes = tuple(sorted({plan.rules[i].class_ for i in reachable}, key=lambda c: -rank[c]))
    lowest = classes[-1]
    chosen = first if first in reachable and plan.rules[first].class_ == lowest else next(
        i for i in reachable if plan.rules[i].class_ == lowest)
    targets = tuple(c for c in plan.classes_up if rank[c] > rank[lowest])
    return Range(reachable, classes, chosen, targets)


Outcome = tuple[tuple[str, ...], tuple[str, ...]]


@functools.lru_cache(maxsize=CACHE_SIZE)
def outcomes(plan: Plan, known: Known, path: str) -> tuple[Outcome, ...]:
    """Per group of answers to ``path`` (an open yes/no or choice question): the classes they leave possible."""
    from kwaliteitskader.core.model.fields_table import SECTIONS

    search = _search(plan, known)
    results = rule_results(plan, search.start)
    first = first_passing(results)
    atoms = plan.path_atoms.get(path, ())
    if first is None or UNKNOWN not in results[:first] or not atoms or any(search.start[a] is not UNKNOWN for a in atoms):
        return ()
    section, _, name = path.partition(".")
    kind = "tri" if section == "harm_signals" else SECTIONS.get(section, {}).get(name, ("list",))[0]
    if kind not in ("tri", "str") or path in DERIVED:
        return ()
    rank = plan.class_rank
    found = []
    for sig, values in plan.signatures.get(path, ()):
        start = dict(zip(atoms, sig, strict=True))
        reached = {plan.rules[i].class_ for i in search.deciding(start)}
        found.append((tuple(str(v) for v in values), tuple(sorted(reached, key=lambda c: -rank[c]))))
    return tuple(found)


def open_answers(plan: Plan, evaluation: Evaluation, cond_id: str) -> list[str]:
    """The answers whose absence makes ``cond_id`` unknown (empty when it is known)."""
    if evaluation.results.get(cond_id) is not UNKNOWN:
        return []
    if cond_id in evaluation.open_answers:
        return list(evaluation.open_answers[cond_id])
    return [f for child in plan.children(cond_id) for f in open_answers(plan, evaluation, child)]


def missing_answers(plan: Plan, evaluation: Evaluation, found: Range) -> tuple[MissingAnswer, ...]:
    """The open questions that a rule which can still decide depends on, with the classes they lead to.

    A rule depends on the open answers in its own condition and on those of the earlier rules that are
    still open: it decides only when they fail, so their answers can lead to its class too."""
    if len(found.reachable) < 2:
        return ()
    rules = plan.rules
    # per rule the answers that keep it open (none when it passes or fails), found once: they count for
    # the rule itself and for every later one
    open_in = [open_answers(plan, evaluation, rule.when) if rule.when else [] for rule in rules[:max(found.reachable) + 1]]
    leads: dict[str, set[str]] = {}
    for i in found.reachable:
        for fields in open_in[:i + 1]:
            for name in fields:
                leads.setdefault(name, set()).add(rules[i].class_)
    rank, order = plan.class_rank, plan.question_order
    ordered = sorted(leads, key=lambda f: (order.get(f, len(order)), f))
    advice_only = len(found.classes) < 2
    return tuple(MissingAnswer(f, tuple(sorted(leads[f], key=lambda c: -rank[c])), advice_only) for f in ordered)


def answer_outcomes(verdict: Verdict, criteria: Criteria, path: str) -> tuple[Outcome, ...]:
    """For an open question of a verdict: ``((answers, classes), ...)``, the classes each group of answers
    leaves possible (empty for list and number questions, and when nothing is open)."""
    if verdict.evaluation is None:
        return ()
    plan = plan_for(criteria)
    return outcomes(plan, verdict.evaluation.known, path)
