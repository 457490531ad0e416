"""What ``verdict_text`` says depends only on the verdict, its criteria object and the language.

Whatever was asked before, in whatever language, with whatever criteria (another set, the same set with other
labels under the same digest, other settings), every text is the one a fresh process makes. ``safe=True``
gives exactly ``terminal_safe`` of the plain text, also for an assessment whose values hold control and bidi
characters.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import set_path
from kwaliteitskader.core.model.criteria import Text
from kwaliteitskader.core.model.criteria_set import Criteria, FullCriteria
from kwaliteitskader.core.rules import explain
from kwaliteitskader.core.rules.engine import evaluate
from kwaliteitskader.core.safetext import terminal_safe
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.toml"))
MARK = "⟪B⟫ "


def _texts(criteria: Criteria, files: list[Path], *, safe: bool = False) -> dict[tuple[str, str, bool], str]:
    out = {}
    for file in files:
        assessment = load_assessment(file).assessment
        for lang in ("nl", "en"):
            for trace in (False, True):
                verdict = evaluate(assessment, criteria, conditions=trace)
                out[file.name, lang, trace] = explain.verdict_text(verdict, criteria, lang, trace=trace,
                                                                    assessment=assessment, safe=safe)
    return out


def _relabelled(value: Any) -> Any:
    """The criteria document with MARK before every text (labels, explanations, remedies …)."""
    if isinstance(value, Text):
        return Text(nl=MARK + value.nl, en=MARK + value.en)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _relabelled(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [_relabelled(v) for v in value]
    return value


def _copy(criteria: FullCriteria, document: Any = None) -> FullCriteria:
    """A new criteria object: the same folder and digest, this document."""
    return FullCriteria(document or criteria.document, criteria.folder, criteria.digest, criteria.sources)


def _fresh(criteria: FullCriteria, files: list[Path]) -> dict[tuple[str, str, bool], str]:
    """The texts as a fresh process makes them (nothing asked before in it)."""
    import pickle
    import subprocess
    import sys

    script = (
        "import pickle, sys\n"
        "from tests.unit.test_explain_texts import _texts\n"
        "criteria, files = pickle.loads(sys.stdin.buffer.read())\n"
        "sys.stdout.buffer.write(pickle.dumps(_texts(criteria, files)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=pickle.dumps((criteria, files)),
                          capture_output=True, check=True)
    found: dict[tuple[str, str, bool], str] = pickle.loads(done.stdout)  # noqa: S301 - our own bytes
    return found


def test_texts_do_not_depend_on_what_was_asked_before() -> None:
    criteria = _copy(load_criteria())
    first = _texts(criteria, SAMPLE_FILES)
    again = _texts(criteria, SAMPLE_FILES[::-1])  # asked again, in another order
    safe = _texts(criteria, SAMPLE_FILES, safe=True)
    assert _fresh(criteria, SAMPLE_FILES) == first == again
    assert safe == {key: terminal_safe(text) for key, text in first.items()}
    assert all(first[name, "nl", trace] != first[name, "en", trace] for name, _lang, trace in first)


def test_another_criteria_object_never_gets_the_texts_of_another() -> None:
    base = load_criteria()
    assert isinstance(base, FullCriteria)
    plain = _copy(base)
    marked = _copy(base, _relabelled(base.document))  # same folder and digest, other words
    assert marked.digest == plain.digest
    ours = _texts(plain, SAMPLE_FILES)
    theirs = _texts(marked, SAMPLE_FILES)
    ours_again = _texts(plain, SAMPLE_FILES)
    assert ours == ours_again
    for key, text in theirs.items():
        assert MARK not in ours[key]
        assert MARK in text and text.replace(MARK, "") == ours[key]


def test_other_settings_never_get_the_texts_of_the_defaults() -> None:
    base = load_criteria()
    assert isinstance(base, FullCriteria)
    strict = base.with_settings(streng_min_studies=1, eerste_aanwijzingen_telt=False)
    files = SAMPLE_FILES[:5]
    defaults = _texts(base, files)
    changed = _texts(strict, files)
    assert changed == _fresh(strict, files)
    assert changed != defaults  # the settings do change some verdict


HOSTILE = "\x1b]0;titel\x07\x1b[2J rood\x9b31m\x00 \u202eom\u2066 \r terug"


@pytest.mark.parametrize("light", [True, False])
def test_safe_text_escapes_every_control_character_from_the_assessment(tmp_path: Path, light: bool) -> None:
    """Values of the file reach the text through the target group (ids that are no catalogue item), the
    notices (a refusal reason), the reasons read and the trace; each is shown as an escape, never raw."""
    assessment = load_assessment(SAMPLES / "kapot_sterk_tilburg.toml").assessment
    for path, value in [("intervention.name", HOSTILE), ("target_group.prevention_tier", HOSTILE),
                        ("target_group.risk_level", "laag" + HOSTILE), ("target_group.special_needs", [HOSTILE]),
                        ("delivery.intensity", HOSTILE), ("evidence.refusal_reason", HOSTILE),
                        ("evidence.recognition_status", "geweigerd"), ("factors.risk_factors", [HOSTILE])]:
        assessment = set_path(assessment, path, value)
    from kwaliteitskader.core.io.assessments import save_assessment

    target = tmp_path / "vijandig.toml"
    save_assessment(assessment, target)
    loaded = load_assessment(target, light=light).assessment
    criteria = load_criteria(light=True)
    for lang in ("nl", "en"):
        for trace in (False, True):
            verdict = evaluate(loaded, criteria, conditions=trace)
            plain = explain.verdict_text(verdict, criteria, lang, trace=trace, assessment=loaded)
            assert "\x1b" in plain  # the value did reach the text
            safe = explain.verdict_text(verdict, criteria, lang, trace=trace, assessment=loaded, safe=True)
            assert safe == terminal_safe(plain)
            assert [ch for ch in safe if unicodedata.category(ch) == "Cc" and ch not in "\n"] == []
            assert "\u202e" not in safe and "\\x1b]0;titel\\x07" in safe
