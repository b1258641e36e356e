"""/admin/collections: the seven routes of Medusa's api/routes/admin/collections, checked against
the answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.collections.models import ProductCollection
from mercato.modules.discounts.models import (
    DiscountCondition,
    DiscountConditionProductCollection,
    DiscountRule,
)
from mercato.modules.products.models import Product
from tests.modules.collections.conftest import Events, MakeProduct

COLUMNS = ["id", "created_at", "updated_at", "deleted_at", "title", "handle", "metadata"]
PRODUCT_EXTRA = {"profiles", "profile", "profile_id"}


def invalid(res: httpx.Response, message: str) -> None:
    assert res.status_code == 400, res.text
    assert res.json() == {"type": "invalid_data", "message": message}


async def create(admin: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/collections", json=body)
    assert res.status_code == 200, res.text
    collection: dict[str, Any] = res.json()["collection"]
    return collection


async def collection_of(db: Database, product_id: str) -> str | None:
    async with db.read_session() as tx:
        value: str | None = (
            await tx.execute(select(Product.collection_id).where(Product.id == product_id))
        ).scalar_one()
        return value


# ---- POST /admin/collections -------------------------------------------------------------------


async def test_create_derives_the_handle_from_the_title(admin: httpx.AsyncClient, events: Events) -> None:
    res = await admin.post("/admin/collections", json={"title": "CC Test Été Collection!"})
    assert res.status_code == 200
    collection = res.json()["collection"]
    assert list(collection) == [*COLUMNS, "products"]
    assert collection["id"].startswith("pcol_")
    assert collection["title"] == "CC Test Été Collection!"
    assert collection["handle"] == "cc-test-ete-collection"
    assert collection["deleted_at"] is None
    assert collection["metadata"] is None
    assert collection["products"] == []
    assert collection["created_at"] == collection["updated_at"]
    assert await events("product-collection.created") == [{"id": collection["id"]}]


async def test_create_keeps_a_given_handle_and_metadata(admin: httpx.AsyncClient) -> None:
    collection = await create(admin, title="Summer", handle="summer-24", metadata={"a": 1, "b": ""})
    assert (collection["handle"], collection["metadata"]) == ("summer-24", {"a": 1, "b": ""})
    # an empty handle is no handle: the entity derives one
    assert (await create(admin, title="Winter Sale", handle=""))["handle"] == "winter-sale"


async def test_create_refuses_a_taken_handle(admin: httpx.AsyncClient, db: Database) -> None:
    await create(admin, title="CC Test Été Collection!")
    res = await admin.post("/admin/collections", json={"title": "CC Test Été Collection!"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Product_collection with handle cc-test-ete-collection already exists.",
    }
    async with db.read_session() as tx:
        assert len((await tx.execute(select(ProductCollection))).scalars().all()) == 1


async def test_a_deleted_collection_frees_its_handle(admin: httpx.AsyncClient) -> None:
    first = await create(admin, title="Reused")
    assert (await admin.delete(f"/admin/collections/{first['id']}")).status_code == 200
    second = await create(admin, title="Reused")
    assert second["handle"] == "reused" and second["id"] != first["id"]


async def test_create_bad_bodies(admin: httpx.AsyncClient, db: Database) -> None:
    invalid(
        await admin.post("/admin/collections", json={}), "title should not be empty, title must be a string"
    )
    invalid(await admin.post("/admin/collections"), "title should not be empty, title must be a string")
    invalid(await admin.post("/admin/collections", json={"title": ""}), "title should not be empty")
    invalid(
        await admin.post("/admin/collections", json={"title": 5, "handle": 3, "metadata": "x", "foo": 1}),
        "property foo should not exist, title must be a string, handle must be a string, "
        "metadata must be an object",
    )
    async with db.read_session() as tx:
        assert (await tx.execute(select(ProductCollection))).scalars().all() == []


async def test_admin_routes_need_authentication(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/admin/collections"),
        ("POST", "/admin/collections"),
        ("GET", "/admin/collections/pcol_x"),
        ("POST", "/admin/collections/pcol_x"),
        ("DELETE", "/admin/collections/pcol_x"),
        ("POST", "/admin/collections/pcol_x/products/batch"),
        ("DELETE", "/admin/collections/pcol_x/products/batch"),
    ]:
        res = await client.request(method, path, json={"title": "x", "product_ids": ["p"]})
        assert (res.status_code, res.text) == (401, "Unauthorized"), (method, path)


# ---- GET /admin/collections/{id} ---------------------------------------------------------------


async def test_retrieve_answers_products_with_their_profiles(
    admin: httpx.AsyncClient, make_product: MakeProduct
) -> None:
    collection = await create(admin, title="Shoes")
    first = await make_product("Runner")
    second = await make_product("Walker", profile=False)
    gone = await make_product("Gone", deleted=True)
    res = await admin.post(
        f"/admin/collections/{collection['id']}/products/batch", json={"product_ids": [first, second, gone]}
    )
    assert res.status_code == 200

    res = await admin.get(f"/admin/collections/{collection['id']}", params={"ignored": "yes"})
    assert res.status_code == 200
    body = res.json()["collection"]
    assert [p["id"] for p in body["products"]] == [first, second]
    runner, walker = body["products"]
    assert runner["collection_id"] == collection["id"]
    assert runner["title"] == "Runner"
    assert PRODUCT_EXTRA <= set(runner)
    assert len(runner["profiles"]) == 1
    profile = runner["profiles"][0]
    assert profile["type"] == "default" and profile["name"] == "Default Shipping Profile"
    assert set(profile) == {"id", "created_at", "updated_at", "deleted_at", "name", "type", "metadata"}
    assert runner["profile"] == profile and runner["profile_id"] == profile["id"]
    # no profile: Medusa's AfterLoad leaves profile and profile_id undefined
    assert walker["profiles"] == [] and "profile" not in walker and "profile_id" not in walker


async def test_retrieve_unknown_and_deleted(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/collections/pcol_nope")
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Product collection with id: pcol_nope was not found",
    }
    collection = await create(admin, title="Old")
    await admin.delete(f"/admin/collections/{collection['id']}")
    res = await admin.get(f"/admin/collections/{collection['id']}")
    assert res.status_code == 404


# ---- GET /admin/collections --------------------------------------------------------------------


async def test_list_defaults(admin: httpx.AsyncClient, make_product: MakeProduct) -> None:
    first = await create(admin, title="First", metadata={"k": "v"})
    second = await create(admin, title="Second")
    product = await make_product("Shirt")
    await admin.post(f"/admin/collections/{first['id']}/products/batch", json={"product_ids": [product]})

    res = await admin.get("/admin/collections")
    assert res.status_code == 200
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (2, 0, 10)
    # newest first; only defaultAdminCollectionsFields, plus products.profiles
    assert [c["id"] for c in body["collections"]] == [second["id"], first["id"]]
    listed = body["collections"][1]
    assert list(listed) == ["id", "created_at", "updated_at", "title", "handle", "products"]
    assert [p["id"] for p in listed["products"]] == [product]
    assert listed["products"][0]["profile_id"] == listed["products"][0]["profiles"][0]["id"]
    assert body["collections"][0]["products"] == []


async def test_list_filters(admin: httpx.AsyncClient, db: Database) -> None:
    summer = await create(admin, title="Summer Sale", handle="summer")
    winter = await create(admin, title="Winter", handle="cold-season")
    gone = await create(admin, title="Gone summer")
    await admin.delete(f"/admin/collections/{gone['id']}")

    async def ids(**query: Any) -> list[str]:
        res = await admin.get("/admin/collections", params=query)
        assert res.status_code == 200, res.text
        return [c["id"] for c in res.json()["collections"]]

    assert await ids(q="SUMMER") == [summer["id"]]
    assert await ids(q="season") == [winter["id"]]
    # with q, Medusa drops the title/handle/created_at/updated_at filters
    assert await ids(q="summer", handle="nope") == [summer["id"]]
    assert await ids(title="Winter") == [winter["id"]]
    assert await ids(title="winter") == []
    assert await ids(handle="summer") == [summer["id"]]
    assert await ids(**{"created_at[lt]": "2000-01-01"}) == []
    assert await ids(**{"created_at[gt]": "2000-01-01"}) == [winter["id"], summer["id"]]
    # a deleted_at filter is the only way to soft-deleted rows
    assert await ids(**{"deleted_at[gt]": "2000-01-01"}) == [gone["id"]]
    assert await ids(order="title") == [summer["id"], winter["id"]]
    assert await ids(order="-handle") == [summer["id"], winter["id"]]
    assert await ids(limit=1, offset=1) == [summer["id"]]

    async with db.write_session() as tx:
        rule = DiscountRule(type="percentage", value=10, allocation="total")
        tx.add(rule)
        await tx.flush()
        condition = DiscountCondition(type="product_collections", operator="in", discount_rule_id=rule.id)
        tx.add(condition)
        await tx.flush()
        tx.add(
            DiscountConditionProductCollection(product_collection_id=winter["id"], condition_id=condition.id)
        )
        await tx.commit()
        condition_id = condition.id
    assert await ids(discount_condition_id=condition_id) == [winter["id"]]
    assert await ids(discount_condition_id="discon_other") == []


async def test_list_bad_queries(admin: httpx.AsyncClient) -> None:
    invalid(
        await admin.get("/admin/collections", params={"limit": "abc", "foo": "1"}),
        "property foo should not exist, limit must be a number conforming to the specified constraints",
    )
    invalid(
        await admin.get("/admin/collections", params={"expand": "products"}),
        "property expand should not exist",
    )
    invalid(
        await admin.get("/admin/collections", params={"fields": "title"}), "property fields should not exist"
    )
    invalid(
        await admin.get(
            "/admin/collections",
            params={
                "limit": "x",
                "offset": "y",
                "q[]": "1",
                "title[]": "1",
                "handle[]": "1",
                "order[]": "1",
                "discount_condition_id[]": "1",
                "created_at[lt]": "x",
            },
        ),
        "title must be a string, handle must be a string, lt must be a Date instance, q must be a string, "
        "order must be a string, discount_condition_id must be a string, "
        "limit must be a number conforming to the specified constraints, "
        "offset must be a number conforming to the specified constraints",
    )
    invalid(
        await admin.get("/admin/collections", params={"created_at": "xx"}),
        "nested property created_at must be either object or array",
    )
    # Medusa answers 500 for an unknown order column
    invalid(await admin.get("/admin/collections", params={"order": "foo"}), "Order field foo is not valid")


# ---- POST /admin/collections/{id} --------------------------------------------------------------


async def test_update(admin: httpx.AsyncClient, events: Events) -> None:
    collection = await create(admin, title="Original", metadata={"keep": 1, "drop": 2})
    res = await admin.post(
        f"/admin/collections/{collection['id']}",
        json={"title": "Renamed", "metadata": {"drop": "", "nil": None, "new": "x"}},
    )
    assert res.status_code == 200
    updated = res.json()["collection"]
    assert updated["title"] == "Renamed"
    # the handle stays what it was
    assert updated["handle"] == "original"
    assert updated["metadata"] == {"keep": 1, "nil": None, "new": "x"}
    assert updated["updated_at"] >= collection["updated_at"]
    assert updated["products"] == []
    assert await events("product-collection.updated") == [{"id": collection["id"]}]

    res = await admin.post(f"/admin/collections/{collection['id']}", json={"handle": ""})
    assert res.json()["collection"]["handle"] == ""
    res = await admin.post(f"/admin/collections/{collection['id']}", json={"handle": None})
    assert res.json()["collection"]["handle"] is None
    # nothing given: nothing changes (metadata: null is no change either)
    before = (await admin.get(f"/admin/collections/{collection['id']}")).json()["collection"]
    res = await admin.post(f"/admin/collections/{collection['id']}", json={"metadata": None})
    assert res.json()["collection"] == before


async def test_update_with_empty_metadata_sets_an_object(admin: httpx.AsyncClient) -> None:
    collection = await create(admin, title="Plain")
    res = await admin.post(f"/admin/collections/{collection['id']}", json={"metadata": {}})
    assert res.json()["collection"]["metadata"] == {}


async def test_update_refusals(admin: httpx.AsyncClient) -> None:
    collection = await create(admin, title="Mine")
    await create(admin, title="Taken")
    res = await admin.post(f"/admin/collections/{collection['id']}", json={"handle": "taken"})
    assert res.status_code == 422
    assert res.json()["message"] == "Product_collection with handle taken already exists."
    invalid(
        await admin.post(f"/admin/collections/{collection['id']}", json={"title": None}),
        "Can't insert null value in field title on insert in table product_collection",
    )
    invalid(
        await admin.post(f"/admin/collections/{collection['id']}", json={"title": 1, "x": 1}),
        "property x should not exist, title must be a string",
    )
    res = await admin.post("/admin/collections/pcol_nope", json={"title": "x"})
    assert res.status_code == 404
    assert res.json()["message"] == "Product collection with id: pcol_nope was not found"
    assert (await admin.get(f"/admin/collections/{collection['id']}")).json()["collection"]["title"] == "Mine"


# ---- DELETE /admin/collections/{id} ------------------------------------------------------------


async def test_delete_is_soft_and_leaves_products_pointing_at_it(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct, events: Events
) -> None:
    collection = await create(admin, title="Doomed")
    product = await make_product("Kept")
    await admin.post(f"/admin/collections/{collection['id']}/products/batch", json={"product_ids": [product]})
    res = await admin.delete(f"/admin/collections/{collection['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": collection["id"], "object": "product-collection", "deleted": True}
    async with db.read_session() as tx:
        row = await tx.get(ProductCollection, collection["id"])
        assert row is not None and row.deleted_at is not None
    assert await collection_of(db, product) == collection["id"]
    assert await events("product-collection.deleted") == [{"id": collection["id"]}]

    res = await admin.delete(f"/admin/collections/{collection['id']}")
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": f"Product collection with id: {collection['id']} was not found",
    }


# ---- POST/DELETE /admin/collections/{id}/products/batch ----------------------------------------


async def test_add_and_remove_products(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct, events: Events
) -> None:
    collection = await create(admin, title="Batch")
    other = await create(admin, title="Other")
    one, two = await make_product("One"), await make_product("Two")

    res = await admin.post(
        f"/admin/collections/{collection['id']}/products/batch", json={"product_ids": [one, two, "prod_nope"]}
    )
    assert res.status_code == 200
    body = res.json()["collection"]
    assert [p["id"] for p in body["products"]] == [one, two]
    assert all(p["updated_at"] > p["created_at"] for p in body["products"])
    added = await events("product-collection.products_added")
    assert len(added) == 1
    assert added[0]["productIds"] == [one, two, "prod_nope"]
    assert added[0]["productCollection"]["id"] == collection["id"]
    assert [p["id"] for p in added[0]["productCollection"]["products"]] == [one, two]

    # moving a product to another collection
    await admin.post(f"/admin/collections/{other['id']}/products/batch", json={"product_ids": [two]})
    assert await collection_of(db, two) == other["id"]

    # only this collection's products are let go; unknown ids are ignored
    res = await admin.request(
        "DELETE",
        f"/admin/collections/{collection['id']}/products/batch",
        json={"product_ids": [one, two, "prod_nope"]},
    )
    assert res.status_code == 200
    assert res.json() == {
        "id": collection["id"],
        "object": "product-collection",
        "removed_products": [one, two, "prod_nope"],
    }
    assert await collection_of(db, one) is None
    assert await collection_of(db, two) == other["id"]
    removed = await events("product-collection.products_removed")
    assert removed[0]["productIds"] == [one, two, "prod_nope"]
    assert removed[0]["productCollection"]["products"] == []


async def test_batch_bad_bodies_and_unknown_collection(admin: httpx.AsyncClient) -> None:
    collection = await create(admin, title="Strict")
    url = f"/admin/collections/{collection['id']}/products/batch"
    for method in ("POST", "DELETE"):
        invalid(await admin.request(method, url, json={"product_ids": []}), "product_ids should not be empty")
        invalid(
            await admin.request(method, url, json={}),
            "each value in product_ids must be a string, product_ids should not be empty",
        )
        invalid(
            await admin.request(method, url, json={"product_ids": [1]}),
            "each value in product_ids must be a string",
        )
        invalid(
            await admin.request(method, url, json={"product_ids": "x"}), "product_ids should not be empty"
        )
        res = await admin.request(
            method, "/admin/collections/pcol_nope/products/batch", json={"product_ids": ["prod_nope"]}
        )
        assert res.status_code == 404
        assert res.json() == {
            "type": "not_found",
            "message": "Product collection with id: pcol_nope was not found",
        }


@pytest.mark.parametrize(
    ("title", "handle"),
    [
        ("Hello World", "hello-world"),
        ("helloWorld", "hello-world"),
        ("XMLHttpRequest", "xml-http-request"),
        ("Summer '24 Sale", "summer-24-sale"),
        ("Ærøskøbing Straße", "aeroskobing-strasse"),
        ("100% cotton", "100-cotton"),
        ("T-Shirt (XL)", "t-shirt-xl"),
        ("日本語 テスト", "日本語-テスト"),
    ],
)
async def test_handles_are_lodash_kebab_case(admin: httpx.AsyncClient, title: str, handle: str) -> None:
    assert (await create(admin, title=title))["handle"] == handle
