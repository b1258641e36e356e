"""A provider that fails, or wants more from the shopper, in the middle of completion: no half
order, the cart stays completable, an authorized payment is canceled at the provider."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from mercato.db.session import Database
from mercato.modules.carts.models import LineItemTaxLine, PaymentSession
from mercato.modules.orders.models import Order, Payment
from mercato.modules.products.models import ProductVariant
from mercato.modules.system.models import StagedJob
from tests.modules.checkout.conftest import Shop, ok, ready_cart


async def snapshot(db: Database, shop: Shop) -> dict[str, object]:
    async with db.read_session() as tx:

        async def count(model: object) -> int:
            return int((await tx.execute(select(func.count()).select_from(model))).scalar_one())  # type: ignore[arg-type]

        session = (await tx.execute(select(PaymentSession))).scalar_one()
        return {
            "orders": await count(Order),
            "payments": await count(Payment),
            "tax_lines": await count(LineItemTaxLine),
            "placed_events": int(
                (
                    await tx.execute(
                        select(func.count())
                        .select_from(StagedJob)
                        .where(StagedJob.event_name == "order.placed")
                    )
                ).scalar_one()
            ),
            "stock": (
                await tx.execute(
                    select(ProductVariant.inventory_quantity).where(ProductVariant.id == shop.shirt)
                )
            ).scalar_one(),
            "session": (session.status, session.data, session.payment_authorized_at),
        }


async def test_provider_failing_after_authorization(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    cid = await ready_cart(client, shop.flaky, "it", shop.shirt, provider="co-flaky")
    before = await snapshot(db, shop)
    shop.provider.fail_status = True
    shop.provider.calls.clear()
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "co-flaky could not read the payment"}
    assert res.headers["idempotency-key"]
    # it authorized, then failed: the authorization is released at the provider
    assert shop.provider.calls == ["authorize", "status", "cancel"]
    assert await snapshot(db, shop) == before
    cart = await ok(await client.get(f"/store/carts/{cid}"), "cart")
    assert (
        cart["completed_at"] is None and cart["payment_authorized_at"] is None and cart["payment_id"] is None
    )
    # the provider is back: the same cart completes
    shop.provider.fail_status = False
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    order = res.json()["data"]
    assert order["payments"][0]["provider_id"] == "co-flaky"
    assert order["total"] == 3000
    assert (await snapshot(db, shop))["orders"] == 1


async def test_provider_failing_to_authorize(client: httpx.AsyncClient, shop: Shop, db: Database) -> None:
    cid = await ready_cart(client, shop.flaky, "it", shop.shirt, provider="co-flaky")
    before = await snapshot(db, shop)
    shop.provider.fail_authorize = True
    shop.provider.calls.clear()
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "co-flaky refused"}
    assert shop.provider.calls == ["authorize"]
    assert await snapshot(db, shop) == before
    shop.provider.fail_authorize = False
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text


async def test_payment_requiring_more(client: httpx.AsyncClient, shop: Shop, db: Database) -> None:
    cid = await ready_cart(client, shop.flaky, "it", shop.shirt, provider="co-flaky")
    shop.provider.status = "requires_more"
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["type"] == "cart"
    assert body["payment_status"] == "requires_more"
    cart = body["data"]
    assert cart["id"] == cid and cart["object"] == "cart"
    assert cart["completed_at"] is None and cart["payment_id"] is None
    assert cart["payment_session"]["status"] == "requires_more"
    assert cart["payment_session"]["data"] == {"status": "requires_more", "next": "3ds"}
    assert [s["provider_id"] for s in cart["payment_sessions"]] == ["co-flaky"]
    after = await snapshot(db, shop)
    assert after["orders"] == after["payments"] == after["tax_lines"] == 0
    assert after["stock"] == 100
    # the shopper did what was asked: the next attempt places the order
    shop.provider.status = "authorized"
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    assert res.json()["type"] == "order"
