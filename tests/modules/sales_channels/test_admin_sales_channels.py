"""Admin sales channels: the nine routes of Medusa's api/routes/admin/sales-channels, checked
against the answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.sales_channels.models import (
    PublishableApiKey,
    PublishableApiKeySalesChannel,
    SalesChannel,
    SalesChannelLocation,
)
from tests.modules.sales_channels.conftest import Events, MakeProduct, channel_products, default_channel_id

CHANNEL_KEYS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "description",
    "is_disabled",
    "metadata",
]


async def create_channel(admin: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/sales-channels", json={"name": "Web", **body})
    assert res.status_code == 200, res.text
    channel: dict[str, Any] = res.json()["sales_channel"]
    return channel


# ---- POST /admin/sales-channels ------------------------------------------------------------------


async def test_create_sales_channel(admin: httpx.AsyncClient, events: Events) -> None:
    res = await admin.post("/admin/sales-channels", json={"name": "App", "description": "iOS"})
    assert res.status_code == 200
    channel = res.json()["sales_channel"]
    assert list(channel) == CHANNEL_KEYS
    assert channel["id"].startswith("sc_")
    assert channel["name"] == "App"
    assert channel["description"] == "iOS"
    assert channel["is_disabled"] is False
    assert channel["metadata"] is None
    assert channel["deleted_at"] is None
    assert channel["created_at"] == channel["updated_at"]
    assert await events("sales_channel.created") == [{"id": channel["id"]}]


async def test_create_disabled_channel_without_description(admin: httpx.AsyncClient) -> None:
    channel = await create_channel(admin, is_disabled=True, description=None)
    assert channel["is_disabled"] is True
    assert channel["description"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "name must be a string"),
        ({"name": None}, "name must be a string"),
        (
            {"name": 5, "description": 3, "is_disabled": "x", "foo": 1},
            "property foo should not exist, name must be a string, description must be a string, "
            "is_disabled must be a boolean value",
        ),
        ({"name": "A", "metadata": {"a": 1}}, "property metadata should not exist"),
        (
            {"name": "A", "is_disabled": None},
            "Can't insert null value in field is_disabled on insert in table sales_channel",
        ),
    ],
)
async def test_create_sales_channel_bad_input(
    admin: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    res = await admin.post("/admin/sales-channels", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    async with db.read_session() as tx:
        names = set((await tx.execute(select(SalesChannel.name))).scalars())
    assert names == {"Default Sales Channel"}


async def test_create_without_body_is_validated_as_empty(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/sales-channels")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "name must be a string"}


# ---- GET /admin/sales-channels/{id} --------------------------------------------------------------


async def test_get_sales_channel(admin: httpx.AsyncClient, db: Database) -> None:
    default_id = await default_channel_id(db)
    res = await admin.get(f"/admin/sales-channels/{default_id}", params={"expand": "anything", "x": "1"})
    assert res.status_code == 200
    channel = res.json()["sales_channel"]
    assert list(channel) == CHANNEL_KEYS
    assert channel["name"] == "Default Sales Channel"
    assert channel["description"] == "Created by Medusa"


async def test_get_unknown_sales_channel(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/sales-channels/sc_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Sales channel with id: sc_nope was not found"}


# ---- GET /admin/sales-channels -------------------------------------------------------------------


async def test_list_sales_channels_newest_first(admin: httpx.AsyncClient) -> None:
    web = await create_channel(admin, name="Web")
    res = await admin.get("/admin/sales-channels")
    assert res.status_code == 200
    body = res.json()
    assert body["count"] == 2
    assert body["offset"] == 0
    assert body["limit"] == 20
    assert [c["name"] for c in body["sales_channels"]] == ["Web", "Default Sales Channel"]
    assert body["sales_channels"][0] == web


async def test_list_filters_and_pages(admin: httpx.AsyncClient) -> None:
    web = await create_channel(admin, name="Web", description="The shop")
    await create_channel(admin, name="App", description="Phones")

    async def names(**query: Any) -> list[str]:
        res = await admin.get("/admin/sales-channels", params=query)
        assert res.status_code == 200, res.text
        return [c["name"] for c in res.json()["sales_channels"]]

    assert await names(name="Web") == ["Web"]
    assert await names(description="Phones") == ["App"]
    assert await names(id=web["id"]) == ["Web"]
    assert await names(q="SHOP") == ["Web"]
    assert await names(q="medusa") == ["Default Sales Channel"]  # description "Created by Medusa"
    # q drops the name and description filters, as Medusa's free-text search does
    assert await names(q="app", name="nothing") == ["App"]
    # a search comes oldest first (Medusa's query has no ORDER BY), whatever `order` says
    assert await names(q="e") == ["Default Sales Channel", "Web", "App"]
    assert await names(q="e", order="-name") == ["Default Sales Channel", "Web", "App"]
    # the search selects every column and no relation, whatever fields and expand say
    res = await admin.get(
        "/admin/sales-channels", params={"q": "Web", "fields": "name", "expand": "locations"}
    )
    [found] = res.json()["sales_channels"]
    assert found == web
    assert await names(order="name") == ["App", "Default Sales Channel", "Web"]
    assert await names(order="-name", limit=1, offset=1) == ["Default Sales Channel"]
    assert await names(**{"created_at[gt]": "2000-01-01"}) == ["App", "Web", "Default Sales Channel"]
    assert await names(**{"created_at[lt]": "2000-01-01"}) == []
    res = await admin.get("/admin/sales-channels", params={"limit": 1})
    assert res.json()["count"] == 3
    assert res.json()["limit"] == 1


async def test_list_fields_and_expand(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct
) -> None:
    web = await create_channel(admin, name="Web")
    product_id = await make_product("Mug")
    await admin.post(
        f"/admin/sales-channels/{web['id']}/products/batch", json={"product_ids": [{"id": product_id}]}
    )
    async with db.write_session() as tx:
        key = PublishableApiKey(title="k")
        tx.add(key)
        await tx.flush()
        tx.add(
            PublishableApiKeySalesChannel(id="pksc_1", sales_channel_id=web["id"], publishable_key_id=key.id)
        )
        tx.add(SalesChannelLocation(sales_channel_id=web["id"], location_id="sloc_1"))
        await tx.commit()

    res = await admin.get("/admin/sales-channels", params={"fields": "name", "name": "Web"})
    assert res.json()["sales_channels"] == [{"id": web["id"], "created_at": web["created_at"], "name": "Web"}]

    res = await admin.get(
        "/admin/sales-channels", params={"expand": "products,publishableKeys,locations", "name": "Web"}
    )
    assert res.status_code == 200
    channel = res.json()["sales_channels"][0]
    assert [p["id"] for p in channel["products"]] == [product_id]
    assert channel["products"][0]["title"] == "Mug"
    assert [k["title"] for k in channel["publishableKeys"]] == ["k"]
    assert [(loc["location_id"], loc["sales_channel_id"]) for loc in channel["locations"]] == [
        ("sloc_1", web["id"])
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"foo": "1"}, "property foo should not exist"),
        ({"is_disabled": "true"}, "property is_disabled should not exist"),
        ({"limit": "abc"}, "limit must be a number conforming to the specified constraints"),
        ({"created_at[gt]": "abc"}, "gt must be a Date instance"),
        (
            {"limit": "abc", "id[]": "x", "q[]": "1", "order[]": "1", "expand[]": "1"},
            "id must be a string, q must be a string, order must be a string, expand must be a string, "
            "limit must be a number conforming to the specified constraints",
        ),
        ({"order": "-foo"}, "Order field foo is not valid"),
        ({"expand": "foo"}, "Relation foo is not a valid relation of SalesChannel"),
    ],
)
async def test_list_bad_query(admin: httpx.AsyncClient, query: dict[str, str], message: str) -> None:
    res = await admin.get("/admin/sales-channels", params=query)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


async def test_list_deleted_channels_only_with_a_deleted_at_filter(admin: httpx.AsyncClient) -> None:
    gone = await create_channel(admin, name="Gone")
    assert (await admin.delete(f"/admin/sales-channels/{gone['id']}")).status_code == 200
    res = await admin.get("/admin/sales-channels")
    assert [c["name"] for c in res.json()["sales_channels"]] == ["Default Sales Channel"]
    res = await admin.get(
        "/admin/sales-channels", params={"deleted_at[gt]": "2000-01-01", "fields": "name,deleted_at"}
    )
    channels = res.json()["sales_channels"]
    assert [c["name"] for c in channels] == ["Gone"]
    assert set(channels[0]) == {"id", "created_at", "name", "deleted_at"}
    assert channels[0]["deleted_at"] is not None


# ---- POST /admin/sales-channels/{id} -------------------------------------------------------------


async def test_update_sales_channel(admin: httpx.AsyncClient, events: Events) -> None:
    web = await create_channel(admin, name="Web", description="d")
    res = await admin.post(
        f"/admin/sales-channels/{web['id']}", json={"description": "hello", "is_disabled": True}
    )
    assert res.status_code == 200
    channel = res.json()["sales_channel"]
    assert list(channel) == CHANNEL_KEYS
    assert (channel["name"], channel["description"], channel["is_disabled"]) == ("Web", "hello", True)
    assert channel["updated_at"] > web["updated_at"]
    res = await admin.post(f"/admin/sales-channels/{web['id']}", json={"description": None})
    assert res.json()["sales_channel"]["description"] is None
    # nothing changes: updated_at stays (TypeORM writes nothing)
    before = res.json()["sales_channel"]
    res = await admin.post(f"/admin/sales-channels/{web['id']}", json={})
    assert res.json()["sales_channel"] == before
    assert await events("sales_channel.updated") == [{"id": web["id"]}] * 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": None}, "Can't insert null value in field name on insert in table sales_channel"),
        (
            {"is_disabled": None},
            "Can't insert null value in field is_disabled on insert in table sales_channel",
        ),
        ({"metadata": {"a": 1}}, "property metadata should not exist"),
        ({"name": 5}, "name must be a string"),
    ],
)
async def test_update_sales_channel_bad_input(
    admin: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    web = await create_channel(admin, name="Web")
    res = await admin.post(f"/admin/sales-channels/{web['id']}", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    assert (await admin.get(f"/admin/sales-channels/{web['id']}")).json()["sales_channel"] == web


async def test_update_unknown_sales_channel(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/sales-channels/sc_nope", json={})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Sales channel with id: sc_nope was not found"}
    # the body is checked first
    res = await admin.post("/admin/sales-channels/sc_nope", json={"name": 5})
    assert res.status_code == 400


# ---- DELETE /admin/sales-channels/{id} -----------------------------------------------------------


async def test_delete_sales_channel(
    admin: httpx.AsyncClient, db: Database, events: Events, make_product: MakeProduct
) -> None:
    web = await create_channel(admin, name="Web")
    product_id = await make_product()
    await admin.post(
        f"/admin/sales-channels/{web['id']}/products/batch", json={"product_ids": [{"id": product_id}]}
    )
    async with db.write_session() as tx:
        tx.add(SalesChannelLocation(sales_channel_id=web["id"], location_id="sloc_1"))
        await tx.commit()
    res = await admin.delete(f"/admin/sales-channels/{web['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": web["id"], "object": "sales-channel", "deleted": True}
    assert (await admin.get(f"/admin/sales-channels/{web['id']}")).status_code == 404
    async with db.read_session() as tx:
        channel = await tx.get(SalesChannel, web["id"])
        assert channel is not None and channel.deleted_at is not None
        location = (await tx.execute(select(SalesChannelLocation))).scalar_one()
        assert location.deleted_at is not None
    # product links stay, as in Medusa
    assert await channel_products(db, web["id"]) == {product_id}
    assert await events("sales_channel.deleted") == [{"id": web["id"]}]
    # idempotent, and an unknown id is no error
    res = await admin.delete(f"/admin/sales-channels/{web['id']}")
    assert res.json() == {"id": web["id"], "object": "sales-channel", "deleted": True}
    res = await admin.delete("/admin/sales-channels/sc_nope")
    assert res.status_code == 200
    assert res.json() == {"id": "sc_nope", "object": "sales-channel", "deleted": True}
    assert await events("sales_channel.deleted") == [{"id": web["id"]}]


async def test_default_sales_channel_cannot_be_deleted(admin: httpx.AsyncClient, db: Database) -> None:
    default_id = await default_channel_id(db)
    res = await admin.delete(f"/admin/sales-channels/{default_id}")
    assert res.status_code == 400
    assert res.json() == {"type": "not_allowed", "message": "You cannot delete the default sales channel"}
    assert (await admin.get(f"/admin/sales-channels/{default_id}")).status_code == 200


# ---- products batch ------------------------------------------------------------------------------


async def test_add_and_remove_products(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct
) -> None:
    web = await create_channel(admin, name="Web")
    mug = await make_product("Mug")
    cap = await make_product("Cap")
    url = f"/admin/sales-channels/{web['id']}/products/batch"
    res = await admin.post(url, json={"product_ids": [{"id": mug}, {"id": cap}, {"id": mug}]})
    assert res.status_code == 200
    assert res.json() == {"sales_channel": web}
    assert await channel_products(db, web["id"]) == {mug, cap}
    # adding again is no error (insert … or ignore)
    assert (await admin.post(url, json={"product_ids": [{"id": mug}]})).status_code == 200
    assert (await admin.post(url, json={"product_ids": []})).status_code == 200
    res = await admin.request("DELETE", url, json={"product_ids": [{"id": mug}, {"id": "prod_nope"}]})
    assert res.status_code == 200
    assert res.json() == {"sales_channel": web}
    assert await channel_products(db, web["id"]) == {cap}


async def test_add_unknown_products_is_refused(
    admin: httpx.AsyncClient, db: Database, make_product: MakeProduct
) -> None:
    web = await create_channel(admin, name="Web")
    mug = await make_product("Mug")
    gone = await make_product("Gone", deleted=True)
    res = await admin.post(
        f"/admin/sales-channels/{web['id']}/products/batch",
        json={"product_ids": [{"id": mug}, {"id": "prod_nope"}, {"id": gone}]},
    )
    assert res.status_code == 400
    assert res.json() == {
        "errors": [f"Products prod_nope, {gone} do not exist"],
        "message": "Provided request body contains errors. Please check the data and retry the request",
    }
    assert await channel_products(db, web["id"]) == set()


async def test_products_batch_on_unknown_channel(admin: httpx.AsyncClient, make_product: MakeProduct) -> None:
    mug = await make_product("Mug")
    res = await admin.post(
        "/admin/sales-channels/sc_nope/products/batch", json={"product_ids": [{"id": mug}]}
    )
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Sales_channel with sales_channel_id sc_nope does not exist.",
    }
    res = await admin.post("/admin/sales-channels/sc_nope/products/batch", json={"product_ids": []})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Sales channel with id: sc_nope was not found"}
    res = await admin.request(
        "DELETE", "/admin/sales-channels/sc_nope/products/batch", json={"product_ids": [{"id": mug}]}
    )
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Sales channel with id: sc_nope was not found"}


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "product_ids must be an array"),
        (
            {"product_ids": None},
            "product_ids must be an array, "
            "each value in nested property product_ids must be either object or array",
        ),
        (
            {"product_ids": "x"},
            "product_ids must be an array, "
            "each value in nested property product_ids must be either object or array",
        ),
        ({"product_ids": ["a"]}, "each value in nested property product_ids must be either object or array"),
        ({"product_ids": [{"id": 5}]}, "id must be a string"),
        ({"product_ids": [{"idx": "a"}]}, "property idx should not exist, id must be a string"),
        ({"product_ids": {"id": "a"}}, "product_ids must be an array"),
        ({"product_ids": [{"id": "a"}], "x": 1}, "property x should not exist"),
    ],
)
async def test_products_batch_bad_input(
    admin: httpx.AsyncClient, method: str, body: dict[str, Any], message: str
) -> None:
    web = await create_channel(admin, name="Web")
    res = await admin.request(method, f"/admin/sales-channels/{web['id']}/products/batch", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


# ---- stock locations -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("body", [{"location_id": "sloc_1"}, {}])
async def test_stock_locations_need_a_stock_location_module(
    admin: httpx.AsyncClient, db: Database, method: str, body: dict[str, Any]
) -> None:
    default_id = await default_channel_id(db)
    res = await admin.request(method, f"/admin/sales-channels/{default_id}/stock-locations", json=body)
    assert res.status_code == 500
    assert res.json() == {
        "code": "unknown_error",
        "type": "unknown_error",
        "message": "An unknown error occurred.",
    }


async def test_location_links_in_the_service(app: Any, db: Database) -> None:
    from mercato.core.errors import MedusaError
    from mercato.modules.sales_channels import service

    channel_id = await default_channel_id(db)
    async with db.write_session() as tx:
        await service.associate_location(tx, channel_id, "sloc_1")
        await service.associate_location(tx, channel_id, "sloc_2")
        with pytest.raises(MedusaError):
            await service.associate_location(tx, "sc_nope", "sloc_1")
        await service.remove_location(tx, "sloc_1", channel_id)
        await tx.commit()
    async with db.read_session() as tx:
        rows = (await tx.execute(select(SalesChannelLocation.location_id))).scalars().all()
    assert rows == ["sloc_2"]


# ---- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/sales-channels"),
        ("POST", "/admin/sales-channels"),
        ("GET", "/admin/sales-channels/sc_x"),
        ("POST", "/admin/sales-channels/sc_x"),
        ("DELETE", "/admin/sales-channels/sc_x"),
        ("POST", "/admin/sales-channels/sc_x/products/batch"),
        ("DELETE", "/admin/sales-channels/sc_x/products/batch"),
        ("POST", "/admin/sales-channels/sc_x/stock-locations"),
        ("DELETE", "/admin/sales-channels/sc_x/stock-locations"),
    ],
)
async def test_admin_routes_need_authentication(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={} if method != "GET" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
