"""Criteria validation: one mutated criteria set per kind of error, each found at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwaliteitskader.core.findings import FindingsError, Severity
from kwaliteitskader.core.io.load import load_criteria
from tests.conftest import run_cli


def _replace(file: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a criteria file; return the 1-based line where the replacement starts."""
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file.name}"
    line = text[: text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def _line_of(file: Path, needle: str) -> int:
    text = file.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def _findings(folder: Path) -> list:
    with pytest.raises(FindingsError) as caught:
        load_criteria(folder)
    return caught.value.findings


def test_bundled_criteria_are_valid() -> None:
    result = run_cli("validate", "criteria")
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_factor_in_rule_condition_exits_1_with_the_line(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    # a condition that asks whether the local analysis contains a factor that does not exist
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + '\n[[conditions]]\nid = "extra"\nlabel = { nl = "x", en = "x" }\nsource = "kader-2024"\n'
        + 'field = "factors.risk_factors"\nop = "contains"\nvalue = "bestaat_niet"\n',
        encoding="utf-8",
    )
    line = _line_of(rules, 'value = "bestaat_niet"')
    result = run_cli("validate", criteria_copy)
    assert result.returncode == 1
    assert f"regels.toml:{line}:" in result.stdout
    assert "bestaat_niet" in result.stdout


def test_unknown_value_inside_a_multiline_list_points_at_its_own_line(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    _replace(rules, '  "signaal_afschrikking",\n', '  "signaal_afschrikking",\n  "signaal_bestaat_niet",\n')
    line = _line_of(rules, '"signaal_bestaat_niet"')
    findings = _findings(criteria_copy)
    assert [(Path(f.file).name, f.line) for f in findings] == [("regels.toml", line)]
    assert findings[0].code == "unknown-reference"


def test_unknown_field_is_reported(criteria_copy: Path) -> None:
    line = _replace(
        criteria_copy / "regels.toml", 'field = "evidence.effect_direction"', 'field = "evidence.efect_direction"'
    )
    findings = _findings(criteria_copy)
    assert findings[0].code == "unknown-field"
    assert findings[0].line == line
    assert findings[0].key.endswith(".field")


def test_duplicate_id(criteria_copy: Path) -> None:
    factors = criteria_copy / "factoren.toml"
    first = _replace(factors, 'id = "spijbelen"', 'id = "schooluitval"')
    second = factors.read_text(encoding="utf-8").split("\n").index('id = "schooluitval"', first) + 1
    findings = _findings(criteria_copy)
    assert [(f.code, f.line) for f in findings] == [("duplicate-id", second)]
    assert f"regel {first}" in findings[0].message


def test_missing_english_label(criteria_copy: Path) -> None:
    line = _replace(
        criteria_copy / "factoren.toml",
        'label = { nl = "Spijbelen", en = "Truancy" }',
        'label = { nl = "Spijbelen" }',
    )
    findings = _findings(criteria_copy)
    assert [(f.code, f.line) for f in findings] == [("missing", line)]
    assert findings[0].key.endswith("label.en")


def test_type_error(criteria_copy: Path) -> None:
    line = _replace(criteria_copy / "factoren.toml", "dynamic = true", 'dynamic = "soms"')
    findings = _findings(criteria_copy)
    assert len(findings) == 1
    assert findings[0].line == line
    assert findings[0].key.endswith(".dynamic")


def test_type_mismatch_between_field_and_value(criteria_copy: Path) -> None:
    line = _replace(criteria_copy / "regels.toml", 'op = "lt"\nsetting = "leeftijd_min"', 'op = "lt"\nvalue = "acht"')
    findings = _findings(criteria_copy)
    assert [f.code for f in findings] == ["type"]
    assert findings[0].line == line + 1


def test_rule_after_the_fallback_is_unreachable(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + '\n[[rules]]\nid = "te_laat"\nclass = "kansrijk"\nadvice = "bijstellen"\nwhen = "belofte"\n'
        + 'label = { nl = "x", en = "x" }\nexplanation = { nl = "x", en = "x" }\nsource = "kader-2024"\n',
        encoding="utf-8",
    )
    findings = _findings(criteria_copy)
    assert [f.code for f in findings] == ["unreachable"]
    assert findings[0].line == _line_of(rules, 'id = "te_laat"')


def test_self_contradicting_rule(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    contradiction = (
        '[[conditions]]\nid = "tegenstrijdig"\nlabel = { nl = "x", en = "x" }\nsource = "kader-2024"\n'
        'all = ["effect_positief", "effect_negatief"]\n\n'
        '[[rules]]\nid = "nooit"\nclass = "kansrijk"\nadvice = "bijstellen"\nwhen = "tegenstrijdig"\n'
        'label = { nl = "x", en = "x" }\nexplanation = { nl = "x", en = "x" }\nsource = "kader-2024"\n\n'
    )
    marker = '[[rules]]\nid = "schade"'
    rules.write_text(text.replace(marker, contradiction + marker), encoding="utf-8")
    findings = _findings(criteria_copy)
    assert [f.code for f in findings] == ["contradiction"]
    assert findings[0].line == _line_of(rules, 'when = "tegenstrijdig"')


def test_contradiction_through_numbers_and_not(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    extra = (
        '[[conditions]]\nid = "een_bestanddeel"\nlabel = { nl = "x", en = "x" }\nsource = "kader-2024"\n'
        'count = "derived.counted_ingredients"\nop = "ge"\nvalue = 1\n'  # what meerdere_componenten counts
        'make_true = { actor = "aanbieder", remedy = { nl = "x", en = "x" } }\n'
        'make_false = { actor = "aanbieder", offered = false, reason = { nl = "x", en = "x" } }\n\n'
        '[[conditions]]\nid = "minder_dan_een_bestanddeel"\nlabel = { nl = "x", en = "x" }\nsource = "kader-2024"\n'
        'not = "een_bestanddeel"\n\n'
        '[[conditions]]\nid = "onmogelijk"\nlabel = { nl = "x", en = "x" }\nsource = "kader-2024"\n'
        'all = ["meerdere_componenten", "minder_dan_een_bestanddeel"]\n\n'
        '[[rules]]\nid = "nooit"\nclass = "kansrijk"\nadvice = "bijstellen"\nwhen = "onmogelijk"\n'
        'label = { nl = "x", en = "x" }\nexplanation = { nl = "x", en = "x" }\nsource = "kader-2024"\n\n'
    )
    marker = '[[rules]]\nid = "schade"'
    rules.write_text(text.replace(marker, extra + marker), encoding="utf-8")
    assert [f.code for f in _findings(criteria_copy)] == ["contradiction"]


def test_rule_repeating_an_earlier_condition_is_unreachable(criteria_copy: Path) -> None:
    line = _replace(criteria_copy / "regels.toml", 'when = "geen_effect_aangetoond"', 'when = "schadesignaal"')
    findings = _findings(criteria_copy)
    assert [(f.code, f.line) for f in findings] == [("unreachable", line)]


def test_no_fallback_means_some_assessment_gets_no_class(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    _replace(rules, 'advice_if_near = "bijstellen"\n', 'advice_if_near = "bijstellen"\nwhen = "belofte"\n')
    findings = _findings(criteria_copy)
    codes = {f.code for f in findings}
    assert "no-fallback" in codes
    no_fallback = next(f for f in findings if f.code == "no-fallback")
    assert no_fallback.line == _line_of(rules, 'id = "niet_bewezen_niet_kansrijk"')


def test_unknown_condition_reference(criteria_copy: Path) -> None:
    line = _replace(
        criteria_copy / "regels.toml", 'when = "kansrijk_met_monitoring"', 'when = "kansrijk_met_monitorin"'
    )
    findings = _findings(criteria_copy)
    assert [(f.code, f.line) for f in findings] == [("unknown-reference", line)]


def test_condition_cycle(criteria_copy: Path) -> None:
    _replace(criteria_copy / "regels.toml", 'not = "monitoringsplan"', 'not = "geen_monitoringsplan"')
    assert "cycle" in {f.code for f in _findings(criteria_copy)}


def test_unused_harm_signal_is_reported(criteria_copy: Path) -> None:
    signals = criteria_copy / "schadesignalen.toml"
    text = signals.read_text(encoding="utf-8")
    signals.write_text(text.replace('id = "afschrikking"', 'id = "afschrikking_nieuw"'), encoding="utf-8")
    codes = sorted(f.code for f in _findings(criteria_copy))
    # the rule now refers to a signal that no longer exists, and the renamed one is asked but unused
    assert codes == ["unknown-field", "unused-harm-signal"]


def test_unknown_key_is_reported_with_its_line(criteria_copy: Path) -> None:
    line = _replace(criteria_copy / "kader.toml", "near_steps = 2", "near_steps = 2\nnearsteps = 3") + 1
    findings = _findings(criteria_copy)
    assert [(f.code, f.line) for f in findings] == [("extra_forbidden", line)]


def test_truncated_toml_exits_2_with_its_line(criteria_copy: Path) -> None:
    rules = criteria_copy / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text[: text.index('label = { nl = "Er is een schadesignaal"') + 20], encoding="utf-8")
    result = run_cli("validate", criteria_copy)
    assert result.returncode == 2
    assert "regels.toml:" in result.stdout
    assert "Traceback" not in result.stderr
    findings = _findings(criteria_copy)
    assert findings[0].severity is Severity.UNUSABLE
    assert findings[0].line is not None


def test_same_table_in_two_files(criteria_copy: Path) -> None:
    extra = criteria_copy / "extra.toml"
    extra.write_text(
        '[[advice]]\nid = "x"\nlabel = { nl = "x", en = "x" }\nexplanation = { nl = "x", en = "x" }\nsource = "kader-2024"\n'
    )
    findings = _findings(criteria_copy)
    assert [(Path(f.file).name, f.line, f.code) for f in findings] == [("kader.toml", 1, "duplicate")] or any(
        f.code == "duplicate" for f in findings
    )


def test_github_annotations(criteria_copy: Path) -> None:
    line = _replace(criteria_copy / "factoren.toml", 'domain = "buurt"', 'domain = "stad"')
    result = run_cli("validate", criteria_copy, "--format", "github")
    assert result.returncode == 1
    assert f"line={line}" in result.stdout
    assert result.stdout.startswith("::error file=")
