"""Comparing many saved assessments: the coordinator's view of a whole portfolio (issue 5).

Plain Python, no UI. Everything the table, the exports, the CLI and the TUI show comes from here:

- :func:`iter_batches` / :func:`load_rows` read files and folders (recursively, skipping criteria
  folders) and evaluate each assessment. A file that cannot be read becomes a :class:`Finding` with
  file, line and reason; it never stops the others. Results stream in batches with a progress
  callback, so a view can show the first rows while the rest is still loading. Only a small
  :class:`Row` per file is kept (not the assessment or its verdict), which keeps 5,000 files lean;
  :func:`open_row` re-reads one file when its full verdict is wanted.
- :func:`sort_rows`, :class:`Filter`/:func:`parse_filter`: sort by any column, filter by class,
  municipality, domain, risk factor and free text.
- :func:`diff_assessments`: two assessments side by side — answers that differ, rules that decided
  differently.
- :func:`build_portfolio`: counts per class per municipality (the spread, not an average) and the
  coverage of risk factors per municipality, with the dynamic factors nobody addresses.
- :func:`reclassify`: re-run every assessment under another criteria set; only changed verdicts,
  with the rule that made the difference.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .criteria_set import Criteria
from .engine import DERIVED, Partial, Truth, Verdict, display, evaluate
from .explain import field_label
from .fastpath import load_assessment_quick
from .findings import Finding, FindingsError, Severity
from .i18n import language, t
from .validate import collect, unreadable_findings
from .values import UNKNOWN, get_path
from .walk import walk_toml

if TYPE_CHECKING:
    from .models import Assessment
    from .storage import LoadedAssessment

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after every batch."""

BATCH_SIZE = 250
FIRST_BATCH = 25
"""The first batch is small so the first rows appear at once."""
POOL_THRESHOLD = 400
"""Below this many files a process pool costs more (start-up, imports) than it saves."""


# --- rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One assessment in the table: what it is, its verdict, and what the filters need."""

    file: str
    municipality: str
    intervention: str
    class_: str
    advice: str
    rule: str
    provisional: bool
    evidence: str
    """Recognition level id (catalogue ``recognition_levels``)."""
    domains: tuple[str, ...]
    """Derived life domains with an active component (``derived.domains``)."""
    risk_factors: tuple[str, ...]
    local_risk_factors: tuple[str, ...]
    criteria_version: str
    """The criteria version recorded in the file."""
    criteria_digest: str
    loaded_version: str
    loaded_digest: str
    assessed_on: dt.date | None
    valid_until: dt.date | None
    assessor: str
    out_of_date: bool

    @property
    def domain_count(self) -> int:
        return len(self.domains)

    @property
    def criteria_status(self) -> str:
        """``same`` (recorded digest equals the loaded one), ``other``, or ``unrecorded``."""
        if not self.criteria_digest:
            return "unrecorded"
        return "same" if self.criteria_digest == self.loaded_digest else "other"

    @property
    def criteria_mismatch(self) -> bool:
        return self.criteria_status != "same"


def make_row(loaded: LoadedAssessment, verdict: Verdict, criteria: Criteria, today: dt.date) -> Row:
    a = loaded.assessment
    domains = DERIVED["derived.domains"].compute(a, criteria)
    return Row(
        file=str(loaded.path),
        municipality=a.intervention.municipality.strip(),
        intervention=a.intervention.name.strip(),
        class_=verdict.class_,
        advice=verdict.advice,
        rule=verdict.rule,
        provisional=verdict.provisional,
        evidence=a.evidence.recognition_level,
        domains=domains.items if isinstance(domains, Partial) else (),
        risk_factors=tuple(a.factors.risk_factors or ()),
        local_risk_factors=tuple(a.problem_analysis.local_risk_factors or ()),
        criteria_version=a.meta.criteria_version,
        criteria_digest=a.meta.criteria_digest,
        loaded_version=criteria.version,
        loaded_digest=criteria.digest,
        assessed_on=a.meta.assessed_on,
        valid_until=a.meta.valid_until,
        assessor=a.meta.assessor.strip(),
        out_of_date=a.meta.valid_until is not None and a.meta.valid_until < today,
    )


def find_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Finding]]:
    """Assessment files under the given files/folders (``*.toml``, recursive, criteria folders skipped).

    Single files and missing paths go through :func:`core.validate.collect`, so ``compare`` and
    ``validate`` agree on what a criteria folder is; folders are walked once by :func:`core.walk.walk_toml`.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    missing: list[Finding] = []
    for path in map(Path, paths):
        if path.is_dir():
            walked = walk_toml(path)  # one pass with os.scandir: ~15x faster than rglob for 5,000 files
            found = walked.files
            missing += unreadable_findings(walked)
        else:
            _criteria, found, lost = collect([path])
            missing += lost
        for file in found:  # sorted: by walk_toml, or by collect
            if file not in seen:
                seen.add(file)
                files.append(file)
    return files, missing


def _read(file: Path) -> LoadedAssessment:
    """:func:`storage.load_assessment`, minus the work a row does not need when the file is fine.

    A plainly valid current-schema file is read on the fast path (:mod:`fastpath`: the same values,
    without pydantic); anything else (an older schema, an invalid value) goes through the full load,
    which migrates it or raises the findings with file, line and field.
    """
    loaded: LoadedAssessment = load_assessment_quick(file)
    return loaded


def evaluate_file(file: Path, criteria: Criteria, today: dt.date) -> Row | list[Finding]:
    """One file → its row, or the findings that explain why it could not be used."""
    try:
        loaded = _read(file)
        return make_row(loaded, evaluate(loaded.assessment, criteria, conditions=False), criteria, today)
    except FindingsError as exc:
        return exc.findings
    except Exception as exc:  # one odd file must never stop the other 4,999
        return [
            Finding(
                str(file),
                None,
                "",
                t("compare.error.unexpected", reason=f"{type(exc).__name__}: {exc}"),
                "unexpected",
                Severity.UNUSABLE,
            )
        ]


def _evaluate_many(files: Sequence[Path], criteria: Criteria, today: dt.date) -> tuple[list[Row], list[Finding]]:
    rows: list[Row] = []
    errors: list[Finding] = []
    for file in files:
        result = evaluate_file(file, criteria, today)
        if isinstance(result, Row):
            rows.append(result)
        else:
            errors.extend(result)
    return rows, errors


_WORKER_CRITERIA: Criteria | None = None


def _init_worker(criteria: Criteria, lang: str) -> None:
    global _WORKER_CRITERIA
    from .i18n import set_language

    set_language(lang)
    _WORKER_CRITERIA = criteria


def _worker_batch(files: list[Path], today: dt.date, key: tuple[str, str]) -> tuple[list[Row], list[Finding]]:
    if _WORKER_CRITERIA is None or _criteria_key(_WORKER_CRITERIA) != key:
        raise RuntimeError("this worker holds other criteria")
    return _evaluate_many(files, _WORKER_CRITERIA, today)


def _criteria_key(criteria: Criteria) -> tuple[str, str]:
    return criteria.digest, repr(sorted(criteria.settings.items()))


def _ping() -> int:
    return os.getpid()


def start_pool(criteria: Criteria, workers: int) -> Executor | None:
    """A pool of ``workers`` processes holding ``criteria``, started now; None when not worth it.

    Uses ``fork`` so the workers inherit the loaded program instead of re-importing it (``spawn`` and
    ``forkserver`` would re-run ``python -m kwaliteitskader``'s ``__main__``). Forking is only safe
    while the process has no other threads: a caller with threads (the Textual view) must start the
    pool before it starts them, and pass it to :func:`iter_batches`.
    """
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(criteria, language()),
    )
    for future in [pool.submit(_ping) for _ in range(workers)]:
        future.result()
    return pool


@dataclass
class Batch:
    rows: list[Row]
    errors: list[Finding]
    done: int
    total: int


def default_workers() -> int:
    """Two processes when the machine has the cores for it, else one (in this process)."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def iter_batches(
    paths: Iterable[Path | str],
    criteria: Criteria,
    *,
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    progress: Progress | None = None,
    pool: Executor | None = None,
) -> Iterator[Batch]:
    """Load and evaluate assessments, yielding results batch by batch (in file order).

    The first batch is small so that a view can show rows at once. With ``workers > 1`` and enough
    files, batches are evaluated in a process pool of that many workers (the criteria are sent once
    to each worker), or in ``pool`` (from :func:`start_pool`, same criteria) when given; the results
    still arrive in file order.
    """
    today = today or dt.date.today()
    files, missing = find_files(paths)
    total = len(files)
    if missing:
        yield Batch([], missing, 0, total)
    sizes = [min(batch_size, FIRST_BATCH)] if files else []
    while sum(sizes) < total:
        sizes.append(batch_size)
    chunks: list[list[Path]] = []
    start = 0
    for size in sizes:
        chunks.append(files[start : start + size])
        start += size
    done = 0

    def emit(rows: list[Row], errors: list[Finding], count: int) -> Batch:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)
        return Batch(rows, errors, done, total)

    own_pool = pool is None and workers > 1 and total >= POOL_THRESHOLD
    if own_pool:
        pool = start_pool(criteria, workers)
    if pool is None or total < POOL_THRESHOLD:
        for chunk in chunks:
            rows, errors = _evaluate_many(chunk, criteria, today)
            yield emit(rows, errors, len(chunk))
        return
    pending: list[Future[tuple[list[Row], list[Finding]]]] = []
    try:
        # the first (small) chunk in this process before the workers start, so the first rows come at once
        rows, errors = _evaluate_many(chunks[0], criteria, today)
        yield emit(rows, errors, len(chunks[0]))
        key = _criteria_key(criteria)
        pending = [pool.submit(_worker_batch, chunk, today, key) for chunk in chunks[1:]]
        for chunk, future in zip(chunks[1:], pending, strict=True):
            try:
                rows, errors = future.result()
            except Exception:  # a broken pool must not lose files: do this chunk here
                rows, errors = _evaluate_many(chunk, criteria, today)
            yield emit(rows, errors, len(chunk))
    finally:
        for future in pending:
            future.cancel()
        if own_pool:
            pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class LoadResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    total: int = 0


def load_rows(
    paths: Iterable[Path | str],
    criteria: Criteria,
    *,
    today: dt.date | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> LoadResult:
    """All rows and errors at once (for the CLI and the exports)."""
    result = LoadResult()
    for batch in iter_batches(paths, criteria, today=today, workers=workers, progress=progress):
        result.rows += batch.rows
        result.errors += batch.errors
        result.total = batch.total
    return result


def open_row(row: Row, criteria: Criteria) -> tuple[LoadedAssessment, Verdict]:
    """Re-read one row's file for its full verdict (rows keep only what the table needs)."""
    loaded = _read(Path(row.file))
    return loaded, evaluate(loaded.assessment, criteria)


# --- columns, sorting, filtering --------------------------------------------------------------------

COLUMNS: tuple[str, ...] = (
    "municipality",
    "intervention",
    "class",
    "advice",
    "provisional",
    "evidence",
    "domains",
    "criteria",
    "date",
    "assessor",
    "out_of_date",
    "file",
)
"""Column ids, in table order. Headers are ``t("compare.col.<id>")``."""


def column_title(column: str, lang: str | None = None) -> str:
    return t(f"compare.col.{column}", lang=lang)


def _rank(criteria: Criteria | None, catalogue: str, item_id: str) -> int:
    if criteria is None:
        return 0
    if catalogue == "classes":
        return criteria.class_rank.get(item_id, -1)
    item = criteria.item(catalogue, item_id)
    rank = getattr(item, "rank", None)
    return rank if isinstance(rank, int) else -1


def sort_key(column: str, criteria: Criteria | None = None) -> Callable[[Row], Any]:
    """A key for ``column``; classes and evidence levels sort by rank, dates with unknowns first."""
    keys: dict[str, Callable[[Row], Any]] = {
        "municipality": lambda r: (r.municipality.casefold(), r.intervention.casefold()),
        "intervention": lambda r: (r.intervention.casefold(), r.municipality.casefold()),
        "class": lambda r: (_rank(criteria, "classes", r.class_), r.provisional, r.municipality.casefold()),
        "advice": lambda r: (r.advice, r.municipality.casefold()),
        "provisional": lambda r: (r.provisional, r.municipality.casefold()),
        "evidence": lambda r: (_rank(criteria, "recognition_levels", r.evidence), r.evidence),
        "domains": lambda r: (r.domain_count, r.municipality.casefold()),
        "criteria": lambda r: (r.criteria_version, r.criteria_status),
        "date": lambda r: (r.assessed_on or dt.date.min, r.file),
        "assessor": lambda r: (r.assessor.casefold(), r.file),
        "out_of_date": lambda r: (r.out_of_date, r.valid_until or dt.date.max),
        "file": lambda r: r.file,
    }
    if column not in keys:
        raise ValueError(f"unknown column {column!r}; choose one of {', '.join(COLUMNS)}")
    return keys[column]


def sort_rows(
    rows: Iterable[Row], column: str, *, descending: bool = False, criteria: Criteria | None = None
) -> list[Row]:
    return sorted(rows, key=sort_key(column, criteria), reverse=descending)


FILTER_KEYS: dict[str, str] = {
    "klasse": "class_",
    "class": "class_",
    "gemeente": "municipality",
    "municipality": "municipality",
    "domein": "domain",
    "domain": "domain",
    "factor": "risk_factor",
    "risicofactor": "risk_factor",
    "risk": "risk_factor",
}


def _norm(value: str) -> str:
    """Ids and typed words compare alike: ``bewezen_effectief`` = ``Bewezen effectief``."""
    return " ".join(value.replace("_", " ").casefold().split())


@dataclass(frozen=True)
class Filter:
    """What the table shows. Empty fields match everything; all given fields must match."""

    class_: str = ""
    municipality: str = ""
    domain: str = ""
    risk_factor: str = ""
    text: str = ""

    @property
    def empty(self) -> bool:
        return not (self.class_ or self.municipality or self.domain or self.risk_factor or self.text)

    def matches(self, row: Row) -> bool:
        if self.class_ and _norm(row.class_) != _norm(self.class_):
            return False
        if self.municipality and row.municipality.casefold() != self.municipality.casefold():
            return False
        if self.domain and _norm(self.domain) not in {_norm(d) for d in row.domains}:
            return False
        if self.risk_factor and _norm(self.risk_factor) not in {_norm(f) for f in row.risk_factors}:
            return False
        if self.text:
            haystack = " ".join(
                (row.file, row.municipality, row.intervention, row.assessor, row.class_, row.advice, row.rule)
            ).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True

    def query(self) -> str:
        """The filter as the text a user would type (inverse of :func:`parse_filter`)."""
        parts = []
        for key, value in (
            ("klasse", self.class_),
            ("gemeente", self.municipality),
            ("domein", self.domain),
            ("factor", self.risk_factor),
        ):
            if value:
                parts.append(f'{key}:"{value}"' if " " in value else f"{key}:{value}")
        if self.text:
            parts.append(self.text)
        return " ".join(parts)


def parse_filter(query: str) -> Filter:
    """``klasse:kansrijk gemeente:"Den Haag" domein:gezin factor:impulsiviteit vrije tekst``.

    Keys may also be given in English (class, municipality, domain, risk). Other words are free text.
    """
    import shlex

    try:
        words = shlex.split(query)
    except ValueError:  # an unclosed quote while the user is still typing: close it
        try:
            words = shlex.split(query + '"')
        except ValueError:
            words = query.split()
    values: dict[str, str] = {}
    free: list[str] = []
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key.casefold() in FILTER_KEYS and value:
            values[FILTER_KEYS[key.casefold()]] = value
        else:
            free.append(word)
    return Filter(text=" ".join(free), **values)


def filter_rows(rows: Iterable[Row], flt: Filter) -> list[Row]:
    return [r for r in rows if flt.matches(r)]


# --- side by side ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerDiff:
    path: str
    label: str
    left: str
    right: str


@dataclass(frozen=True)
class RuleDiff:
    rule: str
    label: str
    left: Truth
    right: Truth
    left_decided: bool
    right_decided: bool
    conditions: tuple[tuple[str, Truth, Truth], ...]
    """Conditions of this rule whose result differs: (label, left, right)."""


@dataclass(frozen=True)
class Diff:
    answers: tuple[AnswerDiff, ...]
    rules: tuple[RuleDiff, ...]
    left: Verdict
    right: Verdict


def value_text(path: str, value: Any, criteria: Criteria, lang: str) -> str:
    """An answer as a reader sees it: catalogue labels instead of ids, *onbekend* for unknown."""
    from .models import answer_fields

    info = answer_fields().get(path)
    catalogue = info.catalogue if info else None
    if value is None or value == UNKNOWN:
        return t("compare.unknown", lang=lang)
    if catalogue and isinstance(value, list | tuple):
        return ", ".join(criteria.label(catalogue, str(v), lang) for v in value) or "—"
    if catalogue and isinstance(value, str):
        return criteria.label(catalogue, value, lang)
    return display(value)


def _answer_paths(left: Assessment, right: Assessment, criteria: Criteria) -> list[str]:
    from .models import answer_fields

    paths = [p for p in answer_fields() if not p.startswith("meta.")]
    signals = list(criteria.catalogues["harm_signals"])
    signals += [s for s in (*left.harm_signals, *right.harm_signals) if s not in signals]
    return paths + [f"harm_signals.{s}" for s in signals]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


def diff_assessments(left: Assessment, right: Assessment, criteria: Criteria, lang: str | None = None) -> Diff:
    """Which answers differ (by answer path, with the wizard's question label) and which rules
    decided differently (rules whose result or deciding role differs between the two traces)."""
    lang = lang or language()
    answers = []
    for path in _answer_paths(left, right, criteria):
        a, b = get_path(left, path), get_path(right, path)
        if not _same(a, b):
            answers.append(
                AnswerDiff(
                    path,
                    field_label(criteria, path, lang),
                    value_text(path, a, criteria, lang),
                    value_text(path, b, criteria, lang),
                )
            )
    lv, rv = evaluate(left, criteria), evaluate(right, criteria)
    return Diff(tuple(answers), rule_differences(lv, rv, lang), lv, rv)


def rule_differences(left: Verdict, right: Verdict, lang: str | None = None) -> tuple[RuleDiff, ...]:
    """Rules (matched by id) whose result or deciding role differs between two verdicts."""
    lang = lang or language()
    right_rules = {r.id: r for r in right.trace}
    found = []
    for lr in left.trace:
        rr = right_rules.get(lr.id)
        if rr is None or (lr.result is rr.result and lr.decided == rr.decided):
            continue
        rconds = {c.id: c for c in rr.conditions}
        conds = tuple(
            (c.label.get(lang), c.result, rconds[c.id].result)
            for c in lr.conditions
            if c.id in rconds and rconds[c.id].result is not c.result
        )
        found.append(RuleDiff(lr.id, lr.label.get(lang), lr.result, rr.result, lr.decided, rr.decided, conds))
    return tuple(found)


# --- portfolio -------------------------------------------------------------------------------------


@dataclass
class Portfolio:
    classes: list[str]
    """Class ids, highest rank first."""
    municipalities: list[str]
    counts: dict[str, dict[str, int]]
    """municipality → class → number of assessed interventions."""
    provisional: dict[str, int]
    """municipality → number of provisional (*onbepaald*) verdicts among the counts."""
    risk_factors: list[str]
    """Risk factor ids in catalogue order."""
    dynamic: set[str]
    coverage: dict[str, dict[str, int]]
    """risk factor → municipality → number of interventions that target it."""
    local: dict[str, set[str]]
    """municipality → risk factors its own problem analysis calls high."""

    @property
    def uncovered_dynamic(self) -> list[str]:
        """Dynamic risk factors that no assessed intervention addresses, anywhere."""
        return [f for f in self.risk_factors if f in self.dynamic and not any(self.coverage[f].values())]

    def gaps(self, municipality: str) -> list[str]:
        """Dynamic factors that a municipality itself calls high locally but none of its interventions targets."""
        return [
            f
            for f in self.risk_factors
            if f in self.dynamic and f in self.local.get(municipality, set()) and not self.coverage[f][municipality]
        ]

    def total(self, municipality: str) -> int:
        return sum(self.counts[municipality].values())


def build_portfolio(rows: Sequence[Row], criteria: Criteria) -> Portfolio:
    classes = [c.id for c in sorted(criteria.document.classes, key=lambda c: -c.rank)]
    municipalities = sorted({r.municipality or "?" for r in rows}, key=str.casefold)
    counts = {m: dict.fromkeys(classes, 0) for m in municipalities}
    provisional = dict.fromkeys(municipalities, 0)
    factors = list(criteria.catalogues["risk_factors"])
    coverage = {f: dict.fromkeys(municipalities, 0) for f in factors}
    local: dict[str, set[str]] = {m: set() for m in municipalities}
    for row in rows:
        m = row.municipality or "?"
        counts[m][row.class_] = counts[m].get(row.class_, 0) + 1
        provisional[m] += row.provisional
        for f in set(row.risk_factors):
            if f in coverage:
                coverage[f][m] += 1
        local[m].update(row.local_risk_factors)
    dynamic = {f for f in factors if getattr(criteria.item("risk_factors", f), "dynamic", False)}
    return Portfolio(classes, municipalities, counts, provisional, factors, dynamic, coverage, local)


# --- re-classify -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reclassified:
    """One verdict that changes under the new criteria, and why."""

    file: str
    municipality: str
    intervention: str
    old_class: str
    old_advice: str
    old_rule: str
    old_provisional: bool
    new_class: str
    new_advice: str
    new_rule: str
    new_provisional: bool
    first_rule: str | None
    """The first rule (in the new order) whose result differs; None when only the rule itself changed
    (e.g. its advice or class), in which case ``new_rule`` made the difference."""
    first_old: Truth | None
    first_new: Truth | None
    conditions: tuple[tuple[str, Truth, Truth], ...]
    """Conditions inside ``first_rule`` whose result differs: (condition id, old, new)."""


@dataclass
class ReclassifyResult:
    changes: list[Reclassified]
    errors: list[Finding]
    total: int
    old_version: str
    new_version: str
    settings: dict[str, tuple[bool | int | None, bool | int | None]]
    """Settings whose value differs: id → (old, new)."""


def _first_difference(
    old: Verdict, new: Verdict
) -> tuple[str | None, Truth | None, Truth | None, tuple[tuple[str, Truth, Truth], ...]]:
    old_rules = {r.id: r for r in old.trace}
    for nr in new.trace:
        orule = old_rules.get(nr.id)
        if orule is None:
            return nr.id, None, nr.result, ()
        if orule.result is not nr.result:
            oconds = {c.id: c.result for c in orule.conditions}
            conds = tuple(
                (c.id, oconds[c.id], c.result) for c in nr.conditions if c.id in oconds and oconds[c.id] is not c.result
            )
            return nr.id, orule.result, nr.result, conds
    return None, None, None, ()


def compare_verdicts(file: str, a: Assessment, old: Verdict, new: Verdict) -> Reclassified | None:
    if (old.class_, old.advice, old.rule, old.provisional) == (new.class_, new.advice, new.rule, new.provisional):
        return None
    first, before, after, conds = _first_difference(old, new)
    return Reclassified(
        file,
        a.intervention.municipality,
        a.intervention.name,
        old.class_,
        old.advice,
        old.rule,
        old.provisional,
        new.class_,
        new.advice,
        new.rule,
        new.provisional,
        first,
        before,
        after,
        conds,
    )


def settings_changes(old: Criteria, new: Criteria) -> dict[str, tuple[bool | int | None, bool | int | None]]:
    ids = list(old.settings) + [s for s in new.settings if s not in old.settings]
    return {s: (old.settings.get(s), new.settings.get(s)) for s in ids if old.settings.get(s) != new.settings.get(s)}


def reclassify(
    paths: Iterable[Path | str], old: Criteria, new: Criteria, *, progress: Progress | None = None
) -> ReclassifyResult:
    """Evaluate every assessment under ``old`` and ``new``; keep only the verdicts that change."""
    from .storage import load_assessment

    files, errors = find_files(paths)
    changes: list[Reclassified] = []
    for n, file in enumerate(files, 1):
        try:
            loaded = load_assessment(file)
        except FindingsError as exc:
            errors += exc.findings
        else:
            change = compare_verdicts(
                str(file), loaded.assessment, evaluate(loaded.assessment, old), evaluate(loaded.assessment, new)
            )
            if change is not None:
                changes.append(change)
        if progress is not None and (n % 100 == 0 or n == len(files)):
            progress(n, len(files))
    return ReclassifyResult(changes, errors, len(files), old.version, new.version, settings_changes(old, new))


# --- cell texts (shared by the table, the exports and the view) -------------------------------------


def yes_no(value: bool, lang: str | None = None) -> str:
    return t("compare.yes" if value else "compare.no", lang=lang)


def criteria_text(row: Row, lang: str | None = None) -> str:
    if row.criteria_status == "same":
        return row.criteria_version or row.loaded_version
    if row.criteria_status == "unrecorded":
        return t("compare.criteria.unrecorded", lang=lang, loaded=row.loaded_version)
    return t("compare.criteria.other", lang=lang, recorded=row.criteria_version or "?", loaded=row.loaded_version)


def cell_text(row: Row, column: str, criteria: Criteria, lang: str | None = None) -> str:
    """The text of one cell, in the current language (labels from the criteria data)."""
    lang = lang or language()
    if column == "municipality":
        return row.municipality
    if column == "intervention":
        return row.intervention
    if column == "class":
        return criteria.label("classes", row.class_, lang)
    if column == "advice":
        return criteria.label("advice", row.advice, lang)
    if column == "provisional":
        return yes_no(row.provisional, lang)
    if column == "evidence":
        return (
            criteria.label("recognition_levels", row.evidence, lang)
            if row.evidence != UNKNOWN
            else t("compare.unknown", lang=lang)
        )
    if column == "domains":
        return str(row.domain_count)
    if column == "domain_names":
        return ", ".join(criteria.label("domains", d, lang) for d in row.domains)
    if column == "criteria":
        return criteria_text(row, lang)
    if column == "date":
        return row.assessed_on.isoformat() if row.assessed_on else ""
    if column == "valid_until":
        return row.valid_until.isoformat() if row.valid_until else ""
    if column == "assessor":
        return row.assessor
    if column == "out_of_date":
        return yes_no(row.out_of_date, lang)
    if column == "rule":
        return row.rule
    if column == "file":
        return row.file
    raise ValueError(f"unknown column {column!r}")
