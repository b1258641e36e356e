"""A small shop for the draft order tests, built through the Admin API: a taxed region with two
countries, one with a single country, a product with priced variants, shipping options, a 10 %
discount."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest_asyncio
from sqlalchemy import text

from mercato.db.session import Database
from mercato.modules.store.models import t_store_currencies


@dataclass
class Shop:
    eu: str  # eur, de/fr, 10 % tax, automatic taxes
    us: str  # usd, us only, no tax
    product: str
    shirt: str  # variant S: eur 1000, usd 1200, 10 in stock
    mug: str  # variant M: eur 500, inventory not managed
    unpriced: str  # variant U: no price
    standard: str  # EU flat option 800
    express: str  # EU flat option 1500
    us_option: str  # US flat option 500
    discount: str  # code DO10: 10 % of the total, EU only


async def ok_json(res: httpx.Response, key: str) -> dict[str, Any]:
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()[key]
    return out


async def _region(admin: httpx.AsyncClient, **body: Any) -> str:
    body.setdefault("payment_providers", ["manual"])
    body.setdefault("fulfillment_providers", ["manual"])
    return str((await ok_json(await admin.post("/admin/regions", json=body), "region"))["id"])


async def _option(admin: httpx.AsyncClient, region: str, name: str, amount: int) -> str:
    body = {
        "name": name,
        "region_id": region,
        "provider_id": "manual",
        "data": {"id": "manual-fulfillment"},
        "price_type": "flat_rate",
        "amount": amount,
    }
    res = await admin.post("/admin/shipping-options", json=body)
    return str((await ok_json(res, "shipping_option"))["id"])


@pytest_asyncio.fixture
async def shop(admin: httpx.AsyncClient, db: Database) -> Shop:
    async with db.write_session() as tx:
        store_id = (await tx.execute(text("SELECT id FROM store"))).scalar_one()
        have = set((await tx.execute(text("SELECT currency_code FROM store_currencies"))).scalars())
        for code in ("eur", "usd"):
            if code not in have:
                await tx.execute(t_store_currencies.insert().values(store_id=store_id, currency_code=code))
        await tx.commit()
    eu = await _region(admin, name="do-eu", currency_code="eur", tax_rate=10, countries=["de", "fr"])
    us = await _region(admin, name="do-us", currency_code="usd", tax_rate=0, countries=["us"])
    product = await ok_json(
        await admin.post(
            "/admin/products",
            json={
                "title": "Draft Shirt",
                "options": [{"title": "Size"}],
                "variants": [
                    {
                        "title": "S",
                        "inventory_quantity": 10,
                        "prices": [
                            {"currency_code": "eur", "amount": 1000},
                            {"currency_code": "usd", "amount": 1200},
                        ],
                        "options": [{"value": "S"}],
                    },
                    {
                        "title": "M",
                        "manage_inventory": False,
                        "prices": [{"currency_code": "eur", "amount": 500}],
                        "options": [{"value": "M"}],
                    },
                    {"title": "U", "inventory_quantity": 5, "prices": [], "options": [{"value": "U"}]},
                ],
            },
        ),
        "product",
    )
    variants = {v["title"]: v["id"] for v in product["variants"]}
    standard = await _option(admin, eu, "do-standard", 800)
    express = await _option(admin, eu, "do-express", 1500)
    us_option = await _option(admin, us, "do-us", 500)
    discount = await ok_json(
        await admin.post(
            "/admin/discounts",
            json={
                "code": "DO10",
                "rule": {"type": "percentage", "value": 10, "allocation": "total"},
                "regions": [eu],
            },
        ),
        "discount",
    )
    return Shop(
        eu,
        us,
        product["id"],
        variants["S"],
        variants["M"],
        variants["U"],
        standard,
        express,
        us_option,
        str(discount["id"]),
    )


ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address_1": "Street 1",
    "city": "Berlin",
    "country_code": "de",
    "postal_code": "10115",
}


def draft_body(shop: Shop, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "ada@example.com",
        "region_id": shop.eu,
        "shipping_address": dict(ADDRESS),
        "items": [
            {"variant_id": shop.shirt, "quantity": 2},
            {"title": "Engraving", "unit_price": 500, "quantity": 1, "metadata": {"k": "v"}},
        ],
        "shipping_methods": [{"option_id": shop.standard, "price": 700}],
        "discounts": [{"code": "DO10"}],
    }
    body.update(overrides)
    return body


async def create_draft(admin: httpx.AsyncClient, shop: Shop, **overrides: Any) -> dict[str, Any]:
    return await ok_json(
        await admin.post("/admin/draft-orders", json=draft_body(shop, **overrides)), "draft_order"
    )
