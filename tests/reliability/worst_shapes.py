"""The largest inputs the size limit admits in the shapes that cost the line locator most: long one-line
arrays, thousands of unknown ids on one line, a criteria ``any`` of thousands of references, hundreds of
thousands of table headers. Made on the fly (no 5 MB files in the repository) for the benchmark of these
shapes and the structural test of the locator."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_assessments" / "ajb_rotterdam.toml"
LIMIT = 5 * 1024 * 1024


def empty_tables(count: int) -> str:
    """``a = [{},{},…]``: a one-line array of ``count`` empty inline tables."""
    return "a = [" + ",".join(["{}"] * count) + "]\n"


def table_headers(size: int = LIMIT - 1024) -> str:
    """As many distinct table headers (``[t123]``) as fit in ``size`` bytes."""
    parts, used, i = [], 0, 0
    while True:
        line = f"[t{i}]\n"
        if used + len(line) > size:
            return "".join(parts)
        parts.append(line)
        used += len(line)
        i += 1


def unknown_risk_factors(count: int) -> str:
    """A sample assessment whose ``risk_factors`` holds ``count`` unknown ids, all on one line."""
    text = SAMPLE.read_text(encoding="utf-8")
    ids = ", ".join(f'"onbekend_{i}"' for i in range(count))
    return re.sub(r"(?ms)^risk_factors = \[.*?\]", f"risk_factors = [{ids}]", text, count=1)


def criteria_any(folder: Path, count: int, source: Path | None = None) -> Path:
    """A copy of the bundled criteria whose rules file adds a condition ``any`` of ``count`` references
    (to unknown conditions: each a finding), on one line. Returns the folder."""
    from kwaliteitskader.core.io.criteria import default_criteria_folder

    source = source or default_criteria_folder()
    shutil.copytree(source, folder)
    refs = ", ".join(f'"onbekend_{i}"' for i in range(count))
    rules = folder / "regels.toml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + f'\n[[conditions]]\nid = "veel_verwijzingen"\nlabel = {{ nl = "veel", en = "many" }}\nany = [{refs}]\n',
        encoding="utf-8",
    )
    return folder


def unknown_keys(size: int = LIMIT - 1024) -> str:
    """As many lines ``kNNN = 1`` (each a key no model knows) as fit in ``size`` bytes."""
    parts, used, i = [], 0, 0
    while True:
        line = f"k{i} = 1\n"
        if used + len(line) > size:
            return "".join(parts)
        parts.append(line)
        used += len(line)
        i += 1
