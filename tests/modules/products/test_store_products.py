"""Store Products (list, retrieve, search) and Store Product Variants (list, retrieve)."""

from __future__ import annotations

from typing import Any

import httpx

from mercato.db.session import Database
from tests.modules.products.helpers import create_product, invalid, shirt
from tests.modules.products.test_bounded_queries import _statements


def _shirt(**overrides: Any) -> dict[str, Any]:
    """`shirt()` with skus of its own (they are unique)."""
    body = shirt(**overrides)
    for variant in body["variants"]:
        variant["sku"] = f"{overrides['handle']}-{variant['sku']}"
    return body


async def _published(admin: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    return await create_product(admin, **_shirt(status="published", **overrides))


async def _key(admin: httpx.AsyncClient, channel_ids: list[str]) -> str:
    res = await admin.post("/admin/publishable-api-keys", json={"title": "products-test-key"})
    assert res.status_code == 200, res.text
    key_id: str = res.json()["publishable_api_key"]["id"]
    if channel_ids:
        res = await admin.post(
            f"/admin/publishable-api-keys/{key_id}/sales-channels/batch",
            json={"sales_channel_ids": [{"id": c} for c in channel_ids]},
        )
        assert res.status_code == 200, res.text
    return key_id


async def _channel(admin: httpx.AsyncClient, name: str) -> str:
    res = await admin.post("/admin/sales-channels", json={"name": name})
    assert res.status_code == 200, res.text
    channel_id: str = res.json()["sales_channel"]["id"]
    return channel_id


async def test_list_shows_published_products_only(
    admin: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    published = await _published(admin, handle="pub-shirt")
    await create_product(admin, **_shirt(title="Draft", handle="draft-shirt", status="draft"))
    await create_product(admin, **_shirt(title="Proposed", handle="prop-shirt", status="proposed"))
    res = await client.get("/store/products")
    assert res.status_code == 200, res.text
    body = res.json()
    assert [p["id"] for p in body["products"]] == [published["id"]]
    assert (body["count"], body["offset"], body["limit"]) == (1, 0, 100)
    product = body["products"][0]
    assert product["status"] == "published"
    assert "profile" not in product
    assert product["profile_id"] == product["profiles"][0]["id"]
    assert "sales_channels" not in product
    assert {"variants", "options", "images", "tags", "collection", "type"} <= set(product)
    assert sorted(v["title"] for v in product["variants"]) == ["M", "S"]
    assert product["options"][0]["values"]


async def test_region_pricing(admin: httpx.AsyncClient, client: httpx.AsyncClient, region: str) -> None:
    product = await _published(admin, handle="priced-shirt")
    res = await client.get("/store/products", params={"region_id": region})
    assert res.status_code == 200, res.text
    variants = {v["title"]: v for v in res.json()["products"][0]["variants"]}
    small = variants["S"]
    assert (small["original_price"], small["calculated_price"]) == (900, 900)
    assert small["calculated_price_type"] == "default"
    assert [(p["currency_code"], p["amount"]) for p in small["prices"]] == [("eur", 900)]
    assert small["prices"][0]["variant_id"] == small["id"]
    assert small["tax_rates"] == [{"rate": 0, "name": "default", "code": "default"}]
    assert (small["calculated_price_incl_tax"], small["calculated_tax"]) == (900, 0)

    one = await client.get(f"/store/products/{product['id']}", params={"currency_code": "usd"})
    assert one.status_code == 200, one.text
    variants = {v["title"]: v for v in one.json()["product"]["variants"]}
    assert (variants["M"]["original_price"], variants["M"]["calculated_price"]) == (1100, 1100)
    assert [p["amount"] for p in variants["M"]["prices"]] == [1100]


async def test_filters_fields_and_expand(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    first = await _published(admin, title="Alpha", handle="alpha")
    second = await _published(admin, title="Beta", handle="beta", is_giftcard=False)
    res = await client.get("/store/products", params={"handle": "beta"})
    assert [p["id"] for p in res.json()["products"]] == [second["id"]]
    res = await client.get("/store/products", params={"q": "alph"})
    assert [p["id"] for p in res.json()["products"]] == [first["id"]]
    res = await client.get("/store/products", params={"id": first["id"]})
    assert [p["id"] for p in res.json()["products"]] == [first["id"]]
    res = await client.get("/store/products", params={"limit": 1, "offset": 1, "order": "title"})
    body = res.json()
    assert ([p["id"] for p in body["products"]], body["count"], body["limit"]) == ([second["id"]], 2, 1)
    res = await client.get("/store/products", params={"fields": "title", "expand": "", "order": "title"})
    assert res.json()["products"][0] == {
        "id": first["id"],
        "created_at": first["created_at"],
        "title": "Alpha",
    }
    # `fields` without `expand`: the default relations stay in the answer (Medusa 1.20.11)
    res = await client.get("/store/products", params={"fields": "title", "order": "title"})
    listed = res.json()["products"][0]
    assert {"variants", "options", "images", "tags", "collection", "type"} <= set(listed)
    assert "handle" not in listed and listed["title"] == "Alpha"


async def test_variant_fields_and_prices_follow_the_relations(
    admin: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    """Medusa prices variants only when the relations name `variants` and `variants.prices`; a
    `variants.title` field trims the variants except under `q` (the search reloads them whole)."""
    product = await _published(admin, title="Gamma", handle="gamma")
    res = await client.get(
        f"/store/products/{product['id']}", params={"expand": "variants.prices", "fields": "title"}
    )
    variant = res.json()["product"]["variants"][0]
    assert variant["prices"] and "calculated_price" not in variant and "original_price" not in variant
    res = await client.get(f"/store/products/{product['id']}", params={"expand": "variants,variants.prices"})
    assert "calculated_price" in res.json()["product"]["variants"][0]

    wanted = {"fields": "title,variants.title", "expand": "variants"}
    res = await client.get("/store/products", params={"id": product["id"], **wanted})
    assert set(res.json()["products"][0]["variants"][0]) == {"title"}
    res = await client.get("/store/products", params={"q": "gamma", **wanted})
    variant = res.json()["products"][0]["variants"][0]
    assert {"id", "title", "sku", "product_id"} <= set(variant) and "prices" not in variant


async def test_nulls_sort_as_postgresql_puts_them(
    admin: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    # last ascending, first descending, on SQLite as on PostgreSQL (Medusa's database)
    res = await admin.post("/admin/collections", json={"title": "Sorted"})
    collection = res.json()["collection"]["id"]
    loose = await _published(admin, title="Loose", handle="loose")
    kept = await _published(admin, title="Kept", handle="kept", collection_id=collection)
    res = await client.get("/store/products", params={"order": "collection_id", "fields": "title"})
    assert [p["id"] for p in res.json()["products"]] == [kept["id"], loose["id"]]
    res = await client.get("/store/products", params={"order": "-collection_id", "fields": "title"})
    assert [p["id"] for p in res.json()["products"]] == [loose["id"], kept["id"]]


async def test_publishable_key_scoping(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    product = await _published(admin, handle="keyed-shirt")
    other = await _channel(admin, "products-test-other")
    res = await client.get("/store/products", headers={"x-publishable-api-key": await _key(admin, [other])})
    assert res.status_code == 200, res.text
    assert (res.json()["products"], res.json()["count"]) == ([], 0)

    default_channel = product["sales_channels"][0]["id"]
    key = await _key(admin, [default_channel])
    res = await client.get("/store/products", headers={"x-publishable-api-key": key})
    listed = res.json()["products"]
    assert [p["id"] for p in listed] == [product["id"]]
    assert [c["id"] for c in listed[0]["sales_channels"]] == [default_channel]

    scoped = await _key(admin, [other])
    res = await client.get(f"/store/products/{product['id']}", headers={"x-publishable-api-key": scoped})
    assert res.status_code == 400
    assert res.json()["errors"] == [
        f"Product with id: {product['id']} is not associated with sales channels defined by the "
        "Publishable API Key passed in the header of the request."
    ]
    # an unknown product is a 404 before the key's channels are looked at
    res = await client.get("/store/products/does-not-exist", headers={"x-publishable-api-key": scoped})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: does-not-exist was not found"}
    # indexed arrays are arrays (qs): the key's own channel may be asked for this way
    res = await client.get(
        "/store/products",
        params={"sales_channel_id[0]": default_channel},
        headers={"x-publishable-api-key": key},
    )
    assert res.status_code == 200, res.text
    assert [p["id"] for p in res.json()["products"]] == [product["id"]]
    res = await client.get(
        "/store/products",
        params={"sales_channel_id[]": default_channel},
        headers={"x-publishable-api-key": scoped},
    )
    assert res.status_code == 400
    assert res.json()["errors"] == [
        f"Provided sales channel id param: {default_channel} is not associated with the Publishable "
        "API Key passed in the header of the request."
    ]


async def test_without_key_only_the_default_channel(
    admin: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    other = await _channel(admin, "products-test-elsewhere")
    elsewhere = await _published(admin, handle="elsewhere", sales_channels=[{"id": other}])
    home = await _published(admin, handle="home")
    res = await client.get("/store/products")
    assert [p["id"] for p in res.json()["products"]] == [home["id"]]
    res = await client.get("/store/products", params={"sales_channel_id[]": other})
    assert [p["id"] for p in res.json()["products"]] == [elsewhere["id"]]


async def test_retrieve(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    product = await _published(admin, handle="one-shirt")
    res = await client.get(f"/store/products/{product['id']}")
    assert res.status_code == 200, res.text
    got = res.json()["product"]
    assert (got["id"], got["handle"], got["title"]) == (product["id"], "one-shirt", "Shirt")
    assert "profile" not in got and got["profile_id"]
    # get-product.ts retrieves by id whatever the status (Medusa 1.20.11 answers a draft too)
    draft = await create_product(admin, **_shirt(title="Draft", handle="draft-one", status="draft"))
    res = await client.get(f"/store/products/{draft['id']}")
    assert (res.status_code, res.json()["product"]["status"]) == (200, "draft")


async def test_unknown_id_and_bad_input(client: httpx.AsyncClient) -> None:
    res = await client.get("/store/products/prod_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: prod_nope was not found"}
    cases = [
        ({"limit": "abc"}, "limit must be a number conforming to the specified constraints"),
        ({"limit": "-1"}, "limit must not be less than 0"),
        ({"offset": "-1"}, "offset must not be less than 0"),
        ({"collection_id": "x"}, "collection_id must be an array"),
        ({"foo": "1"}, "property foo should not exist"),
        ({"expand": "foo"}, "Requested fields [foo] are not valid"),
        ({"fields": "foo"}, "Requested fields [foo] are not valid"),
    ]
    for query, message in cases:
        res = await client.get("/store/products", params=query)
        assert (res.status_code, res.json()) == (400, invalid(message)), query
    res = await client.get("/store/products", params={"region_id": "reg_nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}


async def test_listing_runs_a_bounded_number_of_queries(
    admin: httpx.AsyncClient, client: httpx.AsyncClient, db: Database, region: str
) -> None:
    for i in range(2):
        await _published(admin, title=f"Few {i}", handle=f"few-{i}")
    few, few_queries = await _statements(client, db, f"/store/products?limit=20&region_id={region}")
    for i in range(8):
        await _published(admin, title=f"Many {i}", handle=f"many-{i}")
    many, many_queries = await _statements(
        client, db, f"/store/products?limit=20&offset=0&region_id={region}"
    )
    assert (few, many) == (2, 10)
    assert few_queries == many_queries
    assert many_queries <= 10


async def test_search_answers_no_hits(client: httpx.AsyncClient) -> None:
    """Medusa's default search service (no search plugin) finds nothing."""
    for body in ({"q": "Shirt"}, {"limit": "5", "foo": 1}, None):
        res = await client.post("/store/products/search", json=body)
        assert (res.status_code, res.json()) == (200, {"hits": []})
    res = await client.post("/store/products/search", json={"q": 1})
    assert (res.status_code, res.json()) == (400, invalid("q must be a string"))
    res = await client.post("/store/products/search", json={"offset": "x"})
    assert (res.status_code, res.json()) == (
        400,
        invalid("offset must be a number conforming to the specified constraints"),
    )


async def test_store_variants(admin: httpx.AsyncClient, client: httpx.AsyncClient, region: str) -> None:
    product = await _published(admin, handle="var-shirt")
    small = next(v for v in product["variants"] if v["title"] == "S")
    medium = next(v for v in product["variants"] if v["title"] == "M")
    res = await client.get(
        "/store/variants", params={"ids": f"{small['id']},{medium['id']}", "region_id": region}
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert list(body) == ["variants"]
    by_title = {v["title"]: v for v in body["variants"]}
    assert set(by_title) == {"S", "M"}
    assert (by_title["S"]["calculated_price"], by_title["S"]["original_price"]) == (900, 900)
    assert by_title["S"]["product"]["id"] == product["id"]
    assert by_title["S"]["options"][0]["value"] == "S"
    # the list loads no `prices`: M, without a eur price, has neither prices nor pricing keys
    assert "prices" not in by_title["M"] and "calculated_price" not in by_title["M"]
    assert [p["amount"] for p in by_title["S"]["prices"]] == [900]

    res = await client.get(f"/store/variants/{medium['id']}", params={"currency_code": "usd"})
    assert res.status_code == 200, res.text
    variant = res.json()["variant"]
    assert (variant["id"], variant["calculated_price"]) == (medium["id"], 1100)

    res = await client.get("/store/variants/variant_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Variant with id: variant_nope was not found"}
    for query, message in (
        ({"limit": "1.5"}, "limit must be an integer number"),
        ({"order": "title"}, "property order should not exist"),
        ({"expand": "bar"}, "Requested fields [bar] are not valid"),
    ):
        res = await client.get("/store/variants", params=query)
        assert (res.status_code, res.json()) == (400, invalid(message)), query

    other = await _channel(admin, "products-test-variants")
    res = await client.get(
        f"/store/variants/{small['id']}", headers={"x-publishable-api-key": await _key(admin, [other])}
    )
    assert res.status_code == 400
    assert res.json()["errors"] == [
        f"Variant with id: {small['id']} is not associated with sales channels defined by the "
        "Publishable API Key passed in the header of the request."
    ]
    res = await client.get(
        "/store/variants/does-not-exist", headers={"x-publishable-api-key": await _key(admin, [other])}
    )
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Variant with id: does-not-exist was not found"}


async def test_order_by_variant_title_and_price(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    # TypeORM's DISTINCT page over joined rows: ascending by a product's smallest value,
    # descending by its largest (Medusa's store products test orders this way)
    async def product(handle: str, variants: list[tuple[str, int]]) -> str:
        body = {
            "title": handle,
            "handle": handle,
            "status": "published",
            "options": [{"title": "size"}],
            "variants": [
                {"title": t, "prices": [{"currency_code": "usd", "amount": a}], "options": [{"value": t}]}
                for t, a in variants
            ],
        }
        res = await admin.post("/admin/products", json=body)
        assert res.status_code == 200, res.text
        return str(res.json()["product"]["id"])

    a = await product("ord-a", [("b-var", 300), ("z-var", 50)])
    b = await product("ord-b", [("a-var", 200)])
    c = await product("ord-c", [("c-var", 100), ("y-var", 400)])

    async def ids(order: str) -> list[str]:
        res = await client.get("/store/products", params={"order": order, "q": "ord-"})
        assert res.status_code == 200, res.text
        return [p["id"] for p in res.json()["products"]]

    assert await ids("variants.title") == [b, a, c]
    assert await ids("-variants.title") == [a, c, b]
    assert await ids("variants.prices.amount") == [a, c, b]
    assert await ids("-variants.prices.amount") == [c, a, b]
    res = await client.get("/store/products", params={"order": "type.value"})
    assert (res.status_code, res.json()["message"]) == (400, "Order field type.value is not valid")
    res = await admin.get("/admin/products", params={"order": "-variants.title", "q": "ord-"})
    assert [p["id"] for p in res.json()["products"]] == [a, c, b]


async def test_listed_products_show_public_categories_only(
    admin: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    # the list joins categories under defaultStoreCategoryScope; a retrieve and a q search do not
    async def category(name: str, **flags: Any) -> str:
        res = await admin.post("/admin/product-categories", json={"name": name, **flags})
        assert res.status_code == 200, res.text
        return str(res.json()["product_category"]["id"])

    parent = await category("pc-parent", is_active=True, is_internal=False)
    inactive = await category("pc-inactive", is_active=False, parent_category_id=parent)
    internal = await category("pc-internal", is_active=True, is_internal=True, parent_category_id=parent)
    body = {
        "title": "pc-prod",
        "status": "published",
        "categories": [{"id": c} for c in (parent, inactive, internal)],
    }
    res = await admin.post("/admin/products", json=body)
    assert res.status_code == 200, res.text
    pid = res.json()["product"]["id"]

    def names(product: dict[str, Any]) -> list[str]:
        return sorted(c["name"] for c in product["categories"])

    listed = (await client.get(f"/store/products?id[]={pid}&expand=categories")).json()["products"]
    assert [names(p) for p in listed] == [["pc-parent"]]
    got = (await client.get(f"/store/products/{pid}?expand=categories")).json()["product"]
    assert names(got) == ["pc-inactive", "pc-internal", "pc-parent"]
    searched = (await client.get("/store/products?q=pc-prod&expand=categories")).json()["products"]
    assert [names(p) for p in searched] == [["pc-inactive", "pc-internal", "pc-parent"]]


async def test_expand_variant_inventory_items(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    # no inventory module: the variants load, each with an empty list (and no prices or options)
    product = await _published(admin, handle="inv-items-shirt")
    res = await client.get(f"/store/products/{product['id']}?expand=variants.inventory_items")
    assert res.status_code == 200, res.text
    variants = res.json()["product"]["variants"]
    assert variants and all(v["inventory_items"] == [] for v in variants)
    assert all("prices" not in v and "options" not in v for v in variants)
    listed = (await client.get("/store/products?expand=variants.inventory_items")).json()["products"]
    assert all(v["inventory_items"] == [] for p in listed for v in p["variants"])
