"""Fixtures for the comparison tests: a writable folder of the samples, variants made on the fly."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kwaliteitskader.core.io.assessments import dump_assessment
from kwaliteitskader.core.io.load import load_assessment
from kwaliteitskader.core.model.assessment import set_path
from tests.conftest import run_cli  # noqa: F401  (re-exported for the compare tests)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_assessments"
TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A writable copy of the sample assessments."""
    target = tmp_path / "beoordelingen"
    shutil.copytree(SAMPLES, target)
    return target


Variant = Callable[..., Path]


@pytest.fixture
def variant(samples: Path) -> Variant:
    """``variant("ajb_rotterdam", "nieuw", **{"evidence.study_design": "beschrijvend"})`` writes a changed copy."""

    def make(source: str, name: str, folder: Path | None = None, **changes: Any) -> Path:
        assessment = load_assessment(SAMPLES / f"{source}.toml").assessment
        for path, value in changes.items():
            assessment = set_path(assessment, path, value)
        target = (folder or samples) / f"{name}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_assessment(assessment), encoding="utf-8")
        return target

    return make


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))


