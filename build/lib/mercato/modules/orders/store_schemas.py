"""Request models of the store orders routes, mirroring Medusa's validator classes
(api/routes/store/orders/*.ts and store/customers/list-orders.ts)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    MISSING,
    Prop,
    Validated,
    each,
    is_email,
    is_enum,
    is_non_negative_integer,
    is_not_empty,
    is_number,
    is_string,
    js_number,
)
from mercato.modules.orders.schemas import (
    FULFILLMENT_STATUS_VALUES,
    ORDER_STATUS_VALUES,
    PAYMENT_STATUS_VALUES,
)

_OPT_STRING = Prop((is_string,), optional=True)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_FIND = {"expand": _OPT_STRING, "fields": _OPT_STRING}
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")


def is_jwt(name: str, value: Any) -> str | None:
    """class-validator's @IsJWT() (validator.js isJWT): three dot-separated base64url parts."""
    if isinstance(value, str) and value is not MISSING:
        parts = value.split(".")
        if len(parts) == 3 and all(p == "" or _BASE64URL.match(p) for p in parts):
            return None
    return f"{name} must be a jwt string"


class StoreGetOrderParams(Validated):
    """FindParams (GET /store/orders/{id}, GET /store/orders/cart/{cart_id})."""

    __rules__: ClassVar[dict[str, Prop]] = dict(_FIND)
    expand: str | None = None
    fields: str | None = None


class StoreGetOrdersParams(Validated):
    """lookup-order.ts StoreGetOrdersParams: display_id and email are required."""

    __rules__: ClassVar[dict[str, Prop]] = {
        **_FIND,
        "display_id": Prop((is_number,), convert=js_number),
        "email": Prop((is_email,)),
        "shipping_address": Prop(optional=True, nested={"postal_code": _OPT_STRING}),
    }
    expand: str | None = None
    fields: str | None = None
    display_id: int | float
    email: str
    shipping_address: dict[str, Any] | None = None


def _enum_values(values: tuple[str, ...]) -> Prop:
    # @IsEnum(E, {each: true}) without @IsArray: a single value passes as well
    return Prop((each(is_enum(values)),), optional=True)


class StoreGetCustomersCustomerOrdersParams(Validated):
    """list-orders.ts StoreGetCustomersCustomerOrdersParams (pagination first, as registered)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "limit": Prop((is_number, is_non_negative_integer), optional=True, convert=js_number),
        "offset": Prop((is_number, is_non_negative_integer), optional=True, convert=js_number),
        **_FIND,
        "id": _OPT_STRING,
        "q": _OPT_STRING,
        "status": _enum_values(ORDER_STATUS_VALUES),
        "fulfillment_status": _enum_values(FULFILLMENT_STATUS_VALUES),
        "payment_status": _enum_values(PAYMENT_STATUS_VALUES),
        "display_id": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "email": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
        "tax_rate": _OPT_STRING,
        "created_at": _DATES,
        "updated_at": _DATES,
        "canceled_at": _DATES,
    }
    limit: int = 10
    offset: int = 0
    expand: str | None = None
    fields: str | None = None
    id: str | None = None
    q: str | None = None
    status: str | list[str] | None = None
    fulfillment_status: str | list[str] | None = None
    payment_status: str | list[str] | None = None
    display_id: str | None = None
    cart_id: str | None = None
    email: str | None = None
    region_id: str | None = None
    currency_code: str | None = None
    tax_rate: str | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    canceled_at: DateFilter | None = None


class StorePostCustomersCustomerOrderClaimReq(Validated):
    """request-order.ts: @IsNotEmpty({each}) @IsString({each}) order_ids (a single string passes)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "order_ids": Prop((each(is_string), each(is_not_empty))),
    }
    order_ids: str | list[str]


class StorePostCustomersCustomerAcceptClaimReq(Validated):
    """confirm-order-request.ts: @IsNotEmpty() @IsJWT() token."""

    __rules__: ClassVar[dict[str, Prop]] = {"token": Prop((is_jwt, is_not_empty))}
    token: str
