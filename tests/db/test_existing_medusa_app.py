"""An existing Medusa v1 database: load Medusa's schema and rows, run `migrate`, serve it."""

from __future__ import annotations

import asyncpg
import httpx

from mercato.app import create_app
from mercato.config import Settings
from mercato.core.passwords import verify_password
from mercato.db.migrate import migrate
from mercato.db.session import create_database
from mercato.startup import prepare_store
from tests.db.conftest import NewDatabase, asyncpg_dsn, load_medusa_schema

# written by the real Medusa 1.20.11 (scrypt-kdf, logN=1 r=1 p=1) for the password "supersecret"
MEDUSA_HASH = (
    "c2NyeXB0AAEAAAABAAAAARsSrjntV8LcOP2jQU0hs6cZN/bYiUXe9MkYtXn6khaOYFoBI5/+wU1NZCTu0n4keFaAIpwapkQB"
    "4dJDQxChfZOZQrsEFILHsCvhAQ0CdymG"
)


def test_a_hash_written_by_medusa_verifies() -> None:
    assert verify_password("supersecret", MEDUSA_HASH)
    assert not verify_password("supersecret!", MEDUSA_HASH)


async def test_mercato_serves_a_migrated_medusa_database(new_pg_database: NewDatabase) -> None:
    url = await new_pg_database()
    await load_medusa_schema(url)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(
            "INSERT INTO currency (code, symbol, symbol_native, name) VALUES ('usd', '$', '$', 'US Dollar')"
        )
        await conn.execute(
            "INSERT INTO store (id, name, default_currency_code) VALUES ('store_medusa', 'Old Shop', 'usd')"
        )
        await conn.execute(
            "INSERT INTO store_currencies (store_id, currency_code) VALUES ('store_medusa', 'usd')"
        )
        await conn.execute(
            'INSERT INTO "user" (id, email, password_hash, role) VALUES ($1, $2, $3, $4)',
            "usr_medusa",
            "admin@medusa-test.com",
            MEDUSA_HASH,
            "admin",
        )
    finally:
        await conn.close()

    await migrate(url)
    db = create_database(url)
    try:
        async with db.write_session() as tx:
            await prepare_store(tx)
            await tx.commit()
        app = create_app(Settings(database_url=url), database=db)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            res = await client.post(
                "/admin/auth/token", json={"email": "admin@medusa-test.com", "password": "supersecret"}
            )
            assert res.status_code == 200
            headers = {"Authorization": f"Bearer {res.json()['access_token']}"}
            res = await client.get("/admin/store", headers=headers)
            assert res.status_code == 200
            store = res.json()["store"]
            # the store Medusa created is served as it is, not replaced
            assert store["id"] == "store_medusa"
            assert store["name"] == "Old Shop"
    finally:
        await db.dispose()
