"""A page of products with all of Medusa's default relations costs the same few statements
whatever its size (the JSON is rendered by the database in one of them)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from mercato.core import refcache
from mercato.db.session import Database
from tests.modules.products.helpers import create_product, shirt


async def _statements(client: httpx.AsyncClient, db: Database, path: str) -> tuple[int, int]:
    seen: list[str] = []
    refcache.invalidate()  # every measurement reads its caller (and the rest) afresh

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
    body = res.json()
    size = len(body.get("products") or body.get("variants") or [])
    return size, len([s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))])


async def test_listing_products_runs_a_constant_number_of_queries(
    admin: httpx.AsyncClient, db: Database
) -> None:
    async def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            body = shirt(
                title=f"Shirt {i}", tags=[{"value": f"t{i}"}], images=[f"http://i/{i}"], type={"value": "x"}
            )
            for v in body["variants"]:
                v["sku"] = f"{v['sku']}-{i}"
            await create_product(admin, **body)

    await add(2, 0)
    few, few_queries = await _statements(admin, db, "/admin/products?limit=20")
    await add(10, 2)
    many, many_queries = await _statements(admin, db, "/admin/products?limit=20&offset=0")
    assert (few, many) == (2, 12)
    assert few_queries == many_queries
    # authentication, count, the page's ids, the rendered page (+ the response cache's generation
    # on PostgreSQL)
    assert many_queries <= 5

    _, one = await _statements(
        admin, db, "/admin/products?limit=20&expand=variants,variants.prices,variants.options,options"
    )
    assert one == many_queries


async def test_variant_lists_run_a_constant_number_of_queries(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, **shirt())
    _, few = await _statements(admin, db, f"/admin/products/{product['id']}/variants")
    _, admin_few = await _statements(admin, db, "/admin/variants")
    body = shirt(title="Other")
    body["variants"] = [
        {"title": f"V{i}", "prices": [{"currency_code": "usd", "amount": i}], "options": [{"value": str(i)}]}
        for i in range(8)
    ]
    other = await create_product(admin, **body)
    _, many = await _statements(admin, db, f"/admin/products/{other['id']}/variants")
    _, admin_many = await _statements(admin, db, "/admin/variants?limit=50")
    assert few == many
    assert admin_few == admin_many
