"""Orders: the admin routes of api/routes/admin/orders (without returns, swaps, claims and
reservations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.orders import service
from mercato.modules.orders.schemas import (
    AdminGetOrdersParams,
    AdminPostOrdersOrderFulfillmentsReq,
    AdminPostOrdersOrderRefundsReq,
    AdminPostOrdersOrderReq,
    AdminPostOrdersOrderShipmentReq,
    AdminPostOrdersOrderShippingMethodsReq,
    OrderFindParams,
)

admin = admin_router("Orders")

Find = Annotated[OrderFindParams, Depends(params(OrderFindParams))]


async def _answer(tx: Tx, order_id: str, p: OrderFindParams) -> Response:
    # after an action Medusa answers the saved entity, which carries `object: "order"`
    return ok(await service.order_response(tx, order_id, p, with_object=True, cleaned=False))


@admin.get("/orders")
@cacheable()
async def list_orders(
    p: Annotated[AdminGetOrdersParams, Depends(params(AdminGetOrdersParams))], tx: Tx
) -> Response:
    orders, count = await service.list_orders(tx, p)
    return ok({"orders": orders, "count": count, "offset": p.offset, "limit": p.limit})


@admin.get("/orders/{order_id}")
@cacheable()
async def get_order(order_id: str, p: Find, tx: Tx) -> Response:
    return ok(await service.order_response(tx, order_id, p, includes_ok=True))


@admin.post("/orders/{order_id}")
async def update_order(
    order_id: str, p: Find, tx: Tx, body: Annotated[AdminPostOrdersOrderReq | None, Body()] = None
) -> Response:
    await service.update_order(tx, order_id, body_or_empty(AdminPostOrdersOrderReq, body))
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/complete")
async def complete_order(order_id: str, p: Find, tx: Tx) -> Response:
    await service.complete_order(tx, order_id)
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/archive")
async def archive_order(order_id: str, p: Find, tx: Tx) -> Response:
    await service.archive_order(tx, order_id)
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/cancel")
async def cancel_order(order_id: str, p: Find, tx: Tx) -> Response:
    await service.cancel_order(tx, order_id)
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/capture")
async def capture_payment(order_id: str, p: Find, tx: Tx) -> Response:
    await service.capture_order_payment(tx, order_id)
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/refund")
async def refund_payment(
    order_id: str, p: Find, tx: Tx, body: Annotated[AdminPostOrdersOrderRefundsReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostOrdersOrderRefundsReq, body)
    await service.refund_order(tx, order_id, data.amount, data.reason, data.note, data.no_notification)
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/shipping-methods")
async def add_shipping_method(
    order_id: str,
    p: Find,
    tx: Tx,
    body: Annotated[AdminPostOrdersOrderShippingMethodsReq | None, Body()] = None,
) -> Response:
    await service.add_shipping_method(
        tx, order_id, body_or_empty(AdminPostOrdersOrderShippingMethodsReq, body)
    )
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/fulfillment")
async def create_fulfillment(
    order_id: str,
    p: Find,
    tx: Tx,
    body: Annotated[AdminPostOrdersOrderFulfillmentsReq | None, Body()] = None,
) -> Response:
    await service.create_fulfillment(tx, order_id, body_or_empty(AdminPostOrdersOrderFulfillmentsReq, body))
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/fulfillments/{fulfillment_id}/cancel")
async def cancel_fulfillment(order_id: str, fulfillment_id: str, p: Find, tx: Tx) -> Response:
    await service.cancel_fulfillment(tx, order_id, fulfillment_id)
    return await _answer(tx, order_id, p)


@admin.post("/orders/{order_id}/shipment")
async def create_shipment(
    order_id: str, p: Find, tx: Tx, body: Annotated[AdminPostOrdersOrderShipmentReq | None, Body()] = None
) -> Response:
    await service.create_shipment(tx, order_id, body_or_empty(AdminPostOrdersOrderShipmentReq, body))
    return await _answer(tx, order_id, p)


from mercato.modules.orders.store_routes import store_orders  # noqa: E402, F401  (auto-included router)
