"""GET /store/gift-cards/{code}: Medusa's retrieveByCode with the store's fields and relations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

MakeRegion = Callable[..., Awaitable[str]]


async def test_store_lookup(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    region_id = await make_region(name="GC Store", tax_rate=12.5)
    res = await admin.post("/admin/gift-cards", json={"value": 1000, "region_id": region_id})
    card = res.json()["gift_card"]
    admin.headers.pop("Authorization")
    res = await admin.get(f"/store/gift-cards/{card['code']}")
    assert res.status_code == 200
    got = res.json()["gift_card"]
    assert set(got) == {"id", "code", "value", "balance", "region"}
    assert got["id"] == card["id"] and got["code"] == card["code"]
    assert got["value"] == 1000 and got["balance"] == 1000
    assert got["region"]["id"] == region_id
    assert got["region"]["name"] == "GC Store"
    assert got["region"]["tax_rate"] == 12.5


async def test_store_lookup_returns_disabled_cards(admin: httpx.AsyncClient, make_region: MakeRegion) -> None:
    res = await admin.post(
        "/admin/gift-cards", json={"value": 10, "region_id": await make_region(), "is_disabled": True}
    )
    card = res.json()["gift_card"]
    res = await admin.get(f"/store/gift-cards/{card['code']}")
    assert res.status_code == 200
    assert res.json()["gift_card"]["balance"] == 10


async def test_store_lookup_unknown_deleted_or_other_case(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, make_region: MakeRegion
) -> None:
    res = await client.get("/store/gift-cards/nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Gift card with code: nope was not found"}

    res = await admin.post("/admin/gift-cards", json={"value": 10, "region_id": await make_region()})
    card = res.json()["gift_card"]
    lower = card["code"].lower()
    res = await client.get(f"/store/gift-cards/{lower}")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": f"Gift card with code: {lower} was not found"}

    await admin.delete(f"/admin/gift-cards/{card['id']}")
    res = await client.get(f"/store/gift-cards/{card['code']}")
    assert res.status_code == 404
