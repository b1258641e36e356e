"""Reference rows that every cart read needs and that almost never change — a region's
countries, payment providers and tax rates; the tax rates of products and shipping options —
kept in memory between requests.

A cart answer used to re-read them on every request (five statements of its ~ten). Shop
configuration changes a few times a day; checkouts happen many times a second.

Freshness:
- In this process, every engine created by `mercato.db.session` reports a committed write to
  one of the `WATCHED` tables (an INSERT/UPDATE/DELETE seen by its statement listener, ORM or
  Core or `db.raw`): the cache's generation moves on when the transaction commits and once more
  when its connection goes back to the pool (a read that ran between the two saw the old rows
  and is dropped too). Entries of an older generation are never served.
- Other processes on this machine using the same PostgreSQL database (the workers of
  `mercato serve --workers N`, the CLI) share a generation counter with this one (`_Shared`: a
  small file mapped in memory): a watched write one of them commits makes every process's
  entries stale before its next lookup, as a write of its own would.
- A process elsewhere cannot tell us: entries also expire after `TTL` seconds.

Values are shared: callers copy what they hand out for mutation.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import re
import struct
import tempfile
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from mercato.db import raw

T = TypeVar("T")

TTL = 2.0
WATCHED = frozenset(
    {
        "country",
        "customer_group",
        "customer_group_customers",
        "notification_provider",
        "payment_provider",
        "product",
        "product_sales_channel",
        "product_shipping_profile",
        "product_tax_rate",
        "product_type_tax_rate",
        "region",
        "region_payment_providers",
        "sales_channel",
        "shipping_option",
        "shipping_option_requirement",
        "shipping_profile",
        "shipping_tax_rate",
        "store",
        "tax_rate",
        "user",
    }
)
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_DIRTY = "mercato_refcache_dirty"

_generation = 0
_entries: dict[Hashable, tuple[int, float, Any]] = {}
_MAX_ENTRIES = 20_000


def _bump() -> None:
    global _generation
    _generation += 1
    _entries.clear()


class _Shared:
    """A counter the processes using one database on this machine share: an 8-byte file in the
    temporary directory, named after the database, mapped in memory. A process that commits a
    watched write increments it; a lookup that finds it moved since it last looked drops this
    process's entries. Reading it is a memory read, not a system call."""

    _COUNTER = struct.Struct("<Q")

    def __init__(self, key: str) -> None:
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        path = os.path.join(tempfile.gettempdir(), f"mercato-refcache-{digest}")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < self._COUNTER.size:
                os.ftruncate(fd, self._COUNTER.size)  # zeros: a new counter reads 0
            self._map = mmap.mmap(fd, self._COUNTER.size)
        finally:
            os.close(fd)
        self.key = key
        self._path = path
        self.seen = self.value()

    def value(self) -> int:
        return int(self._COUNTER.unpack_from(self._map, 0)[0])

    def bump(self) -> None:
        # under the file's lock: two processes incrementing at once must both move it
        with open(self._path, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                value = self.value() + 1
                self._COUNTER.pack_into(self._map, 0, value)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        self.seen = value  # this process bumps its own generation itself


_SHARED: dict[str, _Shared] = {}


def _shared_moved() -> bool:
    """Another process committed a watched write since this one last looked."""
    moved = False
    for shared in _SHARED.values():
        value = shared.value()
        if value != shared.seen:
            shared.seen = value
            moved = True
    return moved


def _share(engine: AsyncEngine) -> _Shared | None:
    """The shared counter of the engine's database: PostgreSQL only (several processes serve
    one only there); None when it cannot be made (the process then relies on TTL alone)."""
    url = engine.sync_engine.url
    if url.get_backend_name() != "postgresql":
        return None
    key = f"{url.host}:{url.port}/{url.database}"
    found = _SHARED.get(key)
    if found is None:
        try:
            found = _SHARED[key] = _Shared(key)
        except OSError:
            return None
    return found


def watch(engine: AsyncEngine) -> None:
    """Report this engine's committed writes to the watched tables (to this process, and to the
    others using its database on this machine)."""
    sync = engine.sync_engine
    shared = _share(engine)

    def bump() -> None:
        _bump()
        if shared is not None:
            shared.bump()

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement[:1] in "IUDiud" or statement[:2].isspace():
            found = _WRITE.match(statement)
            if found is not None and found.group(1).lower() in WATCHED:
                conn.info[_DIRTY] = True

    def committed(conn: Any) -> None:
        if conn.info.get(_DIRTY):
            conn.info[_DIRTY] = "committed"
            bump()

    def rolled_back(conn: Any) -> None:
        conn.info.pop(_DIRTY, None)

    def checked_in(dbapi_conn: Any, record: Any) -> None:
        if record is not None and record.info.pop(_DIRTY, None) == "committed":
            bump()

    event.listen(sync, "before_cursor_execute", seen)
    event.listen(sync, "commit", committed)
    event.listen(sync, "rollback", rolled_back)
    event.listen(sync.pool, "checkin", checked_in)


def invalidate() -> None:
    """Forget everything (a change made behind the engines' back, e.g. a migration)."""
    _bump()


async def cached(tx: AsyncSession, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
    """The value for `key`, loaded by `load()` when absent, stale or of an older generation.
    A transaction that wrote a watched table itself reads afresh (its rows are not committed)."""
    conn = await raw.connection(tx)
    if conn.sync_connection is not None and conn.sync_connection.info.get(_DIRTY):
        return await load()
    if _SHARED and _shared_moved():
        _bump()
    now = time.monotonic()
    found = _entries.get(key)
    if found is not None and found[0] == _generation and now - found[1] < TTL:
        return found[2]  # type: ignore[no-any-return]
    generation = _generation
    value = await load()
    if _SHARED and _shared_moved():
        _bump()  # another process committed a change meanwhile: what was read may predate it
    if generation == _generation:  # nothing committed meanwhile: the rows read are current
        if len(_entries) >= _MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (generation, now, value)
    return value
