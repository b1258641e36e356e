"""A cart's region reference rows (countries, providers, tax rates) and product/shipping tax rates
come from an in-process cache (core.refcache); a committed change is seen by the next request."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from mercato.core import refcache
from mercato.db.session import Database
from tests.modules.carts.conftest import Shop
from tests.modules.carts.test_store_carts import new_cart


async def test_a_new_tax_rate_and_country_show_on_the_next_cart_read(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop
) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    before = (await client.get(f"/store/carts/{cart['id']}")).json()["cart"]
    assert before["region"]["tax_rates"] == []
    item_tax = before["items"][0]["tax_total"]

    res = await admin.post(
        "/admin/tax-rates",
        json={"region_id": shop.eu, "name": "reduced", "code": "R", "rate": 5, "products": [shop.product]},
    )
    assert res.status_code == 200, res.text
    res = await admin.post(f"/admin/regions/{shop.eu}/countries", json={"country_code": "es"})
    assert res.status_code == 200, res.text

    after = (await client.get(f"/store/carts/{cart['id']}")).json()["cart"]
    assert [r["name"] for r in after["region"]["tax_rates"]] == ["reduced"]
    assert "es" in {c["iso_2"] for c in after["region"]["countries"]}
    # the product's own 5 % replaces the region's 20 %
    assert after["items"][0]["tax_total"] == round(item_tax / 4)


async def test_only_committed_reference_writes_move_the_generation(db: Database, shop: Shop) -> None:
    start = refcache._generation
    async with db.write_session() as tx:
        await tx.execute(text("UPDATE tax_rate SET name = name WHERE 1 = 0"))
        await tx.rollback()
    assert refcache._generation == start
    async with db.write_session() as tx:
        await tx.execute(text("UPDATE cart SET email = email WHERE 1 = 0"))
        await tx.commit()
    assert refcache._generation == start
    async with db.write_session() as tx:
        await tx.execute(text("UPDATE tax_rate SET name = name WHERE 1 = 0"))
        await tx.commit()
    assert refcache._generation > start


async def test_a_reference_write_of_another_process_is_seen_at_once(db: Database, shop: Shop) -> None:
    """PostgreSQL: the processes using one database on this machine (`serve --workers N`) share
    a generation counter, so an entry does not outlive another worker's committed change until
    TTL. The other process is played by a second mapping of the same counter."""
    if db.is_sqlite:
        pytest.skip("several processes serve PostgreSQL only")
    mine = refcache._share(db.writer)
    assert mine is not None
    other = refcache._Shared(mine.key)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        return loads

    key = ("another process", id(other))
    async with db.write_session() as tx:
        assert await refcache.cached(tx, key, load) == 1
        assert await refcache.cached(tx, key, load) == 1  # served from memory
        other.bump()
        assert await refcache.cached(tx, key, load) == 2  # read afresh
        assert await refcache.cached(tx, key, load) == 2
        # this process's own committed write moves the counter the others read
        seen = other.value()
        await tx.execute(text("UPDATE tax_rate SET name = name WHERE 1 = 0"))
        await tx.commit()
    assert other.value() > seen


async def test_a_changed_option_requirement_applies_to_the_next_shipping_method(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop
) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    path = f"/store/carts/{cart['id']}/shipping-methods"
    assert (await client.post(path, json={"option_id": shop.standard})).status_code == 200
    res = await admin.post(
        f"/admin/shipping-options/{shop.standard}",
        json={"requirements": [{"type": "min_subtotal", "amount": 100_000}]},
    )
    assert res.status_code == 200, res.text
    refused = await client.post(path, json={"option_id": shop.standard})
    assert refused.status_code == 400, refused.text
    assert refused.json()["message"] == "The Cart does not satisfy the shipping option's requirements"


async def test_a_changed_product_profile_shows_on_the_next_cart_read(
    client: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    product = await _product_of_first_item(client, cart["id"])
    assert product["profile_id"] == shop.profile
    async with db.write_session() as tx:
        await tx.execute(
            text(
                "INSERT INTO shipping_profile (id, name, type, created_at, updated_at) "
                "VALUES ('sp_other', 'Other', 'custom', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        await tx.execute(
            text("UPDATE product_shipping_profile SET profile_id = 'sp_other' WHERE product_id = :p"),
            {"p": shop.product},
        )
        await tx.commit()
    product = await _product_of_first_item(client, cart["id"])
    assert product["profile_id"] == "sp_other"
    assert [p["id"] for p in product["profiles"]] == ["sp_other"]


async def _product_of_first_item(client: httpx.AsyncClient, cart_id: str) -> dict[str, Any]:
    cart = (await client.get(f"/store/carts/{cart_id}")).json()["cart"]
    product: dict[str, Any] = cart["items"][0]["variant"]["product"]
    return product
