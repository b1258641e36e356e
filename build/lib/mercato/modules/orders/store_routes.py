"""Store orders (api/routes/store/orders) and the logged-in customer's orders
(GET /store/customers/me/orders). Included through routes.py (app.py only scans `routes`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response
from fastapi.responses import PlainTextResponse

from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import public_router
from mercato.core.validation import body_or_empty
from mercato.modules.orders import store_service as service
from mercato.modules.orders.store_schemas import (
    StoreGetCustomersCustomerOrdersParams,
    StoreGetOrderParams,
    StoreGetOrdersParams,
    StorePostCustomersCustomerAcceptClaimReq,
    StorePostCustomersCustomerOrderClaimReq,
)
from mercato.modules.store_customers.deps import RequiredCustomer

store_orders = public_router("/store", "Orders")

Find = Annotated[StoreGetOrderParams, Depends(params(StoreGetOrderParams))]


@store_orders.get("/orders")
async def lookup_order(
    p: Annotated[StoreGetOrdersParams, Depends(params(StoreGetOrdersParams))], tx: Tx
) -> Response:
    order = await service.lookup_store_order(tx, p)
    if order is None:
        # res.sendStatus(404) unless exactly one order matches
        return PlainTextResponse("Not Found", status_code=404)
    return ok({"order": order})


@store_orders.get("/orders/cart/{cart_id}")
async def get_order_by_cart(cart_id: str, p: Find, tx: Tx) -> Response:
    return ok({"order": await service.retrieve_store_order_by_cart(tx, cart_id, p)})


@store_orders.get("/orders/{id}")
async def get_order(id: str, p: Find, tx: Tx) -> Response:
    return ok({"order": await service.retrieve_store_order(tx, id, p)})


@store_orders.post("/orders/customer/confirm")
async def confirm_order_request(
    tx: Tx, body: Annotated[StorePostCustomersCustomerAcceptClaimReq | None, Body()] = None
) -> Response:
    data = body_or_empty(StorePostCustomersCustomerAcceptClaimReq, body)
    await service.confirm_order_claim(tx, data.token)
    return PlainTextResponse("OK")


@store_orders.post("/orders/batch/customer/token")
async def request_order(
    customer_id: RequiredCustomer,
    tx: Tx,
    body: Annotated[StorePostCustomersCustomerOrderClaimReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCustomersCustomerOrderClaimReq, body)
    await service.request_order_claim(tx, customer_id, data.order_ids)
    return PlainTextResponse("OK")


@store_orders.get("/customers/me/orders")
async def list_my_orders(
    customer_id: RequiredCustomer,
    p: Annotated[
        StoreGetCustomersCustomerOrdersParams, Depends(params(StoreGetCustomersCustomerOrdersParams))
    ],
    tx: Tx,
) -> Response:
    orders, count = await service.list_customer_orders(tx, customer_id, p)
    return ok({"orders": orders, "count": count, "offset": p.offset, "limit": p.limit})
