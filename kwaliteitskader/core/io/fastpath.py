"""The CLI's fast path: load criteria and assessments for ``classify`` without importing pydantic.

Importing pydantic and building the models costs more than the whole rest of a ``classify`` run
(docs/performance.md). For the common case — a criteria set that was loaded and checked before, and a
well-formed assessment — this module gets the same values without it:

- **Criteria**: after a full, successful :func:`criteria.load_criteria`, the validated document is written
  as JSON to a cache keyed by the criteria digest *and* a fingerprint of the code that validates it. The
  next run reads the files (for the digest), finds the entry and rebuilds light objects from it. A miss,
  an unreadable or foreign entry, or any error falls back to the full load (which reports every finding).
- **Assessments**: a strict check accepts only input that the pydantic model accepts unchanged (exact
  types, known keys, ranges, the current schema version) and builds light objects with the same values
  and defaults. Anything else — wrong types, unknown keys, old schemas, unreadable files — goes through
  :func:`storage.load_assessment`, so problems are reported with exactly the same findings.

Both light objects offer the attributes that the engine and :mod:`explain` read; they are used by the
CLI only. Nothing here evaluates or deserialises code (JSON only). ``KWALITEITSKADER_CACHE=off`` turns the
criteria cache off; ``KWALITEITSKADER_CACHE=<dir>`` moves it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.io.fasttoml import loads as fast_loads
from kwaliteitskader.core.io.locate import LazyLineIndex, LineIndex
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.values import ConditionShape, Tri

if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:  # the built-in SHA-256: same digests as hashlib's, without loading OpenSSL (~15 ms at start-up)
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - other Python builds
        from hashlib import sha256

CACHE_FORMAT = 1
_TRI = {"ja": Tri.JA, "nee": Tri.NEE, "onbekend": Tri.ONBEKEND}


# --- light objects ---------------------------------------------------------------------------------


class Record:
    """An object with the attributes of one model instance (section, catalogue item, rule …)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]


class LiteText(Record):
    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class LiteCondition(Record, ConditionShape):
    """A condition rebuilt from the cache (its fields are set by :class:`Record`)."""


# --- assessments -----------------------------------------------------------------------------------

_STR, _TRI_KIND, _INT, _FLOAT, _DATE, _LIST = "str", "tri", "int", "float", "date", "list"
SCHEMA_VERSION = 2

# (kind, default, minimum, maximum) per field, in model order; tests check this against models.Assessment.
SECTIONS: dict[str, dict[str, tuple[str, Any, float | None, float | None]]] = {
    "meta": {
        "assessor": (_STR, "", None, None),
        "assessed_on": (_DATE, None, None, None),
        "valid_until": (_DATE, None, None, None),
        "criteria_version": (_STR, "", None, None),
        "criteria_digest": (_STR, "", None, None),
    },
    "intervention": {
        "name": (_STR, "", None, None),
        "provider": (_STR, "", None, None),
        "municipality": (_STR, "", None, None),
        "description": (_STR, "", None, None),
        "manual": (_TRI_KIND, Tri.ONBEKEND, None, None),
        "databank_entry": (_STR, "", None, None),
    },
    "target_group": {
        "age_min": (_INT, None, 0, 120),
        "age_max": (_INT, None, 0, 120),
        "prevention_tier": (_STR, "onbekend", None, None),
        "risk_level": (_STR, "onbekend", None, None),
        "selection": (_STR, "", None, None),
        "special_needs": (_LIST, None, None, None),
    },
    "problem_analysis": {"local_risk_factors": (_LIST, None, None, None)},
    "factors": {
        "risk_factors": (_LIST, None, None, None),
        "protective_factors": (_LIST, None, None, None),
        "active_ingredients": (_LIST, None, None, None),
    },
    "evidence": {
        "recognition_level": (_STR, "onbekend", None, None),
        "study_design": (_STR, "onbekend", None, None),
        "study_count": (_INT, None, 0, 1000),
        "outcome": (_STR, "onbekend", None, None),
        "follow_up_months": (_INT, None, 0, 600),
        "effect_direction": (_STR, "onbekend", None, None),
        "independent_replication": (_TRI_KIND, Tri.ONBEKEND, None, None),
        "same_target_group": (_TRI_KIND, Tri.ONBEKEND, None, None),
        "same_risk_level": (_TRI_KIND, Tri.ONBEKEND, None, None),
        "credible_adjustment": (_TRI_KIND, Tri.ONBEKEND, None, None),
        "practice_knowledge": (_STR, "", None, None),
        "experiential_knowledge": (_STR, "", None, None),
    },
    "delivery": {
        name: (_TRI_KIND, Tri.ONBEKEND, None, None)
        for name in ("trained_staff", "supervision", "fidelity_monitoring", "dose_registration",
                     "intensity_matches_risk", "monitoring_plan")
    },
    "participation": {
        "youth_participation": (_TRI_KIND, Tri.ONBEKEND, None, None),
        "cost_per_participant": (_FLOAT, None, 0, None),
        "notes": (_STR, "", None, None),
    },
}
_ORDER = ("schema_version", "meta", "intervention", "target_group", "problem_analysis", "factors", "evidence",
          "delivery", "harm_signals", "participation")


class _Reject(Exception):
    """The input is not plainly valid: let the full (pydantic) path decide and report."""


def _value(kind: str, value: Any, low: float | None, high: float | None) -> Any:
    t = type(value)
    if kind == _STR:
        if t is str:
            return value
    elif kind == _TRI_KIND:
        if t is str and value in _TRI:
            return _TRI[value]
    elif kind == _LIST:
        if t is list and all(type(v) is str for v in value):
            return list(value)
    elif kind == _INT:
        if t is int and (low is None or value >= low) and (high is None or value <= high):
            return value
    elif kind == _FLOAT:
        if (t is int or t is float) and math.isfinite(value) and (low is None or value >= low) and (
            high is None or value <= high
        ):
            return float(value)
    elif kind == _DATE and t is dt.date:
        return value
    raise _Reject


def _section(name: str, given: Any) -> Record:
    spec = SECTIONS[name]
    if given is None:
        return Record({field: default for field, (_, default, _, _) in spec.items()})
    if type(given) is not dict or not given.keys() <= spec.keys():
        raise _Reject
    values = {}
    for field, (kind, default, low, high) in spec.items():
        values[field] = _value(kind, given[field], low, high) if field in given else default
    return Record(values)


def quick_assessment(data: dict[str, Any]) -> Record | None:
    """Light assessment with exactly the values ``Assessment.model_validate(data)`` gives, or None when
    the data is anything but plainly valid (then the full path must decide)."""
    if not data.keys() <= set(_ORDER):
        return None
    version = data.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version != SCHEMA_VERSION:
        return None  # migrations and refusals are the full path's job
    try:
        values: dict[str, Any] = {"schema_version": version}
        for name in _ORDER[1:]:
            if name == "harm_signals":
                given = data.get("harm_signals", {})
                if type(given) is not dict:
                    raise _Reject
                values[name] = {str(k): _value(_TRI_KIND, v, None, None) for k, v in given.items()}
            else:
                values[name] = _section(name, data.get(name))
    except _Reject:
        return None
    return Record(values)


class QuickLoaded:
    """What :class:`storage.LoadedAssessment` offers, for an assessment read on the fast path."""

    migrated_from = None

    def __init__(self, assessment: Record, path: Path, raw: bytes, text: str) -> None:
        self.assessment = assessment
        self.path = path
        self._raw = raw
        self._text = text

    @cached_property
    def lines(self) -> LineIndex:
        return LazyLineIndex(self._text)

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the bytes that were parsed (hex), without importing storage (and pydantic)."""
        return sha256(self._raw).hexdigest()

    @cached_property
    def fingerprint(self) -> Any:
        from kwaliteitskader.core.io.assessments import Fingerprint

        try:
            stat = self.path.stat()
        except OSError:
            return Fingerprint(len(self._text.encode()), 0, "")
        return Fingerprint(stat.st_size, stat.st_mtime_ns, self.digest)


def _read_plain(path: Path, limit: int = 5 * 1024 * 1024) -> tuple[bytes, str, dict[str, Any]] | None:
    """Bytes, text and data of a plainly readable TOML file; None for anything unusual (the full path
    reports it)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
        if len(raw) > limit:
            return None
        text = raw.decode("utf-8-sig")
        data = fast_loads(text)
        return raw, text, data if data is not None else tomllib.loads(text)
    except (OSError, ValueError, RecursionError):  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        return None


def load_assessment_quick(path: Path | str) -> Any:
    """Like :func:`storage.load_assessment` (same values, same findings), faster for valid files."""
    path = Path(path)
    read = _read_plain(path)
    if read is not None:
        raw, text, data = read
        assessment = quick_assessment(data)
        if assessment is not None:
            return QuickLoaded(assessment, path, raw, text)
    from kwaliteitskader.core.io.assessments import load_assessment

    return load_assessment(path)


# --- criteria --------------------------------------------------------------------------------------

_RENAMED = {"not": "not_", "class": "class_"}
_TEXTS = {"label", "explanation", "title", "help", "question", "remedy"}


def _record(values: dict[str, Any], kind: type[Record] = Record) -> Record:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _TEXTS and value is not None:
            value = LiteText({"nl": value["nl"], "en": value["en"]})
        out[_RENAMED.get(key, key)] = value
    return kind(out)


class LiteCriteria(Criteria):
    """A :class:`Criteria` rebuilt from the cache: the same lookups over light records instead of models."""

    def __init__(self, document: dict[str, Any], folder: Path, digest: str) -> None:
        doc: dict[str, Any] = {}
        for key, value in document.items():
            if key == "criteria":
                header: Any = _record(value)
                header.date = dt.date.fromisoformat(value["date"])
                doc[key] = header
            else:
                kind = LiteCondition if key == "conditions" else Record
                doc[key] = [_record(item, kind) for item in value]
        self.document = Record(doc)  # type: ignore[assignment]  # records stand in for the models
        self.folder = folder
        self.digest = digest
        self.sources = None  # type: ignore[assignment]  # no source lines: cached criteria were checked before


def cache_dir() -> Path | None:
    setting = os.environ.get("KWALITEITSKADER_CACHE", "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kwaliteitskader"


def _code_fingerprint() -> str:
    """Changes whenever the code that validates criteria, or shapes the cached document, changes."""
    from kwaliteitskader import __version__

    sha = sha256(f"{CACHE_FORMAT}:{__version__}".encode())
    here = Path(__file__).resolve().parents[1]  # kwaliteitskader/core/
    for name in ("io/criteria.py", "model/criteria.py", "model/criteria_set.py", "rules/checks.py", "model/assessment.py",
                 "rules/engine.py", "model/values.py", "io/fastpath.py"):
        with contextlib.suppress(OSError):
            sha.update(name.encode() + b"\0" + (here / name).read_bytes())
    return sha.hexdigest()


def default_criteria_folder() -> Path | None:
    """Same choice as :func:`criteria.default_criteria_folder` (tests compare them); None if unsure."""
    package = Path(__file__).resolve().parents[2]  # kwaliteitskader/
    for root in (package / "criteria", package.parent / "criteria"):
        if root.is_dir():
            if (root / "kader.toml").is_file():
                return root
            folders = [p.parent for p in root.rglob("kader.toml")]
            return sorted(folders, key=lambda p: _version_key(p.name))[-1] if folders else None
    return None


def _version_key(name: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in name.replace("-", ".").split("."))


def _criteria_digest(folder: Path) -> tuple[str, list[Path]] | None:
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    if not (folder / "kader.toml").is_file():
        return None
    sha = sha256()
    for file in sorted(files, key=lambda p: p.name):
        sha.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return "sha256:" + sha.hexdigest(), files


def _entry(digest: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = sha256(f"{digest}\0{_code_fingerprint()}".encode()).hexdigest()[:32]
    return folder / f"criteria-{key}.json"


def load_criteria_quick(folder: Path | None = None) -> Any:
    """Like :func:`criteria.load_criteria` (same criteria, same findings), from the cache when it can."""
    try:
        chosen = Path(folder) if folder is not None else default_criteria_folder()
        if chosen is not None and chosen.is_file():
            chosen = chosen.parent
        found = _criteria_digest(chosen) if chosen is not None and chosen.is_dir() else None
        entry = _entry(found[0]) if found is not None else None
        if chosen is not None and found is not None and entry is not None and entry.is_file():
            with open(entry, encoding="utf-8") as handle:
                cached = json.load(handle)
            if cached.get("format") == CACHE_FORMAT and cached.get("digest") == found[0]:
                return LiteCriteria(cached["document"], chosen, found[0])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        entry = None
    from kwaliteitskader.core.io.criteria import load_criteria

    criteria = load_criteria(folder)  # raises FindingsError for a broken set: nothing is cached then
    with contextlib.suppress(OSError, ValueError, TypeError):
        store = _entry(criteria.digest)
        if store is not None:
            _write_entry(store, criteria)
    return criteria


def _write_entry(path: Path, criteria: Any) -> None:
    import tempfile

    document = criteria.document.model_dump(mode="json", by_alias=True)
    payload = json.dumps({"format": CACHE_FORMAT, "digest": criteria.digest, "document": document}, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below; replaced atomically
        "w", encoding="utf-8", dir=path.parent, prefix=".criteria-", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(payload)
        os.replace(handle.name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
    _prune(path.parent, keep=path)


CACHE_ENTRIES = 12
"""Entries kept: one is written per criteria set and program version, so old ones would pile up."""


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the :data:`CACHE_ENTRIES` most recently written entries (best effort)."""
    with contextlib.suppress(OSError):
        entries = sorted(folder.glob("criteria-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[CACHE_ENTRIES:]:
            if old != keep:
                old.unlink(missing_ok=True)
