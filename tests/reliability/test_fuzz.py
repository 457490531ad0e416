"""Bad input never gives a traceback: hypothesis feeds ``validate`` hostile assessments and criteria files.

Every case runs the real command in this process (``kwaliteitskader.cli.main``) and checks: exit code 0,
1 or 2 (2 when a file is unusable), no exception, and every finding names its file, a line within the
file (always for syntax and encoding errors), the key for content errors, and a reason. The everyday
run is small; ``--run-slow`` (in CI) runs at least 10,000 generated assessments plus criteria cases. A few
cases also run as a separate process to check that no traceback reaches the user's terminal.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.io import validate
from kwaliteitskader.core.io.criteria import default_criteria_folder
from kwaliteitskader.core.model.criteria_set import Criteria
from tests.conftest import SAMPLES, data_file, run_cli
from tests.reliability.fuzz import check_validate_json, check_validate_text, hostile_files, mutated

SAMPLE_BYTES = [p.read_bytes() for p in sorted(SAMPLES.glob("*.toml"))]
CRITERIA_FILES = sorted(p.name for p in default_criteria_folder().glob("*.toml"))

EVERYDAY_ASSESSMENTS = 100  # the everyday run; .ci/run also runs the full counts (--run-slow)
EVERYDAY_CRITERIA = 20
FULL_ASSESSMENTS = 10_000
FULL_CRITERIA = 1_500

def _fuzz(examples: int) -> settings:
    # No shrinking: a fuzzer's failing case is printed as found; shrinking large inputs can take minutes.
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                    phases=[Phase.explicit, Phase.generate])


@pytest.fixture
def bundled_criteria_cached(monkeypatch: pytest.MonkeyPatch, criteria: Criteria) -> Iterator[None]:
    """Assessments are checked against the bundled criteria; parse those once, not once per case."""
    real = validate.load_criteria

    def load(folder: Path | None = None, *, light: bool = False) -> Criteria:
        return criteria if folder is None and light else real(folder, light=light)

    monkeypatch.setattr(validate, "load_criteria", load)
    yield


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="kk-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _fuzz_assessments(workdir: Path, examples: int) -> None:
    target = workdir / "beoordeling.toml"

    @_fuzz(examples)
    @given(data=hostile_files(SAMPLE_BYTES), text_output=st.booleans())
    def case(data: bytes, text_output: bool) -> None:
        target.write_bytes(data)
        if text_output:
            check_validate_text(target)
        else:
            check_validate_json(target, [target])

    case()


def _fuzz_criteria(workdir: Path, examples: int) -> None:
    folder = workdir / "criteria"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(default_criteria_folder(), folder)
    originals = {name: (folder / name).read_bytes() for name in CRITERIA_FILES}

    @_fuzz(examples)
    @given(name=st.sampled_from(CRITERIA_FILES), data=st.data())
    def case(name: str, data: st.DataObject) -> None:
        content = data.draw(st.one_of(mutated(originals[name]), hostile_files([originals[name]])))
        (folder / name).write_bytes(content)
        try:
            findings = check_validate_json(folder, [folder / n for n in CRITERIA_FILES])
            assert all(f["file"] != str(folder) for f in findings if f["severity"] == "error")
        finally:
            (folder / name).write_bytes(originals[name])

    case()


@pytest.mark.usefixtures("bundled_criteria_cached")
def test_fuzzed_assessments_never_crash_validate(workdir: Path) -> None:
    _fuzz_assessments(workdir, EVERYDAY_ASSESSMENTS)


def test_fuzzed_criteria_never_crash_validate(workdir: Path) -> None:
    _fuzz_criteria(workdir, EVERYDAY_CRITERIA)


@pytest.mark.slow
@pytest.mark.usefixtures("bundled_criteria_cached")
def test_fuzzed_assessments_full_run(workdir: Path) -> None:
    _fuzz_assessments(workdir, FULL_ASSESSMENTS)


@pytest.mark.slow
def test_fuzzed_criteria_full_run(workdir: Path) -> None:
    _fuzz_criteria(workdir, FULL_CRITERIA)


# --- a few hostile files through a real process: what the user's terminal shows -----------------

HOSTILE_EXAMPLES = {
    "random_bytes.toml": bytes(range(256)) * 4,
    "truncated.toml": SAMPLE_BYTES[0][: len(SAMPLE_BYTES[0]) // 2],
    "bom_crlf.toml": b"\xef\xbb\xbf" + SAMPLE_BYTES[1].replace(b"\n", b"\r\n"),
    "invalid_utf8.toml": b'[intervention]\nname = "caf\xe9"\n',
    "nul.toml": b'[intervention]\nname = "a\x00b"\n',
    "deep.toml": b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "duplicate_key.toml": b'[intervention]\nname = "a"\nname = "b"\n',
    "duplicate_table.toml": b"[intervention]\n[intervention]\n",
    "wrong_types.toml": b"schema_version = \"twee\"\nintervention = 5\n[target_group]\nage_min = [1]\n",
    "unknown_keys.toml": b"[interventie]\nnaam = \"x\"\n[delivery]\nbestaat_niet = true\n",
    "huge_string.toml": b'[intervention]\ndescription = "' + b"x" * 1_000_000 + b'"\n',
    "escape_in_key.toml": b'[intervention]\n"\x1b[31mrood" = 1\n',
}


VALID_EXAMPLES = {"bom_crlf.toml"}  # Windows Notepad's format (huge_string.toml has no header: not an assessment)


def test_hostile_files_in_a_real_process_give_findings_not_a_traceback(tmp_path: Path) -> None:
    for name, content in HOSTILE_EXAMPLES.items():
        (tmp_path / name).write_bytes(content)
    result = run_cli("validate", *sorted(tmp_path.iterdir()))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output  # some files are unusable
    assert "Traceback" not in output
    assert "\x1b" not in output  # the escape in a key is shown as text, not sent to the terminal
    named = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert named == {str(tmp_path / name) for name in HOSTILE_EXAMPLES if name not in VALID_EXAMPLES}


def test_line_numbers_count_only_newlines(tmp_path: Path) -> None:
    """U+2028 and U+0085 may stand inside TOML strings; they do not start a new line.
    (The line index used str.splitlines() and reported lines past the end of such a file.)"""
    target = tmp_path / "a.toml"
    data_file("assessments/line_separators_in_string.toml", target)
    findings = check_validate_json(target, [target])
    assert [(f["line"], f["key"]) for f in findings] == [(6, "delivery.bestaat_niet")]


def test_findings_on_escaped_quoted_and_implicit_keys_have_lines(tmp_path: Path) -> None:
    """Found by the fuzzer: these unknown keys were reported without a line. A key TOML cannot write bare
    is named as TOML writes it (quoted), so the reader finds it in the file."""
    target = tmp_path / "a.toml"
    data_file("assessments/escaped_quoted_and_implicit_keys.toml", target)
    findings = check_validate_json(target, [target])
    assert sorted((f["key"], f["line"]) for f in findings) == [
        ('delivery."a\\"b"', 3), ('delivery."café"', 2), ("intervention.name", 1), ("nieuw", 7), ('participation."x]y"', 5),
        ("schema_version", 1),  # and it is not an assessment: no header
    ]


def test_an_empty_key_is_named_as_toml_writes_it(tmp_path: Path) -> None:
    """Found by the fuzzer: ``[""]`` (a table whose name is the empty string) gave a finding without a key."""
    target = tmp_path / "a.toml"
    target.write_text('[""]\n', encoding="utf-8")
    findings = check_validate_json(target, [target])
    assert ('""', 1, "extra_forbidden") in {(f["key"], f["line"], f["code"]) for f in findings}
