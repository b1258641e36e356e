"""/admin/product-categories: the seven routes of Medusa's api/routes/admin/product-categories,
checked against the answers of a real Medusa 1.20.11 (messages verbatim, ranks as its
ProductCategoryService shifts them)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.categories.models import ProductCategory, t_product_category_product
from tests.modules.categories.conftest import Events, MakeProduct, create

COLUMNS = [
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


def invalid(res: httpx.Response, message: str) -> None:
    assert res.status_code == 400, res.text
    assert res.json() == {"type": "invalid_data", "message": message}


async def tree_state(db: Database) -> dict[str, tuple[str | None, int, str | None]]:
    """name -> (parent name, rank, mpath as names)"""
    async with db.read_session() as tx:
        rows = (await tx.execute(select(ProductCategory))).scalars().all()
    names = {r.id: r.name for r in rows}
    return {
        r.name: (
            names.get(r.parent_category_id or ""),
            r.rank,
            ".".join(names[i] for i in (r.mpath or "").split(".") if i) if r.mpath else None,
        )
        for r in rows
    }


async def update(admin: httpx.AsyncClient, category_id: str, **body: Any) -> httpx.Response:
    return await admin.post(f"/admin/product-categories/{category_id}", json=body)


# ---- POST /admin/product-categories ------------------------------------------------------------


async def test_create_root_and_child(admin: httpx.AsyncClient, db: Database, events: Events) -> None:
    res = await admin.post("/admin/product-categories", json={"name": "CC Cat Root A"})
    assert res.status_code == 200
    root = res.json()["product_category"]
    assert list(root) == [*COLUMNS, "category_children", "parent_category"]
    assert root["id"].startswith("pcat_")
    assert root["handle"] == "cc-cat-root-a"
    assert (root["description"], root["is_active"], root["is_internal"]) == ("", False, False)
    assert (root["parent_category_id"], root["rank"], root["metadata"]) == (None, 0, None)
    assert (root["category_children"], root["parent_category"]) == ([], None)
    assert await events("product-category.created") == [{"id": root["id"]}]

    child = await create(admin, "CC Cat A1", parent_category_id=root["id"], is_active=True, metadata={"m": 1})
    assert child["handle"] == "cc-cat-a-1"
    assert (child["parent_category_id"], child["rank"], child["is_active"]) == (root["id"], 0, True)
    assert child["metadata"] == {"m": 1}
    assert child["parent_category"] == {k: root[k] for k in COLUMNS}
    async with db.read_session() as tx:
        row = await tx.get(ProductCategory, child["id"])
        assert row is not None and row.mpath == f"{root['id']}.{child['id']}."
        parent_row = await tx.get(ProductCategory, root["id"])
        assert parent_row is not None and parent_row.mpath == f"{root['id']}."

    # a new category goes to the end of its siblings
    second = await create(admin, "CC Cat A2", parent_category_id=root["id"], handle="own-handle")
    assert (second["rank"], second["handle"]) == (1, "own-handle")
    other_root = await create(admin, "Root B", parent_category_id=None, description="d", is_internal=True)
    assert (other_root["rank"], other_root["description"], other_root["is_internal"]) == (1, "d", True)
    # an explicit null flag is stored as null, not as the column's default
    nulls = await create(admin, "Nulls", is_internal=None, is_active=None)
    assert (nulls["is_internal"], nulls["is_active"]) == (None, None)
    # "null" in the body is null (the base class's transform)
    third_root = await create(admin, "Root C", parent_category_id="null")
    assert (third_root["parent_category_id"], third_root["rank"]) == (None, 3)


async def test_create_refusals(admin: httpx.AsyncClient, db: Database) -> None:
    await create(admin, "Taken")
    res = await admin.post("/admin/product-categories", json={"name": "Taken"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Product_category with handle taken already exists.",
    }
    res = await admin.post("/admin/product-categories", json={"name": "x", "parent_category_id": "pcat_nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "ProductCategory with id: pcat_nope was not found"}
    invalid(
        await admin.post(
            "/admin/product-categories",
            json={
                "foo": 1,
                "name": 1,
                "metadata": 1,
                "description": 1,
                "handle": 1,
                "is_internal": "x",
                "is_active": "y",
                "parent_category_id": 1,
            },
        ),
        "property foo should not exist, name must be a string, metadata must be an object, "
        "description must be a string, handle must be a string, is_internal must be a boolean value, "
        "is_active must be a boolean value, parent_category_id must be a string",
    )
    invalid(
        await admin.post("/admin/product-categories", json={}),
        "name should not be empty, name must be a string",
    )
    invalid(await admin.post("/admin/product-categories"), "name should not be empty, name must be a string")
    invalid(await admin.post("/admin/product-categories", json={"name": ""}), "name should not be empty")
    invalid(
        await admin.post("/admin/product-categories", json={"name": "x", "description": None}),
        "description must be a string",
    )
    invalid(
        await admin.post("/admin/product-categories", params={"expand": "products"}, json={"name": "x"}),
        "Requested fields [products] are not valid",
    )
    async with db.read_session() as tx:
        assert [c.name for c in (await tx.execute(select(ProductCategory))).scalars()] == ["Taken"]


async def test_create_answer_follows_fields_and_expand(admin: httpx.AsyncClient) -> None:
    root = await create(admin, "Root")
    res = await admin.post(
        "/admin/product-categories",
        params={"fields": "name"},
        json={"name": "Child", "parent_category_id": root["id"]},
    )
    body = res.json()["product_category"]
    assert list(body) == ["id", "name", "category_children", "parent_category"]
    res = await admin.post(
        "/admin/product-categories", params={"expand": "parent_category"}, json={"name": "Child 2"}
    )
    # the descendants tree is always attached (findDescendantsTree)
    assert set(res.json()["product_category"]) == {*COLUMNS, "parent_category", "category_children"}
    res = await admin.post("/admin/product-categories", params={"expand": ""}, json={"name": "Child 3"})
    assert set(res.json()["product_category"]) == {*COLUMNS, "category_children"}


async def test_admin_routes_need_authentication(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/admin/product-categories"),
        ("POST", "/admin/product-categories"),
        ("GET", "/admin/product-categories/pcat_x"),
        ("POST", "/admin/product-categories/pcat_x"),
        ("DELETE", "/admin/product-categories/pcat_x"),
        ("POST", "/admin/product-categories/pcat_x/products/batch"),
        ("DELETE", "/admin/product-categories/pcat_x/products/batch"),
    ]:
        res = await client.request(method, path, json={"name": "x", "product_ids": [{"id": "p"}]})
        assert (res.status_code, res.text) == (401, "Unauthorized"), (method, path)


# ---- GET /admin/product-categories/{id} --------------------------------------------------------


async def test_retrieve_has_the_whole_subtree_and_the_parent(
    admin: httpx.AsyncClient, tree: dict[str, dict[str, Any]]
) -> None:
    res = await admin.get(f"/admin/product-categories/{tree['A']['id']}")
    assert res.status_code == 200
    root = res.json()["product_category"]
    assert list(root) == [*COLUMNS, "category_children", "parent_category"]
    assert root["parent_category"] is None
    assert [c["name"] for c in root["category_children"]] == ["Cat A1", "Cat A2", "Cat A3"]
    a1 = root["category_children"][0]
    assert list(a1) == [*COLUMNS, "category_children"]
    # the admin sees internal and inactive categories
    assert [(c["name"], c["is_internal"]) for c in a1["category_children"]] == [("Cat A1x", True)]
    assert a1["category_children"][0]["category_children"] == []

    res = await admin.get(f"/admin/product-categories/{tree['A1']['id']}")
    body = res.json()["product_category"]
    assert body["parent_category"] == {k: v for k, v in tree["A"].items() if k in COLUMNS}
    assert "category_children" not in body["parent_category"]

    # expand/fields are validated, but the answer keeps the default relations
    res = await admin.get(f"/admin/product-categories/{tree['A1']['id']}", params={"fields": "name"})
    assert res.json()["product_category"] == body
    res = await admin.get(
        f"/admin/product-categories/{tree['A1']['id']}", params={"expand": "parent_category"}
    )
    assert res.json()["product_category"] == body
    invalid(
        await admin.get(f"/admin/product-categories/{tree['A1']['id']}", params={"expand": "products"}),
        "Requested fields [products] are not valid",
    )
    invalid(
        await admin.get(f"/admin/product-categories/{tree['A1']['id']}", params={"limit": "1"}),
        "property limit should not exist",
    )


async def test_retrieve_unknown(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/product-categories/pcat_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "ProductCategory with id: pcat_nope was not found"}


# ---- GET /admin/product-categories -------------------------------------------------------------


async def test_list_orders_by_rank_then_handle(
    admin: httpx.AsyncClient, tree: dict[str, dict[str, Any]]
) -> None:
    res = await admin.get("/admin/product-categories", params={"q": "cat a"})
    assert res.status_code == 200
    body = res.json()
    assert list(body) == ["count", "product_categories", "offset", "limit"]
    assert (body["count"], body["offset"], body["limit"]) == (4, 0, 100)
    assert [c["name"] for c in body["product_categories"]] == ["Cat A1", "Cat A1x", "Cat A2", "Cat A3"]
    a1 = body["product_categories"][0]
    assert list(a1) == [*COLUMNS, "category_children", "parent_category"]
    # direct children only, without their own children
    assert a1["category_children"] == [{k: tree["A1x"][k] for k in COLUMNS}]
    assert a1["parent_category"] == {k: tree["A"][k] for k in COLUMNS}

    res = await admin.get("/admin/product-categories")
    names = [c["name"] for c in res.json()["product_categories"]]
    assert res.json()["count"] == 12
    assert names[:6] == ["Cat A1", "Cat A1x", "Cat B1", "Cat B1a", "Cat B2a", "Root A"]


async def test_list_filters(admin: httpx.AsyncClient, tree: dict[str, dict[str, Any]]) -> None:
    async def names(**query: Any) -> list[str]:
        res = await admin.get("/admin/product-categories", params=query)
        assert res.status_code == 200, res.text
        return [c["name"] for c in res.json()["product_categories"]]

    assert await names(parent_category_id="null") == ["Root A", "Root B"]
    assert await names(parent_category_id=tree["B"]["id"]) == ["Cat B1", "Cat B2", "Cat B3"]
    assert await names(handle="cat-b-2") == ["Cat B2"]
    # with q, Medusa drops the handle filter
    assert await names(q="b2", handle="cat-b-2") == ["Cat B2a", "Cat B2", "Cat B2b"]
    assert await names(is_internal="true") == ["Cat A1x", "Cat B1", "Cat B2a"]
    assert await names(is_active="false") == ["Root A", "Cat B3"]
    assert await names(is_active="false", parent_category_id="null") == ["Root A"]
    assert await names(limit=2, offset=1) == ["Cat A1x", "Cat B1"]
    # `order` is accepted and ignored
    assert await names(order="-name", parent_category_id="null") == ["Root A", "Root B"]


async def test_list_with_the_descendants_tree(
    admin: httpx.AsyncClient, tree: dict[str, dict[str, Any]]
) -> None:
    res = await admin.get(
        "/admin/product-categories", params={"parent_category_id": "null", "include_descendants_tree": "true"}
    )
    body = res.json()
    assert body["count"] == 2
    root_a, root_b = body["product_categories"]
    assert list(root_a) == [*COLUMNS, "category_children", "parent_category"]
    assert [c["name"] for c in root_a["category_children"]] == ["Cat A1", "Cat A2", "Cat A3"]
    assert [c["name"] for c in root_a["category_children"][0]["category_children"]] == ["Cat A1x"]
    assert root_a["category_children"][0]["category_children"][0]["category_children"] == []
    assert [c["name"] for c in root_b["category_children"]] == ["Cat B1", "Cat B2", "Cat B3"]
    assert [c["name"] for c in root_b["category_children"][1]["category_children"]] == ["Cat B2a", "Cat B2b"]
    # anything but true/false is no flag at all
    res = await admin.get(
        "/admin/product-categories",
        params={"parent_category_id": "null", "include_descendants_tree": "maybe"},
    )
    assert "category_children" not in res.json()["product_categories"][0]["category_children"][0]


async def test_list_fields_and_expand(admin: httpx.AsyncClient, tree: dict[str, dict[str, Any]]) -> None:
    res = await admin.get(
        "/admin/product-categories", params={"handle": "root-b", "expand": "category_children"}
    )
    (root_b,) = res.json()["product_categories"]
    assert list(root_b) == [*COLUMNS, "category_children"]
    res = await admin.get("/admin/product-categories", params={"handle": "root-b", "expand": ""})
    assert list(res.json()["product_categories"][0]) == COLUMNS
    res = await admin.get("/admin/product-categories", params={"handle": "root-b", "fields": "name,handle"})
    (root_b,) = res.json()["product_categories"]
    assert list(root_b) == ["id", "created_at", "name", "handle", "category_children", "parent_category"]
    assert list(root_b["category_children"][0]) == ["id", "created_at", "name", "handle"]
    invalid(
        await admin.get("/admin/product-categories", params={"expand": "products"}),
        "Requested fields [products] are not valid",
    )


async def test_list_bad_queries(admin: httpx.AsyncClient) -> None:
    invalid(
        await admin.get(
            "/admin/product-categories",
            params={
                "limit": "x",
                "offset": "y",
                "q[]": "1",
                "expand[]": "a",
                "fields[]": "b",
                "order[]": "c",
                "handle[]": "d",
                "is_active[]": "1",
                "parent_category_id[]": "2",
                "include_descendants_tree": "maybe",
                "is_internal[]": "x",
            },
        ),
        "q must be a string, handle must be a string, is_internal must be a string, "
        "is_active must be a string, parent_category_id must be a string, expand must be a string, "
        "fields must be a string, "
        "offset must be a number conforming to the specified constraints, "
        "limit must be a number conforming to the specified constraints, order must be a string",
    )
    invalid(
        await admin.get("/admin/product-categories", params={"foo": "1"}), "property foo should not exist"
    )
    invalid(
        await admin.get("/admin/product-categories", params={"is_active": "perhaps"}),
        "is_active must be a boolean value",
    )


# ---- POST /admin/product-categories/{id} -------------------------------------------------------


async def test_update_fields_and_metadata(admin: httpx.AsyncClient, events: Events) -> None:
    category = await create(admin, "Before", metadata={"keep": 1, "drop": 2})
    res = await update(
        admin,
        category["id"],
        name="After",
        description="text",
        handle="after",
        is_active=True,
        is_internal=True,
        metadata={"drop": "", "nil": None},
    )
    assert res.status_code == 200
    body = res.json()["product_category"]
    assert (body["name"], body["description"], body["handle"]) == ("After", "text", "after")
    assert (body["is_active"], body["is_internal"]) == (True, True)
    assert body["metadata"] == {"keep": 1, "nil": None}
    assert body["updated_at"] >= category["updated_at"]
    assert await events("product-category.updated") == [{"id": category["id"]}]
    # null is stored for the flags, as Medusa does
    res = await update(admin, category["id"], is_active=None)
    assert res.json()["product_category"]["is_active"] is None
    # the answer follows fields/expand
    res = await admin.post(f"/admin/product-categories/{category['id']}", params={"fields": "name"}, json={})
    assert list(res.json()["product_category"]) == ["id", "name", "category_children", "parent_category"]


async def test_update_refusals(admin: httpx.AsyncClient, tree: dict[str, dict[str, Any]]) -> None:
    b3 = tree["B3"]["id"]
    res = await update(admin, b3, handle="cat-b-2")
    assert res.status_code == 422
    assert res.json()["message"] == "Product_category with handle cat-b-2 already exists."
    for column in ("rank", "name", "handle"):
        invalid(
            await update(admin, b3, **{column: None}),
            f"Can't insert null value in field {column} on insert in table product_category",
        )
    invalid(await update(admin, b3, description=None), "description must be a string")
    invalid(
        await update(
            admin,
            b3,
            foo=1,
            name=1,
            metadata=1,
            description=1,
            handle=1,
            is_internal="x",
            is_active="y",
            parent_category_id=1,
            rank=-1,
        ),
        "property foo should not exist, name must be a string, handle must be a string, "
        "rank must not be less than 0, metadata must be an object, description must be a string, "
        "is_internal must be a boolean value, "
        "is_active must be a boolean value, parent_category_id must be a string",
    )
    invalid(
        await update(admin, b3, handle="", rank=1.5),
        "handle should not be empty, rank must be an integer number",
    )
    invalid(await update(admin, b3, rank="1"), "rank must not be less than 0, rank must be an integer number")
    res = await update(admin, "pcat_nope", name="x")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "ProductCategory with id: pcat_nope was not found"}
    res = await update(admin, b3, parent_category_id="pcat_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "ProductCategory with id: pcat_nope was not found"}
    # a category cannot go below itself (Medusa would corrupt its tree)
    invalid(
        await update(admin, tree["B"]["id"], parent_category_id=tree["B2a"]["id"]),
        f"ProductCategory ({tree['B']['id']}) cannot be moved under itself or one of its descendants",
    )
    invalid(
        await update(admin, b3, parent_category_id=b3),
        f"ProductCategory ({b3}) cannot be moved under itself or one of its descendants",
    )
    res = await admin.get(f"/admin/product-categories/{b3}")
    assert (res.json()["product_category"]["rank"], res.json()["product_category"]["handle"]) == (
        2,
        "cat-b-3",
    )


# ---- rank ordering -----------------------------------------------------------------------------


async def test_rank_moves_within_a_parent(
    admin: httpx.AsyncClient, db: Database, tree: dict[str, dict[str, Any]]
) -> None:
    b3 = tree["B3"]["id"]
    res = await update(admin, b3, rank=0)
    assert res.json()["product_category"]["rank"] == 0
    state = await tree_state(db)
    assert [state[n][1] for n in ("Cat B3", "Cat B1", "Cat B2")] == [0, 1, 2]
    # beyond the last sibling: the last rank
    await update(admin, b3, rank=10)
    state = await tree_state(db)
    assert [state[n][1] for n in ("Cat B1", "Cat B2", "Cat B3")] == [0, 1, 2]
    # to the middle, downwards
    await update(admin, tree["B1"]["id"], rank=1)
    state = await tree_state(db)
    assert [state[n][1] for n in ("Cat B2", "Cat B1", "Cat B3")] == [0, 1, 2]
    # the same rank changes nothing
    before = (await admin.get(f"/admin/product-categories/{b3}")).json()["product_category"]
    res = await update(admin, b3, rank=2)
    assert res.json()["product_category"]["updated_at"] == before["updated_at"]
    # other parents are untouched
    assert [state[n][1] for n in ("Cat A1", "Cat A2", "Cat A3")] == [0, 1, 2]


async def test_moving_to_another_parent_shifts_both_sibling_lists_and_the_subtree(
    admin: httpx.AsyncClient, db: Database, tree: dict[str, dict[str, Any]]
) -> None:
    b2 = tree["B2"]["id"]
    res = await update(admin, b2, parent_category_id=tree["A"]["id"], rank=1)
    body = res.json()["product_category"]
    assert (body["parent_category_id"], body["rank"]) == (tree["A"]["id"], 1)
    assert body["parent_category"]["id"] == tree["A"]["id"]
    assert [c["name"] for c in body["category_children"]] == ["Cat B2a", "Cat B2b"]
    state = await tree_state(db)
    assert state["Cat A1"][:2] == ("Root A", 0)
    assert state["Cat B2"] == ("Root A", 1, "Root A.Cat B2")
    assert state["Cat A2"][:2] == ("Root A", 2)
    assert state["Cat A3"][:2] == ("Root A", 3)
    assert state["Cat B1"][:2] == ("Root B", 0)
    assert state["Cat B3"][:2] == ("Root B", 1)
    # the moved category's descendants follow it
    assert state["Cat B2a"] == ("Cat B2", 0, "Root A.Cat B2.Cat B2a")
    assert state["Cat B2b"] == ("Cat B2", 1, "Root A.Cat B2.Cat B2b")

    # to the roots, at the end when no rank is given
    res = await update(admin, tree["B1"]["id"], parent_category_id=None)
    assert (res.json()["product_category"]["rank"], res.json()["product_category"]["parent_category"]) == (
        2,
        None,
    )
    state = await tree_state(db)
    assert state["Cat B1"] == (None, 2, "Cat B1")
    assert state["Cat B1a"] == ("Cat B1", 0, "Cat B1.Cat B1a")
    assert state["Cat B3"][:2] == ("Root B", 0)
    # a rank beyond the new siblings: the end
    await update(admin, tree["A3"]["id"], parent_category_id=tree["B"]["id"], rank=7)
    state = await tree_state(db)
    assert state["Cat A3"][:2] == ("Root B", 1)
    # to the front of the new parent
    await update(admin, tree["A1x"]["id"], parent_category_id=tree["B"]["id"], rank=0)
    state = await tree_state(db)
    assert [state[n][1] for n in ("Cat A1x", "Cat B3", "Cat A3")] == [0, 1, 2]
    assert state["Cat A1x"][2] == "Root B.Cat A1x"


# ---- DELETE /admin/product-categories/{id} -----------------------------------------------------


async def test_delete(
    admin: httpx.AsyncClient,
    db: Database,
    tree: dict[str, dict[str, Any]],
    make_product: MakeProduct,
    events: Events,
) -> None:
    res = await admin.delete(f"/admin/product-categories/{tree['A']['id']}")
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": f"Deleting ProductCategory ({tree['A']['id']}) with category children is not allowed",
    }
    product = await make_product("Linked")
    await admin.post(
        f"/admin/product-categories/{tree['A1x']['id']}/products/batch",
        json={"product_ids": [{"id": product}]},
    )
    for leaf in ("B2a", "A1x"):
        res = await admin.delete(f"/admin/product-categories/{tree[leaf]['id']}")
        assert res.status_code == 200
        assert res.json() == {"id": tree[leaf]["id"], "object": "product-category", "deleted": True}
    state = await tree_state(db)
    assert "Cat B2a" not in state and "Cat A1x" not in state
    assert state["Cat B2b"][:2] == ("Cat B2", 0)
    deleted = sorted(e["id"] for e in await events("product-category.deleted"))
    assert deleted == sorted([tree["B2a"]["id"], tree["A1x"]["id"]])
    async with db.read_session() as tx:
        assert (await tx.execute(select(t_product_category_product))).all() == []
    # deleting the middle sibling closes the gap
    await admin.delete(f"/admin/product-categories/{tree['A2']['id']}")
    state = await tree_state(db)
    assert [state[n][1] for n in ("Cat A1", "Cat A3")] == [0, 1]
    # an unknown id is no error
    res = await admin.delete("/admin/product-categories/pcat_nope")
    assert res.status_code == 200
    assert res.json() == {"id": "pcat_nope", "object": "product-category", "deleted": True}


# ---- POST/DELETE /admin/product-categories/{id}/products/batch ----------------------------------


async def test_add_and_remove_products(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct
) -> None:
    category = await create(admin, "Shoes")
    one, two = await make_product("One"), await make_product("Two")
    url = f"/admin/product-categories/{category['id']}/products/batch"
    res = await admin.post(url, json={"product_ids": [{"id": one}, {"id": two}]})
    assert res.status_code == 200
    body = res.json()["product_category"]
    assert body["id"] == category["id"] and "products" not in body
    # adding again is no error
    res = await admin.post(url, params={"fields": "name"}, json={"product_ids": [{"id": one}, {"id": one}]})
    assert list(res.json()["product_category"]) == ["id", "name", "category_children", "parent_category"]

    async def links() -> list[str]:
        async with db.read_session() as tx:
            rows = await tx.execute(
                select(t_product_category_product.c.product_id).where(
                    t_product_category_product.c.product_category_id == category["id"]
                )
            )
            return sorted(rows.scalars())

    assert await links() == sorted([one, two])
    res = await admin.request("DELETE", url, json={"product_ids": [{"id": one}]})
    assert res.status_code == 200
    assert res.json()["product_category"]["id"] == category["id"]
    assert await links() == [two]


async def test_batch_refusals(admin: httpx.AsyncClient, db: Database, make_product: MakeProduct) -> None:
    category = await create(admin, "Strict")
    product = await make_product("Real")
    gone = await make_product("Gone", deleted=True)
    url = f"/admin/product-categories/{category['id']}/products/batch"
    for method in ("POST", "DELETE"):
        res = await admin.request(method, url, json={"product_ids": [{"id": "prod_nope"}, {"id": gone}]})
        assert res.status_code == 400
        assert res.json() == {
            "errors": [f"Products prod_nope, {gone} do not exist"],
            "message": "Provided request body contains errors. Please check the data and retry the request",
        }
        invalid(await admin.request(method, url, json={}), "product_ids must be an array")
        invalid(
            await admin.request(method, url, json={"product_ids": [{"idx": 1}]}),
            "property idx should not exist, id must be a string",
        )
        invalid(
            await admin.request(method, url, json={"product_ids": ["x", "y", {"id": 2}, {"id": 3}]}),
            "each value in nested property product_ids must be either object or array, "
            "each value in nested property product_ids must be either object or array, "
            "id must be a string, id must be a string",
        )
        invalid(
            await admin.request(method, url, json={"product_ids": None}),
            "product_ids must be an array, "
            "each value in nested property product_ids must be either object or array",
        )
        invalid(
            await admin.request(method, url, json={"product_ids": {"id": "p"}}),
            "product_ids must be an array",
        )
        invalid(
            await admin.request(method, url, json={"product_ids": [{"id": product}], "x": 1}),
            "property x should not exist",
        )
        # an empty list changes nothing
        res = await admin.request(method, url, json={"product_ids": []})
        assert res.status_code == 200
    res = await admin.post(
        "/admin/product-categories/pcat_nope/products/batch", json={"product_ids": [{"id": product}]}
    )
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Product_category with product_category_id pcat_nope does not exist.",
    }
    res = await admin.request(
        "DELETE",
        "/admin/product-categories/pcat_nope/products/batch",
        json={"product_ids": [{"id": product}]},
    )
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "ProductCategory with id: pcat_nope was not found"}
    async with db.read_session() as tx:
        assert (await tx.execute(select(t_product_category_product))).all() == []


async def test_concurrent_creates_take_distinct_ranks(admin: httpx.AsyncClient, db: Database) -> None:
    root = await create(admin, "Busy")
    responses = await asyncio.gather(
        *(
            admin.post(
                "/admin/product-categories", json={"name": f"Busy {n}", "parent_category_id": root["id"]}
            )
            for n in range(8)
        )
    )
    assert [r.status_code for r in responses] == [200] * 8
    state = await tree_state(db)
    assert sorted(state[f"Busy {n}"][1] for n in range(8)) == list(range(8))
    # and a handle raced for by two requests is one success and one duplicate
    first, second = await asyncio.gather(
        admin.post("/admin/product-categories", json={"name": "Same"}),
        admin.post("/admin/product-categories", json={"name": "Same"}),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 422]
