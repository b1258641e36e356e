"""Catalog test fixtures shared by collections and categories: products written directly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import insert, select

from mercato.core.clock import utcnow
from mercato.db.session import Database
from mercato.modules.products.models import Product, t_product_shipping_profile
from mercato.modules.shipping.models import ShippingProfile

MakeProduct = Callable[..., Awaitable[str]]


@pytest.fixture
def make_product(db: Database, app: Any) -> MakeProduct:
    """A product row (in the default shipping profile, as Medusa's create puts it); returns its id."""

    async def make(title: str, *, deleted: bool = False, profile: bool = True, **values: Any) -> str:
        async with db.write_session() as tx:
            product = Product(
                title=title, handle=values.pop("handle", title.lower().replace(" ", "-")), **values
            )
            if deleted:
                product.deleted_at = utcnow()
            tx.add(product)
            await tx.flush()
            if profile:
                default = (
                    await tx.execute(select(ShippingProfile).where(ShippingProfile.type == "default"))
                ).scalar_one()
                await tx.execute(
                    insert(t_product_shipping_profile).values(profile_id=default.id, product_id=product.id)
                )
            await tx.commit()
            return product.id

    return make
