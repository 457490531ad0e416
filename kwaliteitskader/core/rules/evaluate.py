"""``evaluate(assessment, criteria) -> Verdict``: three-valued evaluation of the plan, and the verdict.

Conditions are evaluated in three-valued (Kleene) logic: an answer that is *onbekend* makes a comparison
*unknown*, never *false*. Rules are tried in the order of the criteria file; the first rule whose condition
passes decides.

**Provisional means a range.** When answers are missing, the verdict carries the rules (and so classes and
advice) that *some completion* of the missing answers reaches, and never one that no completion reaches
(:mod:`.range`). Only when the classes differ is the verdict provisional; when only the advice differs,
``advice_provisional`` says so. Every missing answer lists the classes it can lead to.

**Questions that do not apply** (``applies_when`` in the criteria) are read as *n.v.t.*: a comparison with
n.v.t. holds only for an operator that says so (``ne``/``not_in``). Such a question is never missing, and an
answer to it in a file is kept but not read (the verdict lists it in ``ignored``). While its applicability
is still open, a comparison of its answer is unknown unless n.v.t. would give the same truth.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.model.values import get_path
from kwaliteitskader.core.rules.derived import ASSESSED_ON, DERIVED
from kwaliteitskader.core.rules.plan import FAIL, PASS, UNKNOWN, Comparison, Node, NoFallback, Plan, Years, YearsSince, plan_for
from kwaliteitskader.core.rules.range import Range, decide, first_passing, missing_answers
from kwaliteitskader.core.rules.steps import best_is_near, is_near
from kwaliteitskader.core.rules.values import NOT_APPLICABLE, answered, display, is_open
from kwaliteitskader.core.rules.verdict import (
    ConditionTrace,
    Decision,
    Evaluation,
    Known,
    NoticeTrace,
    Reason,
    RuleTrace,
    Truth,
    Verdict,
)

if TYPE_CHECKING:
    import datetime as dt

    from kwaliteitskader.core.model.assessment import Assessment
    from kwaliteitskader.core.model.criteria_set import Criteria


class _Evaluator:
    """The three-valued evaluation of one assessment: each answer read once, each condition worked out once."""

    def __init__(self, plan: Plan, assessment: Assessment, criteria: Criteria, on: dt.date | None = None) -> None:
        self.plan, self.assessment, self.criteria, self.on = plan, assessment, criteria, on
        self.values: dict[str, Any] = {}
        self.results: dict[str, Truth] = {}
        self.inputs: dict[str, Any] = {}
        self.pending: dict[str, str] = {}
        """Questions whose applicability is still open: path -> their ``applies_when`` condition."""
        self.settled: set[str] = set()
        """The questions whose applicability is worked out (whatever it came out as)."""
        self.not_applicable: list[str] = []
        self.ignored: list[str] = []

    def read(self, path: str) -> Any:
        if path not in self.values:
            value: Any
            if path in DERIVED:
                value = DERIVED[path].compute(self.assessment, self.criteria, self.on)
            elif path.startswith("settings."):
                value = self.plan.settings[path.partition(".")[2]]
            else:
                value = get_path(self.assessment, path)
            self.values[path] = value
        return self.values[path]

    def value_of(self, node: Comparison) -> Any:
        if not isinstance(node, YearsSince):
            return self.read(node.path)
        since, on = self.read(node.path), self.read(ASSESSED_ON)
        if since is NOT_APPLICABLE:
            return NOT_APPLICABLE
        known = not is_open(since) and on is not None
        return Years(None if is_open(since) else since, on, on.year - since if known else None)

    def evaluate(self, sequence: tuple[Node, ...]) -> None:
        """Work out every condition of ``sequence`` (children first) that is not worked out yet."""
        results = self.results
        for node in sequence:
            if node.id not in results:
                if isinstance(node, Comparison):
                    results[node.id] = self._compare(node)
                else:
                    results[node.id] = node.combine([results[c] for c in node.children])

    def _compare(self, node: Comparison) -> Truth:
        value = self.value_of(node)
        self.inputs[node.id] = value
        result = node.truth(value)
        if node.path in self.pending and result is not UNKNOWN and node.truth(NOT_APPLICABLE) is not result:
            return UNKNOWN  # the answer counts only if the question applies, and that is still open
        return result

    def evaluate_rule(self, index: int) -> Truth:
        """Work out rule ``index``'s condition (the rules before it are worked out already): first the
        applicability of the questions it depends on, then the conditions it is the first to read."""
        applies, sequence = self.plan.by_rule[index]
        self.apply_applicability(applies)
        self.evaluate(sequence)
        when = self.plan.rules[index].when
        return self.results[when] if when else PASS

    def evaluate_rest(self) -> None:
        """Work out everything the rules, the applicability and the steps' preconditions read."""
        self.apply_applicability(self.plan.applies_order)
        self.evaluate(self.plan.sequence)

    def apply_applicability(self, applies: Sequence[tuple[str, str]]) -> None:
        """Read questions that do not apply as n.v.t. (before any rule reads them); ``applies`` as
        :attr:`Plan.applies_order`, a question settled already is skipped."""
        for path, cond_id in applies:
            if path in self.settled:
                continue
            self.settled.add(path)
            self.evaluate(self.plan.below[cond_id])
            result = self.results[cond_id]
            if result is UNKNOWN:
                self.pending[path] = cond_id
            elif result is FAIL:
                self.not_applicable.append(path)
                if answered(self.read(path)):
                    self.ignored.append(path)
                self.values[path] = NOT_APPLICABLE

    def open_answers(self, cond_id: str) -> list[str]:
        """The answers whose absence makes ``cond_id`` unknown."""
        if self.results[cond_id] is not UNKNOWN:
            return []
        node = self.plan.nodes[cond_id]
        if not isinstance(node, Comparison):
            return [f for child in node.children for f in self.open_answers(child)]
        if node.path in self.pending and answered(self.read(node.path)):
            return self.open_answers(self.pending[node.path])
        if len(node.fields) > 1:  # a value read from several answers: only those still open
            still_open = [f for f in node.fields if not f.startswith("derived.") and not answered(self.read(f))]
            if still_open:
                return still_open
        return list(node.fields)

    def known(self, plan: Plan) -> Known:
        """The truths the range search and the option search read under ``plan`` (this evaluation's plan or
        a plan of its first rules, all of whose conditions are worked out): their memos' key."""
        order = plan.order or ()
        pending = tuple((path, tuple(plan.comparison(a).truth(self.read(path)) for a in plan.path_atoms.get(path, ())))
                        for path in self.pending if path in plan.applies)
        return Known(order, tuple(map(self.results.__getitem__, order)), pending)

    def finish(self, known: Known) -> Evaluation:
        nodes = self.plan.nodes
        open_atoms = {c: tuple(self.open_answers(c)) for c, truth in self.results.items()
                      if truth is UNKNOWN and isinstance(nodes[c], Comparison)}
        pending = {path: (self.pending[path], truths) for path, truths in known.pending}
        return Evaluation(dict(self.results), dict(self.inputs), open_atoms, pending, known)


def _evaluator(assessment: Assessment, criteria: Criteria, on: dt.date | None) -> _Evaluator:
    """An evaluation of ``assessment`` under the plan of ``criteria`` (checked: :class:`BrokenCriteria` when
    the criteria cannot be evaluated), nothing worked out yet."""
    plan = plan_for(criteria)
    plan.check()
    return _Evaluator(plan, assessment, criteria, on)


def _evaluated(assessment: Assessment, criteria: Criteria, on: dt.date | None) -> tuple[_Evaluator, list[Truth]]:
    """The evaluation of the rules in order up to the first that passes, and their results (the last
    passes). The rules after it never decide: three-valued logic is monotone, so a rule that passes passes
    whatever the open answers become, and no completion reaches a later rule."""
    ev = _evaluator(assessment, criteria, on)
    plan = ev.plan
    results = []
    for index in range(len(plan.rules)):
        results.append(ev.evaluate_rule(index))
        if results[-1] is PASS:
            return ev, results
    raise NoFallback  # criteria validation guarantees a fallback rule; loaded unchecked criteria may lack one


def _decision(ev: _Evaluator, first: int, scope: Plan, known: Known,
              near: Callable[[Plan, Known, str], bool]) -> tuple[Decision, Range]:
    """What the rules up to the first passing one (rule ``first``) decide. The range search works
    on ``scope``: the plan of those rules for a portfolio row, the whole plan for a verdict (which has
    evaluated every rule for its trace anyway): the rules after the first passing one never decide, so
    both give the same range (``known``: the evaluation's truths under ``scope``). The near advice
    (``near``: :func:`is_near` or :func:`best_is_near`) asks about a higher class, whose options may change
    any answer, so it reads the whole plan (evaluated further only then)."""
    plan = ev.plan
    found = decide(scope, known, first)
    decided = plan.rules[found.chosen]
    advice = decided.advice
    if decided.advice_if_near and found.targets:
        if scope is not plan:
            ev.evaluate_rest()
            known = ev.known(plan)
        if near(plan, known, found.targets[0]):
            advice = decided.advice_if_near
    possible_advice = tuple(dict.fromkeys(advice if i == found.chosen else plan.rules[i].advice for i in found.reachable))
    open_class = len(found.classes) > 1
    return Decision(
        class_=None if open_class else decided.class_,
        advice=advice,
        rule=decided.id,
        provisional=open_class,
        next_class=found.targets[0] if found.targets else None,
        possible_classes=found.classes,
        possible_rules=tuple(plan.rules[i].id for i in found.reachable),
        possible_advice=possible_advice,
        advice_provisional=len(possible_advice) > 1,
    ), found


def decision(assessment: Assessment, criteria: Criteria, *, on: dt.date | None = None) -> Decision:
    """What :func:`evaluate` decides, without the explanation: no trace, notices, missing answers or what
    the steps need. All that a portfolio row shows, so a portfolio computes no more than that: the rules
    after the first passing one are not evaluated. ``on`` as for :func:`evaluate`."""
    ev, results = _evaluated(assessment, criteria, on)
    first = len(results) - 1
    scope = plan_for(criteria, first)
    return _decision(ev, first, scope, ev.known(scope), is_near)[0]


def evaluate(assessment: Assessment, criteria: Criteria, *, conditions: bool = True, on: dt.date | None = None) -> Verdict:
    """Classify one assessment under one criteria set, with the full explanation.

    ``conditions=False`` leaves out each rule's condition rows (``RuleTrace.conditions`` is empty), for
    output that does not show them (``classify`` without ``--trace``); everything else is the same.

    ``on`` is the date an assessment without a date of its own (``meta.assessed_on``) is judged on where a
    value depends on the date (``derived.recognition_state``: has the recognition expired?). The engine never
    reads the clock: the commands pass today, and say so; without any date that value is unknown."""
    ev = _evaluator(assessment, criteria, on)
    plan = ev.plan
    # the trace shows every rule, the verdict every question that does not apply: the whole plan, in one pass
    ev.evaluate_rest()
    results = [ev.results[rule.when] if rule.when else PASS for rule in plan.rules]
    first = first_passing(results)
    if first is None:
        raise NoFallback
    known = ev.known(plan)
    d, found = _decision(ev, first, plan, known, best_is_near)  # its steps search the same options
    ev.evaluate(plan.notice_sequence)
    evaluation = ev.finish(known)
    settled_order = [path for path, _ in plan.applies_order]
    return Verdict(
        class_=d.class_,
        advice=d.advice,
        rule=d.rule,
        provisional=d.provisional,
        trace=_trace(plan, ev, results, found.chosen, conditions),
        next_class=d.next_class,
        settings=dict(criteria.settings),
        criteria_version=criteria.version,
        criteria_digest=criteria.digest,
        possible_classes=d.possible_classes,
        possible_rules=d.possible_rules,
        possible_advice=d.possible_advice,
        advice_provisional=d.advice_provisional,
        missing=missing_answers(plan, evaluation, found),
        notices=_notices(plan, ev, plan.rules[found.chosen].class_),
        not_applicable=tuple(sorted(ev.not_applicable, key=settled_order.index)),
        ignored=tuple(sorted(ev.ignored, key=settled_order.index)),
        evaluation=evaluation,
    )


def contradictions(assessment: Assessment, criteria: Criteria) -> tuple[Any, ...]:
    """The notices naming contradicting answers (``inconsistent_fields``) whose condition holds for
    ``assessment``: only those conditions are evaluated (after reading the questions they depend on that do
    not apply as n.v.t.), so that ``validate`` stays as fast as reading the file. An unknown answer contradicts nothing."""
    plan = plan_for(criteria)
    if not plan.inconsistencies or plan.notice_order is None:
        return ()
    ev = _Evaluator(plan, assessment, criteria)
    found = []
    for notice, applies, sequence in plan.inconsistencies:
        ev.apply_applicability(applies)
        ev.evaluate(sequence)
        if ev.results.get(notice.when) is PASS:
            found.append(notice)
    return tuple(found)


def _trace(plan: Plan, ev: _Evaluator, results: list[Truth], chosen: int, conditions: bool) -> tuple[RuleTrace, ...]:
    """Every rule with its result, and (with ``conditions``) its condition rows. A condition shared by
    several rules is a row under each of them: each row is made once and shared (rows are immutable)."""
    made: dict[tuple[str, int], ConditionTrace] = {}
    traces = []
    for i, (rule, result) in enumerate(zip(plan.rules, results, strict=True)):
        trace = _rule_trace(plan, i, result, i == chosen)
        if conditions:
            rows = []
            for cond_id, depth in plan.flat.get(rule.when or "", ()):
                if (cond_id, depth) not in made:
                    made[cond_id, depth] = _row(plan, ev, cond_id, depth)
                rows.append(made[cond_id, depth])
            trace = trace._replace(conditions=tuple(rows))
        traces.append(trace)
    return tuple(traces)


@functools.lru_cache(maxsize=256)
def _rule_trace(plan: Plan, index: int, result: Truth, decided: bool) -> RuleTrace:
    """Rule ``index`` with its result, without condition rows: the same for every verdict with that result."""
    rule = plan.rules[index]
    return RuleTrace(id=rule.id, label=rule.label, explanation=rule.explanation, class_=rule.class_,
                     advice=rule.advice, result=result, decided=decided, source=rule.source,
                     design_choice=rule.design_choice)


def _row(plan: Plan, ev: _Evaluator, cond_id: str, depth: int) -> ConditionTrace:
    node = plan.nodes[cond_id]
    cond = node.cond
    atom = isinstance(node, Comparison)
    return ConditionTrace(
        id=cond.id, label=cond.label, result=ev.results[cond_id], depth=depth, source=cond.source,
        design_choice=cond.design_choice,
        input=display(ev.inputs.get(cond_id)) if atom else "",
        expected=node.expected_text if isinstance(node, Comparison) else "",
        fields=node.fields if isinstance(node, Comparison) else (),
        setting=node.setting if isinstance(node, Comparison) else None,
    )


def _notices(plan: Plan, ev: _Evaluator, class_: str) -> tuple[NoticeTrace, ...]:
    """The notices whose condition holds (unknown is not shown), for a verdict of class ``class_``."""
    found = []
    for notice in plan.notices:
        if (notice.classes and class_ not in notice.classes) or ev.results.get(notice.when) is not PASS:
            continue
        value = ""
        if notice.show_field and "." in notice.show_field:
            value = display(get_path(ev.assessment, notice.show_field))
        found.append(NoticeTrace(notice.id, notice.label, notice.explanation, notice.source, notice.design_choice, value))
    return tuple(found)


def rule_reasons(verdict: Verdict, criteria: Criteria, index: int) -> tuple[Reason, ...]:
    """For rule ``index`` (trace order) of a verdict: the comparisons behind its outcome, as ``(comparison,
    result, value read)``: for ``all`` every part when it holds and the first failing part when it fails;
    for ``any`` the first part that holds, or every part when none does; the open parts when it is open."""
    if verdict.evaluation is None:
        return ()
    plan = plan_for(criteria)
    return _reasons(plan, verdict.evaluation, plan.rules[index].when)


def _reasons(plan: Plan, evaluation: Evaluation, when: str | None) -> tuple[Reason, ...]:
    """The comparisons behind a rule's outcome (see :func:`rule_reasons`)."""
    if not when or when not in plan.nodes:
        return ()
    found: list[str] = []
    _walk_reasons(plan, evaluation.results, when, found)
    return tuple((a, evaluation.results.get(a, UNKNOWN), evaluation.inputs.get(a)) for a in dict.fromkeys(found))


def _walk_reasons(plan: Plan, results: Any, node_id: str, found: list[str]) -> None:
    node = plan.nodes[node_id]
    outcome = results.get(node_id)
    if isinstance(node, Comparison):
        found.append(node_id)
    elif node.kind == "not":
        _walk_reasons(plan, results, node.children[0], found)
    elif (outcome is PASS and node.kind == "any") or (outcome is FAIL and node.kind == "all"):
        # one is enough to say why
        _walk_reasons(plan, results, next(c for c in node.children if results.get(c) is outcome), found)
    else:
        same = [c for c in node.children if results.get(c) is outcome]
        for child in same or node.children:
            _walk_reasons(plan, results, child, found)
