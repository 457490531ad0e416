"""Deterministic synthetic assessments with a realistic spread of classes.

Every value comes from the bundled criteria catalogues, so the files are valid; the answers follow a few
profiles (proven, promising, harmful, weak, half-filled in) with random variation, so that all three
classes and provisional (*onbepaald*) verdicts occur. Same seed, same files.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path
from typing import Any

from kwaliteitskader.core.io.assessments import dump_assessment
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.model.assessment import Assessment
from kwaliteitskader.core.model.criteria_set import Criteria

SEED = 20240101
TRI = ("ja", "nee", "onbekend")
PROFILES = ("bewezen", "kansrijk", "schadelijk", "zwak", "half")
WEIGHTS = (2, 3, 1, 2, 2)


def _ids(criteria: Criteria, catalogue: str) -> list[str]:
    return list(criteria.catalogues[catalogue])


def _tri(rng: random.Random, p_yes: float, p_unknown: float = 0.05) -> str:
    roll = rng.random()
    if roll < p_unknown:
        return "onbekend"
    return "ja" if roll < p_unknown + p_yes * (1 - p_unknown) else "nee"


def _some(rng: random.Random, ids: list[str], low: int, high: int) -> list[str]:
    return sorted(rng.sample(ids, min(len(ids), rng.randint(low, high))), key=ids.index)


def make_assessment(rng: random.Random, criteria: Criteria, n: int) -> dict[str, Any]:
    profile = rng.choices(PROFILES, WEIGHTS)[0]
    risk = _ids(criteria, "risk_factors")
    targeted = _some(rng, risk, 1, 5)
    strong = profile == "bewezen"
    promising = profile in ("bewezen", "kansrijk")
    overlap = rng.randint(1 if promising else 0, len(targeted))
    local = sorted(set(targeted[:overlap]) | set(_some(rng, risk, 0, 3)), key=risk.index)
    design = {
        "bewezen": rng.choice(["quasi_experimenteel", "rct", "meerdere_rcts"]),
        "kansrijk": rng.choice(["beschrijvend", "voor_en_nameting", "quasi_experimenteel"]),
        "schadelijk": rng.choice(["quasi_experimenteel", "rct", "beschrijvend"]),
        "zwak": rng.choice(["geen_onderzoek", "beschrijvend", "voor_en_nameting", "rct"]),
        "half": rng.choice(["onbekend", "beschrijvend", "rct"]),
    }[profile]
    level = {
        "bewezen": rng.choice(["goede_aanwijzingen", "sterke_aanwijzingen"]),
        "kansrijk": rng.choice(["goed_beschreven", "goed_onderbouwd", "eerste_aanwijzingen"]),
    }.get(profile, rng.choice(["onbekend", *_ids(criteria, "recognition_levels")]))
    direction = {
        "bewezen": "positief",
        "schadelijk": rng.choice(["negatief", "positief"]),
        "zwak": rng.choice(["geen", "positief"]),
    }.get(profile, rng.choice(["positief", "onbekend", "geen"]))
    p_unknown = 0.35 if profile == "half" else 0.04
    data: dict[str, Any] = {
        "meta": {
            "assessor": f"Beoordelaar {n % 97}",
            "assessed_on": dt.date(2025, 1, 1) + dt.timedelta(days=n % 365),
            "criteria_version": criteria.version,
            "criteria_digest": criteria.digest,
        },
        "intervention": {
            "name": f"Interventie {n:05d}",
            "provider": f"Aanbieder {n % 41}",
            "municipality": rng.choice(
                ["Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Tilburg", "Almere"]
            ),
            "description": "Synthetische beoordeling voor de benchmark.",
            "manual": _tri(rng, 0.8 if promising else 0.4, p_unknown),
        },
        "target_group": {
            "age_min": rng.randint(12, 14) if promising else rng.randint(8, 16),
            "age_max": rng.randint(17, 22) if promising else rng.randint(16, 27),
            "prevention_tier": rng.choice(["onbekend", *_ids(criteria, "prevention_tiers")]),
            "risk_level": rng.choice(["onbekend", *_ids(criteria, "risk_levels")]),
            "selection": "Jongeren met verhoogd risico.",
            "special_needs": _some(rng, _ids(criteria, "special_needs"), 0, 2),
        },
        "problem_analysis": {"local_risk_factors": local if rng.random() > p_unknown else None},
        "factors": {
            "risk_factors": targeted,
            "protective_factors": _some(rng, _ids(criteria, "protective_factors"), 0 if profile == "zwak" else 1, 3),
            "active_ingredients": (
                None
                if rng.random() < p_unknown
                else _some(rng, _ids(criteria, "active_ingredients"), 0 if profile == "zwak" else 1, 4)
            ),
        },
        "evidence": {
            "recognition_level": level,
            # a recognition level comes with its status and year (criteria 2024.3 counts a recognition only then)
            "recognition_status": {"onbekend": "onbekend", "geen_erkenning": "niet_aangevraagd"}.get(level, "erkend"),
            "recognition_year": None if level in ("onbekend", "geen_erkenning") else 2022,
            "study_design": design,
            "study_count": rng.randint(1, 6) if design not in ("geen_onderzoek", "onbekend") else None,
            "outcome": rng.choice(
                ["delinquentie", "gedrag", "delinquentie"] if promising else _ids(criteria, "outcomes")
            ),
            "follow_up_months": rng.choice([6, 12, 18, 24, 36]) if rng.random() > p_unknown else None,
            "effect_direction": direction,
            "independent_replication": _tri(rng, 0.8 if strong else 0.3, p_unknown),
            "same_target_group": _tri(rng, 0.85 if strong else 0.5, p_unknown),
            "same_risk_level": _tri(rng, 0.85 if strong else 0.5, p_unknown),
            "credible_adjustment": _tri(rng, 0.7, p_unknown),
        },
        "delivery": {
            name: _tri(rng, 0.9 if promising else 0.5, p_unknown)
            for name in (
                "trained_staff",
                "supervision",
                "fidelity_monitoring",
                "dose_registration",
                "intensity_matches_risk",
                "monitoring_plan",
            )
        },
        "harm_signals": {
            signal: ("ja" if profile == "schadelijk" and rng.random() < 0.4 else _tri(rng, 0.02, p_unknown / 2))
            for signal in _ids(criteria, "harm_signals")
        },
        "participation": {"youth_participation": _tri(rng, 0.5, 0.3), "notes": ""},
    }
    return data


def generate(folder: Path, count: int, seed: int = SEED, criteria: Criteria | None = None) -> list[Path]:
    """Write ``count`` assessments to ``folder`` (created); return their paths. Deterministic for a seed."""
    criteria = criteria or load_criteria()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        assessment = Assessment.model_validate(make_assessment(rng, criteria, n))
        path = folder / f"beoordeling_{n:05d}.toml"
        path.write_text(dump_assessment(assessment), encoding="utf-8")
        paths.append(path)
    return paths


def spread(paths: list[Path], criteria: Criteria | None = None, limit: int = 400) -> dict[str, int]:
    """Classes and provisional verdicts of (the first ``limit`` of) the generated files; an open verdict
    counts as ``open`` (it has no class yet)."""
    from kwaliteitskader.core.io.load import load_assessment
    from kwaliteitskader.core.rules.engine import evaluate

    criteria = criteria or load_criteria()
    counts: Counter[str] = Counter()
    for path in paths[:limit]:
        verdict = evaluate(load_assessment(path).assessment, criteria)
        counts[verdict.class_ or "open"] += 1
        counts["onbepaald" if verdict.provisional else "definitief"] += 1
    return dict(sorted(counts.items()))
