"""The `metadata` column's update rule, Medusa's utils/set-metadata.ts (setMetadata)."""

from __future__ import annotations

from typing import Any


def merge_metadata(existing: dict[str, Any] | None, changes: dict[str, Any]) -> dict[str, Any]:
    """A new dict: `changes` merged into `existing`. A key set to "" is removed; any other value,
    null included, is stored (the real Medusa keeps `"key": null`). `existing` is not modified."""
    merged = dict(existing or {})
    for key, value in changes.items():
        if isinstance(value, str) and value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
