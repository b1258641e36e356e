"""Helpers for the sales channels and publishable API keys tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.products.models import Product, ProductSalesChannel
from mercato.modules.store.models import Store
from tests.conftest import Events  # noqa: F401  (re-exported for the tests)

MakeProduct = Callable[..., Awaitable[str]]


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
