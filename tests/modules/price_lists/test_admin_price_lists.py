"""Admin price lists: the eleven routes of Medusa's api/routes/admin/price-lists, checked against
the answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from mercato.db.session import Database
from mercato.modules.price_lists.models import PriceList, t_price_list_customer_groups
from mercato.modules.products.models import MoneyAmount, ProductVariantMoneyAmount
from tests.modules.price_lists.conftest import Catalog

PRICE_LIST_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "description",
    "type",
    "status",
    "starts_at",
    "ends_at",
    "includes_tax",
}


async def create(admin: httpx.AsyncClient, catalog: Catalog, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Summer sale",
        "description": "Everything cheaper",
        "type": "sale",
        "status": "active",
        "prices": [
            {"currency_code": "eur", "amount": 800, "variant_id": catalog.v1},
            {
                "region_id": catalog.eu,
                "amount": 700,
                "variant_id": catalog.v1,
                "min_quantity": 5,
                "max_quantity": 10,
            },
        ],
    }
    body.update(overrides)
    res = await admin.post("/admin/price-lists", json=body)
    assert res.status_code == 200, res.text
    price_list: dict[str, Any] = res.json()["price_list"]
    return price_list


async def count(db: Database, model: Any) -> int:
    async with db.read_session() as tx:
        return int((await tx.execute(select(func.count()).select_from(model))).scalar_one())


# ---- POST /admin/price-lists -----------------------------------------------------------------


async def test_create_answers_with_prices_variants_and_groups(
    admin: httpx.AsyncClient, catalog: Catalog
) -> None:
    pl = await create(
        admin,
        catalog,
        customer_groups=[{"id": catalog.group}],
        starts_at="2024-01-01T00:00:00Z",
        ends_at="2030-01-01T00:00:00.000Z",
        includes_tax=True,
    )
    assert set(pl) == PRICE_LIST_KEYS | {"prices", "customer_groups"}
    assert pl["id"].startswith("pl_")
    assert (pl["name"], pl["description"], pl["type"], pl["status"]) == (
        "Summer sale",
        "Everything cheaper",
        "sale",
        "active",
    )
    assert (pl["starts_at"], pl["ends_at"], pl["includes_tax"]) == (
        "2024-01-01T00:00:00.000Z",
        "2030-01-01T00:00:00.000Z",
        True,
    )
    assert [g["id"] for g in pl["customer_groups"]] == [catalog.group]
    assert set(pl["customer_groups"][0]) == {
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        "name",
        "metadata",
    }
    prices = sorted(pl["prices"], key=lambda p: p["amount"])
    assert [
        (p["amount"], p["currency_code"], p["region_id"], p["min_quantity"], p["max_quantity"])
        for p in prices
    ] == [
        (700, "eur", catalog.eu, 5, 10),
        (800, "eur", None, None, None),
    ]
    for price in prices:
        assert price["id"].startswith("ma_")
        assert price["price_list_id"] == pl["id"]
        assert price["variant_id"] == catalog.v1
        assert price["variant"]["id"] == catalog.v1
        assert [v["id"] for v in price["variants"]] == [catalog.v1]
        assert price["variant"]["product_id"] == catalog.product


async def test_create_defaults(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    res = await admin.post(
        "/admin/price-lists", json={"name": "n", "description": "d", "type": "override", "prices": []}
    )
    assert res.status_code == 200
    pl = res.json()["price_list"]
    assert (pl["status"], pl["includes_tax"], pl["starts_at"], pl["prices"], pl["customer_groups"]) == (
        "draft",
        False,
        None,
        [],
        [],
    )


async def test_create_validation_messages(admin: httpx.AsyncClient, catalog: Catalog, db: Database) -> None:
    cases = [
        (
            {},
            "name must be a string, description must be a string, type must be one of the following values: "
            "sale, override, prices must be an array",
        ),
        (
            {"name": 1, "description": "d", "type": "x", "prices": []},
            "name must be a string, type must be one of the following values: sale, override",
        ),
        (
            {"name": "n", "description": "d", "type": "sale", "prices": [{"amount": 1.5, "variant_id": 1}]},
            'Failed XOR relation between "region_id" and "currency_code"., Failed XOR relation between '
            '"currency_code" and "region_id"., amount must be an integer number, variant_id must be a string',
        ),
        (
            {
                "name": "n",
                "description": "d",
                "type": "sale",
                "prices": [
                    {"amount": 1, "variant_id": catalog.v1, "currency_code": "usd", "region_id": catalog.eu}
                ],
            },
            'Failed XOR relation between "region_id" and "currency_code"., Failed XOR relation between '
            '"currency_code" and "region_id".',
        ),
        (
            {
                "name": "n",
                "description": "d",
                "type": "sale",
                "prices": [5],
                "customer_groups": [{"id": 1}, 3],
            },
            "each value in nested property prices must be either object or array, id must be a string, "
            "each value in nested property customer_groups must be either object or array",
        ),
        (
            {
                "name": "n",
                "description": "d",
                "type": "sale",
                "prices": "x",
                "customer_groups": "y",
                "status": "foo",
                "includes_tax": "no",
                "foo": 1,
            },
            "property foo should not exist, status must be one of the following values: active, draft, "
            "prices must be an array, each value in nested property prices must be either object or array, "
            "customer_groups must be an array, each value in nested property customer_groups must be either "
            "object or array, includes_tax must be a boolean value",
        ),
    ]
    for body, message in cases:
        res = await admin.post("/admin/price-lists", json=body)
        assert res.status_code == 400, body
        assert res.json() == {"type": "invalid_data", "message": message}
    assert await count(db, PriceList) == 0


async def test_create_refusals(admin: httpx.AsyncClient, catalog: Catalog, db: Database) -> None:
    base = {"name": "n", "description": "d", "type": "sale"}
    res = await admin.post(
        "/admin/price-lists", json={**base, "prices": [], "customer_groups": [{"id": "cgrp_nope"}]}
    )
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "CustomerGroup with id cgrp_nope was not found"},
    )
    res = await admin.post(
        "/admin/price-lists",
        json={**base, "prices": [{"amount": 100, "variant_id": catalog.v1, "currency_code": "xxx"}]},
    )
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Currency with currency_code xxx does not exist."},
    )
    res = await admin.post(
        "/admin/price-lists",
        json={**base, "prices": [{"amount": 1, "variant_id": catalog.v1, "region_id": "reg_x"}]},
    )
    assert (res.status_code, res.json()["type"]) == (404, "not_found")
    res = await admin.post(
        "/admin/price-lists",
        json={**base, "prices": [{"amount": 1, "variant_id": "variant_x", "currency_code": "eur"}]},
    )
    assert (res.status_code, res.json()["message"]) == (404, "Variant with id: variant_x was not found")
    assert await count(db, PriceList) == 0
    assert await count(db, MoneyAmount) == len(catalog.prices)


async def test_region_price_takes_the_region_currency(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(
        admin, catalog, prices=[{"region_id": catalog.na, "amount": 5, "variant_id": catalog.v2}]
    )
    assert [(p["currency_code"], p["region_id"]) for p in pl["prices"]] == [("usd", catalog.na)]


async def test_requires_auth(client: httpx.AsyncClient, catalog: Catalog) -> None:
    for method, path in [
        ("GET", "/admin/price-lists"),
        ("POST", "/admin/price-lists"),
        ("GET", "/admin/price-lists/pl_1"),
        ("POST", "/admin/price-lists/pl_1"),
        ("DELETE", "/admin/price-lists/pl_1"),
        ("POST", "/admin/price-lists/pl_1/prices/batch"),
        ("DELETE", "/admin/price-lists/pl_1/prices/batch"),
        ("GET", "/admin/price-lists/pl_1/products"),
        ("DELETE", "/admin/price-lists/pl_1/products/prices/batch"),
        ("DELETE", "/admin/price-lists/pl_1/products/prod_1/prices"),
        ("DELETE", "/admin/price-lists/pl_1/variants/variant_1/prices"),
    ]:
        res = await client.request(method, path)
        assert (res.status_code, res.text) == (401, "Unauthorized"), path


# ---- GET /admin/price-lists/:id --------------------------------------------------------------


async def test_retrieve(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    created = await create(admin, catalog)
    res = await admin.get(f"/admin/price-lists/{created['id']}")
    assert res.status_code == 200
    assert res.json()["price_list"] == created
    res = await admin.get("/admin/price-lists/pl_nope")
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Price list with id: pl_nope was not found"},
    )


# ---- GET /admin/price-lists ------------------------------------------------------------------


async def test_list_filters_and_pages(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    a = await create(admin, catalog, name="Alpha", description="first", type="sale", status="active")
    b = await create(admin, catalog, name="Beta", description="vip only", type="override", status="draft")
    c = await create(
        admin, catalog, name="Gamma", description="third", customer_groups=[{"id": catalog.group}]
    )

    res = await admin.get("/admin/price-lists")
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (3, 0, 10)
    assert [p["id"] for p in body["price_lists"]] == [c["id"], b["id"], a["id"]]
    assert set(body["price_lists"][0]) == PRICE_LIST_KEYS

    async def ids(query: str) -> list[str]:
        res = await admin.get(f"/admin/price-lists?{query}")
        assert res.status_code == 200, res.text
        return [p["id"] for p in res.json()["price_lists"]]

    assert await ids("status[]=draft") == [b["id"]]
    assert await ids("status=active") == [c["id"], a["id"]]
    assert await ids("type[]=override") == [b["id"]]
    assert await ids("name=Alpha") == [a["id"]]
    assert await ids(f"id={a['id']}") == [a["id"]]
    assert await ids("description=third") == [c["id"]]
    assert await ids("q=vip") == [c["id"], b["id"]]  # a group named VIP, a description
    assert await ids("q=ALP") == [a["id"]]
    # the search's first alternative (name) ignores a `name` filter, the others keep it
    assert await ids("q=ALP&name=Beta") == [a["id"]]
    assert await ids("q=vip&name=Beta") == [b["id"]]
    assert await ids(f"customer_groups[]={catalog.group}") == [c["id"]]
    assert await ids("order=name") == [a["id"], b["id"], c["id"]]
    assert await ids("limit=1&offset=1") == [b["id"]]
    assert await ids("created_at[gt]=2000-01-01") == [c["id"], b["id"], a["id"]]
    assert await ids("created_at[lt]=2000-01-01") == []

    res = await admin.get("/admin/price-lists?q=vip")
    assert [len(p["customer_groups"]) for p in res.json()["price_lists"]] == [1, 0]
    res = await admin.get("/admin/price-lists?expand=prices&limit=1")
    listed = res.json()["price_lists"][0]
    assert "customer_groups" not in listed and len(listed["prices"]) == 2
    assert "variants" not in listed["prices"][0]
    res = await admin.get("/admin/price-lists?expand=customer_groups,prices.variants")
    assert res.json()["price_lists"][0]["prices"][0]["variant_id"] == catalog.v1


async def test_list_bad_params(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    for query, message in [
        ("status[]=bad", "each value in status must be one of the following values: active, draft"),
        ("fields=name", "property fields should not exist"),
        ("limit=abc", "limit must be a number conforming to the specified constraints"),
        ("foo=1", "property foo should not exist"),
        ("type=nope", "each value in type must be one of the following values: sale, override"),
    ]:
        res = await admin.get(f"/admin/price-lists?{query}")
        assert (res.status_code, res.json()) == (400, {"type": "invalid_data", "message": message}), query
    res = await admin.get("/admin/price-lists?expand=bogus")
    assert res.status_code == 400


# ---- POST /admin/price-lists/:id -------------------------------------------------------------


async def test_update_fields_prices_and_groups(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(admin, catalog, starts_at="2024-01-01T00:00:00Z")
    existing = next(p for p in pl["prices"] if p["region_id"] is None)
    res = await admin.post(
        f"/admin/price-lists/{pl['id']}",
        json={
            "name": "Winter",
            "type": "override",
            "starts_at": None,
            "includes_tax": True,
            "customer_groups": [{"id": catalog.group}],
            "prices": [
                {"id": existing["id"], "amount": 750, "variant_id": catalog.v1},
                {"currency_code": "usd", "amount": 999, "variant_id": catalog.v2},
            ],
        },
    )
    assert res.status_code == 200, res.text
    updated = res.json()["price_list"]
    assert (updated["name"], updated["description"], updated["type"], updated["starts_at"]) == (
        "Winter",
        "Everything cheaper",
        "override",
        None,
    )
    assert updated["includes_tax"] is True
    assert [g["id"] for g in updated["customer_groups"]] == [catalog.group]
    by_id = {p["id"]: p for p in updated["prices"]}
    assert by_id[existing["id"]]["amount"] == 750
    assert len(updated["prices"]) == 3
    added = next(p for p in updated["prices"] if p["currency_code"] == "usd")
    assert (added["amount"], added["variant_id"]) == (999, catalog.v2)
    assert updated["updated_at"] >= pl["updated_at"]

    res = await admin.post(f"/admin/price-lists/{pl['id']}", json={"customer_groups": []})
    assert res.json()["price_list"]["customer_groups"] == []


async def test_update_refusals(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(admin, catalog)
    res = await admin.post("/admin/price-lists/pl_nope", json={})
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Price list with id: pl_nope was not found"},
    )
    res = await admin.post(
        f"/admin/price-lists/{pl['id']}",
        json={"name": 1, "prices": [{"id": "ma_x", "amount": 5}], "type": "nope", "starts_at": None},
    )
    assert (res.status_code, res.json()["message"]) == (
        400,
        "name must be a string, type must be one of the following values: sale, override, "
        "variant_id must be a string",
    )
    res = await admin.post(
        f"/admin/price-lists/{pl['id']}", json={"prices": [{"amount": 5, "variant_id": "v"}]}
    )
    assert res.json()["message"] == (
        'Failed XOR relation between "region_id" and "currency_code"., '
        'Failed XOR relation between "currency_code" and "region_id".'
    )
    res = await admin.post(f"/admin/price-lists/{pl['id']}", json={"customer_groups": [{"id": "cgrp_x"}]})
    assert (res.status_code, res.json()["message"]) == (404, "CustomerGroup with id cgrp_x was not found")
    res = await admin.post(f"/admin/price-lists/{pl['id']}", json={"starts_at": "garbage"})
    assert res.status_code == 400
    for column in ("name", "includes_tax"):
        res = await admin.post(f"/admin/price-lists/{pl['id']}", json={column: None})
        assert (res.status_code, res.json()["message"]) == (
            400,
            f"Can't insert null value in field {column} on insert in table price_list",
        )
    res = await admin.get(f"/admin/price-lists/{pl['id']}")
    assert res.json()["price_list"] == pl


# ---- DELETE /admin/price-lists/:id -----------------------------------------------------------


async def test_delete_removes_the_list_and_its_prices(
    admin: httpx.AsyncClient, catalog: Catalog, db: Database
) -> None:
    pl = await create(admin, catalog, customer_groups=[{"id": catalog.group}])
    res = await admin.delete(f"/admin/price-lists/{pl['id']}")
    assert res.json() == {"id": pl["id"], "object": "price-list", "deleted": True}
    assert (await admin.get(f"/admin/price-lists/{pl['id']}")).status_code == 404
    assert await count(db, MoneyAmount) == len(catalog.prices)
    assert await count(db, ProductVariantMoneyAmount) == len(catalog.prices)
    assert await count(db, t_price_list_customer_groups) == 0
    # an unknown id is no error
    res = await admin.delete("/admin/price-lists/pl_nope")
    assert (res.status_code, res.json()) == (200, {"id": "pl_nope", "object": "price-list", "deleted": True})


# ---- prices in batches -----------------------------------------------------------------------


async def test_add_prices_batch(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(admin, catalog)
    res = await admin.post(
        f"/admin/price-lists/{pl['id']}/prices/batch",
        json={"prices": [{"currency_code": "eur", "amount": 1500, "variant_id": catalog.v2}]},
    )
    assert res.status_code == 200, res.text
    assert sorted(p["amount"] for p in res.json()["price_list"]["prices"]) == [700, 800, 1500]
    res = await admin.post(
        f"/admin/price-lists/{pl['id']}/prices/batch",
        json={
            "prices": [{"region_id": catalog.eu, "amount": 100, "variant_id": catalog.v3}],
            "override": True,
        },
    )
    prices = res.json()["price_list"]["prices"]
    assert [(p["amount"], p["variant_id"], p["currency_code"]) for p in prices] == [(100, catalog.v3, "eur")]


async def test_add_prices_batch_refusals(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(admin, catalog)
    for body, message in [
        ({}, "prices must be an array"),
        (
            {"prices": [{"amount": 5}], "override": "x"},
            'Failed XOR relation between "region_id" and "currency_code"., Failed XOR relation between '
            '"currency_code" and "region_id"., variant_id must be a string, override must be a boolean value',
        ),
        ({"prices": [], "extra": 1}, "property extra should not exist"),
    ]:
        res = await admin.post(f"/admin/price-lists/{pl['id']}/prices/batch", json=body)
        assert (res.status_code, res.json()) == (400, {"type": "invalid_data", "message": message})
    res = await admin.post("/admin/price-lists/pl_nope/prices/batch", json={"prices": []})
    assert (res.status_code, res.json()["message"]) == (404, "Price list with id: pl_nope was not found")


async def test_delete_prices_batch(admin: httpx.AsyncClient, catalog: Catalog, db: Database) -> None:
    pl = await create(admin, catalog)
    doomed = pl["prices"][0]["id"]
    res = await admin.request(
        "DELETE",
        f"/admin/price-lists/{pl['id']}/prices/batch",
        json={"price_ids": [doomed, catalog.prices["v1_eur"]]},
    )
    assert res.json() == {
        "ids": [doomed, catalog.prices["v1_eur"]],
        "object": "money-amount",
        "deleted": True,
    }
    remaining = (await admin.get(f"/admin/price-lists/{pl['id']}")).json()["price_list"]["prices"]
    assert [p["id"] for p in remaining] == [pl["prices"][1]["id"]]
    # a price of another list (here a default price) is left alone
    assert await count(db, MoneyAmount) == len(catalog.prices) + 1
    for body, message in [
        ({}, "each value in price_ids must be a string, price_ids should not be empty"),
        ({"price_ids": []}, "price_ids should not be empty"),
        ({"price_ids": [1]}, "each value in price_ids must be a string"),
    ]:
        res = await admin.request("DELETE", f"/admin/price-lists/{pl['id']}/prices/batch", json=body)
        assert (res.status_code, res.json()) == (400, {"type": "invalid_data", "message": message})
    res = await admin.request("DELETE", "/admin/price-lists/pl_nope/prices/batch", json={"price_ids": ["a"]})
    assert res.status_code == 404


async def test_delete_product_and_variant_prices(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(
        admin,
        catalog,
        prices=[
            {"currency_code": "eur", "amount": 1, "variant_id": catalog.v1},
            {"currency_code": "eur", "amount": 2, "variant_id": catalog.v2},
            {"currency_code": "eur", "amount": 3, "variant_id": catalog.v3},
            {"currency_code": "usd", "amount": 4, "variant_id": catalog.v3},
        ],
    )
    by_amount = {p["amount"]: p["id"] for p in pl["prices"]}
    res = await admin.delete(f"/admin/price-lists/{pl['id']}/variants/{catalog.v2}/prices")
    assert res.json() == {"ids": [by_amount[2]], "object": "money-amount", "deleted": True}
    res = await admin.delete(f"/admin/price-lists/{pl['id']}/products/{catalog.product}/prices")
    assert res.json() == {"ids": [by_amount[1]], "object": "money-amount", "deleted": True}
    res = await admin.request(
        "DELETE",
        f"/admin/price-lists/{pl['id']}/products/prices/batch",
        json={"product_ids": [catalog.other_product, catalog.product]},
    )
    assert res.json()["ids"] == sorted([by_amount[3], by_amount[4]])
    assert (await admin.get(f"/admin/price-lists/{pl['id']}")).json()["price_list"]["prices"] == []
    # unknown list or product: nothing deleted, no error (as Medusa)
    for path in (
        "/admin/price-lists/pl_nope/products/prod_x/prices",
        f"/admin/price-lists/{pl['id']}/products/prod_x/prices",
        "/admin/price-lists/pl_nope/variants/v_x/prices",
    ):
        res = await admin.delete(path)
        assert (res.status_code, res.json()) == (200, {"ids": [], "object": "money-amount", "deleted": True})
    for body, message in [
        ({}, "each value in product_ids must be a string, product_ids should not be empty"),
        ({"product_ids": []}, "product_ids should not be empty"),
    ]:
        res = await admin.request("DELETE", f"/admin/price-lists/{pl['id']}/products/prices/batch", json=body)
        assert (res.status_code, res.json()) == (400, {"type": "invalid_data", "message": message})


# ---- GET /admin/price-lists/:id/products -----------------------------------------------------


async def test_list_products_of_a_price_list(admin: httpx.AsyncClient, catalog: Catalog) -> None:
    pl = await create(admin, catalog)
    other = await create(
        admin, catalog, prices=[{"currency_code": "eur", "amount": 1, "variant_id": catalog.v3}]
    )
    res = await admin.get(f"/admin/price-lists/{pl['id']}/products")
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (1, 0, 50)
    product = body["products"][0]
    assert product["id"] == catalog.product
    for key in ("variants", "options", "images", "tags", "type", "collection", "profiles"):
        assert key in product
    variants = {v["id"]: v for v in product["variants"]}
    assert set(variants) == {catalog.v1, catalog.v2}
    v1_prices = {p["id"]: p for p in variants[catalog.v1]["prices"]}
    # the variant's default prices and this list's prices, not the other list's
    assert set(v1_prices) == {catalog.prices["v1_eur"], catalog.prices["v1_usd"], catalog.prices["v1_eu"]} | {
        p["id"] for p in pl["prices"]
    }
    assert v1_prices[catalog.prices["v1_eur"]]["price_list"] is None
    listed = v1_prices[pl["prices"][0]["id"]]["price_list"]
    assert listed["id"] == pl["id"] and set(listed) == PRICE_LIST_KEYS
    assert [p["id"] for p in variants[catalog.v2]["prices"]] == [catalog.prices["v2_eur"]]

    res = await admin.get(f"/admin/price-lists/{other['id']}/products?q=mug")
    assert [p["id"] for p in res.json()["products"]] == [catalog.other_product]
    res = await admin.get(f"/admin/price-lists/{other['id']}/products?q=shirt")
    assert res.json()["products"] == []
    res = await admin.get("/admin/price-lists/pl_nope/products")
    assert (res.status_code, res.json()) == (200, {"products": [], "count": 0, "offset": 0, "limit": 50})
    # the listConfig applies: fields and expand as on the products list
    res = await admin.get(f"/admin/price-lists/{pl['id']}/products?fields=id,title&expand=variants")
    assert res.status_code == 200, res.text
    (shown,) = res.json()["products"]
    assert set(shown) == {"id", "title", "created_at", "variants"}
    assert {p["id"] for v in shown["variants"] for p in v["prices"]} >= {p["id"] for p in pl["prices"]}
    res = await admin.get(f"/admin/price-lists/{pl['id']}/products?expand=tags")
    (shown,) = res.json()["products"]
    assert "tags" in shown and "variants" not in shown and "options" not in shown
    res = await admin.get(f"/admin/price-lists/{pl['id']}/products?status[]=bad")
    assert res.status_code == 400
    assert res.json()["message"] == (
        "each value in status must be one of the following values: draft, proposed, published, rejected"
    )


async def _selects_for(admin: httpx.AsyncClient, db: Database, path: str) -> tuple[int, int]:
    from sqlalchemy import event

    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engines = {id(e.sync_engine): e.sync_engine for e in (db.reader, db.writer)}
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        res = await admin.get(path)
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)
    assert res.status_code == 200
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    return len(res.json()["price_lists"]), len(selects)


async def test_listing_runs_a_bounded_number_of_queries(
    admin: httpx.AsyncClient, catalog: Catalog, db: Database
) -> None:
    path = "/admin/price-lists?expand=prices,prices.variants,customer_groups"
    await create(admin, catalog, customer_groups=[{"id": catalog.group}])
    few = await _selects_for(admin, db, path)
    for _ in range(4):
        await create(admin, catalog, customer_groups=[{"id": catalog.group}])
    many = await _selects_for(admin, db, path)
    assert (few[0], many[0]) == (1, 5)
    assert few[1] == many[1]
