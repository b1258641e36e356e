"""SQLite for the async engine without a thread per connection.

aiosqlite runs every cursor call on the connection's own thread and wakes the event loop to
hand back each result: a trivial SELECT costs ~650 µs that way (four hops: cursor, execute,
fetchall, close), against ~10 µs for the statement itself. A commerce write request makes
20–50 statements, so the hops were most of its time.

This driver gives SQLAlchemy's aiosqlite dialect the same async interface, but runs sqlite3
directly on the event loop's thread: SQLite answers from its page cache in microseconds, so
blocking the loop for one statement costs less than the hop that avoided it.

The one thing that may wait is a lock held by another connection. SQLite's own busy handler
would sleep the whole thread — and with it the loop, and possibly the very task holding the
lock. So the connection's busy timeout is 0 and a statement refused with SQLITE_BUSY is
retried here after an `asyncio.sleep`, up to `timeout` seconds, letting the holder finish.
A refused statement did nothing, so running it again is safe.

URLs stay `sqlite+aiosqlite://`; `mercato.db.session` picks this dialect for them.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)

from mercato.db.savepoints import TextSavepoints

__version__ = "1.0"

# The names SQLAlchemy's aiosqlite adapter copies from the driver module.
DatabaseError = sqlite3.DatabaseError
Error = sqlite3.Error
IntegrityError = sqlite3.IntegrityError
NotSupportedError = sqlite3.NotSupportedError
OperationalError = sqlite3.OperationalError
ProgrammingError = sqlite3.ProgrammingError
sqlite_version = sqlite3.sqlite_version
sqlite_version_info = sqlite3.sqlite_version_info

T = TypeVar("T")

_FIRST_WAIT = 0.0005
_LONGEST_WAIT = 0.02


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(exc)
    return "locked" in text or "busy" in text


async def _retrying(call: Callable[[], T], timeout: float) -> T:
    try:
        return call()
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc) or timeout <= 0:
            raise
    deadline = time.monotonic() + timeout
    wait = _FIRST_WAIT
    while True:
        await asyncio.sleep(wait)
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
        wait = min(wait * 2, _LONGEST_WAIT)


class Cursor:
    __slots__ = ("_cursor", "_timeout")

    def __init__(self, cursor: sqlite3.Cursor, timeout: float) -> None:
        self._cursor = cursor
        self._timeout = timeout

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        cursor = self._cursor
        await _retrying(lambda: cursor.execute(sql, parameters), self._timeout)
        return self

    async def executemany(self, sql: str, parameters: Sequence[Sequence[Any]]) -> Cursor:
        cursor = self._cursor
        rows = list(parameters)
        await _retrying(lambda: cursor.executemany(sql, rows), self._timeout)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def setinputsizes(self, *sizes: Any) -> None:
        return None

    async def nextset(self) -> None:
        return None

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _CursorFactory:
    """What `Connection.cursor()` returns: aiosqlite's is awaitable and an async context."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Cursor]) -> None:
        self._make = make

    async def __aenter__(self) -> Cursor:
        return self._make()

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __await__(self) -> Any:
        async def made() -> Cursor:
            return self._make()

        return made().__await__()


class Connection:
    def __init__(self, conn: sqlite3.Connection, timeout: float) -> None:
        self._conn = conn
        self._timeout = timeout

    @property
    def _connection(self) -> sqlite3.Connection | None:
        # SQLAlchemy's adapter tests this before commit/rollback.
        return self._conn

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> _CursorFactory:
        return _CursorFactory(lambda: Cursor(self._conn.cursor(), self._timeout))

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        cursor = Cursor(self._conn.cursor(), self._timeout)
        return await cursor.execute(sql, parameters)

    async def commit(self) -> None:
        await _retrying(self._conn.commit, self._timeout)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._conn.close()

    def stop(self) -> None:
        self._conn.close()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)


def connect(database: str, timeout: float = 5.0, **kw: Any) -> Connection:
    # The busy timeout is ours (see the module's docstring), so SQLite's is 0.
    kw["check_same_thread"] = False
    conn = sqlite3.connect(database, timeout=0, **kw)
    return Connection(conn, timeout)


class _InlineConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._connection._conn.isolation_level = value


class _InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _InlineConnection:  # type: ignore[override]
        return _InlineConnection(self, connect(*arg, **kw))  # type: ignore[arg-type]


class SQLiteDialect_inline(TextSavepoints, SQLiteDialect_aiosqlite):
    driver = "aiosqlite"
    supports_server_side_cursors = False
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> AsyncAdapt_aiosqlite_dbapi:
        import sys

        return _InlineDBAPI(sys.modules[__name__], sqlite3)

    def do_terminate(self, dbapi_connection: Any) -> None:
        dbapi_connection._connection.stop()


dialect = SQLiteDialect_inline
