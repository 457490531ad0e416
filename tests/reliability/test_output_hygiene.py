"""The smaller leaks: a bidi mark the sanitiser missed, files more readable than the umask allows, a
locked cache index deleted under its holder, ``-o -`` as a file name, a table written into an input folder."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kwaliteitskader.core.io.assessments import save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.portfolio import index as ix
from kwaliteitskader.core.safetext import json_safe, terminal_safe
from tests.conftest import ROOT, SAMPLES, Variant, run_cli

ALM = "\u061c"  # ARABIC LETTER MARK: reorders the text around it like U+200F


def test_the_arabic_letter_mark_is_shown_not_obeyed() -> None:
    assert terminal_safe(f"a{ALM}b") == "a\\u061cb"
    assert json_safe(f'"a{ALM}b"') == '"a\\u061cb"'


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md", "html"])
def test_no_export_or_classify_carries_the_mark_raw(variant: Variant, samples: Path, fmt: str) -> None:
    made = variant("ajb_rotterdam", "markering", **{"intervention.municipality": f"Rot{ALM}terdam"})
    result = run_cli("compare", samples, "--format", fmt, "--index", "off")
    assert result.returncode in (0, 1), result.stderr
    assert "Rot" in result.stdout and ALM not in result.stdout + result.stderr
    if fmt == "table":
        classified = run_cli("classify", made, "--json")
        assert "Rot" in classified.stdout and ALM not in classified.stdout


def _run_with_umask(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KWALITEITSKADER_LANG": "nl"}
    return subprocess.run(
        ["/bin/sh", "-c", 'umask 077 && exec "$@"', "sh", sys.executable, "-m", "kwaliteitskader", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120, check=False,
    )


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_written_files_honour_the_umask(samples: Path, tmp_path: Path) -> None:
    report = tmp_path / "rapport.md"
    table = tmp_path / "tabel.csv"
    assert _run_with_umask("report", samples / "ajb_rotterdam.toml", "-o", report, cwd=tmp_path).returncode == 0
    assert _run_with_umask("compare", samples, "-o", table, "--index", "off", cwd=tmp_path).returncode in (0, 1)
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(table.stat().st_mode) == 0o600
    saved = tmp_path / "nieuw.toml"
    old = os.umask(0o077)
    try:
        save_assessment(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, saved)
    finally:
        os.umask(old)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    saved.chmod(0o640)  # an existing file keeps its own mode
    save_assessment(load_assessment(saved).assessment, saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


def test_a_locked_cache_index_is_left_to_its_holder(samples: Path) -> None:
    index = ix.open_index([samples])
    assert index is not None
    path = index.path
    index.close()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        before = path.stat().st_ino
        assert ix.open_index([samples]) is None  # locked: this run works without it
        assert path.exists() and path.stat().st_ino == before
        holder.execute("COMMIT")
    finally:
        holder.close()
    again = ix.open_index([samples])
    assert again is not None
    again.close()


def test_dash_output_is_standard_output(samples: Path, tmp_path: Path) -> None:
    compared = run_cli("compare", samples, "-o", "-", "--index", "off", cwd=tmp_path)
    assert compared.returncode in (0, 1) and "Tilburg" in compared.stdout
    reported = run_cli("report", samples / "ajb_rotterdam.toml", "-o", "-", cwd=tmp_path)
    assert reported.returncode == 0 and "Rotterdam" in reported.stdout
    assert not (tmp_path / "-").exists()


def test_no_table_with_a_toml_name_is_written_into_an_input_folder(samples: Path) -> None:
    target = samples / "nieuw.toml"
    result = run_cli("compare", samples, "-o", target, "--index", "off")
    assert result.returncode == 2 and not target.exists()
    assert "invoermap" in result.stderr
    assert run_cli("compare", samples, "--format", "csv", "--index", "off").returncode in (0, 1)
