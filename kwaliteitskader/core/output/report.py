"""A report for one assessment, in Markdown or as one printable HTML file, in the chosen language.

Built from :func:`explain.verdict_dict`, so the report says exactly what the CLI and the wizard say:
outcome, advice, reasoning with sources, what is needed to reach the next class (a checklist), the
missing answers, every answer given per step of the wizard, the full trace, the criteria version, digest
and settings, and, reported apart because no rule reads it, participation and cost. The report ends with
the full list of the sources it cites.

Every text that comes from a file (the assessment, and the criteria data) is escaped for the output
format: HTML-escaped in HTML; in Markdown HTML-escaped and with Markdown (and Rich markup) brackets
backslash-escaped, so an intervention called ``<script>`` or ``[/oeps]`` is shown as written.
The wizard's result screen calls :func:`render_report`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kwaliteitskader import __version__
from kwaliteitskader.core.i18n import language, t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.assessment import Assessment, Tri
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.answers import answers_by_step
from kwaliteitskader.core.output.answers import money as _money
from kwaliteitskader.core.output.html import REPORT_CSS, escape, page_end, page_start
from kwaliteitskader.core.output.markdown import md_escape
from kwaliteitskader.core.rules.engine import Verdict, evaluate, next_steps, steps_by_class
from kwaliteitskader.core.rules.explain import (
    actor_text,
    class_list,
    distinct_options,
    field_label,
    first_holding_row,
    verdict_dict,
)
from kwaliteitskader.core.rules.target import target_group_rows
from kwaliteitskader.core.safetext import terminal_safe

FORMATS = ("md", "html")
_MARK = {"pass": "✔", "fail": "✘", "unknown": "?"}


@dataclass
class _Option:
    title: str
    items: list[tuple[str, str]]  # (text, kind label)


@dataclass
class _Report:
    """Everything the report shows, as plain (unescaped) text in the chosen language."""

    lang: str
    title: str
    facts: list[tuple[str, str]]
    description: str
    outcome: list[tuple[str, str]]
    rule: str
    explanation: str
    source: str
    design_choice: bool
    next_intro: str
    options: list[_Option]
    missing: list[tuple[str, list[tuple[str, str]]]]  # (heading, [(question, field)])
    trace: list[tuple[int, str, str, str]]  # (depth, mark, text, detail)
    participation: list[tuple[str, str]]
    criteria: list[tuple[str, str]]
    settings: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)
    design_reason: str = ""
    target: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    references: list[tuple[str, str]] = field(default_factory=list)  # (key, full citation)
    answers: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (step, [(question, answer)])


def _tri(value: Tri | str, lang: str) -> str:
    return t(f"report.tri.{Tri(value).value}", lang=lang)


def build(assessment: Assessment, criteria: Criteria, lang: str | None = None, today: dt.date | None = None) -> _Report:
    """The report's content; an assessment without a date is judged on ``today`` (default: the day it runs)."""
    lang = lang or language()
    verdict = evaluate(assessment, criteria, on=today or dt.date.today())
    d: dict[str, Any] = verdict_dict(verdict, criteria, lang)
    meta, intervention = assessment.meta, assessment.intervention
    unknown = t("report.unknown", lang=lang)

    facts = [
        (t("report.municipality", lang=lang), intervention.municipality or unknown),
        (t("report.provider", lang=lang), intervention.provider or unknown),
        (t("report.assessor", lang=lang), meta.assessor or unknown),
        (t("report.assessed_on", lang=lang), meta.assessed_on.isoformat() if meta.assessed_on else unknown),
        (t("report.valid_until", lang=lang), meta.valid_until.isoformat() if meta.valid_until else unknown),
    ]
    status = t("verdict.provisional" if d["provisional"] else "verdict.definite", lang=lang)
    class_text = d.get("class_label") or " / ".join(
        str(criteria.label("classes", c, lang)) for c in verdict.possible_classes)
    outcome = [
        (t("verdict.class", lang=lang), f"{class_text} ({status})"),
        (t("verdict.advice", lang=lang), str(d.get("advice_label") or d.get("advice_text") or "")),
    ]

    options: list[_Option] = []
    if verdict.next_class is None:
        next_intro = t("verdict.top", lang=lang)
    else:
        next_intro = t("verdict.next", lang=lang, klass=criteria.label("classes", verdict.next_class, lang))
        for class_id, class_options in steps_by_class(next_steps(verdict, criteria)).items():
            klass = criteria.label("classes", class_id, lang)
            for n, steps in enumerate(distinct_options(class_options, criteria, lang), 1):
                items = [(text, actor_text(change, lang)) for text, change in steps]
                options.append(_Option(f"{klass} — {t('verdict.option', lang=lang, n=n)}", items))
        if not options:
            next_intro += " " + t("verdict.no_path", lang=lang)

    open_questions = [(f"{m['question']} ({_missing_effect(m, criteria, lang)})", str(m["field"])) for m in d["missing"]]
    heading = t("verdict.missing_range" if verdict.provisional else "verdict.missing_advice", lang=lang)
    missing = [(heading, open_questions)] if open_questions else []
    for key, paths in (("verdict.not_applicable", _paths(d.get("not_applicable"))), ("verdict.ignored", _paths(d.get("ignored")))):
        if paths:
            missing.append((t(key, lang=lang), [(field_label(criteria, f, lang), f) for f in paths]))

    trace: list[tuple[int, str, str, str]] = []
    last_looked_at = first_holding_row([rule["result"] for rule in d["trace"]])
    for index, rule in enumerate(d["trace"]):
        result = t(f"result.{rule['result']}", lang=lang)
        mark = _MARK[rule["result"]]
        if index > last_looked_at:  # the engine stopped at an earlier rule: this one neither holds nor fails
            result, mark = t("verdict.not_looked_at", lang=lang), "·"
        decided = f" — {t('report.decided', lang=lang)}" if rule["decided"] and d["rule"] else ""
        where = f" [{rule['source']}]" if rule.get("source") else ""
        trace.append((0, mark, f"{rule['rule']}: {rule['label']}", f"{result}{decided}{where}"))
        for cond in rule["conditions"]:
            detail = str(cond["reading"])
            trace.append((int(cond["depth"]) + 1, _MARK[cond["result"]], str(cond["label"]), detail))

    participation = [
        (field_label(criteria, "participation.youth_participation", lang),
         _tri(assessment.participation.youth_participation, lang)),
        (field_label(criteria, "participation.cost_per_participant", lang),
         _money(assessment.participation.cost_per_participant, lang)),
        (field_label(criteria, "participation.notes", lang), assessment.participation.notes or "—"),
    ]
    criteria_facts = [
        (t("report.version", lang=lang), str(d["criteria_version"])),
        (t("report.digest", lang=lang), str(d["criteria_digest"])),
    ]
    settings = [(criteria.label("settings", key, lang), _setting(value, lang)) for key, value in d["settings"].items()]
    notes = []
    if meta.criteria_digest and meta.criteria_digest != criteria.digest:
        notes.append(t("report.criteria_differs", lang=lang, saved=meta.criteria_version or meta.criteria_digest[:19],
                       used=criteria.version))

    notices = []
    for notice in getattr(verdict, "notices", ()):
        text = notice.explanation.get(lang) + (f" {notice.value}" if notice.value else "")
        text += f" [{cite.short(notice.source)}]"
        reason = cite.design_text(notice, lang)
        notices.append((notice.label.get(lang), text + (f" ({reason})" if reason else "")))
    references = [(str(r["key"]), f"{t('report.reference_kind.' + str(r['kind']), lang=lang)} — {r['citation']}")
                  for r in d.get("references", [])]

    return _Report(
        design_reason=str(d.get("design_reason") or ""),
        target=target_group_rows(assessment, criteria, lang),
        notices=notices,
        references=references,
        answers=answers_by_step(assessment, criteria, lang, _paths(d.get("not_applicable")), ("participation",)),
        lang=lang,
        title=intervention.name or t("report.unnamed", lang=lang),
        facts=facts,
        description=intervention.description,
        outcome=outcome,
        **_grounds(d, verdict, lang),
        next_intro=next_intro,
        options=options,
        missing=missing,
        trace=trace,
        participation=participation,
        criteria=criteria_facts,
        settings=settings,
        notes=notes,
    )


def _paths(listed: Any) -> tuple[str, ...]:
    """The field paths of a list of questions (``{"field": …, "question": …}``, or the paths themselves)."""
    return tuple(str(item["field"]) if isinstance(item, dict) else str(item) for item in listed or ())


def _setting(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return _tri("ja" if value else "nee", lang)
    return str(value)


# --- Markdown ------------------------------------------------------------------------------------


def render_markdown(report: _Report) -> str:
    e = md_escape
    lang = report.lang
    out = [f"# {e(t('report.title', lang=lang))}: {e(report.title)}", ""]
    out += [f"- **{e(k)}:** {e(v)}" for k, v in report.facts]
    if report.description.strip():
        out += ["", e(report.description)]
    out += ["", f"## {e(t('report.outcome', lang=lang))}", ""]
    out += [f"- **{e(k)}:** {e(v)}" for k, v in report.outcome]
    out += [f"> {e(note)}" for note in report.notes]
    if report.notices:
        out += ["", f"**{e(t('verdict.notices', lang=lang))}**", ""]
        out += [f"- **{e(label)}:** {e(text)}" for label, text in report.notices]
    out += ["", f"**{e(t('verdict.target_group', lang=lang))}**", ""]
    out += [f"- {e(k)}: {e(v)}" for k, v in report.target]
    out += ["", f"## {e(t('report.explanation', lang=lang))}", ""]
    out += [f"**{e(report.rule)}**", ""] if report.rule else []
    out += [e(report.explanation), ""]
    source = f"{e(t('report.source', lang=lang))}: {e(report.source)}"
    if report.design_choice:
        source += f" ({e(_design(report))})"
    out += ([f"*{source}*", ""] if report.source else []) + [f"## {e(t('report.next_heading', lang=lang))}", "",
                                                              e(report.next_intro)]
    for option in report.options:
        out += ["", f"**{e(option.title)}**", ""]
        out += [f"- [ ] {e(text)} ({e(kind)})" for text, kind in option.items]
    out += ["", f"## {e(t('report.missing', lang=lang))}", ""]
    if not report.missing:
        out.append(e(t("report.no_missing", lang=lang)))
    for heading, fields in report.missing:
        out += [f"**{e(heading)}**", ""]
        out += [f"- {e(question)} ({e(field_path)})" for question, field_path in fields]
        out.append("")
    out += ["", f"## {e(t('report.answers', lang=lang))}", "", e(t("report.answers.intro", lang=lang))]
    for heading, rows in report.answers:
        out += ["", f"### {e(heading)}", ""]
        out += [f"- **{e(question)}** — {e(answer)}" for question, answer in rows]
    out += ["", f"## {e(t('report.participation', lang=lang))}", "", e(t("report.participation_note", lang=lang)), ""]
    out += [f"- **{e(k)}:** {e(v)}" for k, v in report.participation]
    out += ["", f"## {e(t('verdict.trace', lang=lang))}", ""]
    for depth, mark, text, detail in report.trace:
        suffix = f" — {e(detail)}" if detail else ""
        out.append(f"{'  ' * depth}- {mark} {e(text)}{suffix}")
    out += ["", f"## {e(t('report.criteria', lang=lang))}", ""]
    out += [f"- **{e(k)}:** {e(v)}" for k, v in report.criteria]
    out += ["", f"**{e(t('verdict.settings', lang=lang))}**", ""]
    out += [f"- {e(k)}: {e(v)}" for k, v in report.settings]
    out += ["", f"## {e(t('report.references', lang=lang))}", ""]
    out += [f"- \\[{e(key)}\\] {e(full)}" for key, full in report.references]
    out += ["", f"*{e(t('report.made_with', lang=lang, version=__version__))}*"]
    return "\n".join(out).rstrip() + "\n"


# --- HTML ----------------------------------------------------------------------------------------

def render_html(report: _Report) -> str:
    e = escape
    lang = report.lang

    def dl(rows: list[tuple[str, str]], css: str = "facts") -> str:
        return f'<dl class="{css}">' + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows) + "</dl>"

    parts = [
        page_start(lang, f"{t('report.title', lang=lang)}: {report.title}", REPORT_CSS),
        f"<h1>{e(report.title)}</h1>",
        f"<p>{e(t('report.title', lang=lang))}</p>",
        dl(report.facts),
    ]
    if report.description.strip():
        parts.append(f"<p>{e(report.description)}</p>")
    parts += [f"<section><h2>{e(t('report.outcome', lang=lang))}</h2>", f'<div class="outcome">{dl(report.outcome)}</div>']
    parts += [f'<p class="note">{e(note)}</p>' for note in report.notes]
    if report.notices:
        parts.append(f"<h3>{e(t('verdict.notices', lang=lang))}</h3>")
        parts.append("<ul>" + "".join(f"<li><strong>{e(label)}:</strong> {e(text)}</li>" for label, text in report.notices) + "</ul>")
    parts += [f"<h3>{e(t('verdict.target_group', lang=lang))}</h3>", dl(report.target)]
    parts.append("</section>")
    source = f"{t('report.source', lang=lang)}: {report.source}"
    if report.design_choice:
        source += f" ({_design(report)})"
    parts += [
        f"<section><h2>{e(t('report.explanation', lang=lang))}</h2>",
        f"<p><strong>{e(report.rule)}</strong></p>" if report.rule else "",
        f"<p>{e(report.explanation)}</p>",
        (f'<p class="source">{e(source)}</p>' if report.source else "") + "</section>",
        f"<section><h2>{e(t('report.next_heading', lang=lang))}</h2>",
        f"<p>{e(report.next_intro)}</p>",
    ]
    for option in report.options:
        parts.append(f"<h3>{e(option.title)}</h3>")
        parts.append('<ul class="checklist">' + "".join(
            f'<li>{e(text)} <span class="kind">({e(kind)})</span></li>' for text, kind in option.items) + "</ul>")
    parts.append("</section>")
    parts.append(f"<section><h2>{e(t('report.missing', lang=lang))}</h2>")
    if not report.missing:
        parts.append(f"<p>{e(t('report.no_missing', lang=lang))}</p>")
    for heading, fields in report.missing:
        parts.append(f"<h3>{e(heading)}</h3><ul>" + "".join(
            f"<li>{e(question)} <code>{e(path)}</code></li>" for question, path in fields) + "</ul>")
    parts.append("</section>")
    parts += [f"<section><h2>{e(t('report.answers', lang=lang))}</h2>", f"<p>{e(t('report.answers.intro', lang=lang))}</p>"]
    for heading, rows in report.answers:
        parts += [f"<h3>{e(heading)}</h3>", dl(rows, "answers")]
    parts.append("</section>")
    parts += [
        f'<section class="apart"><h2>{e(t("report.participation", lang=lang))}</h2>',
        f"<p>{e(t('report.participation_note', lang=lang))}</p>",
        dl(report.participation),
        "</section>",
        f"<section><h2>{e(t('verdict.trace', lang=lang))}</h2>",
        '<ul class="trace">',
    ]
    for depth, mark, text, detail in report.trace:
        css = ' class="r"' if depth == 0 else ""
        extra = f' <span class="detail">{e(detail)}</span>' if detail else ""
        parts.append(f'<li{css} style="margin-left: {depth * 1.2:.1f}rem">{mark} {e(text)}{extra}</li>')
    parts += [
        "</ul></section>",
        f"<section><h2>{e(t('report.criteria', lang=lang))}</h2>",
        dl(report.criteria),
        f"<h3>{e(t('verdict.settings', lang=lang))}</h3>",
        dl(report.settings),
        "</section>",
        f"<section><h2>{e(t('report.references', lang=lang))}</h2>",
        '<ol class="references">' + "".join(f"<li>[{e(key)}] {e(full)}</li>" for key, full in report.references) + "</ol>",
        "</section>",
        f'<p class="foot">{e(t("report.made_with", lang=lang, version=__version__))}</p>',
        page_end(),
    ]
    return "\n".join(parts) + "\n"


def _grounds(d: dict[str, Any], verdict: Verdict, lang: str) -> dict[str, Any]:
    """The report's rule, explanation, source and design mark. A provisional verdict has no deciding rule
    yet: the summary says what it can still become, and on what. A decided class whose rule is still open
    names the rules that can decide, without one rule's explanation (it would state open answers as fact)."""
    if d["provisional"]:
        return {"rule": "", "explanation": str(d.get("summary") or ""), "source": "", "design_choice": False}
    if d["rule"] is None:
        labels = {r.id: r.label.get(lang) for r in verdict.trace}
        return {"rule": t("verdict.rule_open", lang=lang), "source": "", "design_choice": False,
                "explanation": "; ".join(f"{rule_id} — {labels[rule_id]}" for rule_id in d["possible_rules"])}
    return {"rule": f"{d['rule']} — {d['rule_label']}", "explanation": str(d["explanation"]),
            "source": str(d["source"]), "design_choice": bool(d["design_choice"])}


def _missing_effect(missing: dict[str, Any], criteria: Criteria, lang: str) -> str:
    """What the answer to an open question can change: the advice only, or the verdict (into which classes)."""
    if missing.get("advice_only"):
        return t("verdict.changes_advice", lang=lang)
    return t("verdict.leads_to", lang=lang, classes=class_list(criteria, missing.get("could_lead_to") or (), lang))


def _design(report: _Report) -> str:
    if report.design_reason:
        return t("verdict.design_choice_reason", lang=report.lang, reason=report.design_reason)
    return t("report.design_choice", lang=report.lang)


def render_report(assessment: Assessment, criteria: Criteria, fmt: str = "md", lang: str | None = None,
                  today: dt.date | None = None) -> str:
    """The report for one assessment as Markdown (``"md"``) or one self-contained HTML file (``"html"``)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    report = build(assessment, criteria, lang, today)
    text = render_html(report) if fmt == "html" else render_markdown(report)
    # the last word on control characters: whatever a field held (ESC, OSC 8, BEL, NUL, bidi overrides),
    # the file and the terminal it is printed on get visible escapes (core/safetext.py)
    return terminal_safe(text)
