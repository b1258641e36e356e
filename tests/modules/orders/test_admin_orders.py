"""Admin orders: read, list, update, complete, archive, cancel, capture, refund, shipping methods."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
from sqlalchemy import select, update

from mercato.core import refcache
from mercato.db.session import Database
from mercato.modules.carts.models import ShippingMethod
from mercato.modules.orders.models import Fulfillment, Order, Payment, Refund
from mercato.modules.shipping.models import ShippingOption
from tests.conftest import Events
from tests.modules.orders.helpers import build_order, row
from tests.statements import counting

# ---- GET /admin/orders/:id ---------------------------------------------------------------------


async def test_get_order_with_default_relations_and_totals(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    res = await admin.get(f"/admin/orders/{built.order_id}")
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert "object" not in order
    assert order["id"] == built.order_id
    assert (order["status"], order["payment_status"], order["fulfillment_status"]) == (
        "pending",
        "captured",
        "not_fulfilled",
    )
    # Medusa's default fields leave these columns out
    for hidden in ("billing_address_id", "shipping_address_id", "external_id", "idempotency_key"):
        assert hidden not in order
    for rel in ("claims", "swaps", "returns", "fulfillments", "refunds", "discounts", "gift_cards"):
        assert order[rel] == []
    assert order["billing_address"] is None
    assert order["shipping_address"]["first_name"] == "Ada"
    assert order["customer"]["id"] == built.customer_id
    assert order["region"]["id"] == built.region_id
    assert order["sales_channel"]["name"] == "Default Sales Channel"
    # Shirt 3 x 1000 and Mug 2 x 500 at 10 %, shipping 1000 at 10 %
    assert order["subtotal"] == 4000
    assert order["shipping_total"] == 1000
    assert order["item_tax_total"] == 400
    assert order["shipping_tax_total"] == 100
    assert order["tax_total"] == 500
    assert order["discount_total"] == 0
    assert order["gift_card_total"] == 0
    assert order["total"] == 5500
    assert order["paid_total"] == 5500
    assert order["refunded_total"] == 0
    assert order["refundable_amount"] == 5500
    shirt = next(i for i in order["items"] if i["title"] == "Shirt")
    assert (shirt["subtotal"], shirt["tax_total"], shirt["total"], shirt["refundable"]) == (
        3000,
        300,
        3300,
        3300,
    )
    assert shirt["tax_lines"][0]["rate"] == 10
    assert shirt["adjustments"] == []
    method = order["shipping_methods"][0]
    assert (method["subtotal"], method["tax_total"], method["total"]) == (1000, 100, 1100)
    assert method["shipping_option"]["id"] == built.option_id
    assert method["tax_lines"][0]["rate"] == 10
    assert order["payments"][0]["provider_id"] == "system"


async def test_real_tax_rates_read_as_javascript_reads_them(admin: httpx.AsyncClient, db: Database) -> None:
    """Tax rates are PostgreSQL `real`: 7.7 is stored as 7.699999809…; Medusa prints 7.7 and its
    totals use 7.7 (500 x 7.7 % = 38.5 rounds up to 39, not down to 38)."""
    built = await build_order(db, items=[("Pin", 500, 1)], tax_rate=7.7)
    res = await admin.get(f"/admin/orders/{built.order_id}")
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    item = order["items"][0]
    assert item["tax_lines"][0]["rate"] == 7.7
    assert order["shipping_methods"][0]["tax_lines"][0]["rate"] == 7.7
    assert (item["subtotal"], item["tax_total"], item["total"]) == (500, 39, 539)
    assert (order["item_tax_total"], order["shipping_tax_total"], order["tax_total"]) == (39, 77, 116)
    assert order["total"] == 500 + 1000 + 116
    # the admin routes' cleanResponseData drops raw_discount_total (checked on Medusa 1.20)
    assert "raw_discount_total" not in item
    assert "raw_discount_total" not in order
    listed = await admin.get("/admin/orders", params={"id": built.order_id, "fields": "id,total,tax_total"})
    assert listed.status_code == 200, listed.text
    (row_,) = listed.json()["orders"]
    assert (row_["total"], row_["tax_total"]) == (1616, 116)
    assert row_["items"][0]["tax_lines"][0]["rate"] == 7.7


async def test_get_order_with_an_adjustment(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db, adjustment=300)
    order = (await admin.get(f"/admin/orders/{built.order_id}")).json()["order"]
    shirt = next(i for i in order["items"] if i["title"] == "Shirt")
    assert shirt["discount_total"] == 300
    assert shirt["tax_total"] == 270
    assert order["discount_total"] == 300
    assert order["total"] == 4000 - 300 + 1000 + 370 + 100


async def test_get_order_fields_and_expand(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    order = (await admin.get(f"/admin/orders/{built.order_id}?fields=id,email,total")).json()["order"]
    assert order["email"] == "ord-buyer@example.com"
    assert "status" not in order and "customer_id" not in order
    # a retrieve decorates every total whatever `fields` says (Medusa)
    assert (order["total"], order["subtotal"]) == (5500, 4000)
    order = (await admin.get(f"/admin/orders/{built.order_id}?expand=customer")).json()["order"]
    assert set(order) >= {"customer", "items", "swaps", "claims", "total"}
    assert "region" not in order and "payments" not in order
    # items not expanded: cleanResponseData keeps defaultAdminOrdersFields' items.refundable
    assert order["items"] and all(set(i) == {"refundable"} for i in order["items"])
    order = (await admin.get(f"/admin/orders/{built.order_id}?expand=items.variant")).json()["order"]
    assert all(set(i) == {"refundable", "variant"} for i in order["items"])
    order = (await admin.get(f"/admin/orders/{built.order_id}?expand=items")).json()["order"]
    assert all({"title", "tax_lines", "variant", "refundable", "total"} <= set(i) for i in order["items"])
    # Region's tax_rates are an expandable relation (Mercato answered 400 before)
    res = await admin.get(f"/admin/orders/{built.order_id}?expand=region,region.tax_rates&fields=id")
    assert res.status_code == 200, res.text
    assert isinstance(res.json()["order"]["region"]["tax_rates"], list)
    # an action's answer is not cleaned (cleanResponseData(order, [])): every loaded relation
    # shows, and naming a total keeps tax_rate
    res = await admin.post(f"/admin/orders/{built.order_id}?expand=region", json={})
    order = res.json()["order"]
    assert {"region", "payments", "refunds", "shipping_methods", "discounts", "gift_cards"} <= set(order)
    assert "title" in order["items"][0]
    res = await admin.post(f"/admin/orders/{built.order_id}?fields=id,total", json={})
    assert "tax_rate" in res.json()["order"] and "email" not in res.json()["order"]


async def test_get_order_unknown_and_unauthenticated(
    admin: httpx.AsyncClient, client: httpx.AsyncClient, db: Database
) -> None:
    # totals selected (the default, or named in `fields`): Medusa's retrieveLegacy words it
    for query in ("", "?fields=id,total", "?expand=items"):
        res = await admin.get(f"/admin/orders/order_missing{query}")
        assert res.status_code == 404
        assert res.json() == {"type": "not_found", "message": "Order with id: order_missing was not found"}
    res = await admin.get("/admin/orders/order_missing?fields=id,email")
    assert res.json() == {"type": "not_found", "message": "Order with id order_missing was not found"}
    res = await admin.get("/admin/orders/order_missing?foo=1")
    assert res.status_code == 400
    assert res.json()["message"] == "property foo should not exist"
    del client.headers["Authorization"]
    res = await client.get("/admin/orders/order_missing")
    assert res.status_code == 401
    assert res.text == "Unauthorized"


# ---- GET /admin/orders ----------------------------------------------------------------------------


async def test_list_orders_filters(admin: httpx.AsyncClient, db: Database) -> None:
    first = await build_order(db, email="ord-one@example.com", first_name="Grace")
    second = await build_order(db, email="ord-two@example.com", captured=False)
    async with db.write_session() as tx:
        await tx.execute(update(Order).where(Order.id == second.order_id).values(status="completed"))
        await tx.commit()

    async def ids(query: str) -> list[str]:
        res = await admin.get(f"/admin/orders?{query}")
        assert res.status_code == 200, res.text
        return [o["id"] for o in res.json()["orders"]]

    body = (await admin.get("/admin/orders")).json()
    assert (body["count"], body["offset"], body["limit"]) == (2, 0, 50)
    # newest first
    assert [o["id"] for o in body["orders"]] == [second.order_id, first.order_id]
    # the list's default fields select no order totals; items carry only `refundable` (Medusa)
    listed = body["orders"][0]
    assert "total" not in listed and "subtotal" not in listed
    shirt = next(i for i in listed["items"] if i["title"] == "Shirt")
    assert shirt["refundable"] == 3300 and "subtotal" not in shirt
    assert "total" not in listed["shipping_methods"][0]
    with_totals = (await admin.get("/admin/orders?fields=id,total,subtotal")).json()["orders"][0]
    assert (with_totals["total"], with_totals["subtotal"]) == (5500, 4000)
    assert set(with_totals) >= {"id", "created_at", "items", "region"}
    assert "status" not in with_totals
    # named totals go through decorateTotalsLegacy (checked against Medusa 1.20.11): only those,
    # the items' totals for subtotal/total (with raw_discount_total: `fields` keeps it), their
    # `refundable` only when named, and no shipping method totals
    shirt = next(i for i in with_totals["items"] if i["title"] == "Shirt")
    assert (shirt["subtotal"], shirt["raw_discount_total"]) == (3000, 0) and "refundable" not in shirt
    assert "discount_total" not in with_totals and "total" not in with_totals["shipping_methods"][0]
    listed = (await admin.get("/admin/orders?fields=id,tax_total,items.refundable")).json()["orders"][0]
    shirt = next(i for i in listed["items"] if i["title"] == "Shirt")
    assert shirt["refundable"] == 3300 and "subtotal" not in shirt
    # fields naming no total: every total is decorated
    listed = (await admin.get("/admin/orders?fields=id,email")).json()["orders"][0]
    assert (listed["total"], listed["paid_total"], listed["email"]) == (5500, 5500, "ord-two@example.com")
    shirt = next(i for i in listed["items"] if i["title"] == "Shirt")
    assert (shirt["subtotal"], shirt["refundable"], shirt["raw_discount_total"]) == (3000, 3300, 0)
    assert listed["shipping_methods"][0]["total"] == 1100
    # with `fields`, the expanded relations only (no swaps/claims added)
    listed = (await admin.get("/admin/orders?fields=id,email&expand=items")).json()["orders"][0]
    assert "items" in listed and "swaps" not in listed and "claims" not in listed
    assert await ids("status[]=completed") == [second.order_id]
    assert await ids("status[]=pending&status[]=completed") == [second.order_id, first.order_id]
    assert await ids("payment_status[]=awaiting") == [second.order_id]
    assert await ids("fulfillment_status[]=shipped") == []
    assert await ids("email=ord-one@example.com") == [first.order_id]
    assert await ids("q=grace") == [first.order_id]
    assert await ids("q=ORD-TWO") == [second.order_id]
    assert await ids(f"customer_id={first.customer_id}") == [first.order_id]
    assert await ids(f"region_id={first.region_id}") == [second.order_id, first.order_id]
    assert await ids("region_id[]=reg_nope") == []
    assert await ids("currency_code=usd") == []
    first_row = await row(db, Order, first.order_id)
    assert await ids(f"display_id={first_row.display_id}") == [first.order_id]
    assert await ids(f"id={first.order_id}") == [first.order_id]
    assert await ids("created_at[gt]=2000-01-01T00:00:00Z") == [second.order_id, first.order_id]
    assert await ids("created_at[lt]=2000-01-01T00:00:00Z") == []
    # any text JavaScript's Date takes, as Medusa's own tests send it; a bare number up to
    # 275760 is a year there, not seconds
    assert await ids("created_at[gt]=01-26-1990") == [second.order_id, first.order_id]
    assert await ids("created_at[gt]=2999") == []
    assert await ids("created_at[lt]=Jan%2026%202000") == []
    assert await ids("canceled_at[gt]=2000-01-01T00:00:00Z") == []
    assert await ids("sales_channel_id[]=sc_nope") == []
    assert await ids("order=created_at") == [first.order_id, second.order_id]
    page = (await admin.get("/admin/orders?limit=1&offset=1")).json()
    assert (page["count"], len(page["orders"]), page["orders"][0]["id"]) == (2, 1, first.order_id)


async def test_list_orders_bad_input(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.get("/admin/orders?status[]=bogus")
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "each value in status must be one of the following values: "
        "pending, completed, archived, canceled, requires_action",
    }
    res = await admin.get("/admin/orders?status=pending")
    assert res.json()["message"] == "status must be an array"
    # the list's own enums (types/orders.ts), in their order, as Medusa 1.20.11 answers
    res = await admin.get("/admin/orders?payment_status[]=bogus&fulfillment_status[]=bad")
    assert res.json()["message"] == (
        "each value in fulfillment_status must be one of the following values: not_fulfilled, "
        "fulfilled, partially_fulfilled, shipped, partially_shipped, canceled, returned, "
        "partially_returned, requires_action, each value in payment_status must be one of the "
        "following values: captured, awaiting, not_paid, refunded, partially_refunded, canceled, "
        "requires_action"
    )
    res = await admin.get("/admin/orders?foo=1")
    assert (res.status_code, res.json()["message"]) == (400, "property foo should not exist")


async def test_list_orders_runs_a_bounded_number_of_queries(admin: httpx.AsyncClient, db: Database) -> None:
    async def statements() -> tuple[int, int]:
        refcache.invalidate()  # every measurement reads its caller (and the rest) afresh
        async with counting(db, outbox=True) as seen:
            res = await admin.get("/admin/orders?limit=20")
        assert res.status_code == 200
        selects = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        return len(res.json()["orders"]), len(selects)

    # two orders, not one: on PostgreSQL a single row's tree is read in one statement
    for _ in range(2):
        await build_order(db)
    few, few_queries = await statements()
    for _ in range(4):
        await build_order(db)
    many, many_queries = await statements()
    assert (few, many) == (2, 6)
    assert few_queries == many_queries
    # auth, count, page ids, the orders with their single relations joined, one per collection
    assert many_queries <= 25


# ---- POST /admin/orders/:id ---------------------------------------------------------------------


async def test_update_order(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    built = await build_order(db)
    res = await admin.post(
        f"/admin/orders/{built.order_id}",
        json={
            "email": "ord-new@example.com",
            "shipping_address": {"first_name": "Bea", "country_code": "FR", "city": "Paris"},
            "billing_address": {
                "first_name": "Cid",
                "last_name": "X",
                "country_code": "de",
                "metadata": {"a": 1},
            },
        },
    )
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["object"] == "order"
    assert order["email"] == "ord-new@example.com"
    assert order["shipping_address"]["first_name"] == "Bea"
    assert order["shipping_address"]["country_code"] == "fr"
    assert order["shipping_address"]["address_1"] == "1 Main"
    assert order["billing_address"]["first_name"] == "Cid"
    assert order["billing_address"]["metadata"] == {"a": 1}
    assert await events("order.updated") == [{"id": built.order_id, "no_notification": None}]


async def test_update_order_refusals(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    url = f"/admin/orders/{built.order_id}"
    res = await admin.post(url, json={"shipping_address": {"country_code": "us"}})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Shipping country must be in the order region"}
    res = await admin.post(url, json={"email": "nope"})
    assert (res.status_code, res.json()["message"]) == (400, "email must be an email")
    # null passes the optional check and reaches the NOT NULL column (Medusa 1.20.11)
    res = await admin.post(url, json={"email": None})
    assert (res.status_code, res.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": "Can't insert null value in field email on insert in table order",
        },
    )
    res = await admin.post(url, json={"status": "completed"})
    assert (res.status_code, res.json()["message"]) == (400, "property status should not exist")
    res = await admin.post(url, json={"items": [{"title": "x", "unit_price": 1, "quantity": 1}]})
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Can't update shipping, billing, items and payment method when order is processed",
    }
    res = await admin.post("/admin/orders/order_missing", json={"email": "a@b.co"})
    assert res.status_code == 404
    async with db.write_session() as tx:
        await tx.execute(update(Order).where(Order.id == built.order_id).values(status="canceled"))
        await tx.commit()
    res = await admin.post(url, json={"email": "ord-x@example.com"})
    assert res.json() == {"type": "not_allowed", "message": "A canceled order cannot be updated"}
    assert (await row(db, Order, built.order_id)).email == "ord-buyer@example.com"


# ---- complete / archive ---------------------------------------------------------------------------


async def test_complete_then_archive(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    built = await build_order(db)
    res = await admin.post(f"/admin/orders/{built.order_id}/archive")
    assert res.status_code == 400
    assert res.json() == {"type": "not_allowed", "message": "Can't archive an unprocessed order"}
    assert (await row(db, Order, built.order_id)).status == "pending"
    res = await admin.post(f"/admin/orders/{built.order_id}/complete")
    assert res.status_code == 200
    assert res.json()["order"]["status"] == "completed"
    assert await events("order.completed") == [{"id": built.order_id, "no_notification": None}]
    res = await admin.post(f"/admin/orders/{built.order_id}/archive")
    assert res.status_code == 200
    assert res.json()["order"]["status"] == "archived"
    res = await admin.post("/admin/orders/order_missing/complete")
    assert res.status_code == 404


async def test_canceled_order_refuses_every_action(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    res = await admin.post(f"/admin/orders/{built.order_id}/cancel")
    assert res.status_code == 200
    before = (await admin.get(f"/admin/orders/{built.order_id}")).json()["order"]
    refusals = {
        "complete": (None, "A canceled order cannot be completed"),
        "archive": (None, "Can't archive an unprocessed order"),
        "capture": (None, "A canceled order cannot capture payment"),
        "refund": ({"amount": 100, "reason": "other"}, "A canceled order cannot be refunded"),
        "fulfillment": (
            {"items": [{"item_id": built.item_ids[0], "quantity": 1}]},
            "A canceled order cannot be fulfilled",
        ),
        "shipping-methods": (
            {"price": 10, "option_id": built.option_id},
            "A shipping method cannot be added to a canceled order",
        ),
    }
    for action, (body, message) in refusals.items():
        res = await admin.post(f"/admin/orders/{built.order_id}/{action}", json=body)
        assert res.status_code == 400, action
        assert res.json() == {"type": "not_allowed", "message": message}
    after = (await admin.get(f"/admin/orders/{built.order_id}")).json()["order"]
    assert after == before


# ---- cancel ---------------------------------------------------------------------------------------


async def test_cancel_order(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    built = await build_order(db)
    res = await admin.post(f"/admin/orders/{built.order_id}/cancel")
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert (order["status"], order["payment_status"], order["fulfillment_status"]) == (
        "canceled",
        "canceled",
        "canceled",
    )
    assert order["canceled_at"] is not None
    assert order["payments"][0]["canceled_at"] is not None
    assert await events("order.canceled") == [{"id": built.order_id, "no_notification": None}]
    res = await admin.post("/admin/orders/order_missing/cancel")
    assert res.status_code == 404


async def test_cancel_refused_with_fulfillments_or_refunds(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    res = await admin.post(
        f"/admin/orders/{built.order_id}/fulfillment",
        json={"items": [{"item_id": built.item_ids[0], "quantity": 1}]},
    )
    assert res.status_code == 200
    res = await admin.post(f"/admin/orders/{built.order_id}/cancel")
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "All fulfillments must be canceled before canceling an order",
    }
    assert (await row(db, Order, built.order_id)).status == "pending"

    other = await build_order(db)
    res = await admin.post(f"/admin/orders/{other.order_id}/refund", json={"amount": 100, "reason": "other"})
    assert res.status_code == 200
    res = await admin.post(f"/admin/orders/{other.order_id}/cancel")
    assert res.json() == {"type": "not_allowed", "message": "Order with refund(s) cannot be canceled"}
    saved = await row(db, Order, other.order_id)
    assert (saved.status, saved.payment_status, saved.canceled_at) == ("pending", "partially_refunded", None)


# ---- capture --------------------------------------------------------------------------------------


async def test_capture_payment(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    built = await build_order(db, captured=False)
    res = await admin.post(f"/admin/orders/{built.order_id}/capture")
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["payment_status"] == "captured"
    assert order["payments"][0]["captured_at"] is not None
    assert await events("order.payment_captured") == [{"id": built.order_id, "no_notification": None}]
    # capturing again changes nothing
    res = await admin.post(f"/admin/orders/{built.order_id}/capture")
    assert res.json()["order"]["payment_status"] == "captured"
    assert res.json()["order"]["payments"][0]["captured_at"] == order["payments"][0]["captured_at"]


# ---- refund ---------------------------------------------------------------------------------------


async def test_refund_partial_then_full(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    built = await build_order(db)
    url = f"/admin/orders/{built.order_id}/refund"
    res = await admin.post(url, json={"amount": 1000, "reason": "other", "note": "n1"})
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["payment_status"] == "partially_refunded"
    assert (order["refunded_total"], order["refundable_amount"], order["paid_total"]) == (1000, 4500, 5500)
    assert order["refunds"][0]["note"] == "n1"
    assert order["payments"][0]["amount_refunded"] == 1000
    refund_id = order["refunds"][0]["id"]
    assert await events("order.refund_created") == [
        {"id": built.order_id, "refund_id": refund_id, "no_notification": None}
    ]

    res = await admin.post(url, json={"amount": 4501, "reason": "other"})
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Cannot refund more than the original order amount",
    }
    async with db.read_session() as tx:
        assert len((await tx.execute(select(Refund))).scalars().all()) == 1

    res = await admin.post(url, json={"amount": 4500, "reason": "discount", "no_notification": True})
    assert res.status_code == 200
    order = res.json()["order"]
    assert (order["payment_status"], order["refundable_amount"]) == ("refunded", 0)
    assert (await events("order.refund_created"))[-1]["no_notification"] is True


async def test_refund_bad_input(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    url = f"/admin/orders/{built.order_id}/refund"
    res = await admin.post(url)
    assert res.status_code == 400
    assert res.json()["message"] == (
        "amount should not be empty, amount must be an integer number, "
        "reason should not be empty, reason must be a string"
    )
    res = await admin.post(url, json={"amount": 1.5, "reason": "other"})
    assert res.json()["message"] == "amount must be an integer number"
    res = await admin.post(url, json={"amount": -5, "reason": "other"})
    assert res.json() == {"type": "invalid_data", "message": "amount must not be less than 0"}
    res = await admin.post(url, json={"amount": 100, "reason": "bogus"})
    assert res.status_code == 400
    assert res.json()["type"] == "invalid_data"
    payment = await row(db, Payment, built.payment_id or "")
    assert payment.amount_refunded == 0


# ---- shipping methods -------------------------------------------------------------------------------


async def test_add_shipping_method_replaces_the_same_profile(
    admin: httpx.AsyncClient, db: Database, events: Events
) -> None:
    built = await build_order(db)
    url = f"/admin/orders/{built.order_id}/shipping-methods"
    res = await admin.post(url, json={"price": 250, "option_id": built.option_id, "data": {"x": 1}})
    assert res.status_code == 200, res.text
    methods = res.json()["order"]["shipping_methods"]
    assert [(m["price"], m["data"]) for m in methods] == [(250, {"x": 1})]
    assert res.json()["order"]["shipping_total"] == 250
    async with db.read_session() as tx:
        assert (
            await tx.execute(select(ShippingMethod).where(ShippingMethod.id == built.shipping_method_id))
        ).first() is None
    assert {"id": built.order_id} in await events("order.updated")

    res = await admin.post(url, json={"price": 250, "option_id": "so_missing"})
    assert res.status_code == 404
    assert res.json()["message"] == "Shipping Option with so_missing was not found"
    res = await admin.post(url, json={"option_id": built.option_id})
    assert res.status_code == 400
    assert res.json()["message"] == "price should not be empty, price must be an integer number"


async def test_add_shipping_method_keeps_other_profiles(admin: httpx.AsyncClient, db: Database) -> None:
    from mercato.modules.shipping.models import ShippingProfile

    built = await build_order(db)
    async with db.write_session() as tx:
        profile = ShippingProfile(name="ord-gifts", type="custom")
        tx.add(profile)
        await tx.flush()
        option = ShippingOption(
            name="ord-gift-wrap",
            region_id=built.region_id,
            profile_id=profile.id,
            provider_id="manual",
            price_type="flat_rate",
            amount=100,
            data={},
        )
        tx.add(option)
        await tx.commit()
        option_id = option.id
    res = await admin.post(
        f"/admin/orders/{built.order_id}/shipping-methods", json={"price": 100, "option_id": option_id}
    )
    assert res.status_code == 200
    assert sorted(m["price"] for m in res.json()["order"]["shipping_methods"]) == [100, 1000]


async def test_actions_keep_data_when_order_unknown(admin: httpx.AsyncClient, db: Database) -> None:
    for action in ("complete", "archive", "cancel", "capture"):
        res = await admin.post(f"/admin/orders/order_missing/{action}")
        assert res.status_code == 404
        assert res.json() == {"type": "not_found", "message": "Order with id order_missing was not found"}
    res = await admin.get("/admin/orders?limit=-1")
    assert (res.status_code, res.json()) == (
        400,
        {"type": "invalid_data", "message": "limit must not be less than 0"},
    )
    # createRefund reads through retrieveWithTotals (retrieveLegacy): "id: <id>"
    res = await admin.post("/admin/orders/order_missing/refund", json={"amount": 1, "reason": "other"})
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Order with id: order_missing was not found"},
    )
    async with db.read_session() as tx:
        assert (await tx.execute(select(Fulfillment))).first() is None
    assert datetime.datetime  # keep the import for helpers typing


async def test_refund_of_an_uncaptured_payment_is_refused(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db, captured=False)
    res = await admin.post(f"/admin/orders/{built.order_id}/refund", json={"amount": 100, "reason": "other"})
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Refund amount is greater that the refundable amount",
    }
    saved = await row(db, Order, built.order_id)
    assert saved.payment_status == "awaiting"


async def test_update_adds_items_to_an_unprocessed_order(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db, captured=False)
    res = await admin.post(
        f"/admin/orders/{built.order_id}",
        json={"items": [{"title": "Extra", "unit_price": 1, "quantity": 1}]},
    )
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert sorted(i["title"] for i in order["items"]) == ["Extra", "Mug", "Shirt"]
    assert order["subtotal"] == 4001


async def test_parallel_refunds_never_exceed_the_refundable_amount(
    admin: httpx.AsyncClient, db: Database
) -> None:
    import asyncio

    built = await build_order(db)
    half = 5500 // 2
    results = await asyncio.gather(
        *(
            admin.post(f"/admin/orders/{built.order_id}/refund", json={"amount": half, "reason": "other"})
            for _ in range(10)
        )
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) == 2, [r.text for r in results if r.status_code != 200]
    assert all(s == 400 for s in statuses if s != 200)
    async with db.read_session() as tx:
        refunds = (await tx.execute(select(Refund).where(Refund.order_id == built.order_id))).scalars().all()
        payment = (await tx.execute(select(Payment).where(Payment.id == built.payment_id))).scalar_one()
    assert sum(r.amount for r in refunds) == 2 * half
    assert payment.amount_refunded == 2 * half
    saved = await row(db, Order, built.order_id)
    assert saved.payment_status == "refunded"


async def test_update_order_customer_region_discounts(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    other = await build_order(db, email="ord-other@example.com")
    url = f"/admin/orders/{built.order_id}"
    res = await admin.post(url, json={"customer_id": "cus_missing"})
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Customer with customer_id cus_missing does not exist.",
    }
    res = await admin.post(url, json={"region": "reg_x"})
    assert res.status_code == 400
    assert res.json()["message"] == "Can't insert null value in field region_id on insert in table order"
    res = await admin.post(url, json={"discounts": [{"code": "X"}]})
    assert res.json()["message"] == "Can't insert null value in field id on insert in table discount"
    res = await admin.post(url, json={"customer_id": other.customer_id, "discounts": []})
    assert res.status_code == 200
    assert res.json()["order"]["customer"]["email"] == "ord-other@example.com"


async def test_actions_need_authentication(client: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    for path in ("", "/complete", "/archive", "/cancel", "/capture", "/refund", "/fulfillment", "/shipment"):
        res = await client.post(f"/admin/orders/{built.order_id}{path}", json={})
        assert (res.status_code, res.text) == (401, "Unauthorized"), path
    res = await client.get("/admin/orders")
    assert res.status_code == 401
    assert (await row(db, Order, built.order_id)).status == "pending"


async def test_failed_capture_requires_action(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    from mercato.providers.payment import ManualPaymentProvider
    from mercato.providers.registry import payment_registry

    class Failing(ManualPaymentProvider):
        identifier = "ord-failing"

        async def capture_payment(self, payment_data: dict[str, Any]) -> dict[str, Any]:
            raise RuntimeError("card declined")

    payment_registry().register(Failing())
    try:
        built = await build_order(db, captured=False)
        async with db.write_session() as tx:
            await tx.execute(
                update(Payment).where(Payment.id == built.payment_id).values(provider_id="ord-failing")
            )
            await tx.commit()
        res = await admin.post(f"/admin/orders/{built.order_id}/capture")
        assert res.status_code == 200, res.text
        order = res.json()["order"]
        assert order["payment_status"] == "requires_action"
        assert order["payments"][0]["captured_at"] is None
        assert await events("order.payment_captured") == []
        failed = await events("order.payment_capture_failed")
        assert [(e["id"], e["payment_id"]) for e in failed] == [(built.order_id, built.payment_id)]
    finally:
        payment_registry().unregister("ord-failing")
