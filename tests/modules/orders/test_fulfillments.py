"""Fulfillments and shipments: partial fulfil -> ship -> fulfil the rest -> ship, and refusals."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.carts.models import LineItem
from mercato.modules.orders.models import Fulfillment, Order
from tests.conftest import Events
from tests.modules.orders.helpers import build_order, row


def _quantities(order: dict) -> dict[str, tuple[int, int | None, int | None]]:
    return {
        i["title"]: (i["quantity"], i["fulfilled_quantity"], i["shipped_quantity"]) for i in order["items"]
    }


async def test_partial_fulfil_ship_fulfil_rest_ship(
    admin: httpx.AsyncClient, db: Database, events: Events
) -> None:
    built = await build_order(db)
    shirt, mug = built.item_ids
    base = f"/admin/orders/{built.order_id}"

    # fulfil one shirt
    res = await admin.post(f"{base}/fulfillment", json={"items": [{"item_id": shirt, "quantity": 1}]})
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["object"] == "order"
    assert order["fulfillment_status"] == "partially_fulfilled"
    assert _quantities(order) == {"Shirt": (3, 1, None), "Mug": (2, None, None)}
    (first,) = order["fulfillments"]
    assert first["provider_id"] == "manual"
    assert first["data"] == {}
    assert first["items"] == [{"fulfillment_id": first["id"], "item_id": shirt, "quantity": 1}]
    assert first["shipped_at"] is None and first["canceled_at"] is None
    assert await events("order.fulfillment_created") == [
        {"id": built.order_id, "fulfillment_id": first["id"], "no_notification": None}
    ]

    # ship it with two tracking numbers
    res = await admin.post(
        f"{base}/shipment", json={"fulfillment_id": first["id"], "tracking_numbers": ["T1", "T2"]}
    )
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["fulfillment_status"] == "partially_shipped"
    assert _quantities(order) == {"Shirt": (3, 1, 1), "Mug": (2, None, None)}
    shipped = order["fulfillments"][0]
    assert shipped["shipped_at"] is not None
    assert sorted(t["tracking_number"] for t in shipped["tracking_links"]) == ["T1", "T2"]
    assert shipped["tracking_links"][0]["fulfillment_id"] == first["id"]
    assert await events("order.shipment_created") == [
        {"id": built.order_id, "fulfillment_id": first["id"], "no_notification": None}
    ]

    # shipping it again: Medusa's save would orphan its tracking links (fulfillment_id NOT NULL)
    for again in ({"tracking_numbers": ["T3"]}, {}):
        res = await admin.post(f"{base}/shipment", json={"fulfillment_id": first["id"], **again})
        assert (res.status_code, res.json()) == (
            400,
            {
                "type": "invalid_data",
                "message": "Can't insert null value in field fulfillment_id on insert in table tracking_link",
            },
        )
    res = await admin.get(base)
    assert _quantities(res.json()["order"]) == {"Shirt": (3, 1, 1), "Mug": (2, None, None)}

    # a shipped fulfillment cannot be canceled
    res = await admin.post(f"{base}/fulfillments/{first['id']}/cancel")
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled",
    }

    # more than what is left is refused, nothing changes
    res = await admin.post(f"{base}/fulfillment", json={"items": [{"item_id": shirt, "quantity": 3}]})
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Cannot fulfill more items than have been purchased",
    }
    assert (await row(db, LineItem, shirt)).fulfilled_quantity == 1

    # fulfil the rest (metadata kept; a JSON boolean no_notification is dropped, as Medusa's mapper does)
    res = await admin.post(
        f"{base}/fulfillment",
        json={
            "items": [{"item_id": shirt, "quantity": 2}, {"item_id": mug, "quantity": 2}],
            "metadata": {"k": "v"},
            "no_notification": True,
        },
    )
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["fulfillment_status"] == "fulfilled"
    assert _quantities(order) == {"Shirt": (3, 3, 1), "Mug": (2, 2, None)}
    second = order["fulfillments"][1]
    assert second["metadata"] == {"k": "v"}
    assert second["no_notification"] is None

    # ship the rest
    res = await admin.post(f"{base}/shipment", json={"fulfillment_id": second["id"]})
    assert res.status_code == 200
    order = res.json()["order"]
    assert order["fulfillment_status"] == "shipped"
    assert _quantities(order) == {"Shirt": (3, 3, 3), "Mug": (2, 2, 2)}
    assert order["fulfillments"][1]["tracking_links"] == []
    # totals are unaffected by fulfilment
    assert (order["total"], order["payment_status"]) == (5500, "captured")


async def test_cancel_fulfillment(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    built = await build_order(db)
    shirt, _ = built.item_ids
    base = f"/admin/orders/{built.order_id}"
    res = await admin.post(f"{base}/fulfillment", json={"items": [{"item_id": shirt, "quantity": 2}]})
    ful = res.json()["order"]["fulfillments"][0]["id"]
    res = await admin.post(f"{base}/fulfillments/{ful}/cancel")
    assert res.status_code == 200, res.text
    order = res.json()["order"]
    assert order["fulfillment_status"] == "canceled"
    assert order["fulfillments"][0]["canceled_at"] is not None
    assert _quantities(order)["Shirt"] == (3, 0, None)
    assert await events("order.fulfillment_canceled") == [
        {"id": built.order_id, "fulfillment_id": ful, "no_notification": None}
    ]
    # a canceled fulfillment cannot be shipped
    res = await admin.post(f"{base}/shipment", json={"fulfillment_id": ful})
    assert res.status_code == 400
    assert res.json() == {"type": "not_allowed", "message": "Fulfillment has been canceled"}
    # the order can now be canceled
    res = await admin.post(f"{base}/cancel")
    assert res.status_code == 200
    assert res.json()["order"]["status"] == "canceled"


async def test_fulfillment_refusals_and_bad_input(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    other = await build_order(db)
    base = f"/admin/orders/{built.order_id}"
    res = await admin.post(f"{base}/fulfillment", json={})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "items must be an array"}
    res = await admin.post(f"{base}/fulfillment", json={"items": [{"item_id": "x", "quantity": 1.5}]})
    assert res.json()["message"] == "quantity must be an integer number"
    res = await admin.post(f"{base}/fulfillment", json={"items": [{"quantity": 1}]})
    assert res.json()["message"] == "item_id should not be empty, item_id must be a string"
    res = await admin.post("/admin/orders/order_missing/fulfillment", json={"items": []})
    assert res.status_code == 404

    res = await admin.post(f"{base}/shipment", json={})
    assert res.json()["message"] == "fulfillment_id should not be empty, fulfillment_id must be a string"
    res = await admin.post(f"{base}/shipment", json={"fulfillment_id": "ful_missing"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Fulfillment with id: ful_missing was not found"}
    res = await admin.post(f"{base}/shipment", json={"fulfillment_id": "f", "tracking_numbers": [1]})
    assert res.json()["message"] == "each value in tracking_numbers must be a string"

    res = await admin.post(
        f"/admin/orders/{other.order_id}/fulfillment",
        json={"items": [{"item_id": other.item_ids[0], "quantity": 1}]},
    )
    other_ful = res.json()["order"]["fulfillments"][0]["id"]
    res = await admin.post(f"{base}/fulfillments/{other_ful}/cancel")
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": f"no fulfillment was found with the id: {other_ful} related to order: {built.order_id}",
    }
    res = await admin.post(f"{base}/fulfillments/ful_missing/cancel")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Fulfillment with id: ful_missing was not found"}
    res = await admin.post(f"{base}/shipment", json={"fulfillment_id": other_ful})
    assert res.json() == {"type": "not_found", "message": "Could not find fulfillment"}
    # an unknown item is let through (Medusa: webhooks may send items it does not know)
    res = await admin.post(
        f"/admin/orders/{other.order_id}/fulfillment", json={"items": [{"item_id": "x", "quantity": 1}]}
    )
    assert res.status_code == 200
    assert res.json()["order"]["fulfillments"][1]["items"] == []
    async with db.read_session() as tx:
        assert (
            await tx.execute(select(Fulfillment).where(Fulfillment.order_id == built.order_id))
        ).first() is None
    assert (await row(db, Order, built.order_id)).fulfillment_status == "not_fulfilled"


async def test_fulfillment_needs_a_shipping_method(admin: httpx.AsyncClient, db: Database) -> None:
    from sqlalchemy import delete

    from mercato.modules.carts.models import ShippingMethod, ShippingMethodTaxLine

    built = await build_order(db)
    async with db.write_session() as tx:
        await tx.execute(
            delete(ShippingMethodTaxLine).where(
                ShippingMethodTaxLine.shipping_method_id == built.shipping_method_id
            )
        )
        await tx.execute(delete(ShippingMethod).where(ShippingMethod.id == built.shipping_method_id))
        await tx.commit()
    res = await admin.post(
        f"/admin/orders/{built.order_id}/fulfillment",
        json={"items": [{"item_id": built.item_ids[0], "quantity": 1}]},
    )
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Cannot fulfill an order that lacks shipping methods",
    }


async def test_returnable_items_include(admin: httpx.AsyncClient, db: Database) -> None:
    # transformIncludesOptions: only GET /admin/orders/{id} takes expand=returnable_items
    built = await build_order(db)
    shirt, _mug = built.item_ids
    base = f"/admin/orders/{built.order_id}"
    res = await admin.get(f"{base}?expand=returnable_items")
    assert res.status_code == 200, res.text
    assert res.json()["order"]["returnable_items"] == []
    res = await admin.post(f"{base}/fulfillment", json={"items": [{"item_id": shirt, "quantity": 1}]})
    fulfillment_id = res.json()["order"]["fulfillments"][0]["id"]
    res = await admin.post(f"{base}/shipment", json={"fulfillment_id": fulfillment_id})
    assert res.status_code == 200, res.text

    order = (await admin.get(f"{base}?expand=returnable_items")).json()["order"]
    [returnable] = order["returnable_items"]
    assert returnable["id"] == shirt and returnable["shipped_quantity"] == 1
    assert returnable["refundable"] > 0 and "total" in returnable and "variant" in returnable
    # nothing else expanded: the items keep only `refundable`, no other relation is shown
    assert order["items"] and all(set(i) == {"refundable"} for i in order["items"])
    assert "shipping_methods" not in order and "region" not in order
    order = (await admin.get(f"{base}?fields=id&expand=returnable_items")).json()["order"]
    assert [i["id"] for i in order["returnable_items"]] == [shirt]
    assert "items" not in order and "status" not in order

    message = 'The field "returnable_items" is not supported by this end point. '
    for res in (
        await admin.get("/admin/orders?expand=returnable_items"),
        await admin.post(f"{base}/capture?expand=returnable_items"),
    ):
        assert (res.status_code, res.json()) == (400, {"type": "invalid_data", "message": message})


async def test_same_item_twice_in_one_fulfillment(admin: httpx.AsyncClient, db: Database) -> None:
    built = await build_order(db)
    shirt, _mug = built.item_ids
    res = await admin.post(
        f"/admin/orders/{built.order_id}/fulfillment",
        json={"items": [{"item_id": shirt, "quantity": 1}, {"item_id": shirt, "quantity": 1}]},
    )
    assert res.status_code == 422, res.text
    body = res.json()
    assert (body["type"], body["code"]) == ("duplicate_error", "invalid_request_error")
    assert body["message"].startswith("Fulfillment_item with fulfillment_id, item_id ful_")
    assert body["message"].endswith(f", {shirt} already exists.")
    async with db.read_session() as tx:
        assert (await tx.execute(select(Fulfillment))).first() is None
