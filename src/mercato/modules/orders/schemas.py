"""Request models of the admin orders group, mirroring Medusa's validator classes
(api/routes/admin/orders/*.ts, types/orders.ts AdminListOrdersSelector)."""

from __future__ import annotations

from typing import Any, ClassVar

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    Prop,
    Validated,
    each,
    is_array,
    is_boolean,
    is_email,
    is_enum,
    is_int,
    is_non_negative_integer,
    is_not_empty,
    is_number,
    is_object,
    is_string,
    is_string_or_strings,
    js_number,
)

ORDER_STATUS_VALUES = ("pending", "completed", "archived", "canceled", "requires_action")
FULFILLMENT_STATUS_VALUES = (
    "not_fulfilled",
    "partially_fulfilled",
    "fulfilled",
    "partially_shipped",
    "shipped",
    "partially_returned",
    "returned",
    "canceled",
    "requires_action",
)
PAYMENT_STATUS_VALUES = (
    "not_paid",
    "awaiting",
    "captured",
    "partially_refunded",
    "refunded",
    "canceled",
    "requires_action",
)
# types/orders.ts declares its own enums for the admin list's filters, in another order than
# the models' (the order its validation messages list them in)
_LIST_FULFILLMENT_STATUSES = (
    "not_fulfilled",
    "fulfilled",
    "partially_fulfilled",
    "shipped",
    "partially_shipped",
    "canceled",
    "returned",
    "partially_returned",
    "requires_action",
)
_LIST_PAYMENT_STATUSES = (
    "captured",
    "awaiting",
    "not_paid",
    "refunded",
    "partially_refunded",
    "canceled",
    "requires_action",
)

_OPT_STRING = Prop((is_string,), optional=True)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_FIND = {"expand": _OPT_STRING, "fields": _OPT_STRING}


class OrderFindParams(Validated):
    """FindParams (every order action answers the order with these)."""

    __rules__: ClassVar[dict[str, Prop]] = dict(_FIND)
    expand: str | None = None
    fields: str | None = None


class AdminGetOrdersParams(Validated):
    """AdminListOrdersSelector + offset/limit/expand/fields/order (in Medusa's reporting order)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "q": _OPT_STRING,
        "id": _OPT_STRING,
        "status": Prop((each(is_enum(ORDER_STATUS_VALUES)), is_array), optional=True),
        "fulfillment_status": Prop((each(is_enum(_LIST_FULFILLMENT_STATUSES)), is_array), optional=True),
        "payment_status": Prop((each(is_enum(_LIST_PAYMENT_STATUSES)), is_array), optional=True),
        "display_id": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "customer_id": _OPT_STRING,
        "email": _OPT_STRING,
        "region_id": Prop((is_string_or_strings,), optional=True),
        "currency_code": _OPT_STRING,
        "tax_rate": _OPT_STRING,
        "sales_channel_id": Prop((is_array,), optional=True),
        "canceled_at": _DATES,
        "created_at": _DATES,
        "updated_at": _DATES,
        "offset": Prop((is_number, is_non_negative_integer), optional=True, convert=js_number),
        "limit": Prop((is_number, is_non_negative_integer), optional=True, convert=js_number),
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "order": _OPT_STRING,
    }
    q: str | None = None
    id: str | None = None
    status: list[str] | None = None
    fulfillment_status: list[str] | None = None
    payment_status: list[str] | None = None
    display_id: str | None = None
    cart_id: str | None = None
    customer_id: str | None = None
    email: str | None = None
    region_id: str | list[str] | None = None
    currency_code: str | None = None
    tax_rate: str | None = None
    sales_channel_id: list[Any] | None = None
    canceled_at: DateFilter | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    offset: int = 0
    limit: int = 50
    expand: str | None = None
    fields: str | None = None
    order: str | None = None


# types/common.ts AddressPayload: every field optional
_ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "metadata",
    "company",
    "address_1",
    "address_2",
    "city",
    "country_code",
    "province",
    "postal_code",
)
ADDRESS_PAYLOAD: dict[str, Prop] = {
    name: Prop((is_object,) if name == "metadata" else (is_string,), optional=True)
    for name in _ADDRESS_FIELDS
}

_PAYMENT_METHOD: dict[str, Prop] = {
    "provider_id": _OPT_STRING,
    "data": Prop((is_object,), optional=True),
}
_SHIPPING_METHOD: dict[str, Prop] = {
    "provider_id": _OPT_STRING,
    "profile_id": _OPT_STRING,
    "price": Prop((is_int,), optional=True),
    "data": Prop((is_object,), optional=True),
    "items": Prop((is_array,), optional=True),
}


class AdminPostOrdersOrderReq(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "email": Prop((is_email,), optional=True),
        "billing_address": Prop((), optional=True, nested=ADDRESS_PAYLOAD),
        "shipping_address": Prop((), optional=True, nested=ADDRESS_PAYLOAD),
        "items": Prop((is_array,), optional=True),
        "region": _OPT_STRING,
        "discounts": Prop((is_array,), optional=True),
        "customer_id": _OPT_STRING,
        "payment_method": Prop((), optional=True, nested=_PAYMENT_METHOD),
        "shipping_method": Prop((), optional=True, nested=_SHIPPING_METHOD, nested_each=True),
        "no_notification": Prop((is_boolean,), optional=True),
    }
    email: str | None = None
    billing_address: dict[str, Any] | None = None
    shipping_address: dict[str, Any] | None = None
    items: list[dict[str, Any]] | None = None
    region: str | None = None
    discounts: list[dict[str, Any]] | None = None
    customer_id: str | None = None
    payment_method: dict[str, Any] | None = None
    shipping_method: list[dict[str, Any]] | dict[str, Any] | None = None
    no_notification: bool | None = None


class AdminPostOrdersOrderShippingMethodsReq(Validated):
    # reporting order: properties in declaration order, each one's checks bottom-up
    __rules__: ClassVar[dict[str, Prop]] = {
        "price": Prop((is_not_empty, is_int)),
        "option_id": Prop((is_not_empty, is_string)),
        "data": Prop((is_object,), optional=True),
    }
    price: int
    option_id: str
    data: dict[str, Any] | None = None


_FULFILLMENT_ITEM: dict[str, Prop] = {
    "item_id": Prop((is_not_empty, is_string)),
    "quantity": Prop((is_not_empty, is_int)),
}


def _optional_boolean(value: Any) -> Any:
    """@Transform(optionalBooleanMapper.get(value)): a Map of the TEXTS "true"/"false"/"undefined",
    so only those texts become booleans; anything else (a JSON true included) becomes undefined."""
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _boolean_unless_undefined(name: str, value: Any) -> str | None:
    return None if value is None else is_boolean(name, value)


class AdminPostOrdersOrderFulfillmentsReq(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "items": Prop((is_array,), nested=_FULFILLMENT_ITEM, nested_each=True),
        "location_id": _OPT_STRING,
        # the transform runs before @IsOptional, which then skips what became undefined
        "no_notification": Prop((_boolean_unless_undefined,), optional=True, convert=_optional_boolean),
        "metadata": Prop((is_object,), optional=True),
    }
    items: list[dict[str, Any]]
    location_id: str | None = None
    no_notification: bool | None = None
    metadata: dict[str, Any] | None = None


class AdminPostOrdersOrderShipmentReq(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "fulfillment_id": Prop((is_not_empty, is_string)),
        "tracking_numbers": Prop((each(is_string), is_array), optional=True),
        "no_notification": Prop((is_boolean,), optional=True),
    }
    fulfillment_id: str
    tracking_numbers: list[str] | None = None
    no_notification: bool | None = None


class AdminPostOrdersOrderRefundsReq(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "amount": Prop((is_not_empty, is_int)),
        "reason": Prop((is_not_empty, is_string)),
        "note": _OPT_STRING,
        "no_notification": Prop((is_boolean,), optional=True),
    }
    amount: int
    reason: str
    note: str | None = None
    no_notification: bool | None = None
