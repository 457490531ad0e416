"""``validate`` tells everything at once, in the user's language: a type error does not hide an unknown
choice, an unknown choice lists the values allowed, and no English from pydantic reaches Dutch output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "ipta_amsterdam.toml"


def _broken(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    target = tmp_path / "kapot.toml"
    target.write_text(text, encoding="utf-8")
    return target


def test_a_type_error_does_not_hide_an_unknown_choice(tmp_path: Path) -> None:
    file = _broken(tmp_path, ("age_min = 18", 'age_min = "achttien"'), ('risk_level = "hoog"', 'risk_level = "hooog"'),
                   ('"lvb",', '"lvbb",'))
    result = run_cli("validate", file)
    assert result.returncode == 1
    keys = re.findall(r"\[([\w.]+)\]", result.stdout)
    assert keys == ["target_group.age_min", "target_group.risk_level", "target_group.special_needs"], result.stdout


def test_an_unknown_choice_lists_the_allowed_values_and_the_nearest(tmp_path: Path) -> None:
    result = run_cli("validate", _broken(tmp_path, ('risk_level = "hoog"', 'risk_level = "hooog"')))
    assert result.returncode == 1
    assert "Toegestaan: laag, gemiddeld, hoog, onbekend." in result.stdout
    assert "Bedoelde u 'hoog'?" in result.stdout
    english = run_cli("--lang", "en", "validate", _broken(tmp_path, ('risk_level = "hoog"', 'risk_level = "hooog"')))
    assert "Allowed: laag, gemiddeld, hoog, onbekend." in english.stdout and "Did you mean 'hoog'?" in english.stdout


WRONG = [
    ("age_min = 18", 'age_min = "achttien"', "heel getal"),
    ("age_min = 18", "age_min = 18.5", "heel getal"),
    ("age_max = 27", "age_max = 270", "hoogstens 120"),
    ("study_count = 0", "study_count = -1", "minstens 0"),
    ("cost_per_participant = 4800.0", 'cost_per_participant = "veel"', "een getal"),
    ('manual = "ja"', 'manual = "misschien"', 'toegestaan is "ja", "nee" of "onbekend"'),
    ('special_needs = [\n    "lvb",\n    "verslaving",\n]', 'special_needs = "lvb"', "een lijst"),
    ("assessed_on = 2025-04-01", 'assessed_on = "gisteren"', "een datum"),
    ('provider = "Werkgeversservicepunt en jongerenwerk"', "provider = 3", "tekst tussen aanhalingstekens"),
    ('[delivery]\ntrained_staff = "ja"', 'delivery = 3\n[x]\ntrained_staff = "ja"', ""),
]


@pytest.mark.parametrize(("old", "new", "expected"), WRONG, ids=[w[1].split("\n")[0] for w in WRONG])
def test_a_wrong_value_is_explained_in_dutch(tmp_path: Path, old: str, new: str, expected: str) -> None:
    result = run_cli("validate", _broken(tmp_path, (old, new)))
    assert result.returncode in (1, 2)
    assert expected in result.stdout
    for english in ("Input should", "should be", "valid integer", "valid number", "unable to parse", "instance of"):
        assert english not in result.stdout, result.stdout


TYPED_BY_HAND = [
    ('manual = "ja"', "manual = ja", "tekst hoort tussen aanhalingstekens"),
    ('manual = "ja"', 'manual = "ja', "het aanhalingsteken aan het eind ontbreekt"),
    ('manual = "ja"', 'manual = "ja"\nmanual = "nee"', "staat er twee keer"),
    ('"lvb",\n    "verslaving",\n]', '"lvb"\n    "verslaving",\n]', "hoort een komma"),
    ("assessed_on = 2025-04-01", "assessed_on = 2025-13-01", "geen bestaande datum"),
]


@pytest.mark.parametrize(("old", "new", "expected"), TYPED_BY_HAND, ids=[w[1].split("\n")[0] for w in TYPED_BY_HAND])
def test_a_typing_mistake_in_the_toml_is_explained_in_dutch(tmp_path: Path, old: str, new: str, expected: str) -> None:
    """Someone filling in the questionnaire by hand makes these; the reader's English does not reach them."""
    result = run_cli("validate", _broken(tmp_path, (old, new)))
    assert result.returncode == 2
    assert "Geen geldige TOML: " in result.stdout and expected in result.stdout, result.stdout
    for english in ("expected", "must be", "invalid", "duplicate", "missing"):
        assert english not in result.stdout, result.stdout
