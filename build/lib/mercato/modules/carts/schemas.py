"""Request models of the store carts group, mirroring Medusa's validator classes
(api/routes/store/carts/*.ts)."""

from __future__ import annotations

from typing import Any

from mercato.core.validation import Prop, Validated, is_array, is_email, is_int, is_not_empty, is_string
from mercato.modules.store_customers.schemas import is_address_or_id

# create-cart.ts Item: @IsNotEmpty() @IsString() variant_id; @IsNotEmpty() @IsInt() quantity
_ITEM: dict[str, Prop] = {
    "variant_id": Prop((is_string, is_not_empty)),
    "quantity": Prop((is_int, is_not_empty)),
}
_CODE: dict[str, Prop] = {"code": Prop((is_string,))}


class StorePostCartReq(Validated):
    __rules__ = {
        "region_id": Prop((is_string,), optional=True),
        "country_code": Prop((is_string,), optional=True),
        "items": Prop((is_array,), optional=True, nested=_ITEM, nested_each=True),
        "context": Prop((), optional=True),
        "sales_channel_id": Prop((is_string,), optional=True),
    }
    region_id: str | None = None
    country_code: str | None = None
    items: list[dict[str, Any]] | None = None
    context: Any = None
    sales_channel_id: str | None = None


class StorePostCartsCartReq(Validated):
    __rules__ = {
        "region_id": Prop((is_string,), optional=True),
        "country_code": Prop((is_string,), optional=True),
        "email": Prop((is_email,), optional=True),
        "billing_address": Prop((is_address_or_id,), optional=True),
        "shipping_address": Prop((is_address_or_id,), optional=True),
        "gift_cards": Prop((is_array,), optional=True, nested=_CODE, nested_each=True),
        "discounts": Prop((is_array,), optional=True, nested=_CODE, nested_each=True),
        "customer_id": Prop((is_string,), optional=True),
        "context": Prop((), optional=True),
        "sales_channel_id": Prop((is_string,), optional=True),
    }
    region_id: str | None = None
    country_code: str | None = None
    email: str | None = None
    billing_address: dict[str, Any] | str | None = None
    shipping_address: dict[str, Any] | str | None = None
    gift_cards: list[dict[str, Any]] | None = None
    discounts: list[dict[str, Any]] | None = None
    customer_id: str | None = None
    context: Any = None
    sales_channel_id: str | None = None


class StorePostCartsCartLineItemsReq(Validated):
    __rules__ = {
        "variant_id": Prop((is_string,)),
        "quantity": Prop((is_int,)),
        "metadata": Prop((), optional=True),
    }
    variant_id: str
    quantity: int
    metadata: Any = None


class StorePostCartsCartLineItemsItemReq(Validated):
    __rules__ = {
        "quantity": Prop((is_int,)),
        "metadata": Prop((), optional=True),
    }
    quantity: int
    metadata: Any = None


class StorePostCartsCartShippingMethodReq(Validated):
    __rules__ = {
        "option_id": Prop((is_string,)),
        "data": Prop((), optional=True),
    }
    option_id: str
    data: Any = None
