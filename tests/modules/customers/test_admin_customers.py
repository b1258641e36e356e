"""/admin/customers: list, create, retrieve, update — as a real Medusa 1.20.11 answers them."""

from __future__ import annotations

import datetime

import httpx
import pytest
from sqlalchemy import select

from mercato.core.errors import MedusaError
from mercato.core.passwords import verify_password
from mercato.db.session import Database
from mercato.modules.customers import service
from mercato.modules.customers.models import Customer
from tests.modules.customers.conftest import Events, Join, MakeCustomer, MakeGroup, memberships

CUSTOMER_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "email",
    "first_name",
    "last_name",
    "billing_address_id",
    "phone",
    "has_account",
    "metadata",
}


def _invalid(res: httpx.Response, message: str) -> None:
    assert res.status_code == 400, res.text
    assert res.json() == {"type": "invalid_data", "message": message}


def _duplicate(res: httpx.Response, message: str) -> None:
    assert res.status_code == 422, res.text
    assert res.json() == {"code": "invalid_request_error", "type": "duplicate_error", "message": message}


def _not_found(res: httpx.Response, message: str) -> None:
    assert res.status_code == 404, res.text
    assert res.json() == {"type": "not_found", "message": message}


async def _row(db: Database, customer_id: str) -> Customer:
    async with db.read_session() as tx:
        return (await tx.execute(select(Customer).where(Customer.id == customer_id))).scalar_one()


def _body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "email": "Ann.Lee@Example.com",
        "first_name": "Ann",
        "last_name": "Lee",
        "password": "secret1",
    }
    body.update(overrides)
    return body


# ---- POST /admin/customers ----------------------------------------------------------------------


async def test_create_customer_makes_an_account(
    admin: httpx.AsyncClient, db: Database, events: Events
) -> None:
    res = await admin.post("/admin/customers", json=_body(phone="123", metadata={"vip": True}))
    assert res.status_code == 201, res.text
    customer = res.json()["customer"]
    assert set(customer) == CUSTOMER_KEYS  # no relations, never the password hash
    assert customer["id"].startswith("cus_")
    assert customer["email"] == "ann.lee@example.com"
    assert customer["first_name"] == "Ann"
    assert customer["last_name"] == "Lee"
    assert customer["phone"] == "123"
    assert customer["has_account"] is True
    assert customer["metadata"] == {"vip": True}
    assert customer["billing_address_id"] is None
    assert customer["deleted_at"] is None
    row = await _row(db, customer["id"])
    assert verify_password("secret1", row.password_hash)
    assert not verify_password("wrong", row.password_hash)
    staged = await events("customer.created")
    assert len(staged) == 1
    assert staged[0]["id"] == customer["id"]
    assert staged[0]["email"] == "ann.lee@example.com"
    assert "password_hash" not in staged[0]


async def test_create_customer_refuses_a_second_account_for_an_email(admin: httpx.AsyncClient) -> None:
    assert (await admin.post("/admin/customers", json=_body())).status_code == 201
    res = await admin.post("/admin/customers", json=_body(email="ann.lee@EXAMPLE.com", password="other"))
    _duplicate(res, "A customer with the given email already has an account. Log in instead")
    listed = (await admin.get("/admin/customers")).json()
    assert listed["count"] == 1


async def test_create_customer_next_to_a_guest_with_the_same_email(
    admin: httpx.AsyncClient, make_customer: MakeCustomer
) -> None:
    guest = await make_customer("ann.lee@example.com")
    res = await admin.post("/admin/customers", json=_body())
    assert res.status_code == 201, res.text
    assert res.json()["customer"]["id"] != guest
    listed = (await admin.get("/admin/customers", params={"order": "created_at"})).json()
    assert [(c["id"], c["has_account"]) for c in listed["customers"]] == [
        (guest, False),
        (res.json()["customer"]["id"], True),
    ]


async def test_create_customer_service_refuses_a_second_guest(admin: httpx.AsyncClient, db: Database) -> None:
    async with db.write_session() as tx:
        guest = await service.create_customer(tx, {"email": "Guest@Shop.test"})
        await tx.commit()
    assert guest.has_account is False
    assert guest.password_hash is None
    assert guest.email == "guest@shop.test"
    async with db.write_session() as tx:
        with pytest.raises(MedusaError) as exc:
            await service.create_customer(tx, {"email": "guest@shop.test"})
        await tx.rollback()
    assert exc.value.type == "duplicate_error"
    assert exc.value.message == "Guest customer with email already exists"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {},
            "email must be an email, first_name must be a string, last_name must be a string, "
            "password must be a string",
        ),
        (
            {"email": "bad", "first_name": 1, "x": 2},
            "property x should not exist, email must be an email, first_name must be a string, "
            "last_name must be a string, password must be a string",
        ),
        (
            {**_body(), "phone": 5, "metadata": "x"},
            "phone must be a string, metadata must be an object",
        ),
    ],
)
async def test_create_customer_bad_input(
    admin: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    _invalid(await admin.post("/admin/customers", json=body), message)
    assert (await admin.get("/admin/customers")).json()["count"] == 0


async def test_create_customer_without_body(admin: httpx.AsyncClient) -> None:
    _invalid(
        await admin.post("/admin/customers"),
        "email must be an email, first_name must be a string, last_name must be a string, "
        "password must be a string",
    )


# ---- GET /admin/customers/{id} ------------------------------------------------------------------


async def test_get_customer_with_default_relations(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, make_address: object
) -> None:
    customer_id = await make_customer("ann@shop.test", first_name="Ann", has_account=True, password_hash="h")
    addr = await make_address(customer_id=customer_id, address_1="Main 1", country_code="dk")  # type: ignore[operator]
    await make_address(  # type: ignore[operator]
        customer_id=customer_id, address_1="Old 2", deleted_at=datetime.datetime.now(datetime.UTC)
    )
    res = await admin.get(f"/admin/customers/{customer_id}")
    assert res.status_code == 200, res.text
    customer = res.json()["customer"]
    assert set(customer) == CUSTOMER_KEYS | {"orders", "shipping_addresses"}
    assert customer["orders"] == []
    assert [a["id"] for a in customer["shipping_addresses"]] == [addr]
    assert customer["shipping_addresses"][0]["address_1"] == "Main 1"
    assert customer["shipping_addresses"][0]["country_code"] == "dk"


async def test_get_customer_expand_replaces_the_defaults(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, make_group: MakeGroup, join: Join
) -> None:
    customer_id = await make_customer("ann@shop.test")
    group = await make_group("VIP")
    await join(group, customer_id)
    res = await admin.get(f"/admin/customers/{customer_id}", params={"expand": "groups,billing_address"})
    customer = res.json()["customer"]
    assert set(customer) == CUSTOMER_KEYS | {"groups", "billing_address"}
    assert customer["billing_address"] is None
    assert [g["name"] for g in customer["groups"]] == ["VIP"]
    # an empty `expand` keeps the defaults
    res = await admin.get(f"/admin/customers/{customer_id}", params={"expand": ""})
    assert set(res.json()["customer"]) == CUSTOMER_KEYS | {"orders", "shipping_addresses"}
    # `fields` is read and ignored by this route
    res = await admin.get(f"/admin/customers/{customer_id}", params={"fields": "email"})
    assert set(res.json()["customer"]) == CUSTOMER_KEYS | {"orders", "shipping_addresses"}


async def test_get_customer_unknown_and_bad_query(
    admin: httpx.AsyncClient, make_customer: MakeCustomer
) -> None:
    _not_found(await admin.get("/admin/customers/cus_nope"), "Customer with id: cus_nope was not found")
    customer_id = await make_customer("ann@shop.test", deleted_at=datetime.datetime.now(datetime.UTC))
    _not_found(
        await admin.get(f"/admin/customers/{customer_id}"), f"Customer with id: {customer_id} was not found"
    )
    live = await make_customer("bob@shop.test")
    _invalid(
        await admin.get(f"/admin/customers/{live}", params={"foo": "1"}), "property foo should not exist"
    )
    # Medusa answers 500 to an unknown relation; we say which one
    res = await admin.get(f"/admin/customers/{live}", params={"expand": "nope"})
    assert res.status_code == 400
    assert res.json()["type"] == "invalid_data"


# ---- GET /admin/customers -----------------------------------------------------------------------


async def test_list_customers_search_filters_and_page(
    admin: httpx.AsyncClient, make_customer: MakeCustomer
) -> None:
    ann = await make_customer("ann@shop.test", first_name="Ann", last_name="Lee", has_account=True)
    bob = await make_customer("bob@shop.test", first_name="Bob", last_name="Zed")
    cid = await make_customer("cid@other.test", first_name="Cid", last_name="Annson", has_account=True)
    await make_customer("gone@shop.test", deleted_at=datetime.datetime.now(datetime.UTC))

    res = await admin.get("/admin/customers")
    body = res.json()
    assert set(body) == {"customers", "count", "offset", "limit"}
    assert body["count"] == 3
    assert (body["offset"], body["limit"]) == (0, 50)
    assert [c["id"] for c in body["customers"]] == [ann, bob, cid]  # creation order
    assert set(body["customers"][0]) == CUSTOMER_KEYS  # no relations by default

    found = (await admin.get("/admin/customers", params={"q": "ANN"})).json()
    assert [c["id"] for c in found["customers"]] == [ann, cid]  # email/first_name/last_name
    found = (await admin.get("/admin/customers", params={"q": "shop.test"})).json()
    assert found["count"] == 2

    accounts = (await admin.get("/admin/customers", params={"has_account": "true"})).json()
    assert [c["id"] for c in accounts["customers"]] == [ann, cid]
    guests = (await admin.get("/admin/customers", params={"has_account": "false"})).json()
    assert [c["id"] for c in guests["customers"]] == [bob]
    # optionalBooleanMapper: unknown text is no filter, "null" matches no one
    assert (await admin.get("/admin/customers", params={"has_account": "maybe"})).json()["count"] == 3
    assert (await admin.get("/admin/customers", params={"has_account": "null"})).json()["count"] == 0

    page = (await admin.get("/admin/customers", params={"limit": 1, "offset": 1})).json()
    assert (page["count"], page["offset"], page["limit"]) == (3, 1, 1)
    assert [c["id"] for c in page["customers"]] == [bob]
    everyone = (await admin.get("/admin/customers", params={"limit": 0})).json()
    assert len(everyone["customers"]) == 3
    assert everyone["limit"] == 0

    ordered = (await admin.get("/admin/customers", params={"order": "-email"})).json()
    assert [c["email"] for c in ordered["customers"]] == ["cid@other.test", "bob@shop.test", "ann@shop.test"]

    later = (await admin.get("/admin/customers", params={"created_at[gt]": "2999-01-01"})).json()
    assert later["count"] == 0
    earlier = (await admin.get("/admin/customers", params={"created_at[lt]": "2999-01-01"})).json()
    assert earlier["count"] == 3


async def test_list_customers_groups_filter_lists_the_matching_groups(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, make_group: MakeGroup, join: Join
) -> None:
    ann = await make_customer("ann@shop.test")
    bob = await make_customer("bob@shop.test")
    await make_customer("cid@shop.test")
    vip = await make_group("VIP")
    b2b = await make_group("B2B")
    await join(vip, ann)
    await join(b2b, ann)
    await join(b2b, bob)

    res = await admin.get("/admin/customers", params={"groups[]": vip})
    body = res.json()
    assert body["count"] == 1
    assert [c["id"] for c in body["customers"]] == [ann]
    assert [g["id"] for g in body["customers"][0]["groups"]] == [vip]  # only the matching ones

    both = (await admin.get("/admin/customers", params=[("groups[]", vip), ("groups[]", b2b)])).json()
    assert both["count"] == 2
    assert [len(c["groups"]) for c in both["customers"]] == [2, 1]

    expanded = (await admin.get("/admin/customers", params={"expand": "groups"})).json()
    assert [len(c["groups"]) for c in expanded["customers"]] == [2, 1, 0]
    # a single id (Medusa: 500) is taken as one group
    single = (await admin.get("/admin/customers", params={"groups": b2b})).json()
    assert single["count"] == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "abc"}, "limit must be a number conforming to the specified constraints"),
        (
            {"foo": "1", "limit": "x"},
            "property foo should not exist, limit must be a number conforming to the specified constraints",
        ),
        ({"created_at[gt]": "nope"}, "gt must be a Date instance"),
        ({"deleted_at[gt]": "2020-01-01"}, "property deleted_at should not exist"),
        ({"offset": "-1"}, "offset must not be less than 0"),
    ],
)
async def test_list_customers_bad_query(
    admin: httpx.AsyncClient, query: dict[str, str], message: str
) -> None:
    _invalid(await admin.get("/admin/customers", params=query), message)


# ---- POST /admin/customers/{id} -----------------------------------------------------------------


async def test_update_customer_fields_and_metadata(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, db: Database, events: Events
) -> None:
    customer_id = await make_customer(
        "ann@shop.test", first_name="Ann", has_account=True, metadata_={"a": 1, "b": 2}
    )
    before = (await admin.get(f"/admin/customers/{customer_id}")).json()["customer"]
    res = await admin.post(
        f"/admin/customers/{customer_id}",
        json={
            "first_name": "Anna",
            "last_name": "Lee",
            "phone": "9",
            "metadata": {"a": "", "c": None, "d": 4},
        },
    )
    assert res.status_code == 200, res.text
    customer = res.json()["customer"]
    assert set(customer) == CUSTOMER_KEYS | {"orders", "shipping_addresses"}
    assert (customer["first_name"], customer["last_name"], customer["phone"]) == ("Anna", "Lee", "9")
    assert customer["metadata"] == {"b": 2, "c": None, "d": 4}
    assert customer["email"] == "ann@shop.test"
    assert customer["updated_at"] > before["updated_at"]
    staged = await events("customer.updated")
    assert [e["id"] for e in staged] == [customer_id]
    assert staged[0]["first_name"] == "Anna"
    assert "password_hash" not in staged[0]

    res = await admin.post(f"/admin/customers/{customer_id}", json={"first_name": None})
    assert res.json()["customer"]["first_name"] is None


async def test_update_customer_unchanged_keeps_updated_at(
    admin: httpx.AsyncClient, make_customer: MakeCustomer
) -> None:
    customer_id = await make_customer("ann@shop.test", first_name="Ann")
    first = (await admin.get(f"/admin/customers/{customer_id}")).json()["customer"]
    res = await admin.post(f"/admin/customers/{customer_id}", json={"first_name": "Ann"})
    assert res.json()["customer"]["updated_at"] == first["updated_at"]


async def test_update_customer_password(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, db: Database
) -> None:
    customer_id = await make_customer("ann@shop.test", has_account=True, password_hash="old")
    res = await admin.post(f"/admin/customers/{customer_id}", json={"password": "new-secret"})
    assert res.status_code == 200
    assert "password_hash" not in res.json()["customer"]
    assert verify_password("new-secret", (await _row(db, customer_id)).password_hash)
    # an empty password changes nothing
    await admin.post(f"/admin/customers/{customer_id}", json={"password": ""})
    assert verify_password("new-secret", (await _row(db, customer_id)).password_hash)


async def test_update_customer_email_rules(admin: httpx.AsyncClient, make_customer: MakeCustomer) -> None:
    account = await make_customer("ann@shop.test", has_account=True)
    _invalid(
        await admin.post(f"/admin/customers/{account}", json={"email": "x@shop.test"}),
        "Email cannot be changed when the user has registered their account",
    )
    guest = await make_customer("g1@shop.test")
    await make_customer("g2@shop.test")
    res = await admin.post(f"/admin/customers/{guest}", json={"email": "G3@shop.test"})
    assert res.status_code == 200
    assert res.json()["customer"]["email"] == "G3@shop.test"  # Medusa does not lowercase here
    _duplicate(
        await admin.post(f"/admin/customers/{guest}", json={"email": "g2@shop.test"}),
        "Customer with email, has_account g2@shop.test, f already exists.",
    )
    # a guest may take the email of an account (the index is on (email, has_account))
    res = await admin.post(f"/admin/customers/{guest}", json={"email": "ann@shop.test"})
    assert res.status_code == 200
    _invalid(
        await admin.post(f"/admin/customers/{guest}", json={"email": None}),
        "Can't insert null value in field email on insert in table customer",
    )


async def test_update_customer_groups_replace_memberships(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, make_group: MakeGroup, join: Join, db: Database
) -> None:
    ann = await make_customer("ann@shop.test")
    bob = await make_customer("bob@shop.test")
    vip = await make_group("VIP")
    b2b = await make_group("B2B")
    await join(vip, ann)
    await join(vip, bob)
    res = await admin.post(
        f"/admin/customers/{ann}", params={"expand": "groups"}, json={"groups": [{"id": b2b}, {"id": b2b}]}
    )
    assert res.status_code == 200, res.text
    customer = res.json()["customer"]
    assert set(customer) == CUSTOMER_KEYS | {"groups"}
    assert [g["id"] for g in customer["groups"]] == [b2b]
    assert await memberships(db) == {(b2b, ann), (vip, bob)}
    async with db.read_session() as tx:
        assert await service.group_ids_for_customer(tx, ann) == [b2b]

    res = await admin.post(f"/admin/customers/{ann}", json={"groups": []})
    assert res.status_code == 200
    assert await memberships(db) == {(vip, bob)}

    _not_found(
        await admin.post(f"/admin/customers/{ann}", json={"groups": [{"id": vip}, {"id": "cgrp_nope"}]}),
        "Customer_group with customer_group_id cgrp_nope does not exist.",
    )
    assert await memberships(db) == {(vip, bob)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"groups": [{"id": 1}, "x"], "email": "bad", "y": 1},
            "property y should not exist, email must be an email, id must be a string, "
            "each value in nested property groups must be either object or array",
        ),
        (
            {"groups": "x"},
            "groups must be an array, each value in nested property groups must be either object or array",
        ),
        ({"groups": [{"id": "a", "z": 1}]}, "property z should not exist"),
        ({"first_name": 1, "metadata": []}, "first_name must be a string, metadata must be an object"),
    ],
)
async def test_update_customer_bad_input(
    admin: httpx.AsyncClient, make_customer: MakeCustomer, body: dict[str, object], message: str
) -> None:
    customer_id = await make_customer("ann@shop.test", first_name="Ann")
    _invalid(await admin.post(f"/admin/customers/{customer_id}", json=body), message)
    assert (await admin.get(f"/admin/customers/{customer_id}")).json()["customer"]["first_name"] == "Ann"


async def test_update_customer_unknown_and_bad_query(
    admin: httpx.AsyncClient, make_customer: MakeCustomer
) -> None:
    _not_found(
        await admin.post("/admin/customers/cus_nope", json={"first_name": "x"}),
        "Customer with id: cus_nope was not found",
    )
    # the body is checked before the id
    _invalid(
        await admin.post("/admin/customers/cus_nope", json={"first_name": 1}), "first_name must be a string"
    )
    customer_id = await make_customer("ann@shop.test", first_name="Ann")
    _invalid(
        await admin.post(f"/admin/customers/{customer_id}", params={"foo": "1"}, json={"first_name": "Bo"}),
        "property foo should not exist",
    )
    assert (await admin.get(f"/admin/customers/{customer_id}")).json()["customer"]["first_name"] == "Ann"


# ---- service functions other modules use ------------------------------------------------------


async def test_customer_by_email(db: Database, make_customer: MakeCustomer) -> None:
    account = await make_customer("ann@shop.test", has_account=True, password_hash="h")
    guest = await make_customer("ann@shop.test")
    await make_customer("old@shop.test", has_account=True, deleted_at=datetime.datetime.now(datetime.UTC))
    async with db.read_session() as tx:
        found = await service.customer_by_email(tx, "ANN@shop.test")
        assert found is not None and found.id == account and found.password_hash == "h"
        found = await service.customer_by_email(tx, "ann@shop.test", has_account=False)
        assert found is not None and found.id == guest
        assert await service.customer_by_email(tx, "old@shop.test") is None
        assert await service.customer_by_email(tx, "nobody@shop.test") is None


# ---- auth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/customers"),
        ("POST", "/admin/customers"),
        ("GET", "/admin/customers/cus_1"),
        ("POST", "/admin/customers/cus_1"),
    ],
)
async def test_customers_need_auth(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={} if method == "POST" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
