"""The portfolio summary: counts per class per municipality (the spread, not an average), with the open
verdicts (no class yet) in a bucket of their own, and the coverage of risk factors per municipality, with
the dynamic factors nobody addresses."""


from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.row import Row


@dataclass
class Portfolio:
    classes: list[str]
    """Class ids, highest rank first."""
    municipalities: list[str]
    counts: dict[str, dict[str, int]]
    """municipality → class → number of assessed interventions whose class is decided."""
    open: dict[str, int]
    """municipality → number of open verdicts (*nog geen oordeel*): counted apart, never under a class."""
    risk_factors: list[str]
    """Risk factor ids in catalogue order."""
    dynamic: set[str]
    coverage: dict[str, dict[str, int]]
    """risk factor → municipality → number of interventions that target it."""
    local: dict[str, set[str]]
    """municipality → risk factors its own problem analysis calls high."""

    @property
    def uncovered_dynamic(self) -> list[str]:
        """Dynamic risk factors that no assessed intervention addresses, anywhere."""
        return [f for f in self.risk_factors if f in self.dynamic and not any(self.coverage[f].values())]

    def gaps(self, municipality: str) -> list[str]:
        """Dynamic factors that a municipality itself calls high locally but none of its interventions targets."""
        return [
            f
            for f in self.risk_factors
            if f in self.dynamic and f in self.local.get(municipality, set()) and not self.coverage[f][municipality]
        ]

    def total(self, municipality: str) -> int:
        return sum(self.counts[municipality].values()) + self.open[municipality]


def build_portfolio(rows: Sequence[Row], criteria: Criteria) -> Portfolio:
    classes = [c.id for c in sorted(criteria.document.classes, key=lambda c: -c.rank)]
    municipalities = sorted({r.municipality or "?" for r in rows}, key=str.casefold)
    counts = {m: dict.fromkeys(classes, 0) for m in municipalities}
    open_verdicts = dict.fromkeys(municipalities, 0)
    factors = list(criteria.catalogues["risk_factors"])
    coverage = {f: dict.fromkeys(municipalities, 0) for f in factors}
    local: dict[str, set[str]] = {m: set() for m in municipalities}
    for row in rows:
        m = row.municipality or "?"
        if row.decided_class is None:
            open_verdicts[m] += 1
        else:
            counts[m][row.decided_class] = counts[m].get(row.decided_class, 0) + 1
        for f in set(row.risk_factors):
            if f in coverage:
                coverage[f][m] += 1
        local[m].update(row.local_risk_factors)
    dynamic = {f for f in factors if getattr(criteria.item("risk_factors", f), "dynamic", False)}
    return Portfolio(classes, municipalities, counts, open_verdicts, factors, dynamic, coverage, local)


# --- re-classify -----------------------------------------------------------------------------------

