"""Store carts (/store/carts…) and the cart's shipping options (GET /store/shipping-options/{cart_id}).

Payment-session routes belong to the payments module; POST /store/carts/{id}/complete comes later.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, Request, Response

from mercato.core.errors import MedusaError, refuse_nulls
from mercato.core.http import Tx, ok
from mercato.core.query import RetrieveParams, fields_for, params
from mercato.core.routing import public_router
from mercato.core.validation import body_or_empty
from mercato.modules.carts import service
from mercato.modules.carts.idempotent import idempotent_request
from mercato.modules.carts.schemas import (
    StorePostCartReq,
    StorePostCartsCartLineItemsItemReq,
    StorePostCartsCartLineItemsReq,
    StorePostCartsCartReq,
    StorePostCartsCartShippingMethodReq,
)
from mercato.modules.sales_channels.deps import PublishableKeyScope
from mercato.modules.store_customers.deps import OptionalCustomer

store = public_router("/store", "Carts")

# transformStoreQuery(FindParams) on every cart route: only `expand` and `fields` are accepted (an
# unknown query key is Medusa's 400). Only the GET reads them (the other routes of Medusa pass
# their own defaults to the service); the others answer the default relations.
_FIND = [Depends(params(RetrieveParams))]
Find = Annotated[RetrieveParams, Depends(params(RetrieveParams))]


def _client_ip(request: Request) -> str | None:
    """request-ip's getClientIp: the first X-Forwarded-For address, else the peer's."""
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        first = forwarded.split(",")[0].strip()
        if first:
            return first.split(":")[0] if first.count(":") == 1 else first
    for header in ("x-client-ip", "cf-connecting-ip", "x-real-ip"):
        value = request.headers.get(header)
        if value:
            return value
    return request.client.host if request.client else None


async def _answer(tx: Tx, cart_id: str) -> Response:
    return ok(await service.cart_response(tx, cart_id))


@store.post("/carts", dependencies=_FIND)
async def create_cart(
    request: Request,
    tx: Tx,
    customer_id: OptionalCustomer,
    key_channels: PublishableKeyScope,
    body: Annotated[StorePostCartReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCartReq, body)
    cart_id, view = await service.create_cart(
        tx,
        data,
        ip=_client_ip(request),
        user_agent=request.headers.get("user-agent"),
        customer_id=customer_id,
        key_channels=key_channels,
    )
    if view is not None:
        return ok({"cart": service.present_cart(view)})
    return await _answer(tx, cart_id)


@store.get("/carts/{cart_id}")
async def get_cart(cart_id: str, tx: Tx, customer_id: OptionalCustomer, p: Find) -> Response:
    try:
        extra, with_customer = service.cart_relations(p.expand)
    except MedusaError:
        await service.cart_response(tx, cart_id)  # an unknown cart is Medusa's 404 first
        raise
    if customer_id:
        await service.assign_customer(tx, cart_id, customer_id)
        await tx.commit()
    fields = fields_for(p)
    if fields is not None:
        fields.add("id")
    answer = await service.cart_response(tx, cart_id, with_customer=with_customer, extra=extra, fields=fields)
    return ok(answer)


@store.post("/carts/{cart_id}", dependencies=_FIND)
async def update_cart(
    cart_id: str,
    tx: Tx,
    customer_id: OptionalCustomer,
    body: Annotated[StorePostCartsCartReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCartsCartReq, body)
    fields = set(data.model_fields_set)
    if customer_id:
        data.customer_id = customer_id
        fields.add("customer_id")
    await service.update_cart(tx, cart_id, data, fields)
    return await _answer(tx, cart_id)


@store.post("/carts/{cart_id}/line-items", dependencies=_FIND)
async def add_line_item(
    cart_id: str,
    request: Request,
    tx: Tx,
    customer_id: OptionalCustomer,
    body: Annotated[StorePostCartsCartLineItemsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCartsCartLineItemsReq, body)

    async def work() -> dict[str, Any]:
        await service.add_line_item(tx, cart_id, data.variant_id, data.quantity, data.metadata, customer_id)
        return await service.cart_response(tx, cart_id, with_customer=True)

    return await idempotent_request(request, tx, cart_id, work)


@store.post("/carts/{cart_id}/line-items/{line_id}", dependencies=_FIND)
async def update_line_item(
    cart_id: str,
    line_id: str,
    tx: Tx,
    body: Annotated[StorePostCartsCartLineItemsItemReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCartsCartLineItemsItemReq, body)
    await service.update_line_item(tx, cart_id, line_id, data.quantity, data.metadata)
    return await _answer(tx, cart_id)


@store.delete("/carts/{cart_id}/line-items/{line_id}", dependencies=_FIND)
async def delete_line_item(cart_id: str, line_id: str, tx: Tx) -> Response:
    await service.remove_line_item(tx, cart_id, line_id)
    return await _answer(tx, cart_id)


@store.delete("/carts/{cart_id}/discounts/{code}", dependencies=_FIND)
async def delete_discount(cart_id: str, code: str, tx: Tx) -> Response:
    await service.remove_discount(tx, cart_id, code)
    return await _answer(tx, cart_id)


@store.post("/carts/{cart_id}/shipping-methods", dependencies=_FIND)
async def add_shipping_method(
    cart_id: str,
    tx: Tx,
    body: Annotated[StorePostCartsCartShippingMethodReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCartsCartShippingMethodReq, body)
    # `data` has only @IsOptional: a null goes to the NOT NULL column, which refuses it
    refuse_nulls("shipping_method", data, ("data",))
    payload = data.data if isinstance(data.data, dict) else {}
    view = await service.add_shipping_method(tx, cart_id, data.option_id, payload)
    if view is None:
        return await _answer(tx, cart_id)
    return ok({"cart": service.present_cart(view)})


@store.post("/carts/{cart_id}/taxes", dependencies=_FIND)
async def calculate_taxes(cart_id: str, request: Request, tx: Tx) -> Response:
    async def work() -> dict[str, Any]:
        return await service.cart_response(tx, cart_id, force_taxes=True, extra=frozenset())

    return await idempotent_request(request, tx, cart_id, work)


@store.get("/shipping-options/{cart_id}")
async def list_cart_shipping_options(cart_id: str, tx: Tx) -> Response:
    return ok({"shipping_options": await service.cart_shipping_options(tx, cart_id)})
