"""The report for one assessment: content from the verdict, language, escaping, printable HTML, CLI."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.assessments import save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import Assessment, set_path
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.output.report import md_escape, render_report
from kwaliteitskader.core.rules.engine import evaluate
from kwaliteitskader.core.rules.explain import verdict_dict
from tests.conftest import ROOT, SAMPLES, data_file, run_cli

HOSTILE = "<script>alert('x')</script> [/oeps] *vet* [link](http://x.example)"


def _sample(name: str) -> Assessment:
    return load_assessment(SAMPLES / f"{name}.toml").assessment


class _Text(HTMLParser):
    """The visible text and the tags of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(document: str) -> _Text:
    parser = _Text()
    parser.feed(document)
    return parser


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_shows_what_the_verdict_says(criteria: Criteria, fmt: str, lang: str) -> None:
    assessment = _sample("onvolledig_weerbaarheid_enschede")
    d = verdict_dict(evaluate(assessment, criteria), criteria, lang)
    text = render_report(assessment, criteria, fmt, lang)
    visible = " ".join(_parse(text).text) if fmt == "html" else html.unescape(text.replace("\\", ""))
    visible = " ".join(visible.split())
    classes = [criteria.label("classes", c, lang) for c in d["possible_classes"]]
    assert d["class"] is None and len(classes) > 1  # provisional: the report shows the range
    assert d["explanation"] not in visible  # no deciding rule yet: the summary instead of the fallback's text
    for expected in (*classes, d["advice_text"], d["summary"], d["criteria_version"],
                     d["criteria_digest"], t("report.next_heading", lang=lang), t("report.participation", lang=lang),
                     t("report.references", lang=lang)):
        assert " ".join(str(expected).split()) in visible, expected
    for item in d["missing"]:
        assert item["question"] in visible
    for path in d["not_applicable"] + d["ignored"]:
        assert criteria.questions[path].label.get(lang) in visible
    for ref in d["references"]:
        assert " ".join(ref["citation"].split()) in visible
    changes = [c["text"] for cls in d["next_steps"] for option in cls["options"] for c in option["steps"]]
    assert changes, "this sample is provisional and has next steps"
    for change in changes:
        assert change in visible
    for key in d["settings"]:
        assert criteria.label("settings", key, lang) in visible
    for rule in d["trace"]:
        assert rule["label"] in visible


def test_next_steps_are_a_checklist_in_markdown(criteria: Criteria) -> None:
    assessment = _sample("onvolledig_weerbaarheid_enschede")
    d = verdict_dict(evaluate(assessment, criteria), criteria, "nl")
    text = render_report(assessment, criteria, "md", "nl")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    # every step of every option, but an option that reads as an earlier one of its class is shown once
    distinct = [dict.fromkeys(tuple(step["text"] for step in option["steps"]) for option in cls["options"])
                for cls in d["next_steps"]]
    assert len(boxes) == sum(len(steps) for options in distinct for steps in options)
    assert sum(len(options) for options in distinct) < sum(len(cls["options"]) for cls in d["next_steps"])
    assert "## Wat is er nodig?" in text


def test_top_class_has_no_checklist(criteria: Criteria) -> None:
    text = render_report(_sample("ajb_rotterdam"), criteria, "md", "en")
    assert "This is the highest class." in text
    assert "- [ ]" not in text


def test_languages_differ_in_every_heading(criteria: Criteria) -> None:
    assessment = _sample("kapot_sterk_tilburg")
    dutch = render_report(assessment, criteria, "md", "nl")
    english = render_report(assessment, criteria, "md", "en")
    headings_nl = [line for line in dutch.splitlines() if line.startswith("## ")]
    headings_en = [line for line in english.splitlines() if line.startswith("## ")]
    assert len(headings_nl) == len(headings_en) >= 6
    assert all(a != b for a, b in zip(headings_nl, headings_en, strict=True) if "Criteria" not in a)
    assert '<html lang="en">' in render_report(assessment, criteria, "html", "en")


def _hostile(assessment: Assessment) -> Assessment:
    for path in ("intervention.name", "intervention.municipality", "intervention.description", "participation.notes"):
        assessment = set_path(assessment, path, HOSTILE)
    return assessment


def test_html_escapes_user_text(criteria: Criteria) -> None:
    document = render_report(_hostile(_sample("ajb_rotterdam")), criteria, "html", "nl")
    parsed = _parse(document)
    assert "script" not in parsed.tags and "a" not in parsed.tags
    assert "<script>" not in document and "&lt;script&gt;" in document
    assert sum(HOSTILE in chunk for chunk in parsed.text) == 7  # shown literally: the name, municipality and description
    # above and again in the answers, the notes with participation


def test_markdown_escapes_user_text_also_for_rich(criteria: Criteria) -> None:
    text = render_report(_hostile(_sample("ajb_rotterdam")), criteria, "md", "nl")
    assert "<script>" not in text and not re.search(r"(?<!\\)\]\(", text)  # no live link
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(Markdown(text))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert shown.count(HOSTILE) >= 3  # name in the title line, municipality, notes; all literal


def test_md_escape_keeps_ids_readable() -> None:
    assert md_escape("evidence.study_design") == "evidence.study_design"
    assert md_escape("# kop") == "\\# kop"
    assert md_escape("1. eerste") == "1\\. eerste"


def test_html_is_one_printable_self_contained_file(criteria: Criteria) -> None:
    document = render_report(_sample("vios_arnhem"), criteria, "html", "nl")
    parsed = _parse(document)
    assert document.startswith("<!DOCTYPE html>")
    assert "@media print" in document and "@page" in document
    assert not {"script", "link", "img", "iframe"} & set(parsed.tags)
    assert not [value for name, value in parsed.attrs if name in ("src", "href")]
    assert "http://" not in document and "https://" not in document


def test_participation_and_cost_are_reported_apart_and_change_nothing_else(criteria: Criteria) -> None:
    base = _sample("rio_den_haag")
    costly = set_path(set_path(base, "participation.cost_per_participant", 1234.5), "participation.youth_participation", "ja")
    cheap = set_path(set_path(base, "participation.cost_per_participant", 10.0), "participation.youth_participation", "nee")
    a, b = render_report(costly, criteria, "md", "nl"), render_report(cheap, criteria, "md", "nl")
    assert "€ 1.234,50" in a and "€ 10,00" in b
    assert "€ 1,234.50" in render_report(costly, criteria, "md", "en")

    def outside_participation(text: str) -> str:
        head, _, rest = text.partition(f"## {t('report.participation', lang='nl')}")
        return head + rest.partition("\n## ")[2]

    assert outside_participation(a) == outside_participation(b)


def test_report_notes_other_criteria(criteria: Criteria) -> None:
    assessment = set_path(_sample("ajb_rotterdam"), "meta.criteria_digest", "sha256:" + "0" * 64)
    text = render_report(assessment, criteria, "md", "nl")
    assert "Let op: de beoordeling is opgeslagen met criteria" in text


# --- the command ---------------------------------------------------------------------------------


def test_report_command_writes_html_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    result = run_cli("report", SAMPLES / "ajb_rotterdam.toml", "--format", "html", "--output", out, "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert str(out) in result.stderr
    assert '<html lang="en">' in out.read_text(encoding="utf-8")


def test_report_command_prints_markdown_by_default() -> None:
    result = run_cli("report", SAMPLES / "ajb_rotterdam.toml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Beoordelingsrapport: Alleen jij bepaalt wie je bent (AJB)")


def test_report_never_overwrites_the_assessment(tmp_path: Path) -> None:
    file = tmp_path / "ajb.toml"
    save_assessment(_sample("ajb_rotterdam"), file)
    before = file.read_bytes()
    result = run_cli("report", file, "--output", file)
    assert result.returncode == 2
    assert "invoerbestand van deze opdracht" in result.stderr and "niets veranderd" in result.stderr
    assert file.read_bytes() == before


def test_report_on_a_broken_file_names_file_line_and_field(tmp_path: Path) -> None:
    file = tmp_path / "kapot.toml"
    data_file("assessments/age_as_text.toml", file)
    result = run_cli("report", file)
    assert result.returncode == 1
    assert f"{file}:6: [target_group.age_min]" in result.stderr


def test_report_and_serve_help_do_not_import_the_ui() -> None:
    """Like validate/classify: the report path stays in the core (Textual and Rich load only for the app)."""
    code = (
        "import sys, contextlib, io\n"
        "from kwaliteitskader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['report', 'sample_assessments/ajb_rotterdam.toml', '--format', 'html'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'textual_serve'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
