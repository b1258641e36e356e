"""Query strings parsed as Medusa's `qs` does: `a[b]=1`, `a[]=1&a[]=2`, `a[0]=1&a[1]=2`, `a=1&a=2`;
`a=1,2` stays a string. Then Medusa's normalizeQuery (transformQuery runs it first): an array of one
string is split on commas, so `a[]=1,2` is `["1", "2"]`."""

from __future__ import annotations

import re
from typing import Any

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_qs_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for raw_key, value in pairs:
        m = _KEY.match(raw_key)
        if not m:
            _put(out, [raw_key], value)
            continue
        parts = [m.group(1)] + re.findall(r"\[([^\[\]]*)\]", m.group(2))
        _put(out, parts, value)
    for key, raw in out.items():
        normalized = _indexed_to_lists(raw)
        if isinstance(normalized, list) and len(normalized) == 1 and isinstance(normalized[0], str):
            normalized = normalized[0].split(",")
        out[key] = normalized
    return out


# qs reads an index above 20 (its arrayLimit) as an object key
_ARRAY_LIMIT = 20


def _indexed_to_lists(value: Any) -> Any:
    """`a[1]=y&a[0]=x` gives qs the array ["x", "y"] (by index, gaps closed), not an object."""
    if not isinstance(value, dict):
        return value
    converted = {k: _indexed_to_lists(v) for k, v in value.items()}
    if converted and all(k.isdigit() and int(k) <= _ARRAY_LIMIT for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def _put(target: dict[str, Any], parts: list[str], value: str) -> None:
    node = target
    for i, part in enumerate(parts[:-1]):
        if parts[i + 1] == "":
            # `a[]=x` (or `a[b][]=x`): node[part] is a list; deeper brackets are not used by Medusa
            existing = node.get(part)
            items = existing if isinstance(existing, list) else ([] if existing is None else [existing])
            items.append(value)
            node[part] = items
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    last = parts[-1]
    existing = node.get(last)
    if existing is None:
        node[last] = value
    elif isinstance(existing, list):
        existing.append(value)
    else:
        node[last] = [existing, value]
