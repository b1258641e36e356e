"""PostgreSQL through asyncpg, each pooled connection's next transaction begun ahead.

Every transaction used to cost a round trip for its BEGIN before its first statement, and one
for its COMMIT or ROLLBACK after its last: on this hardware a round trip costs the server, the
database and the kernel more than most of the statements of a request take to run. Here the
statement that ends a transaction also begins the connection's next one, in the same query text
("COMMIT;BEGIN"), so the next request that takes the connection from the pool starts with its
own first statement (`db.raw.write_and_commit` also puts the request's last write in front).

What this must not change:
- The transaction timestamp (now(), CURRENT_TIMESTAMP, the columns that default to it) is taken
  at BEGIN. A transaction begun ahead that waited in the pool longer than `FRESH` seconds is
  begun again ("ROLLBACK;BEGIN", the round trip its BEGIN would have cost anyway), so that these
  stay within `FRESH` of the request's own time. The pool hands out the connection returned
  last (LIFO), so under load a transaction begun ahead is milliseconds old.
- Visibility and locks: a transaction that has run nothing holds no snapshot (READ COMMITTED
  takes one per statement) and no lock, so one waiting in the pool sees and blocks nothing.
- Everything else SQLAlchemy's adapter does (errors, savepoints, prepared statements) is its
  own; only the beginning and the end of a transaction are overridden. A transaction asked
  with another isolation level, read-only or deferrable drops the one begun ahead first.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from asyncpg.transaction import TransactionState
from sqlalchemy.dialects.postgresql.asyncpg import (
    AsyncAdapt_asyncpg_connection,
    AsyncAdapt_asyncpg_cursor,
    AsyncAdapt_asyncpg_dbapi,
    PGDialect_asyncpg,
)
from sqlalchemy.util import await_only

from mercato.db.savepoints import TextSavepoints

FRESH = 0.1
_DEFERRED = ("SAVEPOINT ", "RELEASE SAVEPOINT ")


class _Cursor(AsyncAdapt_asyncpg_cursor):
    __slots__ = ()

    async def _prepare_and_execute(self, operation: Any, parameters: Any) -> None:
        adapted: Any = self._adapt_connection
        if not parameters and adapted._transaction is not None and operation.startswith(_DEFERRED):
            # nothing waits on a savepoint or its release: it goes out with the next statement or
            # the COMMIT (a rollback of the whole transaction drops it with everything else)
            async with adapted._execute_mutex:
                adapted._later.append(operation)
            self._rows = deque()
            self._description = None
            self._rowcount = -1
            return
        await super()._prepare_and_execute(operation, parameters)


class Connection(AsyncAdapt_asyncpg_connection):
    __slots__ = ("_ahead", "_begin_ahead", "_later")
    _cursor_cls = _Cursor

    def __init__(self, *args: Any, begin_ahead: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # off (settings.pg_begin_ahead): every transaction is begun when first used
        self._begin_ahead = begin_ahead
        # when the BEGIN of the next transaction was sent ahead (time.monotonic()), or None
        self._ahead: float | None = None
        # writes of the open transaction not sent yet (see defer)
        self._later: list[str] = []

    async def defer(self, sql: str) -> None:
        """Send `sql` (a write whose result nothing needs, values written in) with the
        transaction's next statement that goes through this connection: the writes deferred
        since the last one go out together in one round trip just before it (every statement,
        the ORM's, Core's and db.raw's, is prepared first: see _check_type_cache_invalidation),
        or with the COMMIT. A rollback drops them. A deferred write that fails fails the
        statement it went out with, as PostgreSQL would have failed the transaction anyway."""
        if self._transaction is None:
            async with self._execute_mutex:
                await self._start_transaction()
        self._later.append(sql)

    async def _check_type_cache_invalidation(self, invalidate_timestamp: Any) -> None:
        # run (under the execution lock) before any statement is prepared or executed
        if self._later:
            sql, self._later = ";".join(self._later), []
            try:
                await self._connection.execute(sql)  # type: ignore[attr-defined]
            except Exception as error:
                self._handle_exception(error)
        await super()._check_type_cache_invalidation(invalidate_timestamp)

    def _plain(self) -> bool:
        """The connection's transactions are default ones (what the BEGIN sent ahead begins)."""
        return self.isolation_level is None and not self.readonly and not self.deferrable

    def _adopt(self) -> Any:
        """The asyncpg Transaction of the transaction begun ahead, as its start() leaves it."""
        driver: Any = self._connection
        transaction = driver.transaction()
        transaction._state = TransactionState.STARTED
        driver._top_xact = transaction
        return transaction

    async def _start_transaction(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            await super()._start_transaction()
            return
        driver: Any = self._connection
        if not self._plain():
            await driver.execute("ROLLBACK")
            await super()._start_transaction()
            return
        if time.monotonic() - ahead > FRESH:
            try:
                await driver.execute("ROLLBACK;BEGIN")
            except Exception as error:
                self._handle_exception(error)
        self._transaction = self._adopt()

    async def _end(self, verb: str, prefix: str = "") -> None:
        """Send `prefix` (statements of the transaction), `verb` (COMMIT or ROLLBACK) and the
        next transaction's BEGIN as one query; the bookkeeping asyncpg's Transaction and
        SQLAlchemy's adapter keep after their own COMMIT or ROLLBACK."""
        transaction: Any = self._transaction
        driver: Any = self._connection
        begin = ";BEGIN" if self._begin_ahead and self._plain() else ""
        if self._later:
            if verb == "COMMIT":
                prefix = ";".join(self._later) + ";" + prefix
            self._later = []
        try:
            await driver.execute(f"{prefix}{verb}{begin}")
        except BaseException:
            if driver._top_xact is transaction:
                driver._top_xact = None
            transaction._state = TransactionState.FAILED
            if not prefix:
                self._transaction = None  # as the adapter's own commit/rollback: it is over
            raise
        if driver._top_xact is transaction:
            driver._top_xact = None
        transaction._state = TransactionState.COMMITTED if verb == "COMMIT" else TransactionState.ROLLEDBACK
        self._transaction = None
        self._ahead = time.monotonic() if begin and driver._protocol.is_in_transaction() else None

    def _finish(self, verb: str) -> None:
        """The adapter's commit()/rollback(): nothing to send when no transaction is open."""
        if self._transaction is not None:
            try:
                await_only(self._end(verb))
            except Exception as error:
                self._handle_exception(error)

    def commit(self) -> None:
        self._finish("COMMIT")

    def rollback(self) -> None:
        self._finish("ROLLBACK")

    async def write_and_commit(self, sql: str) -> bool:
        """Run `sql` (statements of the open transaction, literal values only) and COMMIT, in
        one round trip with the next BEGIN. False (nothing sent) when no transaction is open.
        A failing statement aborts the rest of the text: the transaction is then left failed
        (still open), for the caller's rollback as after any error."""
        if self._transaction is None:
            return False
        async with self._execute_mutex:
            try:
                await self._end("COMMIT", prefix=f"{sql};")
            except Exception as error:
                self._handle_exception(error)
        return True

    def close(self) -> None:
        # PostgreSQL ends whatever transaction is open with the connection: none to begin
        self._ahead = None
        self._later = []
        if self._transaction is not None:
            super().rollback()
        await_only(self._connection.close())

    async def _async_ping(self) -> None:
        if self._ahead is not None or self._transaction is not None:
            await self._connection.fetchrow(";")
        else:
            await super()._async_ping()


class _DBAPI(AsyncAdapt_asyncpg_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> Connection:
        creator_fn = kw.pop("async_creator_fn", self.asyncpg.connect)
        cache_size = kw.pop("prepared_statement_cache_size", 100)
        name_func = kw.pop("prepared_statement_name_func", None)
        begin_ahead = bool(kw.pop("mercato_begin_ahead", True))
        return await_only(  # type: ignore[no-any-return]
            Connection.create(
                self,
                creator_fn(*arg, **kw),
                prepared_statement_cache_size=cache_size,
                prepared_statement_name_func=name_func,
                begin_ahead=begin_ahead,
            )
        )


class Dialect(TextSavepoints, PGDialect_asyncpg):
    """postgresql+asyncpg with the connections above (registered as postgresql.mercato_asyncpg)."""

    supports_statement_cache = True  # its statements compile as its parent's

    @classmethod
    def import_dbapi(cls) -> Any:
        return _DBAPI(__import__("asyncpg"))


dialect = Dialect
