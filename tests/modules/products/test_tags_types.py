"""Product tags and types: the admin and store lists, tag usage and the deprecated type list."""

from __future__ import annotations

import httpx

from tests.modules.products.helpers import create_product, invalid

TAG_KEYS = ["id", "created_at", "updated_at", "value"]


async def test_list_tags(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    await create_product(admin, title="A", tags=[{"value": "summer"}, {"value": "winter"}])
    await create_product(admin, title="B", tags=[{"value": "spring"}])
    res = await admin.get("/admin/product-tags")
    assert res.status_code == 200
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (3, 0, 10)
    assert list(body["product_tags"][0]) == TAG_KEYS
    # newest first; tags written by one request in the order they were written
    assert [t["value"] for t in body["product_tags"]] == ["spring", "summer", "winter"]

    async def values(path: str, **params: object) -> list[str]:
        res = await admin.get(path, params=params)
        assert res.status_code == 200, res.text
        return [t["value"] for t in res.json()["product_tags"]]

    assert await values("/admin/product-tags", q="UMM") == ["summer"]
    # `q` replaces a `value` filter (ProductTagService sets where.value = ILike(q))
    assert await values("/admin/product-tags", q="UMM", value="winter") == ["summer"]
    assert await values("/admin/product-tags", value="winter") == ["winter"]
    assert await values("/admin/product-tags", **{"value[]": ["winter", "spring"]}, order="value") == [
        "spring",
        "winter",
    ]
    assert await values("/admin/product-tags", **{"value[starts_with]": "s"}, order="-value") == [
        "summer",
        "spring",
    ]
    assert await values("/admin/product-tags", **{"value[contains]": "INT"}) == ["winter"]
    assert await values("/admin/product-tags", limit=1, offset=1) == ["summer"]
    assert await values("/admin/product-tags", **{"created_at[lt]": "2000-01-01"}) == []
    assert await values("/admin/product-tags", discount_condition_id="dc_nope") == []

    res = await client.get("/store/product-tags", params={"order": "value"})
    assert res.status_code == 200
    assert res.json()["limit"] == 20 and [t["value"] for t in res.json()["product_tags"]] == [
        "spring",
        "summer",
        "winter",
    ]


async def test_list_tags_validation(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/product-tags", params={"fields": "id"})
    assert res.json() == invalid("property fields should not exist")
    res = await admin.get("/admin/product-tags", params={"limit": "abc"})
    assert res.json() == invalid("limit must be a number conforming to the specified constraints")
    res = await admin.get("/admin/product-tags", params={"value[foo]": "a"})
    assert res.status_code == 400
    assert res.json() == invalid(
        '{"message":"value must be one of: String,String,StringComparisonOperator","details":{"String":'
        '["String validation failed: [object Object] is not a string"],'
        '"undefined":["Cannot read properties of '
        'undefined (reading \'constructor\')"],"StringComparisonOperator":["property foo should not exist"]}}'
    )
    res = await admin.get("/admin/product-tags", params={"created_at": "2020"})
    assert res.json() == invalid(
        '{"message":"created_at must be one of: DateComparisonOperator","details":{"DateComparisonOperator":'
        '["an unknown value was passed to the validate function"]}}'
    )
    res = await client.get("/store/product-tags", params={"order": "foo"})
    assert res.status_code == 400
    assert res.json() == invalid("Order field foo is not valid")
    res = await client.get("/store/product-types", params={"expand": "x"})
    assert res.json() == invalid("property expand should not exist")


async def test_list_types(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    a = await create_product(admin, title="A", type={"value": "shirts"})
    await create_product(admin, title="B", type={"value": "hats"})
    res = await admin.get("/admin/product-types")
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (2, 0, 20)
    assert [t["value"] for t in body["product_types"]] == ["hats", "shirts"]
    assert list(body["product_types"][0]) == TAG_KEYS
    res = await admin.get("/admin/product-types", params={"q": "shi"})
    assert [t["id"] for t in res.json()["product_types"]] == [a["type_id"]]
    res = await client.get("/store/product-types", params={"value": "hats"})
    assert [t["value"] for t in res.json()["product_types"]] == ["hats"]

    # the deprecated list: every type, all columns
    res = await admin.get("/admin/products/types")
    types = res.json()["types"]
    assert sorted(t["value"] for t in types) == ["hats", "shirts"]
    assert list(types[0]) == ["id", "created_at", "updated_at", "deleted_at", "value", "metadata"]


async def test_tag_usage(admin: httpx.AsyncClient) -> None:
    await create_product(admin, title="A", tags=[{"value": "a"}, {"value": "b"}])
    await create_product(admin, title="B", tags=[{"value": "b"}])
    res = await admin.get("/admin/products/tag-usage")
    assert res.status_code == 200
    tags = res.json()["tags"]
    # usage_count is the text of a PostgreSQL bigint, as Medusa answers it
    assert [(t["value"], t["usage_count"]) for t in tags] == [("b", "2"), ("a", "1")]
    assert list(tags[0]) == ["id", "usage_count", "value"]
