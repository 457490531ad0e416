"""CI integrations: GitHub annotations, the pre-commit hook and the example workflow."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

from kwaliteitskader.cli import build_parser
from tests.conftest import ROOT, SAMPLES, data_file, run_cli

ANNOTATION = re.compile(r"^::error file=(?P<file>[^,]+)(?:,line=(?P<line>\d+))?,title=(?P<title>[^:]+)::(?P<message>.+)$")


def _broken_copy(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """A sample with a wrong value and a typo in a key; returns the file and the lines of both."""
    lines = (SAMPLES / "ajb_rotterdam.toml").read_text(encoding="utf-8").splitlines()
    age = next(n for n, line in enumerate(lines) if line.startswith("age_min"))
    lines[age] = 'age_min = "twaalf"'
    provider = next(n for n, line in enumerate(lines) if line.startswith("provider"))
    lines[provider] = 'provder = "Stichting AJB"'
    file = tmp_path / "kapot.toml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file, {"target_group.age_min": age + 1, "intervention.provder": provider + 1}


def test_validate_github_prints_one_annotation_per_finding_with_file_and_line(tmp_path: Path) -> None:
    file, expected = _broken_copy(tmp_path)
    result = run_cli("validate", "--format", "github", file)
    assert result.returncode == 1
    found = {}
    for line in result.stdout.splitlines():
        match = ANNOTATION.match(line)
        assert match, f"not an annotation line: {line!r}"
        assert match["file"] == str(file)
        key = match["message"].split(":", 1)[0]
        found[key] = int(match["line"])
    assert found == expected


def test_validate_github_marks_unreadable_files_and_exits_2(tmp_path: Path) -> None:
    file = tmp_path / "kapot.toml"
    data_file("assessments/unclosed_string_no_version.toml", file)
    result = run_cli("validate", "--format", "github", file)
    assert result.returncode == 2
    match = ANNOTATION.match(result.stdout.strip())
    assert match and match["line"] == "2" and match["title"] == "unusable"


def test_validate_github_is_silent_for_good_files() -> None:
    result = run_cli("validate", "--format", "github", "criteria", "sample_assessments")
    assert (result.returncode, result.stdout) == (0, "")


# --- pre-commit ----------------------------------------------------------------------------------


def _yaml(path: Path) -> Any:
    import yaml  # a test dependency (pyproject's test extra)

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _hook() -> dict[str, Any]:
    hooks = _yaml(ROOT / ".pre-commit-hooks.yaml")
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"kwaliteitskader-validate"}
    return by_id["kwaliteitskader-validate"]


def _selected(hook: dict[str, Any], files: list[str]) -> list[str]:
    """The files pre-commit would pass to the hook (``files`` and ``exclude`` are Python regexes)."""
    return [f for f in files if re.search(hook["files"], f) and not re.search(hook["exclude"], f)]


def test_pre_commit_hook_selects_criteria_and_assessments_but_not_tool_configuration() -> None:
    hook = _hook()
    assert hook["entry"] == "kwaliteitskader validate"
    assert hook["language"] == "python"
    candidates = ["criteria/2024.1/kader.toml", "beoordelingen/ajb.toml", "pyproject.toml", "sub/ruff.toml", "README.md"]
    assert _selected(hook, candidates) == ["criteria/2024.1/kader.toml", "beoordelingen/ajb.toml"]


def test_pre_commit_hook_entry_passes_on_this_repository_and_fails_on_a_broken_file(tmp_path: Path) -> None:
    hook = _hook()
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    # What a municipality's repository holds: criteria sets and assessments (not this program's own catalogues).
    data = [f for f in tracked if f.startswith(("criteria/", "sample_assessments/"))] + ["pyproject.toml"]
    files = _selected(hook, data)
    assert any(f.startswith("criteria/") for f in files) and any(f.startswith("sample_assessments/") for f in files)
    command = shlex.split(hook["entry"])
    assert command[0] == "kwaliteitskader"
    good = run_cli(*command[1:], *files)
    assert good.returncode == 0, good.stdout + good.stderr
    broken, _ = _broken_copy(tmp_path)
    bad = run_cli(*command[1:], *files, broken)
    assert bad.returncode == 1
    assert str(broken) in bad.stdout


# --- the example workflow ------------------------------------------------------------------------


def test_example_workflow_runs_commands_the_cli_accepts() -> None:
    workflow = _yaml(ROOT / "docs" / "github-workflow.yml")
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    env = {k: str(v) for job in workflow["jobs"].values() for k, v in job.get("env", {}).items()}
    commands = []
    for step in steps:
        for line in str(step.get("run", "")).splitlines():
            if "kwaliteitskader " in line and "pip install" not in line:
                words = shlex.split(line.strip().split(" >>")[0].replace("$CHECK", env.get("CHECK", "")))
                start = words.index("kwaliteitskader")
                commands.append(words[start + 1:])
    assert any(c[:3] == ["validate", "--format", "github"] for c in commands)
    parser = build_parser()
    for command in commands:
        args = parser.parse_args(command)
        assert getattr(args, "handler", None) is not None, command
