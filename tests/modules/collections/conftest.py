"""Fixtures of the catalog tests: products written directly (the products routes are another
group's) and the staged events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import insert, select

from mercato.core.clock import utcnow
from mercato.db.session import Database
from mercato.modules.products.models import Product, t_product_shipping_profile
from mercato.modules.shipping.models import ShippingProfile
from mercato.modules.system.models import StagedJob

MakeProduct = Callable[..., Awaitable[str]]
Events = Callable[[str], Awaitable[list[dict[str, Any]]]]


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
