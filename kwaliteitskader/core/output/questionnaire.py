"""The questionnaire: an empty assessment written as commented TOML that any text editor or screen reader can fill in.

Every step and question of the criteria set appears in the wizard's order, each with its help text, the
answers it allows and what each one means, when it applies, and its sources. The keys are those of a saved
assessment, so the file is an assessment as it stands: ``validate`` accepts it, ``classify`` gives "Nog geen
oordeel", and both keep working at every stage of filling it in.

An unanswered number, date or list has no TOML value that means "unknown", so it is written as a commented-out
line (``# age_min =``): the user removes the ``#`` and fills in the value. Texts start empty, three-valued
answers and single choices as ``"onbekend"``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.model import citations as cite
from kwaliteitskader.core.model.assessment import SCHEMA_VERSION, FieldKind, answer_fields
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.fields import sections
from kwaliteitskader.core.rules.engine import answers_read
from kwaliteitskader.core.safetext import control_pictures

WIDTH = 100
"""Comment lines are wrapped to this width: readable in any editor, and one line is one thought."""

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """One answer line of the questionnaire and everything written above it."""

    path: str
    kind: FieldKind
    label: str
    help: str
    step: str
    catalogue: str | None
    source: tuple[Any, ...]
    design: str
    applies_when: str | None


def _clean(text: str) -> str:
    """One line of comment text: whitespace collapsed, and no character a TOML comment may not hold."""
    return control_pictures(_SPACE.sub(" ", str(text)).strip())


def _comment(text: str, indent: str = "") -> list[str]:
    """``text`` as wrapped comment lines; ``indent`` goes before the first line, and spaces before the others."""
    body = _clean(text)
    if not body:
        return []
    return textwrap.wrap(body, WIDTH - 2, initial_indent=f"# {indent}", subsequent_indent="# " + " " * len(indent),
                         break_long_words=False, break_on_hyphens=False)


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, and JSON escapes every control character)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def entries(criteria: Criteria, lang: str) -> list[Entry]:
    """Every question of the criteria set, then one per harm signal, in the order of the steps; then every
    other answer a rule reads (the assessment date), each after the last question of its section."""
    fields = answer_fields()
    found: list[Entry] = []
    for q in criteria.document.questions:
        info = fields.get(q.field)
        if info is None:
            continue
        found.append(Entry(q.field, info.kind, q.label.get(lang), q.help.get(lang), q.step, info.catalogue,
                           tuple(q.source), _design(q, lang), q.applies_when))
    for signal in criteria.document.harm_signals:
        found.append(Entry(f"harm_signals.{signal.id}", FieldKind.TRI, signal.question.get(lang),
                           f"{signal.label.get(lang)}: {signal.explanation.get(lang)}", "schadesignalen", None,
                           tuple(signal.source), _design(signal, lang), None))
    order = [s.id for s in criteria.document.steps]
    found.sort(key=lambda e: order.index(e.step) if e.step in order else len(order))
    for path in sorted(answers_read(criteria) - {e.path for e in found}):
        _insert_unasked(found, path, criteria, lang)
    return found


def _insert_unasked(found: list[Entry], path: str, criteria: Criteria, lang: str) -> None:
    """An answer a rule reads that no question of the criteria set asks (``meta.assessed_on``): its label and
    help come from our catalogue, and it goes after the last answer of its section, so that each section
    stays one ``[table]``. An answer no assessment holds (a derived value) is left out."""
    info = answer_fields().get(path)
    if info is None:
        return
    section = path.partition(".")[0]
    last = max((n for n, e in enumerate(found) if e.path.partition(".")[0] == section), default=-1)
    step = found[last].step if last >= 0 else criteria.document.steps[0].id
    found.insert(last + 1, Entry(path, info.kind, t(f"questionnaire.field.{path}.label", lang=lang),
                                 t(f"questionnaire.field.{path}.help", lang=lang), step, info.catalogue, (), "", None))


def _design(item: Any, lang: str) -> str:
    """"Keuze van dit programma: <reason>" for a design choice of ours, else ""."""
    if not getattr(item, "design_choice", False):
        return ""
    reason = getattr(item, "design_reason", None)
    return t("questionnaire.design", lang=lang, reason=reason.get(lang) if reason is not None else "")


def _choices(entry: Entry, criteria: Criteria, lang: str) -> list[str]:
    """The allowed answers, each with what it means."""
    lines: list[str] = []
    if entry.kind is FieldKind.TRI:
        for value in ("ja", "nee", "onbekend"):
            lines += _comment(t(f"questionnaire.tri.{value}", lang=lang), f"  {_string(value)}  ")
        return lines
    if entry.catalogue is None:
        return lines
    for item_id, item in (criteria.catalogues.get(entry.catalogue) or {}).items():
        meaning = item.label.get(lang)
        explanation = item.explanation.get(lang) if getattr(item, "explanation", None) is not None else ""
        if explanation and entry.catalogue != "ingredient_domains":
            meaning = f"{meaning}: {explanation}"
        lines += _comment(meaning, f"  {_string(item_id)}  ")
    if entry.kind is FieldKind.CHOICE:
        lines += _comment(t("questionnaire.tri.onbekend", lang=lang), f"  {_string('onbekend')}  ")
    return lines


def _how(entry: Entry, lang: str) -> str:
    """How to write the answer, by kind (and the bounds of a number)."""
    if entry.kind in (FieldKind.INT, FieldKind.FLOAT):
        section, _, name = entry.path.partition(".")
        _kind, _default, low, high = sections()[section][name]
        key = "questionnaire.how.int" if entry.kind is FieldKind.INT else "questionnaire.how.float"
        bounds = t("questionnaire.how.between", lang=lang, low=_number(low), high=_number(high)) if high is not None \
            else t("questionnaire.how.at_least", lang=lang, low=_number(low)) if low is not None else ""
        return t(key, lang=lang, bounds=bounds).strip()
    return t(f"questionnaire.how.{entry.kind.value}", lang=lang)


def _number(value: float | None) -> str:
    return "" if value is None else str(int(value)) if float(value).is_integer() else str(value)


def _answer_line(entry: Entry) -> str:
    """The line that holds the answer, as it stands before anything is filled in."""
    name = entry.path.partition(".")[2]
    if entry.kind is FieldKind.TEXT:
        return f'{name} = ""'
    if entry.kind in (FieldKind.TRI, FieldKind.CHOICE):
        return f'{name} = "onbekend"'
    return f"# {name} ="  # a number or list: no TOML value means "unknown", so the line waits, commented out


def entry_block(entry: Entry, criteria: Criteria, lang: str, number: str = "") -> list[str]:
    """The comment block above one answer, then the answer line. ``number``: "2.3", the third of step 2.

    No lines of dashes or equals signs: a screen reader reads every one of them out."""
    lines = ["", *_comment(t("questionnaire.question", lang=lang, number=number, label=entry.label))]
    lines += _comment(entry.help)
    lines += _comment(_how(entry, lang), t("questionnaire.answer", lang=lang) + " ")
    lines += _choices(entry, criteria, lang)
    if entry.applies_when:
        condition = criteria.conditions.get(entry.applies_when)
        label = condition.label.get(lang) if condition is not None else entry.applies_when
        lines += _comment(t("questionnaire.applies_when", lang=lang, condition=label))
    lines += _comment(entry.design)
    for citation in entry.source:
        lines += _comment(_citation(citation), t("questionnaire.source", lang=lang) + " ")
    lines.append(_answer_line(entry))
    return lines


def _citation(citation: Any) -> str:
    """``[hic-2024] voetnoot 15: “quote”``: the reference key (listed in full at the end), place and quote."""
    text = f"[{citation.ref}]"
    if getattr(citation, "at", None):
        text += f" {citation.at}"
    if getattr(citation, "quote", None):
        text += f": “{citation.quote}”"
    return text


def _references(found: list[Entry], criteria: Criteria, lang: str) -> list[str]:
    """The full citation of every reference the questions cite, in the criteria set's order."""
    used = [str(c.ref) for e in found for c in e.source]
    lines = ["", "", f"# {t('questionnaire.references', lang=lang)}", "#"]
    for key, text in cite.reference_list(criteria, used):
        lines += _comment(text, f"[{key}] ")
    return lines


def _step_header(number: int, total: int, step: Any, lang: str) -> list[str]:
    title = t("questionnaire.step", lang=lang, number=number, total=total, label=_clean(step.label.get(lang)))
    lines = ["", "", f"# {title}"]
    lines += _comment(step.explanation.get(lang))
    return lines


def _preamble(criteria: Criteria, lang: str, schema_line: str, tables: bool) -> list[str]:
    lines = [schema_line.rstrip("\n")] if schema_line else []
    lines += _comment(t("questionnaire.title", lang=lang, version=criteria.version))
    lines.append("#")
    for key in ("intro", "how_text", "how_unknown", "how_numbers", "check", "editor"):
        lines += _comment(t(f"questionnaire.{key}", lang=lang))
    lines += ["", f"schema_version = {SCHEMA_VERSION}", ""]
    prefix = "" if tables else "meta."
    if tables:
        lines.append("[meta]")
    lines += _comment(t("questionnaire.meta", lang=lang))
    lines.append(f"{prefix}criteria_version = {_string(criteria.version)}")
    lines.append(f"{prefix}criteria_digest = {_string(criteria.digest)}")
    return lines


def _by_step(found: list[Entry], criteria: Criteria) -> Iterator[tuple[Any, list[Entry]]]:
    """Each step with its entries (a step without questions, such as the result, with none)."""
    for step in criteria.document.steps:
        yield step, [e for e in found if e.step == step.id]
    known = {s.id for s in criteria.document.steps}
    rest = [e for e in found if e.step not in known]
    if rest:
        yield None, rest


def _tables_in_order(found: list[Entry]) -> bool:
    """Whether every section's answers come together: then each section is one ``[table]``; otherwise
    every answer is written with its full dotted key, which TOML accepts in any order."""
    seen: list[str] = []
    for entry in found:
        section = entry.path.partition(".")[0]
        if section in seen and seen[-1] != section:
            return False
        if not seen or seen[-1] != section:
            seen.append(section)
    return True


def questionnaire(criteria: Criteria, lang: str, schema_line: str = "") -> str:
    """The whole questionnaire for ``criteria`` in ``lang`` (``schema_line``: the ``#:schema`` directive, if any)."""
    found = entries(criteria, lang)
    tables = _tables_in_order(found)
    lines = _preamble(criteria, lang, schema_line, tables)
    current = "meta"
    steps = list(_by_step(found, criteria))
    for number, (step, items) in enumerate(steps, 1):
        if step is not None:
            lines += _step_header(number, len(steps), step, lang)
        if not items:  # the last step is the result (as in the wizard); another one follows from the answers
            last = number == len(steps)
            lines += _comment(t("questionnaire.result" if last else "questionnaire.no_questions", lang=lang))
        for count, entry in enumerate(items, 1):
            section = entry.path.partition(".")[0]
            block = entry_block(entry, criteria, lang, f"{number}.{count}")
            if tables and section != current:
                lines += ["", f"[{section}]"]
                current = section
            elif not tables:
                block[-1] = _dotted(block[-1], section)
            lines += block
    lines += _references(found, criteria, lang)
    return "\n".join(lines) + "\n"


def _dotted(line: str, section: str) -> str:
    """An answer line with its section in front of the key (``# age_min =`` → ``# target_group.age_min =``)."""
    if line.startswith("# "):
        return f"# {section}.{line[2:]}"
    return f"{section}.{line}"
