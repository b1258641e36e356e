"""The app's OpenAPI document, completed with Medusa 1.20's own wire contract.

FastAPI describes our routes; for every operation Medusa's spec also has, its parameters, request
body and response schemas are taken from `medusa_v1_contract.json` (built by
scripts/build_openapi_contract.py from Medusa's specs), so the document says exactly what is served.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi


@lru_cache
def _contract() -> dict[str, Any]:
    raw = resources.files("mercato.openapi").joinpath("medusa_v1_contract.json").read_text()
    return json.loads(raw)  # type: ignore[no-any-return]


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path).rstrip("/") or "/"


def _rename_path_params(op: dict[str, Any], ours: list[str]) -> dict[str, Any]:
    """Medusa's parameter names ({id} vs {region_id}) follow our path's names, by position."""
    theirs = [p for p in op.get("parameters", []) if p.get("in") == "path"]
    for param, name in zip(theirs, ours, strict=False):
        param["name"] = name
    return op


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    contract = _contract()
    used = False
    for path, item in doc.get("paths", {}).items():
        names = re.findall(r"\{([^}]+)\}", path)
        for method, op in item.items():
            medusa = contract["operations"].get(f"{method.upper()} {_normalise(path)}")
            if medusa is None:
                continue
            used = True
            medusa = _rename_path_params(json.loads(json.dumps(medusa)), names)
            op.update({k: v for k, v in medusa.items() if k != "security"})
            if "security" in medusa:
                op["security"] = medusa["security"]
    if used:
        components = doc.setdefault("components", {})
        for kind, entries in contract["components"].items():
            components.setdefault(kind, {}).update(entries)
    app.openapi_schema = doc
    return doc
