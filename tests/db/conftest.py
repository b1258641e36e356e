"""Fixtures for migration tests: throwaway PostgreSQL databases on MERCATO_TEST_DATABASE_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources

import asyncpg
import pytest
from sqlalchemy.engine import make_url

ENV = "MERCATO_TEST_DATABASE_URL"

NewDatabase = Callable[[], Awaitable[str]]


def medusa_schema_sql() -> str:
    return resources.files("mercato.db").joinpath("medusa_1_20_schema.sql").read_text(encoding="utf-8")


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy URL (postgresql+asyncpg://…) as a libpq-style DSN for asyncpg.connect."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def load_medusa_schema(url: str) -> None:
    """Load Medusa's pg_dump the way psql would: the whole script, as one simple query."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(medusa_schema_sql())
    finally:
        await conn.close()


@pytest.fixture
def pg_server_url() -> str:
    url = os.environ.get(ENV, "")
    if not url.startswith("postgresql"):
        pytest.skip(f"{ENV} is not set to a postgresql+asyncpg URL")
    return url


@pytest.fixture
async def new_pg_database(pg_server_url: str) -> AsyncIterator[NewDatabase]:
    """Creates empty databases named mig_<uuid> on demand; drops them all afterwards."""
    server = make_url(pg_server_url)
    created: list[str] = []
    admin = await asyncpg.connect(asyncpg_dsn(pg_server_url))

    async def create() -> str:
        name = f"mig_{uuid.uuid4().hex[:16]}"
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    try:
        yield create
    finally:
        for name in created:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
