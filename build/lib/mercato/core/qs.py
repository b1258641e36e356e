"""Query strings parsed as Medusa's `qs` does: `a[b]=1`, `a[]=1&a[]=2`, `a=1&a=2`, `a=1,2` stays a string."""

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
    return out


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
