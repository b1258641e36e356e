"""Admin discounts: Medusa's api/routes/admin/discounts (discounts, regions, dynamic codes),
checked against the answers of a real Medusa 1.20 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.discounts.models import Discount, DiscountConditionProductTag
from mercato.modules.products.models import ProductTag

DISCOUNT_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "code",
    "is_dynamic",
    "rule_id",
    "is_disabled",
    "parent_discount_id",
    "starts_at",
    "ends_at",
    "valid_duration",
    "usage_limit",
    "usage_count",
    "metadata",
    "parent_discount",
    "regions",
    "rule",
}


async def make_region(admin: httpx.AsyncClient, name: str = "Disc EU", country: str = "dk") -> str:
    res = await admin.post(
        "/admin/regions",
        json={
            "name": name,
            "currency_code": "usd",
            "tax_rate": 0,
            "payment_providers": ["manual"],
            "fulfillment_providers": ["manual"],
            "countries": [country],
        },
    )
    assert res.status_code == 200, res.text
    region_id: str = res.json()["region"]["id"]
    return region_id


async def make_discount(admin: httpx.AsyncClient, region_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "summer10",
        "rule": {"type": "percentage", "value": 10, "allocation": "total"},
        "regions": [region_id],
    }
    body.update(overrides)
    res = await admin.post("/admin/discounts", json=body)
    assert res.status_code == 200, res.text
    discount: dict[str, Any] = res.json()["discount"]
    return discount


async def make_tag(db: Database, value: str) -> str:
    async with db.write_session() as tx:
        tag = ProductTag(value=value)
        tx.add(tag)
        await tx.flush()
        tag_id = tag.id
        await tx.commit()
    return tag_id


# ---- create ------------------------------------------------------------------------------------


async def test_create_uppercases_code_and_answers_default_relations(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    discount = await make_discount(admin, region_id, metadata={"a": 1}, usage_limit=5)
    assert set(discount) == DISCOUNT_KEYS
    assert discount["code"] == "SUMMER10"
    assert discount["id"].startswith("disc_")
    assert discount["is_dynamic"] is False and discount["is_disabled"] is False
    assert discount["usage_count"] == 0 and discount["usage_limit"] == 5
    assert discount["metadata"] == {"a": 1}
    assert discount["parent_discount"] is None
    assert [r["id"] for r in discount["regions"]] == [region_id]
    assert "countries" not in discount["regions"][0]
    rule = discount["rule"]
    assert rule["id"] == discount["rule_id"] and rule["id"].startswith("dru_")
    assert (rule["type"], rule["value"], rule["allocation"], rule["conditions"]) == (
        "percentage",
        10,
        "total",
        [],
    )
    assert discount["starts_at"] is not None and discount["ends_at"] is None


async def test_create_with_condition(admin: httpx.AsyncClient, db: Database) -> None:
    region_id = await make_region(admin)
    tag_id = await make_tag(db, "disc-tag")
    discount = await make_discount(
        admin,
        region_id,
        rule={
            "type": "fixed",
            "value": 500,
            "allocation": "item",
            "conditions": [{"operator": "in", "product_tags": [tag_id]}],
        },
    )
    [condition] = discount["rule"]["conditions"]
    assert condition["id"].startswith("discon_")
    assert (condition["type"], condition["operator"]) == ("product_tags", "in")
    async with db.read_session() as tx:
        rows = (await tx.execute(select(DiscountConditionProductTag))).scalars().all()
    assert [(r.condition_id, r.product_tag_id) for r in rows] == [(condition["id"], tag_id)]


async def test_create_refuses_unknown_condition_resource(admin: httpx.AsyncClient, db: Database) -> None:
    region_id = await make_region(admin)
    res = await admin.post(
        "/admin/discounts",
        json={
            "code": "cond",
            "rule": {
                "type": "percentage",
                "value": 10,
                "allocation": "total",
                "conditions": [{"operator": "in", "products": ["prod_nope"]}],
            },
            "regions": [region_id],
        },
    )
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Product with product_id prod_nope does not exist.",
    }
    async with db.read_session() as tx:
        assert (await tx.execute(select(Discount))).scalars().all() == []


async def test_create_validation_messages(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/discounts", json={})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "code should not be empty, code must be a string, rule should not be empty, "
        "each value in regions must be a string, regions must be an array",
    }
    res = await admin.post(
        "/admin/discounts",
        json={
            "code": "",
            "rule": {
                "type": "x",
                "value": "a",
                "allocation": "y",
                "conditions": [{"operator": "in", "products": ["a"], "product_tags": ["b"]}],
            },
            "regions": "x",
            "valid_duration": "x",
            "usage_limit": -1,
            "ends_at": "2020-01-01",
            "starts_at": "2021-01-01",
        },
    )
    assert res.status_code == 400
    assert res.json()["message"] == (
        'code should not be empty, Invalid rule type, must be one of "fixed", "percentage" or '
        '"free_shipping", value must be a number conforming to the specified constraints, Invalid '
        'allocation type, must be one of "total" or "item", Only one of products, product_tags is '
        'allowed, Only one of product_tags, products is allowed, "ends_at" must be greater than '
        '"starts_at", "valid_duration" must be a valid ISO 8601 duration, usage_limit must be a '
        "positive number, regions must be an array"
    )


async def test_create_refusals(admin: httpx.AsyncClient) -> None:
    eu = await make_region(admin, "A", "dk")
    na = await make_region(admin, "B", "us")
    await make_discount(admin, eu)

    async def post(body: dict[str, Any]) -> httpx.Response:
        return await admin.post("/admin/discounts", json=body)

    rule = {"type": "percentage", "value": 10, "allocation": "total"}
    res = await post({"code": "Summer10", "rule": rule, "regions": [eu]})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Discount with code SUMMER10 already exists.",
    }
    fixed = {"type": "fixed", "value": 10, "allocation": "total"}
    res = await post({"code": "f", "rule": fixed, "regions": [eu, na]})
    assert (res.status_code, res.json()) == (
        400,
        {"type": "invalid_data", "message": "Fixed discounts can have one region"},
    )
    res = await post({"code": "f", "rule": fixed, "regions": []})
    assert res.json() == {"type": "invalid_data", "message": "Discount must have at least 1 region"}
    res = await post({"code": "f", "rule": {**rule, "value": 101}, "regions": [eu]})
    assert res.json() == {
        "type": "invalid_data",
        "message": "Discount value above 100 is not allowed when type is percentage",
    }
    res = await post({"code": "f", "rule": rule, "regions": ["reg_nope"]})
    assert (res.status_code, res.json()["message"]) == (404, "Region with reg_nope was not found")
    # an explicit null reaches the NOT NULL column (Medusa 1.20.11)
    res = await post({"code": "f", "rule": rule, "regions": [eu], "starts_at": None})
    assert (res.status_code, res.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": "Can't insert null value in field starts_at on insert in table discount",
        },
    )
    # @ValidateNested({each: true}) on conditions: a primitive, and a lone object as one item
    for conditions, message in (
        (
            "x",
            "conditions must be an array, "
            "each value in nested property conditions must be either object or array",
        ),
        ({}, "conditions must be an array, operator must be a string"),
    ):
        res = await post({"code": "f", "rule": {**rule, "conditions": conditions}, "regions": [eu]})
        assert (res.status_code, res.json()["message"]) == (400, message)
    res = await post({"code": "f", "rule": rule, "regions": [eu], "is_disabled": None})
    assert (res.status_code, res.json()["message"]) == (
        400,
        "Can't insert null value in field is_disabled on insert in table discount",
    )


# ---- read --------------------------------------------------------------------------------------


async def test_get_by_id_and_code(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    created = await make_discount(admin, region_id)
    res = await admin.get(f"/admin/discounts/{created['id']}")
    assert res.status_code == 200
    assert res.json()["discount"]["code"] == "SUMMER10"
    res = await admin.get("/admin/discounts/code/summer10")
    assert res.status_code == 200
    assert res.json()["discount"]["id"] == created["id"]
    assert set(res.json()["discount"]) == DISCOUNT_KEYS
    res = await admin.get("/admin/discounts/code/nope")
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Discounts with code nope was not found"},
    )
    res = await admin.get("/admin/discounts/disc_nope")
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Discount with id disc_nope was not found"},
    )
    res = await admin.get(f"/admin/discounts/{created['id']}?expand=regions&fields=code")
    assert res.json()["discount"] == {
        "id": created["id"],
        "code": "SUMMER10",
        "regions": created["regions"],
    }
    # any relation of the entity, nested ones too (the route names no allowed relations)
    res = await admin.get(
        f"/admin/discounts/{created['id']}?expand=rule,rule.conditions,rule.conditions.products,regions.countries"
    )
    assert res.status_code == 200, res.text
    assert res.json()["discount"]["rule"]["conditions"] == []
    assert isinstance(res.json()["discount"]["regions"][0]["countries"], list)
    res = await admin.get(f"/admin/discounts/{created['id']}?expand=rule.nope")
    assert (res.status_code, res.json()["message"]) == (400, "Requested fields [rule.nope] are not valid")


async def test_list_filters(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    a = await make_discount(admin, region_id, code="alpha")
    b = await make_discount(
        admin,
        region_id,
        code="beta",
        is_dynamic=True,
        rule={"type": "free_shipping", "value": 0, "allocation": "total"},
    )
    res = await admin.get("/admin/discounts")
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (2, 0, 20)
    assert [d["id"] for d in body["discounts"]] == [b["id"], a["id"]]
    res = await admin.get("/admin/discounts", params={"q": "LPH"})
    assert [d["code"] for d in res.json()["discounts"]] == ["ALPHA"]
    res = await admin.get("/admin/discounts", params={"is_dynamic": "true"})
    assert [d["code"] for d in res.json()["discounts"]] == ["BETA"]
    res = await admin.get("/admin/discounts", params={"rule[type]": "percentage"})
    assert [d["code"] for d in res.json()["discounts"]] == ["ALPHA"]
    res = await admin.get("/admin/discounts", params={"is_dynamic": "x", "limit": 1})
    assert (res.json()["count"], len(res.json()["discounts"])) == (2, 1)
    # the dashboard's Types filter sends an array: not a key of optionalBooleanMapper, no filter
    res = await admin.get("/admin/discounts", params={"is_dynamic[0]": "dynamic", "is_disabled[0]": "true"})
    assert (res.status_code, res.json()["count"]) == (200, 2)
    res = await admin.get("/admin/discounts", params={"rule[type]": "bad"})
    assert (res.status_code, res.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": "type must be one of the following values: fixed, percentage, free_shipping",
        },
    )
    res = await admin.get("/admin/discounts", params={"foo": "1"})
    assert res.json() == {"type": "invalid_data", "message": "property foo should not exist"}


# ---- update / delete ---------------------------------------------------------------------------


async def test_update(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    other = await make_region(admin, "Other", "us")
    created = await make_discount(admin, region_id, metadata={"a": 1, "b": 2})
    res = await admin.post(
        f"/admin/discounts/{created['id']}",
        json={
            "code": "winter",
            "is_disabled": True,
            "usage_limit": 3,
            "ends_at": "2099-01-01T00:00:00Z",
            "regions": [region_id, other],
            "metadata": {"a": "", "c": 3},
            "rule": {"id": created["rule_id"], "value": 20, "description": "twenty"},
        },
    )
    assert res.status_code == 200, res.text
    d = res.json()["discount"]
    assert d["code"] == "WINTER" and d["is_disabled"] is True and d["usage_limit"] == 3
    assert d["ends_at"] == "2099-01-01T00:00:00.000Z"
    assert d["metadata"] == {"b": 2, "c": 3}
    assert sorted(r["id"] for r in d["regions"]) == sorted([region_id, other])
    assert (d["rule"]["value"], d["rule"]["description"]) == (20, "twenty")
    res = await admin.post(f"/admin/discounts/{created['id']}", json={"ends_at": None, "usage_limit": None})
    assert (res.json()["discount"]["ends_at"], res.json()["discount"]["usage_limit"]) == (None, None)


async def test_update_refusals(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    created = await make_discount(admin, region_id)
    url = f"/admin/discounts/{created['id']}"
    res = await admin.post(url, json={"is_dynamic": True})
    assert res.json() == {"type": "invalid_data", "message": "property is_dynamic should not exist"}
    res = await admin.post(url, json={"rule": {"value": 5}})
    assert res.json() == {"type": "invalid_data", "message": "id should not be empty, id must be a string"}
    res = await admin.post(url, json={"ends_at": "2000-01-01"})
    assert (res.status_code, res.json()) == (
        400,
        {"type": "invalid_data", "message": '"ends_at" must be greater than "starts_at"'},
    )
    res = await admin.post(url, json={"rule": {"id": created["rule_id"], "value": 150}})
    assert res.json()["message"] == "Discount value above 100 is not allowed when type is percentage"
    await make_discount(admin, region_id, code="taken")
    res = await admin.post(url, json={"code": "taken"})
    assert (res.status_code, res.json()["message"]) == (422, "Discount with code TAKEN already exists.")
    res = await admin.post("/admin/discounts/disc_nope", json={})
    assert res.status_code == 404


async def test_delete_is_soft(admin: httpx.AsyncClient, db: Database) -> None:
    region_id = await make_region(admin)
    created = await make_discount(admin, region_id)
    res = await admin.delete(f"/admin/discounts/{created['id']}")
    assert res.json() == {"id": created["id"], "object": "discount", "deleted": True}
    assert (await admin.get(f"/admin/discounts/{created['id']}")).status_code == 404
    async with db.read_session() as tx:
        row = await tx.get(Discount, created["id"])
        assert row is not None and row.deleted_at is not None
    # the code is free again
    await make_discount(admin, region_id)
    res = await admin.delete("/admin/discounts/disc_nope")
    assert res.json() == {"id": "disc_nope", "object": "discount", "deleted": True}


# ---- regions -----------------------------------------------------------------------------------


async def test_add_and_remove_region(admin: httpx.AsyncClient) -> None:
    eu = await make_region(admin, "A", "dk")
    na = await make_region(admin, "B", "us")
    created = await make_discount(admin, eu)
    url = f"/admin/discounts/{created['id']}/regions"
    res = await admin.post(f"{url}/{na}")
    assert sorted(r["id"] for r in res.json()["discount"]["regions"]) == sorted([eu, na])
    res = await admin.post(f"{url}/{na}")  # already there: unchanged
    assert len(res.json()["discount"]["regions"]) == 2
    res = await admin.delete(f"{url}/{eu}")
    assert [r["id"] for r in res.json()["discount"]["regions"]] == [na]
    res = await admin.delete(f"{url}/{eu}")
    assert [r["id"] for r in res.json()["discount"]["regions"]] == [na]
    res = await admin.post(f"{url}/reg_nope")
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Region with reg_nope was not found"},
    )
    res = await admin.post(f"/admin/discounts/disc_nope/regions/{eu}")
    assert (res.status_code, res.json()["message"]) == (404, "Discount with id disc_nope was not found")
    fixed = await make_discount(
        admin, eu, code="fixed", rule={"type": "fixed", "value": 100, "allocation": "total"}
    )
    res = await admin.post(f"/admin/discounts/{fixed['id']}/regions/{na}")
    assert (res.status_code, res.json()) == (
        400,
        {"type": "invalid_data", "message": "Fixed discounts can have one region"},
    )


# ---- dynamic codes -----------------------------------------------------------------------------


async def test_dynamic_codes(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    parent = await make_discount(admin, region_id, is_dynamic=True, valid_duration="P1D", usage_limit=7)
    url = f"/admin/discounts/{parent['id']}/dynamic-codes"
    res = await admin.post(url, json={"code": "dyn1", "usage_limit": 99, "metadata": {"k": "v"}})
    assert res.status_code == 200, res.text
    child = res.json()["discount"]
    assert child["code"] == "DYN1" and child["id"] != parent["id"]
    assert child["is_dynamic"] is True and child["parent_discount_id"] == parent["id"]
    assert child["parent_discount"]["id"] == parent["id"]
    assert child["rule_id"] == parent["rule_id"] and child["usage_limit"] == 7
    assert child["metadata"] == {"k": "v"}
    assert child["ends_at"] is not None and child["ends_at"] > child["starts_at"]
    res = await admin.post(url, json={"code": "dyn1"})
    assert res.status_code == 422
    res = await admin.post(url, json={})
    assert res.json() == {
        "type": "invalid_data",
        "message": "code should not be empty, code must be a string",
    }
    res = await admin.delete(f"{url}/DYN1")
    assert res.status_code == 200 and res.json()["discount"]["id"] == parent["id"]
    assert (await admin.get("/admin/discounts/code/dyn1")).status_code == 404
    res = await admin.delete("/admin/discounts/disc_nope/dynamic-codes/x")
    assert res.status_code == 404


async def test_dynamic_code_refused_on_non_dynamic_discount(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    parent = await make_discount(admin, region_id)
    res = await admin.post(f"/admin/discounts/{parent['id']}/dynamic-codes", json={"code": "x1"})
    assert (res.status_code, res.json()) == (
        400,
        {"type": "not_allowed", "message": "Discount must be set to dynamic"},
    )
    res = await admin.post("/admin/discounts/disc_nope/dynamic-codes", json={"code": "x1"})
    assert res.status_code == 404


# ---- auth --------------------------------------------------------------------------------------


async def test_requires_auth(client: httpx.AsyncClient) -> None:
    for method, url in [
        ("GET", "/admin/discounts"),
        ("POST", "/admin/discounts"),
        ("GET", "/admin/discounts/disc_1"),
        ("GET", "/admin/discounts/code/X"),
        ("POST", "/admin/discounts/disc_1"),
        ("DELETE", "/admin/discounts/disc_1"),
        ("POST", "/admin/discounts/disc_1/regions/reg_1"),
        ("DELETE", "/admin/discounts/disc_1/regions/reg_1"),
        ("POST", "/admin/discounts/disc_1/dynamic-codes"),
        ("DELETE", "/admin/discounts/disc_1/dynamic-codes/X"),
    ]:
        res = await client.request(method, url)
        assert (res.status_code, res.text) == (401, "Unauthorized"), url


async def test_update_null_for_required_columns(admin: httpx.AsyncClient) -> None:
    region_id = await make_region(admin)
    created = await make_discount(admin, region_id)
    url = f"/admin/discounts/{created['id']}"
    for name in ("is_disabled", "starts_at"):
        res = await admin.post(url, json={name: None})
        assert (res.status_code, res.json()) == (
            400,
            {
                "type": "invalid_data",
                "message": f"Can't insert null value in field {name} on insert in table discount",
            },
        )
    res = await admin.post(url, json={"code": None})
    assert res.status_code == 500
    res = await admin.post(url, json={"rule": {"id": created["rule_id"], "allocation": "bad"}})
    assert res.json() == {
        "type": "invalid_data",
        "message": 'Invalid allocation type, must be one of "total" or "item"',
    }
    res = await admin.post(
        url,
        json={"rule": {"id": created["rule_id"], "conditions": [{"id": "discon_nope", "products": ["p"]}]}},
    )
    assert (res.status_code, res.json()["message"]) == (
        404,
        "DiscountCondition with id discon_nope was not found",
    )
    res = await admin.get(url)
    assert res.json()["discount"]["code"] == "SUMMER10"
