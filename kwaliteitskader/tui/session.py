"""What the wizard keeps between runs and around saving: data folder, recent files, autosave recovery,
and the meta fields stamped on save. Plain Python (no Textual) so it is easy to test.

The data folder is ``$KWALITEITSKADER_DATA_DIR`` if set (tests point it at a temporary folder), else the
platform's per-user data folder (``$XDG_DATA_HOME/kwaliteitskader``, ``~/.local/share/kwaliteitskader``,
``%APPDATA%\\kwaliteitskader`` on Windows).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kwaliteitskader.core.findings import FindingsError
from kwaliteitskader.core.places import data_dir as data_dir

if TYPE_CHECKING:  # the models and storage (pydantic) are imported when first used: the start screen needs neither
    from kwaliteitskader.core.model.assessment import Assessment
    from kwaliteitskader.core.model.criteria_set import Criteria

RECENT_LIMIT = 8

RECOVERY_FILE = "herstel.toml"
RECOVERY_INFO = "herstel.json"
"""Where earlier versions kept the recovery copy's details apart; still read, and removed on the next write."""
RECOVERY_MARK = "#:herstel "
"""First line of the recovery copy: its details (original file, its checksum, when) as one line of JSON."""
RECENT_FILE = "recent.json"


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def stamp_meta(assessment: Assessment, criteria: Criteria, today: dt.date) -> Assessment:
    """The assessment as it is saved: assessed today against these criteria, valid for the set period."""
    meta = assessment.meta.model_copy(
        update={
            "assessed_on": today,
            "valid_until": add_months(today, criteria.header.validity_months),
            "criteria_version": criteria.version,
            "criteria_digest": criteria.digest,
        }
    )
    return assessment.model_copy(update={"meta": meta})


def dated(assessment: Assessment, today: dt.date) -> Assessment:
    """The assessment as the wizard judges it: without an assessment date it counts as assessed
    ``today``, the date a save stamps, so the verdict shown is the one saved and the date is never an
    open answer (no step asks for it)."""
    if assessment.meta.assessed_on is not None:
        return assessment
    meta = assessment.meta.model_copy(update={"assessed_on": today})
    return assessment.model_copy(update={"meta": meta})


# --- recent files ----------------------------------------------------------------------------------


def recent_files(folder: Path | None = None) -> list[Path]:
    folder = folder or data_dir()
    try:
        data = json.loads((folder / RECENT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [Path(p) for p in data if isinstance(p, str)][:RECENT_LIMIT]


def remember_file(path: Path, folder: Path | None = None) -> None:
    """Put ``path`` first in the recent-files list (best effort: never stops the user's work)."""
    from kwaliteitskader.core.io.assessments import atomic_write

    folder = folder or data_dir()
    path = path.resolve()
    files = [path] + [p for p in recent_files(folder) if p != path]
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps([str(p) for p in files[:RECENT_LIMIT]], ensure_ascii=False, indent=1)
        atomic_write(folder / RECENT_FILE, payload.encode("utf-8"))


# --- autosave recovery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    assessment: Assessment
    original: Path | None
    written_at: str
    original_sha: str | None = None


def write_recovery(
    assessment: Assessment,
    original: Path | None,
    when: dt.datetime,
    folder: Path | None = None,
    *,
    original_sha: str | None = None,
) -> None:
    """Write the recovery copy, answers and details in one file and one atomic write, so that a crash can
    never leave new answers beside the details of an older copy. Raises OSError-derived errors to the caller."""
    from kwaliteitskader.core.io.assessments import atomic_write, dump_assessment

    folder = folder or data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    info = {
        "original": str(original) if original else None,
        "original_sha256": original_sha,
        "written_at": when.isoformat(timespec="seconds"),
    }
    header = RECOVERY_MARK + json.dumps(info, ensure_ascii=True) + "\n"  # ASCII: one line, whatever the path
    atomic_write(folder / RECOVERY_FILE, (header + dump_assessment(assessment)).encode("utf-8"))
    with contextlib.suppress(OSError):
        (folder / RECOVERY_INFO).unlink(missing_ok=True)  # an older version's details, now out of date


def read_recovery(folder: Path | None = None) -> Recovery | None:
    folder = folder or data_dir()
    file = folder / RECOVERY_FILE
    if not file.is_file():
        return None
    from kwaliteitskader.core.io.assessments import parse_assessment
    from kwaliteitskader.core.io.criteria import read_toml

    try:
        data, text = read_toml(file)
        assessment, _, _ = parse_assessment(data, text, str(file))
    except FindingsError:
        return None
    original: Path | None = None
    written_at = ""
    original_sha: str | None = None
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        first = text.split("\n", 1)[0]
        if first.startswith(RECOVERY_MARK):
            info = json.loads(first[len(RECOVERY_MARK):])
        else:  # written by a version that kept the details apart
            info = json.loads((folder / RECOVERY_INFO).read_text(encoding="utf-8"))
        original = Path(info["original"]) if info.get("original") else None
        written_at = str(info.get("written_at") or "")
        original_sha = str(info["original_sha256"]) if info.get("original_sha256") else None
    return Recovery(assessment, original, written_at, original_sha)


def set_recovery_aside(folder: Path | None = None) -> None:
    """Keep an unrestored recovery copy as ``herstel-vorige.toml`` before new work overwrites it."""
    folder = folder or data_dir()
    for name in (RECOVERY_FILE, RECOVERY_INFO):
        source = folder / name
        with contextlib.suppress(OSError):
            if source.is_file():
                os.replace(source, folder / name.replace("herstel", "herstel-vorige"))


def clear_recovery(folder: Path | None = None) -> None:
    folder = folder or data_dir()
    for name in (RECOVERY_FILE, RECOVERY_INFO):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
