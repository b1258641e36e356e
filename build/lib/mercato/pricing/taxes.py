"""Tax arithmetic of Medusa's pricing (utils/calculate-price-tax-amount.ts, PricingService.calculateTaxes).

Medusa computes in JavaScript doubles and rounds with Math.round; these functions do the same
float operations in the same order, so every cent matches.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Mapping
from typing import Any


def js_round(value: float) -> int:
    """JavaScript's Math.round: halves go up (towards +infinity), 2.5 -> 3, -2.5 -> -2."""
    floor = math.floor(value)
    return int(floor + 1) if value - floor >= 0.5 else int(floor)


def tax_rate_sum(rates: Iterable[Mapping[str, Any]]) -> float:
    """`rates.reduce((acc, r) => acc + (r.rate || 0) / 100, 0)`: the combined rate as a fraction."""
    total = 0.0
    for rate in rates:
        total = total + (rate.get("rate") or 0) / 100
    return total


def calculate_price_tax_amount(price: float, tax_rate: float, includes_tax: bool) -> float:
    """The tax inside a tax-inclusive price, or the tax added on top of a tax-exclusive one."""
    if includes_tax:
        return (tax_rate * price) / (1 + tax_rate)
    return price * tax_rate


def float4(value: Any) -> Any:
    """A PostgreSQL `real` as its text form reads in JavaScript: the shortest decimal that maps to
    the same single-precision float (7.699999809265137 -> 7.7), integers without a fraction."""
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return value
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            number = float(text)
            return int(number) if number.is_integer() else number
    return value
