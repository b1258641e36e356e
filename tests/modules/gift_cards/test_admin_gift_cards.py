"""Admin gift cards: the five routes of Medusa's api/routes/admin/gift-cards, checked against the
answers of a real Medusa 1.20 (messages verbatim)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.customers.models import Customer
from mercato.modules.gift_cards.models import GiftCard
from mercato.modules.orders.models import Order
from mercato.modules.system.models import StagedJob

MakeRegion = Callable[..., Awaitable[str]]

CARD_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "code",
    "value",
    "balance",
    "region_id",
    "is_disabled",
    "ends_at",
    "tax_rate",
    "metadata",
    "order",  # not order_id: defaultAdminGiftCardFields leaves it out (Medusa 1.20.11)
    "region",
}
CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


async def create_card(admin: httpx.AsyncClient, region_id: str, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/gift-cards", json={"value": 1000, "region_id": region_id, **body})
    assert res.status_code == 200, res.text
    card: dict[str, Any] = res.json()["gift_card"]
    return card


# ---- POST /admin/gift-cards --------------------------------------------------------------------


async def test_create_gift_card(admin: httpx.AsyncClient, db: Database, make_region: MakeRegion) -> None:
    region_id = await make_region(tax_rate=0)
    res = await admin.post(
        "/admin/gift-cards",
        json={"value": 1000, "region_id": region_id, "metadata": {"t": "x"}, "ends_at": "2030-01-01"},
    )
    assert res.status_code == 200, res.text
    card = res.json()["gift_card"]
    assert set(card) == CARD_KEYS
    assert card["id"].startswith("gift_")
    assert CODE.match(card["code"])
    assert card["value"] == 1000
    assert card["balance"] == 1000
    assert card["region_id"] == region_id
    assert card["is_disabled"] is False
    assert card["ends_at"] == "2030-01-01T00:00:00.000Z"
    # the region taxes gift cards, but its rate is 0: JavaScript's `region.tax_rate || null`
    assert card["tax_rate"] is None
    assert card["metadata"] == {"t": "x"}
    assert card["order"] is None
    assert card["region"]["id"] == region_id
    assert card["region"]["gift_cards_taxable"] is True
    assert "countries" not in card["region"]
    async with db.read_session() as tx:
        events = (await tx.execute(select(StagedJob.event_name, StagedJob.data))).all()
    assert [(e.event_name, e.data) for e in events] == [("gift_card.created", {"id": card["id"]})]


async def test_create_takes_tax_rate_of_taxable_region(
    admin: httpx.AsyncClient, make_region: MakeRegion
) -> None:
    taxed = await make_region(tax_rate=12.5)
    untaxed = await make_region(tax_rate=25, gift_cards_taxable=False)
    assert (await create_card(admin, taxed))["tax_rate"] == 12.5
    assert (await create_card(admin, untaxed))["tax_rate"] is None


async def test_create_codes_are_unique_and_disabled_flag_kept(
    admin: httpx.AsyncClient, make_region: MakeRegion
) -> None:
    region_id = await make_region()
    a = await create_card(admin, region_id, is_disabled=True)
    b = await create_card(admin, region_id)
    assert a["is_disabled"] is True and b["is_disabled"] is False
    assert a["code"] != b["code"]


async def test_create_bad_input(admin: httpx.AsyncClient) -> None:
    res = await admin.post(
        "/admin/gift-cards",
        json={"value": "x", "region_id": 5, "foo": 1, "ends_at": "nope", "is_disabled": "y", "metadata": "m"},
    )
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist, value must be an integer number, "
        "ends_at must be a Date instance, is_disabled must be a boolean value, region_id must be a string",
    }
    res = await admin.post("/admin/gift-cards")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "region_id must be a string"}
    res = await admin.post("/admin/gift-cards", json={"value": 1.5, "region_id": "reg_x"})
    assert res.json() == {"type": "invalid_data", "message": "value must be an integer number"}
    res = await admin.post("/admin/gift-cards", json={"value": 1, "region_id": "reg_x", "tax_rate": 5})
    assert res.json() == {"type": "invalid_data", "message": "property tax_rate should not exist"}


async def test_create_without_value(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    region_id = await make_region()
    res = await admin.post("/admin/gift-cards", json={"region_id": region_id})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "Can't insert null value in field value on insert in table gift_card",
    }


async def test_create_unknown_region(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/gift-cards", json={"value": 100, "region_id": "reg_nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}


async def test_routes_need_auth(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/admin/gift-cards"),
        ("POST", "/admin/gift-cards"),
        ("GET", "/admin/gift-cards/gift_x"),
        ("POST", "/admin/gift-cards/gift_x"),
        ("DELETE", "/admin/gift-cards/gift_x"),
    ]:
        res = await client.request(method, path)
        assert res.status_code == 401, (method, path)
        assert res.text == "Unauthorized"


# ---- GET /admin/gift-cards ---------------------------------------------------------------------


async def make_order(db: Database, region_id: str, display_id: int) -> str:
    async with db.write_session() as tx:
        customer = Customer(email=f"gc{display_id}@example.com")
        tx.add(customer)
        await tx.flush()
        order = Order(
            status="pending",
            fulfillment_status="not_fulfilled",
            payment_status="not_paid",
            display_id=display_id,
            customer_id=customer.id,
            email=customer.email,
            region_id=region_id,
            currency_code="usd",
        )
        tx.add(order)
        await tx.flush()
        order_id = order.id
        await tx.commit()
    return order_id


async def test_list_gift_cards(admin: httpx.AsyncClient, db: Database, make_region: MakeRegion) -> None:
    region_id = await make_region()
    first = await create_card(admin, region_id, value=100)
    second = await create_card(admin, region_id, value=200)
    deleted = await create_card(admin, region_id, value=300)
    assert (await admin.delete(f"/admin/gift-cards/{deleted['id']}")).status_code == 200

    res = await admin.get("/admin/gift-cards")
    assert res.status_code == 200
    body = res.json()
    assert body["count"] == 2 and body["offset"] == 0 and body["limit"] == 50
    # newest first
    assert [c["id"] for c in body["gift_cards"]] == [second["id"], first["id"]]
    assert set(body["gift_cards"][0]) == CARD_KEYS

    res = await admin.get("/admin/gift-cards", params={"limit": 1, "offset": 1, "order": "value"})
    body = res.json()
    assert body["count"] == 2 and body["limit"] == 1 and body["offset"] == 1
    assert [c["id"] for c in body["gift_cards"]] == [second["id"]]

    res = await admin.get("/admin/gift-cards", params={"q": first["code"][:9].lower()})
    assert [c["id"] for c in res.json()["gift_cards"]] == [first["id"]]
    res = await admin.get("/admin/gift-cards", params={"q": "zz-nothing"})
    assert res.json() == {"gift_cards": [], "count": 0, "offset": 0, "limit": 50}


async def test_list_searches_order_display_id(
    admin: httpx.AsyncClient, db: Database, make_region: MakeRegion
) -> None:
    region_id = await make_region()
    order_id = await make_order(db, region_id, 987654)
    await create_card(admin, region_id)
    async with db.write_session() as tx:
        card = GiftCard(
            code="ORDR-CARD-0000-0001", value=50, balance=50, region_id=region_id, order_id=order_id
        )
        tx.add(card)
        await tx.commit()
    res = await admin.get("/admin/gift-cards", params={"q": "8765"})
    body = res.json()
    assert body["count"] == 1
    assert body["gift_cards"][0]["code"] == "ORDR-CARD-0000-0001"
    assert body["gift_cards"][0]["order"]["id"] == order_id
    assert body["gift_cards"][0]["order"]["object"] == "order"  # the entity's afterLoad
    assert body["gift_cards"][0]["order"]["display_id"] == 987654


async def test_list_bad_input(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/gift-cards", params={"limit": "x", "foo": "1"})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist, limit must be an integer number",
    }
    res = await admin.get("/admin/gift-cards", params={"expand": "region", "fields": "id"})
    assert res.json() == {
        "type": "invalid_data",
        "message": "property expand should not exist, property fields should not exist",
    }
    res = await admin.get("/admin/gift-cards", params={"limit": "1.5"})
    assert res.json() == {"type": "invalid_data", "message": "limit must be an integer number"}


# ---- GET /admin/gift-cards/{id} ----------------------------------------------------------------


async def test_get_gift_card(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    region_id = await make_region(name="GC Get")
    card = await create_card(admin, region_id)
    # Medusa's route does not look at the query string
    res = await admin.get(f"/admin/gift-cards/{card['id']}", params={"foo": "1", "expand": "x"})
    assert res.status_code == 200
    got = res.json()["gift_card"]
    assert got == card
    assert got["region"]["name"] == "GC Get"


async def test_get_unknown(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/gift-cards/gift_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Gift card with id: gift_nope was not found"}


async def test_create_nulls_and_numeric_date(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    region_id = await make_region()
    res = await admin.post(
        "/admin/gift-cards", json={"value": 1, "region_id": region_id, "is_disabled": None}
    )
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "Can't insert null value in field is_disabled on insert in table gift_card",
    }
    res = await admin.post(
        "/admin/gift-cards", json={"value": None, "region_id": region_id, "is_disabled": None}
    )
    assert res.json()["message"] == "Can't insert null value in field value on insert in table gift_card"
    # `@Type(() => Date)`: a number is milliseconds since the epoch
    card = await create_card(admin, region_id, ends_at=1900000000000)
    assert card["ends_at"] == "2030-03-17T17:46:40.000Z"


# ---- POST /admin/gift-cards/{id} ---------------------------------------------------------------


async def test_update_gift_card(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    region_id = await make_region()
    other = await make_region(name="Other")
    card = await create_card(admin, region_id, metadata={"t": "x", "keep": 1})
    res = await admin.post(
        f"/admin/gift-cards/{card['id']}",
        json={
            "balance": 500,
            "is_disabled": True,
            "ends_at": "2030-01-01T00:00:00Z",
            "region_id": other,
            "metadata": {"a": 1, "t": ""},
        },
    )
    assert res.status_code == 200, res.text
    got = res.json()["gift_card"]
    assert got["balance"] == 500 and got["value"] == 1000
    assert got["is_disabled"] is True
    assert got["ends_at"] == "2030-01-01T00:00:00.000Z"
    assert got["region_id"] == other and got["region"]["id"] == other
    assert got["metadata"] == {"keep": 1, "a": 1}

    res = await admin.post(f"/admin/gift-cards/{card['id']}", json={"ends_at": None, "metadata": {"b": None}})
    got = res.json()["gift_card"]
    assert got["ends_at"] is None
    assert got["is_disabled"] is True
    assert got["metadata"] == {"keep": 1, "a": 1, "b": None}

    # no body: nothing changes
    res = await admin.post(f"/admin/gift-cards/{card['id']}")
    assert res.status_code == 200
    assert res.json()["gift_card"]["balance"] == 500


async def test_update_refuses_invalid_balance(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    card = await create_card(admin, await make_region())
    for balance in (2000, -1):
        res = await admin.post(f"/admin/gift-cards/{card['id']}", json={"balance": balance})
        assert res.status_code == 500
        assert res.json() == {"type": "invalid_argument", "message": "new balance is invalid"}
    res = await admin.get(f"/admin/gift-cards/{card['id']}")
    assert res.json()["gift_card"]["balance"] == 1000


async def test_update_bad_input(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    card = await create_card(admin, await make_region())
    res = await admin.post(
        f"/admin/gift-cards/{card['id']}",
        json={"balance": "x", "foo": 1, "region_id": 1, "is_disabled": 2, "ends_at": "x"},
    )
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist, balance must be an integer number, "
        "is_disabled must be a boolean value, ends_at must be a Date instance, region_id must be a string",
    }
    res = await admin.post(f"/admin/gift-cards/{card['id']}", json={"value": 5})
    assert res.json() == {"type": "invalid_data", "message": "property value should not exist"}


async def test_update_nulls_and_odd_metadata(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    card = await create_card(admin, await make_region(), metadata={"k": 1})
    url = f"/admin/gift-cards/{card['id']}"
    res = await admin.post(url, json={"balance": None, "region_id": None, "is_disabled": None})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "Can't insert null value in field balance on insert in table gift_card",
    }
    res = await admin.post(url, json={"is_disabled": None})
    assert (
        res.json()["message"] == "Can't insert null value in field is_disabled on insert in table gift_card"
    )
    # setMetadata reads a string by its indexes (Object.entries)
    res = await admin.post(url, json={"metadata": "ab"})
    assert res.status_code == 200
    assert res.json()["gift_card"]["metadata"] == {"k": 1, "0": "a", "1": "b"}


async def test_update_unknown(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    res = await admin.post("/admin/gift-cards/gift_nope", json={})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Gift card with id: gift_nope was not found"}
    card = await create_card(admin, await make_region())
    res = await admin.post(f"/admin/gift-cards/{card['id']}", json={"region_id": "reg_nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}


# ---- DELETE /admin/gift-cards/{id} -------------------------------------------------------------


async def test_delete_gift_card(admin: httpx.AsyncClient, db: Database, make_region: MakeRegion) -> None:
    card = await create_card(admin, await make_region())
    res = await admin.delete(f"/admin/gift-cards/{card['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": card["id"], "object": "gift-card", "deleted": True}
    async with db.read_session() as tx:
        row = (await tx.execute(select(GiftCard).where(GiftCard.id == card["id"]))).scalar_one()
    assert row.deleted_at is not None
    res = await admin.get(f"/admin/gift-cards/{card['id']}")
    assert res.status_code == 404
    # deleting again, or an unknown id, still answers deleted
    res = await admin.delete(f"/admin/gift-cards/{card['id']}")
    assert res.json() == {"id": card["id"], "object": "gift-card", "deleted": True}
    res = await admin.delete("/admin/gift-cards/gift_nope")
    assert res.status_code == 200
    assert res.json() == {"id": "gift_nope", "object": "gift-card", "deleted": True}
