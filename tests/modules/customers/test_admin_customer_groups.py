"""/admin/customer-groups: the eight routes, as a real Medusa 1.20.11 answers them."""

from __future__ import annotations

import datetime

import httpx
import pytest
from sqlalchemy import insert, select

from mercato.db.session import Database
from mercato.modules.customers.models import CustomerGroup
from mercato.modules.discounts.models import (
    DiscountCondition,
    DiscountConditionCustomerGroup,
    DiscountRule,
)
from mercato.modules.price_lists.models import PriceList, t_price_list_customer_groups
from tests.modules.customers.conftest import Events, Join, MakeCustomer, MakeGroup, memberships

GROUP_KEYS = {"id", "created_at", "updated_at", "deleted_at", "name", "metadata"}


def _invalid(res: httpx.Response, message: str) -> None:
    assert res.status_code == 400, res.text
    assert res.json() == {"type": "invalid_data", "message": message}


def _duplicate(res: httpx.Response, message: str) -> None:
    assert res.status_code == 422, res.text
    assert res.json() == {"code": "invalid_request_error", "type": "duplicate_error", "message": message}


def _not_found(res: httpx.Response, message: str) -> None:
    assert res.status_code == 404, res.text
    assert res.json() == {"type": "not_found", "message": message}


async def _group_row(db: Database, group_id: str) -> CustomerGroup | None:
    async with db.read_session() as tx:
        return (
            await tx.execute(select(CustomerGroup).where(CustomerGroup.id == group_id))
        ).scalar_one_or_none()


# ---- POST /admin/customer-groups ----------------------------------------------------------------


async def test_create_group(admin: httpx.AsyncClient, events: Events) -> None:
    res = await admin.post("/admin/customer-groups", json={"name": "VIP", "metadata": {"k": "v"}})
    assert res.status_code == 200, res.text
    group = res.json()["customer_group"]
    assert set(group) == GROUP_KEYS
    assert group["id"].startswith("cgrp_")
    assert (group["name"], group["metadata"], group["deleted_at"]) == ("VIP", {"k": "v"}, None)
    res = await admin.post("/admin/customer-groups", json={"name": "B2B"})
    assert res.json()["customer_group"]["metadata"] is None
    # CustomerGroupService emits nothing
    assert await events("customer-group.created") == []


async def test_create_group_refuses_a_taken_name(admin: httpx.AsyncClient, make_group: MakeGroup) -> None:
    await make_group("VIP")
    _duplicate(
        await admin.post("/admin/customer-groups", json={"name": "VIP"}), "Key (name)=(VIP) already exists."
    )
    # the name of a soft-deleted group is free again
    await make_group("Old", deleted_at=datetime.datetime.now(datetime.UTC))
    assert (await admin.post("/admin/customer-groups", json={"name": "Old"})).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "name must be a string"),
        (
            {"name": 5, "metadata": "x", "z": 1},
            "property z should not exist, name must be a string, metadata must be an object",
        ),
    ],
)
async def test_create_group_bad_input(
    admin: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    _invalid(await admin.post("/admin/customer-groups", json=body), message)
    assert (await admin.get("/admin/customer-groups")).json()["count"] == 0


# ---- GET /admin/customer-groups/{id} ------------------------------------------------------------


async def test_get_group(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, join: Join, db: Database
) -> None:
    group = await make_group("VIP", metadata_={"k": "v"})
    ann = await make_customer("ann@shop.test")
    gone = await make_customer("gone@shop.test", deleted_at=datetime.datetime.now(datetime.UTC))
    await join(group, ann)
    await join(group, gone)
    async with db.write_session() as tx:
        price_list = PriceList(name="Sale", description="d", type="sale", status="active")
        tx.add(price_list)
        await tx.flush()
        await tx.execute(
            insert(t_price_list_customer_groups).values(price_list_id=price_list.id, customer_group_id=group)
        )
        await tx.commit()
        price_list_id = price_list.id

    res = await admin.get(f"/admin/customer-groups/{group}")
    assert res.status_code == 200
    assert res.json()["customer_group"] == {
        **res.json()["customer_group"],
        "id": group,
        "name": "VIP",
        "metadata": {"k": "v"},
    }
    assert set(res.json()["customer_group"]) == GROUP_KEYS  # no default relations

    res = await admin.get(f"/admin/customer-groups/{group}", params={"expand": "customers,price_lists"})
    body = res.json()["customer_group"]
    assert [c["id"] for c in body["customers"]] == [ann]
    assert [p["id"] for p in body["price_lists"]] == [price_list_id]

    res = await admin.get(f"/admin/customer-groups/{group}", params={"fields": "name"})
    assert res.json()["customer_group"] == {"id": group, "name": "VIP"}


async def test_get_group_unknown_and_bad_query(admin: httpx.AsyncClient, make_group: MakeGroup) -> None:
    _not_found(
        await admin.get("/admin/customer-groups/cgrp_nope"), "CustomerGroup with id cgrp_nope was not found"
    )
    gone = await make_group("Old", deleted_at=datetime.datetime.now(datetime.UTC))
    _not_found(
        await admin.get(f"/admin/customer-groups/{gone}"), f"CustomerGroup with id {gone} was not found"
    )
    group = await make_group("VIP")
    _invalid(
        await admin.get(f"/admin/customer-groups/{group}", params={"foo": "1"}),
        "property foo should not exist",
    )
    res = await admin.get(f"/admin/customer-groups/{group}", params={"expand": "nope"})
    assert res.status_code == 400  # Medusa: 500


# ---- GET /admin/customer-groups -----------------------------------------------------------------


async def test_list_groups(admin: httpx.AsyncClient, make_group: MakeGroup) -> None:
    ids = [await make_group(f"group-{i:02}") for i in range(12)]
    await make_group("deleted", deleted_at=datetime.datetime.now(datetime.UTC))

    body = (await admin.get("/admin/customer-groups")).json()
    assert list(body) == ["count", "customer_groups", "offset", "limit"]
    assert (body["count"], body["offset"], body["limit"]) == (12, 0, 10)
    assert [g["id"] for g in body["customer_groups"]] == ids[::-1][:10]  # newest first
    assert set(body["customer_groups"][0]) == GROUP_KEYS

    page = (
        await admin.get("/admin/customer-groups", params={"order": "name", "limit": 2, "offset": 1})
    ).json()
    assert [g["name"] for g in page["customer_groups"]] == ["group-01", "group-02"]

    found = (await admin.get("/admin/customer-groups", params={"q": "UP-1"})).json()
    assert sorted(g["name"] for g in found["customer_groups"]) == ["group-10", "group-11"]

    named = (
        await admin.get("/admin/customer-groups", params=[("name[]", "group-03"), ("name[]", "group-05")])
    ).json()
    assert sorted(g["name"] for g in named["customer_groups"]) == ["group-03", "group-05"]

    # `q` replaces the `name` filter (CustomerGroupService sets where.name = ILike(q))
    searched = (
        await admin.get("/admin/customer-groups", params=[("q", "UP-1"), ("name[]", "group-03")])
    ).json()
    assert searched["count"] == 2

    by_id = (await admin.get("/admin/customer-groups", params={"id": ids[4]})).json()
    assert [g["id"] for g in by_id["customer_groups"]] == [ids[4]]
    by_ids = (await admin.get("/admin/customer-groups", params=[("id[]", ids[1]), ("id[]", ids[2])])).json()
    assert by_ids["count"] == 2

    picked = (await admin.get("/admin/customer-groups", params={"fields": "name", "limit": 1})).json()
    assert picked["customer_groups"] == [
        {"id": ids[-1], "name": "group-11", "created_at": picked["customer_groups"][0]["created_at"]}
    ]

    expanded = (await admin.get("/admin/customer-groups", params={"expand": "customers", "limit": 1})).json()
    assert expanded["customer_groups"][0]["customers"] == []

    none = (await admin.get("/admin/customer-groups", params={"created_at[gt]": "2999-01-01"})).json()
    assert none["count"] == 0


async def test_list_groups_fields(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, join: Join
) -> None:
    group = await make_group("VIP")
    ann = await make_customer("ann@shop.test")
    await join(group, ann)
    for fields in ("-name", ""):
        body = (await admin.get("/admin/customer-groups", params={"fields": fields})).json()
        assert [set(g) for g in body["customer_groups"]] == [{"id", "created_at"}]
    body = (await admin.get("/admin/customer-groups", params={"fields": "+name"})).json()
    assert set(body["customer_groups"][0]) == {"id", "created_at", "name"}
    body = (await admin.get("/admin/customer-groups", params={"fields": "name,customers.email"})).json()
    assert body["customer_groups"] == [
        {
            "id": group,
            "created_at": body["customer_groups"][0]["created_at"],
            "name": "VIP",
            "customers": [{"email": "ann@shop.test"}],
        }
    ]


async def test_list_groups_by_discount_condition(
    admin: httpx.AsyncClient, make_group: MakeGroup, db: Database
) -> None:
    vip = await make_group("VIP")
    await make_group("B2B")
    async with db.write_session() as tx:
        rule = DiscountRule(type="percentage", value=10, allocation="total")
        tx.add(rule)
        await tx.flush()
        condition = DiscountCondition(type="customer_groups", operator="in", discount_rule_id=rule.id)
        tx.add(condition)
        await tx.flush()
        tx.add(DiscountConditionCustomerGroup(customer_group_id=vip, condition_id=condition.id))
        await tx.commit()
        condition_id = condition.id
    body = (await admin.get("/admin/customer-groups", params={"discount_condition_id": condition_id})).json()
    assert [g["id"] for g in body["customer_groups"]] == [vip]
    assert body["count"] == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"name": "x"}, "name must be an array"),
        (
            {"foo": "1", "limit": "x"},
            "property foo should not exist, limit must be a number conforming to the specified constraints",
        ),
        ({"created_at[gt]": "nope"}, "gt must be a Date instance"),
        ({"id[eq]": "x"}, "property eq should not exist"),
    ],
)
async def test_list_groups_bad_query(admin: httpx.AsyncClient, query: dict[str, str], message: str) -> None:
    _invalid(await admin.get("/admin/customer-groups", params=query), message)


# ---- POST /admin/customer-groups/{id} -----------------------------------------------------------


async def test_update_group(admin: httpx.AsyncClient, make_group: MakeGroup) -> None:
    group = await make_group("VIP", metadata_={"a": 1, "b": 2})
    before = (await admin.get(f"/admin/customer-groups/{group}")).json()["customer_group"]
    res = await admin.post(
        f"/admin/customer-groups/{group}", json={"name": "VIP+", "metadata": {"a": "", "c": None}}
    )
    assert res.status_code == 200, res.text
    body = res.json()["customer_group"]
    assert set(body) == GROUP_KEYS
    assert (body["name"], body["metadata"]) == ("VIP+", {"b": 2, "c": None})
    assert body["updated_at"] > before["updated_at"]

    same = (await admin.post(f"/admin/customer-groups/{group}", json={})).json()["customer_group"]
    assert same["updated_at"] == body["updated_at"]

    res = await admin.post(f"/admin/customer-groups/{group}", params={"expand": "customers"}, json={})
    assert res.json()["customer_group"]["customers"] == []


async def test_update_group_refusals(admin: httpx.AsyncClient, make_group: MakeGroup) -> None:
    vip = await make_group("VIP")
    b2b = await make_group("B2B")
    _duplicate(
        await admin.post(f"/admin/customer-groups/{b2b}", json={"name": "VIP"}),
        "Customer_group with name VIP already exists.",
    )
    _invalid(
        await admin.post(f"/admin/customer-groups/{b2b}", json={"name": None}),
        "Can't insert null value in field name on insert in table customer_group",
    )
    _invalid(await admin.post(f"/admin/customer-groups/{b2b}", json={"name": 1}), "name must be a string")
    _not_found(
        await admin.post("/admin/customer-groups/cgrp_nope", json={"name": "q"}),
        "CustomerGroup with id cgrp_nope was not found",
    )
    _invalid(
        await admin.post(f"/admin/customer-groups/{b2b}", params={"foo": "1"}, json={"name": "Z"}),
        "property foo should not exist",
    )
    # renaming to its own name is no conflict
    assert (await admin.post(f"/admin/customer-groups/{vip}", json={"name": "VIP"})).status_code == 200
    names = {g["name"] for g in (await admin.get("/admin/customer-groups")).json()["customer_groups"]}
    assert names == {"VIP", "B2B"}


# ---- DELETE /admin/customer-groups/{id} ---------------------------------------------------------


async def test_delete_group_is_a_hard_delete(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, join: Join, db: Database
) -> None:
    group = await make_group("VIP")
    other = await make_group("B2B")
    ann = await make_customer("ann@shop.test")
    await join(group, ann)
    await join(other, ann)
    res = await admin.delete(f"/admin/customer-groups/{group}")
    assert res.status_code == 200
    assert res.json() == {"id": group, "object": "customer_group", "deleted": True}
    assert await _group_row(db, group) is None
    assert await memberships(db) == {(other, ann)}
    # idempotent, even for an id that never existed
    assert (await admin.delete(f"/admin/customer-groups/{group}")).json()["deleted"] is True
    assert (await admin.delete("/admin/customer-groups/cgrp_nope")).json() == {
        "id": "cgrp_nope",
        "object": "customer_group",
        "deleted": True,
    }
    assert (await admin.post("/admin/customer-groups", json={"name": "VIP"})).status_code == 200


# ---- GET /admin/customer-groups/{id}/customers --------------------------------------------------


async def test_group_customers(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, join: Join
) -> None:
    vip = await make_group("VIP")
    b2b = await make_group("B2B")
    ann = await make_customer("ann@shop.test", first_name="Ann")
    bob = await make_customer("bob@shop.test", first_name="Bob")
    await make_customer("cid@shop.test")
    await join(vip, ann)
    await join(vip, bob)
    await join(b2b, ann)

    body = (await admin.get(f"/admin/customer-groups/{vip}/customers")).json()
    assert set(body) == {"customers", "count", "offset", "limit"}
    assert (body["count"], body["limit"]) == (2, 50)
    assert [c["id"] for c in body["customers"]] == [ann, bob]
    assert [[g["id"] for g in c["groups"]] for c in body["customers"]] == [[vip], [vip]]

    found = (
        await admin.get(
            f"/admin/customer-groups/{vip}/customers", params={"q": "BOB", "expand": "shipping_addresses"}
        )
    ).json()
    assert [c["id"] for c in found["customers"]] == [bob]
    assert found["customers"][0]["shipping_addresses"] == []
    assert "groups" in found["customers"][0]

    # the route sets `groups` itself
    mine = (await admin.get(f"/admin/customer-groups/{b2b}/customers", params={"groups[]": vip})).json()
    assert [c["id"] for c in mine["customers"]] == [ann]
    # an unknown group is an empty page, not a 404
    assert (await admin.get("/admin/customer-groups/cgrp_nope/customers")).json()["count"] == 0
    _invalid(
        await admin.get(f"/admin/customer-groups/{vip}/customers", params={"foo": "1"}),
        "property foo should not exist",
    )


# ---- POST/DELETE /admin/customer-groups/{id}/customers/batch ------------------------------------


async def test_add_customers_batch(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, join: Join, db: Database
) -> None:
    group = await make_group("VIP", metadata_={"k": "v"})
    ann = await make_customer("ann@shop.test")
    bob = await make_customer("bob@shop.test")
    await join(group, ann)
    res = await admin.post(
        f"/admin/customer-groups/{group}/customers/batch",
        json={"customer_ids": [{"id": ann}, {"id": bob}, {"id": bob}]},
    )
    assert res.status_code == 200, res.text
    body = res.json()["customer_group"]
    assert set(body) == GROUP_KEYS
    assert (body["id"], body["name"], body["metadata"]) == (group, "VIP", {"k": "v"})
    assert await memberships(db) == {(group, ann), (group, bob)}
    res = await admin.post(f"/admin/customer-groups/{group}/customers/batch", json={"customer_ids": []})
    assert res.json()["customer_group"]["id"] == group


async def test_add_customers_batch_refusals(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, db: Database
) -> None:
    group = await make_group("VIP")
    ann = await make_customer("ann@shop.test")
    _not_found(
        await admin.post(
            f"/admin/customer-groups/{group}/customers/batch",
            json={"customer_ids": [{"id": ann}, {"id": "cus_nope"}, {"id": "cus_nope2"}]},
        ),
        'The following customer ids do not exist: "cus_nope, cus_nope2"',
    )
    assert await memberships(db) == set()
    _not_found(
        await admin.post(
            "/admin/customer-groups/cgrp_nope/customers/batch", json={"customer_ids": [{"id": ann}]}
        ),
        "CustomerGroup with id cgrp_nope was not found",
    )
    _not_found(
        await admin.post(
            "/admin/customer-groups/cgrp_nope/customers/batch", json={"customer_ids": [{"id": "cus_nope"}]}
        ),
        "CustomerGroup with id cgrp_nope was not found",
    )


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"customer_ids": [{"id": 1}, "x"], "q": 1},
            "property q should not exist, id must be a string, "
            "each value in nested property customer_ids must be either object or array",
        ),
        ({"customer_ids": "x"}, "each value in nested property customer_ids must be either object or array"),
        ({"customer_ids": [{"id": 3}]}, "id must be a string"),
        ({}, "customer_ids must be an array"),  # Medusa: 500
        ({"customer_ids": {"id": "x"}}, "customer_ids must be an array"),  # Medusa: 500
    ],
)
async def test_customers_batch_bad_input(
    admin: httpx.AsyncClient, make_group: MakeGroup, method: str, body: dict[str, object], message: str
) -> None:
    group = await make_group("VIP")
    _invalid(
        await admin.request(method, f"/admin/customer-groups/{group}/customers/batch", json=body), message
    )


async def test_delete_customers_batch(
    admin: httpx.AsyncClient, make_group: MakeGroup, make_customer: MakeCustomer, join: Join, db: Database
) -> None:
    group = await make_group("VIP")
    ann = await make_customer("ann@shop.test")
    bob = await make_customer("bob@shop.test")
    await join(group, ann)
    await join(group, bob)
    res = await admin.request(
        "DELETE",
        f"/admin/customer-groups/{group}/customers/batch",
        json={"customer_ids": [{"id": bob}, {"id": "cus_nope"}]},
    )
    assert res.status_code == 200, res.text
    assert res.json()["customer_group"]["id"] == group
    assert set(res.json()["customer_group"]) == GROUP_KEYS
    assert await memberships(db) == {(group, ann)}
    _not_found(
        await admin.request(
            "DELETE", "/admin/customer-groups/cgrp_nope/customers/batch", json={"customer_ids": [{"id": ann}]}
        ),
        "CustomerGroup with id cgrp_nope was not found",
    )


# ---- auth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/customer-groups"),
        ("POST", "/admin/customer-groups"),
        ("GET", "/admin/customer-groups/cgrp_1"),
        ("POST", "/admin/customer-groups/cgrp_1"),
        ("DELETE", "/admin/customer-groups/cgrp_1"),
        ("GET", "/admin/customer-groups/cgrp_1/customers"),
        ("POST", "/admin/customer-groups/cgrp_1/customers/batch"),
        ("DELETE", "/admin/customer-groups/cgrp_1/customers/batch"),
    ],
)
async def test_customer_groups_need_auth(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={} if method != "GET" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
