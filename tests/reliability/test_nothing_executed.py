"""Nothing is executed: criteria and assessments are data, and the package has no way to run code from them.

A scan of every module's syntax tree refuses ``eval``/``exec``/``compile``/``__import__``, pickle-like
deserialisers, unsafe YAML loading, shell commands and dynamic imports outside the package's own
command registry. ruff's flake8-bandit rules ("S") are selected in pyproject.toml and must pass.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "kwaliteitskader"

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle", "ctypes", "code", "codeop"}
FORBIDDEN_ATTRIBUTES = {
    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execve"), ("os", "execl"), ("os", "execlp"),
    ("os", "execvp"), ("os", "spawnl"), ("os", "spawnv"), ("os", "startfile"),
    ("yaml", "load"), ("yaml", "unsafe_load"), ("yaml", "full_load"), ("yaml", "load_all"),
    ("pickle", "loads"), ("pickle", "load"), ("marshal", "loads"),
}
SUBPROCESS_FUNCTIONS = {"run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput"}


def problems_in(source: str, name: str = "<source>") -> list[str]:
    """What the scan refuses in one module, as ``name:line: reason`` strings."""
    tree = ast.parse(source, name)
    found: list[str] = []

    def report(node: ast.AST, reason: str) -> None:
        found.append(f"{name}:{getattr(node, 'lineno', '?')}: {reason}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                    report(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                report(node, f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                report(node, f"call of {func.id}()")
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                pair = (func.value.id, func.attr)
                if pair in FORBIDDEN_ATTRIBUTES:
                    report(node, f"call of {func.value.id}.{func.attr}()")
                if func.value.id == "subprocess" and func.attr in SUBPROCESS_FUNCTIONS and _through_shell(func.attr, node):
                    report(node, f"subprocess.{func.attr} through a shell")
                if pair == ("importlib", "import_module") and not _own_module(node):
                    report(node, "importlib.import_module of a name from outside the package")
    return found


def _through_shell(function: str, call: ast.Call) -> bool:
    if function in {"getoutput", "getstatusoutput"}:
        return True
    return any(kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False) for kw in call.keywords)


def _own_module(call: ast.Call) -> bool:
    """``import_module("kwaliteitskader.…")`` or ``import_module(f"kwaliteitskader.cli.{name}")``."""
    if not call.args:
        return False
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value.startswith("kwaliteitskader.")
    if isinstance(arg, ast.JoinedStr) and arg.values:
        first = arg.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("kwaliteitskader.")
    return False


def test_the_scan_finds_what_it_looks_for() -> None:
    bad = """
import pickle
from marshal import loads
import os, subprocess, yaml, importlib
eval("1")
exec("x = 1")
compile("1", "f", "eval")
__import__("os")
os.system("ls")
subprocess.run("ls", shell=True)
yaml.load(text)
importlib.import_module(user_input)
"""
    reasons = [p.split(": ", 1)[1] for p in problems_in(bad)]
    assert reasons == [
        "import pickle",
        "from marshal import ...",
        "call of eval()",
        "call of exec()",
        "call of compile()",
        "call of __import__()",
        "call of os.system()",
        "subprocess.run through a shell",
        "call of yaml.load()",
        "importlib.import_module of a name from outside the package",
    ]
    fine = """
import re, subprocess, importlib, yaml
re.compile("x")
subprocess.run(["git", "status"], shell=False)
yaml.safe_load(text)
importlib.import_module(f"kwaliteitskader.cli.{name}")
"""
    assert problems_in(fine) == []


def test_package_executes_nothing_from_its_input() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    problems = [p for file in files for p in problems_in(file.read_text(encoding="utf-8"), str(file.relative_to(ROOT)))]
    assert problems == []


def test_bandit_rules_are_selected_and_pass() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "S" in config["tool"]["ruff"]["lint"]["select"]
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        # ruff is a dev dependency: CI installs it, so there a missing ruff is a failure, not a skip
        assert os.environ.get("CI") != "true", "ruff is not installed; CI installs the dev extra (.[dev])"
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    result = subprocess.run([ruff, "check", "--select", "S", "kwaliteitskader"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
