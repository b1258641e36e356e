"""Core statements run straight on the driver connection of a session's transaction.

SQLAlchemy spends ~100–150 µs of Python on every execution of a cached Core statement (cache
key, execution context, parameter and result set-up, greenlet hops) — more than SQLite or a
local PostgreSQL needs to answer it. The hot paths (cart and order trees, checkout writes) run
the same few statements thousands of times, so this module compiles each statement once per
dialect and afterwards only binds its parameters and runs the SQL text on the driver:

- SQLite (`mercato.db.sqlite_inline`): sqlite3 on the loop's thread, with the driver's
  lock-wait retry;
- PostgreSQL (asyncpg): the prepared statement SQLAlchemy's adapter caches for the
  connection, under its execution lock, inside its transaction.

The statement still runs on the session's connection, so it sees (and is part of) the
transaction, and pending ORM changes must be flushed first by the caller when it reads rows
they touch. Bind and result values go through the column types' own processors, so rows come
back as a Core result would give them. `before_cursor_execute` listeners are called, so the
tests that count statements count these too.

Statements must be built once and kept (module constants or cached): plans are keyed by the
statement object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, exc, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.attributes import set_committed_value

from mercato.core.clock import utcnow
from mercato.core.ids import generate_id
from mercato.db import sqlite_inline

_EXPAND = "__[POSTCOMPILE_{}]"
_NUMBERED = re.compile(r"\$\d+|__\[POSTCOMPILE_(\w+)\]")
_QMARK = re.compile(r"\?|__\[POSTCOMPILE_(\w+)\]")


class _Plan:
    __slots__ = (
        "binds",
        "columns",
        "constants",
        "dialect",
        "empty",
        "expanding",
        "names",
        "results",
        "sql",
        "sized",
        "stmt",
    )

    def __init__(self, stmt: Any, dialect: Any) -> None:
        compiled: Any = stmt.compile(dialect=dialect)
        self.stmt = stmt  # keeps the key (an id) alive
        self.sql: str = compiled.string
        self.names: list[str] = list(compiled.positiontup or ())
        self.expanding = {n for n in self.names if _EXPAND.format(n) in self.sql}
        self.empty = {
            compiled.bind_names[b]: dialect.type_compiler_instance.process(b.type)
            for b in compiled.binds.values()
            if compiled.bind_names.get(b) in self.expanding
        }
        # values built into the statement (LIMIT 1, literals compared to): bound as compiled
        self.constants = {n: b.effective_value for n, b in compiled.binds.items() if not b.required}
        self.binds: dict[str, Any] = {k: v for k, v in compiled._bind_processors.items() if v is not None}
        self.dialect = dialect
        self.columns = [col.type for col in compiled._result_columns]
        # PostgreSQL's processors depend on the column's type oid, known once prepared
        self.results: list[tuple[int, Any]] | None = (
            None if dialect.name == "postgresql" else self._processors(None)
        )
        self.sized: dict[tuple[int, ...], str] = {}

    def bind(self, params: Mapping[str, Any], numbered: bool) -> tuple[str, list[Any]]:
        args: list[Any] = []
        sizes: dict[str, int] = {}
        for name in self.names:
            value = params[name] if name in params else self.constants[name]
            proc = self.binds.get(name)
            if name in self.expanding:
                values = list(value)
                sizes[name] = len(values)
                args.extend(proc(v) if proc is not None and v is not None else v for v in values)
            else:
                args.append(proc(value) if proc is not None and value is not None else value)
        if not self.expanding:
            return self.sql, args
        key = tuple(sizes.values())
        sql = self.sized.get(key)
        if sql is None:
            sql = self._expand(sizes, numbered)
            if len(self.sized) < 64:
                self.sized[key] = sql
        return sql, args

    def _expand(self, sizes: dict[str, int], numbered: bool) -> str:
        """The SQL for lists of these sizes: one placeholder per value (numbered anew, in text
        order, on PostgreSQL); an empty list gives an IN that is never true, as Core's."""
        position = 0

        def slot() -> str:
            nonlocal position
            position += 1
            return f"${position}" if numbered else "?"

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name is None:
                return slot()
            if not sizes[name]:
                return f"SELECT CAST(NULL AS {self.empty[name]}) WHERE 1 != 1"
            return ", ".join(slot() for _ in range(sizes[name]))

        return (_NUMBERED if numbered else _QMARK).sub(sub, self.sql)

    def _processors(self, oids: Sequence[Any] | None) -> list[tuple[int, Any]]:
        found = []
        for i, kind in enumerate(self.columns):
            proc = kind._cached_result_processor(self.dialect, oids[i] if oids is not None else None)
            if proc is not None:
                found.append((i, proc))
        return found

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
        if not self.results:
            return raw  # type: ignore[return-value]
        out: list[Sequence[Any]] = []
        for row in raw:
            values = list(row)
            for i, proc in self.results:
                values[i] = proc(values[i])
            out.append(values)
        return out


_PLANS: dict[tuple[int, str], _Plan] = {}


def _plan(stmt: Any, dialect: Any) -> _Plan:
    key = (id(stmt), dialect.name)
    plan = _PLANS.get(key)
    if plan is None or plan.stmt is not stmt:
        plan = _PLANS[key] = _Plan(stmt, dialect)
    return plan


def _announce(conn: AsyncConnection, sql: str, args: list[Any]) -> None:
    sync = conn.sync_connection
    if sync is not None and (sync._has_events or sync.engine._has_events):
        for listener in sync.dispatch.before_cursor_execute:
            listener(sync, None, sql, args, None, False)


async def _run(conn: AsyncConnection, stmt: Any, params: Mapping[str, Any]) -> tuple[list[Any], int, _Plan]:
    dialect = conn.dialect
    plan = _plan(stmt, dialect)
    # the pooled connection of a begun Connection is at hand; get_raw_connection() would cost a
    # greenlet switch per statement to read the same attribute
    sync = conn.sync_connection
    pooled: Any = sync._dbapi_connection if sync is not None else None
    if pooled is None:
        pooled = await conn.get_raw_connection()
    adapted: Any = pooled.dbapi_connection
    sql, args = plan.bind(params, dialect.name != "sqlite")
    _announce(conn, sql, args)
    try:
        if dialect.name == "sqlite":
            driver: sqlite_inline.Connection = adapted._connection
            cursor = driver._conn.cursor()
            try:
                await sqlite_inline._retrying(lambda: cursor.execute(sql, args), driver._timeout)
                return cursor.fetchall(), cursor.rowcount, plan
            finally:
                cursor.close()
        async with adapted._execute_mutex:
            if adapted._transaction is None:
                await adapted._start_transaction()
            try:
                prepared, attributes = await adapted._prepare(sql, dialect._invalidate_schema_cache_asof)  # type: ignore[attr-defined]
                if plan.results is None:
                    plan.results = plan._processors([a.type.oid for a in attributes] if attributes else None)
                records = await prepared.fetch(*args)
                status = prepared.get_statusmsg() or ""
            except Exception as error:
                adapted._handle_exception(error)
                raise
    except dialect.loaded_dbapi.Error as error:
        # as Core raises it: sqlalchemy.exc.IntegrityError for a unique violation, and so on
        base = dialect.loaded_dbapi.Error
        raise exc.DBAPIError.instance(sql, args, error, base, dialect=dialect) from error
    count = int(status.rsplit(" ", 1)[-1]) if status[-1:].isdigit() else -1
    return records, count, plan


_PLACEHOLDER = re.compile(r"\$(\d+)")


def _literal(value: Any) -> str | None:
    """`value` (already through its column's bind processor) as a PostgreSQL literal, or None
    when it has no literal form here. Strings are quoted by doubling quotes, which is the whole
    escaping under standard_conforming_strings (checked on the connection before use)."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    if type(value) is int:
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return None  # its meaning would depend on the session's TimeZone
        value = value.isoformat()
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, Decimal) and value.is_finite():
        return str(value)
    if type(value) is not str or "\x00" in value:
        return None
    return "'" + value.replace("'", "''") + "'"


def _inlined(plan: _Plan, params: Mapping[str, Any]) -> str | None:
    """The statement's SQL with its parameters written in as literals (None if one cannot)."""
    sql, args = plan.bind(params, True)
    literals = [_literal(value) for value in args]
    if None in literals:
        return None
    # the compiled text holds no literal of its own: every `$n` is a parameter
    return _PLACEHOLDER.sub(lambda m: literals[int(m.group(1)) - 1], sql)  # type: ignore[return-value, arg-type]


def _on_literals(conn: AsyncConnection, stmt: Any, params: Mapping[str, Any]) -> tuple[Any, str] | None:
    """PostgreSQL through db.pg_driver: its connection and `stmt` with `params` written in as
    literals (see _literal); None where that does not apply (another database, a value without
    a literal form)."""
    sync = conn.sync_connection
    if conn.dialect.name != "postgresql" or sync is None:
        return None
    pooled: Any = sync._dbapi_connection
    adapted: Any = pooled.dbapi_connection if pooled is not None else None
    if (
        not hasattr(adapted, "defer")
        or adapted._connection.get_settings().standard_conforming_strings != "on"
    ):
        return None
    sql = _inlined(_plan(stmt, conn.dialect), params)
    return None if sql is None else (adapted, sql)


async def write_and_commit(conn: AsyncConnection, stmt: Any, params: Mapping[str, Any]) -> bool:
    """PostgreSQL: run a kept INSERT/UPDATE (its rows not needed) and COMMIT the transaction in
    the same round trip (see `db.pg_driver`): one simple-protocol query text, the parameters
    written in as literals. The COMMIT is otherwise a round trip of its own after the request's
    last write, on every write request. False (nothing sent) where this does not apply: another
    database or driver, a savepoint open, or a value without a literal form; the caller then
    runs the statement and commits as usual. The caller's session still commits afterwards
    (its bookkeeping and events), which then sends nothing: no transaction is left open."""
    sync = conn.sync_connection
    found = (
        _on_literals(conn, stmt, params) if sync is not None and not sync.in_nested_transaction() else None
    )
    if found is None:
        return False
    adapted, sql = found
    _announce(conn, f"{sql};COMMIT", [])
    dialect = conn.dialect
    try:
        return await adapted.write_and_commit(sql)  # type: ignore[no-any-return]
    except dialect.loaded_dbapi.Error as error:
        raise exc.DBAPIError.instance(sql, [], error, dialect.loaded_dbapi.Error, dialect=dialect) from error


async def _write_later(tx: AsyncSession, stmt: Any, params: Mapping[str, Any], flush: bool = True) -> None:
    conn = await flushed(tx) if flush else await connection(tx)
    found = _on_literals(conn, stmt, params)
    if found is None:
        await execute(conn, stmt, params)
        return
    adapted, sql = found
    _announce(conn, sql, [])
    await adapted.defer(sql)


async def execute_later(tx: AsyncSession, stmt: Any, params: Mapping[str, Any]) -> None:
    """execute (its row count not needed) sent as insert_later sends its row."""
    await _write_later(tx, stmt, params)


async def insert_later(
    tx: AsyncSession, table: Any, values: Mapping[str, Any], *, flush: bool = True
) -> None:
    """insert_row for a row that no statement needs before the transaction's next one: on
    PostgreSQL it goes out with that statement's round trip (db.pg_driver.Connection.defer),
    elsewhere now. A failure (a constraint) then surfaces at that next statement: not for
    writes whose errors a caller handles."""
    await _write_later(tx, _write_statement(table, "insert", tuple(values), ()), values, flush)


async def update_later(
    tx: AsyncSession, table: Any, where: Mapping[str, Any], values: Mapping[str, Any]
) -> None:
    """update_where whose row count nothing needs, sent as insert_later sends its row."""
    params = dict(values)
    for name, value in where.items():
        params[f"w_{name}"] = value
    await _write_later(tx, _write_statement(table, "update", tuple(values), tuple(where)), params)


async def fetch_all(conn: AsyncConnection, stmt: Any, params: Mapping[str, Any]) -> list[Sequence[Any]]:
    """The rows of `stmt` (a kept Core statement) with `params`, values processed as Core's."""
    records, _count, plan = await _run(conn, stmt, params)
    return plan.rows(records)


async def execute(conn: AsyncConnection, stmt: Any, params: Mapping[str, Any]) -> int:
    """Run a kept INSERT/UPDATE/DELETE; the number of rows it matched."""
    _records, count, _plan_ = await _run(conn, stmt, params)
    return count


# ---- on a session --------------------------------------------------------------------------


def _must_flush(session: Any) -> bool:
    # the sets behind Session.new/deleted/dirty: those properties build a collection each time
    # (dirty checks every modified object), and this runs before every statement; an object
    # in `_modified` that turns out unchanged only costs a flush that writes nothing
    return bool(session._new or session._deleted or session.identity_map._modified)


async def flushed(tx: AsyncSession) -> AsyncConnection:
    """connection(tx) after pending ORM changes were flushed, as the ORM's autoflush would."""
    if _must_flush(tx.sync_session):
        await tx.flush()
    return await connection(tx)


async def connection(tx: AsyncSession) -> AsyncConnection:
    """The session's connection (its transaction begun), remembered for the transaction: asking
    the session each time costs a greenlet switch. Inside a savepoint (`begin_nested`) the
    session is asked once more, which emits the SAVEPOINT: SQLAlchemy emits it lazily, and a
    statement run before it would escape the savepoint's rollback."""
    sync = tx.sync_session
    current = (sync.get_transaction(), sync.get_nested_transaction())
    found = tx.info.get(_CONN)
    if found is not None and current[0] is not None and found[0] == current:
        return found[1]  # type: ignore[no-any-return]
    conn = await tx.connection()
    tx.info[_CONN] = ((sync.get_transaction(), sync.get_nested_transaction()), conn)
    return conn


_CONN = "mercato_raw_connection"
_WRITES: dict[tuple[Any, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def _write_statement(table: Any, kind: str, keys: tuple[str, ...], where: tuple[str, ...]) -> Any:
    key = (table, kind, keys, where)
    stmt = _WRITES.get(key)
    if stmt is None:
        if kind == "insert":
            stmt = table.insert().values({k: bindparam(k) for k in keys})
        else:
            conditions = [table.c[w] == bindparam(f"w_{w}") for w in where]
            stmt = table.update().where(*conditions).values({k: bindparam(k) for k in keys})
        _WRITES[key] = stmt
    return stmt


async def insert_row(tx: AsyncSession, table: Any, values: Mapping[str, Any], *, flush: bool = True) -> None:
    """INSERT one row of a Core table (every value given: no ORM defaults run here). `flush`
    False: a row no pending ORM change can concern (a new row referring to none of them)."""
    stmt = _write_statement(table, "insert", tuple(values), ())
    await execute(await flushed(tx) if flush else await connection(tx), stmt, values)


async def update_where(
    tx: AsyncSession, table: Any, where: Mapping[str, Any], values: Mapping[str, Any]
) -> int:
    """UPDATE `table` SET values WHERE each `where` column equals its value; rows matched."""
    stmt = _write_statement(table, "update", tuple(values), tuple(where))
    params = dict(values)
    for name, value in where.items():
        params[f"w_{name}"] = value
    return await execute(await flushed(tx), stmt, params)


async def rows(
    tx: AsyncSession, stmt: Any, params: Mapping[str, Any] | None = None, *, flush: bool = True
) -> list[Sequence[Any]]:
    """fetch_all on the session's connection, pending ORM changes flushed first (`flush` False:
    for tables no ORM change of a request touches, such as reference data)."""
    return await fetch_all(await flushed(tx) if flush else await connection(tx), stmt, params or {})


class _Shape:
    """A mapped class's table, the attribute of each column, and its primary key."""

    __slots__ = ("attr", "defaulted", "manager", "pk", "table")

    def __init__(self, model: Any) -> None:
        mapper: Any = inspect(model)
        self.table = mapper.local_table
        self.attr = {c.name: mapper.get_property_by_column(c).key for c in self.table.c}
        self.defaulted = [c.name for c in self.table.c if c.server_default is not None]
        self.manager = mapper.class_manager
        self.pk = [c.name for c in self.table.primary_key]

    def instance(self, values: Mapping[str, Any]) -> Any:
        """A new instance holding `values` (by column name) as loaded."""
        if self.manager.mapper.configured is False:
            # made without the ORM's queries, which configure the mappers first: an unconfigured
            # mapper has no attribute implementations to set values through (the shapes are
            # built at import, before every model is known, so this waits for the first use)
            configure_mappers()
        obj = self.manager.new_instance()
        # a new instance has no history to reset: its loaded values go straight into its dict,
        # as the ORM's loading does (set_committed_value per column cost ~3 calls each)
        held = obj.__dict__
        for name, key in self.attr.items():
            held[key] = values.get(name)
        return obj


_SHAPES: dict[Any, _Shape] = {}


def _shape(model: Any) -> _Shape:
    shape = _SHAPES.get(model)
    if shape is None:
        shape = _SHAPES[model] = _Shape(model)
    return shape


async def insert_entity(
    tx: AsyncSession, model: Any, values: Mapping[str, Any], *, later: bool = False
) -> Any:
    """INSERT one row of a mapped class (values by column name) and return it as an instance
    outside the session (see Entities). The id and the created_at/updated_at columns are filled
    when not given, as the ORM's insert hook (db.base) fills them; every other column the
    database would default must be given, so that the instance holds what the row holds.
    `later`: sent as insert_later sends its row."""
    row = new_row(model, values)
    if later:
        await insert_later(tx, _shape(model).table, row)
    else:
        await insert_row(tx, _shape(model).table, row)
    return instance_of(model, row)


def insert_cte(table: Any, columns: Sequence[str], prefix: str, name: str) -> Any:
    """A data-modifying CTE inserting one row of `table`: each of `columns` bound to the
    parameter `<prefix><column>` (typed as the column), the row's primary key returned. For a
    statement that writes several rows in one round trip; foreign keys between them are checked
    at the statement's end."""
    values = {c: bindparam(f"{prefix}{c}", type_=table.c[c].type) for c in columns}
    key = next(iter(table.primary_key))
    return table.insert().values(values).returning(key).cte(name)


_COMPUTED: dict[tuple[Any, ...], Any] = {}


async def insert_entity_computing(
    tx: AsyncSession,
    model: Any,
    values: Mapping[str, Any],
    computed: Mapping[str, Any],
    *,
    with_row: tuple[Any, Mapping[str, Any]] | None = None,
) -> Any:
    """insert_entity where the columns of `computed` take SQL expressions the database
    evaluates (a sequence's nextval), read back in the same statement (RETURNING). `computed`
    must be the same expressions for the same names at every call (the statement is kept).
    `with_row`: (table, row by column name) inserted by the same statement (PostgreSQL: a
    data-modifying CTE; foreign keys between the two rows are checked at its end)."""
    shape = _shape(model)
    row = new_row(model, {**values, **dict.fromkeys(computed)})
    given = tuple(k for k in row if k not in computed)
    other = (with_row[0], tuple(with_row[1])) if with_row is not None else None
    key = (shape.table, given, tuple(computed), other)
    stmt = _COMPUTED.get(key)
    if stmt is None:
        table = shape.table
        stmt = (
            table.insert()
            .values({**{k: bindparam(k) for k in given}, **computed})
            .returning(*(table.c[name] for name in computed))
        )
        if other is not None:
            stmt = stmt.add_cte(insert_cte(other[0], other[1], "with_", "with_row"))
        _COMPUTED[key] = stmt
    params = {k: row[k] for k in given}
    if with_row is not None:
        params.update({f"with_{n}": v for n, v in with_row[1].items()})
    found = await fetch_all(await flushed(tx), stmt, params)
    row.update(zip(computed, found[0], strict=True))
    return instance_of(model, row)


def new_row(model: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """The row insert_entity writes for `values`: the id and timestamps filled, every column
    the database would default given (else ValueError)."""
    shape = _shape(model)
    row = dict(values)
    prefix = getattr(model, "__id_prefix__", None)
    if prefix and not row.get("id"):
        row["id"] = generate_id(prefix)
    now = utcnow()
    for name in ("created_at", "updated_at"):
        if name in shape.attr and row.get(name) is None:
            row[name] = now
    missing = [name for name in shape.defaulted if name not in row]
    if missing:
        raise ValueError(f"{shape.table.name}: give {', '.join(missing)} (the database defaults them)")
    return row


def instance_of(model: Any, row: Mapping[str, Any]) -> Any:
    """An instance (outside the session) holding a row written with its every column."""
    return _shape(model).instance(row)


async def update_entity(
    tx: AsyncSession, obj: Any, values: Mapping[str, Any], *, later: bool = False
) -> None:
    """UPDATE an instance's row (values by column name) and hold the new values on it as loaded:
    for a session's object, no change is left pending; for one outside it, it reads the row.
    `later`: sent as update_later sends it."""
    shape = _shape(type(obj))
    where = {name: getattr(obj, shape.attr[name]) for name in shape.pk}
    if later:
        await update_later(tx, shape.table, where, values)
    else:
        await update_where(tx, shape.table, where, values)
    hold(obj, values)


def hold(obj: Any, values: Mapping[str, Any]) -> None:
    """Values (by column name) its row was given elsewhere, held on an instance as loaded."""
    attr = _shape(type(obj)).attr
    for name, value in values.items():
        set_committed_value(obj, attr[name], value)


def committed(obj: Any) -> dict[str, Any]:
    """An instance's column values by column name: what write_changes compares with."""
    shape = _shape(type(obj))
    return {name: getattr(obj, key) for name, key in shape.attr.items()}


async def write_changes(
    tx: AsyncSession, obj: Any, before: Mapping[str, Any], *, later: bool = False
) -> None:
    """UPDATE the columns of an instance outside the session (Entities) that differ from
    `before` (committed(obj) when it was read), in one statement; nothing when none do."""
    now = committed(obj)
    changed = {name: value for name, value in now.items() if value != before[name]}
    if changed:
        await update_entity(tx, obj, changed, later=later)


class Entities:
    """A kept SELECT of a mapped class's columns whose rows come back as instances outside the
    session, carrying their values as loaded. They read like loaded objects (`present` takes
    them) but nothing set on one is written: for rows a request only reads."""

    __slots__ = ("names", "shape", "stmt")

    def __init__(
        self,
        model: Any,
        *where: Any,
        order_by: Sequence[Any] = (),
        for_update: bool = False,
        extra: Sequence[Any] = (),
        join: Sequence[tuple[Any, Any]] = (),
    ) -> None:
        """`extra`: more columns read with each row (see first_with), from the model's table or
        from the tables of `join` ((table, on clause) pairs, inner joins). `for_update` locks
        the joined tables' rows too, after the model's."""
        self.shape = _shape(model)
        self.names = list(self.shape.attr)
        stmt = select(*self.shape.table.c, *extra)
        for target, onclause in join:
            stmt = stmt.join(target, onclause)
        stmt = stmt.where(*where).order_by(*order_by)
        # FOR UPDATE on PostgreSQL (SQLite's compiler leaves it out: its writers are serialized)
        locked = [self.shape.table, *(target for target, _on in join)]
        self.stmt = stmt.with_for_update(of=locked) if for_update else stmt

    def _made(self, row: Sequence[Any]) -> Any:
        return self.shape.instance(dict(zip(self.names, row[: len(self.names)], strict=True)))

    async def first_with(self, tx: AsyncSession, params: Mapping[str, Any]) -> tuple[Any, Sequence[Any]]:
        """The first row's instance (None if no row) and its `extra` values."""
        found = await rows(tx, self.stmt, params)
        if not found:
            return None, ()
        return self._made(found[0]), found[0][len(self.names) :]

    async def all(self, tx: AsyncSession, params: Mapping[str, Any]) -> list[Any]:
        return [self._made(row) for row in await rows(tx, self.stmt, params)]

    async def first(self, tx: AsyncSession, params: Mapping[str, Any]) -> Any | None:
        found = await rows(tx, self.stmt, params)
        return self._made(found[0]) if found else None
