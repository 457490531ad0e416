"""The pictures in docs/ are the ones the README shows, made by docs/make_screenshots.py, and current.

A picture the README shows must exist; a picture in docs/ that neither the README nor a page in docs/ shows
must go; and a picture must not show text the program no longer shows.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

DOCS = ROOT / "docs"
IMAGE = re.compile(r"\.(png|svg|jpe?g|gif|webp)$", re.IGNORECASE)
SHOWN = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)|<img[^>]+src=\"([^\"]+)\"")
GONE = ("framework.md", "Schade-poort", "STOPPEN VOORLOPIG")


def shown_in(page: Path) -> set[Path]:
    text = page.read_text(encoding="utf-8")
    return {(page.parent / (a or b)).resolve() for a, b in SHOWN.findall(text)}


def test_every_picture_the_readme_shows_exists() -> None:
    shown = shown_in(ROOT / "README.md")
    assert shown, "the README shows no picture at all"
    missing = sorted(str(p.relative_to(ROOT)) for p in shown if not p.is_file())
    assert missing == []


def test_docs_holds_no_picture_that_nothing_shows() -> None:
    shown = shown_in(ROOT / "README.md").union(*(shown_in(page) for page in DOCS.rglob("*.md")))
    pictures = {p.resolve() for p in DOCS.rglob("*") if IMAGE.search(p.name)}
    assert sorted(str(p.relative_to(ROOT)) for p in pictures - shown) == []


def test_every_picture_is_made_by_the_screenshot_script() -> None:
    script = (DOCS / "make_screenshots.py").read_text(encoding="utf-8")
    for picture in shown_in(ROOT / "README.md"):
        stem = picture.name.removeprefix("screenshot-").removesuffix(".svg")
        assert picture.name in script or f'"{stem}"' in script or f"({stem!r}" in script or stem in script, picture.name


def test_no_picture_shows_text_the_program_no_longer_shows() -> None:
    for picture in DOCS.glob("*.svg"):
        text = picture.read_text(encoding="utf-8").replace("&#160;", " ")
        assert not [gone for gone in GONE if gone in text], picture.name
