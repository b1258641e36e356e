"""Request models of the price lists group, mirroring Medusa's validator classes
(api/routes/admin/price-lists/*.ts, types/price-list.ts)."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    Prop,
    Validated,
    array_not_empty,
    each,
    is_array,
    is_boolean,
    is_date,
    is_enum,
    is_int,
    is_non_negative_integer,
    is_number,
    is_string,
    is_string_or_strings,
    js_number,
    to_date,
)

PRICE_LIST_TYPES = ("sale", "override")
PRICE_LIST_STATUSES = ("active", "draft")
PRODUCT_STATUSES = ("draft", "proposed", "published", "rejected")


def _optional_date(value: Any) -> Any:
    """transformOptionalDate: a date text becomes a Date; anything else is left as it is (Medusa
    then fails in the database with a 500; we answer 400 through `is_date`)."""
    return to_date(value)


_DATE_FIELD = Prop((is_date,), optional=True, convert=_optional_date)


def _no_id(item: dict[str, Any]) -> bool:
    return not item.get("id")


# AdminPriceListPricesCreateReq
PRICE_CREATE_RULES: dict[str, Prop] = {
    "region_id": Prop(xor_with="currency_code"),
    "currency_code": Prop(xor_with="region_id"),
    "amount": Prop((is_int,)),
    "variant_id": Prop((is_string,)),
    "min_quantity": Prop((is_int,), optional=True),
    "max_quantity": Prop((is_int,), optional=True),
}

# AdminPriceListPricesUpdateReq: with an `id`, region and currency are not checked
PRICE_UPDATE_RULES: dict[str, Prop] = {
    "id": Prop((is_string,), optional=True),
    "region_id": Prop(xor_with="currency_code", validate_if=_no_id),
    "currency_code": Prop(xor_with="region_id", validate_if=_no_id),
    "variant_id": Prop((is_string,)),
    "amount": Prop((is_int,)),
    "min_quantity": Prop((is_int,), optional=True),
    "max_quantity": Prop((is_int,), optional=True),
}

_GROUP_RULES: dict[str, Prop] = {"id": Prop((is_string,))}


class PriceInput(BaseModel):
    """One price of a price list (its currency comes from its region when it has one)."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None
    amount: int
    variant_id: str
    min_quantity: int | None = None
    max_quantity: int | None = None


class GroupRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str


class AdminPostPriceListsPriceListReq(Validated):
    __rules__ = {
        "name": Prop((is_string,)),
        "description": Prop((is_string,)),
        "starts_at": _DATE_FIELD,
        "ends_at": _DATE_FIELD,
        "status": Prop((is_enum(PRICE_LIST_STATUSES),), optional=True),
        "type": Prop((is_enum(PRICE_LIST_TYPES),)),
        "prices": Prop((is_array,), nested=PRICE_CREATE_RULES, nested_each=True),
        "customer_groups": Prop((is_array,), optional=True, nested=_GROUP_RULES, nested_each=True),
        "includes_tax": Prop((is_boolean,), optional=True),
    }
    name: str
    description: str
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    status: str | None = None
    type: str
    prices: list[PriceInput]
    customer_groups: list[GroupRef] | None = None
    includes_tax: bool | None = None


class AdminPostPriceListsPriceListPriceListReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "description": Prop((is_string,), optional=True),
        "starts_at": _DATE_FIELD,
        "ends_at": _DATE_FIELD,
        "status": Prop((is_enum(PRICE_LIST_STATUSES),), optional=True),
        "type": Prop((is_enum(PRICE_LIST_TYPES),), optional=True),
        "prices": Prop((is_array,), optional=True, nested=PRICE_UPDATE_RULES, nested_each=True),
        "customer_groups": Prop((is_array,), optional=True, nested=_GROUP_RULES, nested_each=True),
        "includes_tax": Prop((is_boolean,), optional=True),
    }
    name: str | None = None
    description: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    status: str | None = None
    type: str | None = None
    prices: list[PriceInput] | None = None
    customer_groups: list[GroupRef] | None = None
    includes_tax: bool | None = None


class AdminPostPriceListPricesPricesReq(Validated):
    __rules__ = {
        "prices": Prop((is_array,), nested=PRICE_UPDATE_RULES, nested_each=True),
        "override": Prop((is_boolean,), optional=True),
    }
    prices: list[PriceInput]
    override: bool | None = None


class AdminDeletePriceListPricesPricesReq(Validated):
    __rules__ = {"price_ids": Prop((each(is_string), array_not_empty))}
    price_ids: list[str]


class AdminDeletePriceListsPriceListProductsPricesBatchReq(Validated):
    __rules__ = {"product_ids": Prop((each(is_string), array_not_empty))}
    product_ids: list[str]


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_OPTIONAL_STRING = Prop((is_string,), optional=True)


class AdminGetPriceListPaginationParams(Validated):
    """FilterablePriceListProps, then offset (0), limit (10), expand and order."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "id": _OPTIONAL_STRING,
        "q": _OPTIONAL_STRING,
        "status": Prop((each(is_enum(PRICE_LIST_STATUSES)),), optional=True),
        "name": _OPTIONAL_STRING,
        "customer_groups": Prop((each(is_string),), optional=True),
        "description": _OPTIONAL_STRING,
        "type": Prop((each(is_enum(PRICE_LIST_TYPES)),), optional=True),
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "expand": _OPTIONAL_STRING,
        "order": _OPTIONAL_STRING,
    }
    id: str | None = None
    q: str | None = None
    status: str | list[str] | None = None
    name: str | None = None
    customer_groups: str | list[str] | None = None
    description: str | None = None
    type: str | list[str] | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
    offset: int = 0
    limit: int = 10
    expand: str | None = None
    order: str | None = None


def _boolean(value: Any) -> Any:
    """class-transformer's @Type(() => Boolean): JavaScript's Boolean(value) ("false" is true)."""
    if isinstance(value, str):
        return value != ""
    return value


class AdminGetPriceListsPriceListProductsParams(Validated):
    """extendedFindParamsMixin({limit: 50}) and the product filters of the route."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "expand": _OPTIONAL_STRING,
        "fields": _OPTIONAL_STRING,
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "id": Prop((is_string_or_strings,), optional=True),
        "q": _OPTIONAL_STRING,
        "status": Prop((each(is_enum(PRODUCT_STATUSES)),), optional=True),
        "collection_id": Prop((is_array,), optional=True),
        "tags": Prop((is_array,), optional=True),
        "title": _OPTIONAL_STRING,
        "description": _OPTIONAL_STRING,
        "handle": _OPTIONAL_STRING,
        "is_giftcard": Prop((is_boolean,), optional=True, convert=_boolean),
        "type": _OPTIONAL_STRING,
        "order": _OPTIONAL_STRING,
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
    }
    expand: str | None = None
    fields: str | None = None
    offset: int = 0
    limit: int = 50
    id: str | list[str] | None = None
    q: str | None = None
    status: str | list[str] | None = None
    collection_id: list[str] | None = None
    tags: list[str] | None = None
    title: str | None = None
    description: str | None = None
    handle: str | None = None
    is_giftcard: bool | None = None
    type: str | None = None
    order: str | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
