"""The criteria document: the pydantic models of a criteria set's TOML tables, and where each table was written.

A criteria set is a folder of TOML files (``criteria/<version>/``). Each top-level table lives in
exactly one file; together they form one document validated by these models, then checked for
meaning by :mod:`kwaliteitskader.core.rules.checks`. Nothing in a file is ever evaluated as Python."""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.locate import LineIndex, dotted
from kwaliteitskader.core.model.values import ConditionShape

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(_Strict):
    """A text in both languages; both are required."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


REFERENCE_KINDS = ("kader", "kamerbrief", "regeling", "erkenningssysteem", "literatuur", "rapport")
ReferenceKind = Literal["kader", "kamerbrief", "regeling", "erkenningssysteem", "literatuur", "rapport"]


class Reference(_Strict):
    """One document a criteria set rests on (``bronnen.toml``): what a user can look up."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: ReferenceKind
    citation: str = Field(min_length=1)
    """The full citation: authors, year, title, where published."""
    identifier: str = ""
    """A DOI or an official number (Kamerstuk, Staatscourant, …)."""
    url: str = ""


class Citation(_Strict):
    """Where an item comes from: a reference key, optionally with a place in it and a short exact quote."""

    ref: str = Field(min_length=1)
    at: str | None = None
    quote: str | None = None


def _citations(value: Any) -> Any:
    """``source`` may be written as one key, a list of keys, or a list of ``{ref, at, quote}`` tables."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [{"ref": item} if isinstance(item, str) else item for item in value]
    return value


Source = Annotated[
    list[Citation],
    BeforeValidator(_citations, json_schema_input_type=str | list[str | Citation]),
    Field(min_length=1),
]
"""Every item cites at least one reference (checked against the criteria set's reference list)."""


class Item(_Strict):
    """Common to every catalogue entry: an id, labels, an explanation and where it comes from."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    explanation: Text
    source: Source
    design_choice: bool = False
    """True when the entry is our own design decision ("[eigen keuze]"), not the framework's."""
    design_reason: Text | None = None
    """Why we chose so, in one line; required when ``design_choice`` is true (shown as the program's choice)."""


class Domain(Item):
    pass


class RiskFactor(Item):
    domain: str
    dynamic: bool


class ProtectiveFactor(Item):
    domain: str


class ActiveIngredient(Item):
    domains: list[str] = Field(min_length=1)
    """The life domains this ingredient can be delivered in; an assessment records where it actually is."""
    counts: bool = True
    """Whether the rules count it as an active ingredient (``derived.counted_ingredients``); false for
    practice knowledge, which is recorded and shown but never counted (``derived.uncounted_ingredients``)."""


class Choice(Item):
    """An option of a single-choice question (prevention tier, risk level, evidence level, …)."""

    rank: int | None = None


class StudyDesign(Item):
    controlled: bool


class HarmSignal(Item):
    question: Text


class ClassDef(Item):
    rank: int
    colour: str = "default"


class Setting(Item):
    value: bool | int


class Step(Item):
    pass


class Question(_Strict):
    """The wizard's question for one assessment field; the wizard shows nothing not written here."""

    field: str
    step: str
    label: Text
    help: Text
    source: Source
    design_choice: bool = False
    design_reason: Text | None = None
    applies_when: str | None = None
    """A condition id: the question only applies when that condition is not known to fail. A question that
    does not apply is hidden in the wizard, never counted as missing, shown as *n.v.t.*, and an answer to it
    in a file is kept but not read by the rules."""


Actor = Literal["gemeente", "aanbieder", "onderzoek", "niet_wijzigbaar"]


class ChangeModel(_Strict):
    """One direction of change of a condition: who acts, what to do, and whether it is ever offered.

    ``niet_wijzigbaar`` (a fact about research that has been done) is never offered; ``offered = false``
    keeps a change that is possible but never advised (removing monitoring or any other quality feature)."""

    actor: Actor
    remedy: Text | None = None
    """The action in plain words, as the municipality reads it (required when the change is offered)."""
    offered: bool = True
    reason: Text | None = None
    """Why the change is not offered (shown where no way up is left)."""
    requires: str | None = None
    """A condition id, the step's precondition: the change is offered as written only where that condition
    holds for the assessment. Where it fails or is still open, ``otherwise`` is the change instead (its own
    ``requires`` read the same way); without ``otherwise`` the change is not offered there."""
    otherwise: ChangeModel | None = None


Op = Literal["eq", "ne", "in", "not_in", "contains", "ge", "gt", "le", "lt"]


class Condition(_Strict, ConditionShape):
    """One named condition: a comparison (``field``/``count``) or a combination (``all``/``any``/``not``)."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    source: Source
    design_choice: bool = False
    design_reason: Text | None = None
    field: str | None = None
    count: str | None = None
    years_since: str | None = None
    """A year answer: the comparison reads the whole years from it to the year of ``meta.assessed_on``."""
    op: Op | None = None
    value: bool | int | str | list[str] | None = None
    setting: str | None = None
    all: list[str] | None = None
    any: list[str] | None = None
    not_: str | None = Field(default=None, alias="not")
    make_true: ChangeModel | None = None
    """How the condition can be made to hold ("Wat is er nodig?")."""
    make_false: ChangeModel | None = None
    """How the condition can be made not to hold; required where a rule needs it false (checked)."""
    remedy: Text | None = None
    """Legacy shorthand for ``make_true`` (criteria sets before 2024.2): the remedy text, actor from ``remedy_kind``."""
    remedy_kind: Literal["nu", "onderzoek"] = "nu"


class Rule(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    class_: str = Field(alias="class")
    advice: str
    advice_if_near: str | None = None
    """Advice instead of ``advice`` when "Wat is er nodig?" finds a way up within ``near_steps`` changes."""
    when: str | None = None
    """The condition that decides this rule; a rule without one is the fallback and must come last."""
    label: Text
    explanation: Text
    source: Source
    design_choice: bool = False
    design_reason: Text | None = None


class Notice(_Strict):
    """A remark shown with the verdict when its condition holds; it never changes the class or the advice."""

    id: str = Field(pattern=ID_PATTERN)
    when: str
    classes: list[str] | None = None
    """Only shown with a verdict of one of these classes (all classes when absent)."""
    label: Text
    explanation: Text
    show_field: str | None = None
    """An answer shown with the notice (for example the reason a recognition was refused)."""
    inconsistent_fields: list[str] | None = Field(default=None, min_length=1)
    """The answers that contradict each other when the condition holds: ``validate`` then reports the
    assessment (an error, at the first of these answers), besides the notice shown with the verdict."""
    source: Source
    design_choice: bool = False
    design_reason: Text | None = None


class Header(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str = Field(min_length=1)
    date: dt.date
    title: Text
    explanation: Text
    source: Source
    design_choice: bool = False
    design_reason: Text | None = None
    near_steps: int = Field(default=2, ge=0, le=10)
    validity_months: int = Field(default=24, ge=1, le=120)


class CriteriaDocument(_Strict):
    """All top-level tables of a criteria set, as merged from its files."""

    criteria: Header
    references: list[Reference] = Field(min_length=1)
    settings: list[Setting] = Field(default_factory=list)
    classes: list[ClassDef] = Field(min_length=1)
    advice: list[Item] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)
    risk_factors: list[RiskFactor] = Field(min_length=1)
    protective_factors: list[ProtectiveFactor] = Field(default_factory=list)
    active_ingredients: list[ActiveIngredient] = Field(default_factory=list)
    prevention_tiers: list[Choice] = Field(default_factory=list)
    risk_levels: list[Choice] = Field(default_factory=list)
    intensity_levels: list[Choice] = Field(default_factory=list)
    special_needs: list[Choice] = Field(default_factory=list)
    recognition_levels: list[Choice] = Field(default_factory=list)
    recognition_statuses: list[Choice] = Field(default_factory=list)
    study_designs: list[StudyDesign] = Field(default_factory=list)
    outcomes: list[Choice] = Field(default_factory=list)
    effect_directions: list[Choice] = Field(default_factory=list)
    harm_signals: list[HarmSignal] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)
    notices: list[Notice] = Field(default_factory=list)


@dataclass
class SourceMap:
    """Where each top-level table of a criteria set was written: file and line index."""

    files: dict[str, Path] = field(default_factory=dict)
    indexes: dict[Path, LineIndex] = field(default_factory=dict)

    def locate(self, path: tuple[str | int, ...]) -> tuple[str, int | None]:
        if not path or str(path[0]) not in self.files:
            first = next(iter(self.indexes), None)
            return (str(first) if first else "?", None)
        file = self.files[str(path[0])]
        return str(file), self.indexes[file].line(path)

    def locate_value(self, path: tuple[str | int, ...], value: str) -> tuple[str, int | None]:
        """Prefer the line that holds ``value`` inside ``path`` (an element of a multi-line array)."""
        file, line = self.locate(path)
        if path and str(path[0]) in self.files:
            index = self.indexes[self.files[str(path[0])]]
            found = index.find_value(path, value)
            if found:
                return file, found
        return file, line

    def finding(self, path: tuple[str | int, ...], message: str, code: str, value: str | None = None) -> Finding:
        file, line = self.locate_value(path, value) if value is not None else self.locate(path)
        return Finding(file=file, line=line, key=dotted(path), message=message, code=code)

