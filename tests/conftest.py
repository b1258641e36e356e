"""Test fixtures: a real database per xdist worker (SQLite file, or PostgreSQL when
MERCATO_TEST_DATABASE_URL names a server), migrated once, emptied after every test."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from mercato.app import create_app
from mercato.config import Settings
from mercato.core.auth import sign_token
from mercato.db.registry import load_all_models
from mercato.db.session import Database, create_database

PG_SERVER_URL = os.environ.get("MERCATO_TEST_DATABASE_URL", "")

# Rows that the migrations themselves insert (reference data) survive the per-test cleanup.
KEEP_TABLES = {"country", "currency", "alembic_version", "migrations"}


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


async def _create_pg_database(name: str) -> str:
    server = make_url(PG_SERVER_URL)
    admin = create_async_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


async def _migrate(url: str) -> None:
    from mercato.db.migrate import migrate

    await migrate(url)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if PG_SERVER_URL:
        name = f"mercato_test_{_worker()}_{uuid.uuid4().hex[:6]}"
        url = asyncio.run(_create_pg_database(name))
    else:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    asyncio.run(_migrate(url))
    yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("data")
    return Settings(
        database_url=database_url, data_dir=str(data), notification_outbox=str(data / "notifications")
    )


async def _empty_tables(db: Database) -> None:
    base = load_all_models()
    tables = [t for t in base.metadata.tables.values() if t.name not in KEEP_TABLES]
    async with db.writer.begin() as conn:
        if db.is_sqlite:
            await conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in tables:
                await conn.execute(table.delete())
            await conn.execute(text("UPDATE country SET region_id = NULL WHERE region_id IS NOT NULL"))
        else:
            # FK triggers off for the cleanup (the test role is a superuser); country keeps its rows
            await conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            await conn.execute(text("UPDATE country SET region_id = NULL WHERE region_id IS NOT NULL"))
            for table in tables:
                await conn.execute(table.delete())


@pytest_asyncio.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = create_database(settings.database_url)
    yield database
    await _empty_tables(database)
    await database.dispose()


async def _hears_everything(event_name: str, data: dict[str, Any]) -> None:
    return None


@pytest_asyncio.fixture
async def app(settings: Settings, db: Database) -> Any:
    from mercato.startup import prepare_store

    application = create_app(settings, database=db)
    # the tests read events from the outbox (the `events` fixture): a subscriber to every event
    # makes requests stage them all, not only those the app's own subscribers act on
    application.state.events.subscribe("*", _hears_everything)
    async with db.write_session() as tx:
        await prepare_store(tx)
        await tx.commit()
    return application


@pytest_asyncio.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


ADMIN_EMAIL = "admin@mercato.test"
ADMIN_PASSWORD = "supersecret"


@pytest_asyncio.fixture
async def admin_user(db: Database) -> Any:
    from mercato.modules.users.service import create_user_record

    async with db.write_session() as tx:
        user = await create_user_record(
            tx, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, role="admin", api_token="test_api_token"
        )
        await tx.commit()
    return user


@pytest.fixture
def admin_headers(admin_user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_token({'user_id': admin_user.id, 'domain': 'admin'})}"}


@pytest_asyncio.fixture
async def admin(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> httpx.AsyncClient:
    """A client logged in as the admin (bearer JWT)."""
    client.headers.update(admin_headers)
    return client


def here() -> Path:
    return Path(__file__).parent


Events = Callable[[str], Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def events(db: Database) -> Events:
    """The staged (not yet delivered) events of one name, oldest first."""
    from sqlalchemy import select

    from mercato.modules.system.models import StagedJob

    async def read(name: str) -> list[dict[str, Any]]:
        async with db.read_session() as tx:
            rows = (
                await tx.execute(select(StagedJob).where(StagedJob.event_name == name).order_by(StagedJob.id))
            ).scalars()
            return [dict(r.data) for r in rows]

    return read
