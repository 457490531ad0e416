"""Work bounded by more than bytes: a file with more table headers than any assessment or criteria file
needs is refused before it is parsed, with one finding that names the line where the limit is passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.criteria import MAX_TABLES, parse_toml_bytes
from tests.conftest import run_cli
from tests.reliability.worst_shapes import table_headers


def test_too_many_table_headers_are_one_finding_not_one_per_table(tmp_path: Path) -> None:
    text = table_headers(size=12 * (MAX_TABLES + 500))
    with pytest.raises(FindingsError) as caught:
        parse_toml_bytes(tmp_path / "veel.toml", text.encode())
    (finding,) = caught.value.findings
    assert finding.line == MAX_TABLES + 1 and str(MAX_TABLES) in finding.message
    path = tmp_path / "veel.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 2 and len(result.stdout.strip().splitlines()) == 1, result.stdout[-500:]


def test_a_file_at_the_limit_is_read_as_always(tmp_path: Path) -> None:
    text = "".join(f"[t{i}]\n" for i in range(MAX_TABLES))
    data, _ = parse_toml_bytes(tmp_path / "rand.toml", text.encode())
    assert len(data) == MAX_TABLES


def test_too_many_values_are_one_finding_before_parsing(tmp_path: Path) -> None:
    from kwaliteitskader.core.io.criteria import MAX_VALUES

    text = "b = 1\na = [" + ",".join(["{}"] * (MAX_VALUES + 10)) + "]\n"
    with pytest.raises(FindingsError) as caught:
        parse_toml_bytes(tmp_path / "lang.toml", text.encode())
    (finding,) = caught.value.findings
    assert finding.line == 2 and str(MAX_VALUES) in finding.message
    at_limit = "a = [" + ",".join(["1"] * (MAX_VALUES + 1)) + "]\n"
    assert len(parse_toml_bytes(tmp_path / "rand.toml", at_limit.encode())[0]["a"]) == MAX_VALUES + 1


def test_too_many_lines_are_one_finding_before_parsing(tmp_path: Path) -> None:
    from kwaliteitskader.core.io.criteria import MAX_LINES

    text = "".join(f"k{i} = 1\n" for i in range(MAX_LINES + 5))  # each an unknown key: a finding each
    with pytest.raises(FindingsError) as caught:
        parse_toml_bytes(tmp_path / "lang.toml", text.encode())
    (finding,) = caught.value.findings
    assert finding.line == MAX_LINES + 1 and str(MAX_LINES) in finding.message
