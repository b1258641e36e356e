"""Store cart payment sessions (api/routes/store/carts/*payment-session*), as a real Medusa 1.20."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.db.session import Database
from mercato.modules.carts.models import PaymentSession
from mercato.modules.system.models import IdempotencyKey
from tests.modules.payments.conftest import PayShop


async def _cart(client: httpx.AsyncClient, region: str, variant: str, quantity: int = 2) -> str:
    r = await client.post(
        "/store/carts", json={"region_id": region, "items": [{"variant_id": variant, "quantity": quantity}]}
    )
    assert r.status_code == 200, r.text
    return str(r.json()["cart"]["id"])


def _sessions(cart: dict[str, Any]) -> list[tuple[str, Any, bool, Any, Any]]:
    return sorted(
        (s["provider_id"], s["is_selected"], s["is_initiated"], s["data"], s["amount"])
        for s in cart["payment_sessions"]
    )


async def test_single_provider_is_created_and_selected(client: httpx.AsyncClient, pay_shop: PayShop) -> None:
    cid = await _cart(client, pay_shop.one, pay_shop.variant)
    r = await client.post(f"/store/carts/{cid}/payment-sessions")
    assert r.status_code == 200
    assert r.headers["Access-Control-Expose-Headers"] == "Idempotency-Key"
    key = r.headers["Idempotency-Key"]
    body = r.json()
    cart = body["cart"]
    assert cart["total"] == 2000
    assert _sessions(cart) == [("manual", True, True, {"status": "pending"}, 2000)]
    assert cart["payment_session"]["provider_id"] == "manual" and cart["customer"] is None
    # Medusa stores retrieveWithTotals' cart as is (raw_discount_total included) and cleans its twin
    assert cart["raw_discount_total"] == 0 and "raw_discount_total" not in body["data"]
    assert body["data"]["id"] == cid
    # the same Idempotency-Key replays the stored answer
    again = await client.post(f"/store/carts/{cid}/payment-sessions", headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.headers["Idempotency-Key"] == key
    assert again.json()["cart"]["payment_sessions"] == cart["payment_sessions"]


async def test_two_providers_then_select_update_refresh_delete(
    client: httpx.AsyncClient, pay_shop: PayShop, db: Database
) -> None:
    cid = await _cart(client, pay_shop.two, pay_shop.variant)
    r = await client.post(f"/store/carts/{cid}/payment-sessions")
    cart = r.json()["cart"]
    assert _sessions(cart) == [("manual", None, False, {}, 2000), ("pay-test-second", None, False, {}, 2000)]
    assert "payment_session" not in cart
    # select manual: initiated at the provider
    r = await client.post(f"/store/carts/{cid}/payment-session", json={"provider_id": "manual"})
    assert r.status_code == 200
    cart = r.json()["cart"]
    assert _sessions(cart) == [
        ("manual", True, True, {"status": "pending"}, 2000),
        ("pay-test-second", None, False, {}, 2000),
    ]
    assert cart["payment_session"]["provider_id"] == "manual" and "raw_discount_total" not in cart
    # switch to the second provider: manual's session stays, no longer selected nor initiated
    r = await client.post(f"/store/carts/{cid}/payment-session", json={"provider_id": "pay-test-second"})
    cart = r.json()["cart"]
    assert _sessions(cart) == [
        ("manual", None, False, {"status": "pending"}, 2000),
        ("pay-test-second", True, True, {"status": "pending"}, 2000),
    ]
    # update data: manual merges body.data.data into the session data (medusa-payment-manual)
    r = await client.post(
        f"/store/carts/{cid}/payment-sessions/manual", json={"data": {"foo": 1, "data": {"bar": 2}}}
    )
    assert r.status_code == 200
    cart = r.json()["cart"]
    assert cart["payment_session"]["provider_id"] == "manual"
    assert cart["payment_session"]["data"] == {"status": "pending", "bar": 2}
    # refresh the selected one: a new row, initiated, not selected (as Medusa)
    old_id = cart["payment_session"]["id"]
    r = await client.post(f"/store/carts/{cid}/payment-sessions/manual/refresh")
    assert r.status_code == 200
    cart = r.json()["cart"]
    manual = next(s for s in cart["payment_sessions"] if s["provider_id"] == "manual")
    assert manual["id"] != old_id and manual["is_selected"] is None and manual["is_initiated"] is True
    assert not {"payment_session", "billing_address", "payment", "sales_channel"} & set(cart)
    # delete the second provider's session; an unknown provider is ignored
    r = await client.delete(f"/store/carts/{cid}/payment-sessions/pay-test-second")
    assert r.status_code == 200
    assert [s["provider_id"] for s in r.json()["cart"]["payment_sessions"]] == ["manual"]
    r = await client.delete(f"/store/carts/{cid}/payment-sessions/nope")
    assert r.status_code == 200 and len(r.json()["cart"]["payment_sessions"]) == 1
    async with db.read_session() as tx:
        count = (await tx.execute(select(func.count()).select_from(PaymentSession))).scalar_one()
        keys = (await tx.execute(select(func.count()).select_from(IdempotencyKey))).scalar_one()
    assert count == 1 and keys == 1


async def test_refusals_and_bad_input(client: httpx.AsyncClient, pay_shop: PayShop) -> None:
    cid = await _cart(client, pay_shop.one, pay_shop.variant)
    await client.post(f"/store/carts/{cid}/payment-sessions")
    r = await client.post(f"/store/carts/{cid}/payment-session", json={"provider_id": "stripe"})
    assert r.status_code == 400
    assert r.json() == {
        "type": "not_allowed",
        "message": "The payment method is not available in this region",
    }
    r = await client.post(f"/store/carts/{cid}/payment-sessions/stripe", json={"data": {}})
    assert r.json() == {
        "type": "not_allowed",
        "message": "The payment method is not available in this region",
    }
    r = await client.post(f"/store/carts/{cid}/payment-session", json={"provider_id": 5, "x": 1})
    assert r.status_code == 400
    assert r.json() == {
        "type": "invalid_data",
        "message": "property x should not exist, provider_id must be a string",
    }
    for body in ({"data": "x"}, {}):
        r = await client.post(f"/store/carts/{cid}/payment-sessions/manual", json=body)
        assert r.status_code == 400 and r.json() == {
            "type": "invalid_data",
            "message": "data must be an object",
        }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/store/carts/cart_nope/payment-sessions", None),
        ("POST", "/store/carts/cart_nope/payment-session", {"provider_id": "manual"}),
        ("DELETE", "/store/carts/cart_nope/payment-sessions/manual", None),
        ("POST", "/store/carts/cart_nope/payment-sessions/manual/refresh", None),
    ],
)
async def test_unknown_cart_is_not_found(
    client: httpx.AsyncClient, method: str, path: str, body: Any
) -> None:
    # Medusa answers these with a 500 unknown_error; Mercato with the 404 of GET /store/carts/{id}.
    r = await client.request(method, path, json=body)
    assert r.status_code == 404
    assert r.json() == {"type": "not_found", "message": "Cart with cart_nope was not found"}


async def test_empty_cart_loses_its_sessions(client: httpx.AsyncClient, pay_shop: PayShop) -> None:
    r = await client.post("/store/carts", json={"region_id": pay_shop.one})
    cid = r.json()["cart"]["id"]
    r = await client.post(f"/store/carts/{cid}/payment-sessions")
    assert r.status_code == 200 and r.json()["cart"]["payment_sessions"] == []


async def test_customer_payment_methods(client: httpx.AsyncClient, pay_shop: PayShop) -> None:
    r = await client.get("/store/customers/me/payment-methods")
    assert r.status_code == 401 and r.text == "Unauthorized"
    body = {
        "first_name": "Pay",
        "last_name": "Test",
        "email": "pay-test@example.com",
        "password": "secret123",
    }
    assert (await client.post("/store/customers", json=body)).status_code == 200
    token = await client.post(
        "/store/auth/token", json={"email": body["email"], "password": body["password"]}
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    r = await client.get("/store/customers/me/payment-methods", headers=headers)
    assert r.status_code == 200
    # manual has none; the second provider answers one saved method
    assert r.json() == {
        "payment_methods": [
            {"provider_id": "pay-test-second", "data": {"last4": "4242", "email": body["email"]}}
        ]
    }
