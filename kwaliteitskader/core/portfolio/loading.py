"""Reading many saved assessments into table rows: files and folders, batches, a worker pool.

A file that cannot be read becomes a :class:`Finding` with file, line and reason; it never stops the
others. Results stream in batches with a progress callback, so a view can show the first rows while
the rest is still loading. Only a small :class:`Row` per file is kept; :func:`open_row` re-reads one
file when its full verdict is wanted."""


from __future__ import annotations

import datetime as dt
import os
import stat
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from kwaliteitskader.core.findings import Finding, FindingsError, Severity
from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.io.load import Loaded, load_assessment
from kwaliteitskader.core.io.validate import collect, empty_folder_findings, unreadable_findings
from kwaliteitskader.core.io.walk import walk_toml
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.parallel import MIN_FILES, WorkerPool, worker_count
from kwaliteitskader.core.portfolio.row import LeanRow, Row, share_values, verdict_fields

if TYPE_CHECKING:
    from kwaliteitskader.core.rules.engine import Decision, Verdict

__all__ = ("Batch", "Row", "find_files", "iter_batches", "load_lean_rows", "load_rows", "make_row", "open_row")

R = TypeVar("R")
"""The kind of row a load hands on: a :class:`Row`, or a :class:`.row.LeanRow` for :func:`load_lean_rows`."""


class RowIndex(Protocol):
    """What :func:`iter_batches` needs of a portfolio index (:class:`.index.PortfolioIndex`, which builds on
    this module: the index hands back stored rows and has ``judge`` read and judge only the changed files)."""

    def batches(
        self,
        files: list[str],
        missing: list[Finding],
        criteria: Criteria,
        judge: Callable[[list[str]], Iterator[Batch]],
        *,
        today: dt.date,
        progress: Progress | None,
    ) -> Iterator[Batch]: ...


class LeanRowIndex(Protocol):
    """What :func:`load_lean_rows` needs of a portfolio index: :meth:`RowIndex.batches`, with the stored rows of
    the contents in ``lean`` as lean rows (:meth:`.index.PortfolioIndex.lean_batches`)."""

    def lean_batches(
        self,
        files: list[str],
        missing: list[Finding],
        criteria: Criteria,
        lean: Collection[str],
        judge: Callable[[list[str]], Iterator[Batch]],
        *,
        today: dt.date,
        progress: Progress | None,
    ) -> Iterator[LeanBatch]: ...


Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after every batch."""

BATCH_SIZE = 250
FIRST_BATCH = 25
"""The first batch is small so the first rows appear at once."""
POOL_THRESHOLD = MIN_FILES
"""Below this many files a process pool costs more than it saves (the same threshold as validate/classify)."""
INDEXED_POOL_THRESHOLD = 1000
"""With a portfolio index, the few changed files are judged in this process below this many: workers forked
from a process holding 50,000 rows each warm up on their own (and copy pages), which for a few hundred files
costs more CPU than the two cores save, and no time."""


# --- rows ------------------------------------------------------------------------------------------


def make_row(loaded: Loaded, verdict: Verdict | Decision, criteria: Criteria, today: dt.date) -> Row:
    from kwaliteitskader.core.rules.engine import DERIVED, Partial  # the engine only where a file is judged

    a = loaded.assessment
    domains = DERIVED["derived.domains"].compute(a, criteria, None)
    return Row(
        file=str(loaded.path),
        municipality=a.intervention.municipality.strip(),
        intervention=a.intervention.name.strip(),
        **verdict_fields(verdict)._asdict(),
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
        protective_factors=tuple(a.factors.protective_factors or ()),
        active_ingredients=tuple(a.factors.active_ingredients or ()),
        digest=_digest(loaded),
    )


def _special(path: str) -> bool:
    """A FIFO, device or socket (following links): something that is there but is no file or folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _digest(loaded: Loaded) -> str:
    quick = getattr(loaded, "digest", None)  # read on the fast path: without touching storage (pydantic)
    if isinstance(quick, str):
        return quick
    return loaded.fingerprint.sha256 if loaded.fingerprint is not None else ""


def find_files(paths: Iterable[Path | str]) -> tuple[list[str], list[Finding]]:
    """Assessment files under the given files/folders (``*.toml``, recursive, criteria folders skipped),
    each as the text of its ``Path`` (what :attr:`Row.file` says): for 50,000 files, the index needs
    nothing else, and making a ``Path`` of each costs more than the walk.

    Single files and missing paths go through :func:`core.io.validate.collect`, so ``compare`` and
    ``validate`` agree on what a criteria folder is; folders are walked once by :func:`core.io.walk.walk_toml`.
    """
    files: list[str] = []
    seen: set[str] = set()
    missing: list[Finding] = []
    given = [Path(p) for p in paths]
    for path in given:
        if path.is_dir():
            walked = walk_toml(path)  # one pass with os.scandir, much quicker than rglob for thousands of files
            # the files, and a FIFO, device or socket named *.toml too: reading it gives the reason ("geen
            # gewoon bestand") instead of leaving it out silently (folders and dangling links stay out)
            found = walked.paths
            if walked.not_files:
                found = [name for name in found if name not in walked.not_files or _special(name)]
            missing += unreadable_findings(walked) + empty_folder_findings(path, walked)
        else:
            _criteria, given_files, lost = collect([path])
            found = [str(file) for file in given_files]
            missing += lost
        if len(given) == 1:  # one folder lists each file once: no need to hash 50,000 paths
            files = found
            break
        for file in found:  # sorted: by walk_toml, or by collect
            if file not in seen:
                seen.add(file)
                files.append(file)
    return files, missing


def _read(file: Path) -> Loaded:
    """A row needs no model: a plainly valid current-schema file is read on the light path (the same
    values, without pydantic); anything else (an older schema, an invalid value) continues on the full
    path, which migrates it or raises the findings with file, line and field."""
    return load_assessment(file, light=True)


def evaluate_file(file: Path, criteria: Criteria, today: dt.date) -> Row | list[Finding]:
    """One file → its row, or the findings that explain why it could not be used."""
    from kwaliteitskader.core.rules.engine import decision

    try:
        loaded = _read(file)
        return make_row(loaded, decision(loaded.assessment, criteria, on=today), criteria, today)
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


def _evaluate_many(files: Sequence[str], criteria: Criteria, today: dt.date) -> tuple[list[Row], list[Finding]]:
    rows: list[Row] = []
    errors: list[Finding] = []
    for file in files:
        result = evaluate_file(Path(file), criteria, today)
        if isinstance(result, Row):
            rows.append(result)
        else:
            errors.extend(result)
    return share_values(rows), errors


CompareTask = tuple[list[str], dt.date]
"""One batch for a worker: the files and the day that decides what is out of date."""


Judged = tuple[list[Row], list[Finding], int]
"""A batch's rows and findings, and a time (``time.time_ns``) taken before any of its files was read."""


def _evaluate_batch(criteria: Criteria, task: CompareTask) -> Judged:
    files, today = task
    read_ns = time.time_ns()
    return (*_evaluate_many(files, criteria, today), read_ns)


ComparePool = WorkerPool[Criteria, CompareTask, Judged]
"""Worker processes holding the criteria, evaluating batches of files."""


def _criteria_key(criteria: Criteria) -> tuple[str, str]:
    return criteria.digest, repr(sorted(criteria.settings.items()))


def start_pool(criteria: Criteria, workers: int, *, nice: int = 0) -> ComparePool | None:
    """A pool of ``workers`` processes holding ``criteria``, started now; None when not worth it.

    Uses ``fork`` so the workers inherit the loaded program instead of re-importing it (``spawn`` and
    ``forkserver`` would re-run ``python -m kwaliteitskader``'s ``__main__``). Forking is only safe
    while the process has no other threads: a caller with threads (the Textual view) must start the
    pool before it starts them, and pass it to :func:`iter_batches`. ``nice``: see :class:`WorkerPool`.
    """
    if workers <= 1:
        return None
    import multiprocessing  # only to start a pool: a load that judges in this process does without it

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return WorkerPool(_evaluate_batch, criteria, workers, nice=nice)


@dataclass
class RowBatch(Generic[R]):
    rows: list[R]
    errors: list[Finding]
    done: int
    total: int
    read_ns: int = 0
    """A time (``time.time_ns``) before the files of these rows were read (0: not said); the portfolio index
    trusts a file's size and times only when they are well older than that (:data:`.index.RACY_NS`)."""


Batch = RowBatch[Row]
"""A batch of whole rows: what loading hands on."""
LeanBatch = RowBatch[LeanRow]
"""A batch of :func:`load_lean_rows`: lean rows, and whole rows where the index kept no CSV head."""


@dataclass
class BatchCounter:
    """Makes the batches of one run: counts the files done and reports ``progress`` after each batch."""

    total: int
    progress: Progress | None = None
    done: int = 0

    def batch(self, rows: list[R], errors: list[Finding], count: int, read_ns: int = 0) -> RowBatch[R]:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)
        return RowBatch(rows, errors, self.done, self.total, read_ns)


def default_workers() -> int:
    """The worker processes for compare: as for validate and classify (``KWALITEITSKADER_JOBS``, else
    the usable cores)."""
    return worker_count()


def iter_batches(
    paths: Iterable[Path | str],
    criteria: Criteria,
    *,
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    progress: Progress | None = None,
    pool: ComparePool | None = None,
    index: RowIndex | None = None,
    found: tuple[list[str], list[Finding]] | None = None,
) -> Iterator[Batch]:
    """Load and evaluate assessments, yielding results batch by batch (in file order).

    The first batch is small so that a view can show rows at once. With ``workers > 1`` and enough
    files, batches are evaluated in a process pool of that many workers (the criteria are sent once
    to each worker), or in ``pool`` (from :func:`start_pool`, same criteria) when given; the results
    still arrive in file order. With an ``index`` (:mod:`.index`) only the files whose content,
    criteria or program changed are read and judged; the others come from the index, the same rows.
    ``found``: what :func:`find_files` gives for ``paths``, when the caller has it already.
    """
    today = today or dt.date.today()
    files, missing = found if found is not None else find_files(paths)
    if index is not None:
        judge = _judge_changed(criteria, today, batch_size, workers, pool)
        yield from index.batches(files, missing, criteria, judge, today=today, progress=progress)
        return
    yield from judge_files(
        files, missing, criteria, today=today, batch_size=batch_size, workers=workers, progress=progress, pool=pool
    )


def _judge_changed(
    criteria: Criteria, today: dt.date, batch_size: int, workers: int, pool: ComparePool | None
) -> Callable[[list[str]], Iterator[Batch]]:
    """How a portfolio index has the files it has no row for judged (in this process when they are few)."""

    def judge(chosen: list[str]) -> Iterator[Batch]:
        own_workers = workers if len(chosen) >= INDEXED_POOL_THRESHOLD else 1
        return judge_files(chosen, [], criteria, today=today, batch_size=batch_size, workers=own_workers, pool=pool)

    return judge


def judge_files(
    files: list[str],
    missing: list[Finding],
    criteria: Criteria,
    *,
    today: dt.date,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    progress: Progress | None = None,
    pool: ComparePool | None = None,
) -> Iterator[Batch]:
    """:func:`iter_batches` for files already found (``missing``: the findings of finding them)."""
    total = len(files)
    if missing:
        yield Batch([], missing, 0, total)
    sizes = [min(batch_size, FIRST_BATCH)] if files else []
    while sum(sizes) < total:
        sizes.append(batch_size)
    chunks: list[list[str]] = []  # text, not Paths: the chunks are pickled to the workers (3x cheaper)
    start = 0
    for size in sizes:
        chunks.append(files[start : start + size])
        start += size
    emit = BatchCounter(total, progress).batch

    own_pool = pool is None and workers > 1 and total >= POOL_THRESHOLD
    if own_pool:
        pool = start_pool(criteria, workers)
    usable = pool is not None and total >= POOL_THRESHOLD and _criteria_key(pool.state) == _criteria_key(criteria)
    if pool is None or not usable:
        for chunk in chunks:
            rows, errors, read_ns = _evaluate_batch(criteria, (chunk, today))
            yield emit(rows, errors, len(chunk), read_ns)
        if own_pool and pool is not None:
            pool.close()
        return
    try:
        # the first (small) chunk in this process before the workers start, so the first rows come at once
        rows, errors, read_ns = _evaluate_batch(criteria, (chunks[0], today))
        yield emit(rows, errors, len(chunks[0]), read_ns)
        # a chunk whose worker fails is done here: a broken pool never loses files
        tasks = [(chunk, today) for chunk in chunks[1:]]
        for chunk, (rows, errors, read_ns) in zip(chunks[1:], pool.map(tasks), strict=True):
            yield emit(rows, errors, len(chunk), read_ns)
    finally:
        if own_pool:
            pool.close()


@dataclass
class LoadedRows(Generic[R]):
    rows: list[R] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    total: int = 0


LoadResult = LoadedRows[Row]
"""All rows and errors of a portfolio (:func:`load_rows`)."""


def _gather(batches: Iterable[RowBatch[R]]) -> LoadedRows[R]:
    result: LoadedRows[R] = LoadedRows()
    for batch in batches:
        result.rows += batch.rows
        result.errors += batch.errors
        result.total = batch.total
    return result


def load_rows(
    paths: Iterable[Path | str],
    criteria: Criteria,
    *,
    today: dt.date | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    index: RowIndex | None = None,
) -> LoadResult:
    """All rows and errors at once (for the CLI and the exports)."""
    return _gather(iter_batches(paths, criteria, today=today, workers=workers, progress=progress, index=index))


def load_lean_rows(
    paths: Iterable[Path | str],
    criteria: Criteria,
    index: LeanRowIndex,
    lean: Collection[str],
    *,
    today: dt.date | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> LoadedRows[LeanRow]:
    """:func:`load_rows` through ``index``, for a caller that reads nothing of a row but a :class:`.row.LeanRow`'s
    fields: the stored rows of the contents (digests) in ``lean`` may come as lean rows, which are quicker to
    make; the other rows are whole :class:`Row` objects."""
    today = today or dt.date.today()
    files, missing = find_files(paths)
    judge = _judge_changed(criteria, today, BATCH_SIZE, workers, None)
    return _gather(index.lean_batches(files, missing, criteria, lean, judge, today=today, progress=progress))


def open_row(row: Row, criteria: Criteria, today: dt.date | None = None) -> tuple[Loaded, Verdict]:
    """Re-read one row's file for its full verdict (rows keep only what the table needs); an undated
    assessment is judged on ``today`` (as its row was)."""
    from kwaliteitskader.core.rules.engine import evaluate

    loaded = _read(Path(row.file))
    return loaded, evaluate(loaded.assessment, criteria, on=today or dt.date.today())


