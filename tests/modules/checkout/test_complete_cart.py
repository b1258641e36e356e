"""POST /store/carts/{id}/complete: the order answer, retries, idempotency keys, refusals."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from mercato.db.session import Database
from mercato.modules.orders.models import Order, Payment
from mercato.modules.products.models import ProductVariant
from mercato.modules.system.models import IdempotencyKey
from tests.conftest import Events
from tests.modules.checkout.conftest import Shop, ok, ready_cart


async def count(db: Database, model: Any, *where: Any) -> int:
    async with db.read_session() as tx:
        return int((await tx.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def test_complete_places_the_order(
    client: httpx.AsyncClient, shop: Shop, db: Database, events: Events
) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt, quantity=2)
    cart = await ok(await client.get(f"/store/carts/{cid}"), "cart")
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    assert res.headers["access-control-expose-headers"] == "Idempotency-Key"
    assert len(res.headers["idempotency-key"]) == 36
    body = res.json()
    assert body["type"] == "order"
    order = body["data"]
    assert order["object"] == "order"
    assert order["cart_id"] == cid
    assert order["status"] == "pending"
    assert order["payment_status"] == "awaiting"
    assert order["fulfillment_status"] == "not_fulfilled"
    assert order["display_id"] >= 1  # a PostgreSQL sequence: not reset between tests
    assert order["email"] == "shopper@checkout.test"
    assert order["currency_code"] == "eur"
    assert order["region_id"] == shop.excl
    assert order["sales_channel_id"] == cart["sales_channel_id"]
    assert order["customer_id"] == cart["customer_id"]
    assert order["shipping_address"]["city"] == "Town"
    assert order["metadata"] == {}
    assert order["no_notification"] is None
    # 2 x 2500 + 500 shipping, 20 % tax on both
    assert order["subtotal"] == 5000
    assert order["shipping_total"] == 500
    assert order["tax_total"] == 1100
    assert order["total"] == 6600
    assert order["paid_total"] == 6600
    assert order["total"] == cart["total"]
    [item] = order["items"]
    assert item["order_id"] == order["id"]
    assert item["tax_lines"][0]["rate"] == 20
    assert item["tax_lines"][0]["id"].startswith("litl_")
    assert item["total"] == 6000
    assert item["refundable"] == 6000
    [method] = order["shipping_methods"]
    assert method["order_id"] == order["id"]
    assert method["tax_lines"][0]["id"].startswith("smtl_")
    [payment] = order["payments"]
    assert payment["amount"] == 6600
    assert payment["order_id"] == order["id"]
    assert payment["data"] == {"status": "authorized"}
    assert order["region"]["tax_rate"] == 20
    for key in ("claims", "swaps", "refunds", "discounts", "gift_cards", "gift_card_transactions"):
        assert order[key] == []
    assert (await events("order.placed")) == [{"id": order["id"], "no_notification": None}]
    # the cart is completed, its payment authorized, the stock taken
    after = await ok(await client.get(f"/store/carts/{cid}"), "cart")
    assert after["completed_at"] is not None
    assert after["payment_authorized_at"] is not None
    assert after["payment_id"] == payment["id"]
    variant = await ok(await client.get(f"/store/variants/{shop.shirt}"), "variant")
    assert variant["inventory_quantity"] == 98


async def test_complete_answer_is_what_a_read_gives(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    # the answer's order is built from the cart and what the placement wrote (not read back):
    # it must be what reading the order gives, in a region with and without tax-inclusive
    # prices, stock managed or not, several units
    from mercato.modules.checkout.service import present_placed_order

    for region, country, variant, quantity in (
        (shop.excl, "de", shop.shirt, 2),
        (shop.incl, "fr", shop.shirt, 1),
        (shop.excl, "de", shop.mug, 3),
    ):
        cid = await ready_cart(client, region, country, variant, quantity=quantity)
        res = await client.post(f"/store/carts/{cid}/complete")
        assert res.status_code == 200, res.text
        answered = res.json()["data"]
        async with db.read_session() as tx:
            read = await present_placed_order(tx, answered["id"])
        assert answered == read, (region, variant)


async def test_complete_twice_answers_the_same_order(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt)
    first = await client.post(f"/store/carts/{cid}/complete")
    second = await client.post(f"/store/carts/{cid}/complete")
    assert first.status_code == second.status_code == 200
    assert first.headers["idempotency-key"] != second.headers["idempotency-key"]
    assert second.json() == first.json()
    assert await count(db, Order) == 1
    assert await count(db, Payment) == 1


async def test_client_key_replays_its_answer(client: httpx.AsyncClient, shop: Shop, db: Database) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt)
    headers = {"Idempotency-Key": "co-key-1"}
    first = await client.post(f"/store/carts/{cid}/complete", headers=headers)
    assert first.status_code == 200
    assert first.headers["idempotency-key"] == "co-key-1"
    again = await client.post(f"/store/carts/{cid}/complete", headers=headers)
    assert again.status_code == 200
    assert again.headers["idempotency-key"] == "co-key-1"
    assert again.json() == first.json()
    # the same key on another request replays the stored answer too
    other = await ready_cart(client, shop.excl, "de", shop.shirt)
    replay = await client.post(f"/store/carts/{other}/complete", headers=headers)
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert await count(db, Order) == 1
    async with db.read_session() as tx:
        key = (
            await tx.execute(select(IdempotencyKey).where(IdempotencyKey.idempotency_key == "co-key-1"))
        ).scalar_one()
    assert key.recovery_point == "finished"
    assert key.response_code == 200
    assert key.request_path == f"/{cid}/complete"
    assert key.response_body["data"]["cart_id"] == cid


async def test_a_completed_carts_items_and_methods_cannot_change(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop
) -> None:
    """Medusa 1.20.11: the order's shipping tax lines hold its cart's methods (a foreign key
    without cascade), so every change that replaces the methods fails with 404 "null", and the
    order keeps its items, methods and totals."""
    cid = await ready_cart(client, shop.excl, "de", shop.shirt, quantity=2)
    placed = (await ok(await client.post(f"/store/carts/{cid}/complete")))["data"]
    item = placed["items"][0]["id"]
    refused = [
        await client.post(f"/store/carts/{cid}/line-items", json={"variant_id": shop.mug, "quantity": 1}),
        await client.post(f"/store/carts/{cid}/line-items/{item}", json={"quantity": 5}),
        await client.post(f"/store/carts/{cid}/line-items/{item}", json={"quantity": 0}),
        await client.delete(f"/store/carts/{cid}/line-items/{item}"),
        await client.post(f"/store/carts/{cid}/shipping-methods", json={"option_id": shop.excl_option}),
    ]
    for res in refused:
        assert (res.status_code, res.json()) == (404, {"type": "not_found", "message": "null"})
    order = await ok(await admin.get(f"/admin/orders/{placed['id']}"), "order")
    assert [(i["id"], i["quantity"]) for i in order["items"]] == [(item, 2)]
    assert [m["id"] for m in order["shipping_methods"]] == [m["id"] for m in placed["shipping_methods"]]
    assert order["total"] == placed["total"]
    # an unknown line changes nothing, as before: Medusa answers the cart
    assert (await client.delete(f"/store/carts/{cid}/line-items/item_nope")).status_code == 200


async def test_canceling_the_order_gives_its_units_back(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    """OrderService.cancel without an inventory module: each line's quantity returns to its
    variant when managed (Medusa does it again at every repeated cancel; here only once)."""

    async def stock(variant: str) -> int:
        async with db.read_session() as tx:
            found = await tx.execute(
                select(ProductVariant.inventory_quantity).where(ProductVariant.id == variant)
            )
            return int(found.scalar_one())

    before = await stock(shop.shirt)
    cid = await ready_cart(client, shop.excl, "de", shop.shirt, quantity=3)
    order = (await ok(await client.post(f"/store/carts/{cid}/complete")))["data"]
    assert await stock(shop.shirt) == before - 3
    for _ in range(2):
        res = await admin.post(f"/admin/orders/{order['id']}/cancel")
        assert res.status_code == 200, res.text
        assert await stock(shop.shirt) == before


async def test_unknown_cart(client: httpx.AsyncClient, shop: Shop) -> None:
    res = await client.post("/store/carts/cart_nope/complete")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Cart with cart_nope was not found"}
    assert res.headers["idempotency-key"]


async def test_without_payment_session(client: httpx.AsyncClient, shop: Shop, db: Database) -> None:
    cart = await ok(await client.post("/store/carts", json={"region_id": shop.excl}), "cart")
    cid = cart["id"]
    await ok(
        await client.post(f"/store/carts/{cid}/line-items", json={"variant_id": shop.shirt, "quantity": 1})
    )
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "You cannot complete a cart without a payment session.",
    }
    assert await count(db, Order) == 0


async def test_empty_cart(client: httpx.AsyncClient, shop: Shop, db: Database) -> None:
    cart = await ok(await client.post("/store/carts", json={"region_id": shop.excl}), "cart")
    res = await client.post(f"/store/carts/{cart['id']}/complete")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Cannot create order from empty cart"}
    after = await ok(await client.get(f"/store/carts/{cart['id']}"), "cart")
    assert after["completed_at"] is None
    assert after["payment_authorized_at"] is None


async def test_insufficient_inventory_is_409_and_leaves_a_canceled_payment(
    client: httpx.AsyncClient, shop: Shop, db: Database, admin: httpx.AsyncClient
) -> None:
    # Medusa commits the authorization (a recovery point) before it checks the stock: after the
    # refusal the session stays authorized and the cart keeps the payment, canceled
    cid = await ready_cart(client, shop.excl, "de", shop.last)
    res = await admin.post(
        f"/admin/products/{shop.product}/variants/{shop.last}", json={"inventory_quantity": 0}
    )
    assert res.status_code == 200, res.text
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 409
    assert res.json() == {
        "errors": [
            {
                "message": f"Variant with id: {shop.last} does not have the required inventory",
                "type": "not_allowed",
                "code": "insufficient_inventory",
            }
        ]
    }
    assert await count(db, Order) == 0
    cart = await ok(await client.get(f"/store/carts/{cid}"), "cart")
    assert cart["completed_at"] is None
    assert cart["payment_authorized_at"] is None
    payment = cart["payment"]
    assert cart["payment_id"] == payment["id"]
    assert payment["canceled_at"] is not None
    assert payment["order_id"] is None and payment["cart_id"] == cid
    assert payment["data"] == {"status": "canceled"}
    [session] = cart["payment_sessions"]
    assert session["status"] == "authorized" and session["is_selected"] is True
    assert session["payment_authorized_at"] is not None
    assert cart["payment_session"]["status"] == "authorized"
    assert all(not i["tax_lines"] or i["tax_lines"][0].get("id") is None for i in cart["items"])
    # restocked: the same cart completes with a new payment; the canceled one stays the cart's
    res = await admin.post(
        f"/admin/products/{shop.product}/variants/{shop.last}", json={"inventory_quantity": 1}
    )
    assert res.status_code == 200, res.text
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    order = res.json()["data"]
    assert res.json()["type"] == "order"
    [placed] = order["payments"]
    assert placed["id"] != payment["id"] and placed["canceled_at"] is None
    assert await count(db, Payment, Payment.cart_id == cid) == 2
    assert await count(db, Payment, Payment.cart_id == cid, Payment.canceled_at.is_(None)) == 1


async def test_key_of_a_refusal_is_not_kept_but_409_is(
    client: httpx.AsyncClient, shop: Shop, db: Database, admin: httpx.AsyncClient
) -> None:
    # an error answer is not recorded: the same key completes once the cause is gone
    cart = await ok(await client.post("/store/carts", json={"region_id": shop.excl}), "cart")
    headers = {"Idempotency-Key": "co-key-error"}
    res = await client.post(f"/store/carts/{cart['id']}/complete", headers=headers)
    assert res.status_code == 400
    assert res.headers["idempotency-key"] == "co-key-error"
    async with db.read_session() as tx:
        found = await tx.execute(
            select(IdempotencyKey).where(IdempotencyKey.idempotency_key == "co-key-error")
        )
        assert found.first() is None
    # a 409 is an answer (Medusa records it): the same key replays it
    cid = await ready_cart(client, shop.excl, "de", shop.last)
    variant_path = f"/admin/products/{shop.product}/variants/{shop.last}"
    await ok(await admin.post(variant_path, json={"inventory_quantity": 0}))
    headers = {"Idempotency-Key": "co-key-409"}
    first = await client.post(f"/store/carts/{cid}/complete", headers=headers)
    assert first.status_code == 409
    await ok(await admin.post(variant_path, json={"inventory_quantity": 5}))
    again = await client.post(f"/store/carts/{cid}/complete", headers=headers)
    assert again.status_code == 409
    assert again.json() == first.json()
    # without the key the cart completes
    fresh = await client.post(f"/store/carts/{cid}/complete")
    assert fresh.status_code == 200, fresh.text


async def test_complete_cart_alias_places_and_replays_the_order(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt)
    res = await client.post(f"/store/carts/{cid}/complete-cart")
    assert res.status_code == 200, res.text
    assert res.json()["type"] == "order"
    order = res.json()["data"]
    again = await client.post(f"/store/carts/{cid}/complete")
    assert again.status_code == 200 and again.json()["data"]["id"] == order["id"]
    missing = await client.post("/store/carts/cart_missing/complete-cart")
    assert missing.status_code == 404
