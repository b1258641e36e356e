"""Alembic environment of Mercato, driven from code by mercato.db.migrate.

mercato.db.migrate hands over an open connection in `config.attributes["connection"]` (one
transaction for the whole run, committed by the caller). Called through alembic.command with
`alembic_config(url)` instead, this file opens its own async engine on `sqlalchemy.url`.
"""

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mercato.db.registry import load_all_models

config = context.config
target_metadata = load_all_models().metadata


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        on_version_apply=config.attributes.get("on_version_apply"),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url: use mercato.db.migrate.alembic_config(url)")
    asyncio.run(run_async_migrations(url))


if context.is_offline_mode():
    # The baseline reads the live connection (search_path, dialect), so no SQL scripts.
    raise RuntimeError("offline (--sql) migrations are not supported; run them against a database")
run_migrations_online()
