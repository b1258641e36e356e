"""/store/collections: list and retrieve, without authentication, as Medusa 1.20.11 answers."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from mercato.db.session import Database
from tests.modules.collections.conftest import MakeProduct
from tests.modules.collections.test_admin_collections import COLUMNS, create, invalid


async def test_store_lists_collections(admin: httpx.AsyncClient, app: Any, make_product: MakeProduct) -> None:
    first = await create(admin, title="First", metadata={"x": 1})
    second = await create(admin, title="Second", handle="second-h")
    gone = await create(admin, title="Gone")
    await admin.delete(f"/admin/collections/{gone['id']}")
    product = await make_product("In first")
    await admin.post(f"/admin/collections/{first['id']}/products/batch", json={"product_ids": [product]})

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as anonymous:
        res = await anonymous.get("/store/collections")
        assert res.status_code == 200
        body = res.json()
        assert list(body) == ["collections", "count", "limit", "offset"]
        assert (body["count"], body["limit"], body["offset"]) == (2, 10, 0)
        assert [c["id"] for c in body["collections"]] == [second["id"], first["id"]]
        # every column, no products
        assert list(body["collections"][1]) == COLUMNS
        assert body["collections"][1]["metadata"] == {"x": 1}

        res = await anonymous.get("/store/collections", params={"handle[]": ["second-h", "nope"]})
        assert [c["id"] for c in res.json()["collections"]] == [second["id"]]
        res = await anonymous.get("/store/collections", params={"limit": 1, "offset": 1})
        body = res.json()
        assert ([c["id"] for c in body["collections"]], body["count"], body["limit"], body["offset"]) == (
            [first["id"]],
            2,
            1,
            1,
        )
        res = await anonymous.get("/store/collections", params={"created_at[lt]": "2000-01-01"})
        assert res.json()["collections"] == []

        res = await anonymous.get(f"/store/collections/{first['id']}", params={"expand": "products"})
        assert res.status_code == 200
        retrieved = res.json()["collection"]
        assert list(retrieved) == COLUMNS
        assert retrieved["id"] == first["id"] and retrieved["handle"] == "first"

        res = await anonymous.get(f"/store/collections/{gone['id']}")
        assert res.status_code == 404
        assert res.json() == {
            "type": "not_found",
            "message": f"Product collection with id: {gone['id']} was not found",
        }


async def test_store_bad_queries(client: httpx.AsyncClient) -> None:
    invalid(await client.get("/store/collections", params={"handle": "x"}), "handle must be an array")
    invalid(
        await client.get(
            "/store/collections",
            params={"limit": "x", "offset": "y", "handle": "1", "created_at[lt]": "x", "updated_at": "3"},
        ),
        "handle must be an array, limit must be an integer number, offset must be an integer number, "
        "lt must be a Date instance, nested property updated_at must be either object or array",
    )
    invalid(
        await client.get("/store/collections", params={"limit": "1.5"}), "limit must be an integer number"
    )
    invalid(
        await client.get("/store/collections", params={"q": "1", "expand": "products", "fields": "title"}),
        "property q should not exist, property expand should not exist, property fields should not exist",
    )
    invalid(
        await client.get("/store/collections", params={"order": "title"}), "property order should not exist"
    )


async def test_admin_list_runs_a_bounded_number_of_queries(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct
) -> None:
    for n in range(6):
        collection = await create(admin, title=f"Bulk {n}")
        ids = [await make_product(f"P {n} {i}") for i in range(3)]
        await admin.post(f"/admin/collections/{collection['id']}/products/batch", json={"product_ids": ids})

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    for engine in {db.reader.sync_engine, db.writer.sync_engine}:
        event.listen(engine, "before_cursor_execute", count)
    try:
        res = await admin.get("/admin/collections")
    finally:
        for engine in {db.reader.sync_engine, db.writer.sync_engine}:
            event.remove(engine, "before_cursor_execute", count)
    assert res.status_code == 200
    assert len(res.json()["collections"]) == 6
    assert all(len(c["products"]) == 3 for c in res.json()["collections"])
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # auth user, count, page, products, profiles
    assert len(selects) <= 6, selects
