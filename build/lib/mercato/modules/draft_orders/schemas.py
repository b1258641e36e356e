"""Request models of the admin draft orders group, mirroring Medusa's validator classes
(api/routes/admin/draft-orders/*.ts, v1.20)."""

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
    js_number,
)
from mercato.modules.store_customers.schemas import is_address_or_id

STATUSES = ("open", "completed")

# create-draft-order.ts Item / ShippingMethod / Discount
_ITEM: dict[str, Prop] = {
    "title": Prop((is_string,), optional=True),
    "unit_price": Prop((is_number,), optional=True),
    "variant_id": Prop((is_string,), optional=True),
    "quantity": Prop((is_number,)),
    "metadata": Prop((is_object,), optional=True),
}
_SHIPPING_METHOD: dict[str, Prop] = {
    "option_id": Prop((is_string,)),
    "data": Prop((is_object,), optional=True),
    "price": Prop((is_number,), optional=True),
}
_DISCOUNT: dict[str, Prop] = {"code": Prop((is_string,))}


class AdminPostDraftOrdersReq(Validated):
    __rules__ = {
        "status": Prop((is_enum(STATUSES),), optional=True),
        "email": Prop((is_email,)),
        "billing_address": Prop((is_address_or_id,), optional=True),
        "shipping_address": Prop((is_address_or_id,), optional=True),
        "items": Prop((is_not_empty, is_array), optional=True, nested=_ITEM, nested_each=True),
        "region_id": Prop((is_string,)),
        "discounts": Prop((is_array,), optional=True, nested=_DISCOUNT, nested_each=True),
        "customer_id": Prop((is_string,), optional=True),
        "no_notification_order": Prop((is_boolean,), optional=True),
        "shipping_methods": Prop((is_not_empty, is_array), nested=_SHIPPING_METHOD, nested_each=True),
        "metadata": Prop((is_object,), optional=True),
    }
    status: str | None = None
    email: str
    billing_address: dict[str, Any] | str | None = None
    shipping_address: dict[str, Any] | str | None = None
    items: list[dict[str, Any]] | None = None
    region_id: str
    discounts: list[dict[str, Any]] | None = None
    customer_id: str | None = None
    no_notification_order: bool | None = None
    shipping_methods: list[dict[str, Any]]
    metadata: dict[str, Any] | None = None


class AdminPostDraftOrdersDraftOrderReq(Validated):
    __rules__ = {
        "region_id": Prop((is_string,), optional=True),
        "country_code": Prop((is_string,), optional=True),
        "email": Prop((is_email,), optional=True),
        "billing_address": Prop((is_address_or_id,), optional=True),
        "shipping_address": Prop((is_address_or_id,), optional=True),
        "discounts": Prop((is_array,), optional=True, nested=_DISCOUNT, nested_each=True),
        "customer_id": Prop((is_string,), optional=True),
        "no_notification_order": Prop((is_boolean,), optional=True),
    }
    region_id: str | None = None
    country_code: str | None = None
    email: str | None = None
    billing_address: dict[str, Any] | str | None = None
    shipping_address: dict[str, Any] | str | None = None
    discounts: list[dict[str, Any]] | None = None
    customer_id: str | None = None
    no_notification_order: bool | None = None


class AdminPostDraftOrdersDraftOrderLineItemsReq(Validated):
    __rules__ = {
        "title": Prop((is_string,), optional=True),
        "unit_price": Prop((is_int,), optional=True),
        "variant_id": Prop((is_string,), optional=True),
        "quantity": Prop((is_int,)),
        "metadata": Prop((is_object,), optional=True),
    }
    title: str | None = None
    unit_price: int | None = None
    variant_id: str | None = None
    quantity: int
    metadata: dict[str, Any] | None = None


class AdminPostDraftOrdersDraftOrderLineItemsItemReq(Validated):
    __rules__ = {
        "title": Prop((is_string,), optional=True),
        "unit_price": Prop((is_int,), optional=True),
        "quantity": Prop((is_int,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    title: str | None = None
    unit_price: int | None = None
    quantity: int | None = None
    metadata: dict[str, Any] | None = None


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)


class AdminGetDraftOrdersParams(Validated):
    """list-draft-orders.ts (extendedFindParamsMixin({limit: 50}); its `fields` is declared
    @IsNumber, so any `fields` is refused, as Medusa does)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "q": Prop((is_string,), optional=True),
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_number,), optional=True),
        "status": Prop((each(is_enum(STATUSES)), is_array), optional=True),
        "created_at": _DATES,
        "updated_at": _DATES,
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "order": Prop((is_string,), optional=True),
    }
    q: str | None = None
    expand: str | None = None
    fields: Any = None
    status: list[str] | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    offset: int = 0
    limit: int = 50
    order: str | None = None
