"""Helpers shared by the product tests."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.system.models import StagedJob


async def create_product(admin: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    body.setdefault("title", "Shirt")
    res = await admin.post("/admin/products", json=body)
    assert res.status_code == 200, res.text
    product: dict[str, Any] = res.json()["product"]
    return product


def shirt(**overrides: Any) -> dict[str, Any]:
    """A product with a Size option and two variants: S (usd 1000, eur 900) and M (usd 1100)."""
    body: dict[str, Any] = {
        "title": "Shirt",
        "options": [{"title": "Size"}],
        "variants": [
            {
                "title": "S",
                "sku": "SHIRT-S",
                "prices": [{"currency_code": "usd", "amount": 1000}, {"currency_code": "eur", "amount": 900}],
                "options": [{"value": "S"}],
            },
            {
                "title": "M",
                "sku": "SHIRT-M",
                "prices": [{"currency_code": "usd", "amount": 1100}],
                "options": [{"value": "M"}],
            },
        ],
    }
    body.update(overrides)
    return body


def invalid(message: str) -> dict[str, str]:
    return {"type": "invalid_data", "message": message}


async def events(db: Database, name: str | None = None) -> list[tuple[str, Any]]:
    async with db.read_session() as tx:
        stmt = select(StagedJob.event_name, StagedJob.data).order_by(StagedJob.id)
        rows = [(n, d) for n, d in (await tx.execute(stmt)).all()]
    return [r for r in rows if name is None or r[0] == name]
