"""Admin discount conditions: create/get/update/delete and batch resources
(api/routes/admin/discounts/*condition*.ts), messages as the real Medusa 1.20 answers them."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.customers.models import CustomerGroup
from mercato.modules.discounts.models import (
    DiscountCondition,
    DiscountConditionCustomerGroup,
    DiscountConditionProductTag,
)
from tests.modules.discounts.test_admin_discounts import make_discount, make_region, make_tag


async def make_group(db: Database, name: str) -> str:
    async with db.write_session() as tx:
        group = CustomerGroup(name=name)
        tx.add(group)
        await tx.flush()
        group_id = group.id
        await tx.commit()
    return group_id


async def tag_rows(db: Database, condition_id: str) -> list[str]:
    async with db.read_session() as tx:
        rows = (
            await tx.execute(
                select(DiscountConditionProductTag.product_tag_id)
                .where(DiscountConditionProductTag.condition_id == condition_id)
                .order_by(DiscountConditionProductTag.product_tag_id)
            )
        ).scalars()
        return list(rows)


async def setup(admin: httpx.AsyncClient, db: Database) -> tuple[dict[str, Any], str, str, str]:
    region_id = await make_region(admin)
    discount = await make_discount(admin, region_id)
    t1 = await make_tag(db, "t1")
    t2 = await make_tag(db, "t2")
    res = await admin.post(
        f"/admin/discounts/{discount['id']}/conditions", json={"operator": "in", "product_tags": [t1]}
    )
    assert res.status_code == 200, res.text
    [condition] = res.json()["discount"]["rule"]["conditions"]
    return discount, condition["id"], t1, t2


async def test_create_condition(admin: httpx.AsyncClient, db: Database) -> None:
    discount, condition_id, t1, _ = await setup(admin, db)
    assert condition_id.startswith("discon_")
    assert await tag_rows(db, condition_id) == [t1]
    url = f"/admin/discounts/{discount['id']}/conditions"
    res = await admin.post(url, json={"operator": "in", "product_tags": [t1]})
    assert (res.status_code, res.json()) == (
        422,
        {
            "code": "invalid_request_error",
            "type": "duplicate_error",
            "message": "Discount Condition with operator 'in' and type 'product_tags' already exist on a "
            "Discount Rule",
        },
    )
    res = await admin.post(url, json={"product_tags": [t1]})
    assert res.json() == {"type": "invalid_data", "message": "operator must be a string"}
    res = await admin.post(url, json={"operator": "in"})
    assert res.json() == {
        "type": "invalid_data",
        "message": "Missing one of products, collections, tags, types or customer groups in data",
    }
    res = await admin.post(url, json={"operator": "in", "products": ["a"], "customer_groups": ["b"]})
    assert res.json()["message"] == (
        "Only one of products, customer_groups is allowed, Only one of customer_groups, products is allowed"
    )
    res = await admin.post(url, json={"operator": "not_in", "products": ["prod_nope"]})
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "Product with product_id prod_nope does not exist."},
    )
    res = await admin.post(url, json={"operator": "foo", "product_tags": [t1]})
    assert res.status_code == 500
    async with db.read_session() as tx:
        assert len((await tx.execute(select(DiscountCondition))).scalars().all()) == 1
    res = await admin.post(
        "/admin/discounts/disc_nope/conditions", json={"operator": "in", "product_tags": [t1]}
    )
    assert (res.status_code, res.json()["message"]) == (404, "Discount with id disc_nope was not found")
    group = await make_group(db, "vip")
    res = await admin.post(url, json={"operator": "not_in", "customer_groups": [group]})
    conditions = res.json()["discount"]["rule"]["conditions"]
    assert sorted(c["type"] for c in conditions) == ["customer_groups", "product_tags"]
    async with db.read_session() as tx:
        rows = (await tx.execute(select(DiscountConditionCustomerGroup))).scalars().all()
        assert [r.customer_group_id for r in rows] == [group]


async def test_get_condition(admin: httpx.AsyncClient, db: Database) -> None:
    discount, condition_id, t1, _ = await setup(admin, db)
    url = f"/admin/discounts/{discount['id']}/conditions/{condition_id}"
    res = await admin.get(url)
    assert res.status_code == 200
    body = res.json()["discount_condition"]
    assert set(body) == {
        "id",
        "type",
        "operator",
        "discount_rule_id",
        "created_at",
        "updated_at",
        "discount_rule",
    }
    assert (body["type"], body["operator"]) == ("product_tags", "in")
    assert body["discount_rule"]["id"] == discount["rule_id"]
    assert "conditions" not in body["discount_rule"]
    res = await admin.get(url, params={"expand": "product_tags", "fields": "id"})
    assert res.json()["discount_condition"] == {
        "id": condition_id,
        "product_tags": [
            {
                "id": t1,
                "value": "t1",
                "created_at": res.json()["discount_condition"]["product_tags"][0]["created_at"],
                "updated_at": res.json()["discount_condition"]["product_tags"][0]["updated_at"],
                "deleted_at": None,
                "metadata": None,
            }
        ],
    }
    res = await admin.get(f"/admin/discounts/{discount['id']}/conditions/discon_nope")
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": "DiscountCondition with id discon_nope was not found"},
    )
    res = await admin.get(f"/admin/discounts/disc_nope/conditions/{condition_id}")
    assert (res.status_code, res.json()["message"]) == (404, "Discount with id disc_nope was not found")
    other = await make_discount(admin, discount["regions"][0]["id"], code="other")
    res = await admin.get(f"/admin/discounts/{other['id']}/conditions/{condition_id}")
    assert (res.status_code, res.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": f"Condition with id {condition_id} does not belong to Discount with id {other['id']}",
        },
    )


async def test_update_condition_replaces_resources(admin: httpx.AsyncClient, db: Database) -> None:
    discount, condition_id, t1, t2 = await setup(admin, db)
    url = f"/admin/discounts/{discount['id']}/conditions/{condition_id}"
    res = await admin.post(url, json={"product_tags": [t2]})
    assert res.status_code == 200, res.text
    assert res.json()["discount"]["id"] == discount["id"]
    assert await tag_rows(db, condition_id) == [t2]
    res = await admin.post(url, json={"operator": "not_in"})
    assert res.json() == {"type": "invalid_data", "message": "property operator should not exist"}
    res = await admin.post(url, json={"product_tags": ["ptag_nope"]})
    assert (res.status_code, res.json()["message"]) == (
        404,
        "Product_tag with product_tag_id ptag_nope does not exist.",
    )
    assert await tag_rows(db, condition_id) == [t2]
    res = await admin.post(
        f"/admin/discounts/{discount['id']}/conditions/discon_nope", json={"product_tags": [t1]}
    )
    assert res.status_code == 404


async def test_batch_add_and_remove(admin: httpx.AsyncClient, db: Database) -> None:
    discount, condition_id, t1, t2 = await setup(admin, db)
    url = f"/admin/discounts/{discount['id']}/conditions/{condition_id}/batch"
    res = await admin.post(url, json={"resources": [{"id": t2}]})
    assert res.status_code == 200, res.text
    assert res.json()["discount"]["id"] == discount["id"]
    assert await tag_rows(db, condition_id) == sorted([t1, t2])
    res = await admin.post(url, json={"resources": [{"id": "ptag_nope"}]})
    assert (res.status_code, res.json()["message"]) == (
        404,
        "Product_tag with product_tag_id ptag_nope does not exist.",
    )
    res = await admin.post(url, json={"resources": []})
    assert res.json() == {
        "type": "invalid_data",
        "message": "Missing one of products, collections, tags, types or customer groups in data",
    }
    res = await admin.post(url, json={})
    assert res.json() == {"type": "invalid_data", "message": "resources must be an array"}
    # a resource without an id: the join table's NOT NULL refusal; removing it removes nothing
    res = await admin.post(url, json={"resources": [{}]})
    assert (res.status_code, res.json()["message"]) == (
        400,
        "Can't insert null value in field product_tag_id on insert in table discount_condition_product_tag",
    )
    res = await admin.request("DELETE", url, json={"resources": [{}]})
    assert res.status_code == 200 and await tag_rows(db, condition_id) == sorted([t1, t2])
    res = await admin.request("DELETE", url, json={"resources": [{"id": t1}]})
    assert res.status_code == 200, res.text
    assert await tag_rows(db, condition_id) == [t2]
    res = await admin.request("DELETE", url, json={"resources": "x"})
    assert res.json() == {"type": "invalid_data", "message": "resources must be an array"}


async def test_delete_condition(admin: httpx.AsyncClient, db: Database) -> None:
    discount, condition_id, _, _ = await setup(admin, db)
    url = f"/admin/discounts/{discount['id']}/conditions/{condition_id}"
    other = await make_discount(admin, discount["regions"][0]["id"], code="other")
    res = await admin.delete(f"/admin/discounts/{other['id']}/conditions/{condition_id}")
    assert (res.status_code, res.json()) == (
        404,
        {
            "type": "not_found",
            "message": f"Condition with id {condition_id} does not belong to Discount with id {other['id']}",
        },
    )
    res = await admin.delete(url)
    body = res.json()
    assert (body["id"], body["object"], body["deleted"]) == (condition_id, "discount-condition", True)
    assert body["discount"]["rule"]["conditions"] == []
    assert await tag_rows(db, condition_id) == []
    res = await admin.delete(url)  # idempotent
    assert res.status_code == 200 and res.json()["deleted"] is True
    res = await admin.delete(f"/admin/discounts/disc_nope/conditions/{condition_id}")
    assert res.status_code == 404


async def test_condition_routes_require_auth(client: httpx.AsyncClient) -> None:
    for method, url in [
        ("POST", "/admin/discounts/d/conditions"),
        ("GET", "/admin/discounts/d/conditions/c"),
        ("POST", "/admin/discounts/d/conditions/c"),
        ("DELETE", "/admin/discounts/d/conditions/c"),
        ("POST", "/admin/discounts/d/conditions/c/batch"),
        ("DELETE", "/admin/discounts/d/conditions/c/batch"),
    ]:
        res = await client.request(method, url)
        assert (res.status_code, res.text) == (401, "Unauthorized"), url


async def test_condition_products_carry_their_profile(admin: httpx.AsyncClient) -> None:
    # Product.afterLoad wherever a product is loaded with its profiles: profile is the last
    # of them, profile_id its id (Medusa's condition snapshot tests expand products.profiles)
    region_id = await make_region(admin)
    discount = await make_discount(admin, region_id)
    res = await admin.post("/admin/products", json={"title": "Conditioned"})
    assert res.status_code == 200, res.text
    product = res.json()["product"]
    res = await admin.post(
        f"/admin/discounts/{discount['id']}/conditions", json={"operator": "in", "products": [product["id"]]}
    )
    assert res.status_code == 200, res.text
    [condition] = res.json()["discount"]["rule"]["conditions"]
    url = f"/admin/discounts/{discount['id']}/conditions/{condition['id']}"
    res = await admin.get(url, params={"expand": "products.profiles", "fields": "id,type"})
    assert res.status_code == 200, res.text
    [shown] = res.json()["discount_condition"]["products"]
    assert shown["profile_id"] == product["profile_id"] and shown["profile"] == shown["profiles"][-1]
    res = await admin.get(url, params={"expand": "products", "fields": "id"})
    [bare] = res.json()["discount_condition"]["products"]
    assert "profile" not in bare and "profile_id" not in bare
