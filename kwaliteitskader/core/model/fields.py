"""Generate :mod:`fields_table`: what the pydantic-free fast path needs to know about the assessment model.

The pydantic models in :mod:`assessment` are the one source of truth. The fast path
(:mod:`kwaliteitskader.core.io.fastpath`) and the assessment checks run without importing pydantic,
so the facts they need — the schema version, the sections and fields in model
order with their kind, default and bounds, and the fields whose values come from a criteria catalogue —
are written out from the models into the committed module ``fields_table.py``. A test fails when that
file is out of date, like ``schemas/``. Regenerate it with::

    python -m kwaliteitskader.core.model.fields
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kwaliteitskader.core.model.assessment import SCHEMA_VERSION, Assessment, FieldKind, Tri, answer_fields

TABLE = Path(__file__).with_name("fields_table.py")

_HEADER = '''"""Facts about the assessment model for the pydantic-free fast path. GENERATED — do not edit.

Made from the pydantic models (core/model/assessment.py) by ``python -m kwaliteitskader.core.model.fields``;
tests/perf/test_fastpath.py fails when this file is out of date.
"""

from __future__ import annotations

from typing import Any

from kwaliteitskader.core.model.values import Tri

'''


def _kind(annotation: Any) -> str:
    """How the fast path checks a value: ``tri``, ``list``, ``date``, ``float``, ``int`` or ``str``."""
    text = str(annotation)
    if annotation is Tri:
        return "tri"
    for kind in ("list", "date", "float", "int"):
        if kind in text:
            return kind
    if annotation is str or text == "str":
        return "str"
    raise TypeError(f"no fast-path kind for field type {annotation!r}")


def _literal(value: Any) -> str:
    """``value`` as Python source, strings in double quotes (as the rest of the code writes them)."""
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def sections() -> dict[str, dict[str, tuple[str, Any, float | None, float | None]]]:
    """(kind, default, minimum, maximum) per field, per section, in model order."""
    found: dict[str, dict[str, tuple[str, Any, float | None, float | None]]] = {}
    for name, info in Assessment.model_fields.items():
        model = info.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        spec: dict[str, tuple[str, Any, float | None, float | None]] = {}
        for field, field_info in model.model_fields.items():
            bounds = {type(m).__name__: m for m in field_info.metadata}
            low = bounds["Ge"].ge if "Ge" in bounds else None
            high = bounds["Le"].le if "Le" in bounds else None
            spec[field] = (_kind(field_info.annotation), field_info.get_default(call_default_factory=True), low, high)
        found[name] = spec
    return found


def catalogue_fields() -> dict[str, str]:
    """The answers that hold ids from a catalogue (one or a list), in form order: path → catalogue."""
    return {path: info.catalogue for path, info in answer_fields().items()
            if info.catalogue and info.kind in (FieldKind.CHOICE, FieldKind.MULTI)}


def table_source() -> str:
    """The text of ``fields_table.py`` as the models give it now."""
    out = [_HEADER]
    out.append(f"SCHEMA_VERSION = {SCHEMA_VERSION}\n")
    out.append('"""Version of the saved-assessment layout (models: ``assessment.SCHEMA_VERSION``)."""\n\n')
    out.append("SECTION_ORDER: tuple[str, ...] = (\n")
    out += [f"    {_literal(name)},\n" for name in Assessment.model_fields]
    out.append(")\n")
    out.append('"""The top-level keys of an assessment, in model order."""\n\n')
    out.append("SECTIONS: dict[str, dict[str, tuple[str, Any, float | None, float | None]]] = {\n")
    for name, spec in sections().items():
        out.append(f"    {_literal(name)}: {{\n")
        for field, (kind, default, low, high) in spec.items():
            values = ", ".join(_literal(v) for v in (kind, default, low, high))
            out.append(f"        {_literal(field)}: ({values}),\n")
        out.append("    },\n")
    out.append("}\n")
    out.append('"""(kind, default, minimum, maximum) per field of each section (``harm_signals`` apart)."""\n\n')
    out.append("CATALOGUE_FIELDS: dict[str, str] = {\n")
    for path, catalogue in catalogue_fields().items():
        out.append(f"    {_literal(path)}: {_literal(catalogue)},\n")
    out.append("}\n")
    out.append('"""The answers that hold ids from a criteria catalogue, in form order: path → catalogue."""\n')
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write ``fields_table.py`` (``--check``: only say whether it is current; exit 1 if not)."""
    args = sys.argv[1:] if argv is None else argv
    source = table_source()
    current = TABLE.read_text(encoding="utf-8") if TABLE.is_file() else ""
    if "--check" in args:
        print("up to date" if current == source else f"{TABLE} is out of date")
        return 0 if current == source else 1
    if current != source:
        TABLE.write_text(source, encoding="utf-8")
        print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
