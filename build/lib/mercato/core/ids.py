"""Medusa's ids: a prefix, an underscore and a ULID (`generateEntityId`).

Monotonic within the process: ids made in the same millisecond still sort in the order they
were made (rows written together, events staged one after another), as the `ulid` package's
monotonic factory gives. Encoded here directly: python-ulid's object costs ~40 µs an id, and a
checkout makes twenty.
"""

from __future__ import annotations

import os
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_last = 0


def _encode(value: int) -> str:
    chars = [""] * 26
    for i in range(25, -1, -1):
        chars[i] = _CROCKFORD[value & 31]
        value >>= 5
    return "".join(chars)


def new_ulid() -> str:
    global _last
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    if value <= _last:
        value = _last + 1
    _last = value
    return _encode(value)


def generate_id(prefix: str) -> str:
    return f"{prefix}_{new_ulid()}" if prefix else new_ulid()
