"""Brings a database to the newest schema with Alembic, driven from code (no alembic.ini).

A database that already holds Medusa v1's schema but has never seen Alembic is adopted:
the baseline (Medusa 1.20's schema) is stamped without touching a row, then the additive
revisions run. Everything happens in one transaction, behind a lock, so that several
processes starting at once migrate once.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE_REVISION = "0001"
# Tables that only a Medusa v1 database has; either one means "adopt, do not create".
MEDUSA_MARKER_TABLES = frozenset({"store", "migrations"})
# Key of the PostgreSQL advisory lock held while migrating ("mercato" in ASCII).
_PG_LOCK_KEY = 0x6D65726361746F

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def normalize_url(url: str) -> URL:
    """The async URL to migrate with; ValueError (one line) for anything we cannot serve."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError) as exc:
        raise ValueError(f"invalid database URL {url!r}: {exc}") from None
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database URL {url!r}: use sqlite+aiosqlite:///path.db "
            "or postgresql+asyncpg://user@host:port/dbname"
        )
    if driver.startswith("postgresql") and not parsed.database:
        raise ValueError(f"invalid database URL {url!r}: no database name")
    return parsed.set(drivername=driver)


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic Config for our package's migrations; usable with alembic.command.*."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        # ConfigParser interpolation: a literal % in a password must be doubled.
        cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


def _engine(url: URL) -> AsyncEngine:
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, poolclass=NullPool, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let the begin event below open the transaction, so that DDL is transactional too.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            # One migrator at a time; a second one waits, then finds nothing left to do.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_async_engine(url, poolclass=NullPool)


def _upgrade(connection: Connection, cfg: Config) -> list[str]:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
    tables = set(inspect(connection).get_table_names())
    applied: list[str] = []

    def on_version_apply(
        ctx: MigrationContext, step: MigrationInfo, heads: set[str], run_args: dict[str, Any]
    ) -> None:
        if not step.is_stamp:
            applied.extend(step.up_revision_ids)

    cfg.attributes["connection"] = connection
    cfg.attributes["on_version_apply"] = on_version_apply
    if "alembic_version" not in tables and tables & MEDUSA_MARKER_TABLES:
        log.info("existing Medusa v1 schema found: stamping baseline %s", BASELINE_REVISION)
        command.stamp(cfg, BASELINE_REVISION)
    command.upgrade(cfg, "head")
    return applied


async def migrate(url: str) -> list[str]:
    """Upgrade the database at `url` to head; returns the revision ids applied, oldest first.

    An existing Medusa v1 database (table `store` or `migrations`, no `alembic_version`) gets
    the baseline stamped rather than run. A database already at head returns [].
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        if not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    cfg = alembic_config(parsed)
    engine = _engine(parsed)
    try:
        async with engine.connect() as conn:
            applied = await conn.run_sync(_upgrade, cfg)
            await conn.commit()
    finally:
        await engine.dispose()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    return applied


def run_migrations(url: str) -> list[str]:
    """Synchronous wrapper around migrate(), for the CLI and scripts."""
    return asyncio.run(migrate(url))
