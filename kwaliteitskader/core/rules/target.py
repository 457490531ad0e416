"""The target group as the result shows it: prevention tier, risk level against intensity (the risk
principle) and special needs (responsivity). Shown with every verdict, whatever rule decided."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.i18n import t

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria_set import Criteria


def _label(criteria: Criteria, catalogue: str, value: Any, lang: str) -> str:
    if value in (None, "", "onbekend"):
        return t("verdict.unknown", lang=lang)
    return str(criteria.label(catalogue, str(value), lang))


def target_group_rows(assessment: Any, criteria: Criteria, lang: str) -> list[tuple[str, str]]:
    """(label, value) for the prevention tier, risk level, intensity and special needs of the participants."""
    group = assessment.target_group
    needs = group.special_needs
    if needs is None:
        shown_needs = t("verdict.unknown", lang=lang)
    elif not needs:
        shown_needs = t("verdict.none", lang=lang)
    else:
        shown_needs = ", ".join(_label(criteria, "special_needs", n, lang) for n in needs)
    rows = [
        (t("verdict.tier", lang=lang), _label(criteria, "prevention_tiers", group.prevention_tier, lang)),
        (t("verdict.risk_level", lang=lang), _label(criteria, "risk_levels", group.risk_level, lang)),
    ]
    if criteria.catalogues.get("intensity_levels"):
        rows.append((t("verdict.intensity", lang=lang),
                     _label(criteria, "intensity_levels", getattr(assessment.delivery, "intensity", None), lang)))
    rows.append((t("verdict.special_needs", lang=lang), shown_needs))
    return rows
