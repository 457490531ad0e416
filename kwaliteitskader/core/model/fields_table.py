"""Facts about the assessment model for the pydantic-free fast path. GENERATED — do not edit.

Made from the pydantic models (core/model/assessment.py) by ``python -m kwaliteitskader.core.model.fields``;
tests/perf/test_fastpath.py fails when this file is out of date.
"""

from __future__ import annotations

from typing import Any

from kwaliteitskader.core.model.values import Tri

SCHEMA_VERSION = 2
"""Version of the saved-assessment layout (models: ``assessment.SCHEMA_VERSION``)."""

SECTION_ORDER: tuple[str, ...] = (
    "schema_version",
    "meta",
    "intervention",
    "target_group",
    "problem_analysis",
    "factors",
    "evidence",
    "delivery",
    "harm_signals",
    "participation",
)
"""The top-level keys of an assessment, in model order."""

SECTIONS: dict[str, dict[str, tuple[str, Any, float | None, float | None]]] = {
    "meta": {
        "assessor": ("str", "", None, None),
        "assessed_on": ("date", None, None, None),
        "valid_until": ("date", None, None, None),
        "criteria_version": ("str", "", None, None),
        "criteria_digest": ("str", "", None, None),
    },
    "intervention": {
        "name": ("str", "", None, None),
        "provider": ("str", "", None, None),
        "municipality": ("str", "", None, None),
        "description": ("str", "", None, None),
        "manual": ("tri", Tri.ONBEKEND, None, None),
        "databank_entry": ("str", "", None, None),
    },
    "target_group": {
        "age_min": ("int", None, 0, 120),
        "age_max": ("int", None, 0, 120),
        "prevention_tier": ("str", "onbekend", None, None),
        "risk_level": ("str", "onbekend", None, None),
        "selection": ("str", "", None, None),
        "special_needs": ("list", None, None, None),
    },
    "problem_analysis": {
        "local_risk_factors": ("list", None, None, None),
        "local_protective_factors": ("list", None, None, None),
    },
    "factors": {
        "risk_factors": ("list", None, None, None),
        "protective_factors": ("list", None, None, None),
        "active_ingredients": ("list", None, None, None),
        "ingredient_domains": ("list", None, None, None),
    },
    "evidence": {
        "recognition_level": ("str", "onbekend", None, None),
        "recognition_status": ("str", "onbekend", None, None),
        "recognition_year": ("int", None, 1990, 2100),
        "refusal_reason": ("str", "", None, None),
        "study_design": ("str", "onbekend", None, None),
        "study_count": ("int", None, 0, 1000),
        "outcome": ("str", "onbekend", None, None),
        "follow_up_months": ("int", None, 0, 600),
        "effect_direction": ("str", "onbekend", None, None),
        "independent_replication": ("tri", Tri.ONBEKEND, None, None),
        "same_target_group": ("tri", Tri.ONBEKEND, None, None),
        "same_risk_level": ("tri", Tri.ONBEKEND, None, None),
        "credible_adjustment": ("tri", Tri.ONBEKEND, None, None),
        "proven_alternative": ("tri", Tri.ONBEKEND, None, None),
        "practice_knowledge": ("str", "", None, None),
        "experiential_knowledge": ("str", "", None, None),
    },
    "delivery": {
        "trained_staff": ("tri", Tri.ONBEKEND, None, None),
        "supervision": ("tri", Tri.ONBEKEND, None, None),
        "fidelity_monitoring": ("tri", Tri.ONBEKEND, None, None),
        "dose_registration": ("tri", Tri.ONBEKEND, None, None),
        "intensity": ("str", "onbekend", None, None),
        "intensity_matches_risk": ("tri", Tri.ONBEKEND, None, None),
        "monitoring_plan": ("tri", Tri.ONBEKEND, None, None),
    },
    "participation": {
        "youth_participation": ("tri", Tri.ONBEKEND, None, None),
        "cost_per_participant": ("float", None, 0, None),
        "notes": ("str", "", None, None),
    },
}
"""(kind, default, minimum, maximum) per field of each section (``harm_signals`` apart)."""

CATALOGUE_FIELDS: dict[str, str] = {
    "target_group.prevention_tier": "prevention_tiers",
    "target_group.risk_level": "risk_levels",
    "target_group.special_needs": "special_needs",
    "problem_analysis.local_risk_factors": "risk_factors",
    "problem_analysis.local_protective_factors": "protective_factors",
    "factors.risk_factors": "risk_factors",
    "factors.protective_factors": "protective_factors",
    "factors.active_ingredients": "active_ingredients",
    "factors.ingredient_domains": "ingredient_domains",
    "evidence.recognition_level": "recognition_levels",
    "evidence.recognition_status": "recognition_statuses",
    "evidence.study_design": "study_designs",
    "evidence.outcome": "outcomes",
    "evidence.effect_direction": "effect_directions",
    "delivery.intensity": "intensity_levels",
}
"""The answers that hold ids from a criteria catalogue, in form order: path → catalogue."""
