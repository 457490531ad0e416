"""The committed JSON Schemas match the models, and saved assessments point editors at them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io.assessments import dump_assessment, save_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.schemas import SCHEMA_NAMES, schema_json
from tests.conftest import ROOT, SAMPLES, run_cli

SCHEMAS = ROOT / "schemas"


@pytest.mark.parametrize("which", SCHEMA_NAMES)
def test_committed_schema_is_current(which: str) -> None:
    committed = (SCHEMAS / f"{which}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(which) + "\n", (
        f"schemas/{which}.schema.json is out of date with the models; regenerate it with\n"
        f"    python -m kwaliteitskader schema {which} > schemas/{which}.schema.json"
    )


def test_schema_command_prints_the_committed_file() -> None:
    result = run_cli("schema", "criteria")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (SCHEMAS / "criteria.schema.json").read_text(encoding="utf-8")


def _as_json(value: Any) -> Any:
    """TOML values as an editor hands them to a JSON Schema validator (dates become ISO strings)."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _validator(which: str) -> Any:
    import jsonschema  # a test dependency (pyproject's test extra)

    document = json.loads((SCHEMAS / f"{which}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_sample_starts_with_a_schema_line_that_resolves_and_validates(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "#:schema ../schemas/assessment.schema.json"
    assert (sample.parent / first.split(" ", 1)[1]).resolve() == (SCHEMAS / "assessment.schema.json").resolve()
    errors = list(_validator("assessment").iter_errors(_as_json(tomllib.loads(text))))
    assert errors == []


def test_samples_are_exactly_what_the_core_writes() -> None:
    for sample in sorted(SAMPLES.glob("*.toml")):
        loaded = load_assessment(sample)
        assert dump_assessment(loaded.assessment, sample) == sample.read_text(encoding="utf-8"), sample.name


def test_schema_rejects_what_the_program_rejects(tmp_path: Path) -> None:
    """The editor's check and the program's check agree on a typo and on a wrong choice."""
    text = (SAMPLES / "ajb_rotterdam.toml").read_text(encoding="utf-8")
    broken = text.replace('manual = "ja"', 'manual = "misschien"').replace("[meta]\n", "[meta]\nassesor = \"x\"\n")
    assert broken != text
    errors = {e.message for e in _validator("assessment").iter_errors(_as_json(tomllib.loads(broken)))}
    assert any("misschien" in m for m in errors) and any("assesor" in m for m in errors)
    file = tmp_path / "broken.toml"
    file.write_text(broken, encoding="utf-8")
    with pytest.raises(FindingsError) as caught:
        load_assessment(file)
    assert {f.key for f in caught.value.findings} >= {"intervention.manual", "meta.assesor"}


def test_criteria_files_validate_against_the_criteria_schema(criteria: Any) -> None:
    merged: dict[str, Any] = {}
    for file in sorted(Path(criteria.folder).glob("*.toml")):
        merged.update(tomllib.loads(file.read_text(encoding="utf-8")))
    assert list(_validator("criteria").iter_errors(_as_json(merged))) == []


# --- the #:schema line when saving ---------------------------------------------------------------


def test_save_outside_a_folder_with_the_schema_writes_no_machine_bound_line(tmp_path: Path) -> None:
    """A file sent to someone else must not point at a path of this computer: no ``file:`` URL, no line."""
    original = load_assessment(SAMPLES / "rio_den_haag.toml").assessment
    target = tmp_path / "werk" / "rio.toml"
    target.parent.mkdir()
    save_assessment(original, target)
    text = target.read_text(encoding="utf-8")
    assert "file:" not in text and str(ROOT) not in text
    assert not text.startswith("#")
    assert load_assessment(target).assessment == original


def test_a_schema_copy_above_the_repository_root_is_not_referenced(tmp_path: Path) -> None:
    """Only a copy that travels with the repository counts: one above its root is on this computer only."""
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    target = tmp_path / "repo" / "beoordelingen" / "ajb.toml"
    target.parent.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    save_assessment(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, target)
    assert not target.read_text(encoding="utf-8").startswith("#:schema")
    shutil.copytree(SCHEMAS, tmp_path / "repo" / "schemas")
    save_assessment(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, target, force=True)
    assert target.read_text(encoding="utf-8").splitlines()[0] == "#:schema ../schemas/assessment.schema.json"


def test_save_inside_a_folder_with_schemas_uses_a_relative_path(tmp_path: Path) -> None:
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    target = tmp_path / "gemeente" / "2025" / "ajb.toml"
    target.parent.mkdir(parents=True)
    save_assessment(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, target)
    assert target.read_text(encoding="utf-8").splitlines()[0] == "#:schema ../../schemas/assessment.schema.json"


def test_unrelated_schema_file_is_not_referenced(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "assessment.schema.json").write_text('{"title": "iets anders"}', encoding="utf-8")
    target = tmp_path / "a.toml"
    save_assessment(load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment, target)
    assert "iets anders" not in target.read_text(encoding="utf-8")
    assert not target.read_text(encoding="utf-8").startswith("#:schema ./schemas")


def test_line_numbers_in_findings_count_the_schema_line(tmp_path: Path) -> None:
    lines = (SAMPLES / "ajb_rotterdam.toml").read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("age_min"))
    lines[number - 1] = 'age_min = "twaalf"'
    file = tmp_path / "ajb.toml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FindingsError) as caught:
        load_assessment(file)
    assert [(f.key, f.line) for f in caught.value.findings] == [("target_group.age_min", number)]
