"""Cart payment sessions (/store/carts/{id}/payment-session…) and the logged-in customer's saved
payment methods. Routers are included through routes.py (app.py only scans `routes` modules)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Request, Response
from sqlalchemy import select

from mercato.core.errors import MedusaError
from mercato.core.http import Tx, ok
from mercato.core.present import present
from mercato.core.routing import public_router
from mercato.core.validation import body_or_empty
from mercato.modules.carts import service as carts
from mercato.modules.carts.idempotent import idempotent_request
from mercato.modules.customers.models import Customer
from mercato.modules.payments import cart_sessions
from mercato.modules.payments import sessions as ps
from mercato.modules.payments.schemas import (
    StorePostCartsCartPaymentSessionReq,
    StorePostCartsCartPaymentSessionUpdateReq,
)
from mercato.modules.store.models import PaymentProvider
from mercato.modules.store_customers.deps import RequiredCustomer
from mercato.providers.registry import payment_registry

store_carts = public_router("/store", "Carts")


async def _cart_json(tx: Tx, cart_id: str, *, force_taxes: bool = False) -> dict[str, Any]:
    cart: dict[str, Any] = (await carts.cart_response(tx, cart_id, force_taxes=force_taxes))["cart"]
    return cart


async def _view_json(tx: Tx, view: carts.CartView) -> dict[str, Any]:
    """The cart JSON of a view whose only change since it was read is its payment sessions."""
    await carts.reload_payment_sessions(tx, view)
    return carts.present_cart(view)


def _clean(cart: dict[str, Any]) -> dict[str, Any]:
    """cleanResponseData(cart, []): raw_discount_total leaves the cart's own keys."""
    return {k: v for k, v in cart.items() if k != "raw_discount_total"}


async def _run(tx: Tx, work: Any) -> None:
    """Medusa answers an unknown cart on these routes with a 500 unknown_error; Mercato answers
    404 not_found, as on GET /store/carts/{id} (docs/compatibility.md)."""
    await work


@store_carts.post("/carts/{cart_id}/payment-sessions")
async def create_payment_sessions(cart_id: str, request: Request, tx: Tx) -> Response:
    async def work() -> dict[str, Any]:
        view = await cart_sessions.set_payment_sessions(tx, cart_id)
        cart = await _view_json(tx, view)
        # the stored `cart` is retrieveWithTotals' cart as is (its `data` twin is cleaned below)
        cart["raw_discount_total"] = view.totals.raw_discount_total
        customer_id = cart.get("customer_id")
        cart["customer"] = present(await ps.load_customer(tx, customer_id))
        return {"cart": cart}

    def shown(stored: dict[str, Any]) -> dict[str, Any]:
        body = dict(stored or {})
        if body.get("cart"):
            body["data"] = _clean(body["cart"])
        return body

    return await idempotent_request(request, tx, cart_id, work, shown)


@store_carts.post("/carts/{cart_id}/payment-session")
async def set_payment_session(
    cart_id: str, tx: Tx, body: Annotated[StorePostCartsCartPaymentSessionReq | None, Body()] = None
) -> Response:
    data = body_or_empty(StorePostCartsCartPaymentSessionReq, body)
    view = await cart_sessions.set_payment_session(tx, cart_id, data.provider_id)
    return ok({"cart": _clean(await _view_json(tx, view))})


@store_carts.post("/carts/{cart_id}/payment-sessions/{provider_id}")
async def update_payment_session(
    cart_id: str,
    provider_id: str,
    tx: Tx,
    body: Annotated[StorePostCartsCartPaymentSessionUpdateReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCartsCartPaymentSessionUpdateReq, body)
    await _run(tx, cart_sessions.update_payment_session(tx, cart_id, provider_id, data.data))
    return ok({"cart": _clean(await _cart_json(tx, cart_id))})


@store_carts.post("/carts/{cart_id}/payment-sessions/{provider_id}/refresh")
async def refresh_payment_session(cart_id: str, provider_id: str, tx: Tx) -> Response:
    await _run(tx, cart_sessions.refresh_payment_session(tx, cart_id, provider_id))
    cart = _clean(await _cart_json(tx, cart_id))
    # the route loads fewer relations than the other cart routes
    for key in ("billing_address", "payment", "payment_session", "sales_channel"):
        cart.pop(key, None)
    return ok({"cart": cart})


@store_carts.delete("/carts/{cart_id}/payment-sessions/{provider_id}")
async def delete_payment_session(cart_id: str, provider_id: str, tx: Tx) -> Response:
    await _run(tx, cart_sessions.delete_payment_session(tx, cart_id, provider_id))
    return ok({"cart": _clean(await _cart_json(tx, cart_id))})


@store_carts.get("/customers/me/payment-methods")
async def list_payment_methods(customer_id: RequiredCustomer, tx: Tx) -> Response:
    """For each payment_provider row, the provider's saved methods of the customer (manual: none)."""
    customer = await tx.get(Customer, customer_id)
    if customer is None:
        raise MedusaError("not_found", f"Customer with id: {customer_id} was not found")
    provider_ids = (await tx.execute(select(PaymentProvider.id).order_by(PaymentProvider.id))).scalars().all()
    customer_json = present(customer) or {}
    registry = payment_registry()
    methods: list[dict[str, Any]] = []
    for provider_id in provider_ids:
        if provider_id not in registry:  # a row of an uninstalled plugin: nothing to ask
            continue
        saved = await registry.get(provider_id).retrieve_saved_methods(customer_json)
        methods.extend({"provider_id": provider_id, "data": m} for m in saved)
    return ok({"payment_methods": methods})
