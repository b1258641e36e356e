"""Fixtures of the product tests."""

from __future__ import annotations

import pytest_asyncio
from sqlalchemy import text

from mercato.db.session import Database
from mercato.modules.regions.models import Region
from mercato.modules.store.models import t_store_currencies


@pytest_asyncio.fixture
async def region(db: Database, app: object) -> str:
    """A region "Europe" in eur (eur added to the store's currencies)."""
    async with db.write_session() as tx:
        store_id = (await tx.execute(text("SELECT id FROM store"))).scalar_one()
        have = set((await tx.execute(text("SELECT currency_code FROM store_currencies"))).scalars())
        if "eur" not in have:
            await tx.execute(t_store_currencies.insert().values(store_id=store_id, currency_code="eur"))
        row = Region(name="Europe", currency_code="eur", tax_rate=0)
        tx.add(row)
        await tx.flush()
        region_id = row.id
        await tx.commit()
    return region_id
