"""Customer-group price lists in the Store product and variant routes: list-products.ts,
get-product.ts, list-variants.ts and get-variant.ts price with `customer_id: req.user?.customer_id`
(the store session cookie or the store bearer JWT). The response cache never mixes callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from tests.modules.products.helpers import create_product, shirt

PASSWORD = "pw-secret"


@pytest_asyncio.fixture
async def anon(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


@pytest_asyncio.fixture
async def member(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


@pytest_asyncio.fixture
async def outsider(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def _register(client: httpx.AsyncClient, email: str) -> str:
    """Registers (which logs in with the session cookie) and returns the customer id."""
    res = await client.post(
        "/store/customers", json={"email": email, "password": PASSWORD, "first_name": "A", "last_name": "B"}
    )
    assert res.status_code == 200, res.text
    customer_id: str = res.json()["customer"]["id"]
    return customer_id


async def _setup(admin: httpx.AsyncClient, member_id: str) -> dict[str, Any]:
    product = await create_product(admin, **shirt(status="published", handle="cg-shirt"))
    small = next(v for v in product["variants"] if v["title"] == "S")
    res = await admin.post("/admin/customer-groups", json={"name": "cg-vip"})
    assert res.status_code == 200, res.text
    group_id = res.json()["customer_group"]["id"]
    res = await admin.post(
        f"/admin/customer-groups/{group_id}/customers/batch", json={"customer_ids": [{"id": member_id}]}
    )
    assert res.status_code == 200, res.text
    res = await admin.post(
        "/admin/price-lists",
        json={
            "name": "cg-vip-prices",
            "description": "VIP",
            "type": "sale",
            "status": "active",
            "customer_groups": [{"id": group_id}],
            "prices": [{"amount": 700, "variant_id": small["id"], "currency_code": "eur"}],
        },
    )
    assert res.status_code == 200, res.text
    return {"product": product, "small": small, "price_list": res.json()["price_list"]}


def _small(products: list[dict[str, Any]]) -> dict[str, Any]:
    return next(v for v in products[0]["variants"] if v["title"] == "S")


async def test_group_price_list_applies_to_logged_in_member_only(
    admin: httpx.AsyncClient,
    anon: httpx.AsyncClient,
    member: httpx.AsyncClient,
    outsider: httpx.AsyncClient,
    region: str,
) -> None:
    member_id = await _register(member, "cg-member@example.com")
    await _register(outsider, "cg-outsider@example.com")
    made = await _setup(admin, member_id)
    product_id, small_id = made["product"]["id"], made["small"]["id"]
    q = {"region_id": region}

    # anonymous first, so a cached anonymous page exists when the member asks the same URL
    for _ in range(2):
        res = await anon.get("/store/products", params=q)
        assert res.status_code == 200, res.text
        small = _small(res.json()["products"])
        assert (small["original_price"], small["calculated_price"]) == (900, 900)
        assert small["calculated_price_type"] == "default"
        assert [p["amount"] for p in small["prices"]] == [900]

    for _ in range(2):
        res = await member.get("/store/products", params=q)
        assert res.status_code == 200, res.text
        small = _small(res.json()["products"])
        assert (small["original_price"], small["calculated_price"]) == (900, 700)
        assert small["calculated_price_type"] == "sale"
        # the real Medusa lists the default price first, then the price list's
        assert [p["amount"] for p in small["prices"]] == [900, 700]
        list_price = next(p for p in small["prices"] if p["price_list_id"])
        assert list_price["price_list_id"] == made["price_list"]["id"]

    # and the anonymous page is still the anonymous one
    res = await anon.get("/store/products", params=q)
    assert _small(res.json()["products"])["calculated_price"] == 900

    res = await outsider.get("/store/products", params=q)
    assert _small(res.json()["products"])["calculated_price"] == 900

    # retrieve
    res = await member.get(f"/store/products/{product_id}", params=q)
    assert res.status_code == 200, res.text
    assert _small([res.json()["product"]])["calculated_price"] == 700
    res = await anon.get(f"/store/products/{product_id}", params=q)
    assert _small([res.json()["product"]])["calculated_price"] == 900

    # variants
    res = await member.get("/store/variants", params={**q, "ids": small_id})
    assert res.status_code == 200, res.text
    assert res.json()["variants"][0]["calculated_price"] == 700
    res = await anon.get("/store/variants", params={**q, "ids": small_id})
    assert res.json()["variants"][0]["calculated_price"] == 900
    res = await member.get(f"/store/variants/{small_id}", params=q)
    assert res.json()["variant"]["calculated_price"] == 700
    res = await outsider.get(f"/store/variants/{small_id}", params=q)
    assert res.json()["variant"]["calculated_price"] == 900


async def test_store_bearer_token_and_logout(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, member: httpx.AsyncClient, region: str
) -> None:
    member_id = await _register(member, "cg-bearer@example.com")
    await _setup(admin, member_id)
    q = {"region_id": region}
    res = await anon.post("/store/auth/token", json={"email": "cg-bearer@example.com", "password": PASSWORD})
    assert res.status_code == 200, res.text
    token = res.json()["access_token"]
    res = await anon.get("/store/products", params=q, headers={"Authorization": f"Bearer {token}"})
    assert _small(res.json()["products"])["calculated_price"] == 700
    res = await anon.get("/store/products", params=q)
    assert _small(res.json()["products"])["calculated_price"] == 900

    # logged out: the same cookie no longer opens the group's prices (the cache does not replay)
    res = await member.get("/store/products", params=q)
    assert _small(res.json()["products"])["calculated_price"] == 700
    assert (await member.delete("/store/auth")).status_code == 200
    res = await member.get("/store/products", params=q)
    assert _small(res.json()["products"])["calculated_price"] == 900
