"""Storage: round trips, atomic saves, conflicts, schema versions, and findings with lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kwaliteitskader.core.findings import FindingsError, Severity
from kwaliteitskader.core.io.assessments import (
    ConflictError,
    Fingerprint,
    dump_assessment,
    save_assessment,
)
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import SCHEMA_VERSION, Assessment, Tri
from tests.conftest import SAMPLES, data_file


def test_save_then_load_is_identity(tmp_path: Path) -> None:
    for sample in SAMPLES.glob("*.toml"):
        original = load_assessment(sample).assessment
        target = tmp_path / sample.name
        save_assessment(original, target)
        assert load_assessment(target).assessment == original


def test_loading_never_changes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    target.write_bytes((SAMPLES / "ipta_amsterdam.toml").read_bytes())
    before = (target.read_bytes(), target.stat().st_mtime_ns)
    load_assessment(target)
    assert (target.read_bytes(), target.stat().st_mtime_ns) == before


def test_layout_follows_the_form_and_leaves_unknown_numbers_out() -> None:
    text = dump_assessment(Assessment())
    sections = [line for line in text.splitlines() if line.startswith("[")]
    assert sections == [
        "[meta]",
        "[intervention]",
        "[target_group]",
        "[problem_analysis]",
        "[factors]",
        "[evidence]",
        "[delivery]",
        "[harm_signals]",
        "[participation]",
    ]
    assert "age_min" not in text  # unknown: absent, never 0
    assert 'manual = "onbekend"' in text


def test_clean_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    for _ in range(3):
        save_assessment(Assessment(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    fingerprint = save_assessment(Assessment(), target)
    someone_else = target.read_text(encoding="utf-8").replace('name = ""', 'name = "van iemand anders"')
    target.write_text(someone_else, encoding="utf-8")
    mine = Assessment.model_validate({"intervention": {"name": "van mij"}})
    with pytest.raises(ConflictError) as caught:
        save_assessment(mine, target, expected=fingerprint)
    assert str(target) in str(caught.value)
    assert target.read_text(encoding="utf-8") == someone_else
    save_assessment(mine, target, expected=fingerprint, force=True)
    assert load_assessment(target).assessment.intervention.name == "van mij"


def test_unchanged_file_saves_with_its_fingerprint(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    fingerprint = save_assessment(Assessment(), target)
    assert Fingerprint.of(target) == fingerprint
    save_assessment(Assessment(), target, expected=fingerprint)


def test_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kwaliteitskader.core.io import assessments as storage

    target = tmp_path / "a.toml"
    save_assessment(Assessment(), target)
    old = target.read_bytes()

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", disk_full)
    with pytest.raises(storage.SaveError) as caught:
        save_assessment(Assessment.model_validate({"intervention": {"name": "nieuw"}}), target)
    assert "No space left" in str(caught.value)
    assert target.read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == ["a.toml"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "future.toml"
    target.write_text(f"schema_version = {SCHEMA_VERSION + 1}\n", encoding="utf-8")
    with pytest.raises(FindingsError) as caught:
        load_assessment(target)
    finding = caught.value.findings[0]
    assert (finding.line, finding.key, finding.severity) == (1, "schema_version", Severity.UNUSABLE)


def test_schema_1_is_migrated_on_load_without_inventing_answers(tmp_path: Path) -> None:
    target = tmp_path / "old.toml"
    data_file("assessments/schema_1.toml", target)
    before = target.read_bytes()
    loaded = load_assessment(target)
    assert loaded.migrated_from == 1
    assert loaded.assessment.schema_version == SCHEMA_VERSION
    assert loaded.assessment.harm_signals == {"afschrikking": Tri.JA}  # others stay unanswered
    assert target.read_bytes() == before


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    target = tmp_path / "bad.toml"
    data_file("assessments/age_as_text.toml", target)
    with pytest.raises(FindingsError) as caught:
        load_assessment(target)
    finding = caught.value.findings[0]
    assert (finding.file, finding.line, finding.key) == (str(target), 6, "target_group.age_min")


def test_unknown_key_is_a_finding_with_its_line(tmp_path: Path) -> None:
    target = tmp_path / "bad.toml"
    data_file("assessments/unknown_key.toml", target)
    with pytest.raises(FindingsError) as caught:
        load_assessment(target)
    assert [(f.line, f.key) for f in caught.value.findings] == [(6, "delivery.monitoringsplan")]


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "huge.toml"
    target.write_text('[intervention]\ndescription = "' + "x" * (5 * 1024 * 1024) + '"\n', encoding="utf-8")
    with pytest.raises(FindingsError) as caught:
        load_assessment(target)
    assert caught.value.findings[0].severity is Severity.UNUSABLE
