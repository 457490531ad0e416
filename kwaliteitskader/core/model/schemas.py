"""JSON Schemas generated from the models, for editors and for other tools.

The generated files are committed under ``schemas/`` (a test keeps them equal to :func:`schema_json`) and
shipped inside the wheel as ``kwaliteitskader/schemas/``. A saved assessment in a folder or repository
that keeps a copy of the schema starts with a Taplo schema directive (``#:schema <relative path>``, read
by Taplo and the *Even Better TOML* editor extension), so an editor completes and checks it; the path is
resolved from the TOML file's own folder (see :func:`schema_reference`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kwaliteitskader.core.model.assessment import Assessment
from kwaliteitskader.core.model.criteria import CriteriaDocument

SCHEMA_NAMES = ("assessment", "criteria")
SCHEMA_DIRECTIVE = "#:schema"


def schema(which: str) -> dict[str, Any]:
    model = Assessment if which == "assessment" else CriteriaDocument
    result = model.model_json_schema(by_alias=True)
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["title"] = f"kwaliteitskader {which}"
    return result


def schema_json(which: str) -> str:
    return json.dumps(schema(which), ensure_ascii=False, indent=2, sort_keys=False)


def schema_file_name(which: str) -> str:
    return f"{which}.schema.json"


def bundled_schema(which: str) -> Path | None:
    """The committed schema file: inside the installed wheel, or the repository's ``schemas/``."""
    package = Path(__file__).resolve().parents[2]  # kwaliteitskader/
    for candidate in (package / "schemas", package.parent / "schemas"):
        if (candidate / schema_file_name(which)).is_file():
            return candidate / schema_file_name(which)
    return None


def _is_ours(file: Path, which: str) -> bool:
    try:
        return f'"kwaliteitskader {which}"' in file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def schema_reference(target: Path | None, which: str = "assessment") -> str | None:
    """What the ``#:schema`` line of a file saved at ``target`` points at, or None for no line at all.

    Only a reference that works wherever the file goes along: a relative path to a copy of this
    project's schema (``schemas/<which>.schema.json``) in the file's folder or a folder above it, looked
    for no higher than the root of the repository the file is in (a folder with ``.git``). Such a copy
    travels with the folder or repository, on every computer that has it. Never an absolute path: the
    schema bundled with the installed program sits somewhere else on every computer, and a file sent to
    someone else would point at nothing. The project has no public address for its schema, so outside
    such a folder the line is left out; ``kwaliteitskader schema assessment`` writes the copy.
    """
    if target is None:
        return None
    folder = Path(os.path.abspath(target)).parent
    for ancestor in (folder, *folder.parents):
        candidate = ancestor / "schemas" / schema_file_name(which)
        if candidate.is_file() and _is_ours(candidate, which):
            relative = Path(os.path.relpath(candidate, folder)).as_posix()
            return relative if relative.startswith("../") else f"./{relative}"
        if (ancestor / ".git").exists():
            break  # the repository's root: a copy above it does not travel with the file
    return None


def schema_directive(target: Path | None, which: str = "assessment") -> str:
    """The first line of a saved file (with newline), or "" when no schema is available."""
    reference = schema_reference(target, which)
    return f"{SCHEMA_DIRECTIVE} {reference}\n" if reference else ""
