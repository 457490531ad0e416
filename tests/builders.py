"""Small assessments built in code for the criteria tests: one programme that meets every requirement for
kansrijk (under 2024.2 and 2024.3), changed per test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kwaliteitskader.core.model.assessment import Assessment


def build(**changes: Any) -> Assessment:
    """A small selective programme that meets every requirement for kansrijk in 2024.2 and 2024.3, monitored;
    ``section__field=value`` changes an answer (``build(evidence__study_design="rct")``)."""
    data: dict[str, Any] = {
        "meta": {"assessed_on": dt.date(2025, 6, 1)},
        "intervention": {"name": "Proef", "manual": "ja"},
        "target_group": {"age_min": 12, "age_max": 16, "prevention_tier": "selectief", "risk_level": "gemiddeld",
                         "special_needs": []},
        "problem_analysis": {"local_risk_factors": ["weinig_toezicht"], "local_protective_factors": []},
        "factors": {"risk_factors": ["weinig_toezicht"], "protective_factors": ["ouderlijke_betrokkenheid"],
                    "active_ingredients": ["oudertraining", "gedragsmodellering"], "ingredient_domains": []},
        "evidence": {"recognition_level": "geen_erkenning", "study_design": "geen_onderzoek", "outcome": "onbekend",
                     "effect_direction": "onbekend", "recognition_status": "niet_aangevraagd",
                     "proven_alternative": "nee"},
        "delivery": {"trained_staff": "ja", "supervision": "ja", "fidelity_monitoring": "ja", "dose_registration": "ja",
                     "intensity": "gemiddeld", "intensity_matches_risk": "ja", "monitoring_plan": "ja"},
        "harm_signals": {"universele_voorlichting": "nee", "samenbrengen_risicojongeren": "nee", "afschrikking": "nee",
                         "dwingend_groepsregime": "nee"},
    }
    for path, value in changes.items():
        section, _, name = path.partition("__")
        data.setdefault(section, {})[name] = value
    return Assessment.model_validate(data)
