"""Hostile criteria, special files and files that are not assessments (issue #15, problems 5 and 6).

- Criteria nested deeper than Python's recursion limit, or spelling out an exponential tree from a few
  shared parts, are a finding (exit 1) for every command that reads criteria, never a RecursionError or a
  run that does not end.
- A FIFO or a device is "geen gewoon bestand" (exit 2) and is never waited on: given directly, inside a
  folder, and in the wizard.
- A file without ``schema_version`` and ``[intervention] name`` is not an assessment (exit 1, naming what
  is missing); a folder without TOML files is unusable (exit 2); ``--criteria`` is honoured or refused.

Every command runs in a real process with a time limit (``run_cli``), so a hang fails the test instead of
stopping the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kwaliteitskader.core.io.criteria import read_criteria
from kwaliteitskader.core.io.load import load_criteria
from kwaliteitskader.core.rules.checks import MAX_CONDITION_DEPTH, _CriteriaChecker
from tests.conftest import SAMPLES, run_cli
from tests.reliability.hostile_criteria import deep_chain, shared_ladder

SAMPLE = SAMPLES / "kapot_sterk_tilburg.toml"
CRITERIA_COMMANDS = (
    ("validate", "{c}"),
    ("classify", "--trace", "--criteria", "{c}", str(SAMPLE)),
    ("report", "--criteria", "{c}", str(SAMPLE)),
    ("compare", "--criteria", "{c}", "--format", "csv", str(SAMPLE)),
)


def _run_all(criteria: Path) -> list[tuple[str, int, str]]:
    results = []
    for command in CRITERIA_COMMANDS:
        args = [a.format(c=criteria) for a in command]
        result = run_cli(*args, env={"KWALITEITSKADER_CACHE": "off"})
        results.append((command[0], result.returncode, result.stdout + result.stderr))
    return results


@pytest.mark.parametrize("depth", [330, 1000])
def test_deeply_nested_criteria_are_a_finding_for_every_command(tmp_path: Path, depth: int) -> None:
    criteria = deep_chain(tmp_path / "diep", depth)
    for command, code, output in _run_all(criteria):
        assert "Traceback" not in output and "RecursionError" not in output, (command, output[-2000:])
        assert code == 1, (command, output[-2000:])
        assert f"Voorwaarde 'diep_{depth - 1}' is" in output and f"de grens is {MAX_CONDITION_DEPTH}" in output
        assert output.count("niveaus diep") == 1  # only the outermost condition of the chain is named


def test_shared_sub_conditions_do_not_blow_up(tmp_path: Path) -> None:
    # 24 levels ran past 60 s and 1.7 GB before; now the written-out size is counted, not built
    criteria = shared_ladder(tmp_path / "ladder", 24)
    for command, code, output in _run_all(criteria):
        assert code == 1, (command, output[-2000:])
        assert "Voorwaarde 'a_24' telt uitgeschreven" in output


def test_signature_of_shared_conditions_is_memoised(tmp_path: Path) -> None:
    """Equal conditions get equal signatures, and that of a 200-level ladder (2^200 conditions written out;
    the checks refuse the set for its size, but the signature itself must stay cheap) is found at once."""
    criteria = read_criteria(shared_ladder(tmp_path / "groot", 200), check=False)
    checker = _CriteriaChecker(criteria)
    assert checker._signature("a_200") != checker._signature("b_200")
    assert len({checker._signature(f"a_{i}") for i in range(201)}) == 201
    findings = list(checker.conditions())
    assert [(f.code, f.message) for f in findings] == [
        ("condition-too-deep", "Voorwaarde 'a_200' is 204 niveaus diep; de grens is 64."),
        ("condition-too-deep", "Voorwaarde 'b_200' is 204 niveaus diep; de grens is 64."),
    ]


def test_bundled_criteria_are_far_from_the_limits() -> None:
    checker = _CriteriaChecker(load_criteria())
    assert list(checker._shape()) == []
    assert max(checker.depth.values()) * 4 < MAX_CONDITION_DEPTH


# --- only regular files ---------------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "pijp.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [("validate",), ("classify",), ("report",), ("compare", "--format", "csv"),
                                     ("open",)])
def test_a_fifo_is_not_a_regular_file_and_never_waited_on(fifo: Path, command: tuple[str, ...]) -> None:
    result = run_cli(*command, fifo)  # with a time limit: a hang fails here
    assert result.returncode == 2, result.stdout + result.stderr
    assert "geen gewoon bestand maar een FIFO" in result.stdout + result.stderr


def test_a_fifo_inside_a_folder_is_named_and_the_rest_is_read(fifo: Path) -> None:
    (fifo.parent / "goed.toml").write_bytes(SAMPLE.read_bytes())
    for command in (("validate",), ("compare", "--format", "csv")):
        result = run_cli(*command, fifo.parent)
        output = result.stdout + result.stderr
        assert result.returncode == 2, output
        assert f"{fifo}: geen gewoon bestand" in output
    assert "Kapot Sterk" in run_cli("compare", "--format", "csv", fifo.parent).stdout


def test_a_device_is_not_a_regular_file() -> None:
    result = run_cli("validate", "/dev/zero")  # endless: read as a file it would never stop
    assert result.returncode == 2
    assert "geen gewoon bestand maar een apparaatbestand" in result.stdout


# --- not an assessment ------------------------------------------------------------------------------------

NOT_ASSESSMENTS = {
    "leeg.toml": b"",
    "commentaar.toml": b"# alleen commentaar\n",
    "versie.toml": b"schema_version = 2\n",
    "bom.toml": b"\xef\xbb\xbf",
    "meta.toml": b"[meta]\n",
    "naamloos.toml": b'schema_version = 2\n[intervention]\nmunicipality = "Tilburg"\n',
}


def test_a_file_without_the_header_is_not_an_assessment(tmp_path: Path) -> None:
    for name, content in NOT_ASSESSMENTS.items():
        (tmp_path / name).write_bytes(content)
    result = run_cli("validate", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    for name in NOT_ASSESSMENTS:
        assert f"{tmp_path / name}:1: [intervention.name] Dit is geen beoordeling" in result.stdout \
            or (name == "naamloos.toml" and f"{tmp_path / name}:2: [intervention.name]" in result.stdout), name
    assert f"{tmp_path / 'versie.toml'}:1: [schema_version]" not in result.stdout
    assert f"{tmp_path / 'leeg.toml'}:1: [schema_version] Dit is geen beoordeling: schema_version ontbreekt." \
        in result.stdout
    classify = run_cli("classify", tmp_path / "meta.toml")
    assert classify.returncode == 1 and "Klasse" not in classify.stdout
    compare = run_cli("compare", "--format", "csv", tmp_path)
    assert compare.returncode == 1
    assert len(compare.stdout.strip().splitlines()) == 1  # the header row only: no blank rows


def test_a_folder_without_toml_files_is_unusable(tmp_path: Path) -> None:
    (tmp_path / "leesmij.txt").write_text("geen beoordelingen hier\n", encoding="utf-8")
    for command in (("validate",), ("compare", "--format", "csv")):
        result = run_cli(*command, tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Geen TOML-bestanden in deze map" in result.stdout + result.stderr


@pytest.mark.parametrize("command", [("classify", str(SAMPLE)), ("validate", str(SAMPLE)), ("report", str(SAMPLE)),
                                     ("compare", "--format", "csv", str(SAMPLE)), ("validate", "criteria")])
def test_criteria_before_the_command_are_honoured(command: tuple[str, ...]) -> None:
    result = run_cli("--criteria", "/bestaat/niet", *command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "/bestaat/niet" in result.stdout + result.stderr


def test_serve_checks_the_criteria_before_it_starts() -> None:
    for args in (("--criteria", "/bestaat/niet", "serve"), ("serve", "--criteria", "/bestaat/niet")):
        result = run_cli(*args, "--port", "1")  # port 1 is never reached: the criteria stop it first
        assert result.returncode == 2, result.stdout + result.stderr
        assert "/bestaat/niet" in result.stderr


def test_criteria_where_they_do_not_apply_are_refused() -> None:
    result = run_cli("--criteria", "criteria", "schema", "assessment")
    assert result.returncode == 2
    assert "--criteria geldt niet voor 'schema'" in result.stderr
