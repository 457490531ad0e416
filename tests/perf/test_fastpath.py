"""The CLI's pydantic-free fast path gives the same criteria, assessments, verdicts and findings as the full path."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.io import fastpath
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.assessment import Assessment, Tri
from kwaliteitskader.core.model.criteria_set import Criteria, FullCriteria
from kwaliteitskader.core.rules.engine import evaluate
from kwaliteitskader.core.rules.explain import verdict_dict, verdict_text
from tests.conftest import ROOT, SAMPLES, full_run, repetitions

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
    quick = load_assessment(path, light=True)
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


@pytest.mark.repeated
@settings(max_examples=repetitions(60, 300), deadline=None)
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
            got: Any = _plain(load_assessment(path, light=True).assessment)
        except FindingsError as exc:
            got = exc.findings
        assert got == expected, name


# --- criteria ----------------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KWALITEITSKADER_CACHE", str(folder))
    return folder


def test_criteria_come_from_the_cache_after_one_full_load(cache: Path, criteria: Criteria) -> None:
    first = load_criteria(light=True)
    assert isinstance(first, FullCriteria)  # nothing cached yet: the full load, which fills the cache
    assert len(list(cache.glob("criteria-*.json"))) == 1
    second = load_criteria(light=True)
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
    load_criteria(light=True)  # writes the entry for the current program
    left = sorted(p.name for p in cache.glob("criteria-*.json"))
    assert len(left) == fastpath.CACHE_ENTRIES
    assert "criteria-old00.json" not in left and "criteria-old16.json" in left  # the newest are kept
    assert isinstance(load_criteria(light=True), fastpath.LiteCriteria)  # and the current one is among them
    assert (cache / "notes.txt").is_file()


def test_light_criteria_offer_what_criteria_offer_and_nothing_that_breaks(cache: Path, criteria: Criteria) -> None:
    load_criteria(light=True)
    lite = load_criteria(light=True)
    assert isinstance(lite, fastpath.LiteCriteria) and isinstance(lite, Criteria)
    assert not isinstance(lite, FullCriteria)
    public = {name for name in dir(Criteria) if not name.startswith("_")}
    assert public <= set(dir(lite))
    assert not hasattr(lite, "with_settings") and not hasattr(lite, "sources")  # the full criteria's only
    assert isinstance(criteria, FullCriteria) and criteria.with_settings().settings == criteria.settings


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_verdicts_are_the_same_with_cached_criteria(cache: Path, criteria: Criteria, lang: str) -> None:
    load_criteria(light=True)
    lite = load_criteria(light=True)
    assert isinstance(lite, fastpath.LiteCriteria)
    for path in SAMPLE_FILES:
        quick = load_assessment(path, light=True).assessment
        full = load_assessment(path).assessment
        assert verdict_dict(evaluate(quick, lite), lite, lang) == verdict_dict(evaluate(full, criteria), criteria, lang)
        assert verdict_text(evaluate(quick, lite), lite, lang, trace=True) == verdict_text(
            evaluate(full, criteria), criteria, lang, trace=True)


def test_a_damaged_cache_entry_is_ignored(cache: Path) -> None:
    load_criteria(light=True)
    (entry,) = cache.glob("criteria-*.json")
    for damage in ("{", json.dumps({"format": 1, "digest": "sha256:other", "document": {}}), '{"format": 1}', "[]"):
        entry.write_text(damage, encoding="utf-8")
        assert isinstance(load_criteria(light=True), FullCriteria)  # full load again, and the entry repaired
        assert isinstance(load_criteria(light=True), fastpath.LiteCriteria)


def test_broken_criteria_give_the_same_findings_and_are_not_cached(cache: Path, criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('when = "schadesignaal"', 'when = "bestaat_niet"'),
                     encoding="utf-8")
    with pytest.raises(FindingsError) as expected:
        load_criteria(criteria_copy)
    with pytest.raises(FindingsError) as got:
        load_criteria(criteria_copy, light=True)
    assert got.value.findings == expected.value.findings
    assert not list(cache.glob("criteria-*.json"))


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KWALITEITSKADER_CACHE", "off")
    assert fastpath.cache_dir() is None
    assert isinstance(load_criteria(light=True), FullCriteria)


@pytest.mark.parametrize("change", ["program", "parser", "pydantic", "python", "code"])
def test_the_cache_key_covers_what_can_change_an_entry(change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import kwaliteitskader

    before = fastpath.cache_key()
    assert before is not None
    if change == "program":
        monkeypatch.setattr(kwaliteitskader, "__version__", kwaliteitskader.__version__ + ".1")
    elif change == "parser":
        monkeypatch.setattr(fastpath, "PARSER_VERSION", fastpath.PARSER_VERSION + ".1")
    elif change == "pydantic":
        monkeypatch.setattr(fastpath, "_pydantic_version", lambda: b"VERSION = '9.9.9'\n")
    elif change == "python":
        monkeypatch.setattr(fastpath.sys, "version", sys.version + " (other build)")
    else:  # the same code in another folder gives the same key; one changed module another key
        copy = _copy_of_core(tmp_path)
        monkeypatch.setattr(fastpath, "_KEY_ROOT", copy)
        assert fastpath.cache_key() == before
        engine = copy / "rules" / "engine.py"
        engine.write_bytes(engine.read_bytes() + b"\n# changed\n")
    assert fastpath.cache_key() not in (None, before)


def _copy_of_core(tmp_path: Path) -> Path:
    return Path(shutil.copytree(fastpath._KEY_ROOT, tmp_path / "core", ignore=shutil.ignore_patterns("__pycache__")))


def test_the_pydantic_version_is_read_without_importing_pydantic() -> None:
    import pydantic

    text = fastpath._pydantic_version()
    assert text is not None and pydantic.VERSION.encode() in text


@pytest.mark.parametrize("missing", ["source", "pydantic"])
def test_an_unreadable_part_of_the_key_turns_the_cache_off(
    cache: Path, monkeypatch: pytest.MonkeyPatch, missing: str, tmp_path: Path
) -> None:
    if missing == "source":  # a module that cannot be read (a dangling link: root reads every mode)
        copy = _copy_of_core(tmp_path)
        (copy / "io" / "not_there.py").symlink_to(tmp_path / "nowhere.py")
        monkeypatch.setattr(fastpath, "_KEY_ROOT", copy)
    else:
        monkeypatch.setattr(fastpath, "_pydantic_version", lambda: None)
    assert fastpath.cache_key() is None
    assert isinstance(load_criteria(light=True), FullCriteria)
    assert isinstance(load_criteria(light=True), FullCriteria)  # checked in full every time: no weaker key
    assert not cache.exists() or not list(cache.iterdir())


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Path]:
    calls: list[Path] = []
    real = getattr(module, name)

    def counted(path: Path, *args: Any) -> Any:
        calls.append(path)
        return real(path, *args)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("light", [True, False])
def test_an_irregular_assessment_is_read_and_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, light: bool) -> None:
    from kwaliteitskader.core.io import load

    old = tmp_path / "old.toml"  # schema 1: the light check declines, the full path migrates it
    old.write_text('schema_version = 1\nharm_signals = ["afschrikking"]\n[intervention]\nname = "x"\n', encoding="utf-8")
    wrong = tmp_path / "wrong.toml"  # an invalid answer: the light check declines, the full path reports it
    wrong.write_text('[intervention]\nmanual = "misschien"\n', encoding="utf-8")
    reads = _count_calls(monkeypatch, load, "read_bytes_and_mtime")  # how an assessment is read
    parses = _count_calls(monkeypatch, load, "parse_toml_bytes")
    assert load.load_assessment(old, light=light).migrated_from == 1
    with pytest.raises(FindingsError):
        load.load_assessment(wrong, light=light)
    assert reads == parses == [old, wrong]


def test_criteria_are_read_once_when_the_cache_misses(cache: Path, monkeypatch: pytest.MonkeyPatch, criteria: Criteria) -> None:
    from kwaliteitskader.core.io import criteria as criteria_io
    from kwaliteitskader.core.io import load

    light_reads = _count_calls(monkeypatch, load, "read_bytes_limited")
    full_reads = _count_calls(monkeypatch, criteria_io, "read_bytes_limited")
    first = load_criteria(light=True)
    assert isinstance(first, FullCriteria) and first.digest == criteria.digest
    files = sorted(criteria.folder.glob("*.toml"))
    assert sorted(light_reads + full_reads) == files  # each file once: for the digest and for the full check


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


@pytest.mark.repeated
def test_many_files_give_the_same_output_in_workers_and_in_one_process(tmp_path: Path) -> None:
    """Workers give the same bytes as one process. The JSON output (about 200 kB per file, most of the
    test's time) is compared in the slow set only; everyday the trace and validate outputs cover the same
    workers, order and errors."""
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
    outputs: list[tuple[str | Path, ...]] = [("classify", "--trace", *files), ("validate", folder)]
    if full_run():
        outputs.append(("classify", "--json", *files))
    for args in outputs:
        one, many = _cli(*args, **off), _cli(*args, **on)
        assert one.returncode == many.returncode != 0
        assert one.stdout == many.stdout
        assert one.stderr == many.stderr


def test_tests_never_touch_the_real_cache_folder(tmp_path: Path) -> None:
    """The session's cache is a temporary folder (tests/conftest.py), for this process and the CLI runs it
    starts; running the CLI leaves the user's own cache folder as it was."""
    real = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kwaliteitskader"
    session = fastpath.cache_dir()
    assert session is not None and Path(tempfile.gettempdir()) in session.parents
    assert real != session and real not in session.parents

    def state() -> list[tuple[str, int]]:
        return sorted((p.name, p.stat().st_mtime_ns) for p in real.iterdir()) if real.is_dir() else []

    before = state()
    copy = tmp_path / "criteria"  # criteria never seen before: the run must store a new entry somewhere
    shutil.copytree(ROOT / "criteria" / sorted(p.name for p in (ROOT / "criteria").iterdir() if p.is_dir())[-1], copy)
    (copy / "kader.toml").write_text((copy / "kader.toml").read_text(encoding="utf-8") + "\n# new\n", encoding="utf-8")
    result = _cli("classify", "--criteria", copy, SAMPLE_FILES[0])
    assert result.returncode in (0, 1), result.stderr
    assert state() == before
    assert any(session.glob("criteria-*.json"))
