"""Every third-party package the code imports is declared in pyproject.toml, with a comment saying why."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT


def _imported(folder: Path) -> set[str]:
    found: set[str] = set()
    for file in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names} - {"kwaliteitskader", "tests", "benchmarks"}


def _declared(requirements: list[str]) -> set[str]:
    """Distribution names as import names (``tomli-w`` is imported as ``tomli_w``)."""
    return {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower().replace("-", "_") for r in requirements}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_package_imports_only_declared_dependencies() -> None:
    assert _imported(ROOT / "kwaliteitskader") <= _declared(_project()["dependencies"])


def test_the_tests_import_only_declared_dependencies() -> None:
    project = _project()
    declared = _declared(project["dependencies"] + project["optional-dependencies"]["test"])
    optional = {"yaml"}  # test_eco_ci checks the example workflow's YAML only when PyYAML happens to be there
    assert _imported(ROOT / "tests") - optional <= declared


def test_lint_and_type_tools_stay_out_of_the_test_extra() -> None:
    test = _declared(_project()["optional-dependencies"]["test"])
    assert not test & {"ruff", "mypy", "import_linter"}


def test_every_dependency_says_why_it_is_there() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = _project()
    for requirement in project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]:
        line = next(line for line in text.splitlines() if line.strip().startswith(f'"{requirement}"'))
        assert "#" in line, f"{requirement}: no comment saying why"
