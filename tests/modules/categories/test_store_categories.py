"""/store/product-categories: only active, public categories (is_active and not is_internal), at
every level of the tree, without authentication."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import event

from mercato.db.session import Database
from tests.modules.categories.conftest import MakeProduct, create
from tests.modules.categories.test_admin_categories import invalid

STORE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "name",
    "description",
    "handle",
    "parent_category_id",
    "rank",
    "metadata",
]
ALL_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "name",
    "description",
    "handle",
    "is_active",
    "is_internal",
    "parent_category_id",
    "rank",
    "metadata",
]


@pytest.fixture
async def anonymous(app: Any) -> Any:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_store_list_shows_public_categories_only(
    anonymous: httpx.AsyncClient, tree: dict[str, dict[str, Any]]
) -> None:
    res = await anonymous.get("/store/product-categories")
    assert res.status_code == 200
    body = res.json()
    assert list(body) == ["count", "offset", "limit", "product_categories"]
    assert (body["count"], body["offset"], body["limit"]) == (7, 0, 100)
    by_name = {c["name"]: c for c in body["product_categories"]}
    assert list(by_name) == ["Cat A1", "Cat B1a", "Cat A2", "Cat B2", "Cat B2b", "Root B", "Cat A3"]
    a1 = by_name["Cat A1"]
    assert list(a1) == [*STORE_COLUMNS, "category_children", "parent_category"]
    # the internal child is hidden; the inactive parent is null
    assert (a1["category_children"], a1["parent_category"]) == ([], None)
    b2 = by_name["Cat B2"]
    assert b2["category_children"] == [{k: tree["B2b"][k] for k in STORE_COLUMNS}]
    assert b2["parent_category"] == {k: tree["B"][k] for k in STORE_COLUMNS}
    assert [c["name"] for c in by_name["Root B"]["category_children"]] == ["Cat B2"]

    res = await anonymous.get("/store/product-categories", params={"q": "b2", "handle": "ignored"})
    assert [c["name"] for c in res.json()["product_categories"]] == ["Cat B2", "Cat B2b"]
    res = await anonymous.get("/store/product-categories", params={"handle": "cat-b-2"})
    assert [c["name"] for c in res.json()["product_categories"]] == ["Cat B2"]
    res = await anonymous.get("/store/product-categories", params={"parent_category_id": "null"})
    assert [c["name"] for c in res.json()["product_categories"]] == ["Root B"]
    res = await anonymous.get("/store/product-categories", params={"parent_category_id": tree["A"]["id"]})
    assert [c["name"] for c in res.json()["product_categories"]] == ["Cat A1", "Cat A2", "Cat A3"]
    res = await anonymous.get("/store/product-categories", params={"limit": 2, "offset": 5})
    body = res.json()
    assert (
        [c["name"] for c in body["product_categories"]],
        body["count"],
        body["limit"],
        body["offset"],
    ) == (
        ["Root B", "Cat A3"],
        7,
        2,
        5,
    )


async def test_store_tree_hides_private_categories_at_every_level(
    anonymous: httpx.AsyncClient, tree: dict[str, dict[str, Any]]
) -> None:
    res = await anonymous.get(
        "/store/product-categories", params={"parent_category_id": "null", "include_descendants_tree": "true"}
    )
    (root_b,) = res.json()["product_categories"]
    assert list(root_b) == [*STORE_COLUMNS, "category_children", "parent_category"]
    # Medusa 1.20 leaks the internal B1 and the inactive B3 here (first level only); we do not
    (b2,) = root_b["category_children"]
    assert list(b2) == [*ALL_COLUMNS, "category_children"]
    assert b2["name"] == "Cat B2"
    assert [c["name"] for c in b2["category_children"]] == ["Cat B2b"]
    assert b2["category_children"][0]["category_children"] == []

    res = await anonymous.get(
        "/store/product-categories", params={"handle": "cat-a-1", "include_descendants_tree": "true"}
    )
    assert res.json()["product_categories"][0]["category_children"] == []


async def test_store_retrieve(anonymous: httpx.AsyncClient, tree: dict[str, dict[str, Any]]) -> None:
    res = await anonymous.get(f"/store/product-categories/{tree['B']['id']}")
    assert res.status_code == 200
    root_b = res.json()["product_category"]
    # the tree transformer's pick: keys in alphabetical order, the same columns at every level
    assert list(root_b) == [*sorted(STORE_COLUMNS), "category_children", "parent_category"]
    assert root_b["parent_category"] is None
    (b2,) = root_b["category_children"]
    assert list(b2) == [*sorted(STORE_COLUMNS), "category_children"]
    assert [c["name"] for c in b2["category_children"]] == ["Cat B2b"]
    assert b2["category_children"][0]["category_children"] == []

    res = await anonymous.get(f"/store/product-categories/{tree['B2b']['id']}")
    parent = res.json()["product_category"]["parent_category"]
    assert parent == {k: tree["B2"][k] for k in sorted(STORE_COLUMNS)}

    res = await anonymous.get(f"/store/product-categories/{tree['A1']['id']}")
    body = res.json()["product_category"]
    assert (body["category_children"], body["parent_category"]) == ([], None)

    res = await anonymous.get(f"/store/product-categories/{tree['B']['id']}", params={"fields": "name"})
    assert res.json()["product_category"] == {
        "id": tree["B"]["id"],
        "name": "Root B",
        "category_children": [
            {
                "id": tree["B2"]["id"],
                "name": "Cat B2",
                "category_children": [{"id": tree["B2b"]["id"], "name": "Cat B2b", "category_children": []}],
            }
        ],
        "parent_category": None,
    }
    res = await anonymous.get(
        f"/store/product-categories/{tree['B']['id']}", params={"expand": "parent_category"}
    )
    assert list(res.json()["product_category"]) == [*sorted(STORE_COLUMNS), "parent_category"]


async def test_store_retrieve_hidden_and_unknown(
    anonymous: httpx.AsyncClient, tree: dict[str, dict[str, Any]]
) -> None:
    for name in ("B1", "A", "B3"):
        category_id = tree[name]["id"]
        res = await anonymous.get(f"/store/product-categories/{category_id}")
        assert res.status_code == 404
        assert res.json() == {
            "type": "not_found",
            "message": f"ProductCategory with id: {category_id}, is_internal: false, is_active: true "
            "was not found",
        }
    res = await anonymous.get("/store/product-categories/pcat_nope")
    assert (
        res.json()["message"]
        == "ProductCategory with id: pcat_nope, is_internal: false, is_active: true was not found"
    )


async def test_store_products_of_a_category(
    admin: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_product: MakeProduct
) -> None:
    category = await create(admin, "Public", is_active=True)
    shown, gone = await make_product("Shown"), await make_product("Gone")
    await admin.post(
        f"/admin/product-categories/{category['id']}/products/batch",
        json={"product_ids": [{"id": shown}, {"id": gone}]},
    )
    await admin.post(
        f"/admin/product-categories/{category['id']}/products/batch", json={"product_ids": [{"id": shown}]}
    )
    res = await anonymous.get(
        f"/store/product-categories/{category['id']}", params={"expand": "products", "fields": "name"}
    )
    body = res.json()["product_category"]
    assert list(body) == ["id", "name", "products"]
    assert sorted(p["id"] for p in body["products"]) == sorted([shown, gone])
    assert body["products"][0]["title"] in {"Shown", "Gone"}


async def test_store_bad_queries(anonymous: httpx.AsyncClient, tree: dict[str, dict[str, Any]]) -> None:
    invalid(
        await anonymous.get(
            "/store/product-categories",
            params={
                "limit": "x",
                "offset": "y",
                "q[]": "1",
                "handle[]": "1",
                "parent_category_id[]": "1",
                "include_descendants_tree": "1",
                "is_active": "true",
            },
        ),
        "property is_active should not exist, q must be a string, handle must be a string, "
        "parent_category_id must be a string, "
        "offset must be a number conforming to the specified constraints, "
        "limit must be a number conforming to the specified constraints",
    )
    invalid(
        await anonymous.get(f"/store/product-categories/{tree['B']['id']}", params={"fields": "is_active"}),
        "Requested fields [is_active] are not valid",
    )
    invalid(
        await anonymous.get("/store/product-categories", params={"fields": "is_internal,name"}),
        "Requested fields [is_internal] are not valid",
    )
    invalid(
        await anonymous.get(f"/store/product-categories/{tree['B']['id']}", params={"foo": "1"}),
        "property foo should not exist",
    )


async def test_list_with_tree_runs_a_bounded_number_of_queries(
    anonymous: httpx.AsyncClient, admin: httpx.AsyncClient, db: Database
) -> None:
    for r in range(4):
        root = await create(admin, f"Root {r}", is_active=True)
        for c in range(3):
            child = await create(admin, f"Child {r}.{c}", parent_category_id=root["id"], is_active=True)
            await create(admin, f"Leaf {r}.{c}", parent_category_id=child["id"], is_active=True)

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    for engine in {db.reader.sync_engine, db.writer.sync_engine}:
        event.listen(engine, "before_cursor_execute", count)
    try:
        res = await anonymous.get(
            "/store/product-categories",
            params={"parent_category_id": "null", "include_descendants_tree": "true"},
        )
    finally:
        for engine in {db.reader.sync_engine, db.writer.sync_engine}:
            event.remove(engine, "before_cursor_execute", count)
    roots = res.json()["product_categories"]
    assert len(roots) == 4
    assert all(len(c["category_children"]) == 3 for c in roots)
    assert all(len(g["category_children"]) == 1 for c in roots for g in c["category_children"])
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    # count, page, descendants, parents
    assert len(selects) <= 4, selects
