"""Helpers for the sales channels and publishable API keys tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.products.models import Product, ProductSalesChannel
from mercato.modules.store.models import Store
from mercato.modules.system.models import StagedJob

Events = Callable[[str], Awaitable[list[dict[str, Any]]]]
MakeProduct = Callable[..., Awaitable[str]]


@pytest.fixture
def events(db: Database) -> Events:
    """The staged (not yet delivered) events of one name, oldest first."""

    async def read(name: str) -> list[dict[str, Any]]:
        async with db.read_session() as tx:
            rows = (
                await tx.execute(select(StagedJob).where(StagedJob.event_name == name).order_by(StagedJob.id))
            ).scalars()
            return [dict(r.data) for r in rows]

    return read


@pytest.fixture
def make_product(db: Database) -> MakeProduct:
    async def make(title: str = "Mug", *, deleted: bool = False) -> str:
        import datetime

        async with db.write_session() as tx:
            product = Product(title=title, handle=title.lower().replace(" ", "-"), status="published")
            if deleted:
                product.deleted_at = datetime.datetime.now(datetime.UTC)
            tx.add(product)
            await tx.commit()
            return product.id

    return make


async def default_channel_id(db: Database) -> str:
    async with db.read_session() as tx:
        value = (await tx.execute(select(Store.default_sales_channel_id))).scalar_one()
        assert value is not None
        return str(value)


async def channel_products(db: Database, sales_channel_id: str) -> set[str]:
    async with db.read_session() as tx:
        rows = await tx.execute(
            select(ProductSalesChannel.product_id).where(
                ProductSalesChannel.sales_channel_id == sales_channel_id
            )
        )
        return set(rows.scalars())
