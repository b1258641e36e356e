"""The issue's full scenario, statuses as the real Medusa 1.20.11 moves them (checked against it):
draft order (variant item, custom item, shipping method with its own price, 10 % discount) → Mark
Paid → fulfil part → ship → fulfil the rest → ship → refund part → cancel refused."""

from __future__ import annotations

from typing import Any

import httpx

from tests.modules.draft_orders.conftest import Shop, create_draft


def _state(order: dict[str, Any]) -> tuple[str, str, str]:
    return order["status"], order["fulfillment_status"], order["payment_status"]


def _money(order: dict[str, Any]) -> tuple[int, int, int, int]:
    return order["total"], order["paid_total"], order["refunded_total"], order["refundable_amount"]


def _quantities(order: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {i["title"]: (i["fulfilled_quantity"], i["shipped_quantity"]) for i in order["items"]}


async def _post(admin: httpx.AsyncClient, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    res = await admin.post(path, json=body)
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()["order"]
    return out


async def test_draft_to_shipped_and_refunded_order(admin: httpx.AsyncClient, shop: Shop) -> None:
    draft = await create_draft(admin, shop)
    cart = draft["cart"]
    assert (cart["subtotal"], cart["discount_total"], cart["shipping_total"], cart["tax_total"]) == (
        2500,
        200,
        700,
        250,
    )
    assert cart["total"] == 3250

    order = await _post(admin, f"/admin/draft-orders/{draft['id']}/pay")
    oid = order["id"]
    assert _state(order) == ("pending", "not_fulfilled", "captured")
    assert _money(order) == (3250, 3250, 0, 3250)
    shirt = next(i for i in order["items"] if i["title"] == "Draft Shirt")
    custom = next(i for i in order["items"] if i["title"] == "Engraving")
    assert (shirt["refundable"], custom["refundable"]) == (1980, 500)

    # fulfil one shirt
    order = await _post(
        admin, f"/admin/orders/{oid}/fulfillment", {"items": [{"item_id": shirt["id"], "quantity": 1}]}
    )
    assert _state(order) == ("pending", "partially_fulfilled", "captured")
    assert _quantities(order) == {"Draft Shirt": (1, None), "Engraving": (None, None)}
    (first,) = order["fulfillments"]
    assert first["shipped_at"] is None

    # ship it
    order = await _post(
        admin, f"/admin/orders/{oid}/shipment", {"fulfillment_id": first["id"], "tracking_numbers": ["T1"]}
    )
    assert _state(order) == ("pending", "partially_shipped", "captured")
    assert _quantities(order) == {"Draft Shirt": (1, 1), "Engraving": (None, None)}
    shipped = next(f for f in order["fulfillments"] if f["id"] == first["id"])
    assert shipped["shipped_at"] is not None
    assert [t["tracking_number"] for t in shipped["tracking_links"]] == ["T1"]

    # fulfil the rest
    order = await _post(
        admin,
        f"/admin/orders/{oid}/fulfillment",
        {"items": [{"item_id": shirt["id"], "quantity": 1}, {"item_id": custom["id"], "quantity": 1}]},
    )
    assert _state(order) == ("pending", "fulfilled", "captured")
    assert _quantities(order) == {"Draft Shirt": (2, 1), "Engraving": (1, None)}
    second = next(f for f in order["fulfillments"] if f["shipped_at"] is None)

    # ship it
    order = await _post(admin, f"/admin/orders/{oid}/shipment", {"fulfillment_id": second["id"]})
    assert _state(order) == ("pending", "shipped", "captured")
    assert _quantities(order) == {"Draft Shirt": (2, 2), "Engraving": (1, 1)}
    assert _money(order) == (3250, 3250, 0, 3250)

    # refund part
    order = await _post(
        admin, f"/admin/orders/{oid}/refund", {"amount": 1000, "reason": "other", "note": "part"}
    )
    assert _state(order) == ("pending", "shipped", "partially_refunded")
    assert _money(order) == (3250, 3250, 1000, 2250)
    (refund,) = order["refunds"]
    assert (refund["amount"], refund["reason"], refund["note"]) == (1000, "other", "part")
    assert order["payments"][0]["amount_refunded"] == 1000

    # cancel refused, nothing changed
    res = await admin.post(f"/admin/orders/{oid}/cancel")
    assert (res.status_code, res.json()) == (
        400,
        {"type": "not_allowed", "message": "Order with refund(s) cannot be canceled"},
    )
    order = (await admin.get(f"/admin/orders/{oid}")).json()["order"]
    assert _state(order) == ("pending", "shipped", "partially_refunded")
    assert _money(order) == (3250, 3250, 1000, 2250)

    # the draft order stays completed and points at the order
    got = (await admin.get(f"/admin/draft-orders/{draft['id']}")).json()["draft_order"]
    assert (got["status"], got["order_id"]) == ("completed", oid)
