"""Medusa's ids: a prefix, an underscore and a ULID (`generateEntityId`)."""

from ulid import ULID


def generate_id(prefix: str) -> str:
    return f"{prefix}_{ULID()}" if prefix else str(ULID())
