"""Reports of a compared portfolio: CSV for Dutch Excel, XLSX, JSON, Markdown and one-file HTML.

Every export is built from the same :class:`Report` (rows, errors, portfolio) so the formats say the
same thing. All user text is escaped for its format: spreadsheet cells that start like a formula get a
leading ``'`` (formula injection), Markdown escapes its table syntax, HTML escapes everything.
No UI imports; openpyxl is imported only when an XLSX is made.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kwaliteitskader.core.findings import Finding
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.html import PORTFOLIO_CSS, class_colour, page_end, page_start
from kwaliteitskader.core.output.html import escape as _e
from kwaliteitskader.core.output.markdown import md_escape
from kwaliteitskader.core.output.portfolio_table import HEAD_COLUMNS, TAIL_COLUMNS, Report, export_headers, table_cells
from kwaliteitskader.core.portfolio.cells import (
    EXPORT_COLUMNS,
    advice_text,
    cell_text,
    class_text,
    criteria_text,
    lean_cell_text,
)
from kwaliteitskader.core.portfolio.row import LeanRow, Row
from kwaliteitskader.core.portfolio.table import COLUMNS, column_title
from kwaliteitskader.core.safetext import is_safe, json_safe, terminal_safe

FORMATS = ("table", "csv", "json", "md", "html", "xlsx", "sqlite")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Neutralise text that a spreadsheet would run as a formula (OWASP CSV injection), and show control
    characters as visible escapes (a terminal showing the CSV would obey them; openpyxl refuses them)."""
    value = terminal_safe(value, one_line=True)
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(report: Report) -> bytes:
    """``;``-separated UTF-8 with BOM: opens in Dutch Excel with columns and accents intact.

    With ``report.heads`` (kept by the portfolio index) it is :func:`csv_with_heads` of the report's rows."""
    if report.heads is not None:
        return csv_with_heads(report.rows, report.heads, report.criteria, report.lang)
    return _csv(report.headers(), report.table(spreadsheet_safe))


def _csv(headers: list[str], cells: Iterable[Sequence[str]], lines: str = "") -> bytes:
    """The CSV of ``headers`` and ``cells``, or of ``headers`` and the CSV text of the rows (``lines``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(cells)
    buffer.write(lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_with_heads(rows: Sequence[LeanRow], heads: dict[str, str], criteria: Criteria, lang: str) -> bytes:
    """:func:`to_csv` of ``rows``, each row's first cells (:data:`HEAD_COLUMNS`) taken from ``heads`` (content
    digest → their CSV text, kept by the portfolio index) and only the cells that depend on the file's path or
    today's date made: the same bytes. The heads that were missing are made and added to ``heads``; so only a
    row whose head is there may be a lean row (:class:`.row.LeanRow`), the others must be whole rows."""
    lines = _lines_with_heads(rows, heads, criteria, lang) if rows else ""
    if lines is None:
        return _csv(export_headers(lang), table_cells(_whole(rows), EXPORT_COLUMNS, _cell_texts(criteria, lang)))
    return _csv(export_headers(lang), (), lines)


def _whole(rows: Sequence[LeanRow]) -> list[Row]:
    """The rows, each of which must be a whole :class:`Row` (a lean row has no cells but those of
    :data:`.cells.LEAN_CELLS`)."""
    whole = [row for row in rows if isinstance(row, Row)]
    if len(whole) != len(rows):
        raise ValueError("a lean row without its kept CSV head")
    return whole


def _cell_texts(criteria: Criteria, lang: str) -> Callable[[Row, str], str]:
    """A whole row's cell, as :func:`to_csv` writes it."""
    return lambda row, column: spreadsheet_safe(cell_text(row, column, criteria, lang))


def _lean_cell_texts(criteria: Criteria, lang: str) -> Callable[[LeanRow, str], str]:
    """A lean row's cell (of :data:`.cells.LEAN_CELLS`), as :func:`to_csv` writes it."""
    return lambda row, column: spreadsheet_safe(lean_cell_text(row, column, criteria, lang))


def _csv_lines(cells: Iterable[Sequence[str]], count: int) -> list[str] | None:
    """The CSV line of each of the ``count`` rows of ``cells`` (without the line end), as the writer of
    :func:`to_csv` writes them; None if a cell held a line end (never after :func:`spreadsheet_safe`, which
    escapes control characters)."""
    part = io.StringIO()
    csv.writer(part, delimiter=";", lineterminator="\r\n").writerows(cells)
    lines = part.getvalue().split("\r\n")
    return lines[:-1] if len(lines) == count + 1 else None


_CSV_QUOTES = re.compile('[;"\r\n]')
"""What makes the writer of :func:`to_csv` quote a cell: its delimiter, its quote character, a line end."""


def _plain_cells(values: list[str]) -> bool:
    """Whether each of ``values`` is written as it is, as a cell of :func:`to_csv`: nothing for
    :func:`spreadsheet_safe` to escape or mark, nothing for the writer to quote (checked on all at once)."""
    joined = "".join(values)
    if not is_safe(joined, one_line=True) or _CSV_QUOTES.search(joined):
        return False
    return not any(value.startswith(_FORMULA_START) for value in values)


def _tail_lines(rows: Sequence[LeanRow], text: Callable[[LeanRow, str], str]) -> list[str] | None:
    """Each row's CSV text of :data:`TAIL_COLUMNS` (cells ``text(row, column)``), as :func:`_csv_lines` makes it.
    When no path needs escaping or quoting (as good as always), the cells before the path are made once per
    distinct pair and the path is written as it is, so that tens of thousands of distinct paths are not each
    escaped and looked up in a table of their own (the larger part of a warm ``compare --format csv`` otherwise)."""
    files = [row.file for row in rows]
    if TAIL_COLUMNS != ("out_of_date", "rule", "file") or not _plain_cells(files):
        return _csv_lines(table_cells(rows, TAIL_COLUMNS, text), len(rows))
    out_of_date = [row.out_of_date for row in rows]
    rules = [row.rule for row in rows]
    pairs = zip(out_of_date, rules, strict=True)
    one_row_each = dict(zip(pairs, rows, strict=True))  # a row of each pair gives the pair's cells
    made = _csv_lines(table_cells(list(one_row_each.values()), ("out_of_date", "rule"), text), len(one_row_each))
    if made is None:
        return None
    cells = dict(zip(one_row_each, made, strict=True))
    return [f"{cells[late, rule]};{file}" for late, rule, file in zip(out_of_date, rules, files, strict=True)]


def csv_texts_key(lang: str) -> str:
    """What the CSV text of a row's first cells depends on besides its content, criteria and program version
    (which the portfolio index keys itself): the language, our messages in every language (a missing message
    falls back to another) and the Python version (its ``csv`` module quotes the cells)."""
    import sys

    from kwaliteitskader.core.hashes import sha256  # the built-in one: no OpenSSL to load for a warm CSV
    from kwaliteitskader.core.i18n import messages_digest

    return sha256(f"csv\0{lang}\0{sys.version}\0{HEAD_COLUMNS}\0{messages_digest()}".encode()).hexdigest()[:32]


def _lines_with_heads(rows: Sequence[LeanRow], heads: dict[str, str], criteria: Criteria, lang: str) -> str | None:
    """The CSV rows, with the text of the first columns (:data:`HEAD_COLUMNS`) from ``heads`` (content digest →
    text); the heads that were missing are made (of whole rows) and added to ``heads``. None when that cannot be
    done."""
    own: list[str | None] = [heads.get(row.digest) if row.digest else None for row in rows]
    todo = [i for i, head in enumerate(own) if head is None]
    if todo:
        whole = _whole([rows[i] for i in todo])
        made = _csv_lines(table_cells(whole, HEAD_COLUMNS, _cell_texts(criteria, lang)), len(whole))
        if made is None:
            return None
        for i, row, head in zip(todo, whole, made, strict=True):
            own[i] = head
            if row.digest:
                heads[row.digest] = head
    if not TAIL_COLUMNS:
        return "".join(f"{head}\r\n" for head in own)
    tails = _tail_lines(rows, _lean_cell_texts(criteria, lang))
    if tails is None:
        return None
    return "".join([f"{head};{tail}\r\n" for head, tail in zip(own, tails, strict=True)])  # a list: joined in one go


def to_xlsx(report: Report) -> bytes:
    """A workbook with the assessments, the spread per municipality, the coverage and the errors."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped,unused-ignore]

    lang = report.lang
    bold = Font(bold=True)
    gap = PatternFill("solid", fgColor="F4CCCC")
    wb = Workbook()
    ws = wb.active or wb.create_sheet()
    ws.title = t("compare.sheet.rows", lang=lang)[:31]
    ws.append(report.headers())
    for row, cells in zip(report.rows, report.table(spreadsheet_safe), strict=True):
        values: list[Any] = list(cells)
        # real dates, so Excel can sort and filter them
        values[EXPORT_COLUMNS.index("date")] = row.assessed_on
        values[EXPORT_COLUMNS.index("valid_until")] = row.valid_until
        values[EXPORT_COLUMNS.index("domains")] = row.domain_count
        ws.append(values)
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    pf = report.pf
    ws2 = wb.create_sheet(t("compare.sheet.portfolio", lang=lang)[:31])
    ws2.append(
        [
            t("compare.col.municipality", lang=lang),
            *[spreadsheet_safe(report.class_label(c)) for c in pf.classes],  # labels come from criteria files
            t("compare.portfolio.open", lang=lang),
            t("compare.portfolio.total", lang=lang),
        ]
    )
    for m in pf.municipalities:
        ws2.append([spreadsheet_safe(m), *[pf.counts[m][c] for c in pf.classes], pf.open[m], pf.total(m)])
    for cell in ws2[1]:
        cell.font = bold

    ws3 = wb.create_sheet(t("compare.sheet.coverage", lang=lang)[:31])
    ws3.append(
        [
            t("compare.coverage.factor", lang=lang),
            t("compare.coverage.dynamic", lang=lang),
            *[spreadsheet_safe(m) for m in pf.municipalities],
        ]
    )
    for f in pf.risk_factors:
        ws3.append(
            [
                spreadsheet_safe(report.factor_label(f)),
                t("compare.yes" if f in pf.dynamic else "compare.no", lang=lang),
                *[pf.coverage[f][m] for m in pf.municipalities],
            ]
        )
        if f in pf.uncovered_dynamic:
            for cell in ws3[ws3.max_row]:
                cell.fill = gap
    for cell in ws3[1]:
        cell.font = bold

    ws4 = wb.create_sheet(t("compare.sheet.errors", lang=lang)[:31])
    ws4.append([t("compare.err.file", lang=lang), t("compare.err.line", lang=lang), t("compare.err.reason", lang=lang)])
    for e in report.errors:
        ws4.append([spreadsheet_safe(e.file), e.line, spreadsheet_safe(_reason(e))])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _reason(e: Finding) -> str:
    return f"[{e.key}] {e.message}" if e.key else e.message


# --- JSON ------------------------------------------------------------------------------------------


def row_dict(row: Row, criteria: Criteria, lang: str) -> dict[str, Any]:
    """One row as JSON: the verdict in the fields and wording of ``classify --json`` (``class`` and ``advice``
    null while open, with ``possible_classes`` and ``possible_advice``), and ``class_text``/``advice_text`` as
    the table shows them ("nog geen oordeel: kansrijk of stoppen")."""
    return {
        "file": row.file,
        "municipality": row.municipality,
        "intervention": row.intervention,
        "class": row.decided_class,
        "class_label": None if row.decided_class is None else criteria.label("classes", row.decided_class, lang),
        "class_text": class_text(row, criteria, lang),
        "provisional": row.provisional,
        "possible_classes": list(row.possible_classes),
        "advice": row.advice,
        "advice_label": None if row.advice is None else criteria.label("advice", row.advice, lang),
        "advice_text": advice_text(row, criteria, lang),
        "advice_provisional": row.advice_provisional,
        "possible_advice": list(row.possible_advice),
        "rule": row.rule,
        "evidence": row.evidence,
        "domains": list(row.domains),
        "domain_count": row.domain_count,
        "risk_factors": list(row.risk_factors),
        "criteria_version": row.criteria_version,
        "criteria_digest": row.criteria_digest,
        "criteria_status": row.criteria_status,
        "criteria_loaded": {"version": row.loaded_version, "digest": row.loaded_digest},
        "assessed_on": row.assessed_on.isoformat() if row.assessed_on else None,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "assessor": row.assessor,
        "out_of_date": row.out_of_date,
    }


def to_json(report: Report) -> str:
    pf = report.pf
    data = {
        "criteria": {"version": report.criteria.version, "digest": report.criteria.digest},
        "generated": report.generated.isoformat(),
        "filter": report.filter,
        "rows": [row_dict(r, report.criteria, report.lang) for r in report.rows],
        "errors": [
            {"file": e.file, "line": e.line, "key": e.key, "reason": e.message, "code": e.code} for e in report.errors
        ],
        "portfolio": {
            "counts": pf.counts,
            "open": pf.open,
            "coverage": {f: pf.coverage[f] for f in pf.risk_factors},
            "uncovered_dynamic": pf.uncovered_dynamic,
            "gaps": {m: pf.gaps(m) for m in pf.municipalities},
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- plain table -----------------------------------------------------------------------------------

TABLE_COLUMNS = tuple(c for c in COLUMNS if c != "file")  # the terminal table leaves the path out


def to_table(report: Report, width: int = 40) -> str:
    """An aligned text table for the terminal or a pipe, followed by the errors."""

    def clip(text: str) -> str:
        # Control characters and ANSI escapes from the files are shown as text, never sent to the terminal.
        text = terminal_safe(" ".join(text.split()), one_line=True)
        return text if len(text) <= width else text[: width - 1] + "…"

    header = [column_title(c, report.lang) for c in TABLE_COLUMNS]
    body = [[clip(cell_text(r, c, report.criteria, report.lang)) for c in TABLE_COLUMNS] for r in report.rows]
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)).rstrip() for b in body]
    lines.append("")
    lines.append(t("compare.summary", lang=report.lang, rows=len(report.rows), errors=len(report.errors)))
    for e in report.errors:
        lines.append(terminal_safe(e.text(), one_line=True))
    return "\n".join(lines)


# --- Markdown --------------------------------------------------------------------------------------

def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(str(c)) for c in r) + " |" for r in rows]
    return lines


def to_markdown(report: Report) -> str:
    lang, pf = report.lang, report.pf
    lines = [f"# {md_escape(t('compare.report.title', lang=lang))}", ""]
    lines.append(
        md_escape(
            t(
                "compare.report.intro",
                lang=lang,
                rows=len(report.rows),
                municipalities=len(pf.municipalities),
                version=report.criteria.version,
                date=report.generated.isoformat(sep=" "),
            )
        )
    )
    if report.filter:
        lines += ["", md_escape(t("compare.report.filter", lang=lang, filter=report.filter))]
    lines += ["", f"## {md_escape(t('compare.report.spread', lang=lang))}", ""]
    lines += _md_table(
        [
            t("compare.col.municipality", lang=lang),
            *[report.class_label(c) for c in pf.classes],
            t("compare.portfolio.open", lang=lang),
            t("compare.portfolio.total", lang=lang),
        ],
        [[m, *[pf.counts[m][c] for c in pf.classes], pf.open[m], pf.total(m)] for m in pf.municipalities],
    )
    lines += ["", f"## {md_escape(t('compare.report.uncovered', lang=lang))}", ""]
    uncovered = pf.uncovered_dynamic
    lines += [f"- {md_escape(report.factor_label(f))}" for f in uncovered] or [
        md_escape(t("compare.report.none", lang=lang))
    ]
    gaps = [(m, pf.gaps(m)) for m in pf.municipalities if pf.gaps(m)]
    if gaps:
        lines += ["", f"## {md_escape(t('compare.report.gaps', lang=lang))}", ""]
        lines += [f"- **{md_escape(m)}**: {md_escape(', '.join(report.factor_label(f) for f in fs))}" for m, fs in gaps]
    lines += ["", f"## {md_escape(t('compare.report.rows', lang=lang))}", ""]
    cols = tuple(c for c in TABLE_COLUMNS if c != "assessor")  # a report for a council names no officials
    lines += _md_table(
        [column_title(c, lang) for c in cols],
        [[cell_text(r, c, report.criteria, lang) for c in cols] for r in report.rows],
    )
    if report.errors:
        lines += ["", f"## {md_escape(t('compare.report.errors', lang=lang))}", ""]
        lines += _md_table(
            [t("compare.err.file", lang=lang), t("compare.err.line", lang=lang), t("compare.err.reason", lang=lang)],
            [[e.file, e.line or "", _reason(e)] for e in report.errors],
        )
    lines += [
        "",
        md_escape(
            t("compare.report.footer", lang=lang, version=report.criteria.version, digest=report.criteria.digest[:19])
        ),
        "",
    ]
    return "\n".join(lines)


def _intro(report: Report) -> str:
    return t("compare.report.intro", lang=report.lang, rows=len(report.rows),
             municipalities=len(report.pf.municipalities), version=report.criteria.version,
             date=report.generated.isoformat(sep=" "))


def _footer(report: Report) -> str:
    return t("compare.report.footer", lang=report.lang, version=report.criteria.version,
             digest=report.criteria.digest[:19])


# --- HTML ------------------------------------------------------------------------------------------

_OPEN_STYLE = "background:#dfe4e7;color:#000000;outline:1px dashed #37474f;outline-offset:-1px"
"""The open verdicts' bucket in the chart: light grey with a dashed edge and black text, no class colour (no class
yet); a plain colour, so that its contrast can be checked (a gradient cannot)."""


def _bar_segments(report: Report, municipality: str, styles: dict[str, str], most: int) -> str:
    """One municipality's bar: a segment per decided class, then one for the open verdicts."""
    pf = report.pf
    parts = [(report.class_label(c), pf.counts[municipality][c], styles[c]) for c in pf.classes]
    parts.append((t("compare.portfolio.open", lang=report.lang), pf.open[municipality], _OPEN_STYLE))
    return "".join(
        f'<div class="seg" style="width:{100 * n / most:.2f}%;{style}" title="{_e(label)}: {n}">{n}</div>'
        for label, n, style in parts
        if n
    )


def to_html(report: Report) -> str:
    """One self-contained HTML file (inline CSS, pure HTML/CSS bar chart, no scripts or external assets)."""
    lang, pf = report.lang, report.pf
    styles = {c.id: "background:{};color:{}".format(*class_colour(c.colour)) for c in report.criteria.document.classes}
    most = max([pf.total(m) for m in pf.municipalities] or [1]) or 1
    out: list[str] = [
        page_start(lang, t("compare.report.title", lang=lang), PORTFOLIO_CSS, compact=True),
        f"<h1>{_e(t('compare.report.title', lang=lang))}</h1>",
        f"<p>{_e(_intro(report))}</p>",
    ]
    if report.filter:
        out.append(f'<p class="note">{_e(t("compare.report.filter", lang=lang, filter=report.filter))}</p>')
    out.append(f"<h2>{_e(t('compare.report.spread', lang=lang))}</h2>")
    legend = [(report.class_label(c), styles[c]) for c in pf.classes]
    legend.append((t("compare.portfolio.open", lang=lang), _OPEN_STYLE))
    out.append(
        '<div class="legend">'
        + "".join(f'<span><i class="sw" style="{style}"></i>{_e(label)}</span>' for label, style in legend)
        + "</div>"
    )
    out.append('<div class="chart" role="img" aria-label="' + _e(t("compare.report.spread", lang=lang)) + '">')
    for m in pf.municipalities:
        out.append(
            f'<div class="bar-row"><div class="bar-label">{_e(m)}</div>'
            f'<div class="bar">{_bar_segments(report, m, styles, most)}</div></div>'
        )
    out.append("</div>")
    out.append(
        "<table><thead><tr>"
        + f"<th>{_e(t('compare.col.municipality', lang=lang))}</th>"
        + "".join(f"<th>{_e(report.class_label(c))}</th>" for c in pf.classes)
        + f"<th>{_e(t('compare.portfolio.open', lang=lang))}</th>"
        + f"<th>{_e(t('compare.portfolio.total', lang=lang))}</th></tr></thead><tbody>"
    )
    for m in pf.municipalities:
        out.append(
            f"<tr><td>{_e(m)}</td>"
            + "".join(f'<td class="n">{pf.counts[m][c]}</td>' for c in pf.classes)
            + f'<td class="n">{pf.open[m]}</td><td class="n">{pf.total(m)}</td></tr>'
        )
    out.append("</tbody></table>")

    out.append(f"<h2>{_e(t('compare.report.coverage', lang=lang))}</h2>")
    out.append(f'<p class="note">{_e(t("compare.report.coverage_note", lang=lang))}</p>')
    out.append(
        "<table><thead><tr>"
        + f"<th>{_e(t('compare.coverage.factor', lang=lang))}</th>"
        + "".join(f"<th>{_e(m)}</th>" for m in pf.municipalities)
        + "</tr></thead><tbody>"
    )
    uncovered = set(pf.uncovered_dynamic)
    for f in pf.risk_factors:
        dyn = "" if f in pf.dynamic else f" ({_e(t('compare.coverage.static', lang=lang))})"
        cls = ' class="gap"' if f in uncovered else ""
        cells = []
        for m in pf.municipalities:
            n = pf.coverage[f][m]
            marks = []
            if f in pf.dynamic and n == 0 and f in pf.local[m]:
                marks.append("local")
            cells.append(f'<td class="n {" ".join(marks)}">{n or ""}</td>')
        out.append(f"<tr{cls}><td>{_e(report.factor_label(f))}{dyn}</td>{''.join(cells)}</tr>")
    out.append("</tbody></table>")

    out.append(f"<h2>{_e(t('compare.report.rows', lang=lang))}</h2>")
    out.append("<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in report.headers()) + "</tr></thead><tbody>")
    for escaped in report.table(_e):
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in escaped) + "</tr>")
    out.append("</tbody></table>")
    if report.errors:
        out.append(
            f"<h2>{_e(t('compare.report.errors', lang=lang))}</h2><table><thead><tr>"
            f"<th>{_e(t('compare.err.file', lang=lang))}</th><th>{_e(t('compare.err.line', lang=lang))}</th>"
            f"<th>{_e(t('compare.err.reason', lang=lang))}</th></tr></thead><tbody>"
        )
        for e in report.errors:
            out.append(f"<tr><td>{_e(e.file)}</td><td>{_e(e.line or '')}</td><td>{_e(_reason(e))}</td></tr>")
        out.append("</tbody></table>")
    out.append(
        f'<p class="note">{_e(_footer(report))}</p>'
    )
    out.append(page_end(compact=True))
    return "\n".join(out)


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` as bytes, ready to write to a file or stdout."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "sqlite":
        from kwaliteitskader.core.output.sqlite_export import to_sqlite

        return to_sqlite(report)
    text = {"json": to_json, "md": to_markdown, "html": to_html, "table": to_table}[fmt](report)
    # control characters from the files: escaped in JSON (still the exact value), visible elsewhere
    text = json_safe(text) if fmt == "json" else terminal_safe(text)
    return (text + ("" if text.endswith("\n") else "\n")).encode("utf-8")


__all__ = ["EXPORT_COLUMNS", "FORMATS", "Report", "criteria_text", "md_escape", "render", "spreadsheet_safe"]
