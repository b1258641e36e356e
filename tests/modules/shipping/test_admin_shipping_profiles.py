"""Admin shipping profiles: the five routes of Medusa's api/routes/admin/shipping-profiles, checked
against the answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from mercato.db.session import Database
from mercato.modules.products.models import Product, t_product_shipping_profile
from mercato.modules.regions.models import Region
from mercato.modules.shipping.models import ShippingOption, ShippingProfile
from mercato.modules.system.models import StagedJob

PROFILE_KEYS = ["id", "created_at", "updated_at", "deleted_at", "name", "type", "metadata"]
OPTION_KEYS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "region_id",
    "profile_id",
    "provider_id",
    "price_type",
    "amount",
    "is_return",
    "admin_only",
    "data",
    "metadata",
    "includes_tax",
]


async def built_in(db: Database) -> dict[str, str]:
    async with db.read_session() as tx:
        rows = (await tx.execute(select(ShippingProfile.type, ShippingProfile.id))).all()
        return {kind: pid for kind, pid in rows}


async def make_product(db: Database, title: str, profile_id: str | None, *, deleted: bool = False) -> str:
    async with db.write_session() as tx:
        product = Product(title=title, handle=title.lower().replace(" ", "-"))
        if deleted:
            product.deleted_at = datetime.datetime.now(datetime.UTC)
        tx.add(product)
        await tx.flush()
        if profile_id:
            await tx.execute(
                insert(t_product_shipping_profile).values(profile_id=profile_id, product_id=product.id)
            )
        await tx.commit()
        return product.id


async def make_option(db: Database, profile_id: str, name: str = "Standard") -> str:
    async with db.write_session() as tx:
        region = (await tx.execute(select(Region).limit(1))).scalar_one_or_none()
        if region is None:
            region = Region(name="EU", currency_code="usd", tax_rate=0)
            tx.add(region)
            await tx.flush()
        option = ShippingOption(
            name=name,
            region_id=region.id,
            profile_id=profile_id,
            provider_id="manual",
            price_type="flat_rate",
            amount=1000,
            data={"id": "manual-fulfillment"},
        )
        tx.add(option)
        await tx.commit()
        return option.id


async def profile_of(db: Database, product_id: str) -> set[str]:
    async with db.read_session() as tx:
        rows = await tx.execute(
            select(t_product_shipping_profile.c.profile_id).where(
                t_product_shipping_profile.c.product_id == product_id
            )
        )
        return set(rows.scalars())


async def create_profile(admin: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/shipping-profiles", json={"name": "Bulky", "type": "custom", **body})
    assert res.status_code == 200, res.text
    profile: dict[str, Any] = res.json()["shipping_profile"]
    return profile


# ---- list / create -------------------------------------------------------------------------------


async def test_list_shipping_profiles(admin: httpx.AsyncClient) -> None:
    bulky = await create_profile(admin)
    res = await admin.get("/admin/shipping-profiles", params={"anything": "is ignored"})
    assert res.status_code == 200
    profiles = res.json()["shipping_profiles"]
    assert list(res.json()) == ["shipping_profiles"]
    assert [(p["name"], p["type"]) for p in profiles] == [
        ("Default Shipping Profile", "default"),
        ("Gift Card Profile", "gift_card"),
        ("Bulky", "custom"),
    ]
    assert all(list(p) == PROFILE_KEYS for p in profiles)
    assert profiles[2] == bulky
    # the trailing-slash form Medusa's admin uses
    assert (await admin.get("/admin/shipping-profiles/")).json() == res.json()


async def test_list_is_limited_to_ten(admin: httpx.AsyncClient) -> None:
    for i in range(10):
        await create_profile(admin, name=f"P{i}")
    res = await admin.get("/admin/shipping-profiles")
    assert len(res.json()["shipping_profiles"]) == 10


async def test_create_shipping_profile(admin: httpx.AsyncClient) -> None:
    res = await admin.post(
        "/admin/shipping-profiles", json={"name": "Bulky", "type": "custom", "metadata": {"a": 1, "b": ""}}
    )
    assert res.status_code == 200
    profile = res.json()["shipping_profile"]
    assert list(profile) == PROFILE_KEYS  # no relations in the create answer
    assert profile["id"].startswith("sp_")
    assert (profile["name"], profile["type"], profile["metadata"]) == ("Bulky", "custom", {"a": 1})
    assert profile["deleted_at"] is None
    # a second gift-card profile is allowed
    assert (await create_profile(admin, type="gift_card"))["type"] == "gift_card"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "name must be a string, type must be one of 'default', 'custom', 'gift_card'"),
        (
            {"name": 5, "type": "x", "metadata": 3, "foo": 1},
            "property foo should not exist, name must be a string, "
            "type must be one of 'default', 'custom', 'gift_card', metadata must be an object",
        ),
        ({"name": "A", "type": "custom", "products": ["prod_1"]}, "property products should not exist"),
        (
            {"name": "A", "type": "custom", "shipping_options": []},
            "property shipping_options should not exist",
        ),
    ],
)
async def test_create_profile_bad_input(
    admin: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    res = await admin.post("/admin/shipping-profiles", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    assert set(await built_in(db)) == {"default", "gift_card"}
    async with db.read_session() as tx:
        assert len((await tx.execute(select(ShippingProfile.id))).all()) == 2


async def test_create_profile_without_body(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/shipping-profiles")
    assert res.status_code == 400
    assert (
        res.json()["message"] == "name must be a string, type must be one of 'default', 'custom', 'gift_card'"
    )


# ---- retrieve ------------------------------------------------------------------------------------


async def test_get_profile_with_products_and_options(admin: httpx.AsyncClient, db: Database) -> None:
    default_id = (await built_in(db))["default"]
    mug = await make_product(db, "Mug", default_id)
    await make_product(db, "Gone", default_id, deleted=True)
    option = await make_option(db, default_id)
    res = await admin.get(f"/admin/shipping-profiles/{default_id}", params={"expand": "ignored"})
    assert res.status_code == 200
    profile = res.json()["shipping_profile"]
    assert list(profile) == [*PROFILE_KEYS, "products", "shipping_options"]
    assert (profile["name"], profile["type"]) == ("Default Shipping Profile", "default")
    assert [p["id"] for p in profile["products"]] == [mug]
    product = profile["products"][0]
    assert product["title"] == "Mug"
    bare = {k: profile[k] for k in PROFILE_KEYS}
    assert product["profiles"] == [bare]
    assert product["profile"] == bare
    assert product["profile_id"] == default_id
    assert list(product)[-3:] == ["profiles", "profile", "profile_id"]
    assert [o["id"] for o in profile["shipping_options"]] == [option]
    assert list(profile["shipping_options"][0]) == OPTION_KEYS
    assert profile["shipping_options"][0]["profile_id"] == default_id


async def test_get_unknown_profile(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/shipping-profiles/sp_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Profile with id: sp_nope was not found"}


# ---- update --------------------------------------------------------------------------------------


async def test_update_moves_products_and_options(admin: httpx.AsyncClient, db: Database) -> None:
    default_id = (await built_in(db))["default"]
    mug = await make_product(db, "Mug", default_id)
    cap = await make_product(db, "Cap", default_id)
    option = await make_option(db, default_id)
    bulky = await create_profile(admin, metadata={"a": 1, "b": 2})
    res = await admin.post(
        f"/admin/shipping-profiles/{bulky['id']}",
        json={
            "products": [mug, "prod_nope"],
            "shipping_options": [option, "so_nope"],
            "metadata": {"c": 3, "a": "", "b": None},
            "name": "Bulky goods",
        },
    )
    assert res.status_code == 200
    profile = res.json()["shipping_profile"]
    assert profile["name"] == "Bulky goods"
    assert profile["metadata"] == {"b": None, "c": 3}
    assert profile["updated_at"] > bulky["updated_at"]
    assert [p["id"] for p in profile["products"]] == [mug]
    assert profile["products"][0]["profile_id"] == bulky["id"]
    assert [p["name"] for p in profile["products"][0]["profiles"]] == ["Bulky goods"]
    assert [o["id"] for o in profile["shipping_options"]] == [option]
    assert profile["shipping_options"][0]["profile_id"] == bulky["id"]
    assert await profile_of(db, mug) == {bulky["id"]}
    assert await profile_of(db, cap) == {default_id}
    default = (await admin.get(f"/admin/shipping-profiles/{default_id}")).json()["shipping_profile"]
    assert [p["id"] for p in default["products"]] == [cap]
    assert default["shipping_options"] == []
    async with db.read_session() as tx:
        updated = (
            await tx.execute(select(StagedJob.data).where(StagedJob.event_name == "product.updated"))
        ).scalars()
        assert [dict(d) for d in updated] == [{"id": mug}]


async def test_update_without_changes_keeps_updated_at(admin: httpx.AsyncClient) -> None:
    bulky = await create_profile(admin)
    for body in ({}, {"metadata": None}, {"products": [], "shipping_options": []}):
        res = await admin.post(f"/admin/shipping-profiles/{bulky['id']}", json=body)
        assert res.status_code == 200
        profile = res.json()["shipping_profile"]
        assert {k: profile[k] for k in PROFILE_KEYS} == bulky
        assert (profile["products"], profile["shipping_options"]) == ([], [])
    res = await admin.post(f"/admin/shipping-profiles/{bulky['id']}")
    assert res.status_code == 200


async def test_update_type(admin: httpx.AsyncClient) -> None:
    bulky = await create_profile(admin)
    res = await admin.post(f"/admin/shipping-profiles/{bulky['id']}", json={"type": "gift_card"})
    assert res.json()["shipping_profile"]["type"] == "gift_card"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"products": "x", "shipping_options": [1], "type": "zz", "name": None, "metadata": "m", "foo": 1},
            "property foo should not exist, metadata must be an object, "
            "type must be one of 'default', 'custom', 'gift_card', products must be an array, "
            "each value in shipping_options must be a string",
        ),
        ({"name": None}, "Can't insert null value in field name on insert in table shipping_profile"),
        ({"type": None}, "Can't insert null value in field type on insert in table shipping_profile"),
        ({"name": 5}, "name must be a string"),
    ],
)
async def test_update_profile_bad_input(
    admin: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    default_id = (await built_in(db))["default"]
    mug = await make_product(db, "Mug", default_id)
    bulky = await create_profile(admin)
    res = await admin.post(
        f"/admin/shipping-profiles/{bulky['id']}", json={**body, "products": body.get("products", [mug])}
    )
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    assert await profile_of(db, mug) == {default_id}  # nothing moved
    res = await admin.get(f"/admin/shipping-profiles/{bulky['id']}")
    assert {k: res.json()["shipping_profile"][k] for k in PROFILE_KEYS} == bulky


async def test_update_unknown_profile(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/shipping-profiles/sp_nope", json={})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Profile with id: sp_nope was not found"}
    res = await admin.post("/admin/shipping-profiles/sp_nope", json={"name": 5})
    assert res.status_code == 400


# ---- delete --------------------------------------------------------------------------------------


async def test_delete_profile(admin: httpx.AsyncClient, db: Database) -> None:
    bulky = await create_profile(admin)
    option = await make_option(db, bulky["id"])
    res = await admin.delete(f"/admin/shipping-profiles/{bulky['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": bulky["id"], "object": "shipping_profile", "deleted": True}
    assert (await admin.get(f"/admin/shipping-profiles/{bulky['id']}")).status_code == 404
    async with db.read_session() as tx:
        row = await tx.get(ShippingProfile, bulky["id"])
        assert row is not None and row.deleted_at is not None
        # its options are not deleted (Medusa declares no cascade)
        kept = await tx.get(ShippingOption, option)
        assert kept is not None and kept.deleted_at is None
    assert [p["name"] for p in (await admin.get("/admin/shipping-profiles")).json()["shipping_profiles"]] == [
        "Default Shipping Profile",
        "Gift Card Profile",
    ]
    # idempotent; an unknown id is no error
    assert (await admin.delete(f"/admin/shipping-profiles/{bulky['id']}")).status_code == 200
    res = await admin.delete("/admin/shipping-profiles/sp_nope")
    assert res.json() == {"id": "sp_nope", "object": "shipping_profile", "deleted": True}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("default", "You cannot delete the default shipping profile"),
        ("gift_card", "You cannot delete the gift card shipping profile"),
    ],
)
async def test_last_built_in_profile_cannot_be_deleted(
    admin: httpx.AsyncClient, db: Database, kind: str, message: str
) -> None:
    profile_id = (await built_in(db))[kind]
    res = await admin.delete(f"/admin/shipping-profiles/{profile_id}")
    assert res.status_code == 400
    assert res.json() == {"type": "not_allowed", "message": message}
    assert (await admin.get(f"/admin/shipping-profiles/{profile_id}")).status_code == 200
    # with another profile of that type, it can go
    await create_profile(admin, type=kind)
    assert (await admin.delete(f"/admin/shipping-profiles/{profile_id}")).status_code == 200


async def test_ensure_default_profiles_still_works(app: Any, db: Database) -> None:
    from mercato.modules.shipping.service import ensure_default_profiles

    async with db.write_session() as tx:
        first = await ensure_default_profiles(tx)
        again = await ensure_default_profiles(tx)
        await tx.commit()
    assert {k: p.id for k, p in first.items()} == {k: p.id for k, p in again.items()}
    assert set(first) == {"default", "gift_card"}


# ---- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/shipping-profiles"),
        ("POST", "/admin/shipping-profiles"),
        ("GET", "/admin/shipping-profiles/sp_x"),
        ("POST", "/admin/shipping-profiles/sp_x"),
        ("DELETE", "/admin/shipping-profiles/sp_x"),
    ],
)
async def test_admin_routes_need_authentication(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={} if method == "POST" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
