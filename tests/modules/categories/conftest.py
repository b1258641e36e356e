"""Fixtures of the catalog tests: products written directly (the products routes are another
group's) and the staged events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
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


async def create(admin: httpx.AsyncClient, name: str, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/product-categories", json={"name": name, **body})
    assert res.status_code == 200, res.text
    category: dict[str, Any] = res.json()["product_category"]
    return category


@pytest.fixture
async def tree(admin: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """Medusa's fixture of the comparison runs: roots A and B; A1, A2, A3 under A; A1x under A1;
    B1 (internal), B2, B3 (inactive) under B; B1a under B1; B2a (internal) and B2b under B2."""
    made: dict[str, dict[str, Any]] = {}
    made["A"] = await create(admin, "Root A")
    made["B"] = await create(
        admin, "Root B", is_active=True, is_internal=False, description="desc B", metadata={"k": "v"}
    )
    for name in ("A1", "A2", "A3"):
        made[name] = await create(admin, f"Cat {name}", parent_category_id=made["A"]["id"], is_active=True)
    made["A1x"] = await create(
        admin, "Cat A1x", parent_category_id=made["A1"]["id"], is_active=True, is_internal=True
    )
    made["B1"] = await create(
        admin, "Cat B1", parent_category_id=made["B"]["id"], is_active=True, is_internal=True
    )
    made["B2"] = await create(admin, "Cat B2", parent_category_id=made["B"]["id"], is_active=True)
    made["B3"] = await create(admin, "Cat B3", parent_category_id=made["B"]["id"])
    made["B1a"] = await create(admin, "Cat B1a", parent_category_id=made["B1"]["id"], is_active=True)
    made["B2a"] = await create(
        admin, "Cat B2a", parent_category_id=made["B2"]["id"], is_active=True, is_internal=True
    )
    made["B2b"] = await create(admin, "Cat B2b", parent_category_id=made["B2"]["id"], is_active=True)
    return made
