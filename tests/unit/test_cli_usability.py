"""The command line in Dutch mode speaks Dutch all through, helps with typos, and takes folders everywhere."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from tests.conftest import SAMPLES, run_cli


def test_help_in_dutch_has_no_argparse_english() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for english in ("usage:", "options:", "show this help message and exit", "positional arguments"):
        assert english not in result.stdout
    assert result.stdout.startswith("gebruik: kwaliteitskader")
    assert "opties:" in result.stdout and "toon deze hulp en stop" in result.stdout


def test_help_in_english_stays_english() -> None:
    result = run_cli("--lang", "en", "classify", "--help")
    assert result.stdout.startswith("usage: kwaliteitskader classify")
    assert "show this help message and exit" in result.stdout


def test_a_mistyped_command_suggests_the_right_one() -> None:
    result = run_cli("clasify", SAMPLES / "ajb_rotterdam.toml")
    assert result.returncode == 2
    assert "fout: onbekende opdracht 'clasify'" in result.stderr
    assert "Bedoelde u classify?" in result.stderr
    assert "error" not in result.stderr and "invalid choice" not in result.stderr


def test_a_mistyped_choice_suggests_the_right_one_in_english_too() -> None:
    result = run_cli("--lang", "en", "validate", "--format", "jsn", SAMPLES)
    assert result.returncode == 2
    assert "invalid choice 'jsn' (choose from text, json, github). Did you mean json?" in result.stderr


def test_missing_argument_is_reported_in_dutch() -> None:
    result = run_cli("classify")
    assert result.returncode == 2
    assert "deze argumenten zijn verplicht: PATH" in result.stderr


def test_argparse_is_left_as_it_was_after_parsing() -> None:
    from kwaliteitskader.cli import main

    original = argparse._  # type: ignore[attr-defined]
    assert main(["schema", "assessment"]) == 0
    assert argparse._ is original  # type: ignore[attr-defined]


def test_classify_accepts_a_folder_like_validate(tmp_path: Path) -> None:
    folder = tmp_path / "beoordelingen"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "ajb_rotterdam.toml", folder / "ajb.toml")
    shutil.copy(SAMPLES / "kapot_sterk_tilburg.toml", folder / "sub" / "kapot_sterk.toml")
    result = run_cli("classify", folder)
    assert result.returncode == 0, result.stderr
    assert "Dit is een map" not in result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert headers == [f"== {folder / 'ajb.toml'}: Alleen jij bepaalt wie je bent (AJB)",
                       f"== {folder / 'sub' / 'kapot_sterk.toml'}: Kapot Sterk"]
    assert run_cli("validate", folder).returncode == 0


def test_classify_names_each_file_once_however_often_it_is_given(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(SAMPLES / "ajb_rotterdam.toml", first / "ajb.toml")
    shutil.copy(SAMPLES / "kapot_sterk_tilburg.toml", second / "kapot_sterk.toml")
    # a file named first (as "./…" text) and then found again in its folder, and a folder given twice
    result = run_cli("classify", f"{tmp_path}/./a/ajb.toml", first, second, first)
    assert result.returncode == 0, result.stderr
    headers = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("== ")]
    assert headers == [f"== {first / 'ajb.toml'}", f"== {second / 'kapot_sterk.toml'}"]


def test_classify_on_an_empty_folder_says_so(tmp_path: Path) -> None:
    result = run_cli("classify", tmp_path)
    assert result.returncode == 2  # as validate: a folder without assessments is unusable input
    assert "Geen TOML-bestanden in deze map" in result.stderr


def test_english_class_labels_read_as_english() -> None:
    result = run_cli("--lang", "en", "classify", SAMPLES / "gastles_ex_gedetineerde_zaanstad.toml")
    assert "Class: to stop" not in result.stdout
    assert "Class: discontinue" in result.stdout
