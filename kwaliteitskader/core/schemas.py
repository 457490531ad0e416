"""JSON Schemas generated from the models, for editors and for other tools."""

from __future__ import annotations

import json
from typing import Any

from .criteria import CriteriaDocument
from .models import Assessment


def schema(which: str) -> dict[str, Any]:
    model = Assessment if which == "assessment" else CriteriaDocument
    result = model.model_json_schema(by_alias=True)
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["title"] = f"kwaliteitskader {which}"
    return result


def schema_json(which: str) -> str:
    return json.dumps(schema(which), ensure_ascii=False, indent=2, sort_keys=False)
