"""Reading a cart costs the same number of statements whatever the number of its lines."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from mercato.db.session import Database
from tests.modules.carts.conftest import Shop
from tests.modules.carts.test_store_carts import new_cart


async def _selects(client: httpx.AsyncClient, db: Database, path: str) -> int:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engines = {id(e.sync_engine): e.sync_engine for e in (db.reader, db.writer)}
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        res = await client.get(path)
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)
    assert res.status_code == 200, res.text
    return len([s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))])


async def test_get_cart_runs_a_bounded_number_of_queries(
    client: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    small = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    await client.post(f"/store/carts/{small['id']}/shipping-methods", json={"option_id": shop.standard})
    big = await new_cart(
        client,
        region_id=shop.eu,
        items=[{"variant_id": shop.small, "quantity": 1}, {"variant_id": shop.large, "quantity": 2}],
    )
    await client.post(f"/store/carts/{big['id']}/shipping-methods", json={"option_id": shop.standard})
    few = await _selects(client, db, f"/store/carts/{small['id']}")
    many = await _selects(client, db, f"/store/carts/{big['id']}")
    assert few == many
    assert many <= 25
