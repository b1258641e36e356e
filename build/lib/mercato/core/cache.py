"""A response cache for hot GET endpoints, invalidated by any committed write.

Listing products or regions costs several queries and building the JSON; the same request asked
again, with nothing committed since, gets the same bytes. The cache key includes the database's
*generation*, read before the answer is computed:

- PostgreSQL: `pg_current_snapshot()`. Two equal snapshots see exactly the same committed
  transactions, so equal generations mean equal data — whoever wrote (any API process, the CLI,
  a psql session). Read-only requests take no transaction id, so under a read load it stays put.
- SQLite: `PRAGMA data_version` on a dedicated connection, which changes whenever any other
  connection (this process or another) commits.

An answer computed while a write was in flight is stored under the generation read before, which
the write's commit supersedes; a client never reads data older than a write it saw complete.
Routes opt in with `@cacheable(...)`; the key also holds path, query and the caller's credentials.
`ttl` bounds answers that change with the clock alone (price lists' dates).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class CachePolicy:
    ttl: float

    def expiry(self) -> float:
        return time.monotonic() + self.ttl


def cacheable(ttl: float = 300.0) -> Callable[[F], F]:
    """Mark a GET endpoint whose answer depends only on the request, the caller's scope and the data."""

    def mark(fn: F) -> F:
        fn.__mercato_cache__ = CachePolicy(ttl)  # type: ignore[attr-defined]
        return fn

    return mark


def policy_of(endpoint: Any) -> CachePolicy | None:
    return getattr(endpoint, "__mercato_cache__", None)


@dataclass
class Entry:
    body: bytes
    status: int
    media_type: str
    expires: float


class ResponseCache:
    def __init__(
        self, max_entries: int = 4096, max_body: int = 512 * 1024, max_bytes: int = 16 * 1024 * 1024
    ) -> None:
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._max_entries = max_entries
        self._max_body = max_body
        # bounded in bytes too: product pages are ~150 KB each
        self._max_bytes = max_bytes
        self._bytes = 0
        self._monitor: sqlite3.Connection | None = None
        self.hits = 0
        # PostgreSQL snapshot reads, shared by the requests waiting for them (see generation())
        self._pg_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._pg_started = 0
        self._pg_value: Any = None
        self._pg_value_seq = 0

    async def generation(self, db: Any) -> Any:
        if db.is_sqlite:
            return self._sqlite_data_version(db)
        # One snapshot read serves every request that arrived before it STARTED: such a read sees
        # every write completed before those requests arrived, so none of them can be answered
        # from data older than a write it could know of. Concurrent requests then cost one round
        # trip per batch instead of one each.
        loop = asyncio.get_running_loop()
        if self._pg_lock is None or self._pg_lock[0] is not loop:
            self._pg_lock = (loop, asyncio.Lock())
        arrived_after = self._pg_started
        async with self._pg_lock[1]:
            if self._pg_value_seq > arrived_after:
                return self._pg_value
            self._pg_started += 1
            seq = self._pg_started
            async with db.reader.connect() as conn:
                value = (await conn.execute(text("SELECT pg_current_snapshot()::text"))).scalar_one()
            self._pg_value, self._pg_value_seq = value, seq
            return value

    def _sqlite_data_version(self, db: Any) -> int:
        # A plain sqlite3 connection, used inline: reading the version is a few microseconds and
        # never waits for a lock, cheaper than a hop to a driver thread.
        if self._monitor is None:
            path = make_url(db.url).database
            if not path or path == ":memory:":
                return -1
            self._monitor = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        return int(self._monitor.execute("PRAGMA data_version").fetchone()[0])

    def get(self, key: tuple[Any, ...]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple[Any, ...], entry: Entry) -> None:
        if len(entry.body) > self._max_body:
            return
        self._drop(key)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            _, oldest = self._entries.popitem(last=False)
            self._bytes -= len(oldest.body)

    def _drop(self, key: tuple[Any, ...]) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)
