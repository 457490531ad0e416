"""core.portfolio: loading, rows, sorting, filtering, side by side, portfolio and re-classification."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kwaliteitskader.core.io.criteria import default_criteria_folder
from kwaliteitskader.core.io.load import load_assessment, load_criteria
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.portfolio import cells, loading, reclassify, side_by_side, summary, table
from kwaliteitskader.core.rules.engine import DERIVED, Truth, evaluate
from tests.conftest import DATA, SAMPLES, TODAY, Variant, data_file, rewrite, sample_files

# --- loading -----------------------------------------------------------------------------------------


def test_every_sample_becomes_a_row_with_its_own_verdict(criteria: Criteria) -> None:
    result = loading.load_rows([SAMPLES], criteria, today=TODAY)
    assert result.errors == []
    assert sorted(Path(r.file).name for r in result.rows) == [f.name for f in sample_files()]
    for row in result.rows:
        loaded = load_assessment(row.file)
        verdict = evaluate(loaded.assessment, criteria)
        assert (row.decided_class, row.advice, row.rule, row.provisional) == (
            verdict.class_,
            None if verdict.advice_provisional else verdict.advice,
            verdict.rule,
            verdict.provisional,
        )
        assert row.municipality == loaded.assessment.intervention.municipality
        assert row.evidence == loaded.assessment.evidence.recognition_level
        derived = DERIVED["derived.domains"].compute(loaded.assessment, criteria)
        assert row.domains == (derived.items if derived else ())
        assert row.assessor == loaded.assessment.meta.assessor
        assert row.assessed_on == loaded.assessment.meta.assessed_on


def test_broken_files_are_listed_with_file_and_line_and_the_rest_loads(samples: Path, criteria: Criteria) -> None:
    shutil.copytree(DATA / "portfolio" / "broken", samples, dirs_exist_ok=True)  # kapot, sub/tikfout, latin1
    result = loading.load_rows([samples], criteria, today=TODAY)
    assert len(result.rows) == len(sample_files())
    by_file = {Path(e.file).name: e for e in result.errors}
    assert set(by_file) == {"kapot.toml", "tikfout.toml", "latin1.toml"}
    assert by_file["kapot.toml"].line == 4
    assert by_file["tikfout.toml"].line == 4
    assert by_file["tikfout.toml"].key.endswith("municipalty")
    assert by_file["latin1.toml"].line == 2
    assert all(e.message for e in result.errors)


def test_older_schema_is_migrated_like_load_assessment(samples: Path, criteria: Criteria) -> None:
    text = (SAMPLES / "gastles_ex_gedetineerde_zaanstad.toml").read_text(encoding="utf-8")
    head, _, tail = text.partition("[harm_signals]")
    signals = [line.split(" = ")[0] for line in tail.split("\n[")[0].splitlines() if line.endswith('"ja"')]
    assert signals  # the sample has a harm signal
    rest = "\n[" + tail.split("\n[", 1)[1] if "\n[" in tail else ""
    # schema 1 listed the harm signals present, as a top-level array (so before the tables)
    listed = ", ".join(f'"{s}"' for s in signals)
    old = f"schema_version = 1\nharm_signals = [{listed}]\n" + head.replace("schema_version = 2\n", "") + rest
    file = samples / "oud_schema.toml"
    file.write_text(old, encoding="utf-8")
    row = loading.load_rows([file], criteria, today=TODAY).rows[0]
    verdict = evaluate(load_assessment(file).assessment, criteria)
    assert load_assessment(file).migrated_from == 1
    assert (row.decided_class, row.rule) == (verdict.class_, verdict.rule)


def test_missing_path_is_an_error_not_a_crash(criteria: Criteria, tmp_path: Path) -> None:
    result = loading.load_rows([tmp_path / "bestaat-niet", SAMPLES / "ajb_rotterdam.toml"], criteria, today=TODAY)
    assert [Path(r.file).name for r in result.rows] == ["ajb_rotterdam.toml"]
    assert [Path(e.file).name for e in result.errors] == ["bestaat-niet"]


def test_criteria_folders_inside_a_scanned_folder_are_skipped(samples: Path, criteria: Criteria) -> None:
    shutil.copytree(default_criteria_folder(), samples / "criteria" / "2024.1")
    result = loading.load_rows([samples], criteria, today=TODAY)
    assert result.errors == []
    assert len(result.rows) == len(sample_files())


def test_batches_stream_in_file_order_with_progress(samples: Path, criteria: Criteria) -> None:
    calls: list[tuple[int, int]] = []
    batches = list(
        loading.iter_batches([samples], criteria, today=TODAY, batch_size=3, progress=lambda d, t: calls.append((d, t)))
    )
    total = len(sample_files())
    assert [b.done for b in batches] == [d for d, _ in calls]
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    files = [r.file for b in batches for r in b.rows]
    assert files == sorted(files)


def test_process_pool_gives_the_same_rows(samples: Path, criteria: Criteria, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "POOL_THRESHOLD", 1)
    data_file("assessments/unterminated_array.toml", samples / "kapot.toml")
    single = loading.load_rows([samples], criteria, today=TODAY, workers=1)
    pooled = list(loading.iter_batches([samples], criteria, today=TODAY, workers=2, batch_size=4))
    assert [r for b in pooled for r in b.rows] == single.rows
    assert [e for b in pooled for e in b.errors] == single.errors


def test_out_of_date_uses_the_injected_today(samples: Path, criteria: Criteria, variant: Variant) -> None:
    file = variant("ajb_rotterdam", "verlopen", **{"meta.valid_until": dt.date(2025, 1, 1)})
    before = loading.load_rows([file], criteria, today=dt.date(2024, 12, 31)).rows[0]
    after = loading.load_rows([file], criteria, today=dt.date(2025, 1, 2)).rows[0]
    assert not before.out_of_date
    assert after.out_of_date


def test_criteria_digest_mismatch_is_flagged(criteria: Criteria, variant: Variant) -> None:
    other = variant("ajb_rotterdam", "oud", **{"meta.criteria_version": "2023.9", "meta.criteria_digest": "sha256:00"})
    none = variant("ajb_rotterdam", "zonder", **{"meta.criteria_digest": ""})
    same = SAMPLES / "ajb_rotterdam.toml"
    rows = {Path(r.file).stem: r for r in loading.load_rows([other, none, same], criteria, today=TODAY).rows}
    assert rows["ajb_rotterdam"].criteria_status == "same" and not rows["ajb_rotterdam"].criteria_mismatch
    assert rows["oud"].criteria_status == "other" and rows["oud"].criteria_mismatch
    assert rows["zonder"].criteria_status == "unrecorded"
    assert "2023.9" in cells.criteria_text(rows["oud"]) and criteria.version in cells.criteria_text(rows["oud"])


# --- sorting and filtering ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rows() -> list[loading.Row]:
    return loading.load_rows([SAMPLES], load_criteria(), today=TODAY).rows


@pytest.mark.parametrize("column", table.COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_sort_by_every_column(rows: list[loading.Row], criteria: Criteria, column: str, descending: bool) -> None:
    ordered = table.sort_rows(rows, column, descending=descending, criteria=criteria)
    assert sorted(ordered, key=lambda r: r.file) == sorted(rows, key=lambda r: r.file)
    key = table.sort_key(column, criteria)
    keys = [key(r) for r in ordered]
    assert keys == sorted(keys, reverse=descending)


def test_class_sorts_by_rank_not_by_name(rows: list[loading.Row], criteria: Criteria) -> None:
    ordered = table.sort_rows(rows, "class", descending=True, criteria=criteria)
    ranks = [criteria.class_rank[r.decided_class] for r in ordered if r.decided_class is not None]
    assert ranks == sorted(ranks, reverse=True)
    decided = [r for r in ordered if r.decided_class is not None]  # descending: the open verdicts come first
    assert decided[0].decided_class == max(criteria.class_rank, key=criteria.class_rank.__getitem__)


def test_unknown_sort_column_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown column"):
        table.sort_key("shoe_size")


def test_filters(rows: list[loading.Row]) -> None:
    def names(query: str) -> set[str]:
        return {Path(r.file).stem for r in table.filter_rows(rows, table.parse_filter(query))}

    all_names = {Path(r.file).stem for r in rows}
    assert names("") == all_names
    assert names("klasse:kansrijk") == {Path(r.file).stem for r in rows if r.decided_class == "kansrijk"}
    assert names('klasse:"bewezen effectief"') == {Path(r.file).stem for r in rows if r.decided_class == "bewezen_effectief"}
    assert names("gemeente:rotterdam") == {Path(r.file).stem for r in rows if r.municipality == "Rotterdam"}
    assert names('gemeente:"Den Haag"') == {Path(r.file).stem for r in rows if r.municipality == "Den Haag"}
    assert names("domein:buurt") == {Path(r.file).stem for r in rows if "buurt" in r.domains}
    assert names("factor:impulsiviteit") == {Path(r.file).stem for r in rows if "impulsiviteit" in r.risk_factors}
    assert names("ajb") == {Path(r.file).stem for r in rows if "ajb" in (r.file + r.intervention).casefold()}
    combined = names("klasse:stoppen gemeente:Rotterdam")
    assert combined == {Path(r.file).stem for r in rows if r.decided_class == "stoppen" and r.municipality == "Rotterdam"}
    assert combined  # the samples have one
    assert names("class:kansrijk municipality:Almere") == names("klasse:kansrijk gemeente:Almere")


def test_filter_query_round_trips() -> None:
    flt = table.Filter(
        class_="kansrijk", municipality="Den Haag", domain="gezin", risk_factor="impulsiviteit", text="school"
    )
    assert table.parse_filter(flt.query()) == flt
    assert table.parse_filter("").empty
    assert table.parse_filter('gemeente:"Den Haag').municipality.startswith("Den")  # unbalanced quote: no crash


# --- side by side -----------------------------------------------------------------------------------


def test_diff_lists_exactly_the_changed_answers_and_the_rules_that_flip(criteria: Criteria, variant: Variant) -> None:
    left = load_assessment(SAMPLES / "ajb_rotterdam.toml").assessment
    right = load_assessment(
        variant(
            "ajb_rotterdam",
            "zonder_monitoring",
            **{"delivery.fidelity_monitoring": "nee", "harm_signals.afschrikking": "ja"},
        )
    ).assessment
    diff = side_by_side.diff_assessments(left, right, criteria, "nl")
    assert {a.path for a in diff.answers} == {"delivery.fidelity_monitoring", "harm_signals.afschrikking"}
    labels = {a.path: a.label for a in diff.answers}
    assert labels["delivery.fidelity_monitoring"] == criteria.questions["delivery.fidelity_monitoring"].label.nl
    assert labels["harm_signals.afschrikking"] == criteria.item("harm_signals", "afschrikking").label.nl
    # the harm signal makes the first rule pass on the right only, and it decides there
    first = criteria.document.rules[0].id
    by_rule = {r.rule: r for r in diff.rules}
    assert by_rule[first].left is Truth.FAIL and by_rule[first].right is Truth.PASS
    assert by_rule[first].right_decided and not by_rule[first].left_decided
    assert by_rule[diff.left.rule].left_decided
    assert diff.right.rule == first


def test_identical_assessments_have_no_differences(criteria: Criteria) -> None:
    a = load_assessment(SAMPLES / "vios_arnhem.toml").assessment
    diff = side_by_side.diff_assessments(a, a, criteria)
    assert diff.answers == () and diff.rules == ()


# --- portfolio ---------------------------------------------------------------------------------------


def test_portfolio_counts_the_spread_per_municipality(rows: list[loading.Row], criteria: Criteria) -> None:
    pf = summary.build_portfolio(rows, criteria)
    expected = Counter((r.municipality, r.decided_class) for r in rows)
    expected_open = sum(n for (_m, c), n in expected.items() if c is None)
    for m in pf.municipalities:
        for c in pf.classes:
            assert pf.counts[m][c] == expected[(m, c)]
    assert sum(pf.open.values()) == expected_open == sum(r.decided_class is None for r in rows)
    assert sum(pf.total(m) for m in pf.municipalities) == len(rows)
    assert [criteria.class_rank[c] for c in pf.classes] == sorted(criteria.class_rank.values(), reverse=True)


def test_coverage_and_uncovered_dynamic_factors(rows: list[loading.Row], criteria: Criteria) -> None:
    pf = summary.build_portfolio(rows, criteria)
    targeted: set[str] = set()
    for file in sample_files():
        targeted.update(load_assessment(file).assessment.factors.risk_factors or [])
    dynamic = {f for f, item in criteria.catalogues["risk_factors"].items() if item.dynamic}
    assert set(pf.uncovered_dynamic) == dynamic - targeted
    for f in pf.risk_factors:
        assert sum(pf.coverage[f].values()) == sum(f in r.risk_factors for r in rows)
    for m in pf.municipalities:
        mine = [r for r in rows if r.municipality == m]
        local = {f for r in mine for f in r.local_risk_factors}
        covered = {f for r in mine for f in r.risk_factors}
        assert set(pf.gaps(m)) == (local & dynamic) - covered


# --- re-classify ---------------------------------------------------------------------------------------


def _controlled_positive(file: Path, criteria: Criteria) -> bool:
    """Own controlled evidence of a positive effect on behaviour, read from the file (nji-erkenning)."""
    ev = load_assessment(file).assessment.evidence
    controlled = criteria.item("study_designs", ev.study_design)
    return (
        bool(getattr(controlled, "controlled", False))
        and ev.effect_direction == "positief"
        and ev.outcome in ("delinquentie", "gedrag")
    )


def _meets_strict_standard(file: Path, criteria: Criteria) -> bool:
    """Evidence that counts under the strict standard too: recognition 'goede' or 'sterke aanwijzingen', or own
    controlled research that is replicated (several studies or independently) with a lasting effect."""
    ev = load_assessment(file).assessment.evidence
    if ev.recognition_level in ("goede_aanwijzingen", "sterke_aanwijzingen"):
        return True
    replicated = (ev.study_count or 0) >= criteria.settings["streng_min_studies"] or ev.independent_replication == "ja"
    lasting = (ev.follow_up_months or 0) >= criteria.settings["streng_min_follow_up"]
    return _controlled_positive(file, criteria) and replicated and lasting


def test_reclassify_strict_first_indications(
    samples: Path, criteria_copy: Path, variant: Variant, criteria: Criteria
) -> None:
    """With 'eerste aanwijzingen telt' off (the strict standard), exactly the assessments whose proof of effect
    does not meet the strict standard on any route (first indications, or one unreplicated own controlled
    study) and that relied on it lose it; everyone else keeps their verdict."""
    variant("ajb_rotterdam", "ajb_zonder_eigen_onderzoek", **{"evidence.study_design": "voor_en_nameting"})
    variant("ajb_buiten_doelgroep_almere", "ajb_almere_zonder_onderzoek", **{"evidence.study_design": "beschrijvend"})
    variant("ajb_rotterdam", "ajb_herhaald_onderzoek", **{"evidence.study_count": 2})
    rewrite(criteria_copy / "kader.toml", 'id = "eerste_aanwijzingen_telt"\nvalue = true',
            'id = "eerste_aanwijzingen_telt"\nvalue = false')
    strict = load_criteria(criteria_copy)
    assert strict.settings["eerste_aanwijzingen_telt"] is False

    result = reclassify.reclassify([samples], criteria, strict)
    expected = set()
    for file in samples.glob("*.toml"):
        a = load_assessment(file).assessment
        old = evaluate(a, criteria)
        uses_effect = any(
            c.id == "effect_aangetoond" and c.result is Truth.PASS for r in old.trace if r.decided for c in r.conditions
        )
        if uses_effect and not _meets_strict_standard(file, criteria):
            expected.add(file.name)
    assert expected == {"ajb_zonder_eigen_onderzoek.toml", "ajb_almere_zonder_onderzoek.toml", "ajb_rotterdam.toml",
                        "ajb_buiten_doelgroep_almere.toml"}
    assert {Path(c.file).name for c in result.changes} == expected
    assert result.settings == {"eerste_aanwijzingen_telt": (True, False)}
    assert result.total == len(list(samples.glob("*.toml")))
    for change in result.changes:
        assert change.first_rule == change.old.rule  # the rule that decided before no longer passes
        assert (change.first_old, change.first_new) == (Truth.PASS, Truth.FAIL)
        assert "instelling_eerste_aanwijzingen_telt" in {c for c, _, _ in change.conditions}
        assert change.new.rule != change.old.rule


def test_reclassify_rule_change_without_result_change(samples: Path, criteria_copy: Path, criteria: Criteria) -> None:
    """Changing a rule's advice changes exactly the verdicts that rule decided; no rule result differs."""
    regels = criteria_copy / "regels.toml"
    text = regels.read_text(encoding="utf-8")
    block = 'id = "kansrijk_gemonitord"\nclass = "kansrijk"\nadvice = "monitoren_en_onderzoeken"'
    assert block in text
    regels.write_text(text.replace(block, block.replace("monitoren_en_onderzoeken", "versterken")), encoding="utf-8")
    changed = load_criteria(criteria_copy)
    before = loading.load_rows([samples], criteria, today=TODAY).rows
    # the rule's own verdicts, and the open ones whose possible advice includes the rule's
    expected = {r.file for r in before if "monitoren_en_onderzoeken" in r.possible_advice}
    assert {r.file for r in before if r.rule == "kansrijk_gemonitord"} < expected
    result = reclassify.reclassify([samples], criteria, changed)
    assert {c.file for c in result.changes} == expected
    for c in result.changes:
        if c.old.advice is None:  # still open: the advice that is possible changes
            assert "versterken" in c.new.possible_advice and "monitoren_en_onderzoeken" not in c.new.possible_advice
        else:
            assert (c.old.advice, c.new.advice) == ("monitoren_en_onderzoeken", "versterken")
        assert c.first_rule is None and c.old.rule == c.new.rule


def test_reclassify_same_criteria_changes_nothing(samples: Path, criteria: Criteria) -> None:
    data_file("assessments/unterminated_array.toml", samples / "kapot.toml")
    result = reclassify.reclassify([samples], criteria, criteria)
    assert result.changes == []
    assert [Path(e.file).name for e in result.errors] == ["kapot.toml"]
