""""Wat is er nodig?": the smallest sets of changes that let a rule of each higher class decide.

An option is a set of changes ``(comparison, wanted truth)``. The options for a class come from the rules
of that class, each joined with the ways to make every earlier, lower-class rule fail. Each change follows
the comparison's change model (``make_true``/``make_false``), read for the assessment at hand (a step whose
precondition, ``requires``, does not hold is its ``otherwise`` or is not offered): a change the criteria never
offer (undoing research, removing monitoring, re-answering a harm question) is never part of an option; an unknown answer
is always a step of its own kind, *Beantwoord*. Options are ordered by the number of changes that need
research, then by size, then by their changes in id order; an option that would land in a higher class is
left to that class.

Worked out only when shown or asked for (:func:`next_steps`), and for the near advice of the deciding rule
(:func:`is_near`, which looks for the near options only); the option sets are kept per ``(plan, known,
class)``, the sets of changes per condition and truths of its parts, and the join of two groups of sets
per those groups (the cache policy in :mod:`.plan`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kwaliteitskader.core.rules.plan import FAIL, PASS, UNKNOWN, All, Comparison, Not, Plan, plan_for
from kwaliteitskader.core.rules.range import CACHE_SIZE, kleene, open_answers
from kwaliteitskader.core.rules.verdict import ACTOR_KINDS, Change, Evaluation, Known, NextStep, Truth, Verdict

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria

Option = frozenset[tuple[str, bool]]
Options = tuple[Option, ...]
NOTHING: Option = frozenset()
ALREADY: Options = (NOTHING,)
"""The options of a condition that is already as wanted: no change."""
MAX_ALTERNATIVES = 16
"""Options kept per condition and per join (the smallest first)."""
OPTIONS_PER_CLASS = 4


def _order(option: Option) -> tuple[int, list[tuple[str, bool]]]:
    return len(option), sorted(option)


def _contradictory(option: Option) -> bool:
    """Whether an option changes some condition both ways (it then names that condition twice)."""
    return len({atom for atom, _want in option}) < len(option)


def minimal(options: Iterable[Option], limit: int | None = None) -> Options:
    """Drop contradictory sets, supersets and sets of more than ``limit`` changes; keep the smallest few
    (smaller first, then by their changes)."""
    kept: list[Option] = []
    for option in sorted(set(options), key=_order):
        if (limit is not None and len(option) > limit) or _contradictory(option) or any(k <= option for k in kept):
            continue
        kept.append(option)
        if len(kept) >= MAX_ALTERNATIVES:
            break
    return tuple(kept)


@functools.lru_cache(maxsize=CACHE_SIZE)
def join(left: Options, right: Options, limit: int | None) -> Options:
    """The smallest sets (of at most ``limit`` changes) that take one set from ``left`` and one from
    ``right``. A pure function of its arguments, kept for other assessments: the same groups of sets
    come back often (the ways to make the first rules fail, for one)."""
    if left == ALREADY:
        return right
    if right == ALREADY:
        return left
    return minimal((a | b for a in left for b in right), limit)


def product(groups: Iterable[Options], limit: int | None = None) -> Options:
    """The smallest sets (of at most ``limit`` changes) that take one set from every group, joining the
    groups one at a time."""
    combined = ALREADY
    for group in groups:
        if not group:
            return ()
        combined = join(combined, group, limit)
    return combined


class _Needs:
    """The smallest sets of changes that make a condition pass or fail, for one set of truths; with
    ``near`` only the near ones (at most ``plan.near_steps`` changes, none needing research)."""

    def __init__(self, plan: Plan, results: Mapping[str, Truth], near: bool = False) -> None:
        self.plan, self.results, self.near = plan, results, near
        self.found: dict[tuple[str, bool], Options] = {}

    @property
    def limit(self) -> int | None:
        """The most changes a set may have: ``near_steps`` when only near sets are asked for."""
        return self.plan.near_steps if self.near else None

    def __call__(self, cond_id: str, want: bool) -> Options:
        key = (cond_id, want)
        if key not in self.found:
            truths = self.plan.truths_of(cond_id, self.results)
            self.found[key] = _needed(self.plan, cond_id, want, truths, self.near)
        return self.found[key]


@functools.lru_cache(maxsize=CACHE_SIZE)
def _needed(plan: Plan, cond_id: str, want: bool, truths: tuple[Truth, ...], near: bool) -> Options:
    """The smallest sets of changes that make ``cond_id`` pass (``want``) or fail, from the truths of it,
    the conditions below it and the preconditions of their changes (``plan.parts[cond_id]``): exactly what
    they depend on, so the same parts with the same truths in another assessment give the same sets.
    With ``near`` only the near sets: a join is never smaller than its parts and needs no less research,
    so leaving out the sets that are not near as soon as they appear loses no near set."""
    needs = _Needs(plan, dict(zip(plan.parts[cond_id], truths, strict=True)), near)
    current = truths[-1]
    if current is (PASS if want else FAIL):
        return ALREADY
    node = plan.nodes[cond_id]
    if isinstance(node, Comparison):
        if node.settings_field:
            return ()  # a setting is the criteria's choice, not the municipality's
        if current is not UNKNOWN and not node.offer(want, needs.results).offered:
            return ()  # a change the criteria never offer
        if near and _needs_research(plan, needs.results, cond_id, want):
            return ()
        return (frozenset({(cond_id, want)}),)
    if isinstance(node, Not):
        return needs(node.children[0], not want)
    if isinstance(node, All) == want:
        return product((needs(child, want) for child in node.children), needs.limit)
    return minimal((o for child in node.children for o in needs(child, want)), needs.limit)


def _lands_in(plan: Plan, results: Mapping[str, Truth], option: Option) -> str | None:
    """The class an option leads to when it is certain (other open answers left open)."""
    truths = {a: results[a] for a in plan.atoms}
    truths.update({atom: PASS if want else FAIL for atom, want in option})
    res = kleene(plan, truths)
    for rule in plan.rules:
        result = res.get(rule.when, UNKNOWN) if rule.when else PASS
        if result is PASS:
            return rule.class_
        if result is UNKNOWN:
            return None
    return None


def _candidates(plan: Plan, needs: _Needs, target: str) -> dict[Option, str]:
    """Every option for ``target`` with the rule it lets decide."""
    rank = plan.class_rank
    last = max((i for i, rule in enumerate(plan.rules) if rule.class_ == target), default=-1)
    found: dict[Option, str] = {}
    lower = ALREADY  # the ways to make every earlier, lower rule fail
    for rule in plan.rules[:last + 1]:
        if not lower:
            break  # some earlier, lower rule cannot be made to fail: no later rule has an option
        if rule.class_ == target:
            own = needs(rule.when, True) if rule.when else ALREADY
            for option in join(lower, own, needs.limit):
                if option:
                    found.setdefault(option, rule.id)
        elif rank[rule.class_] < rank[target] and rule.when:
            lower = join(lower, needs(rule.when, False), needs.limit)
    return found


@functools.lru_cache(maxsize=CACHE_SIZE)
def options(plan: Plan, known: Known, target: str) -> tuple[tuple[Option, str], ...]:
    """The best :data:`OPTIONS_PER_CLASS` options for ``target`` in order, with the rule each lets decide."""
    results = known.results()
    found = _candidates(plan, _Needs(plan, results), target)
    # each change is looked at once, however many options share it
    research = {change for change in frozenset().union(*found) if _needs_research(plan, results, *change)}
    lands_higher = _Landing(plan, results, target)
    kept: list[Option] = []
    for option in sorted(found, key=lambda o: (len(o & research), *_order(o))):
        if len(kept) >= OPTIONS_PER_CLASS:
            break
        if any(k <= option for k in kept):
            continue
        if not lands_higher(option):
            kept.append(option)
    return tuple((o, found[o]) for o in kept)


class _Landing:
    """Whether an option for ``target`` would in fact land in a higher class (it is then left to that class)."""

    def __init__(self, plan: Plan, results: Mapping[str, Truth], target: str) -> None:
        self.plan, self.results, self.target = plan, results, target
        rank = plan.class_rank
        self.higher = [r.when for r in plan.rules if rank[r.class_] > rank[target] and r.when]
        # an option can land higher only through a higher rule that does not fail yet, or through its comparisons
        self.touched = None if any(results[w] is not FAIL for w in self.higher) else {
            a for w in self.higher for a in plan.rule_atoms[w]}

    def __call__(self, option: Option) -> bool:
        if not self.higher or (self.touched is not None and not any(atom in self.touched for atom, _ in option)):
            return False
        landed = _lands_in(self.plan, self.results, option)
        return landed is not None and self.plan.class_rank[landed] > self.plan.class_rank[self.target]


def is_near(plan: Plan, known: Known, target: str) -> bool:
    """Whether the best option for ``target`` has at most ``near_steps`` changes, none needing research.

    The options are ordered by research first, then size (:func:`options`), so the best is near exactly
    when some option that does not land higher is near: that is what is checked, among the near options
    only (a join of changes is near only when its parts are, so they are found without the others).
    Asked for a portfolio row of a rule with ``advice_if_near``: the row shows no steps."""
    results = known.results()
    lands_higher = _Landing(plan, results, target)
    return any(not lands_higher(option) for option in _candidates(plan, _Needs(plan, results, near=True), target))


def best_is_near(plan: Plan, known: Known, target: str) -> bool:
    """:func:`is_near` read from the best of :func:`options` itself: for a verdict whose steps are shown
    (:func:`next_steps`), which need those options anyway, so that they are searched once (their memo)."""
    best = options(plan, known, target)
    return bool(best) and _near(plan, known.results(), best[0][0])


def _near(plan: Plan, results: Mapping[str, Truth], option: Option) -> bool:
    return len(option) <= plan.near_steps and not any(_needs_research(plan, results, a, w) for a, w in option)


def _needs_research(plan: Plan, results: Mapping[str, Truth], atom: str, want: bool) -> bool:
    """Whether a change needs research (by its change model; an open answer is a step of its own)."""
    return results[atom] is not UNKNOWN and plan.comparison(atom).offer(want, results).actor == "onderzoek"


def change(plan: Plan, evaluation: Evaluation, cond_id: str, want: bool) -> Change:
    """One change as a step: what to do and who acts, or *Beantwoord* for an unknown answer."""
    node = plan.comparison(cond_id)
    answer = evaluation.results[cond_id] is UNKNOWN
    fields = tuple(dict.fromkeys(open_answers(plan, evaluation, cond_id))) if answer else node.fields
    offer = node.offer(want, evaluation.results)
    return Change(condition=cond_id, label=node.cond.label, want=want,
                  kind="beantwoord" if answer else ACTOR_KINDS.get(offer.actor, "actie"),
                  actor="gemeente" if answer else offer.actor, remedy=offer.remedy, fields=fields, answer=answer)


def next_steps(verdict: Verdict, criteria: Criteria, *, nearest_only: bool = False) -> tuple[NextStep, ...]:
    """The options per higher class, nearest class first, best option first within a class."""
    if verdict.evaluation is None or verdict.next_class is None:
        return ()
    plan = plan_for(criteria)
    known = verdict.evaluation.known
    rank = plan.class_rank
    targets = [c for c in plan.classes_up if rank[c] > rank[verdict.lowest_possible_class]]
    steps = []
    made: dict[tuple[str, bool], Change] = {}  # a change shared by several options is made once
    for target in targets[:1] if nearest_only else targets:
        for option, rule_id in options(plan, known, target):
            for atom, want in option - made.keys():
                made[atom, want] = change(plan, verdict.evaluation, atom, want)
            steps.append(NextStep(target, rule_id, tuple(made[c] for c in sorted(option))))
    return tuple(steps)
