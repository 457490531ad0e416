"""The bars of ``compare --format html`` are readable: every label has at least 4.5:1 contrast with its bar
(WCAG 2.1 AA for normal text), for every class colour, including kansrijk's yellow."""

from __future__ import annotations

import re
from pathlib import Path

from kwaliteitskader.core.output.html import CLASS_COLOURS, OTHER_CLASS_COLOUR
from tests.conftest import SAMPLES, run_cli


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula() -> None:
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#ffffff", "#f9a825"), 1) == 2.0  # white on the kansrijk yellow: unreadable


def test_every_class_colour_has_readable_text() -> None:
    for background, text in [*CLASS_COLOURS.values(), OTHER_CLASS_COLOUR]:
        assert contrast(background, text) >= 4.5, (background, text)


def test_the_bars_in_the_html_overview_are_readable(tmp_path: Path) -> None:
    target = tmp_path / "overzicht.html"
    result = run_cli("compare", SAMPLES, "--format", "html", "--output", target)
    assert result.returncode in (0, 1), result.stderr
    page = target.read_text(encoding="utf-8")
    bars = re.findall(r'class="seg" style="[^"]*background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})[;"]', page)
    assert len(bars) == page.count('class="seg"') > 0
    assert "#dfe4e7" in {background for background, _ in bars}  # the open verdicts' bucket is among them
    assert "#f9a825" in {background for background, _ in bars}  # the kansrijk bars are among them
    for background, text in bars:
        assert contrast(background, text) >= 4.5, (background, text)
