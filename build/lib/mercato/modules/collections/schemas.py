"""Request models of the product collections group, mirroring Medusa's validator classes
(api/routes/admin/collections/*.ts, api/routes/store/collections/*.ts)."""

from __future__ import annotations

from typing import Any, ClassVar

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    Prop,
    Validated,
    array_not_empty,
    each,
    is_array,
    is_int,
    is_non_negative_integer,
    is_not_empty,
    is_number,
    is_object,
    is_string,
    js_number,
)


class AdminPostCollectionsReq(Validated):
    __rules__ = {
        "title": Prop((is_not_empty, is_string)),
        "handle": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    title: str
    handle: str | None = None
    metadata: dict[str, Any] | None = None


class AdminPostCollectionsCollectionReq(Validated):
    __rules__ = {
        "title": Prop((is_string,), optional=True),
        "handle": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    title: str | None = None
    handle: str | None = None
    metadata: dict[str, Any] | None = None


class AdminPostProductsToCollectionReq(Validated):
    __rules__ = {"product_ids": Prop((each(is_string), array_not_empty))}
    product_ids: list[str]


class AdminDeleteProductsFromCollectionReq(Validated):
    __rules__ = {"product_ids": Prop((each(is_string), array_not_empty))}
    product_ids: list[str]


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)


def _not_negative(name: str, value: Any) -> str | None:
    # Medusa hands a negative page bound to the database; we answer 400 instead
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return f"{name} must not be less than 0"
    return None


_INT_PAGE_BOUND = Prop((is_int, _not_negative), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_TEXT = Prop((is_string,), optional=True)


class CollectionFindParams(Validated):
    offset: int = 0
    limit: int = 10
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
    title: str | None = None
    handle: str | list[str] | None = None
    q: str | None = None
    order: str | None = None
    discount_condition_id: str | None = None

    def date_filters(self) -> dict[str, DateFilter]:
        return {
            name: value
            for name in ("created_at", "updated_at", "deleted_at")
            if isinstance(value := getattr(self, name), DateFilter)
        }


class AdminGetCollectionsParams(CollectionFindParams):
    """Own properties first, then the inherited page bounds (class-validator's order)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "title": _TEXT,
        "handle": _TEXT,
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
        "q": _TEXT,
        "order": _TEXT,
        "discount_condition_id": _TEXT,
        "limit": _PAGE_BOUND,
        "offset": _PAGE_BOUND,
    }


class StoreGetCollectionsParams(CollectionFindParams):
    """`handle` is an array (handle[]=a&handle[]=b); no q, order, expand or fields."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "handle": Prop((is_array,), optional=True),
        "limit": _INT_PAGE_BOUND,
        "offset": _INT_PAGE_BOUND,
        "created_at": _DATES,
        "updated_at": _DATES,
    }
    handle: list[Any] | None = None  # type: ignore[assignment]
