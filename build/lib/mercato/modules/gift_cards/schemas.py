"""Request models of the gift cards group, mirroring Medusa's validator classes
(api/routes/admin/gift-cards/*.ts)."""

from __future__ import annotations

import datetime
import math
from typing import Any, ClassVar

from mercato.core.validation import (
    Prop,
    Validated,
    is_boolean,
    is_date,
    is_int,
    is_string,
    js_number,
    to_date,
)


def js_date(value: Any) -> Any:
    """class-transformer's `@Type(() => Date)`: `new Date(value)` (a number is milliseconds)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            return value
        try:
            return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            return value
    return to_date(value)


def _not_negative(name: str, value: Any) -> str | None:
    """Medusa hands a negative page bound to the database (a 500); we answer 400 instead."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return f"{name} must not be less than 0"
    return None


_DATE = Prop((is_date,), optional=True, convert=js_date)


class AdminPostGiftCardsReq(Validated):
    __rules__ = {
        "value": Prop((is_int,), optional=True),
        "ends_at": _DATE,
        "is_disabled": Prop((is_boolean,), optional=True),
        "region_id": Prop((is_string,)),
        "metadata": Prop(optional=True),
    }
    value: int | None = None
    ends_at: datetime.datetime | None = None
    is_disabled: bool | None = None
    region_id: str
    metadata: Any = None


class AdminPostGiftCardsGiftCardReq(Validated):
    __rules__ = {
        "balance": Prop((is_int,), optional=True),
        "is_disabled": Prop((is_boolean,), optional=True),
        "ends_at": _DATE,
        "region_id": Prop((is_string,), optional=True),
        "metadata": Prop(optional=True),
    }
    balance: int | None = None
    is_disabled: bool | None = None
    ends_at: datetime.datetime | None = None
    region_id: str | None = None
    metadata: Any = None


class AdminGetGiftCardsParams(Validated):
    """limit/offset are `@IsInt() @Type(() => Number)`; no expand or fields (Medusa refuses them)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "limit": Prop((is_int, _not_negative), optional=True, convert=js_number),
        "offset": Prop((is_int, _not_negative), optional=True, convert=js_number),
        "q": Prop((is_string,), optional=True),
        "order": Prop((is_string,), optional=True),
    }
    limit: int = 50
    offset: int = 0
    q: str | None = None
    order: str | None = None
