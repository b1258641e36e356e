#!/usr/bin/env python3
"""Builds src/mercato/openapi/medusa_v1_contract.json from Medusa 1.20's specs (../shared/reference).

Keeps, per operation, what describes the wire format (summary, operationId, parameters, request
body, responses, security) and the component schemas they reference; drops prose and code samples.
The app merges it into its own OpenAPI document for every operation it serves.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "medusa-v1"
OUT = ROOT / "src" / "mercato" / "openapi" / "medusa_v1_contract.json"
DROP = {"description", "x-codeSamples", "externalDocs", "examples", "example", "x-authenticated"}


def strip(node: object) -> object:
    if isinstance(node, dict):
        # a property *named* "description" (a dict) stays; prose (a string) goes
        return {k: strip(v) for k, v in node.items() if k not in DROP or isinstance(v, dict) and k == "description"}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path).rstrip("/") or "/"


def main() -> None:
    operations: dict[str, dict] = {}
    components: dict[str, dict] = {"schemas": {}, "responses": {}, "securitySchemes": {}}
    for name in ("admin.oas.json", "store.oas.json"):
        spec = json.loads((REFERENCE / name).read_text())
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method not in {"get", "post", "delete"}:
                    continue
                keep = {k: op[k] for k in ("summary", "operationId", "parameters", "requestBody", "responses",
                                           "security") if k in op}
                operations[f"{method.upper()} {normalise(path)}"] = strip(keep)  # type: ignore[assignment]
        for kind in components:
            for key, value in spec["components"].get(kind, {}).items():
                components[kind].setdefault(key, strip(value))  # type: ignore[arg-type]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"operations": operations, "components": components}, separators=(",", ":")))
    print(f"{OUT}: {len(operations)} operations, {OUT.stat().st_size // 1024} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
