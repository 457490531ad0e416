"""The fast path: criteria and assessments as light objects, without importing pydantic.

Importing pydantic and building the models costs more than the whole rest of a ``classify`` run
(docs/performance.md). :mod:`kwaliteitskader.core.io.load` (the one way to load) uses this module when
its caller can work with light, read-only objects:

- **Criteria**: after a full, successful load, the validated document is written as JSON to a cache
  keyed by the criteria digest and everything else that can change the result: the program version and
  the source of the code that validates and shapes it, the TOML parser and its version, the pydantic
  version and the Python version (:func:`cache_key`). The next run reads the files (for the digest),
  finds the entry and rebuilds a :class:`LiteCriteria` from it. A miss, an unreadable or foreign entry,
  or any error falls back to the full load (which reports every finding). When part of the key cannot
  be read, there is no cache at all rather than a weaker key.
- **Assessments**: a strict check (:func:`quick_assessment`) accepts only input that the pydantic model
  accepts unchanged (exact types, known keys, ranges, the current schema version) and builds light
  objects with the same values and defaults; anything else goes the full way, with the same findings.

The field facts come from :mod:`kwaliteitskader.core.model.fields_table`, generated from the models.
Nothing here evaluates or deserialises code (JSON only). ``KWALITEITSKADER_CACHE=off`` turns the
criteria cache off; ``KWALITEITSKADER_CACHE=<dir>`` moves it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwaliteitskader.core.hashes import blake2b, sha256
from kwaliteitskader.core.locate import LazyLineIndex, LineIndex
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.fields_table import SCHEMA_VERSION, SECTION_ORDER, SECTIONS
from kwaliteitskader.core.model.values import ConditionShape, Tri
from kwaliteitskader.core.places import cache_dir as cache_dir  # where the parsed criteria are kept
from kwaliteitskader.core.toml import PARSER, PARSER_VERSION

if TYPE_CHECKING:
    from kwaliteitskader.core.io.assessments import Fingerprint
    from kwaliteitskader.core.model.assessment import Assessment
    from kwaliteitskader.core.model.criteria import CriteriaDocument
    from kwaliteitskader.core.model.criteria_set import FullCriteria

CACHE_FORMAT = 2
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

_STR, _TRI_KIND, _INT, _FLOAT, _DATE, _LIST = "str", "tri", "int", "float", "date", "list"  # kinds in SECTIONS
_ORDER = SECTION_ORDER


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


_DEFAULTS = {name: {field: default for field, (_, default, _, _) in spec.items()} for name, spec in SECTIONS.items()}
"""Per section, every field with its default, in the model's order (a record starts as a copy)."""
_SECTION_NAMES = frozenset(_ORDER)


def _section(name: str, given: Any) -> Record:
    spec = SECTIONS[name]
    values = _DEFAULTS[name].copy()  # the given fields replace their defaults in place: the order stays
    if given is None:
        return Record(values)
    if type(given) is not dict or not given.keys() <= spec.keys():
        raise _Reject
    for field, value in given.items():
        kind, _default, low, high = spec[field]
        if kind == _STR and type(value) is str:  # the commonest kinds first, as _value takes them
            values[field] = value
        elif kind == _TRI_KIND and type(value) is str and value in _TRI:
            values[field] = _TRI[value]
        else:
            values[field] = _value(kind, value, low, high)
    return Record(values)


def quick_assessment(data: dict[str, Any]) -> Record | None:
    """Light assessment with exactly the values ``Assessment.model_validate(data)`` gives, or None when
    the data is anything but plainly valid (then the full path must decide)."""
    if not data.keys() <= _SECTION_NAMES:
        return None
    intervention = data.get("intervention")
    if "schema_version" not in data or not isinstance(intervention, dict) or "name" not in intervention:
        return None  # not an assessment: the full path names what is missing
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
    """An assessment read on the fast path: what :class:`assessments.LoadedAssessment` offers.

    ``assessment`` is a light record with the model's attributes and values; it stands in for the model
    (read it, do not change it). Made by :func:`kwaliteitskader.core.io.load.load_assessment` only."""

    migrated_from: int | None = None

    def __init__(self, assessment: Record, path: Path | str, raw: bytes, mtime_ns: int, text: str) -> None:
        self.assessment: Assessment = assessment  # type: ignore[assignment]  # the record stands in for the model
        self._path = path
        self._raw = raw
        self._mtime_ns = mtime_ns
        self._text = text

    @cached_property
    def path(self) -> Path:
        """The file, as a ``Path`` when first asked for: ``classify`` and the compare rows name a file by the
        text they were given (making 50,000 ``Path`` objects cost a worker 1.5 % of its time)."""
        path = self._path
        return path if isinstance(path, Path) else Path(path)

    @cached_property
    def lines(self) -> LineIndex:
        return LazyLineIndex(self._text)

    @cached_property
    def fingerprint(self) -> Fingerprint:
        """As the full path takes it: size and hash of the very bytes parsed, the time stamp from before."""
        from kwaliteitskader.core.io.assessments import Fingerprint

        return Fingerprint(len(self._raw), self._mtime_ns, sha256(self._raw).hexdigest())

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the bytes that were parsed (hex), without importing storage (and pydantic): the key of
        the portfolio index."""
        return sha256(self._raw).hexdigest()


# --- criteria --------------------------------------------------------------------------------------

_RENAMED = {"not": "not_", "class": "class_"}
_TEXTS = {"label", "explanation", "title", "help", "question", "remedy", "design_reason", "reason"}


def _record(values: dict[str, Any], kind: type[Record] = Record) -> Record:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _TEXTS and value is not None:
            value = LiteText({"nl": value["nl"], "en": value["en"]})
        elif key == "source" and isinstance(value, list):
            value = [Record(cite) for cite in value]  # citations: ref, at, quote
        elif key in ("make_true", "make_false", "otherwise") and isinstance(value, dict):
            value = _record(value)  # a change model: actor, remedy, offered, reason, requires, otherwise
        out[_RENAMED.get(key, key)] = value
    return kind(out)


class LiteCriteria(Criteria):
    """Criteria rebuilt from the cache: the same lookups as every :class:`Criteria`, over light records
    instead of models. It has no source lines and no ``with_settings`` (those are :class:`FullCriteria`'s):
    cached criteria were checked in full before."""

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
        records: CriteriaDocument = Record(doc)  # type: ignore[assignment]  # records stand in for the models
        super().__init__(records, folder, digest)


_KEY_ROOT = Path(__file__).resolve().parents[1]
"""``kwaliteitskader/core/``: its modules are part of the cache key."""
_KEY_SKIPS = ("portfolio", "output")
"""Parts of ``core/`` that never shape a cached criteria document; every other module does or may, so all of
them are in the key (a list of names would go stale when a module moves)."""


def cache_key() -> str | None:
    """What, besides the criteria files, decides a cache entry's content; None if part of it is unreadable
    (then the cache is not used at all: a weaker key could hand out an entry made by other code)."""
    from kwaliteitskader import __version__

    pydantic = _pydantic_version()
    if pydantic is None:
        return None
    sha = blake2b(f"{CACHE_FORMAT}\0{__version__}\0{PARSER} {PARSER_VERSION}\0{sys.version}\0".encode())
    sha.update(b"pydantic\0" + pydantic + b"\0")
    here = _KEY_ROOT
    try:
        sources = sorted(f for f in here.rglob("*.py") if f.relative_to(here).parts[0] not in _KEY_SKIPS)
        for source in sources:
            sha.update(source.relative_to(here).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    except OSError:
        return None
    return sha.hexdigest()


def _pydantic_version() -> bytes | None:
    """pydantic's ``version.py`` (its version and the pydantic-core version it requires), read without
    importing pydantic; None if it cannot be found or read."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("pydantic")
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        return (Path(folders[0]) / "version.py").read_bytes() if folders else None
    except (ImportError, ValueError, OSError):
        return None


def entry_path(digest: str) -> Path | None:
    """The cache file for criteria with this digest; None when the cache is off or cannot be keyed."""
    folder = cache_dir()
    key = cache_key() if folder is not None else None
    if folder is None or key is None:
        return None
    name = sha256(f"{digest}\0{key}".encode()).hexdigest()[:32]
    return folder / f"criteria-{name}.json"


def read_entry(entry: Path, folder: Path, digest: str) -> LiteCriteria | None:
    """The criteria in a cache entry, or None when it is missing, unreadable or not for this digest."""
    try:
        with open(entry, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("format") == CACHE_FORMAT and cached.get("digest") == digest:
            return LiteCriteria(cached["document"], folder, digest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def write_entry(path: Path, criteria: FullCriteria) -> None:
    """Store checked criteria (best effort: a cache that cannot be written is simply not used)."""
    with contextlib.suppress(OSError, ValueError, TypeError):
        _write_entry(path, criteria)


def _write_entry(path: Path, criteria: FullCriteria) -> None:
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
