"""A loaded criteria set and its lookups, without importing pydantic.

The models that validate a criteria set live in :mod:`criteria`; this class only reads a validated
document. It is kept apart so that the fast path (:mod:`fastpath`) can rebuild a criteria set from
its cache and use the very same lookups without paying for pydantic's import.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kwaliteitskader.core.model.criteria import Condition, CriteriaDocument, Header, Question, SourceMap

CATALOGUES = [
    "classes", "advice", "domains", "risk_factors", "protective_factors", "active_ingredients", "prevention_tiers",
    "risk_levels", "special_needs", "recognition_levels", "study_designs", "outcomes", "effect_directions",
    "harm_signals", "settings", "steps", "intensity_levels", "recognition_statuses",
]



class _PairText:
    def __init__(self, ingredient: Any, domain: Any) -> None:
        self.ingredient, self.domain = ingredient, domain

    def get(self, lang: str) -> str:
        where = self.domain.label.get(lang) if self.domain is not None else "?"
        return f"{self.ingredient.label.get(lang)} — {where}"


class IngredientDomain:
    """A choice of ``factors.ingredient_domains``: one active ingredient delivered in one of its life domains."""

    def __init__(self, ingredient: Any, domain: Any, domain_id: str) -> None:
        self.id = f"{ingredient.id}@{domain_id}"
        self.ingredient = ingredient.id
        self.domain = domain_id
        self.label = _PairText(ingredient, domain)
        self.explanation = ingredient.explanation
        self.source = ingredient.source
        self.design_choice = ingredient.design_choice
        self.design_reason = getattr(ingredient, "design_reason", None)


class Criteria:
    """A loaded, validated criteria set with fast lookups for the engine and the UI.

    The interface every part of the program uses. Two kinds exist: :class:`FullCriteria` (read and
    validated now: pydantic models and the source line of every key) and the light criteria rebuilt from
    the cache (:class:`kwaliteitskader.core.io.fastpath.LiteCriteria`: records instead of models). Both
    offer exactly these lookups; what needs the models is on :class:`FullCriteria` only."""

    def __init__(self, document: CriteriaDocument, folder: Path, digest: str) -> None:
        self.document = document
        self.folder = folder
        self.digest = digest

    @property
    def version(self) -> str:
        return self.document.criteria.version

    @property
    def header(self) -> Header:
        return self.document.criteria

    @cached_property
    def catalogues(self) -> dict[str, dict[str, Any]]:
        found = {name: {item.id: item for item in getattr(self.document, name, None) or ()} for name in CATALOGUES}
        found["ingredient_domains"] = {
            pair.id: pair
            for ingredient in found["active_ingredients"].values()
            for pair in (IngredientDomain(ingredient, found["domains"].get(d), d) for d in ingredient.domains)
        }
        return found

    def item(self, catalogue: str, item_id: str) -> Any:
        return self.catalogues[catalogue].get(item_id)

    def label(self, catalogue: str, item_id: str, lang: str) -> str:
        found = self.item(catalogue, item_id)
        return found.label.get(lang) if found is not None else item_id

    @cached_property
    def references(self) -> dict[str, Any]:
        """The criteria set's reference list by key (``bronnen.toml``)."""
        return {ref.key: ref for ref in getattr(self.document, "references", None) or ()}

    @cached_property
    def settings(self) -> dict[str, bool | int]:
        return {s.id: s.value for s in self.document.settings}

    @cached_property
    def conditions(self) -> dict[str, Condition]:
        return {c.id: c for c in self.document.conditions}

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.field: q for q in self.document.questions}

    @cached_property
    def class_rank(self) -> dict[str, int]:
        return {c.id: c.rank for c in self.document.classes}


class FullCriteria(Criteria):
    """Criteria read and validated in full: the pydantic document and where each key is written."""

    def __init__(self, document: CriteriaDocument, folder: Path, digest: str, sources: SourceMap) -> None:
        super().__init__(document, folder, digest)
        self.sources = sources

    def with_settings(self, **overrides: bool | int) -> FullCriteria:
        """A copy with some settings changed (e.g. strict evidence), for what-if comparisons."""
        settings = [s.model_copy(update={"value": overrides.get(s.id, s.value)}) for s in self.document.settings]
        document = self.document.model_copy(update={"settings": settings})
        return FullCriteria(document, self.folder, self.digest, self.sources)
