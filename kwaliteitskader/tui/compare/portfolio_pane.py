"""The view's portfolio tab: the spread of classes per municipality and which risk factors the interventions cover."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio.summary import Portfolio
from kwaliteitskader.tui.compare.widgets import ClassBars


class PortfolioPane(VerticalScroll):
    """Shows one :class:`Portfolio` (:meth:`show`): the bar chart and the coverage table."""

    def __init__(self, criteria: Criteria, lang: str) -> None:
        super().__init__(id="portfolio")
        self.criteria = criteria
        self.lang = lang
        self._shown: Portfolio | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(t("compare.report.spread", lang=lang), classes="heading", markup=False)
        yield ClassBars(self.criteria, lang, id="bars")
        yield Static(t("compare.report.coverage", lang=lang), classes="heading", markup=False)
        yield Static(t("compare.tui.coverage_note", lang=lang), id="coverage-note", markup=False)
        yield Static("", id="uncovered", markup=False)
        yield DataTable(id="coverage", cursor_type="row", zebra_stripes=False)

    def on_mount(self) -> None:
        if self._shown is not None:
            self._fill(self._shown)

    def show(self, portfolio: Portfolio) -> None:
        self._shown = portfolio
        if self.is_mounted:
            self._fill(portfolio)

    def _fill(self, pf: Portfolio) -> None:
        self.query_one("#bars", ClassBars).show(pf)
        lang, criteria = self.lang, self.criteria
        uncovered = pf.uncovered_dynamic
        text = Text(t("compare.report.uncovered", lang=lang) + ": ", "bold")
        if uncovered:
            text.append(", ".join(criteria.label("risk_factors", f, lang) for f in uncovered), "bold red")
        else:
            text.append(t("compare.report.none", lang=lang), "green")
        self.query_one("#uncovered", Static).update(text)
        table = self.query_one("#coverage", DataTable)
        table.clear(columns=True)
        table.add_column(t("compare.coverage.factor", lang=lang), key="factor")
        table.add_column(t("compare.coverage.dynamic", lang=lang), key="dynamic")
        for m in pf.municipalities:
            table.add_column(m, key=f"m:{m}")
        for f in pf.risk_factors:
            table.add_row(*self._coverage_cells(pf, f), key=f)

    def _coverage_cells(self, pf: Portfolio, factor: str) -> list[Text]:
        lang = self.lang
        style = "bold white on dark_red" if factor in pf.uncovered_dynamic else ""
        cells = [
            Text(self.criteria.label("risk_factors", factor, lang), style=style),
            Text(t("compare.yes" if factor in pf.dynamic else "compare.no", lang=lang), style=style),
        ]
        for m in pf.municipalities:
            n = pf.coverage[factor][m]
            if n:
                cells.append(Text(str(n), style="green"))
            elif factor in pf.dynamic and factor in pf.local[m]:
                cells.append(Text("! 0", style="bold red"))  # locally high, nothing targets it
            else:
                cells.append(Text("·", style="dim"))
        return cells
