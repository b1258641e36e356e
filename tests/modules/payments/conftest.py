"""A small shop for the cart payment-session tests, built through the Admin API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest_asyncio
from sqlalchemy import text

from mercato.db.session import Database
from mercato.modules.store.models import PaymentProvider, t_store_currencies
from mercato.providers.payment import ManualPaymentProvider
from mercato.providers.registry import payment_registry


class SecondProvider(ManualPaymentProvider):
    """A second provider for the tests (behaves like manual, saved methods included)."""

    identifier = "pay-test-second"

    async def retrieve_saved_methods(self, customer: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"last4": "4242", "email": customer.get("email")}]


@dataclass
class PayShop:
    one: str  # region with manual only
    two: str  # region with manual + pay-test-second
    variant: str  # eur 1000


async def _ok(res: httpx.Response, key: str) -> dict[str, Any]:
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()[key]
    return out


@pytest_asyncio.fixture
async def pay_shop(admin: httpx.AsyncClient, db: Database) -> AsyncIterator[PayShop]:
    registry = payment_registry()
    registry.register(SecondProvider())
    async with db.write_session() as tx:
        store_id = (await tx.execute(text("SELECT id FROM store"))).scalar_one()
        have = set((await tx.execute(text("SELECT currency_code FROM store_currencies"))).scalars())
        if "eur" not in have:
            await tx.execute(t_store_currencies.insert().values(store_id=store_id, currency_code="eur"))
        tx.add(PaymentProvider(id="pay-test-second", is_installed=True))
        await tx.commit()
    regions = []
    for name, providers, countries in (
        ("pay-one", ["manual"], ["de"]),
        ("pay-two", ["manual", "pay-test-second"], ["fr"]),
    ):
        body = {
            "name": name,
            "currency_code": "eur",
            "tax_rate": 0,
            "payment_providers": providers,
            "fulfillment_providers": ["manual"],
            "countries": countries,
        }
        regions.append((await _ok(await admin.post("/admin/regions", json=body), "region"))["id"])
    product = await _ok(
        await admin.post(
            "/admin/products",
            json={
                "title": "Pay Shirt",
                "options": [{"title": "Size"}],
                "variants": [
                    {
                        "title": "S",
                        "inventory_quantity": 10,
                        "prices": [{"currency_code": "eur", "amount": 1000}],
                        "options": [{"value": "S"}],
                    }
                ],
            },
        ),
        "product",
    )
    yield PayShop(regions[0], regions[1], product["variants"][0]["id"])
    registry.unregister("pay-test-second")
