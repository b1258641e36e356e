"""A soft-deleted row drops out of the relations that point at it, as TypeORM leaves rows with a
`deleted_at` out of its joins: the answer says null (or leaves it out of a list), the foreign key
stays. Each case was checked against Medusa 1.20.11."""

from __future__ import annotations

from typing import Any

import httpx

from tests.modules.carts.conftest import Shop


async def _ok(res: httpx.Response, key: str) -> Any:
    assert res.status_code == 200, res.text
    return res.json()[key]


async def test_deleted_sales_channel(client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop) -> None:
    channel = await _ok(await admin.post("/admin/sales-channels", json={"name": "gone"}), "sales_channel")
    product = await _ok(
        await admin.post(
            "/admin/products", json={"title": "Channelled", "sales_channels": [{"id": channel["id"]}]}
        ),
        "product",
    )
    listed = await admin.get("/admin/products", params={"sales_channel_id[]": channel["id"]})
    assert [p["id"] for p in listed.json()["products"]] == [product["id"]]
    cart = await _ok(
        await client.post("/store/carts", json={"region_id": shop.us, "sales_channel_id": channel["id"]}),
        "cart",
    )
    assert cart["sales_channel"]["id"] == channel["id"]

    assert (await admin.delete(f"/admin/sales-channels/{channel['id']}")).status_code == 200
    listed = await admin.get("/admin/products", params={"sales_channel_id[]": channel["id"]})
    assert listed.json()["count"] == 0 and listed.json()["products"] == []
    cart = await _ok(await client.get(f"/store/carts/{cart['id']}"), "cart")
    assert cart["sales_channel"] is None and cart["sales_channel_id"] == channel["id"]


async def test_deleted_region_of_a_gift_card(client: httpx.AsyncClient, admin: httpx.AsyncClient) -> None:
    body = {"name": "Gone", "currency_code": "usd", "tax_rate": 0, "countries": []}
    body |= {"payment_providers": ["manual"], "fulfillment_providers": ["manual"]}
    region = await _ok(await admin.post("/admin/regions", json=body), "region")
    card = await _ok(
        await admin.post("/admin/gift-cards", json={"value": 100, "region_id": region["id"]}), "gift_card"
    )
    assert card["region"]["id"] == region["id"]
    assert (await admin.delete(f"/admin/regions/{region['id']}")).status_code == 200
    card = await _ok(await admin.get(f"/admin/gift-cards/{card['id']}"), "gift_card")
    assert card["region"] is None and card["region_id"] == region["id"]
    stored = await _ok(await client.get(f"/store/gift-cards/{card['code']}"), "gift_card")
    assert stored["region"] is None


async def test_deleted_parent_and_condition_resources(admin: httpx.AsyncClient, shop: Shop) -> None:
    rule = {"type": "percentage", "value": 10, "allocation": "total"}
    parent = await _ok(
        await admin.post(
            "/admin/discounts",
            json={"code": "PARENT", "is_dynamic": True, "rule": rule, "regions": [shop.us]},
        ),
        "discount",
    )
    await admin.post(f"/admin/discounts/{parent['id']}/dynamic-codes", json={"code": "KID"})
    kid = await _ok(await admin.get("/admin/discounts/code/KID"), "discount")
    assert kid["parent_discount"]["id"] == parent["id"]
    assert (await admin.delete(f"/admin/discounts/{parent['id']}")).status_code == 200
    kid = await _ok(await admin.get("/admin/discounts/code/KID"), "discount")
    assert kid["parent_discount"] is None and kid["parent_discount_id"] == parent["id"]

    other = await _ok(await admin.post("/admin/products", json={"title": "Doomed"}), "product")
    collection = await _ok(await admin.post("/admin/collections", json={"title": "Doomed"}), "collection")
    conditions = [
        {"operator": "in", "products": [shop.product, other["id"]]},
        {"operator": "in", "product_collections": [collection["id"]]},
    ]
    discount = await _ok(
        await admin.post(
            "/admin/discounts",
            params={"expand": "rule,rule.conditions"},
            json={"code": "CONDS", "rule": {**rule, "conditions": conditions}, "regions": [shop.us]},
        ),
        "discount",
    )
    await admin.delete(f"/admin/products/{other['id']}")
    await admin.delete(f"/admin/collections/{collection['id']}")
    for condition in discount["rule"]["conditions"]:
        url = f"/admin/discounts/{discount['id']}/conditions/{condition['id']}"
        got = await _ok(
            await admin.get(url, params={"expand": "products,product_collections"}), "discount_condition"
        )
        kept = [x["id"] for x in got[condition["type"]]]
        assert kept == ([shop.product] if condition["type"] == "products" else [])
