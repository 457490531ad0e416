"""The rules engine: ``evaluate(assessment, criteria) -> Verdict``.

Conditions are evaluated in three-valued (Kleene) logic: an answer that is *onbekend* makes a
comparison *unknown*, never *false*. Rules are tried in the order of the criteria file; the first
rule whose condition passes decides.

**Provisional means a range.** When answers are missing, the verdict carries the set of rules (and so
classes and advice) that *some completion* of the missing answers reaches, and never one that no
completion reaches: a small search over the unknown answers (:class:`_Reach`) that branches on one
answer at a time (on the few values that make a difference to the conditions reading it) and prunes
with the three-valued logic. Only when the classes differ is the verdict provisional; when only the
advice differs, ``advice_provisional`` says so. Every missing answer lists the classes it can lead to.

**Questions that do not apply** (``applies_when`` in the criteria) are read as *n.v.t.*: a comparison
with n.v.t. holds only for ``ne``/``not_in``. Such a question is never missing, and an answer to it in a
file is kept but not read (the verdict lists it in ``ignored``).

**"Wat is er nodig?"** searches the condition trees for the smallest sets of condition changes that let
a rule of each higher class decide, with every earlier, lower-class rule failing. Each change follows
the condition's change model (``make_true``/``make_false``): who acts and whether the change is offered
at all. A change the criteria never offer (undoing research, removing monitoring, re-answering a harm
question) is never part of a step; an unknown answer is its own kind of step: *Beantwoord*.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.model.values import UNKNOWN as _ONBEKEND
from kwaliteitskader.core.model.values import Tri, get_path

if TYPE_CHECKING:  # the engine runs without pydantic on the CLI's fast path (docs/performance.md)
    from kwaliteitskader.core.model.assessment import Assessment, FieldInfo
    from kwaliteitskader.core.model.criteria import Citation, Condition, Rule, Text
    from kwaliteitskader.core.model.criteria_set import Criteria


class Truth(StrEnum):
    PASS = "pass"  # noqa: S105 - a truth value, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


_PASS, _FAIL, _UNKNOWN = Truth.PASS, Truth.FAIL, Truth.UNKNOWN
_NEGATION = {_PASS: _FAIL, _FAIL: _PASS, _UNKNOWN: _UNKNOWN}


# --- derived values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partial:
    """A derived list that may be incomplete because some answers it is built from are unknown."""

    items: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class Derived:
    catalogue: str
    reads: tuple[str, ...]
    compute: Callable[[Assessment, Criteria], Partial | None]


def _dynamic_risk_factors(a: Assessment, c: Criteria) -> Partial | None:
    chosen = a.factors.risk_factors
    if chosen is None:
        return None
    return Partial(tuple(f for f in chosen if getattr(c.item("risk_factors", f), "dynamic", False)), True)


def _domains(a: Assessment, c: Criteria) -> Partial | None:
    """Domains with an active component: from dynamic risk factors, protective factors, ingredients."""
    parts: list[tuple[str, ...] | None] = []
    dynamic = _dynamic_risk_factors(a, c)
    parts.append(None if dynamic is None else tuple(c.item("risk_factors", f).domain for f in dynamic.items))
    protective = a.factors.protective_factors
    parts.append(
        None if protective is None else tuple(c.item("protective_factors", f).domain for f in protective if c.item("protective_factors", f))
    )
    ingredients = a.factors.active_ingredients
    parts.append(
        None
        if ingredients is None
        else tuple(d for f in ingredients if c.item("active_ingredients", f) for d in c.item("active_ingredients", f).domains)
    )
    if all(p is None for p in parts):
        return None
    found = sorted({d for p in parts if p for d in p}, key=list(c.catalogues["domains"]).index)
    return Partial(tuple(found), all(p is not None for p in parts))


def _targeted_local(a: Assessment, c: Criteria) -> Partial | None:
    targeted, local = a.factors.risk_factors, a.problem_analysis.local_risk_factors
    if targeted is None or local is None:
        return None
    return Partial(tuple(f for f in targeted if f in local), True)


def _delivery_domains(a: Assessment, c: Criteria) -> Partial | None:
    """Domains an active ingredient is actually delivered in: as recorded per ingredient
    (``factors.ingredient_domains``), or the ingredient's only possible domain. One ingredient that *can*
    work in three domains does not make an intervention work in three domains."""
    ingredients = a.factors.active_ingredients
    if ingredients is None:
        return None
    recorded = getattr(a.factors, "ingredient_domains", None)
    found: set[str] = set()
    complete = True
    for name in ingredients:
        item = c.item("active_ingredients", name)
        if item is None:
            continue
        if len(item.domains) == 1:
            found.add(item.domains[0])
        elif recorded is None:
            complete = False
        else:
            found.update(d for d in item.domains if f"{name}@{d}" in recorded)
    order = list(c.catalogues["domains"])
    return Partial(tuple(sorted(found, key=lambda d: order.index(d) if d in order else len(order))), complete)


def _targeted_local_protective(a: Assessment, c: Criteria) -> Partial | None:
    strengthened = a.factors.protective_factors
    weak = getattr(a.problem_analysis, "local_protective_factors", None)
    if strengthened is None or weak is None:
        return None
    return Partial(tuple(f for f in strengthened if f in weak), True)


RECOGNITION_YEARS = 5
"""A recognition by the recognition committee is valid for five years (nji-erkenning)."""


def _recognition_state(a: Assessment, c: Criteria) -> Partial | None:
    """The recognition status as it stands on the assessment date: a recognition older than five years
    counts as expired (``verlopen``), whatever the recorded status says."""
    import datetime as dt

    status = getattr(a.evidence, "recognition_status", _ONBEKEND)
    year = getattr(a.evidence, "recognition_year", None)
    on = a.meta.assessed_on or dt.date.today()
    if year is not None and status in ("erkend", _ONBEKEND) and on.year > year + RECOGNITION_YEARS:
        return Partial(("verlopen",), True)
    if status == _ONBEKEND:
        return None if year is None else Partial(("erkend",), True)
    return Partial((str(status),), True)


DERIVED: dict[str, Derived] = {
    "derived.dynamic_risk_factors": Derived("risk_factors", ("factors.risk_factors",), _dynamic_risk_factors),
    "derived.domains": Derived(
        "domains",
        ("factors.risk_factors", "factors.protective_factors", "factors.active_ingredients"),
        _domains,
    ),
    "derived.targeted_local_risk_factors": Derived(
        "risk_factors", ("factors.risk_factors", "problem_analysis.local_risk_factors"), _targeted_local
    ),
    "derived.delivery_domains": Derived(
        "domains", ("factors.active_ingredients", "factors.ingredient_domains"), _delivery_domains
    ),
    "derived.targeted_local_protective_factors": Derived(
        "protective_factors", ("factors.protective_factors", "problem_analysis.local_protective_factors"),
        _targeted_local_protective,
    ),
    "derived.recognition_state": Derived(
        "recognition_statuses", ("evidence.recognition_status", "evidence.recognition_year"), _recognition_state
    ),
}


def field_info(path: str, criteria: Criteria) -> FieldInfo | None:
    """What kind of value a condition may read at ``path``; None when no such field exists."""
    from kwaliteitskader.core.model.assessment import FieldInfo, FieldKind, answer_fields

    if path in DERIVED:
        return FieldInfo(path=path, kind=FieldKind.MULTI, catalogue=DERIVED[path].catalogue)
    section, _, name = path.partition(".")
    if section == "harm_signals":
        return FieldInfo(path=path, kind=FieldKind.TRI) if criteria.item("harm_signals", name) else None
    if section == "settings":
        if name not in criteria.settings:
            return None
        value = criteria.settings[name]
        return FieldInfo(path=path, kind=FieldKind.TRI if isinstance(value, bool) else FieldKind.INT)
    return answer_fields().get(path)


def fields_read(path: str) -> tuple[str, ...]:
    """The assessment answers behind a path (a derived value reads several)."""
    if path in DERIVED:
        return DERIVED[path].reads
    return () if path.startswith("settings.") else (path,)


# --- the verdict -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionTrace:
    id: str
    label: Text
    result: Truth
    depth: int
    source: Sequence[Citation]
    design_choice: bool
    input: str = ""
    expected: str = ""
    fields: tuple[str, ...] = ()
    setting: str | None = None


@dataclass(frozen=True)
class RuleTrace:
    id: str
    label: Text
    explanation: Text
    class_: str
    advice: str
    result: Truth
    decided: bool
    source: Sequence[Citation]
    design_choice: bool
    conditions: tuple[ConditionTrace, ...] = ()


ACTOR_KINDS = {"gemeente": "actie", "aanbieder": "actie", "onderzoek": "onderzoek"}
"""The kind of step a change is, by who acts; an unknown answer is a step of kind ``beantwoord``."""


@dataclass(frozen=True)
class Change:
    """One step of an option: a condition that must change, or (``answer``) a missing answer to give.

    ``kind`` is ``actie`` (the municipality or the provider can do it), ``onderzoek`` (needs research)
    or ``beantwoord`` (answer a question that is still open); ``actor`` is who acts."""

    condition: str
    label: Text
    want: bool
    kind: str
    actor: str
    remedy: Text | None
    fields: tuple[str, ...]
    answer: bool


@dataclass(frozen=True)
class NextStep:
    """One option to reach ``class_``: all of ``changes`` together let rule ``rule`` decide."""

    class_: str
    rule: str
    changes: tuple[Change, ...]

    @property
    def needs_research(self) -> bool:
        return any(c.kind == "onderzoek" for c in self.changes)


@dataclass(frozen=True)
class MissingAnswer:
    """An open question whose answer matters: the classes it can still lead to (rank order, best first).

    ``advice_only`` when the class is already certain and the answer can only change the advice."""

    field: str
    could_lead_to: tuple[str, ...]
    advice_only: bool = False


@dataclass(frozen=True)
class NoticeTrace:
    """A remark of the criteria (``[[notices]]``) that holds for this assessment; it never changes the class."""

    id: str
    label: Text
    explanation: Text
    source: Sequence[Citation]
    design_choice: bool
    value: str = ""
    """The answer the notice shows (its ``show_field``), for example the reason a recognition was refused."""


@dataclass(frozen=True)
class Verdict:
    class_: str
    """The class when it is decided; when ``provisional``, the lowest class in ``possible_classes`` (for
    sorting and counting only: a provisional verdict has no class yet, see ``decided_class``)."""
    advice: str
    rule: str
    """The rule that decides; when that is still open, the first rule that can decide ``class_``."""
    provisional: bool
    """True only when the class itself is undecided (``possible_classes`` has more than one class)."""
    trace: tuple[RuleTrace, ...]
    next_class: str | None
    """The nearest higher class (None at the top)."""
    settings: dict[str, bool | int] = field(default_factory=dict)
    criteria_version: str = ""
    criteria_digest: str = ""
    possible_classes: tuple[str, ...] = ()
    """The classes some completion of the missing answers reaches, best first (one class when decided)."""
    not_applicable: tuple[str, ...] = ()
    """Questions that do not apply to this assessment (n.v.t.)."""
    ignored: tuple[str, ...] = ()
    """Answers in the file to questions that do not apply: kept, but not read."""
    why: Callable[[int], tuple[tuple[str, Truth, Any], ...]] | None = field(default=None, compare=False, repr=False)
    """Works out :meth:`rule_reasons` when first asked for (lists of rows never need them)."""

    more_steps: Callable[[], Sequence[NextStep]] | None = field(default=None, compare=False, repr=False)
    """Works out the options for the classes above :attr:`next_class` when they are first asked for."""

    later: Callable[[str], Any] | None = field(default=None, compare=False, repr=False)
    """Works out the properties below (``later(name)``) when first asked for: a row of the compare view
    needs none of them. Without it they are empty."""

    def _later(self, name: str, empty: Any = ()) -> Any:
        found = self.__dict__.get(f"_later_{name}")
        if found is None:
            found = self.later(name) if self.later is not None else empty
            object.__setattr__(self, f"_later_{name}", found)
        return found

    @property
    def possible_rules(self) -> tuple[str, ...]:
        """The rules some completion of the missing answers lets decide (one when decided)."""
        found: tuple[str, ...] = self._later("possible_rules")
        return found

    @property
    def possible_advice(self) -> tuple[str, ...]:
        found: tuple[str, ...] = self._later("possible_advice")
        return found

    @property
    def advice_provisional(self) -> bool:
        """True when a missing answer can still change the advice (whether or not the class is decided)."""
        found: bool = self._later("advice_provisional", False)
        return found

    @property
    def missing(self) -> tuple[MissingAnswer, ...]:
        """The open questions whose answer matters (see :class:`MissingAnswer`)."""
        found: tuple[MissingAnswer, ...] = self._later("missing")
        return found

    @property
    def nearest_steps(self) -> tuple[NextStep, ...]:
        """Options for :attr:`next_class` (those decide the 'near' advice); :attr:`next_steps` has every class."""
        found: tuple[NextStep, ...] = self._later("nearest_steps")
        return found

    @property
    def notices(self) -> tuple[NoticeTrace, ...]:
        """The criteria's notices that hold (scope, recognition status, a proven alternative, …)."""
        found: tuple[NoticeTrace, ...] = self._later("notices")
        return found

    def __eq__(self, other: object) -> bool:
        """The generated equality, with the fields worked out later compared too (as when they were fields)."""
        if other.__class__ is not self.__class__ or not isinstance(other, Verdict):
            return NotImplemented
        return _compared(self) == _compared(other)

    @property
    def next_steps(self) -> tuple[NextStep, ...]:
        """Options per higher class, nearest class first, best option first within a class."""
        found = self.__dict__.get("_next_steps")
        if found is None:
            found = self.nearest_steps + tuple(self.more_steps() if self.more_steps is not None else ())
            object.__setattr__(self, "_next_steps", found)
        return found

    def rule_reasons(self, index: int) -> tuple[tuple[str, Truth, Any], ...]:
        """For rule ``index`` (trace order): the comparisons that explain its outcome, ``(condition, result,
        value read)``."""
        return self.why(index) if self.why is not None else ()

    @property
    def reasons(self) -> tuple[tuple[tuple[str, Truth, Any], ...], ...]:
        return tuple(self.rule_reasons(i) for i in range(len(self.trace)))
    outcomes: Callable[[str], tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] | None = field(
        default=None, compare=False, repr=False)
    """``outcomes(field)``: per group of answers, the classes they leave possible (see :meth:`answer_outcomes`)."""

    @property
    def deciding_rule(self) -> RuleTrace:
        return next(r for r in self.trace if r.decided)

    @property
    def decided_class(self) -> str | None:
        return None if self.provisional else self.class_

    @property
    def missing_answers(self) -> tuple[str, ...]:
        """The open questions that can still change the class."""
        return tuple(m.field for m in self.missing if not m.advice_only)

    @property
    def steps_by_class(self) -> dict[str, list[NextStep]]:
        grouped: dict[str, list[NextStep]] = {}
        for step in self.next_steps:
            grouped.setdefault(step.class_, []).append(step)
        return grouped

    def answer_outcomes(self, path: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """For an open question: ``((answers, classes), ...)``, the classes each group of answers leaves
        possible (empty for list and number questions, and when nothing is open)."""
        return self.outcomes(path) if self.outcomes is not None else ()


def _compared(verdict: Verdict) -> tuple[Any, ...]:
    return (*(getattr(verdict, f.name) for f in fields(verdict) if f.compare), verdict.possible_rules,
            verdict.possible_advice, verdict.advice_provisional, verdict.missing, verdict.nearest_steps,
            verdict.notices)


# --- evaluation ------------------------------------------------------------------------------------


class _NotApplicable(str):
    """The value the engine reads for a question that does not apply: equal to no answer."""

    __slots__ = ()


NOT_APPLICABLE = _NotApplicable("n.v.t.")


def display(value: Any) -> str:
    """A value as the trace shows it: ids joined, unknowns as ``onbekend``."""
    if value is NOT_APPLICABLE:
        return "n.v.t."
    if isinstance(value, Partial):
        text = ", ".join(value.items) or "—"
        return text if value.complete else f"{text} (onvolledig)"
    if value is None:
        return "onbekend"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(getattr(value, "value", value))


def compare(op: str, left: Any, right: Any) -> bool:
    """``left op right`` for a condition's operator (``eq``, ``in``, ``ge``, ...), as the engine compares."""
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if op == "in":
        return left in right
    if op == "not_in":
        return left not in right
    if op == "ge":
        return bool(left >= right)
    if op == "gt":
        return bool(left > right)
    if op == "le":
        return bool(left <= right)
    if op == "lt":
        return bool(left < right)
    raise ValueError(op)


_TESTS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "in": lambda left, right: left in right,
    "not_in": lambda left, right: left not in right, "ge": operator.ge, "gt": operator.gt, "le": operator.le,
    "lt": operator.lt,
}

_SYMBOLS = {"eq": "=", "ne": "≠", "in": "∈", "not_in": "∉", "contains": "∋", "ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
_ATOM, _ALL, _ANY, _NOT = range(4)
_ROW_CACHE_LIMIT = 50_000


class _Node:
    """One condition, compiled: what evaluation, the trace and "Wat is er nodig?" need, looked up once."""

    __slots__ = ("children", "cond", "count", "expected", "expected_text", "fields", "id", "kind", "make", "op",
                 "path", "setting", "settings_field", "test", "values_of")

    def __init__(self, cond: Condition, settings: dict[str, bool | int]) -> None:
        self.cond = cond
        self.id = cond.id
        self.children = tuple(cond.children)
        self.values_of = _values_of(self.children)
        """The children's truths from a results dict, as a tuple (see :func:`_values_of`)."""
        path = cond.field or cond.count
        self.path = path or ""
        self.count = cond.count is not None
        self.op = cond.op or ""
        self.test: Callable[[Any, Any], Any] = _TESTS.get(self.op) or functools.partial(compare, self.op)
        """The comparison as one call (:func:`compare` spelled out per operator)."""
        if cond.is_atom:
            self.kind = _ATOM
        elif cond.all is not None:
            self.kind = _ALL
        elif cond.any is not None:
            self.kind = _ANY
        else:
            self.kind = _NOT
        self.expected = settings[cond.setting] if cond.setting else cond.value
        self.expected_text = _expected_text(cond, self.expected) if cond.is_atom else ""
        self.fields = fields_read(path) if path else ()
        self.setting = cond.setting or (path.partition(".")[2] if path and path.startswith("settings.") else None)
        self.settings_field = (cond.field or "").startswith("settings.")
        self.make = {True: _change_model(cond, True), False: _change_model(cond, False)}
        """Per direction: ``(actor, remedy, offered)`` from the condition's change model."""


def _change_model(cond: Condition, want: bool) -> tuple[str, Text | None, bool]:
    """``(actor, remedy, offered)`` for making ``cond`` hold (``want``) or not.

    Criteria before 2024.2 wrote only ``remedy``/``remedy_kind`` (the true side); a missing false side is
    never offered (``validate`` rejects a set that needs one and lacks it)."""
    model = getattr(cond, "make_true" if want else "make_false", None)
    if model is not None:
        actor = model.actor
        return actor, model.remedy, bool(getattr(model, "offered", True)) and actor != "niet_wijzigbaar"
    if not want:
        return "niet_wijzigbaar", None, False
    legacy = getattr(cond, "remedy_kind", "nu")
    return ("onderzoek" if legacy == "onderzoek" else "gemeente"), getattr(cond, "remedy", None), True


class _Plan:
    """A criteria set compiled for the engine, once per criteria object (and settings).

    Trace rows are immutable and depend only on the condition, its depth, its result and its input, so
    equal rows are shared between evaluations instead of being built again for every assessment.
    """

    def __init__(self, criteria: Criteria) -> None:
        self.document = criteria.document
        self.settings = dict(criteria.settings)
        self.nodes = {cond_id: _Node(cond, self.settings) for cond_id, cond in criteria.conditions.items()}
        self.rows: dict[tuple[str, int, Truth, str], ConditionTrace] = {}
        self.catalogues = criteria.catalogues
        self.applies: dict[str, str] = {
            q.field: q.applies_when for q in criteria.document.questions
            if getattr(q, "applies_when", None) and q.applies_when in self.nodes
        }
        """Per question that applies only sometimes: the condition that says when (``applies_when``)."""
        self.question_order = {q.field: i for i, q in enumerate(criteria.document.questions)}
        roots = [rule.when for rule in criteria.document.rules if rule.when]
        self.order = self._order([*roots, *self.applies.values()])
        """The rules' conditions, children before parents (None when they are not a proper tree)."""
        self.flat: dict[str, tuple[tuple[str, int], ...]] = {}
        """Per rule condition: the trace rows' conditions and depths, in trace order."""
        self.atoms: dict[str, tuple[str, ...]] = {}
        self.atom_truths: dict[str, Callable[[dict[str, Truth]], Any]] = {}
        """Per condition (when the conditions form a proper tree): the atoms it is built from."""
        self.bits = _Bits(self.nodes, criteria.conditions)
        self.needs: dict[tuple[str, bool, Any], list[Flip]] = {}
        self.changes: dict[tuple[str, bool, bool, tuple[str, ...]], Change] = {}
        self.readers: dict[str, Callable[[Any], Any]] = {
            node.path: operator.attrgetter(node.path) for node in self.nodes.values()
            if node.path and node.path not in DERIVED and not node.path.startswith(("settings.", "harm_signals."))
        }
        """Per answer path: one C-level ``attrgetter`` instead of :func:`get_path`'s steps (same value)."""
        self.rule_traces: dict[tuple[str, Truth, bool], RuleTrace] = {}
        self.traces: dict[tuple[Any, ...], tuple[RuleTrace, ...]] = {}
        """A verdict's trace without condition rows, per outcome of every rule and the rule shown."""
        self.subtrees: dict[str, list[str]] = {}
        """"Wat is er nodig?" per condition, wanted result and the truth of its atoms (see :func:`_need`)."""
        if self.order is not None:
            for rule in criteria.document.rules:
                if rule.when and rule.when in self.nodes:
                    self.flat[rule.when] = tuple(self._flatten(rule.when, 0))
            for cond_id in self.order:  # children first: a parent's atoms are its children's
                node = self.nodes[cond_id]
                below = (cond_id,) if node.kind == _ATOM else (a for c in node.children for a in self.atoms[c])
                self.atoms[cond_id] = tuple(dict.fromkeys(below))
            self.atom_truths = {c: operator.itemgetter(*atoms) for c, atoms in self.atoms.items()}
            """Per condition: its atoms' results, read from an evaluation's results in one call."""
        self.applies_order = self._applies_order()
        """``(question, condition)`` for the questions that apply only sometimes, each after the ones its
        condition reads (a question whose condition depends on itself is left out: ``validate`` reports it)."""
        self.path_atoms: dict[str, tuple[str, ...]] = {}
        for cond_id in self.order or ():
            node = self.nodes[cond_id]
            if node.kind == _ATOM and node.path and not node.settings_field:
                self.path_atoms[node.path] = (*self.path_atoms.get(node.path, ()), cond_id)
        self._signatures: dict[str, list[tuple[tuple[Truth, ...], tuple[Any, ...]]]] = {}
        self.order_atoms = atoms = [c for c in self.order or () if self.nodes[c].kind == _ATOM]
        """The comparisons the rules read, in :attr:`order`."""
        self.atom_vector: Callable[[dict[str, Truth]], Any] | None = (
            (lambda results, get=operator.itemgetter(*atoms): get(results)) if len(atoms) > 1 else None)
        """The truth of every comparison of an evaluation, in one call (the key of :attr:`decisions`)."""
        self.derived_atoms = [(c, self.nodes[c].fields) for c in atoms if len(self.nodes[c].fields) > 1]
        """Comparisons of a value derived from several answers: which of those are still open is part of a
        decision (the open answers it names) beyond the comparison's truth."""
        self.decisions: dict[tuple[Any, ...], Any] = {}
        self._memo_kept: _Reach | None = None
        self.compared: dict[tuple[str, type, Any], Truth] = {}
        """The truth of a comparison per answer of a plain kind (text, yes/no, number, none): few answers recur
        across a portfolio (ja/nee/onbekend, a choice), so each is compared once per plan. Keyed with the answer's
        type as well: ``True == 1``, but the comparison treats a yes/no answer as "ja"/"nee"."""
        self._notices: dict[str, tuple[list[Any], list[str]]] = {}
        self._masks: dict[tuple[str, ...], int] = {}
        self.program = [(c, node.kind, node.children, node.values_of)
                        for c in self.order or () for node in (self.nodes[c],)]
        """The conditions as ``(id, kind, children, values_of)``, children first: three-valued evaluation from
        atom truths."""
        self.choices: dict[str, list[tuple[dict[str, Truth], frozenset[tuple[str, Truth]]]]] = {}
        """Kept by :meth:`_Reach._pick`."""
        self.answer_groups: dict[str, list[tuple[dict[str, Truth], tuple[str, ...]]]] = {}
        """Kept by :meth:`_Reach._answer_groups`."""
        self.courses: dict[str, _Course] = {}
        """Kept by :func:`_course`."""

    def notices_for(self, criteria: Criteria, class_: str) -> tuple[list[Any], list[str]]:
        """The notices a verdict of ``class_`` may show (their condition known to the plan), and their
        conditions with those below them, children first (kept per class)."""
        found = self._notices.get(class_)
        if found is None:
            notices = [n for n in getattr(criteria.document, "notices", None) or ()
                       if (not n.classes or class_ in n.classes) and n.when in self.nodes]
            order = self._order([n.when for n in notices]) if notices else []
            if order is None:  # the criteria checks reject both, so checked criteria never get here
                raise ValueError("criteria whose conditions have a cycle or a dangling reference")
            found = self._notices[class_] = (notices, order)
        return found

    def keep_memo(self, reach: _Reach) -> None:
        """Keep the evaluations of ``reach``'s last search, and forget those of the search before it.

        Decisions are kept per plan (:attr:`decisions`), so their searches must not keep what they evaluated; but
        the verdict just made often asks its search again at once (``classify``: every rule that can decide, what
        each answer leads to), and those searches largely evaluate the same completions."""
        if self._memo_kept is not reach:
            if self._memo_kept is not None:
                self._memo_kept.forget()
            self._memo_kept = reach

    def mask(self, conditions: list[str]) -> int:
        """The bits of every change to a comparison that ``conditions`` are built from."""
        key = tuple(conditions)
        found = self._masks.get(key)
        if found is None:
            found = 0
            for cond_id in conditions:
                for atom in self.atoms.get(cond_id, ()):
                    if atom in self.bits.index:
                        found |= self.bits.bit(atom, True) | self.bits.bit(atom, False)
            self._masks[key] = found
        return found

    def kleene(self, truth_of: Callable[[str], Truth]) -> dict[str, Truth]:
        """Every condition's truth from its atoms' truths (``truth_of(atom)``), in one pass."""
        return _kleene(self.program, {}, truth_of)

    def _applies_order(self) -> list[tuple[str, str]]:
        if self.order is None:
            return []
        reads = {path: {f for a in self.atoms.get(cond, ()) for f in self.nodes[a].fields}
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

    def signatures(self, path: str) -> list[tuple[tuple[Truth, ...], tuple[Any, ...]]]:
        """The ways an answer to ``path`` can make its comparisons come out: ``(truths of path_atoms[path],
        answers that give them)``. Answers are the question's possible values where there are few (yes/no, a
        choice), and representative values around each threshold for numbers and lists."""
        found = self._signatures.get(path)
        if found is None:
            atoms = self.path_atoms.get(path, ())
            groups: dict[tuple[Truth, ...], list[Any]] = {}
            for value in self._candidates(path, atoms):
                sig = tuple(_atom_truth(self.nodes[a], value) for a in atoms)
                if _UNKNOWN not in sig:
                    groups.setdefault(sig, []).append(value)
            found = self._signatures[path] = [(sig, tuple(values)) for sig, values in groups.items()]
        return found

    def _candidates(self, path: str, atoms: tuple[str, ...]) -> list[Any]:
        from kwaliteitskader.core.model.fields_table import (
            CATALOGUE_FIELDS,
            SECTIONS,  # the answers' kinds and ranges, without pydantic
        )

        section, _, name = path.partition(".")
        if section == "harm_signals":
            return ["ja", "nee"]
        kind, _default, low, high = SECTIONS.get(section, {}).get(name, ("str", None, None, None))
        catalogue = list(self.catalogues.get(CATALOGUE_FIELDS.get(path, ""), {}))
        thresholds = [e for a in atoms for e in _as_list(self.nodes[a].expected)
                      if isinstance(e, int | float) and not isinstance(e, bool)]
        if kind == "tri":
            return ["ja", "nee"]
        if kind in ("int", "float"):
            low_end = low if low is not None else min([0, *thresholds]) - 1
            high_end = high if high is not None else max([0, *thresholds]) + 1
            points = {low_end, high_end} | {t + d for t in thresholds for d in (-1, 0, 1)}
            return sorted(p for p in points if low_end <= p <= high_end)
        if kind == "list":
            sizes = {0, len(catalogue)} | {int(t) + d for t in thresholds for d in (-1, 0, 1)}
            lists = [catalogue[:k] for k in sorted(sizes) if 0 <= k <= len(catalogue)]
            for value in {str(e) for a in atoms if self.nodes[a].op == "contains" for e in _as_list(self.nodes[a].expected)}:
                lists += [[value], [c for c in catalogue if c != value]]
            return lists
        if catalogue:
            return catalogue
        mentioned = [str(e) for a in atoms for e in _as_list(self.nodes[a].expected)]
        return [*dict.fromkeys(mentioned), "\u0000"]  # a text: one of the values compared with, or another

    def _order(self, roots: list[str]) -> list[str] | None:
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
                if state.get(cond_id) == 1 or node is None or (node.kind == _NOT and not node.children):
                    return None  # a cycle or a dangling reference (unchecked criteria): evaluate lazily
                state[cond_id] = 1
                stack.append((cond_id, True))
                stack.extend((child, False) for child in reversed(node.children) if state.get(child) != 2)
        return order

    def order_of(self, cond_id: str) -> list[str]:
        """``cond_id`` and the conditions below it, children first: what :meth:`_Evaluation.truth` evaluates."""
        order = self.subtrees.get(cond_id)
        if order is None:
            order = self._order([cond_id])
            if order is None:  # the criteria checks reject both, so checked criteria never get here
                raise ValueError("criteria whose conditions have a cycle or a dangling reference")
            self.subtrees[cond_id] = order
        return order

    def _flatten(self, cond_id: str, depth: int) -> list[tuple[str, int]]:
        rows = [(cond_id, depth)]
        for child in self.nodes[cond_id].children:
            rows += self._flatten(child, depth + 1)
        return rows


def _plan(criteria: Criteria) -> _Plan:
    plan: _Plan | None = criteria.__dict__.get("_engine_plan")
    if plan is None or plan.document is not criteria.document or plan.settings != criteria.settings:
        plan = _Plan(criteria)
        criteria.__dict__["_engine_plan"] = plan
    return plan


_UNREAD = object()


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]



def _kleene(
    program: Sequence[tuple[str, int, Sequence[str], Callable[[dict[str, Truth]], tuple[Truth, ...]]]],
    res: dict[str, Truth], truth_of: Callable[[str], Truth],
) -> dict[str, Truth]:
    """Three-valued truth of every condition of ``program`` (children before parents) into ``res``, from the
    atoms' truths (``truth_of(atom)``): the one evaluation loop of the plan and of the range search."""
    for cond_id, kind, children, values_of in program:
        if kind == _ATOM:
            res[cond_id] = truth_of(cond_id)
        elif kind == _NOT:
            res[cond_id] = _NEGATION[res[children[0]]]
        else:
            values = values_of(res)
            if kind == _ALL:
                res[cond_id] = _FAIL if _FAIL in values else _UNKNOWN if _UNKNOWN in values else _PASS
            else:
                res[cond_id] = _PASS if _PASS in values else _UNKNOWN if _UNKNOWN in values else _FAIL
    return res


def _values_of(children: Sequence[str]) -> Callable[[dict[str, Truth]], tuple[Truth, ...]]:
    """The children's truths as a tuple, in one C-level call (a list comprehension per condition was a sixth of
    the search's time). One child is read twice, so that the call still gives a tuple (``all``/``any`` of a
    value with itself is that value)."""
    if not children:
        return lambda _res: ()
    return operator.itemgetter(*children) if len(children) > 1 else operator.itemgetter(children[0], children[0])


def _answered(value: Any) -> bool:
    return not (value is None or value == _ONBEKEND or value == "")


_PLAIN = frozenset({str, Tri, bool, int, float, type(None)})
"""Answers whose comparison :attr:`_Plan.compared` keeps (hashable, compared by value: not lists, not ``Partial``,
not the n.v.t. marker, which is compared by identity)."""

_COMPARED_LIMIT = 20_000
"""Kept comparisons per plan: free text could otherwise grow the memo without end (a few hundred are usual)."""


def _atom_truth(node: _Node, value: Any) -> Truth:
    """One comparison on one value (the engine's rule for every atom; also used for the range search)."""
    expected = node.expected
    op = node.op
    if value is NOT_APPLICABLE:  # a question that does not apply equals no answer
        if node.count:
            return _PASS if node.test(0, expected) else _FAIL
        return _PASS if op in ("ne", "not_in") else _FAIL
    if node.count:
        if value is None:
            return _UNKNOWN
        items = value.items if isinstance(value, Partial) else value
        passed = node.test(len(items), expected)
        if isinstance(value, Partial) and not value.complete:
            # more items may follow once the missing answers are known: only a reached lower bound is sure
            if passed and op in ("ge", "gt"):
                return _PASS
            if not passed and op in ("le", "lt", "eq"):
                return _FAIL
            return _UNKNOWN
        return _PASS if passed else _FAIL
    if value is None or value == _ONBEKEND:  # is_unknown(value), inlined: this runs for every atom
        return _UNKNOWN
    if op == "contains":
        items = value.items if isinstance(value, Partial) else value
        if expected in items:
            return _PASS
        return _FAIL if not isinstance(value, Partial) or value.complete else _UNKNOWN
    if isinstance(value, bool) and isinstance(expected, str):
        value = "ja" if value else "nee"
    return _PASS if node.test(getattr(value, "value", value), expected) else _FAIL


class _Evaluation:
    def __init__(self, assessment: Assessment, criteria: Criteria) -> None:
        self.assessment = assessment
        self.criteria = criteria
        self.plan = _plan(criteria)
        self.nodes = self.plan.nodes
        self.results: dict[str, Truth] = {}
        self.inputs: dict[str, Any] = {}
        self._values: dict[str, Any] = {}
        self._needs: dict[tuple[str, bool], list[Flip]] = {}
        self._shown: dict[str, str] = {}
        self.not_applicable: list[str] = []
        self.ignored: list[str] = []
        self.research: Flip | None = None
        """Cached by :func:`_research`."""
        self._unknown: dict[str, list[str]] = {}
        self.changes: dict[tuple[str, bool], Change] = {}
        """Kept by :func:`_change`."""
        self.options: dict[str, _Options] = {}
        """Kept by :func:`_options`."""
        self.pending: dict[str, str] = {}
        """Questions answered in the file whose applicability is still unknown: path -> condition."""

    def decision_key(self) -> tuple[Any, ...]:
        """The truth of every comparison, and the answers that wait for their applicability."""
        truths = self.plan.atom_vector(self.results) if self.plan.atom_vector is not None else tuple(self.results.items())
        results = self.results
        # an open comparison of a derived value names only its open answers (unknown_fields): two assessments
        # with the same truths but other open answers behind it must not share their missing answers and steps
        opens = tuple(tuple(f for f in fields if not f.startswith("derived.") and not _answered(self.read(f)))
                      for cond_id, fields in self.plan.derived_atoms if results.get(cond_id) is _UNKNOWN)
        if not self.pending:
            return (truths, opens)
        return (truths, opens, tuple((p, self.plan.nodes[a].id, _atom_truth(self.plan.nodes[a], self.read(p)))
                                     for p in self.pending for a in self.plan.path_atoms.get(p, ())))

    def apply_applicability(self) -> None:
        """Read questions that do not apply as n.v.t. (before any rule reads them)."""
        for path, cond_id in self.plan.applies_order:
            result = self.truth(cond_id)
            if result is _UNKNOWN:
                self.pending[path] = cond_id
            elif result is _FAIL:
                self.not_applicable.append(path)
                if _answered(self.read(path)):
                    self.ignored.append(path)
                self._values[path] = NOT_APPLICABLE

    def read(self, path: str) -> Any:
        value = self._values.get(path, _UNREAD)
        if value is not _UNREAD:
            return value
        reader = self.plan.readers.get(path)
        if reader is not None:
            value = reader(self.assessment)
        elif path in DERIVED:
            value = DERIVED[path].compute(self.assessment, self.criteria)
        elif path.startswith("settings."):
            value = self.criteria.settings[path.partition(".")[2]]
        else:
            value = get_path(self.assessment, path)
        self._values[path] = value
        return value

    def truth(self, cond_id: str) -> Truth:
        """A condition's result; on first use evaluated, with the conditions below it, by :meth:`evaluate_all`."""
        result = self.results.get(cond_id)
        if result is None:
            self.evaluate_all(self.plan.order_of(cond_id))
            result = self.results[cond_id]
        return result

    def evaluate_all(self, order: list[str] | None = None) -> None:
        """The truth of every condition the rules read (or of ``order``), children first."""
        if order is None:
            order = self.plan.order
        if order is None:  # the criteria checks reject both, so checked criteria never get here
            raise ValueError("criteria whose conditions have a cycle or a dangling reference")
        results, nodes, answers, inputs, pending = self.results, self.nodes, self._values, self.inputs, self.pending
        compared = self.plan.compared
        for cond_id in order:
            if cond_id in results:
                continue
            node = nodes[cond_id]
            kind = node.kind
            if kind == _ATOM:  # _atom, inlined: this runs for every comparison of every assessment
                value = answers.get(node.path, _UNREAD)
                if value is _UNREAD:
                    value = self.read(node.path)
                inputs[cond_id] = value
                if value.__class__ in _PLAIN:  # kept per comparison and answer (see _Plan.compared)
                    key = (cond_id, value.__class__, value)
                    result = compared.get(key)
                    if result is None:
                        result = _atom_truth(node, value)
                        if len(compared) < _COMPARED_LIMIT:
                            compared[key] = result
                else:
                    result = _atom_truth(node, value)
                if (pending and node.path in pending and result is not _UNKNOWN
                        and _atom_truth(node, NOT_APPLICABLE) is not result):
                    result = _UNKNOWN
            elif kind == _NOT:
                result = _NEGATION[results[node.children[0]]]
            else:
                values = node.values_of(results)
                if kind == _ALL:
                    result = _FAIL if _FAIL in values else _UNKNOWN if _UNKNOWN in values else _PASS
                else:
                    result = _PASS if _PASS in values else _UNKNOWN if _UNKNOWN in values else _FAIL
            results[cond_id] = result

    def rule_trace(self, cond_id: str) -> tuple[ConditionTrace, ...]:
        """The trace rows of a rule's condition and the conditions below it, after :meth:`evaluate_all`."""
        flat = self.plan.flat[cond_id]
        results, inputs, nodes, cache = self.results, self.inputs, self.nodes, self.plan.rows
        shown_by_id = self._shown
        rows = []
        for row_id, depth in flat:
            node = nodes[row_id]
            if node.kind == _ATOM:
                shown = shown_by_id.get(row_id)
                if shown is None:
                    shown = shown_by_id[row_id] = display(inputs.get(row_id))
            else:
                shown = ""
            result = results[row_id]
            entry = cache.get((row_id, depth, result, shown))
            if entry is None:
                entry = self._row(node, depth, result, shown)
            rows.append(entry)
        return tuple(rows)

    def _row(self, node: _Node, depth: int, result: Truth, shown: str) -> ConditionTrace:
        cond = node.cond
        entry = ConditionTrace(
            id=cond.id,
            label=cond.label,
            result=result,
            depth=depth,
            source=cond.source,
            design_choice=cond.design_choice,
            input=shown,
            expected=node.expected_text,
            fields=node.fields,
            setting=node.setting,
        )
        if len(self.plan.rows) >= _ROW_CACHE_LIMIT:
            self.plan.rows.clear()
        self.plan.rows[(cond.id, depth, result, shown)] = entry
        return entry

    def unknown_fields(self, cond_id: str) -> list[str]:
        """Answers whose absence makes ``cond_id`` unknown (kept per evaluation: the missing answers and every
        *Beantwoord* step ask again; the list is shared, never changed)."""
        found = self._unknown.get(cond_id)
        if found is None:
            found = self._unknown[cond_id] = self._unknown_fields(cond_id)
        return found

    def _unknown_fields(self, cond_id: str) -> list[str]:
        if self.truth(cond_id) is not _UNKNOWN:
            return []
        node = self.nodes[cond_id]
        if node.kind == _ATOM:
            if node.path in self.pending and _answered(self.read(node.path)):
                return self.unknown_fields(self.pending[node.path])
            if len(node.fields) > 1:  # a derived value: only the answers it reads that are still open
                open_fields = [f for f in node.fields if not f.startswith("derived.") and not _answered(self.read(f))]
                if open_fields:
                    return open_fields
            return list(node.fields)
        return [f for child in node.children for f in self.unknown_fields(child)]


def _expected_text(cond: Condition, expected: Any) -> str:
    prefix = "aantal " if cond.count else ""
    return f"{prefix}{_SYMBOLS.get(cond.op or '', cond.op)} {display(expected)}"


def evaluate(assessment: Assessment, criteria: Criteria, *, conditions: bool = True) -> Verdict:
    """Classify one assessment under one criteria set, with the full explanation.

    ``conditions=False`` leaves out each rule's condition rows (``RuleTrace.conditions`` is empty), for
    output that does not show them (``classify`` without ``--trace``, the rows of the compare view);
    everything else is the same."""
    ev = _Evaluation(assessment, criteria)
    ev.apply_applicability()
    ev.evaluate_all()
    rules = criteria.document.rules
    results = [ev.truth(rule.when) if rule.when else _PASS for rule in rules]
    first = next((i for i, r in enumerate(results) if r is _PASS), None)
    if first is None:  # criteria validation guarantees a fallback rule; loaded unchecked criteria may lack one
        raise ValueError("criteria without a fallback rule")
    key = ev.decision_key()
    decision: _Decision | None = ev.plan.decisions.get(key)
    if decision is None:
        decision = _Decision(ev, rules, results, first)
        if len(ev.plan.decisions) >= _DECISION_CACHE_LIMIT:
            ev.plan.decisions.clear()
        ev.plan.decisions[key] = decision
    chosen, targets, classes = decision.chosen, decision.targets, decision.classes
    next_class = targets[0] if targets else None
    decided = rules[chosen]

    trace = None if conditions else ev.plan.traces.get((*results, chosen))
    if trace is None:
        traces: list[RuleTrace] = []
        for i, (rule, result) in enumerate(zip(rules, results, strict=True)):
            is_decider = i == chosen
            if conditions and rule.when:
                traces.append(_rule_trace(rule, result, is_decider, ev.rule_trace(rule.when)))
            else:  # without condition rows a rule's trace is one of a few: made once per plan, shared (immutable)
                key = (rule.id, result, is_decider)
                shared = ev.plan.rule_traces.get(key)
                if shared is None:
                    shared = ev.plan.rule_traces[key] = _rule_trace(rule, result, is_decider, ())
                traces.append(shared)
        trace = tuple(traces)
        if not conditions and len(ev.plan.traces) < _DECISION_CACHE_LIMIT:
            ev.plan.traces[(*results, chosen)] = trace  # the whole trace too: few combinations recur
    return Verdict(
        class_=decided.class_,
        advice=decision.advice,
        rule=decided.id,
        provisional=len(classes) > 1,
        trace=trace,
        next_class=next_class,
        more_steps=functools.partial(decision.more_steps, ev, rules) if len(targets) > 1 else None,
        settings=dict(criteria.settings),
        criteria_version=criteria.version,
        criteria_digest=criteria.digest,
        possible_classes=tuple(classes),
        not_applicable=tuple(ev.not_applicable),
        ignored=tuple(ev.ignored),
        outcomes=functools.partial(decision.outcomes, rules) if decision.reach is not None else None,
        why=functools.partial(_reasons_of, ev, rules),
        later=functools.partial(decision.later, ev),
    )


def _reasons_of(ev: _Evaluation, rules: list[Rule], index: int) -> tuple[tuple[str, Truth, Any], ...]:
    """``(condition, result, value read)`` of the comparisons that explain the outcome of ``rules[index]``."""
    when = rules[index].when
    return tuple((a, ev.results.get(a, _UNKNOWN), ev.inputs.get(a)) for a in (_reasons(ev, when) if when else ()))


def _reasons(ev: _Evaluation, cond_id: str) -> tuple[str, ...]:
    """The comparisons behind ``cond_id``'s result: for ``all`` every part when it holds and the first failing
    part when it fails; for ``any`` the first part that holds, or every part when none does; the open parts
    when it is open."""
    found: list[str] = []
    if cond_id in ev.nodes:
        _walk_reasons(ev, cond_id, found)
    return tuple(dict.fromkeys(found))


def _walk_reasons(ev: _Evaluation, node_id: str, found: list[str]) -> None:
    """:func:`_reasons` below ``node_id``. A function of its own, not a closure calling itself: such a
    closure is a reference cycle, which kept each assessment it explained alive until the cycle collector
    came by (core/heap.py)."""
    node = ev.nodes[node_id]
    outcome = ev.results.get(node_id)
    if node.kind == _ATOM:
        found.append(node_id)
    elif node.kind == _NOT:
        _walk_reasons(ev, node.children[0], found)
    elif (outcome is _PASS and node.kind == _ANY) or (outcome is _FAIL and node.kind == _ALL):
        # one is enough to say why
        _walk_reasons(ev, next(c for c in node.children if ev.results.get(c) is outcome), found)
    else:
        same = [c for c in node.children if ev.results.get(c) is outcome]
        for child in same or node.children:
            _walk_reasons(ev, child, found)


_DECISION_CACHE_LIMIT = 20_000


class _Decision:
    """Everything of a verdict that depends only on the truth of the comparisons (and on which answered
    questions wait for their applicability): the rules that can still decide, the steps up, the open
    questions. Kept per plan for all assessments with the same truths (a portfolio repeats them).

    What a row of the compare view shows (class, rule, advice, provisional) is worked out at once; the rest
    (every rule that can decide, the options, the open questions) when first asked for, and then kept here
    like the rest of the decision."""

    def __init__(self, ev: _Evaluation, rules: list[Rule], results: list[Truth], first: int) -> None:
        criteria = ev.criteria
        self.results = results
        self.first = first
        self.reach: _Reach | None = None
        self._reachable: list[int] | None = None
        self._steps: tuple[NextStep, ...] | None = None
        self._more: tuple[NextStep, ...] | None = None
        self._missing: tuple[MissingAnswer, ...] | None = None
        self._advices: list[str] | None = None
        self.checked: dict[int, bool] = {}
        """What the search found so far: whether ``rules[i]`` can decide."""
        if _UNKNOWN in results[:first]:
            # the class needs only the first rule that can decide each class, and the rule shown only whether
            # the first passing rule can decide: a rule of a class already reached is searched later (reachable)
            self.reach = reach = _Reach(ev, rules)
            reached: set[str] = set()
            for i in range(first + 1):
                if results[i] is not _FAIL and (i == first or rules[i].class_ not in reached):
                    self.checked[i] = reach.can_decide(i)
                    if self.checked[i]:
                        reached.add(rules[i].class_)
            some = [i for i, can in self.checked.items() if can] or [first]  # empty: the search gave up (BUDGET)
            ev.plan.keep_memo(reach)
        else:
            # every earlier rule fails whatever is answered: the first passing rule decides
            some = self._reachable = [first]
        rank = criteria.class_rank
        self.classes = sorted({rules[i].class_ for i in some}, key=lambda c: -rank[c])
        lowest = self.classes[-1]
        # the rule shown: the first passing rule when it can decide and has the (lowest) class, else the first
        # rule that can decide that class
        self.chosen = first if first in some and rules[first].class_ == lowest else next(
            i for i in some if rules[i].class_ == lowest)
        decided = rules[self.chosen]
        self.targets = [c.id for c in sorted(criteria.document.classes, key=lambda c: c.rank) if c.rank > rank[lowest]]
        self.advice = decided.advice
        if decided.advice_if_near and self.targets and _is_near(ev, rules, self.targets[0]):
            self.advice = decided.advice_if_near

    def later(self, ev: _Evaluation, name: str) -> Any:
        """The property ``name`` of the verdict on ``ev``'s assessment (see :attr:`Verdict.later`)."""
        rules = ev.criteria.document.rules
        if name == "possible_rules":
            return tuple(rules[i].id for i in self.reachable(rules))
        if name == "possible_advice":
            return tuple(self.advices(rules))
        if name == "advice_provisional":
            return len(self.advices(rules)) > 1
        if name == "missing":
            return self.missing(ev, rules)
        if name == "nearest_steps":
            return self.nearest_steps(ev, rules)
        if name == "notices":
            return _notices(ev, ev.criteria, rules[self.chosen].class_)
        raise KeyError(name)

    def reachable(self, rules: list[Rule]) -> list[int]:
        """Every rule that some completion of the missing answers lets decide."""
        if self._reachable is None:
            reach = self.reach
            assert reach is not None  # noqa: S101 - set whenever _reachable is not
            reachable = [i for i in range(self.first + 1) if self.results[i] is not _FAIL and (
                self.checked[i] if i in self.checked else reach.can_decide(i))]
            reachable = reachable or [self.first]  # only when the search gave up (see _Reach.BUDGET)
            reach.reachable = reachable
            reach.plan.keep_memo(reach)
            self._reachable = reachable
        return self._reachable

    def advices(self, rules: list[Rule]) -> list[str]:
        if self._advices is None:
            self._advices = list(dict.fromkeys(
                self.advice if i == self.chosen else rules[i].advice for i in self.reachable(rules)))
        return self._advices

    def outcomes(self, rules: list[Rule], path: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        self.reachable(rules)  # the outcomes try only the rules that can decide at all
        assert self.reach is not None  # noqa: S101 - only asked for when there is a search
        return self.reach.outcomes(path)

    def nearest_steps(self, ev: _Evaluation, rules: list[Rule]) -> tuple[NextStep, ...]:
        if self._steps is None:
            self._steps = tuple(_next_steps(ev, rules, self.targets[0])) if self.targets else ()
        return self._steps

    def more_steps(self, ev: _Evaluation, rules: list[Rule]) -> tuple[NextStep, ...]:
        """The options for the classes above the nearest one (see :attr:`Verdict.more_steps`), kept like
        :meth:`nearest_steps`: they follow from the same truths."""
        if self._more is None:
            self._more = tuple(step for target in self.targets[1:] for step in _next_steps(ev, rules, target))
        return self._more

    def missing(self, ev: _Evaluation, rules: list[Rule]) -> tuple[MissingAnswer, ...]:
        if self._missing is None:
            reachable = self.reachable(rules)
            self._missing = () if len(reachable) < 2 else _missing(
                ev, rules, self.results, reachable, len(self.classes) > 1)
        return self._missing


def _missing(ev: _Evaluation, rules: list[Rule], results: list[Truth], reachable: list[int],
             provisional: bool) -> tuple[MissingAnswer, ...]:
    """The open questions that a rule which can still decide depends on, with the classes they lead to.

    A rule depends on the open answers in its own condition; the fallback (no condition) on those of the
    earlier rules that are still open."""
    leads: dict[str, set[str]] = {}
    for i in reachable:
        rule = rules[i]
        if rule.when:
            fields = ev.unknown_fields(rule.when)
        else:
            fields = [f for j in range(i) if results[j] is _UNKNOWN for f in ev.unknown_fields(rules[j].when or "")]
        for name in fields:
            leads.setdefault(name, set()).add(rule.class_)
    rank = ev.criteria.class_rank
    order = ev.plan.question_order
    ordered = sorted(leads, key=lambda f: (order.get(f, len(order)), f))
    return tuple(MissingAnswer(f, tuple(sorted(leads[f], key=lambda c: -rank[c])), not provisional) for f in ordered)


class _Reach:
    """Which rules some completion of the missing answers lets decide (exactly, by a pruned search).

    The search assigns the open answers one at a time, each to one of the few value groups that make a
    difference to the comparisons reading it (:meth:`_Plan.signatures`), and evaluates every condition in
    three-valued logic after each step: a rule is reached as soon as it passes with every earlier rule
    failing, and a branch is dropped as soon as the rule fails or an earlier rule passes. A question that
    applies only sometimes is assigned after the answers its condition reads, and is n.v.t. where that
    condition fails. Derived counts (leefdomeinen, …) are taken as free yes/no values."""

    BUDGET = 20_000
    """Evaluations per search; past it a rule is taken as reachable (never seen with the bundled criteria)."""

    def __init__(self, ev: _Evaluation, rules: list[Rule]) -> None:
        self.plan = plan = ev.plan
        self.rank = ev.criteria.class_rank
        self.rules = rules
        self.whens = [rule.when for rule in rules]
        """Each rule's condition (None for the fallback), read at every step of the search."""
        results = ev.results
        self.start = dict(results)
        """Every truth before the search assigns anything (the evaluation worked out every condition the rules
        read): an evaluation in the search starts from a copy and works out only the open conditions again."""
        # a question answered in the file whose applicability is open: the truths its answer gives
        actual = {path: tuple(_atom_truth(plan.nodes[a], ev.read(path)) for a in plan.path_atoms.get(path, ()))
                  for path in ev.pending}
        self.settle: list[tuple[str, str, dict[str, Truth], dict[str, Truth] | None]] = []
        """The questions whose applicability the search may still have to settle: ``(first atom, condition,
        the atoms' truths where it does not apply, where it does)`` (None: not answered, so the search
        assigns them)."""
        for path, cond_id in plan.applies_order:
            atoms = plan.path_atoms.get(path, ())
            if any(results[a] is _UNKNOWN for a in atoms):
                not_applicable = {a: _atom_truth(plan.nodes[a], NOT_APPLICABLE) for a in atoms}
                answered = actual.get(path)
                self.settle.append((atoms[0], cond_id, not_applicable,
                                    None if answered is None else dict(zip(atoms, answered, strict=True))))
        self.reachable: list[int] = []
        # three-valued logic is monotone: what is decided now stays decided whatever is answered
        program = [step for step in plan.program if results[step[0]] is _UNKNOWN]
        self.held = {a: results[a] for step in program if step[1] == _ATOM
                     for a in plan.path_atoms.get(plan.nodes[step[0]].path, ()) if results[a] is not _UNKNOWN}
        """The decided atoms of a question with open ones: an assignment to the question leaves them as they are."""
        self.conditions = [step for step in program if step[1] != _ATOM]
        """The open conditions above the atoms, children first: all that an evaluation has to work out."""
        self.open_rules = [(i, when) for i, when in enumerate(self.whens) if not when or results[when] is not _FAIL]
        """The rules that may pass in some completion (``(position, condition)``): a failing one stays failing."""
        self._memo: dict[frozenset[tuple[str, Truth]], _Step] = {frozenset(): (self.start, {}, frozenset())}
        """Kept by :meth:`_results`; with nothing assigned, the evaluation's own results (no question's
        applicability is settled there: one whose condition is known is either n.v.t. or plainly open)."""
        self._outcomes: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {}
        self._witnesses: dict[int, list[dict[str, Truth]]] = {}
        """Per rule: the completions in which a search found it deciding (see :meth:`_witnessed`)."""

    def forget(self) -> None:
        self._memo.clear()
        self._witnesses.clear()

    def _results(self, assign: dict[str, Truth], key: frozenset[tuple[str, Truth]]) -> _Step:
        """Every condition's truth under ``assign`` (``key``: its items), and ``assign`` with what became known
        of the questions that apply only sometimes, and its key (kept: the searches for the rules share their
        states). Returned, not kept on the search: a verdict's later parts may be asked for from two threads
        (the compare view)."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._evaluate(assign, key)
        return found

    def _evaluate(self, assign: dict[str, Truth], key: frozenset[tuple[str, Truth]]) -> _Step:
        while True:
            # only what is open is worked out (the rest cannot change); an atom's truth as assigned in the
            # search, else as the assessment gives it
            res = {**self.start, **assign}
            if self.held:
                res.update(self.held)
            _kleene(self.conditions, res, res.__getitem__)
            changed = False
            for first_atom, cond_id, not_applicable, answered in self.settle:  # applicability now known
                applies = res[cond_id]
                if applies is _UNKNOWN or first_atom in assign:
                    continue
                truths = not_applicable if applies is _FAIL else answered
                if truths is not None:
                    assign = {**assign, **truths}
                    changed = True
            if not changed:
                return res, assign, key
            key = frozenset(assign.items())

    def _pick(self, res: dict[str, Truth], cond_id: str) -> list[tuple[dict[str, Truth], frozenset[tuple[str, Truth]]]]:
        """An open answer behind ``cond_id``: the truths its atoms can take together, and their items (kept
        per plan)."""
        nodes = self.plan.nodes
        while nodes[cond_id].kind != _ATOM:
            for child in nodes[cond_id].children:  # a loop, not next(generator): this runs at every step
                if res[child] is _UNKNOWN:
                    cond_id = child
                    break
        path = nodes[cond_id].path
        applies = self.plan.applies.get(path)
        if applies is not None and res.get(applies) is _UNKNOWN:
            return self._pick(res, applies)  # first whether the question applies
        choices = self.plan.choices.get(cond_id)
        if choices is None:
            choices = self.plan.choices[cond_id] = self._choices(cond_id, path)
        return choices

    def _choices(self, atom: str, path: str) -> list[tuple[dict[str, Truth], frozenset[tuple[str, Truth]]]]:
        if path in DERIVED or path not in self.plan.path_atoms:
            choices = [{atom: _PASS}, {atom: _FAIL}]
        else:
            atoms = self.plan.path_atoms[path]
            choices = [dict(zip(atoms, sig, strict=True)) for sig, _values in self.plan.signatures(path)]
        return [(choice, frozenset(choice.items())) for choice in choices]

    def can_decide(self, index: int, start: dict[str, Truth] | None = None) -> bool:
        """Whether some completion (of what ``start`` leaves open) lets ``rules[index]`` decide: without ``start``
        at once when a search already came upon such a completion (see :meth:`_search`)."""
        if start is None and self._witnessed(index, {}):
            return True
        start = start or {}
        return self._search(index, start, frozenset(start.items()), [0])

    def _search(self, index: int, assign: dict[str, Truth], key: frozenset[tuple[str, Truth]],
                spent: list[int]) -> bool:
        """``spent``: the evaluations of this search so far, counted per search (not on the search object: a
        verdict's later parts may be asked for from two threads).

        A branch dropped because an earlier rule passes while every rule before that one fails is a completion
        in which that earlier rule decides: kept as its witness, so that its own search is not needed."""
        spent[0] += 1
        if spent[0] > self.BUDGET:
            return True
        res, assign, key = self._results(assign, key)
        whens = self.whens
        when = whens[index]
        own = res[when] if when else _PASS
        if own is _FAIL:
            self._witness_first(res, assign)
            return False
        open_before = None
        for position, earlier_when in self.open_rules:
            if position >= index:
                break
            earlier = res[earlier_when] if earlier_when else _PASS
            if earlier is _PASS:
                if open_before is None:
                    self._witnesses.setdefault(position, []).append(assign)
                return False
            if earlier is _UNKNOWN and open_before is None:
                open_before = earlier_when
        if own is _PASS and open_before is None:
            self._witnesses.setdefault(index, []).append(assign)
            return True
        for choice, items in self._pick(res, open_before or when or ""):
            # the child's key from its parent's: the same as frozenset(child.items()) when the choice's atoms are
            # not assigned yet (all but always: an answer set as open where its question turned out to apply is not)
            child = {**assign, **choice}
            child_key = key | items if assign.keys().isdisjoint(choice) else frozenset(child.items())
            if self._search(index, child, child_key, spent):
                return True
        return False

    def _witness_first(self, res: dict[str, Truth], assign: dict[str, Truth]) -> None:
        """Keep ``assign`` as a witness of the first rule that does not fail under it, if that rule passes: in
        a branch that a search drops because its own rule fails, a later rule may decide."""
        for position, when in self.open_rules:
            truth = res[when] if when else _PASS
            if truth is not _FAIL:
                if truth is _PASS:
                    self._witnesses.setdefault(position, []).append(assign)
                return

    def outcomes(self, path: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """Per group of answers to ``path`` (yes/no and choice questions): the classes they leave possible."""
        found = self._outcomes.get(path)
        if found is None:
            found = self._outcomes[path] = self._answer_outcomes(path)
        return found

    def _answer_outcomes(self, path: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        plan, rank = self.plan, self.rank
        atoms = plan.path_atoms.get(path, ())
        if not atoms or any(self.start[a] is not _UNKNOWN for a in atoms):
            return ()
        groups = plan.answer_groups.get(path)
        if groups is None:
            groups = plan.answer_groups[path] = self._answer_groups(path, atoms)
        found = []
        for start, values in groups:
            reached: set[str] = set()
            for i in self.reachable:  # only a rule that can decide at all can decide with this answer
                if self.rules[i].class_ not in reached and (self._witnessed(i, start) or self.can_decide(i, start)):
                    reached.add(self.rules[i].class_)
            found.append((values, tuple(sorted(reached, key=lambda c: -rank[c]))))
        return tuple(found)

    def _answer_groups(self, path: str, atoms: tuple[str, ...]) -> list[tuple[dict[str, Truth], tuple[str, ...]]]:
        """The groups of answers to ``path`` that have outcomes (yes/no and choice questions; none for another
        kind of question or a derived value): the truths each gives its atoms, and the answers as text."""
        from kwaliteitskader.core.model.fields_table import SECTIONS

        section, _, name = path.partition(".")
        kind = "tri" if section == "harm_signals" else SECTIONS.get(section, {}).get(name, ("list",))[0]
        if kind not in ("tri", "str") or path in DERIVED:
            return []
        return [(dict(zip(atoms, sig, strict=True)), tuple(str(v) for v in values))
                for sig, values in self.plan.signatures(path)]


    def _witnessed(self, index: int, start: dict[str, Truth]) -> bool:
        """Whether a completion already found lets ``rules[index]`` decide with the answers ``start`` (open in
        the assessment): one that gave those atoms the same truths, or left them open. The search would find
        such a completion too: three-valued logic is monotone, so what decided the rule with an atom open still
        decides it whatever that atom becomes (and a question's applicability, once known, stays known). So
        this only saves searches; a completion not found before is searched for as always."""
        given = start.items()
        for witness in self._witnesses.get(index, ()):  # loops, not any(all(...)): the lists grow long
            for atom, truth in given:
                if witness.get(atom, truth) is not truth:
                    break
            else:
                return True
        return False


_Step = tuple[dict[str, Truth], dict[str, Truth], frozenset[tuple[str, Truth]]]
"""A state of the range search: every condition's truth, the answers assigned, and their items (the memo key)."""


def _notices(ev: _Evaluation, criteria: Criteria, class_: str) -> tuple[NoticeTrace, ...]:
    """The notices whose condition holds (unknown is not shown), for a verdict of class ``class_``."""
    found = []
    notices, order = ev.plan.notices_for(criteria, class_)
    ev.evaluate_all(order)  # their conditions in one pass, not one call per notice
    results = ev.results
    for notice in notices:
        if results.get(notice.when) is not _PASS:
            continue
        value = ""
        if notice.show_field:
            value = display(get_path(ev.assessment, notice.show_field)) if "." in notice.show_field else ""
        found.append(NoticeTrace(notice.id, notice.label, notice.explanation, notice.source, notice.design_choice, value))
    return tuple(found)


def _rule_trace(rule: Rule, result: Truth, decided: bool, conditions: tuple[ConditionTrace, ...]) -> RuleTrace:
    return RuleTrace(
        id=rule.id,
        label=rule.label,
        explanation=rule.explanation,
        class_=rule.class_,
        advice=rule.advice,
        result=result,
        decided=decided,
        source=rule.source,
        design_choice=rule.design_choice,
        conditions=conditions,
    )


# --- "Wat is er nodig?" ------------------------------------------------------------------------------

Flip = int
"""A set of atom changes as bits, so that the search's set operations are single integer operations (union
``|``, subset ``k & o == k``, size ``bit_count``; docs/performance.md).

With ``n`` atoms in id order, ``(atom i, want)`` is bit ``2n - 1 - (2i + want)``: the changes in sorted order
are the bits from the highest down, so of two sets of the same size the one whose sorted changes come first
is the larger number. Ordering by ``(size, -bits)`` is therefore ordering by ``(size, sorted changes)``."""
_MAX_ALTERNATIVES = 16
_NEED_CACHE_LIMIT = 50_000
_CHANGES_CACHE_LIMIT = 50_000
_PRODUCT_CACHE_LIMIT = 50_000


class _Bits:
    """The bit of every ``(atom, want)`` of a plan, and the masks the search needs."""

    def __init__(self, nodes: dict[str, _Node], conditions: dict[str, Condition]) -> None:
        atoms = sorted(cond_id for cond_id, node in nodes.items() if node.kind == _ATOM)
        self.atoms = atoms
        self.top = 2 * len(atoms) - 1
        self.index = {cond_id: i for i, cond_id in enumerate(atoms)}
        self.wanted = sum(1 << (self.top - 2 * i - 1) for i in range(len(atoms)))
        """The ``want=True`` bits: ``o & (o >> 1) & wanted`` is non-zero when ``o`` wants an atom both ways."""
        self.research = sum(1 << (self.top - 2 * i - want) for i, c in enumerate(atoms) for want in (0, 1)
                            if nodes[c].make[bool(want)][0] == "onderzoek")
        """The bits of the changes that need research (by the change model's actor)."""
        self._changes: dict[Flip, tuple[tuple[str, bool], ...]] = {}
        self.both_ways = [(c, self.bit(c, True) | self.bit(c, False)) for c in atoms]
        """Per atom: the bits of changing it either way."""
        self.products: dict[tuple[tuple[Flip, ...], tuple[Flip, ...]], list[Flip]] = {}
        """Kept by :func:`_joined`."""

    def bit(self, cond_id: str, want: bool) -> Flip:
        return 1 << (self.top - 2 * self.index[cond_id] - want)

    def changes(self, option: Flip) -> tuple[tuple[str, bool], ...]:
        """``(atom, want)`` for every bit, in sorted order (kept per set: the same few sets recur in every
        assessment's options)."""
        found = self._changes.get(option)
        if found is None:
            changes = []
            rest = option
            while rest:  # the highest bit first: the set bits only, not every position
                position = rest.bit_length() - 1
                rank = self.top - position
                changes.append((self.atoms[rank >> 1], bool(rank & 1)))
                rest ^= 1 << position
            if len(self._changes) >= _CHANGES_CACHE_LIMIT:
                self._changes.clear()
            found = self._changes[option] = tuple(changes)
        return found


def _minimal(bits: _Bits, options: Iterable[Flip]) -> list[Flip]:
    """Drop contradictory sets and supersets; keep the smallest few (smaller first, then by their sorted
    changes: see :data:`Flip`)."""
    kept: list[Flip] = []
    wanted = bits.wanted
    ordered = sorted(set(options), reverse=True)
    ordered.sort(key=int.bit_count)  # stable: by size, then by -option (no tuple per option, no Python-level key)
    for option in ordered:
        if option & (option >> 1) & wanted:
            continue
        for k in kept:  # a loop, not any(): this runs for every combination the search makes
            if k & option == k:
                break
        else:
            kept.append(option)
            if len(kept) >= _MAX_ALTERNATIVES:
                break
    return kept


def _product(bits: _Bits, groups: list[list[Flip]]) -> list[Flip]:
    """The smallest sets that take one set from every group (see :func:`_minimal`), joining the groups one at a
    time; each join is kept per plan (:func:`_joined`)."""
    combined: list[Flip] = [0]
    for group in groups:
        if not group:
            return []
        if group == [0]:
            continue  # already as wanted: combining with the empty change changes nothing
        # the first group with changes is the join itself: every group is a _minimal list already (_need's)
        combined = list(group) if combined == [0] else _joined(bits, combined, group)
    return combined


def _joined(bits: _Bits, combined: list[Flip], group: list[Flip]) -> list[Flip]:
    """``_minimal`` of every union of a set of ``combined`` with one of ``group``, kept per plan.

    The groups are the options of single conditions, of which few variants occur (:func:`_need` keeps them per
    truth of their atoms), and so are the joins of the first few: an assessment's options and the options of a
    condition with many parts are mostly joins seen before (measured: nine in ten)."""
    key = (tuple(combined), tuple(group))
    found = bits.products.get(key)
    if found is None:
        if len(bits.products) >= _PRODUCT_CACHE_LIMIT:
            bits.products.clear()
        found = bits.products[key] = _minimal(bits, [a | b for a in combined for b in group])
    return list(found)


def _product_uncached(bits: _Bits, groups: list[list[Flip]]) -> list[Flip]:
    """:func:`_product` without the joins kept (the tests compare the two)."""
    combined: list[Flip] = [0]
    for group in groups:
        if not group:
            return []
        if group == [0]:
            continue
        combined = _minimal(bits, [a | b for a in combined for b in group])
    return combined


def _need(ev: _Evaluation, cond_id: str, want: bool) -> list[Flip]:
    """Smallest sets of atom changes that make ``cond_id`` pass (want=True) or fail (want=False).

    The answer depends only on the truth of the atoms ``cond_id`` is built from, and few combinations of
    those occur, so it is kept per combination for all assessments judged under the same plan (a
    portfolio, a folder), not only within this one evaluation."""
    key = (cond_id, want)
    found = ev._needs.get(key)
    if found is not None:
        return found
    shared = (cond_id, want, ev.plan.atom_truths[cond_id](ev.results))
    found = ev.plan.needs.get(shared)
    if found is None:
        found = _need_uncached(ev, cond_id, want)
        if len(ev.plan.needs) >= _NEED_CACHE_LIMIT:
            ev.plan.needs.clear()
        ev.plan.needs[shared] = found
    ev._needs[key] = found
    return found


def _need_uncached(ev: _Evaluation, cond_id: str, want: bool) -> list[Flip]:
    current = ev.truth(cond_id)
    if current is (_PASS if want else _FAIL):
        return [0]
    node = ev.nodes[cond_id]
    if node.kind == _ATOM:
        if node.settings_field:
            return []  # a setting is the criteria's choice, not the municipality's
        if current is not _UNKNOWN and not node.make[want][2]:
            return []  # a change the criteria never offer (undo research, drop monitoring, re-answer harm)
        return [ev.plan.bits.bit(cond_id, want)]
    if node.kind == _NOT:
        return _need(ev, node.children[0] if node.children else "", not want)
    conjunctive = (node.kind == _ALL) == want
    if conjunctive:
        return _product(ev.plan.bits, [_need(ev, child, want) for child in node.children])
    return _minimal(ev.plan.bits, [o for child in node.children for o in _need(ev, child, want)])


_OPTIONS_PER_CLASS = 4


def _next_steps(ev: _Evaluation, rules: list[Rule], target: str) -> list[NextStep]:
    """The best few smallest sets of changes that let a rule of class ``target`` decide.

    Every earlier rule of a lower class must fail. An option that would in fact land in a higher class
    (the changes also satisfy an earlier, higher rule) is left to that class."""
    found, kept, _research = _options(ev, rules, target, _OPTIONS_PER_CLASS)
    bits = ev.plan.bits
    return [NextStep(target, found[o], tuple([_change(ev, c, w) for c, w in bits.changes(o)])) for o in kept]


def _is_near(ev: _Evaluation, rules: list[Rule], target: str) -> bool:
    """Whether the first option of ``_next_steps(ev, rules, target)`` has at most ``near_steps`` changes
    and none that needs research (one change per bit; a change needs research when its bit is in the
    research mask), without the other options or their changes.

    Options are ordered by research first, then size, so the first one is near exactly when some option
    (that does not land higher) is. Every option of a rule joins one of its own changes with one of every
    earlier, lower rule's: when one of those has none that is near itself, no option of the rule is, and
    when that holds for every rule of the class the answer is no without combining anything."""
    near_steps, research = ev.criteria.header.near_steps, _research(ev)
    rank = ev.criteria.class_rank

    def some_near(options: list[Flip]) -> bool:
        return any(not option & research and option.bit_count() <= near_steps for option in options)

    lower_near, possible = True, False
    for rule in rules:
        if rule.class_ == target:
            possible = possible or (lower_near and some_near(_need(ev, rule.when, True) if rule.when else [0]))
        elif rank[rule.class_] < rank[target] and rule.when:
            lower_near = lower_near and some_near(_need(ev, rule.when, False))
    if not possible:
        return False
    _found, kept, research = _options(ev, rules, target, 1)
    return bool(kept) and kept[0].bit_count() <= near_steps and not kept[0] & research


def _research(ev: _Evaluation) -> Flip:
    """The bits of the changes that need research: by the change model, except answers still open (those are
    a step of their own, *Beantwoord*). Worked out once per evaluation (every rule's truth is known by then)."""
    if ev.research is not None:
        return ev.research
    ev.research = _research_bits(ev)
    return ev.research


def _research_bits(ev: _Evaluation) -> Flip:
    bits, results = ev.plan.bits, ev.results
    open_bits = 0
    for atom, both in bits.both_ways:
        if results.get(atom) is _UNKNOWN:
            open_bits |= both
    return bits.research & ~open_bits


def _options(ev: _Evaluation, rules: list[Rule], target: str, limit: int) -> tuple[dict[Flip, str], list[Flip], Flip]:
    """For :func:`_next_steps`: every option with the rule it lets decide, the best ``limit`` of them in
    order, and the bits of the changes that need research.

    Kept per evaluation and target, and taken further when more are asked for: the near advice asks for the
    first option while judging, the steps shown ask for four (the first ones of a longer run are the same)."""
    found = ev.options.get(target)
    if found is None:
        found = ev.options[target] = _Options(ev, rules, target)
    return found.options, found.best(ev, rules, limit), found.research


@dataclass(frozen=True)
class _Course:
    """What the options for one target class read of the rules (the same for every evaluation of a plan)."""

    steps: tuple[tuple[str | None, str | None], ...]
    """Up to the last rule of the class, in order: ``(condition, rule id)`` of a rule of the class, and
    ``(condition, None)`` of a lower rule with a condition (a lower rule after the last rule of the class stands
    in no option's way)."""
    higher: list[str]
    """The conditions of the higher rules."""
    higher_mask: Flip
    """The bits of every change to a comparison of :attr:`higher`."""


def _course(ev: _Evaluation, rules: list[Rule], target: str) -> _Course:
    """The :class:`_Course` to ``target``, kept per plan."""
    found = ev.plan.courses.get(target)
    if found is None:
        rank = ev.criteria.class_rank
        last = max((i for i, rule in enumerate(rules) if rule.class_ == target), default=-1)
        steps = tuple((rule.when, rule.id if rule.class_ == target else None) for rule in rules[:last + 1]
                      if rule.class_ == target or (rank[rule.class_] < rank[target] and rule.when))
        higher = [r.when for r in rules if rank[r.class_] > rank[target] and r.when]
        found = ev.plan.courses[target] = _Course(steps, higher, ev.plan.mask(higher))
    return found


class _Options:
    """The options for one target class of one evaluation, and the best of them so far (see :func:`_options`).
    Kept by the evaluation, so it holds no reference back to it (no cycle for the collector to find)."""

    def __init__(self, ev: _Evaluation, rules: list[Rule], target: str) -> None:
        rank = ev.criteria.class_rank
        bits = ev.plan.bits
        course = _course(ev, rules, target)
        self.target, self.rank = target, rank
        found: dict[Flip, str] = {}
        lower = [0]  # the ways to make every earlier, lower rule fail
        for when, rule_id in course.steps:
            if not lower:
                break  # some earlier, lower rule cannot be made to fail: no rule after it has an option
            if rule_id is not None:
                own = _need(ev, when, True) if when else [0]
                for option in own if lower == [0] else _product(bits, [lower, own]):
                    if option:
                        found.setdefault(option, rule_id)
            elif when:
                lower = _product(bits, [lower, _need(ev, when, False)])  # shared by the rules that follow
        self.options = found
        self.kept: list[Flip] = []
        self.ordered: list[Flip] = []
        self.next = 0
        """How far :attr:`ordered` has been gone through."""
        self.research: Flip = 0
        # an option can only land in a higher class through a higher rule that is not known to fail, or through
        # the comparisons of one: options touching neither need no check
        self.higher = higher = course.higher
        self.reach_higher: Flip | None = 0
        if not found:
            return
        self.research = research = _research(ev)
        self.reach_higher = None if any(ev.results.get(w) is not _FAIL for w in higher) else course.higher_mask
        self.ordered = sorted(found, key=lambda o: ((o & research).bit_count(), o.bit_count(), -o))

    def best(self, ev: _Evaluation, rules: list[Rule], limit: int) -> list[Flip]:
        """The first ``limit`` options in order that are no superset of an earlier one and do not land higher."""
        kept, ordered, rank, target = self.kept, self.ordered, self.rank, self.target
        higher, reach_higher = self.higher, self.reach_higher
        while len(kept) < limit and self.next < len(ordered):
            option = ordered[self.next]
            self.next += 1
            for k in kept:  # a loop, not any(): no generator for every option looked at
                if k & option == k:
                    break
            else:
                landed = None if not higher or (reach_higher is not None and not option & reach_higher) else (
                    _lands_in(ev, rules, option))
                if landed is None or rank[landed] <= rank[target]:
                    kept.append(option)
        return kept[:limit]


def _lands_in(ev: _Evaluation, rules: list[Rule], option: Flip) -> str | None:
    """The class an option leads to when it is certain (three-valued, other open answers left open)."""
    plan = ev.plan
    truths = {atom: (_PASS if want else _FAIL) for atom, want in plan.bits.changes(option)}
    results = ev.results
    res = plan.kleene(lambda a: truths.get(a) or results.get(a, _UNKNOWN))
    for rule in rules:
        result = res.get(rule.when, _UNKNOWN) if rule.when else _PASS
        if result is _PASS:
            return rule.class_
        if result is _UNKNOWN:
            return None
    return None


def _change(ev: _Evaluation, cond_id: str, want: bool) -> Change:
    """The change as shown; made once per plan for each condition, direction and answer state (immutable), and
    looked up once per evaluation (the options of every class share their changes)."""
    found = ev.changes.get((cond_id, want))
    if found is None:
        found = ev.changes[cond_id, want] = _shared_change(ev, cond_id, want)
    return found


def _shared_change(ev: _Evaluation, cond_id: str, want: bool) -> Change:
    answer = ev.truth(cond_id) is _UNKNOWN
    fields = tuple(dict.fromkeys(ev.unknown_fields(cond_id))) if answer else ev.nodes[cond_id].fields
    key = (cond_id, want, answer, fields)
    change = ev.plan.changes.get(key)
    if change is None:
        change = ev.plan.changes[key] = _make_change(ev.nodes[cond_id], want, answer, fields)
    return change


def _make_change(node: _Node, want: bool, answer: bool, fields: tuple[str, ...]) -> Change:
    actor, remedy, _offered = node.make[want]
    return Change(
        condition=node.id,
        label=node.cond.label,
        want=want,
        kind="beantwoord" if answer else ACTOR_KINDS.get(actor, "actie"),
        actor="gemeente" if answer else actor,
        remedy=remedy,
        fields=fields,
        answer=answer,
    )
