"""The ``classify --json`` contract (README, ``schemas/classify.schema.json``): output is checked against
the committed schema, and the fields mean what the contract says."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.conftest import ROOT, SAMPLES, run_cli

SCHEMA = json.loads((ROOT / "schemas" / "classify.schema.json").read_text(encoding="utf-8"))


def _classify(*files: Path, lang: str = "nl") -> list[dict]:  # type: ignore[type-arg]
    result = run_cli("--lang", lang, "classify", "--json", *files)
    assert result.returncode == 0, result.stderr
    data: list[dict] = json.loads(result.stdout)  # type: ignore[type-arg]
    return data


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_output_for_every_sample_and_an_empty_assessment_matches_the_schema(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.toml"
    empty.write_text("schema_version = 2\n\n[intervention]\nname = \"Nog niets ingevuld\"\n", encoding="utf-8")  # only the header
    files = [*sorted(SAMPLES.glob("*.toml")), empty]
    for lang in ("nl", "en"):
        output = _classify(*files, lang=lang)
        jsonschema.validate(output, SCHEMA)
        assert [item["file"] for item in output] == [str(f) for f in files]
    by_name = {Path(item["file"]).stem: item for item in _classify(*files)}
    blank = by_name["leeg"]
    assert blank["class"] is None and blank["provisional"] is True
    assert blank["possible_classes"] == ["bewezen_effectief", "kansrijk", "stoppen"]
    assert blank["summary"].startswith("Nog geen oordeel: kan bewezen effectief, kansrijk of stoppen worden")


def test_the_fields_mean_what_the_contract_says(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.toml"
    empty.write_text("schema_version = 2\n\n[intervention]\nname = \"Nog niets ingevuld\"\n", encoding="utf-8")  # only the header
    for item in _classify(*sorted(SAMPLES.glob("*.toml")), empty):
        assert item["provisional"] == (len(item["possible_classes"]) > 1)
        assert (item["class"] is None) == item["provisional"]
        if item["class"] is not None:
            assert item["possible_classes"] == [item["class"]]
        assert item["advice_provisional"] == (len(item["possible_advice"]) > 1)
        assert (item["advice"] is None) == item["advice_provisional"]
        for missing in item["missing"]:
            assert set(missing["could_lead_to"]) <= set(item["possible_classes"])
            assert missing["advice_only"] == (not item["provisional"])
        open_fields = {m["field"] for m in item["missing"]}
        assert not open_fields & {q["field"] for q in item["not_applicable"]}
        for group in item["next_steps"]:
            for option in group["options"]:
                for step in option["steps"]:
                    assert (step["kind"] == "beantwoord") == step["text"].startswith("Beantwoord: ")
                    assert step["kind"] != "onderzoek" or step["actor"] == "onderzoek"
        assert [r["rule"] for r in item["reasons"]] == [r["rule"] for r in item["trace"]]
