"""The CLI's pydantic-free fast path gives the same criteria, assessments, verdicts and findings as the full path."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io import criteria as criteria_module
from kwaliteitskader.core.io import fastpath
from kwaliteitskader.core.io.assessments import load_assessment
from kwaliteitskader.core.io.criteria import load_criteria
from kwaliteitskader.core.model.assessment import Assessment, Tri
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.rules.engine import evaluate
from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text
from tests.conftest import ROOT, SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.toml"))


def _plain(record: Any) -> Any:
    """A light record (or model) as nested plain data, for comparing the two paths."""
    if isinstance(record, BaseModel):
        return {k: _plain(v) for k, v in record.__dict__.items()}
    if isinstance(record, fastpath.Record):
        return {k: _plain(v) for k, v in record.__dict__.items()}
    if isinstance(record, dict):
        return {k: _plain(v) for k, v in record.items()}
    if isinstance(record, list):
        return [_plain(v) for v in record]
    return (type(record).__name__, record)


# --- assessments -----------------------------------------------------------------------------------


def test_generated_fields_table_is_current() -> None:
    """core/model/fields_table.py is made from the models; like schemas/, it must not go stale."""
    from kwaliteitskader.core.model import fields

    assert fields.TABLE.read_text(encoding="utf-8") == fields.table_source(), (
        "kwaliteitskader/core/model/fields_table.py is out of date with the models; regenerate it with\n"
        "    python -m kwaliteitskader.core.model.fields"
    )


def test_fields_table_generator_reports_a_stale_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kwaliteitskader.core.model import fields

    stale = tmp_path / "fields_table.py"
    stale.write_text(fields.table_source().replace('"age_max": ("int", None, 0, 120)', '"age_max": ("int", None, 0, 99)'),
                     encoding="utf-8")
    monkeypatch.setattr(fields, "TABLE", stale)
    assert fields.main(["--check"]) == 1
    assert fields.main([]) == 0
    assert stale.read_text(encoding="utf-8") == fields.table_source()
    assert fields.main(["--check"]) == 0


def test_field_table_matches_the_models() -> None:
    sections = {name: info.annotation for name, info in Assessment.model_fields.items()
                if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)}
    assert list(fastpath.SECTIONS) == list(sections)
    for name, model in sections.items():
        spec = fastpath.SECTIONS[name]
        assert list(spec) == list(model.model_fields), name
        for field, info in model.model_fields.items():
            kind, default, low, high = spec[field]
            assert default == info.get_default(call_default_factory=True), (name, field)
            bounds = {type(m).__name__: m for m in info.metadata}
            assert low == (bounds["Ge"].ge if "Ge" in bounds else None), (name, field)
            assert high == (bounds["Le"].le if "Le" in bounds else None), (name, field)
            text = str(info.annotation)
            expected = ("tri" if info.annotation is Tri else "list" if "list" in text else "date" if "date" in text
                        else "float" if "float" in text else "int" if "int" in text else "str")
            assert kind == expected, (name, field)
    assert list(fastpath._ORDER) == list(Assessment.model_fields)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_samples_load_fast_with_the_same_values(path: Path) -> None:
    quick = fastpath.load_assessment_quick(path)
    full = load_assessment(path)
    assert isinstance(quick, fastpath.QuickLoaded)
    assert _plain(quick.assessment) == _plain(full.assessment)
    assert quick.fingerprint == full.fingerprint
    assert quick.lines.lines == full.lines.lines


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 2000), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["ja", "nee", "onbekend", "misschien", "", "rct", "lvb"]), st.dates(),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.lists(st.sampled_from(["lvb", "rct", "x"]), max_size=3), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["a", "afschrikking"]), st.sampled_from(["ja", "nee", 1]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    sample=st.sampled_from(SAMPLE_FILES),
    changes=st.lists(st.tuples(st.sampled_from([*fastpath._ORDER, "extra"]), st.text("abcdefghijklmnopqrstuvwxyz_",
                                                                                       max_size=25), VALUES),
                     max_size=4),
)
def test_quick_assessment_agrees_with_pydantic_or_declines(sample: Path, changes: list[tuple[str, str, Any]]) -> None:
    import tomllib

    data = tomllib.loads(sample.read_text(encoding="utf-8"))
    for section, field, value in changes:
        spec = fastpath.SECTIONS.get(section)
        if spec and field[:1] in "abcdefghijklm":  # mostly real field names, sometimes unknown ones
            field = sorted(spec)[len(field) % len(spec)]
        target = data.setdefault(section, {}) if isinstance(data.get(section, {}), dict) else None
        if section in ("schema_version", "extra") or target is None:
            data[section] = value
        else:
            target[field] = value
    quick = fastpath.quick_assessment(data)
    try:
        full = Assessment.model_validate(data)
    except ValidationError:
        assert quick is None, "accepted data that pydantic refuses"
        return
    if quick is not None:
        assert _plain(quick) == _plain(full)


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [("target_group", "age_min", True), ("target_group", "age_min", 3.0), ("evidence", "study_count", "2"),
     ("meta", "assessed_on", dt.datetime(2024, 1, 1)), ("participation", "cost_per_participant", math.inf),
     ("intervention", "manual", "Ja"), ("intervention", "unknown_field", "x"), ("schema_version", "", 1)],
)
def test_doubtful_input_goes_the_full_way(section: str, field: str, value: Any) -> None:
    data: dict[str, Any] = {"schema_version": 2}
    if field:
        data[section] = {field: value}
    else:
        data[section] = value
    assert fastpath.quick_assessment(data) is None


def test_bad_files_give_the_same_findings(tmp_path: Path) -> None:
    files = {
        "bad_value.toml": 'schema_version = 2\n[intervention]\nmanual = "misschien"\nname = 3\n',
        "not_toml.toml": "schema_version = 2\n[intervention\n",
        "old.toml": 'schema_version = 1\nharm_signals = ["afschrikking"]\n',
        "newer.toml": "schema_version = 9\n",
        "bom.toml": '\ufeffschema_version = 2\n[intervention]\nname = "x"\n',
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        try:
            expected: Any = _plain(load_assessment(path).assessment)
        except FindingsError as exc:
            expected = exc.findings
        try:
            got: Any = _plain(fastpath.load_assessment_quick(path).assessment)
        except FindingsError as exc:
            got = exc.findings
        assert got == expected, name


# --- criteria ----------------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KWALITEITSKADER_CACHE", str(folder))
    return folder


def test_default_folder_is_the_same() -> None:
    assert fastpath.default_criteria_folder() == criteria_module.default_criteria_folder()


def test_criteria_come_from_the_cache_after_one_full_load(cache: Path, criteria: Criteria) -> None:
    first = fastpath.load_criteria_quick()
    assert isinstance(first, Criteria)  # nothing cached yet: the full load, which fills the cache
    assert len(list(cache.glob("criteria-*.json"))) == 1
    second = fastpath.load_criteria_quick()
    assert isinstance(second, fastpath.LiteCriteria)
    assert (second.digest, second.version, second.folder) == (criteria.digest, criteria.version, criteria.folder)
    assert second.settings == criteria.settings
    assert second.class_rank == criteria.class_rank
    for name in criteria.catalogues:
        assert list(second.catalogues[name]) == list(criteria.catalogues[name])
    assert _plain(second.conditions) == _plain(criteria.conditions)
    assert _plain(second.document.rules) == _plain(criteria.document.rules)
    assert _plain(second.questions) == _plain(criteria.questions)


def test_old_cache_entries_are_pruned(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    for n in range(fastpath.CACHE_ENTRIES + 5):  # entries of earlier program versions, oldest first
        old = cache / f"criteria-old{n:02d}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, ns=(n * 10**9, n * 10**9))
    (cache / "notes.txt").write_text("not ours", encoding="utf-8")
    fastpath.load_criteria_quick()  # writes the entry for the current program
    left = sorted(p.name for p in cache.glob("criteria-*.json"))
    assert len(left) == fastpath.CACHE_ENTRIES
    assert "criteria-old00.json" not in left and "criteria-old16.json" in left  # the newest are kept
    assert isinstance(fastpath.load_criteria_quick(), fastpath.LiteCriteria)  # and the current one is among them
    assert (cache / "notes.txt").is_file()


def test_light_criteria_offer_what_criteria_offer() -> None:
    public = {name for name in dir(Criteria) if not name.startswith("_")} - {"with_settings"}
    assert public <= set(dir(fastpath.LiteCriteria)) | {"document", "folder", "digest", "sources"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_verdicts_are_the_same_with_cached_criteria(cache: Path, criteria: Criteria, lang: str) -> None:
    fastpath.load_criteria_quick()
    lite = fastpath.load_criteria_quick()
    assert isinstance(lite, fastpath.LiteCriteria)
    for path in SAMPLE_FILES:
        quick = fastpath.load_assessment_quick(path).assessment
        full = load_assessment(path).assessment
        assert verdict_dict(evaluate(quick, lite), lite, lang) == verdict_dict(evaluate(full, criteria), criteria, lang)
        assert verdict_text(evaluate(quick, lite), lite, lang, trace=True) == verdict_text(
            evaluate(full, criteria), criteria, lang, trace=True)


def test_a_damaged_cache_entry_is_ignored(cache: Path) -> None:
    fastpath.load_criteria_quick()
    (entry,) = cache.glob("criteria-*.json")
    for damage in ("{", json.dumps({"format": 1, "digest": "sha256:other", "document": {}}), '{"format": 1}', "[]"):
        entry.write_text(damage, encoding="utf-8")
        assert isinstance(fastpath.load_criteria_quick(), Criteria)  # full load again, and the entry repaired
        assert isinstance(fastpath.load_criteria_quick(), fastpath.LiteCriteria)


def test_broken_criteria_give_the_same_findings_and_are_not_cached(cache: Path, criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('when = "schadesignaal"', 'when = "bestaat_niet"'),
                     encoding="utf-8")
    with pytest.raises(FindingsError) as expected:
        load_criteria(criteria_copy)
    with pytest.raises(FindingsError) as got:
        fastpath.load_criteria_quick(criteria_copy)
    assert got.value.findings == expected.value.findings
    assert not list(cache.glob("criteria-*.json"))


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KWALITEITSKADER_CACHE", "off")
    assert fastpath.cache_dir() is None
    assert isinstance(fastpath.load_criteria_quick(), Criteria)


# --- the CLI as a whole --------------------------------------------------------------------------------


def _cli(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kwaliteitskader", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "KWALITEITSKADER_LANG": "nl", **env}, timeout=300, check=False,
    )


@pytest.mark.parametrize("command", ["classify", "validate"])
def test_plain_files_are_judged_without_pydantic(tmp_path: Path, command: str) -> None:
    env = {"KWALITEITSKADER_CACHE": str(tmp_path)}
    _cli(command, SAMPLE_FILES[0], **env)  # fills the cache
    code = (f"import sys, runpy; sys.argv = ['kwaliteitskader', '{command}', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('kwaliteitskader', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('PYDANTIC' if 'pydantic' in sys.modules else 'NO-PYDANTIC', file=sys.stderr)")
    targets = [*map(str, SAMPLE_FILES)] if command == "classify" else [str(SAMPLE_FILES[0].parent)]  # a folder too
    done = subprocess.run([sys.executable, "-c", code, *targets], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=120, check=False)
    assert "NO-PYDANTIC" in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr


def test_catalogue_fields_of_the_assessment_checks_match_the_models() -> None:
    from kwaliteitskader.core.model.assessment import FieldKind, answer_fields
    from kwaliteitskader.core.rules.assessment_checks import CATALOGUE_FIELDS

    expected = {path: info.catalogue for path, info in answer_fields().items()
                if info.catalogue and info.kind in (FieldKind.CHOICE, FieldKind.MULTI)}
    assert list(CATALOGUE_FIELDS.items()) == list(expected.items())


def test_many_files_give_the_same_output_in_workers_and_in_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    files = []
    for n in range(220):  # above parallel.MIN_FILES, so workers are used
        source = SAMPLE_FILES[n % len(SAMPLE_FILES)]
        target = folder / f"{n:03d}_{source.name}"
        target.write_bytes(source.read_bytes())
        files.append(target)
    (folder / "broken.toml").write_text('schema_version = 2\n[intervention]\nmanual = "misschien"\n', encoding="utf-8")
    files.insert(5, folder / "broken.toml")
    off = {"KWALITEITSKADER_CACHE": "off", "KWALITEITSKADER_JOBS": "1"}
    on = {"KWALITEITSKADER_CACHE": str(tmp_path / "cache"), "KWALITEITSKADER_JOBS": "2"}
    _cli("classify", files[0], **on)
    for args in (("classify", "--json", *files), ("classify", "--trace", *files), ("validate", folder)):
        one, many = _cli(*args, **off), _cli(*args, **on)
        assert one.returncode == many.returncode != 0
        assert one.stdout == many.stdout
        assert one.stderr == many.stderr
