"""The command line as CI and coordinators use it: exit codes, formats, and no UI imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, data_file, run_cli


def test_validate_criteria_and_samples_exit_0() -> None:
    result = run_cli("validate", "criteria", "sample_assessments")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "geen bevindingen" in result.stdout


def test_validate_missing_path_exits_2() -> None:
    result = run_cli("validate", "bestaat/niet.toml")
    assert result.returncode == 2
    assert "bestaat/niet.toml" in result.stdout


def test_validate_assessment_with_unknown_factor_exits_1_with_line(tmp_path: Path) -> None:
    text = (
        (SAMPLES / "vios_arnhem.toml")
        .read_text(encoding="utf-8")
        .replace('"spijbelen",\n', '"spijbelen",\n    "verveling",\n', 1)
    )
    target = tmp_path / "vios.toml"
    target.write_text(text, encoding="utf-8")
    line = text.split("\n").index('    "verveling",') + 1
    result = run_cli("validate", target)
    assert result.returncode == 1
    assert f"{target}:{line}:" in result.stdout
    assert "verveling" in result.stdout


def test_validate_json_format(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    data_file("assessments/age_min_above_age_max.toml", target)
    result = run_cli("validate", target, "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert [(f["line"], f["key"], f["code"]) for f in findings] == [(6, "target_group.age_max", "inconsistent")]


def test_validate_not_toml_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    data_file("assessments/unclosed_string_no_version.toml", target)
    result = run_cli("validate", target)
    assert result.returncode == 2
    assert f"{target}:2:" in result.stdout
    assert "Traceback" not in result.stderr


def test_classify_text_explains_the_verdict() -> None:
    result = run_cli("classify", SAMPLES / "rio_den_haag.toml")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Klasse: kansrijk (definitief)" in out
    assert "Advies: monitoren en onderzoeken" in out
    assert "kansrijk_gemonitord" in out
    assert "Wat is er nodig om 'bewezen effectief' te worden?" in out


def test_classify_in_english() -> None:
    result = run_cli("--lang", "en", "classify", SAMPLES / "gastles_ex_gedetineerde_zaanstad.toml")
    assert "Class: discontinue (definite)" in result.stdout
    assert "Advice: stop" in result.stdout


def test_classify_with_other_criteria(criteria_copy: Path) -> None:
    kader = criteria_copy / "kader.toml"
    kader.write_text(kader.read_text(encoding="utf-8").replace("value = true", "value = false", 1), encoding="utf-8")
    assessment = (
        (SAMPLES / "ajb_rotterdam.toml")
        .read_text(encoding="utf-8")
        .replace('study_design = "quasi_experimenteel"', 'study_design = "voor_en_nameting"')
    )
    target = criteria_copy.parent / "ajb.toml"
    target.write_text(assessment, encoding="utf-8")
    default = json.loads(run_cli("classify", "--json", target).stdout)[0]
    strict = json.loads(run_cli("classify", "--json", "--criteria", criteria_copy, target).stdout)[0]
    assert (default["class"], strict["class"]) == ("bewezen_effectief", "kansrijk")
    assert strict["settings"]["eerste_aanwijzingen_telt"] is False
    assert strict["criteria_digest"] != default["criteria_digest"]


def test_classify_bad_file_reports_and_continues(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    data_file("assessments/not_toml.toml", bad)
    result = run_cli("classify", "--json", bad, SAMPLES / "ipta_amsterdam.toml")
    assert result.returncode == 2
    assert [item["class"] for item in json.loads(result.stdout)] == ["kansrijk"]
    assert str(bad) in result.stderr


@pytest.mark.parametrize("which", ["assessment", "criteria"])
def test_schema(which: str) -> None:
    result = run_cli("schema", which)
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert "properties" in schema


@pytest.mark.parametrize(
    "args", [["validate", "criteria"], ["classify", "sample_assessments/ajb_rotterdam.toml"], ["schema", "assessment"]]
)
def test_cli_paths_do_not_import_textual_or_rich(args: list[str]) -> None:
    """A static import graph cannot see a deferred import: run the command and look at sys.modules."""
    probe = (
        "import sys, runpy, contextlib, io\n"
        f"sys.argv = ['kwaliteitskader', *{args!r}]\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    runpy.run_module('kwaliteitskader', run_name='__main__')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    """``classify … | head -1`` must not end in a BrokenPipeError traceback."""
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    samples = sorted(str(p) for p in SAMPLES.glob("*.toml"))
    writer = subprocess.run(
        [sys.executable, "-m", "kwaliteitskader", "classify", "--trace", *samples * 5],
        stdout=reader.stdin, stderr=subprocess.PIPE, text=True, cwd=ROOT, check=False, timeout=120,
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait(timeout=30)
    assert "Traceback" not in writer.stderr
    assert writer.returncode == 0
