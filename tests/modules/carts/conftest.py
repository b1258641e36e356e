"""A small shop for the cart tests, built through the Admin API: two regions, one product with
priced variants, shipping options."""

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
    eu: str  # eur, de/fr/it, 20 % tax, automatic taxes
    us: str  # usd, us only, no tax
    product: str
    small: str  # variant S: eur 1000, usd 1200, 10 in stock
    large: str  # variant L: eur 1500 only, backorders allowed
    unpriced: str  # variant U: no price at all
    standard: str  # EU flat option 800
    express: str  # EU flat option 1500, min_subtotal 5000
    us_option: str  # US flat option 500
    profile: str


async def _ok(res: httpx.Response, key: str) -> dict[str, Any]:
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()[key]
    return out


async def _region(admin: httpx.AsyncClient, **body: Any) -> str:
    body.setdefault("payment_providers", ["manual"])
    body.setdefault("fulfillment_providers", ["manual"])
    return str((await _ok(await admin.post("/admin/regions", json=body), "region"))["id"])


async def _option(admin: httpx.AsyncClient, region: str, name: str, amount: int, **extra: Any) -> str:
    body = {
        "name": name,
        "region_id": region,
        "provider_id": "manual",
        "data": {"id": "manual-fulfillment"},
        "price_type": "flat_rate",
        "amount": amount,
        **extra,
    }
    return str((await _ok(await admin.post("/admin/shipping-options", json=body), "shipping_option"))["id"])


@pytest_asyncio.fixture
async def shop(admin: httpx.AsyncClient, db: Database) -> Shop:
    async with db.write_session() as tx:
        store_id = (await tx.execute(text("SELECT id FROM store"))).scalar_one()
        have = set((await tx.execute(text("SELECT currency_code FROM store_currencies"))).scalars())
        for code in ("eur", "usd"):
            if code not in have:
                await tx.execute(t_store_currencies.insert().values(store_id=store_id, currency_code=code))
        await tx.commit()
    eu = await _region(admin, name="carts-eu", currency_code="eur", tax_rate=20, countries=["de", "fr", "it"])
    us = await _region(admin, name="carts-us", currency_code="usd", tax_rate=0, countries=["us"])
    product = await _ok(
        await admin.post(
            "/admin/products",
            json={
                "title": "Carts Shirt",
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
                        "title": "L",
                        "inventory_quantity": 0,
                        "allow_backorder": True,
                        "prices": [{"currency_code": "eur", "amount": 1500}],
                        "options": [{"value": "L"}],
                    },
                    {"title": "U", "inventory_quantity": 5, "prices": [], "options": [{"value": "U"}]},
                ],
            },
        ),
        "product",
    )
    variants = {v["title"]: v["id"] for v in product["variants"]}
    standard = await _option(admin, eu, "carts-standard", 800)
    express = await _option(
        admin, eu, "carts-express", 1500, requirements=[{"type": "min_subtotal", "amount": 5000}]
    )
    us_option = await _option(admin, us, "carts-us", 500)
    profile = str(product["profiles"][0]["id"]) if product.get("profiles") else ""
    return Shop(
        eu,
        us,
        product["id"],
        variants["S"],
        variants["L"],
        variants["U"],
        standard,
        express,
        us_option,
        profile,
    )
