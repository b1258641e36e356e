"""The store side of publishable API keys: `sales_channel_ids_for_key` and the
`PublishableKeyScope` dependency."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from fastapi import Response

from mercato.core.errors import MedusaError
from mercato.core.http import ok
from mercato.core.routing import public_router
from mercato.db.session import Database
from mercato.modules.sales_channels.deps import PublishableKeyScope
from mercato.modules.sales_channels.models import PublishableApiKey, PublishableApiKeySalesChannel
from mercato.modules.sales_channels.service import INVALID_PUBLISHABLE_KEY, sales_channel_ids_for_key


async def make_key(db: Database, channels: list[str], *, revoked: bool = False) -> str:
    async with db.write_session() as tx:
        key = PublishableApiKey(title="k")
        if revoked:
            key.revoked_at = datetime.datetime.now(datetime.UTC)
        tx.add(key)
        await tx.flush()
        for i, channel in enumerate(channels):
            tx.add(
                PublishableApiKeySalesChannel(
                    id=f"pksc_{key.id}_{i}",
                    sales_channel_id=channel,
                    publishable_key_id=key.id,
                    created_at=datetime.datetime(2024, 1, 1, 0, 0, i, tzinfo=datetime.UTC),
                )
            )
        await tx.commit()
        return key.id


async def test_scope_of_a_key(db: Database) -> None:
    key = await make_key(db, ["sc_b", "sc_a"])
    bare = await make_key(db, [])
    async with db.read_session() as tx:
        assert await sales_channel_ids_for_key(tx, key) == ["sc_b", "sc_a"]
        assert await sales_channel_ids_for_key(tx, bare) == []


async def test_unknown_or_revoked_key_is_refused(db: Database) -> None:
    revoked = await make_key(db, ["sc_a"], revoked=True)
    async with db.read_session() as tx:
        for key in ("pk_nope", revoked):
            with pytest.raises(MedusaError) as err:
                await sales_channel_ids_for_key(tx, key)
            assert (err.value.type, err.value.message) == ("not_allowed", INVALID_PUBLISHABLE_KEY)


async def test_medusa_1_20_scope_without_checks(db: Database) -> None:
    """strict=False: exactly what Medusa 1.20's getResourceScopes answers."""
    revoked = await make_key(db, ["sc_a"], revoked=True)
    deleted = await make_key(db, ["sc_b"])
    async with db.write_session() as tx:
        row = await tx.get(PublishableApiKey, deleted)
        await tx.delete(row)
        await tx.commit()
    async with db.read_session() as tx:
        assert await sales_channel_ids_for_key(tx, "pk_nope", strict=False) == []
        assert await sales_channel_ids_for_key(tx, revoked, strict=False) == ["sc_a"]
        assert await sales_channel_ids_for_key(tx, deleted, strict=False) == ["sc_b"]


@pytest.fixture
def scoped_client(app: Any) -> httpx.AsyncClient:
    router = public_router("/store", "test")

    @router.get("/scope-probe")
    async def probe(scope: PublishableKeyScope) -> Response:
        return ok({"scope": scope})

    app.include_router(router)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_dependency(scoped_client: httpx.AsyncClient, db: Database) -> None:
    key = await make_key(db, ["sc_a"])
    async with scoped_client as c:
        res = await c.get("/store/scope-probe")
        assert res.json() == {"scope": None}
        res = await c.get("/store/scope-probe", headers={"x-publishable-api-key": ""})
        assert res.json() == {"scope": None}
        res = await c.get("/store/scope-probe", headers={"x-publishable-api-key": key})
        assert res.json() == {"scope": ["sc_a"]}
        res = await c.get("/store/scope-probe", headers={"x-publishable-api-key": "pk_nope"})
        assert res.status_code == 400
        assert res.json() == {"type": "not_allowed", "message": INVALID_PUBLISHABLE_KEY}
