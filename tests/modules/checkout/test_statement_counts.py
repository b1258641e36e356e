"""Each step of the 7-request checkout runs a bounded number of SQL statements (regression guard
for issue 5's throughput target: the cart is read once per change, not once per helper)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from mercato.db.session import Database
from tests.modules.checkout.conftest import Shop, ok
from tests.statements import counting

# Measured on SQLite and PostgreSQL (one item, one shipping method, a region with tax rates);
# each bound leaves a little room, a regression to the old reload-everything code exceeds it.
# (Third session: the cart is read as a dict tree with Core statements; bounds tightened.
# Fourth session: region reference rows come from core.refcache; 11/21/17/23/18/17/39 measured.
# Sixth session: collection emptiness read with each level's rows, more reference rows cached;
# 9/13/8/12/8/10/28 measured on SQLite, 29 for complete on PostgreSQL.)
BOUNDS = {
    "create cart": 11,
    "add item": 15,
    "email + address": 10,
    "shipping method": 14,
    "payment sessions": 10,
    "select manual": 12,
    "complete": 32,
}


async def measured(db: Database, send: Callable[[], Awaitable[httpx.Response]]) -> tuple[Any, int]:
    async with counting(db) as seen:
        res = await send()
    body = await ok(res)
    return body, len(seen)


async def test_checkout_steps_run_a_bounded_number_of_statements(
    client: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    counts: dict[str, int] = {}
    body, counts["create cart"] = await measured(
        db, lambda: client.post("/store/carts", json={"region_id": shop.excl})
    )
    cart = f"/store/carts/{body['cart']['id']}"
    _, counts["add item"] = await measured(
        db, lambda: client.post(f"{cart}/line-items", json={"variant_id": shop.shirt, "quantity": 1})
    )
    address = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address_1": "1 Main St",
        "city": "Town",
        "country_code": "de",
        "postal_code": "12345",
    }
    _, counts["email + address"] = await measured(
        db, lambda: client.post(cart, json={"email": "count@checkout.test", "shipping_address": address})
    )
    _, counts["shipping method"] = await measured(
        db, lambda: client.post(f"{cart}/shipping-methods", json={"option_id": shop.excl_option})
    )
    body, counts["payment sessions"] = await measured(db, lambda: client.post(f"{cart}/payment-sessions"))
    assert [s["provider_id"] for s in body["cart"]["payment_sessions"]] == ["manual"]
    body, counts["select manual"] = await measured(
        db, lambda: client.post(f"{cart}/payment-session", json={"provider_id": "manual"})
    )
    assert body["cart"]["payment_session"]["provider_id"] == "manual"
    assert body["cart"]["payment_session"]["is_selected"] is True
    body, counts["complete"] = await measured(db, lambda: client.post(f"{cart}/complete"))
    assert body["type"] == "order"
    print(counts)
    over = {step: (n, BOUNDS[step]) for step, n in counts.items() if n > BOUNDS[step]}
    assert not over, f"statements (count, bound) above the bound: {over}; all: {counts}"


async def test_payment_session_key_follows_the_selected_session(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    """Cart.afterLoad: `payment_session` is the selected session, absent while none is selected."""
    cart = await ok(await client.post("/store/carts", json={"region_id": shop.excl}), "cart")
    assert "payment_session" not in cart
    path = f"/store/carts/{cart['id']}"
    await ok(await client.post(f"{path}/line-items", json={"variant_id": shop.shirt, "quantity": 1}))
    fetched = await ok(await client.get(path), "cart")
    assert fetched["payment_sessions"] == [] and "payment_session" not in fetched
    await ok(await client.post(f"{path}/payment-sessions"))
    await ok(await client.post(f"{path}/payment-session", json={"provider_id": "manual"}))
    fetched = await ok(await client.get(path), "cart")
    assert fetched["payment_session"] == fetched["payment_sessions"][0]
    assert fetched["payment_session"]["is_selected"] is True
