"""Engines and sessions.

SQLite gets two engines on the same file: reads begin a deferred transaction, writes begin
with BEGIN IMMEDIATE so that two writers never interleave a read-modify-write (Medusa dropped
SQLite for exactly that trouble). PostgreSQL uses one pooled engine for both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlalchemy.util import await_only

from mercato.config import Settings
from mercato.core import refcache
from mercato.db import sqlite_inline
from mercato.db.checkpoint import SAFETY_NET_PAGES, Checkpointer


@dataclass
class Database:
    url: str
    reader: AsyncEngine
    writer: AsyncEngine
    read_session: async_sessionmaker[AsyncSession]
    write_session: async_sessionmaker[AsyncSession]
    checkpointer: Checkpointer | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    async def dispose(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        await self.reader.dispose()
        if self.writer is not self.reader:
            await self.writer.dispose()


def _dump_json(value: Any) -> str:
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # what only the standard library writes (an integer beyond 64 bits)
        return json.dumps(value)


def _load_json(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # what only the standard library reads (NaN, huge integers)
        return json.loads(text)


# JSON columns are written and read with orjson: the standard library's encoder and decoder were
# ~3 % of the server's CPU in a checkout (payment data, metadata, the trees read as JSON).
_JSON: dict[str, Any] = {"json_serializer": _dump_json, "json_deserializer": _load_json}

registry.register("sqlite.mercato_inline", "mercato.db.sqlite_inline", "SQLiteDialect_inline")
registry.register("postgresql.mercato_asyncpg", "mercato.db.pg_driver", "Dialect")


def _sqlite_engine(url: str, echo: bool, immediate: bool) -> AsyncEngine:
    # The driver runs sqlite3 on the loop's thread (see sqlite_inline) and waits for locks
    # without blocking it: 30 s, as the busy timeout was.
    inline = make_url(url).set(drivername="sqlite+mercato_inline")
    # One writer connection: BEGIN IMMEDIATE serializes writers anyway; queued in the pool they
    # wait in order without polling the lock, and the connection's page cache stays warm (a
    # connection drops its cache whenever another one committed).
    pool: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 30} if immediate else {}
    engine = create_async_engine(inline, echo=echo, connect_args={"timeout": 30}, **_JSON, **pool)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not the driver, decide how transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=0")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        # The default page cache (2 MiB) is smaller than a shop's hot pages: the writer read
        # evicted pages back with a pread each (~50 per checkout). A larger cap (pages are only
        # allocated as used) and the file mapped in memory read them without a system call.
        cur.execute("PRAGMA cache_size=-32768")
        cur.execute("PRAGMA mmap_size=268435456")
        # statement journals and sorts in memory: a temp file costs a directory search, an
        # open, an unlink and its writes (about one per checkout)
        cur.execute("PRAGMA temp_store=MEMORY")
        if immediate:
            # the Checkpointer thread copies the log back; this is its safety net
            cur.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Straight on sqlite3 (waiting for another process's lock as every statement does):
        # Connection.exec_driver_sql costs ~100 µs of SQLAlchemy for a statement of ~5.
        driver: sqlite_inline.Connection = conn.connection.dbapi_connection._connection
        await_only(sqlite_inline._retrying(lambda: driver._conn.execute(begin), driver._timeout))

    return engine


# Each process's PostgreSQL pool: connections kept, and opened beyond those under a burst.
POOL_SIZE = 20
POOL_OVERFLOW = 20
CONNECTIONS_PER_PROCESS = POOL_SIZE + POOL_OVERFLOW


def create_database(url: str, echo: bool = False, begin_ahead: bool = True) -> Database:
    """`begin_ahead`: PostgreSQL's connections begin their next transaction ahead (pg_driver)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a clear text
        raise ValueError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.drivername.startswith("sqlite"):
        reader = _sqlite_engine(url, echo, immediate=False)
        writer = _sqlite_engine(url, echo, immediate=True)
    elif parsed.drivername.startswith("postgresql"):
        # asyncpg with each connection's next transaction begun ahead (see pg_driver); the pool
        # hands out the connection returned last, whose transaction begun ahead is the freshest
        reader = writer = create_async_engine(
            parsed.set(drivername="postgresql+mercato_asyncpg"),
            echo=echo,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_use_lifo=True,
            **_JSON,
            connect_args={
                # asyncpg prepares each statement once per connection; the default LRU of 100 is
                # smaller than the statements one checkout runs, and a re-prepare is a round trip
                "prepared_statement_cache_size": 1000,
                # PostgreSQL re-plans a prepared statement at each run while it deems the custom
                # plan cheaper; for these trees of correlated subqueries planning cost more than
                # running (pg_stat_statements: 0.41 ms planning for 0.24 ms running). Every
                # statement here is one shape for any parameter values, so one plan serves all.
                "server_settings": {
                    "plan_cache_mode": "force_generic_plan",
                    # a transaction begun ahead waits in the pool idle in transaction, holding
                    # nothing: a server-wide timeout for those must not close the connection
                    **({"idle_in_transaction_session_timeout": "0"} if begin_ahead else {}),
                },
                "mercato_begin_ahead": begin_ahead,
            },
        )
    else:
        raise ValueError(
            f"unsupported database URL {url!r}: use sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
    for engine in {id(reader): reader, id(writer): writer}.values():
        refcache.watch(engine)
    # the cache is the process's: rows another database gave (tests, the CLI) are not this one's
    refcache.invalidate()
    from mercato.core.events import OutboxSession  # the outbox's models import the db layer

    opts: dict[str, Any] = {"expire_on_commit": False, "class_": OutboxSession}
    checkpointer: Checkpointer | None = None
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        checkpointer = Checkpointer(str(parsed.database))
        checkpointer.start()
    return Database(
        url=url,
        reader=reader,
        writer=writer,
        read_session=async_sessionmaker(reader, **opts),
        write_session=async_sessionmaker(writer, **opts),
        checkpointer=checkpointer,
    )


async def free_connections(url: str) -> int:
    """How many more connections a PostgreSQL server would accept from ordinary users now:
    max_connections, less the slots it reserves for superusers, less the client connections open
    (another application on the same server, this one's `prepare` step already closed)."""
    engine = create_async_engine(make_url(url).set(drivername="postgresql+asyncpg"), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            free = (await conn.exec_driver_sql(_FREE_CONNECTIONS)).scalar_one()
    finally:
        await engine.dispose()
    return int(free)


_FREE_CONNECTIONS = (
    "SELECT current_setting('max_connections')::int"
    " - current_setting('superuser_reserved_connections')::int"
    " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
)


def database_from_settings(settings: Settings) -> Database:
    return create_database(settings.database_url, echo=settings.sql_echo, begin_ahead=settings.pg_begin_ahead)
