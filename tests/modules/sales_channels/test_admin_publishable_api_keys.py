"""Admin publishable API keys: the nine routes of Medusa's api/routes/admin/publishable-api-keys,
checked against the answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.sales_channels.models import PublishableApiKey, PublishableApiKeySalesChannel
from tests.modules.sales_channels.conftest import Events, default_channel_id

KEY_KEYS = ["id", "created_at", "updated_at", "created_by", "revoked_by", "revoked_at", "title"]


async def create_key(admin: httpx.AsyncClient, title: str = "Storefront") -> dict[str, Any]:
    res = await admin.post("/admin/publishable-api-keys", json={"title": title})
    assert res.status_code == 200, res.text
    key: dict[str, Any] = res.json()["publishable_api_key"]
    return key


async def create_channel(admin: httpx.AsyncClient, name: str, description: str | None = None) -> str:
    res = await admin.post("/admin/sales-channels", json={"name": name, "description": description})
    assert res.status_code == 200, res.text
    return str(res.json()["sales_channel"]["id"])


async def key_rows(db: Database, key_id: str) -> set[str]:
    async with db.read_session() as tx:
        rows = await tx.execute(
            select(PublishableApiKeySalesChannel.sales_channel_id).where(
                PublishableApiKeySalesChannel.publishable_key_id == key_id
            )
        )
        return set(rows.scalars())


# ---- create / get / update -----------------------------------------------------------------------


async def test_create_publishable_api_key(admin: httpx.AsyncClient, admin_user: Any, events: Events) -> None:
    res = await admin.post("/admin/publishable-api-keys", json={"title": "Storefront"})
    assert res.status_code == 200
    key = res.json()["publishable_api_key"]
    assert list(key) == KEY_KEYS
    assert key["id"].startswith("pk_")
    assert key["title"] == "Storefront"
    assert key["created_by"] == admin_user.id
    assert (key["revoked_by"], key["revoked_at"]) == (None, None)
    assert await events("publishable_api_key.created") == [{"id": key["id"]}]
    res = await admin.get(f"/admin/publishable-api-keys/{key['id']}", params={"expand": "x", "foo": "1"})
    assert res.status_code == 200
    assert res.json() == {"publishable_api_key": key}


async def test_created_by_with_the_api_token(client: httpx.AsyncClient, admin_user: Any) -> None:
    res = await client.post(
        "/admin/publishable-api-keys",
        json={"title": "t"},
        headers={"x-medusa-access-token": "test_api_token"},
    )
    assert res.json()["publishable_api_key"]["created_by"] == admin_user.id


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "title must be a string"),
        ({"title": None}, "title must be a string"),
        ({"title": 5, "x": 1}, "property x should not exist, title must be a string"),
    ],
)
async def test_create_key_bad_input(
    admin: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    res = await admin.post("/admin/publishable-api-keys", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    async with db.read_session() as tx:
        assert (await tx.execute(select(PublishableApiKey))).first() is None


async def test_update_publishable_api_key(admin: httpx.AsyncClient) -> None:
    key = await create_key(admin)
    res = await admin.post(f"/admin/publishable-api-keys/{key['id']}", json={"title": "Web"})
    assert res.status_code == 200
    updated = res.json()["publishable_api_key"]
    assert list(updated) == KEY_KEYS
    assert updated["title"] == "Web"
    assert updated["updated_at"] > key["updated_at"]
    res = await admin.post(f"/admin/publishable-api-keys/{key['id']}", json={})
    assert res.json()["publishable_api_key"] == updated


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"title": None},
            400,
            "Can't insert null value in field title on insert in table publishable_api_key",
        ),
        ({"title": 5}, 400, "title must be a string"),
        ({"x": 1}, 400, "property x should not exist"),
    ],
)
async def test_update_key_bad_input(
    admin: httpx.AsyncClient, body: dict[str, Any], status: int, message: str
) -> None:
    key = await create_key(admin)
    res = await admin.post(f"/admin/publishable-api-keys/{key['id']}", json=body)
    assert res.status_code == status
    assert res.json() == {"type": "invalid_data", "message": message}
    assert (await admin.get(f"/admin/publishable-api-keys/{key['id']}")).json()["publishable_api_key"] == key


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/publishable-api-keys/pk_nope", None),
        ("POST", "/admin/publishable-api-keys/pk_nope", {"title": "x"}),
        ("DELETE", "/admin/publishable-api-keys/pk_nope", None),
        ("POST", "/admin/publishable-api-keys/pk_nope/revoke", None),
        (
            "POST",
            "/admin/publishable-api-keys/pk_nope/sales-channels/batch",
            {"sales_channel_ids": [{"id": "sc_1"}]},
        ),
        (
            "DELETE",
            "/admin/publishable-api-keys/pk_nope/sales-channels/batch",
            {"sales_channel_ids": [{"id": "sc_1"}]},
        ),
    ],
)
async def test_unknown_key(
    admin: httpx.AsyncClient, db: Database, method: str, path: str, body: dict[str, Any] | None
) -> None:
    res = await admin.request(method, path, json=body)
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Publishable key with id: pk_nope was not found"}
    assert await key_rows(db, "pk_nope") == set()


# ---- list ----------------------------------------------------------------------------------------


async def test_list_publishable_api_keys(admin: httpx.AsyncClient) -> None:
    web = await create_key(admin, "Web")
    app = await create_key(admin, "App")
    await admin.post(f"/admin/publishable-api-keys/{app['id']}/revoke")

    async def titles(**query: Any) -> list[str]:
        res = await admin.get("/admin/publishable-api-keys", params=query)
        assert res.status_code == 200, res.text
        return [k["title"] for k in res.json()["publishable_api_keys"]]

    res = await admin.get("/admin/publishable-api-keys")
    assert res.json()["count"] == 2
    assert res.json()["limit"] == 20
    assert res.json()["offset"] == 0
    assert await titles() == ["App", "Web"]
    assert await titles(q="we") == ["Web"]
    assert await titles(order="title") == ["App", "Web"]
    assert await titles(order="-title", limit=1) == ["Web"]
    assert await titles(**{"revoked_at[gt]": "2000-01-01"}) == ["App"]
    res = await admin.get("/admin/publishable-api-keys", params={"fields": "title", "q": "web"})
    assert res.json()["publishable_api_keys"] == [
        {"id": web["id"], "created_at": web["created_at"], "title": "Web"}
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"foo": "1"}, "property foo should not exist"),
        ({"deleted_at[gt]": "2020-01-01"}, "property deleted_at should not exist"),
        ({"title": "x"}, "property title should not exist"),
        (
            {"limit": "abc", "q[]": "x", "revoked_at[x]": "1"},
            "q must be a string, property x should not exist, "
            "limit must be a number conforming to the specified constraints",
        ),
        ({"expand": "x"}, "Relation x is not a valid relation of PublishableApiKey"),
    ],
)
async def test_list_keys_bad_query(admin: httpx.AsyncClient, query: dict[str, str], message: str) -> None:
    res = await admin.get("/admin/publishable-api-keys", params=query)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


# ---- delete / revoke -----------------------------------------------------------------------------


async def test_delete_publishable_api_key(admin: httpx.AsyncClient, db: Database) -> None:
    key = await create_key(admin)
    default_id = await default_channel_id(db)
    await admin.post(
        f"/admin/publishable-api-keys/{key['id']}/sales-channels/batch",
        json={"sales_channel_ids": [{"id": default_id}]},
    )
    res = await admin.delete(f"/admin/publishable-api-keys/{key['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": key["id"], "object": "publishable_api_key", "deleted": True}
    assert (await admin.get(f"/admin/publishable-api-keys/{key['id']}")).status_code == 404
    async with db.read_session() as tx:
        assert await tx.get(PublishableApiKey, key["id"]) is None
    # the scope rows are not removed (Medusa: no foreign key, no cascade)
    assert await key_rows(db, key["id"]) == {default_id}
    res = await admin.delete(f"/admin/publishable-api-keys/{key['id']}")
    assert res.status_code == 404


async def test_revoke_publishable_api_key(admin: httpx.AsyncClient, admin_user: Any, events: Events) -> None:
    key = await create_key(admin)
    # Medusa's route reads no body
    res = await admin.post(f"/admin/publishable-api-keys/{key['id']}/revoke", json={"x": 1})
    assert res.status_code == 200
    revoked = res.json()["publishable_api_key"]
    assert list(revoked) == KEY_KEYS
    assert revoked["revoked_by"] == admin_user.id
    assert revoked["revoked_at"] is not None
    assert await events("publishable_api_key.revoked") == [{"id": key["id"]}]

    res = await admin.post(f"/admin/publishable-api-keys/{key['id']}/revoke")
    assert res.status_code == 400
    assert res.json() == {"type": "not_allowed", "message": "PublishableApiKey has already been revoked."}
    # a revoked key can still be renamed, as in Medusa
    res = await admin.post(f"/admin/publishable-api-keys/{key['id']}", json={"title": "old"})
    assert res.json()["publishable_api_key"]["revoked_at"] == revoked["revoked_at"]
    assert await events("publishable_api_key.revoked") == [{"id": key["id"]}]


# ---- sales channels of a key ---------------------------------------------------------------------


async def test_key_sales_channels(admin: httpx.AsyncClient, db: Database) -> None:
    key = await create_key(admin)
    default_id = await default_channel_id(db)
    web = await create_channel(admin, "sc-web")
    gone = await create_channel(admin, "sc-gone")
    url = f"/admin/publishable-api-keys/{key['id']}/sales-channels"
    res = await admin.post(
        f"{url}/batch",
        json={"sales_channel_ids": [{"id": web}, {"id": default_id}, {"id": gone}, {"id": "sc_nope"}]},
    )
    assert res.status_code == 200
    assert res.json() == {"publishable_api_key": key}
    # again: insert … or ignore
    assert (await admin.post(f"{url}/batch", json={"sales_channel_ids": [{"id": web}]})).status_code == 200
    assert (await admin.post(f"{url}/batch", json={"sales_channel_ids": []})).status_code == 200
    # unknown channel ids are stored as Medusa stores them
    assert await key_rows(db, key["id"]) == {web, default_id, gone, "sc_nope"}
    await admin.delete(f"/admin/sales-channels/{gone}")

    res = await admin.get(url)
    assert res.status_code == 200
    channels = res.json()["sales_channels"]
    assert [c["id"] for c in channels] == [default_id, web]
    assert list(channels[0]) == [
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        "name",
        "description",
        "is_disabled",
        "metadata",
    ]
    res = await admin.get(url, params={"q": "SC-"})
    assert [c["id"] for c in res.json()["sales_channels"]] == [web]
    res = await admin.get(url, params={"q": "medusa"})  # the description "Created by Medusa"
    assert [c["id"] for c in res.json()["sales_channels"]] == [default_id]

    res = await admin.request(
        "DELETE", f"{url}/batch", json={"sales_channel_ids": [{"id": web}, {"id": "sc_x"}]}
    )
    assert res.status_code == 200
    assert res.json() == {"publishable_api_key": key}
    assert await key_rows(db, key["id"]) == {default_id, gone, "sc_nope"}


async def test_unknown_key_has_no_sales_channels(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/publishable-api-keys/pk_nope/sales-channels")
    assert res.status_code == 200
    assert res.json() == {"sales_channels": []}


@pytest.mark.parametrize(
    ("query", "message"),
    [({"foo": "1"}, "property foo should not exist"), ({"q[]": "1"}, "q must be a string")],
)
async def test_key_sales_channels_bad_query(
    admin: httpx.AsyncClient, query: dict[str, str], message: str
) -> None:
    key = await create_key(admin)
    res = await admin.get(f"/admin/publishable-api-keys/{key['id']}/sales-channels", params=query)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "sales_channel_ids must be an array"),
        ({"sales_channel_ids": [{"id": 1}]}, "id must be a string"),
        (
            {"sales_channel_ids": ["sc_1"]},
            "each value in nested property sales_channel_ids must be either object or array",
        ),
    ],
)
async def test_key_sales_channels_batch_bad_input(
    admin: httpx.AsyncClient, method: str, body: dict[str, Any], message: str
) -> None:
    key = await create_key(admin)
    res = await admin.request(
        method, f"/admin/publishable-api-keys/{key['id']}/sales-channels/batch", json=body
    )
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


# ---- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/publishable-api-keys"),
        ("POST", "/admin/publishable-api-keys"),
        ("GET", "/admin/publishable-api-keys/pk_x"),
        ("POST", "/admin/publishable-api-keys/pk_x"),
        ("DELETE", "/admin/publishable-api-keys/pk_x"),
        ("POST", "/admin/publishable-api-keys/pk_x/revoke"),
        ("GET", "/admin/publishable-api-keys/pk_x/sales-channels"),
        ("POST", "/admin/publishable-api-keys/pk_x/sales-channels/batch"),
        ("DELETE", "/admin/publishable-api-keys/pk_x/sales-channels/batch"),
    ],
)
async def test_admin_routes_need_authentication(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={} if method != "GET" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
