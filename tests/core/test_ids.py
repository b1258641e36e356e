"""Ids are Medusa's: prefix_ULID (Crockford base32 of the millisecond time and 80 random bits),
monotonic within the process."""

from __future__ import annotations

import random
import time

from ulid import ULID

from mercato.core.ids import _encode, generate_id


def test_encoding_is_the_ulid_encoding() -> None:
    rng = random.Random(7)
    for _ in range(500):
        value = rng.getrandbits(128)
        assert _encode(value) == str(ULID.from_int(value))


def test_ids_carry_the_time_and_sort_in_the_order_made() -> None:
    before = time.time()
    made = [generate_id("cart") for _ in range(5000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert all(m.startswith("cart_") and len(m) == 31 for m in made)
    stamp = ULID.from_str(made[0].removeprefix("cart_")).timestamp
    assert before - 0.01 <= stamp <= time.time() + 0.01
    assert len(generate_id("")) == 26
