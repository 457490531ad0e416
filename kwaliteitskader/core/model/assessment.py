"""The assessment: everything a municipality records about one intervention (the questions in ``vragen.toml``).

Field names are English code identifiers; the values they hold are the framework's Dutch ids from the
criteria catalogues. Wherever a person may not know an answer the model says so explicitly:
a three-valued answer is ``onbekend``, a catalogue choice is ``"onbekend"``, a number or a list is
``None``. The engine never treats an unknown as "no" (*onbepaald*).

``json_schema_extra={"catalogue": ...}`` ties a field to the criteria catalogue its values come from;
criteria validation uses it to check that rules only compare fields with values that exist.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kwaliteitskader.core.model.values import UNKNOWN, Tri, get_path, is_unknown

__all__ = [
    "SCHEMA_VERSION", "UNKNOWN", "Assessment", "FieldInfo", "FieldKind", "Tri", "answer_fields", "get_path",
    "is_unknown", "set_path",
]

SCHEMA_VERSION = 2
"""Version of the saved-assessment layout. Older files are migrated on load (see core/io/assessments.py)."""

def _catalogue(name: str, **extra: Any) -> dict[str, Any]:
    return {"catalogue": name, **extra}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Meta(_Section):
    """Who assessed, when, and against which criteria (a design choice of this program)."""

    assessor: str = ""
    assessed_on: dt.date | None = None
    valid_until: dt.date | None = None
    criteria_version: str = ""
    criteria_digest: str = ""


class Intervention(_Section):
    """What the intervention is, who runs it, where."""

    name: str = ""
    provider: str = ""
    municipality: str = ""
    description: str = ""
    manual: Tri = Tri.ONBEKEND
    databank_entry: str = ""


class TargetGroup(_Section):
    """Who takes part: ages, prevention tier, risk level, selection, special needs (responsivity)."""

    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    prevention_tier: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("prevention_tiers"))
    risk_level: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("risk_levels"))
    selection: str = ""
    special_needs: list[str] | None = Field(default=None, json_schema_extra=_catalogue("special_needs"))


class ProblemAnalysis(_Section):
    """The local problem analysis: which risk factors are high, and which protective factors are weak, locally."""

    local_risk_factors: list[str] | None = Field(
        default=None, json_schema_extra=_catalogue("risk_factors")
    )
    local_protective_factors: list[str] | None = Field(
        default=None, json_schema_extra=_catalogue("protective_factors")
    )


class Factors(_Section):
    """Risk and protective factors, active ingredients, and where each ingredient is actually delivered.

    The life domains the intervention works in are derived from these by the engine: an ingredient counts
    in the domains it is recorded as delivered in (``ingredient_domains``, pairs ``ingredient@domain``), or
    in its only possible domain."""

    risk_factors: list[str] | None = Field(default=None, json_schema_extra=_catalogue("risk_factors"))
    protective_factors: list[str] | None = Field(
        default=None, json_schema_extra=_catalogue("protective_factors")
    )
    active_ingredients: list[str] | None = Field(
        default=None, json_schema_extra=_catalogue("active_ingredients")
    )
    ingredient_domains: list[str] | None = Field(
        default=None, json_schema_extra=_catalogue("ingredient_domains")
    )


class Evidence(_Section):
    """Research and recognition. Practice-based knowledge is recorded but never counted as evidence."""

    recognition_level: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("recognition_levels"))
    recognition_status: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("recognition_statuses"))
    recognition_year: int | None = Field(default=None, ge=1990, le=2100)
    """The year of the (latest) recognition; a recognition is valid for five years."""
    refusal_reason: str = ""
    study_design: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("study_designs"))
    study_count: int | None = Field(default=None, ge=0, le=1000)
    outcome: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("outcomes"))
    follow_up_months: int | None = Field(default=None, ge=0, le=600)
    effect_direction: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("effect_directions"))
    independent_replication: Tri = Tri.ONBEKEND
    same_target_group: Tri = Tri.ONBEKEND
    same_risk_level: Tri = Tri.ONBEKEND
    credible_adjustment: Tri = Tri.ONBEKEND
    proven_alternative: Tri = Tri.ONBEKEND
    """Whether a proven effective intervention exists for the same problem and target group."""
    practice_knowledge: str = ""
    experiential_knowledge: str = ""


class Delivery(_Section):
    """Delivery: programme integrity, intensity (the risk principle) and monitoring."""

    trained_staff: Tri = Tri.ONBEKEND
    supervision: Tri = Tri.ONBEKEND
    fidelity_monitoring: Tri = Tri.ONBEKEND
    dose_registration: Tri = Tri.ONBEKEND
    intensity: str = Field(default=UNKNOWN, json_schema_extra=_catalogue("intensity_levels"))
    intensity_matches_risk: Tri = Tri.ONBEKEND
    monitoring_plan: Tri = Tri.ONBEKEND


class Participation(_Section):
    """Youth participation and cost: reported apart from the verdict, never read by a rule."""

    youth_participation: Tri = Tri.ONBEKEND
    cost_per_participant: float | None = Field(default=None, ge=0)
    notes: str = ""


class Assessment(_Section):
    """One saved assessment. Sections appear in the order of the wizard's steps."""

    schema_version: int = SCHEMA_VERSION
    meta: Meta = Field(default_factory=Meta)
    intervention: Intervention = Field(default_factory=Intervention)
    target_group: TargetGroup = Field(default_factory=TargetGroup)
    problem_analysis: ProblemAnalysis = Field(default_factory=ProblemAnalysis)
    factors: Factors = Field(default_factory=Factors)
    evidence: Evidence = Field(default_factory=Evidence)
    delivery: Delivery = Field(default_factory=Delivery)
    harm_signals: dict[str, Tri] = Field(
        default_factory=dict, json_schema_extra=_catalogue("harm_signals")
    )
    participation: Participation = Field(default_factory=Participation)


# --- field introspection -------------------------------------------------------------------------


class FieldKind(StrEnum):
    TRI = "tri"
    CHOICE = "choice"  # one id from a catalogue, or "onbekend"
    MULTI = "multi"  # a list of ids from a catalogue, or None
    INT = "int"
    FLOAT = "float"
    TEXT = "text"
    DATE = "date"


class FieldInfo(BaseModel):
    """What the engine, validator and wizard need to know about one answerable field."""

    model_config = ConfigDict(frozen=True)

    path: str
    kind: FieldKind
    catalogue: str | None = None


def _kind_of(annotation: Any, catalogue: str | None) -> FieldKind:
    text = str(annotation)
    if annotation is Tri:
        return FieldKind.TRI
    if "list" in text:
        return FieldKind.MULTI
    if annotation is str or text == "str":
        return FieldKind.CHOICE if catalogue else FieldKind.TEXT
    if "date" in text:
        return FieldKind.DATE
    if "float" in text:
        return FieldKind.FLOAT
    if "int" in text:
        return FieldKind.INT
    raise TypeError(f"unsupported field type {annotation!r}")


def answer_fields() -> dict[str, FieldInfo]:
    """Every answerable leaf field of an assessment by dotted path (``harm_signals`` apart)."""
    return dict(_answer_fields())  # a fresh dict each time; the FieldInfo values are frozen, so shared


@cache
def _answer_fields() -> dict[str, FieldInfo]:
    """Worked out once: validate calls :func:`answer_fields` for every file."""
    fields: dict[str, FieldInfo] = {}
    for section_name, section in Assessment.model_fields.items():
        model = section.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            catalogue = extra.get("catalogue")
            path = f"{section_name}.{name}"
            fields[path] = FieldInfo(
                path=path,
                kind=_kind_of(info.annotation, catalogue if isinstance(catalogue, str) else None),
                catalogue=catalogue if isinstance(catalogue, str) else None,
            )
    return fields


def set_path(assessment: Assessment, path: str, value: Any) -> Assessment:
    """Return a copy of the assessment with one answer changed (the original is not touched)."""
    section, _, name = path.partition(".")
    if section == "harm_signals":
        signals = dict(assessment.harm_signals)
        signals[name] = Tri(value)
        return assessment.model_copy(update={"harm_signals": signals})
    part = getattr(assessment, section)
    new_part = part.model_validate({**part.model_dump(), name: value})
    return assessment.model_copy(update={section: new_part})

