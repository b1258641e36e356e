"""Admin products: create, retrieve, list, update, delete and metadata, as Medusa 1.20 answers
(messages verbatim from the real server)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.products.models import MoneyAmount, Product, ProductVariant
from mercato.modules.shipping.models import ShippingProfile
from tests.modules.products.helpers import create_product, events, invalid, shirt

PRODUCT_KEYS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "title",
    "subtitle",
    "description",
    "handle",
    "is_giftcard",
    "status",
    "thumbnail",
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "collection_id",
    "type_id",
    "discountable",
    "external_id",
    "metadata",
    "categories",
    "collection",
    "images",
    "options",
    "profiles",
    "profile",
    "profile_id",
    "sales_channels",
    "tags",
    "type",
    "variants",
]
PRICING_KEYS = [
    "original_price",
    "calculated_price",
    "original_price_includes_tax",
    "calculated_price_includes_tax",
    "original_price_incl_tax",
    "calculated_price_incl_tax",
    "original_tax",
    "calculated_tax",
    "tax_rates",
]


# ---- create ----------------------------------------------------------------------------------


async def test_create_product_with_everything(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(
        admin,
        **shirt(
            title="Medusa Shirt",
            subtitle="Soft",
            description="A shirt",
            images=["http://img/1.png", "http://img/2.png"],
            tags=[{"value": "summer"}, {"value": "cotton"}],
            type={"value": "apparel"},
            weight=300,
            metadata={"fabric": "cotton"},
        ),
    )
    assert list(product) == PRODUCT_KEYS
    assert product["handle"] == "medusa-shirt"
    assert product["status"] == "draft"
    assert (product["is_giftcard"], product["discountable"]) == (False, True)
    assert product["thumbnail"] == "http://img/1.png"
    assert [i["url"] for i in product["images"]] == ["http://img/1.png", "http://img/2.png"]
    assert [t["value"] for t in product["tags"]] == ["summer", "cotton"]
    assert product["type"]["value"] == "apparel" and product["type_id"] == product["type"]["id"]
    assert product["weight"] == 300 and product["metadata"] == {"fabric": "cotton"}
    assert product["profile"]["type"] == "default" and product["profile_id"] == product["profile"]["id"]
    assert product["profiles"] == [product["profile"]]
    assert [c["name"] for c in product["sales_channels"]] == ["Default Sales Channel"]
    assert product["categories"] == [] and product["collection"] is None

    size = product["options"][0]
    assert size["title"] == "Size" and [v["value"] for v in size["values"]] == ["S", "M"]
    small, medium = product["variants"]
    assert (small["title"], small["variant_rank"], medium["variant_rank"]) == ("S", 0, 1)
    assert (small["inventory_quantity"], small["manage_inventory"], small["allow_backorder"]) == (
        0,
        True,
        False,
    )
    assert [(o["option_id"], o["value"]) for o in small["options"]] == [(size["id"], "S")]
    assert [(p["currency_code"], p["amount"], p["variant_id"], p["price_list"]) for p in small["prices"]] == [
        ("usd", 1000, small["id"], None),
        ("eur", 900, small["id"], None),
    ]
    assert list(small)[-len(PRICING_KEYS) :] == PRICING_KEYS
    assert all(small[k] is None for k in PRICING_KEYS)

    assert sorted(e for e, _ in await events(db)) == [
        "product-variant.created",
        "product-variant.created",
        "product.created",
    ]
    assert await events(db, "product.created") == [("product.created", {"id": product["id"]})]
    variant_events = [d for _, d in await events(db, "product-variant.created")]
    assert sorted(d["id"] for d in variant_events) == sorted([small["id"], medium["id"]])
    assert all(d["product_id"] == product["id"] for d in variant_events)


async def test_create_minimal_and_handle_from_title(admin: httpx.AsyncClient) -> None:
    product = await create_product(admin, title="prod-test e5")
    # lodash kebabCase splits letters from digits
    assert product["handle"] == "prod-test-e-5"
    assert product["variants"] == [] and product["options"] == []
    assert product["thumbnail"] is None and product["metadata"] is None


async def test_create_gift_card_uses_the_gift_card_profile(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, title="Gift Card", is_giftcard=True, discountable=True)
    assert product["is_giftcard"] is True
    # a gift card is never discountable
    assert product["discountable"] is False
    async with db.read_session() as tx:
        kind = (
            await tx.execute(select(ShippingProfile.type).where(ShippingProfile.id == product["profile_id"]))
        ).scalar_one()
    assert kind == "gift_card"


async def test_create_reuses_existing_tags_types_and_images(admin: httpx.AsyncClient) -> None:
    first = await create_product(
        admin, title="A", tags=[{"value": "x"}], type={"value": "t"}, images=["http://i/1"]
    )
    second = await create_product(
        admin,
        title="B",
        tags=[{"value": "x"}, {"value": "y"}],
        type={"id": "ignored", "value": "t"},
        images=["http://i/1"],
    )
    assert second["tags"][0]["id"] == first["tags"][0]["id"]
    assert second["type_id"] == first["type_id"]
    assert second["images"][0]["id"] == first["images"][0]["id"]
    # a new tag keeps the id it was given
    third = await create_product(admin, title="C", tags=[{"id": "ptag_given", "value": "new"}])
    assert third["tags"][0]["id"] == "ptag_given"


async def test_create_with_region_price_takes_the_region_currency(
    admin: httpx.AsyncClient, region: str
) -> None:
    product = await create_product(
        admin,
        title="Cap",
        variants=[
            {
                "title": "One",
                "prices": [
                    {"region_id": region, "amount": 1500, "min_quantity": 2},
                    {"currency_code": "usd", "amount": 50, "min_quantity": 3, "max_quantity": 9},
                ],
            }
        ],
    )
    prices = sorted(product["variants"][0]["prices"], key=lambda p: p["currency_code"])
    # a region price loses its quantities (Medusa writes {currency_code, region_id, amount});
    # a currency price keeps them
    assert [
        (p["currency_code"], p["region_id"], p["amount"], p["min_quantity"], p["max_quantity"])
        for p in prices
    ] == [
        ("eur", region, 1500, None, None),
        ("usd", None, 50, 3, 9),
    ]


async def test_create_with_sales_channels_and_categories(admin: httpx.AsyncClient, db: Database) -> None:
    from mercato.modules.categories.models import ProductCategory
    from mercato.modules.collections.models import ProductCollection
    from mercato.modules.sales_channels.models import SalesChannel

    async with db.write_session() as tx:
        channel = SalesChannel(name="Web", is_disabled=False)
        category = ProductCategory(name="Shoes", handle="shoes", rank=0, is_active=True)
        collection = ProductCollection(title="Spring", handle="spring")
        tx.add_all([channel, category, collection])
        await tx.commit()
    product = await create_product(
        admin,
        title="Boot",
        sales_channels=[{"id": channel.id}],
        categories=[{"id": category.id}],
        collection_id=collection.id,
    )
    assert [c["id"] for c in product["sales_channels"]] == [channel.id]
    assert [c["handle"] for c in product["categories"]] == ["shoes"]
    assert "mpath" not in product["categories"][0]
    assert product["collection"]["title"] == "Spring"


async def test_create_refusals(admin: httpx.AsyncClient, db: Database) -> None:
    await create_product(admin, title="Shirt")
    res = await admin.post("/admin/products", json={"title": "Shirt"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Product with handle shirt already exists.",
    }
    res = await admin.post("/admin/products", json={"title": "X", "collection_id": "pcol_nope"})
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Product_collection with collection_id pcol_nope does not exist.",
    }
    res = await admin.post("/admin/products", json={"title": "X", "categories": [{"id": "pcat_nope"}]})
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Product_category with product_category_id pcat_nope does not exist.",
    }
    res = await admin.post(
        "/admin/products", json={"title": "X", "sales_channels": [{"id": "sc_a"}, {"id": "sc_b"}]}
    )
    assert res.status_code == 400
    assert res.json() == {
        "errors": ["Sales Channels sc_a, sc_b do not exist"],
        "message": "Provided request body contains errors. Please check the data and retry the request",
    }
    # the channel check runs before the body is validated
    res = await admin.post("/admin/products", json={"title": 1, "sales_channels": [{"x": 1}]})
    assert res.json()["errors"] == ["Sales Channels  do not exist"]
    res = await admin.post("/admin/products", json={"title": "X", "status": None})
    assert res.json() == invalid("Can't insert null value in field status on insert in table product")
    res = await admin.post(
        "/admin/products",
        json={
            "title": "X",
            "options": [{"title": "Size"}],
            "variants": [{"title": "v", "prices": [], "options": []}],
        },
    )
    assert res.status_code == 400
    assert res.json() == invalid(
        "Product options length does not match variant options length. Product has 1 and variant has 0."
        "\nCannot read properties of undefined (reading 'length')"
    )
    res = await admin.post(
        "/admin/products",
        json={"title": "X", "variants": [{"title": "v", "prices": [{"currency_code": "xyz", "amount": 1}]}]},
    )
    assert res.status_code == 400 and res.json()["type"] == "invalid_data"
    # nothing of a refused product was written
    async with db.read_session() as tx:
        titles = list((await tx.execute(select(Product.title))).scalars())
    assert titles == ["Shirt"]


async def test_create_validation_messages(admin: httpx.AsyncClient) -> None:
    cases: list[tuple[Any, str]] = [
        ({}, "title must be a string"),
        ({"title": 1, "foo": 1}, "property foo should not exist, title must be a string"),
        (
            {"title": "x", "tags": ["a", None, {"value": "v"}]},
            "each value in nested property tags must be either object or array, "
            "each value in nested property tags must be either object or array",
        ),
        (
            {"title": "x", "tags": "a"},
            "tags must be an array, each value in nested property tags must be either object or array",
        ),
        (
            {"title": "x", "tags": [{"value": 1, "bar": 2}]},
            "property bar should not exist, value must be a string",
        ),
        ({"title": "x", "type": "a"}, "nested property type must be either object or array"),
        ({"title": "x", "type": {}}, "value must be a string"),
        (
            {"title": "x", "status": "foo"},
            "status must be one of the following values: draft, proposed, published, rejected",
        ),
        ({"title": "x", "is_giftcard": None}, "is_giftcard must be a boolean value"),
        ({"title": "x", "variants": [{}]}, "title must be a string, prices must be an array"),
        (
            {
                "title": "x",
                "variants": [
                    {"title": "a", "prices": [{"amount": 1.5, "currency_code": "usd", "region_id": "r"}]}
                ],
            },
            'Failed XOR relation between "region_id" and "currency_code"., '
            'Failed XOR relation between "currency_code" and "region_id"., amount must be an integer number',
        ),
        (
            {"title": "x", "weight": "1", "metadata": []},
            "weight must be a number conforming to the specified constraints, metadata must be an object",
        ),
        (
            {
                "title": "x",
                "variants": [
                    {"title": "a", "prices": [], "options": [{"value": 1}], "inventory_quantity": "1"}
                ],
            },
            "inventory_quantity must be a number conforming to the specified constraints, "
            "value must be a string",
        ),
        (
            {
                "title": 1,
                "metadata": 1,
                "sales_channels": [],
                "weight": "a",
                "variants": [{"title": 2, "prices": []}],
            },
            "title must be a string, title must be a string, "
            "weight must be a number conforming to the specified constraints, metadata must be an object",
        ),
        ([1], "an unknown value was passed to the validate function"),
    ]
    for body, message in cases:
        res = await admin.post("/admin/products", json=body)
        assert res.status_code == 400, body
        assert res.json() == invalid(message), body
    res = await admin.get("/admin/products")
    assert res.json()["count"] == 0


async def test_requires_authentication(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/admin/products"),
        ("POST", "/admin/products"),
        ("GET", "/admin/products/prod_1"),
        ("POST", "/admin/products/prod_1"),
        ("DELETE", "/admin/products/prod_1"),
        ("GET", "/admin/products/types"),
        ("GET", "/admin/products/tag-usage"),
        ("POST", "/admin/products/prod_1/metadata"),
        ("GET", "/admin/products/prod_1/variants"),
        ("POST", "/admin/products/prod_1/variants"),
        ("POST", "/admin/products/prod_1/variants/v"),
        ("DELETE", "/admin/products/prod_1/variants/v"),
        ("POST", "/admin/products/prod_1/options"),
        ("POST", "/admin/products/prod_1/options/o"),
        ("DELETE", "/admin/products/prod_1/options/o"),
        ("GET", "/admin/variants"),
        ("GET", "/admin/variants/v"),
        ("GET", "/admin/variants/v/inventory"),
        ("GET", "/admin/product-tags"),
        ("GET", "/admin/product-types"),
    ]:
        res = await client.request(method, path)
        assert (res.status_code, res.text) == (401, "Unauthorized"), (method, path)


# ---- retrieve --------------------------------------------------------------------------------


async def test_retrieve_with_expand_and_fields(admin: httpx.AsyncClient) -> None:
    product = await create_product(admin, **shirt())
    res = await admin.get(f"/admin/products/{product['id']}")
    assert res.status_code == 200
    assert res.json() == {"product": product}

    res = await admin.get(
        f"/admin/products/{product['id']}", params={"expand": "variants", "fields": "title"}
    )
    body = res.json()["product"]
    assert list(body) == ["id", "title", "variants"]
    # without variants.prices in the relations there is no pricing
    assert "prices" not in body["variants"][0] and "original_price" not in body["variants"][0]

    res = await admin.get(f"/admin/products/{product['id']}", params={"expand": "variants.prices"})
    (variant, _) = res.json()["product"]["variants"]
    assert "original_price" not in variant and "variant_id" not in variant["prices"][0]

    res = await admin.get(f"/admin/products/{product['id']}", params={"expand": ""})
    assert list(res.json()["product"]) == PRODUCT_KEYS[:24]

    res = await admin.get(f"/admin/products/{product['id']}", params={"fields": "-metadata,+title"})
    assert "metadata" not in res.json()["product"] and "handle" in res.json()["product"]

    res = await admin.get(f"/admin/products/{product['id']}", params={"expand": "nope"})
    assert res.status_code == 400
    assert res.json() == invalid("Relation nope is not a valid relation of Product")
    res = await admin.get(f"/admin/products/{product['id']}", params={"foo": "1"})
    assert res.json() == invalid("property foo should not exist")


async def test_retrieve_unknown_or_deleted(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/products/prod_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: prod_nope was not found"}
    product = await create_product(admin)
    await admin.delete(f"/admin/products/{product['id']}")
    res = await admin.get(f"/admin/products/{product['id']}")
    assert res.status_code == 404


async def test_variant_without_default_price_keeps_its_prices_and_gets_no_pricing(
    admin: httpx.AsyncClient, db: Database
) -> None:
    product = await create_product(
        admin,
        title="P",
        options=[{"title": "Size"}],
        variants=[
            {"title": "none", "prices": [], "options": [{"value": "S"}]},
            {
                "title": "one",
                "prices": [{"currency_code": "usd", "amount": 100}],
                "options": [{"value": "M"}],
            },
        ],
    )
    bare, priced = product["variants"]
    assert bare["prices"] == [] and list(bare)[-1] == "prices"
    assert list(priced)[-1] == "tax_rates"


# ---- list ------------------------------------------------------------------------------------


async def test_list_products_with_filters(admin: httpx.AsyncClient, db: Database) -> None:
    a = await create_product(
        admin, title="Alpha", status="published", tags=[{"value": "x"}], type={"value": "t1"}
    )
    b = await create_product(admin, title="Beta", description="a beta thing", tags=[{"value": "y"}])
    c = await create_product(
        admin,
        title="Gamma",
        status="proposed",
        options=[{"title": "Size"}],
        variants=[{"title": "Gamma small", "sku": "GAM-SKU", "prices": [], "options": [{"value": "S"}]}],
    )
    res = await admin.get("/admin/products")
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (3, 0, 50)
    # newest first
    assert [p["title"] for p in body["products"]] == ["Gamma", "Beta", "Alpha"]
    assert list(body["products"][0]) == PRODUCT_KEYS

    async def titles(**params: Any) -> list[str]:
        res = await admin.get("/admin/products", params=params)
        assert res.status_code == 200, res.text
        return [p["title"] for p in res.json()["products"]]

    assert await titles(order="title") == ["Alpha", "Beta", "Gamma"]
    assert await titles(order="-title", limit=1, offset=1) == ["Beta"]
    assert await titles(**{"status[]": ["published", "proposed"]}) == ["Gamma", "Alpha"]
    assert await titles(status="draft") == ["Beta"]
    assert await titles(**{"tags[]": a["tags"][0]["id"]}) == ["Alpha"]
    assert await titles(**{"type_id[]": a["type_id"]}) == ["Alpha"]
    assert await titles(**{"id[]": [a["id"], b["id"]]}) == ["Beta", "Alpha"]
    assert await titles(id=c["id"]) == ["Gamma"]
    assert await titles(q="BETA THING") == ["Beta"]
    assert await titles(q="gam-sku") == ["Gamma"]
    assert await titles(q="small") == ["Gamma"]
    # q replaces the title filter
    assert await titles(q="alpha", title="Beta") == ["Alpha"]
    assert await titles(title="Beta") == ["Beta"]
    assert await titles(handle="gamma") == ["Gamma"]
    assert await titles(is_giftcard="false") == ["Gamma", "Beta", "Alpha"]
    assert await titles(is_giftcard="TRUE") == []
    # an unreadable boolean is ignored, as Medusa's mapper gives undefined
    assert await titles(is_giftcard="maybe") == ["Gamma", "Beta", "Alpha"]
    assert await titles(**{"created_at[gt]": "2000-01-01"}) == ["Gamma", "Beta", "Alpha"]
    assert await titles(**{"created_at[lt]": "2000-01-01"}) == []

    await admin.delete(f"/admin/products/{b['id']}")
    assert await titles() == ["Gamma", "Alpha"]
    assert await titles(**{"deleted_at[gt]": "2000-01-01"}) == ["Beta"]

    res = await admin.get("/admin/products", params={"fields": "title", "expand": ""})
    assert res.json()["products"][0] == {"id": c["id"], "created_at": c["created_at"], "title": "Gamma"}
    assert res.json()["count"] == 2
    # the free-text search reloads whole products
    res = await admin.get("/admin/products", params={"q": "gamma", "fields": "title", "expand": ""})
    assert list(res.json()["products"][0]) == PRODUCT_KEYS[:24]

    res = await admin.get("/admin/products", params={"limit": 0})
    assert len(res.json()["products"]) == 2 and res.json()["limit"] == 0


async def test_list_products_by_collection_category_channel_and_price_list(
    admin: httpx.AsyncClient, db: Database
) -> None:
    from mercato.modules.categories.models import ProductCategory
    from mercato.modules.collections.models import ProductCollection
    from mercato.modules.price_lists.models import PriceList
    from mercato.modules.sales_channels.models import SalesChannel

    async with db.write_session() as tx:
        channel = SalesChannel(name="Web", is_disabled=False)
        parent = ProductCategory(name="Shoes", handle="shoes", rank=0, is_active=True)
        collection = ProductCollection(title="Spring", handle="spring")
        price_list = PriceList(name="Sale", description="d")
        tx.add_all([channel, parent, collection, price_list])
        await tx.flush()
        child = ProductCategory(name="Boots", handle="boots", rank=0, parent_category_id=parent.id)
        tx.add(child)
        await tx.commit()
    a = await create_product(admin, title="A", collection_id=collection.id, categories=[{"id": child.id}])
    b = await create_product(
        admin,
        title="B",
        sales_channels=[{"id": channel.id}],
        categories=[{"id": parent.id}],
        variants=[{"title": "v", "prices": [{"currency_code": "usd", "amount": 1}]}],
    )
    await create_product(admin, title="C")
    async with db.write_session() as tx:
        from mercato.modules.products.models import ProductVariantMoneyAmount

        ma = MoneyAmount(currency_code="usd", amount=1, price_list_id=price_list.id)
        tx.add(ma)
        await tx.flush()
        tx.add(ProductVariantMoneyAmount(money_amount_id=ma.id, variant_id=b["variants"][0]["id"]))
        await tx.commit()

    async def titles(**params: Any) -> list[str]:
        res = await admin.get("/admin/products", params=params)
        assert res.status_code == 200, res.text
        return [p["title"] for p in res.json()["products"]]

    assert await titles(**{"collection_id[]": collection.id}) == ["A"]
    assert await titles(**{"category_id[]": parent.id}) == ["B"]
    assert await titles(**{"category_id[]": parent.id, "include_category_children": "true"}) == ["B", "A"]
    assert await titles(**{"sales_channel_id[]": channel.id}) == ["B"]
    assert await titles(**{"price_list_id[]": price_list.id}) == ["B"]
    assert await titles(q="spring") == ["A"]
    # a price-list price is not part of the admin pricing, and its variant keeps the default one
    (variant,) = (await admin.get(f"/admin/products/{b['id']}")).json()["product"]["variants"]
    assert [p["price_list_id"] for p in variant["prices"]] == [None]
    assert a["collection"]["handle"] == "spring"


async def test_list_validation(admin: httpx.AsyncClient) -> None:
    cases = [
        (
            {"status[]": ["draft", "x"]},
            "each value in status must be one of the following values: draft, proposed, published, rejected",
        ),
        (
            {"tags": "a", "collection_id": "b"},
            "collection_id must be an array, tags must be an array",
        ),
        (
            {"limit": "abc", "tags": "a"},
            "limit must be a number conforming to the specified constraints, tags must be an array",
        ),
        ({"foo": "1"}, "property foo should not exist"),
        ({"order": "nope"}, "Order field nope is not valid"),
        ({"fields": "nope"}, "Requested fields [nope] are not valid"),
        (
            {"id[foo]": "a"},
            '{"message":"id must be one of: String,String","details":{"String":["String validation failed: '
            '[object Object] is not a string"],"undefined":["Cannot read properties of undefined (reading '
            "'constructor')\"]}}",
        ),
    ]
    for params, message in cases:
        res = await admin.get("/admin/products", params=params)
        assert res.status_code == 400, params
        assert res.json() == invalid(message), params


# ---- update ----------------------------------------------------------------------------------


async def test_update_product(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(
        admin, title="Shirt", tags=[{"value": "a"}], images=["http://1"], metadata={"keep": 1, "drop": 2}
    )
    res = await admin.post(
        f"/admin/products/{product['id']}",
        json={
            "title": "Shirt 2",
            "description": None,
            "status": "published",
            "tags": [{"value": "b"}],
            "images": ["http://2", "http://3"],
            "type": {"value": "apparel"},
            "metadata": {"drop": "", "new": None},
            "weight": 12,
        },
    )
    assert res.status_code == 200, res.text
    updated = res.json()["product"]
    assert (updated["title"], updated["status"], updated["weight"]) == ("Shirt 2", "published", 12)
    assert updated["handle"] == "shirt"
    assert [t["value"] for t in updated["tags"]] == ["b"]
    assert [i["url"] for i in updated["images"]] == ["http://2", "http://3"]
    # the thumbnail stays once set
    assert updated["thumbnail"] == "http://1"
    assert updated["type"]["value"] == "apparel"
    assert updated["metadata"] == {"keep": 1, "new": None}
    assert updated["updated_at"] >= product["updated_at"]
    assert (
        "product.updated",
        {
            "id": product["id"],
            "fields": sorted(
                ["title", "description", "status", "tags", "images", "type", "metadata", "weight"]
            ),
        },
    ) == (
        "product.updated",
        {"id": product["id"], "fields": sorted((await events(db, "product.updated"))[0][1]["fields"])},
    )

    res = await admin.post(
        f"/admin/products/{product['id']}",
        json={"type": None, "tags": [], "images": [], "sales_channels": None},
    )
    cleared = res.json()["product"]
    assert (
        cleared["type"],
        cleared["type_id"],
        cleared["tags"],
        cleared["images"],
        cleared["sales_channels"],
    ) == (
        None,
        None,
        [],
        [],
        [],
    )


async def test_update_refusals(admin: httpx.AsyncClient) -> None:
    a = await create_product(admin, title="A")
    await create_product(admin, title="B")
    res = await admin.post(f"/admin/products/{a['id']}", json={"handle": "b"})
    assert res.status_code == 422
    assert res.json()["message"] == "Product with handle b already exists."
    res = await admin.post("/admin/products/prod_nope", json={"title": "x"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: prod_nope was not found"}
    res = await admin.post(f"/admin/products/{a['id']}", json={"status": None})
    assert res.json() == invalid(
        "status should not be equal to null, "
        "status must be one of the following values: draft, proposed, published, rejected"
    )
    res = await admin.post(f"/admin/products/{a['id']}", json={"title": None})
    assert res.json() == invalid("Can't insert null value in field title on insert in table product")
    res = await admin.post(f"/admin/products/{a['id']}", json={"variants": [{"id": "variant_nope"}]})
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Variants with id: variant_nope are not associated with this product",
    }
    res = await admin.post(
        f"/admin/products/{a['id']}",
        json={"status": "x", "variants": [{"prices": [{"id": "x", "amount": 1}, {"amount": 1.5}]}]},
    )
    assert res.json() == invalid(
        "status must be one of the following values: draft, proposed, published, rejected, "
        'Failed XOR relation between "region_id" and "currency_code"., '
        'Failed XOR relation between "currency_code" and "region_id"., amount must be an integer number'
    )
    res = await admin.post(f"/admin/products/{a['id']}", json={"sales_channels": [{"id": "sc_nope"}]})
    assert res.json()["errors"] == ["Sales Channels sc_nope do not exist"]


async def test_update_variants_array(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, **shirt())
    small, medium = product["variants"]
    option_id = product["options"][0]["id"]
    res = await admin.post(
        f"/admin/products/{product['id']}",
        json={
            "variants": [
                {"id": medium["id"], "title": "Medium", "prices": [{"currency_code": "usd", "amount": 1200}]},
                {
                    "title": "L",
                    "prices": [{"currency_code": "usd", "amount": 1300}],
                    "options": [{"option_id": option_id, "value": "L"}],
                },
            ]
        },
    )
    # a new variant here has no default quantity (update-product.ts), and the column has none
    assert res.status_code == 400
    assert res.json()["message"] == (
        'null value in column "inventory_quantity" of relation "product_variant" violates not-null constraint'
        "\nCannot read properties of undefined (reading 'length')"
    )
    res = await admin.post(
        f"/admin/products/{product['id']}",
        json={
            "variants": [
                {"id": medium["id"], "title": "Medium", "prices": [{"currency_code": "usd", "amount": 1200}]},
                {
                    "title": "L",
                    "inventory_quantity": 4,
                    "prices": [{"currency_code": "usd", "amount": 1300}],
                    "options": [{"option_id": option_id, "value": "L"}],
                },
            ]
        },
    )
    assert res.status_code == 200, res.text
    variants = res.json()["product"]["variants"]
    assert [(v["title"], v["variant_rank"]) for v in variants] == [("Medium", 0), ("L", 1)]
    # a matching price keeps its row
    assert [(p["id"], p["amount"]) for p in variants[0]["prices"]] == [(medium["prices"][0]["id"], 1200)]
    assert variants[1]["inventory_quantity"] == 4
    async with db.read_session() as tx:
        gone = (
            await tx.execute(select(ProductVariant.deleted_at).where(ProductVariant.id == small["id"]))
        ).scalar_one()
        prices = (
            (
                await tx.execute(
                    select(MoneyAmount.deleted_at).where(
                        MoneyAmount.id.in_([p["id"] for p in small["prices"]])
                    )
                )
            )
            .scalars()
            .all()
        )
    assert gone is not None and all(d is not None for d in prices)
    names = sorted(e for e, _ in await events(db) if e.startswith("product-variant"))
    assert names == [
        "product-variant.created",
        "product-variant.created",
        "product-variant.created",
        "product-variant.deleted",
        "product-variant.updated",
    ]
    (updated,) = [d for _, d in await events(db, "product-variant.updated")]
    assert updated["id"] == medium["id"] and "variant_rank" in updated["fields"]
    (deleted,) = [d for _, d in await events(db, "product-variant.deleted")]
    assert deleted == {"id": small["id"], "product_id": product["id"], "metadata": None}


# ---- delete ----------------------------------------------------------------------------------


async def test_delete_product(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, **shirt())
    res = await admin.delete(f"/admin/products/{product['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": product["id"], "object": "product", "deleted": True}
    async with db.read_session() as tx:
        row = (await tx.execute(select(Product).where(Product.id == product["id"]))).scalar_one()
        variants = (
            (await tx.execute(select(ProductVariant.deleted_at).where(ProductVariant.product_id == row.id)))
            .scalars()
            .all()
        )
    assert row.deleted_at is not None and all(v is not None for v in variants)
    assert await events(db, "product.deleted") == [("product.deleted", {"id": product["id"]})]
    # the handle is free again
    again = await create_product(admin, **shirt())
    assert again["handle"] == "shirt"
    # deleting is idempotent
    res = await admin.delete("/admin/products/prod_nope")
    assert res.json() == {"id": "prod_nope", "object": "product", "deleted": True}


async def test_set_metadata(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, metadata={"a": "1"})
    res = await admin.post(f"/admin/products/{product['id']}/metadata", json={"key": "b", "value": "2"})
    assert res.status_code == 200
    assert res.json()["product"]["metadata"] == {"a": "1", "b": "2"}
    res = await admin.post(f"/admin/products/{product['id']}/metadata", json={"key": "a", "value": ""})
    assert res.json()["product"]["metadata"] == {"b": "2"}
    res = await admin.post(f"/admin/products/{product['id']}/metadata", json={"key": 1})
    assert res.json() == invalid("key must be a string, value must be a string")
    res = await admin.post("/admin/products/prod_nope/metadata", json={"key": "a", "value": "b"})
    assert res.status_code == 404
    updates = await events(db, "product.updated")
    assert updates[0] == ("product.updated", {"id": product["id"], "fields": ["metadata"]})
