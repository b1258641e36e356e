"""Shipping options: the five Admin routes (/admin/shipping-options…) and the Store list
(GET /store/shipping-options). GET /store/shipping-options/{cart_id} waits for carts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.shipping import service_options as service
from mercato.modules.shipping.schemas_options import (
    AdminGetShippingOptionsParams,
    AdminPostShippingOptionsOptionReq,
    AdminPostShippingOptionsReq,
    StoreGetShippingOptionsParams,
)

options_admin = admin_router("Shipping Options")
options_store = public_router("/store", "Shipping Options")


async def _answer(tx: Tx, option_id: str) -> Response:
    """The option with its default relations (no prices: Medusa's retrieve does not add them)."""
    option = await service.retrieve_option(tx, option_id, service.DEFAULT_TREE)
    return ok({"shipping_option": service.present_option(option, service.DEFAULT_TREE)})


@options_admin.get("/shipping-options")
@cacheable()
async def list_shipping_options(
    p: Annotated[AdminGetShippingOptionsParams, Depends(params(AdminGetShippingOptionsParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p)
    options, count = await service.list_options(tx, p, tree)
    shown = [service.present_option(o, tree, fields) for o in options]
    await service.price_options(tx, options, shown)
    return ok({"shipping_options": shown, "count": count, "offset": p.offset, "limit": p.limit})


@options_admin.post("/shipping-options")
async def create_shipping_option(
    tx: Tx, body: Annotated[AdminPostShippingOptionsReq | None, Body()] = None
) -> Response:
    option = await service.create_option(tx, body_or_empty(AdminPostShippingOptionsReq, body))
    return await _answer(tx, option.id)


@options_admin.get("/shipping-options/{option_id}")
@cacheable()
async def get_shipping_option(option_id: str, tx: Tx) -> Response:
    return await _answer(tx, option_id)


@options_admin.post("/shipping-options/{option_id}")
async def update_shipping_option(
    option_id: str, tx: Tx, body: Annotated[AdminPostShippingOptionsOptionReq | None, Body()] = None
) -> Response:
    await service.update_option(tx, option_id, body_or_empty(AdminPostShippingOptionsOptionReq, body))
    return await _answer(tx, option_id)


@options_admin.delete("/shipping-options/{option_id}")
async def delete_shipping_option(option_id: str, tx: Tx) -> Response:
    await service.delete_option(tx, option_id)
    return ok({"id": option_id, "object": "shipping-option", "deleted": True})


@options_store.get("/shipping-options")
@cacheable()
async def store_list_shipping_options(
    p: Annotated[StoreGetShippingOptionsParams, Depends(params(StoreGetShippingOptionsParams))], tx: Tx
) -> Response:
    options = await service.store_list_options(tx, p)
    shown = [service.present_option(o, service.STORE_TREE) for o in options]
    await service.price_options(tx, options, shown)
    return ok({"shipping_options": shown})
