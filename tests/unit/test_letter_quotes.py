"""Every quote in criteria 2024.3 that cites one of the two Kamerbrieven stands verbatim in that letter, at the place
the citation names (a footnote, a section of the letter or of its bijlage, a named subsection).

The letters' text lives beside the clone, in ``../shared/domain/kamerbrieven/`` (CI always has it; elsewhere set
``KWALITEITSKADER_LETTERS`` to that folder, or the tests skip and say why). The text is as extracted from the PDF:
a quote matches after collapsing white space and joining words broken over two lines with a hyphen.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.load import load_criteria
from tests.conftest import ROOT

LETTERS = Path(os.environ.get("KWALITEITSKADER_LETTERS") or ROOT.parent / "shared" / "domain" / "kamerbrieven")
FILES = {"hic-2021": "hic-2021-voortgangsrapportage.txt", "hic-2024": "hic-2024-voortgangsrapportage.txt"}
CHECKED = ROOT / "criteria" / "2024.3"

pytestmark = pytest.mark.skipif(
    not all((LETTERS / name).is_file() for name in FILES.values()),
    reason=f"the Kamerbrieven are not at {LETTERS} (CI has ../shared beside the clone; "
           "set KWALITEITSKADER_LETTERS to the kamerbrieven folder to run these tests elsewhere)",
)

_FOOTNOTE = re.compile(r"^(\d{1,2}) \S")
_HEADING = re.compile(r"^\s*(\d(?:\.\d){0,2})\.? (\S.*?)\s*$")


@dataclass
class Letter:
    """A letter split into the places a citation can name: sections of the letter and its bijlage, footnotes."""

    sections: dict[str, list[str]] = field(default_factory=dict)
    footnotes: dict[int, list[str]] = field(default_factory=dict)


def _heading(line: str, numbered: bool) -> str | None:
    """The section number a heading line starts, or None. A heading is short and its number is at the start."""
    found = _HEADING.match(line)
    if found is None or len(line) > 90 or found.group(2)[0].islower():
        return None
    number = found.group(1)
    if numbered == ("." in number):
        return number
    return number if re.match(rf"^\s*{re.escape(number)}\. ", line) else None


def parse_letter(text: str, dotted_sections: bool) -> Letter:
    """Body lines per section (``inleiding``, ``§1``…, ``bijlage §1``…) and footnote lines per number.

    A page's footnotes follow its body and run until the next page, whose first line starts with a space;
    footnotes are numbered 1, 2, 3 … through the letter, which tells them from body lines that start with a number."""
    letter = Letter()
    place, in_bijlage, seen, expected, note = "inleiding", False, set[str](), 1, 0
    for line in text.splitlines():
        start = _FOOTNOTE.match(line)
        if start and int(start.group(1)) == expected:
            note, expected = expected, expected + 1
            letter.footnotes[note] = [line[len(start.group(1)) + 1:]]
            continue
        if note and not line.startswith(" "):
            letter.footnotes[note].append(line)
            continue
        note = 0
        number = _heading(line, dotted_sections)
        if number is not None:
            if number in seen and not dotted_sections:
                in_bijlage = True
            seen.add(number)
            place = f"bijlage §{number}" if in_bijlage else f"§{number}"
        letter.sections.setdefault(place, []).append(line)
    return letter


def quote_pattern(quote: str) -> re.Pattern[str]:
    """The quote as a pattern: any white space between words, and a word may be split by a line-end hyphen."""
    parts: list[str] = []
    previous_word = False
    for char in quote:
        if char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
            previous_word = False
            continue
        word = char.isalnum()
        if word and previous_word:
            parts.append(r"(?:-\s+)?")
        parts.append(re.escape(char))
        previous_word = word
    return re.compile("".join(parts))


_PLACE = re.compile(r"^(?:(?P<note>voetnoot (?P<n>\d+))|(?P<intro>inleiding)|(?P<bijlage>bijlage )?§(?P<section>\d(?:\.\d){0,2})"
                    r"(?: [^,]*)?)(?:, (?P<sub>.+))?$")


def region(letter: Letter, at: str) -> str | None:
    """The text at the place ``at`` names; None when the place is not one this letter has."""
    found = _PLACE.match(at)
    if found is None:
        return None
    if found.group("note"):
        lines = letter.footnotes.get(int(found.group("n")))
    elif found.group("intro"):
        lines = letter.sections.get("inleiding")
    else:
        key = f"{'bijlage ' if found.group('bijlage') else ''}§{found.group('section')}"
        lines = [line for name, body in letter.sections.items() if name == key or name.startswith(key + ".")
                 for line in body] or None
    if lines is None:
        return None
    sub = found.group("sub")
    if sub is not None:
        titles = [i for i, line in enumerate(lines) if line.strip() == sub]
        if not titles:
            return None
        lines = lines[titles[0]:]
    return "\n".join(lines)


def place(letter: Letter, at: str) -> str:
    """:func:`region`, for a place the letter is known to have."""
    text = region(letter, at)
    assert text is not None, at
    return text


@pytest.fixture(scope="module")
def letters() -> dict[str, Letter]:
    return {key: parse_letter((LETTERS / name).read_text(encoding="utf-8"), dotted_sections=key == "hic-2021")
            for key, name in FILES.items()}


def _citations(value: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        if "ref" in value and "quote" in value:
            return [(where, value)]
        return [c for k, v in value.items() for c in _citations(v, f"{where}.{k}" if where else k)]
    if isinstance(value, list):
        return [c for i, v in enumerate(value) for c in _citations(v, f"{where}[{i}]")]
    return []


def letter_quotes() -> list[tuple[str, dict[str, Any]]]:
    document = load_criteria(CHECKED).document.model_dump(by_alias=True)
    return [(where, c) for where, c in _citations(document, "") if c["ref"] in FILES and c["quote"]]


def test_the_parser_finds_the_places_of_both_letters(letters: dict[str, Letter]) -> None:
    hic24, hic21 = letters["hic-2024"], letters["hic-2021"]
    assert sorted(hic24.footnotes)[:21] == list(range(1, 22))
    assert "Onder kansrijke interventies" in place(hic24, "voetnoot 15")
    assert "bijlage §1" in hic24.sections and "bijlage §2" in hic24.sections and "§1" in hic24.sections
    assert "Inzetten effectieve interventies" in hic24.sections["bijlage §1"][0]
    assert "§2.1" in hic21.sections and "§2.3.2" in hic21.sections


def test_every_letter_quote_stands_verbatim_at_its_cited_place(letters: dict[str, Letter]) -> None:
    quotes = letter_quotes()
    assert len(quotes) > 40
    wrong = []
    for where, citation in quotes:
        letter = letters[citation["ref"]]
        pattern = quote_pattern(citation["quote"])
        whole = "\n".join(line for body in letter.sections.values() for line in body) + "\n" + "\n".join(
            line for body in letter.footnotes.values() for line in body)
        if not pattern.search(whole):
            wrong.append(f"{where}: not in {citation['ref']}: {citation['quote']!r}")
            continue
        at = citation.get("at")
        text = region(letter, at) if at else None
        if text is None or not pattern.search(text):
            wrong.append(f"{where}: not at {at!r} of {citation['ref']}: {citation['quote']!r}")
    assert wrong == []


def test_the_check_refuses_what_2024_2_got_wrong(letters: dict[str, Letter]) -> None:
    """The corrections in 2024.3, each caught by the check above when written the 2024.2 way."""
    hic24, hic21 = letters["hic-2024"], letters["hic-2021"]
    all_2021 = "\n".join(line for body in hic21.sections.values() for line in body)
    assert not quote_pattern("wapenbezit vormt ook een risicofactor").search(all_2021)
    assert quote_pattern("vormt ook wapenbezit een risicofactor voor geweldpleging").search(place(hic21, "§2.3.2, Wapenbezit"))
    ajb = quote_pattern("bewezen effectieve interventies, zoals AJB")
    assert not ajb.search(place(hic24, "bijlage §1")) and ajb.search(place(hic24, "bijlage §2, Verlaging werkdruk leraren"))
    again = quote_pattern("In september 2024 is AJB voor de komende vijf jaar opnieuw erkend door het NJi.")
    assert not again.search(place(hic24, "voetnoot 20"))
    assert again.search(place(hic24, "bijlage §2, Alleen jij bepaalt wie je bent"))
    assert quote_pattern("een analyse van de risico- en beschermende factoren").search(place(hic24, "§1 De HIC-aanpak"))
    assert quote_pattern("WODC rapport, december 2023.").search(place(hic24, "voetnoot 17"))
