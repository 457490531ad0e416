"""What the HTML outputs share: escaping, the style sheets and the page frame.

Both HTML outputs are one self-contained file (inline CSS, no scripts or external assets) that prints
well: the report on one assessment (:mod:`.report`) and the overview of a portfolio (:mod:`.export`).
Every text from a file is escaped with :func:`escape`, attributes included.
"""

from __future__ import annotations

import html

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'

REPORT_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #bbb; padding-bottom: .15rem; margin-top: 1.6rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.outcome { border: 2px solid #1a1a1a; padding: .5rem 1rem; border-radius: 4px; }
.note { background: #fff4d6; border-left: 4px solid #d9a400; padding: .4rem .8rem; }
.source { color: #444; font-style: italic; }
ul.checklist { list-style: none; padding-left: .5rem; }
ul.checklist li::before { content: "☐ "; font-size: 1.1em; }
.kind { color: #555; }
.apart { border: 1px dashed #888; padding: .2rem 1rem .6rem; }
ul.trace { list-style: none; padding-left: 0; font-size: .92rem; }
ul.trace li.r { font-weight: 600; margin-top: .4rem; }
.detail { color: #555; }
code { font-size: .9em; }
.foot { color: #666; font-size: .85rem; margin-top: 2rem; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  section, li { break-inside: avoid; }
  .note { background: none; }
}
"""
"""The report on one assessment: a printable A4 document."""

PORTFOLIO_CSS = """
body{font-family:system-ui,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{font-size:1.6rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
td.n{text-align:right}
.gap{background:#f4cccc;font-weight:bold}
.local{outline:2px solid #c62828}
.chart{margin:.5rem 0}
.bar-row{display:flex;align-items:center;margin:.15rem 0}
.bar-label{width:12rem;font-size:.85rem}
.bar{display:flex;height:1.2rem;flex:1;background:#eee}
.seg{height:100%;font-size:.75rem;text-align:center;overflow:hidden}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
.note{color:#555;font-size:.85rem}
@media print{body{margin:0}
}
"""
"""The overview of a portfolio: wide tables and a pure HTML/CSS bar chart."""


CLASS_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#2e7d32", "#ffffff"),
    "yellow": ("#f9a825", "#1a1a1a"),
    "red": ("#c62828", "#ffffff"),
}
"""A class's colour in the criteria (``colour = "yellow"``) → (background, text) of its bars and swatches.

Each text colour reaches at least 4.5:1 contrast against its background (WCAG 2.1 AA for normal text):
white on yellow would be about 2:1, so the kansrijk bars carry dark text."""

OTHER_CLASS_COLOUR = ("#546e7a", "#ffffff")
"""For a class colour the table does not know (contrast about 5.4:1)."""


def class_colour(name: str) -> tuple[str, str]:
    """(background, text) for a class colour of the criteria."""
    return CLASS_COLOURS.get(name, OTHER_CLASS_COLOUR)


def escape(value: object) -> str:
    """Any value as literal HTML text, safe in element content and in quoted attributes."""
    return html.escape(str(value), quote=True)


def page_start(lang: str, title: str, css: str, *, compact: bool = False) -> str:
    """The page up to and including ``<body>``: language, title (plain text, escaped here) and style sheet.

    ``compact`` puts the head on four lines instead of one tag a line: the portfolio overview's layout,
    kept so that its output stays the same byte for byte."""
    tags = ["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>", '<meta charset="utf-8">', VIEWPORT,
            f"<title>{escape(title)}</title>", f"<style>{css}</style>", "</head>", "<body>"]
    if compact:
        return "\n".join([tags[0], "".join(tags[1:4]), tags[4], "".join(tags[5:])])
    return "\n".join(tags)


def page_end(*, compact: bool = False) -> str:
    """The end of a page begun with :func:`page_start` (with the same ``compact``)."""
    return "</body></html>" if compact else "</body>\n</html>"
