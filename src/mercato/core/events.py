"""Events through an outbox: `emit` writes a `staged_job` row (Medusa's own outbox table) in the
caller's transaction; after commit, the bus delivers pending rows to subscribers and deletes them.

An event is never lost: a change and its event commit together, and a row stays until its handlers
ran (a failing handler is retried on the next pass, up to MAX_ATTEMPTS, then left for inspection).
Several processes may deliver at once: on PostgreSQL rows are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import pkgutil
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, event, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn

from mercato.core.ids import generate_id
from mercato.db import raw
from mercato.modules.system.models import StagedJob

log = logging.getLogger("mercato.events")

Handler = Callable[[str, dict[str, Any]], Awaitable[None]]
# Called once per delivery pass, before the handlers, with the pass's session and its events
# (name, data): a subscriber reads there in one statement what its handlers would read one
# event at a time, and keeps it in the session's `info` (which lives as long as the pass).
Prepare = Callable[[AsyncSession, list[tuple[str, dict[str, Any]]]], Awaitable[None]]
MAX_ATTEMPTS = 5

# The session a handler runs in: the delivery pass's own transaction (the one that deletes the
# staged job), so a handler's writes commit together with the event's removal (and, on SQLite,
# without waiting on the delivery's own write lock).
_DELIVERY_SESSION: ContextVar[AsyncSession | None] = ContextVar("mercato_delivery_session", default=None)


def delivery_session() -> AsyncSession | None:
    """Inside an event handler: the delivery transaction (flush, never commit); else None."""
    return _DELIVERY_SESSION.get()


def install_subscribers(bus: EventBus, settings: Any) -> None:
    """Subscribers of the domains: every `mercato.modules.<domain>.subscribers` module with an
    `install(bus, settings)` function is called once."""
    import mercato.modules as modules

    for info in sorted(pkgutil.iter_modules(modules.__path__), key=lambda i: i.name):
        name = f"mercato.modules.{info.name}.subscribers"
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        install = getattr(mod, "install", None)
        if callable(install):
            install(bus, settings)


# Events staged in a transaction wait in its session's info until the commit writes them (see
# OutboxSession): rows written there with one driver statement each cost a fraction of the ORM
# unit of work they went through, and no statement of a request reads them back.
_PENDING = "mercato_staged_events"
# set on a session whose commit wrote staged events: only then is the bus woken (see wrote_events)
_WROTE_EVENTS = "mercato_wrote_events"
# A request's session knows which events its bus's subscribers want (EventBus.observes): an event
# nobody subscribed to is not staged, as Medusa's local event bus emits it to no listener. A session
# without it (CLI, a delivery pass, tests' own) stages every event.
_OBSERVES = "mercato_observed_events"
_STAGED_JOB = StagedJob.__table__


def emit(
    tx: AsyncSession, event_name: str, data: dict[str, Any], options: dict[str, Any] | None = None
) -> None:
    """Stage an event in the caller's transaction (delivered only if that transaction commits).

    A savepoint that rolls back must drop the events staged inside it: take `staged_mark`
    before it and call `discard_staged` with it after the rollback."""
    observes: Callable[[str], bool] | None = tx.info.get(_OBSERVES)
    if observes is not None and not observes(event_name):
        return
    row = {"id": generate_id("job"), "event_name": event_name, "data": data, "options": options or {}}
    pending: list[dict[str, Any]] | None = tx.info.get(_PENDING)
    if pending is None:
        tx.info[_PENDING] = [row]
    else:
        pending.append(row)


def staged_mark(tx: AsyncSession) -> int:
    return len(tx.info.get(_PENDING) or ())


def discard_staged(tx: AsyncSession, mark: int) -> None:
    pending: list[dict[str, Any]] | None = tx.info.get(_PENDING)
    if pending:
        del pending[mark:]


# Rows other than events that a request writes last and nothing reads before the commit (an
# idempotency key's finished answer): written with the events.
_AT_COMMIT = "mercato_rows_at_commit"


@dataclass(frozen=True)
class Upsert:
    """INSERT … ON CONFLICT (`index`) DO UPDATE SET each of `columns` to the new row's, WHERE
    `where` (a condition on the table's existing row) holds."""

    index: tuple[str, ...]
    columns: tuple[str, ...]
    where: Any = None


def insert_at_commit(tx: AsyncSession, table: Any, row: dict[str, Any], upsert: Upsert | None = None) -> None:
    """Write `row` into `table` when the transaction commits, with its events (one statement
    with them on PostgreSQL); dropped if it rolls back. Every row of a table (and upsert) gives
    the same columns."""
    tx.info.setdefault(_AT_COMMIT, []).append((table, row, upsert))


_STAGED_COLUMNS = ("id", "event_name", "data", "options")
_INSERTS: dict[tuple[Any, ...], Any] = {}
_BATCH = 8

Group = tuple[Any, tuple[str, ...], list[dict[str, Any]], Upsert | None]
_DIALECT_INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def _insert_of(groups: list[Group], dialect: str) -> Any:
    """One statement inserting each group's rows (multi-row VALUES; the groups after the first
    as data-modifying CTEs), built once per shape."""
    key: tuple[Any, ...] = (dialect, *((t, columns, len(rows), up) for t, columns, rows, up in groups))
    stmt = _INSERTS.get(key)
    if stmt is None:
        parts = []
        for g, (table, columns, rows, upsert) in enumerate(groups):
            # typed: only the first row's parameters would take the columns' types (JSON encoding)
            values = [
                {c: bindparam(f"g{g}_{c}_{i}", type_=table.c[c].type) for c in columns}
                for i in range(len(rows))
            ]
            if upsert is None:
                parts.append(insert(table).values(values))
                continue
            part: Any = _DIALECT_INSERTS[dialect](table).values(values)
            parts.append(
                part.on_conflict_do_update(
                    index_elements=list(upsert.index),
                    set_={c: part.excluded[c] for c in upsert.columns},
                    where=upsert.where,
                )
            )
        first, *rest = parts
        ctes = [
            part.returning(*group[0].primary_key).cte(f"w{i}")
            for i, (part, group) in enumerate(zip(rest, groups[1:], strict=True))
        ]
        stmt = _INSERTS[key] = first.add_cte(*ctes) if ctes else first
    return stmt


def _params(groups: list[Group]) -> dict[str, Any]:
    return {
        f"g{g}_{c}_{i}": row[c]
        for g, (_table, columns, rows, _upsert) in enumerate(groups)
        for i, row in enumerate(rows)
        for c in columns
    }


async def write_staged(tx: AsyncSession, commit: bool = False) -> bool:
    """Write the transaction's staged events and rows at commit (called by the commit): on
    PostgreSQL one statement for up to eight events and the rows; on SQLite one per table.
    `commit`: the last statement may also COMMIT the transaction (raw.write_and_commit), which
    saves the COMMIT its own round trip; True when it did."""
    pending: list[dict[str, Any]] = tx.info.pop(_PENDING, None) or []
    later: list[tuple[Any, dict[str, Any], Upsert | None]] = tx.info.pop(_AT_COMMIT, None) or []
    groups: list[Group] = []
    if pending:
        tx.info[_WROTE_EVENTS] = True
        groups.append((_STAGED_JOB, _STAGED_COLUMNS, pending[:_BATCH], None))
    for table, row, upsert in later:
        if groups and groups[-1][0] is table and groups[-1][3] is upsert:
            groups[-1][2].append(row)
        else:
            groups.append((table, tuple(row), [row], upsert))
    conn = await raw.flushed(tx)
    dialect = conn.dialect.name
    if dialect == "postgresql":
        statements = [groups] if groups else []
    else:
        statements = [[group] for group in groups]
    pending = pending[_BATCH:]
    while pending:
        statements.append([(_STAGED_JOB, _STAGED_COLUMNS, pending[:_BATCH], None)])
        pending = pending[_BATCH:]
    last = len(statements) - 1
    for i, part in enumerate(statements):
        stmt, params = _insert_of(part, dialect), _params(part)
        if commit and i == last and await raw.write_and_commit(conn, stmt, params):
            return True
        await raw.execute(conn, stmt, params)
    return False


def wrote_events(tx: AsyncSession) -> bool:
    """Whether a commit of `tx` wrote staged events (the bus has something to deliver). A
    request that staged none need not wake it: a delivery pass is a transaction of its own."""
    return bool(tx.info.get(_WROTE_EVENTS))


class OutboxSession(AsyncSession):
    """The application's session: its commit first writes the events staged in it."""

    async def commit(self) -> None:
        if self.info.get(_PENDING) or self.info.get(_AT_COMMIT):
            # when the rows went out with the COMMIT, the session's commit below still runs
            # its bookkeeping and events; the driver then has nothing left to send
            await write_staged(self, commit=True)
        await super().commit()

    def _drop_staged(self) -> None:
        self.info.pop(_PENDING, None)
        self.info.pop(_AT_COMMIT, None)

    async def rollback(self) -> None:
        self._drop_staged()
        await super().rollback()

    async def close(self) -> None:
        self._drop_staged()
        await super().close()

    async def finish(self, commit: bool) -> None:
        """commit() (or rollback()) then close(), in one hop into the session's greenlet instead
        of two: the end of every request. The session is closed even when the commit fails."""
        if commit and (self.info.get(_PENDING) or self.info.get(_AT_COMMIT)):
            try:
                await write_staged(self, commit=True)
            except BaseException:
                await self.close()
                raise
        self._drop_staged()
        sync = self.sync_session

        def end() -> None:
            try:
                sync.commit() if commit else sync.rollback()
            finally:
                sync.close()

        await greenlet_spawn(end)


@event.listens_for(Session, "before_commit")
def _stage_leftovers(session: Session) -> None:
    """A commit that did not go through OutboxSession (a sync session): the events go through
    the ORM flush that follows this hook. A savepoint's release also calls it: the events wait
    for the transaction's own commit."""
    if session.get_nested_transaction() is not None:
        return
    pending: list[dict[str, Any]] | None = session.info.pop(_PENDING, None)
    if pending:
        session.add_all(StagedJob(**row) for row in pending)
    for table, row, upsert in session.info.pop(_AT_COMMIT, None) or ():
        if upsert is not None:
            raise RuntimeError("an upsert at commit needs OutboxSession's commit")
        session.execute(table.insert().values(row))


_DELIVERED = delete(StagedJob).where(StagedJob.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _pending_jobs(batch: int, sqlite: bool) -> Any:
    """The oldest `batch` staged jobs (their columns: a pass needs no ORM objects); on
    PostgreSQL those no other process is delivering. Built once."""
    job = StagedJob.__table__.c
    stmt = select(job.id, job.event_name, job.data, job.options).order_by(job.id).limit(batch)
    return stmt if sqlite else stmt.with_for_update(skip_locked=True)


class EventBus:
    def __init__(self, settings: Any | None = None) -> None:
        """With `settings`, the domains' subscribers (see `install_subscribers`) are installed."""
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._wildcards: list[Callable[[str], bool] | None] = []
        self._prepares: list[Prepare] = []
        self._wake = asyncio.Event()
        self.settings = settings
        if settings is not None:
            install_subscribers(self, settings)

    def subscribe(
        self,
        event_name: str,
        handler: Handler,
        wants: Callable[[str], bool] | None = None,
        prepare: Prepare | None = None,
    ) -> None:
        """`event_name` "*" receives every event; `wants` (for "*") names the events it acts on,
        so that the others need not be staged (see `observes`); `prepare` (see `Prepare`)."""
        self._handlers[event_name].append(handler)
        if event_name == "*":
            self._wildcards.append(wants)
        if prepare is not None:
            self._prepares.append(prepare)

    def observes(self, event_name: str) -> bool:
        """Whether a subscriber acts on `event_name`: only such events are staged by requests."""
        if self._handlers.get(event_name):
            return True
        return any(wants is None or wants(event_name) for wants in self._wildcards)

    def watch(self, tx: AsyncSession) -> None:
        """Stage in `tx` only the events a subscriber of this bus acts on."""
        tx.info[_OBSERVES] = self.observes

    def kick(self) -> None:
        self._wake.set()

    async def deliver_pending(self, db: Any, batch: int = 100) -> int:
        """Deliver up to `batch` staged events; returns how many were handled."""
        async with db.write_session() as tx:
            jobs = await raw.rows(tx, _pending_jobs(batch, db.is_sqlite), flush=False)
            if jobs and self._prepares:
                await self._prepare(tx, [(name, data) for _id, name, data, _options in jobs])
            done: list[str] = []
            for job_id, event_name, data, options in jobs:
                attempts = int((options or {}).get("attempts", 0))
                if attempts >= MAX_ATTEMPTS:
                    continue
                handlers = self._handlers.get(event_name, []) + self._handlers.get("*", [])
                token = _DELIVERY_SESSION.set(tx)
                try:
                    for handler in handlers:
                        await handler(event_name, data)
                except Exception:
                    log.exception("event %s (%s) failed, attempt %d", event_name, job_id, attempts + 1)
                    await raw.update_later(
                        tx,
                        _STAGED_JOB,
                        {"id": job_id},
                        {"options": {**(options or {}), "attempts": attempts + 1}},
                    )
                    continue
                finally:
                    _DELIVERY_SESSION.reset(token)
                done.append(job_id)
            if done:
                # one DELETE for the pass (the rows are this pass's: locked on PostgreSQL, and
                # SQLite has one writer), sent with the COMMIT on PostgreSQL
                await raw.execute_later(tx, _DELIVERED, {"ids": done})
            await tx.commit()
            return len(done)

    async def _prepare(self, tx: AsyncSession, events: list[tuple[str, dict[str, Any]]]) -> None:
        # a failure is logged: the handlers then read for themselves, as without the hook (on
        # PostgreSQL the failed statement aborts the pass, whose rows stay for the next one)
        for prepare in self._prepares:
            try:
                await prepare(tx, events)
            except Exception:
                log.exception("preparing an event delivery pass failed")

    async def run(
        self, db: Any, poll_seconds: float = 2.0, gather_seconds: float = 0.02, batch: int = 200
    ) -> None:
        """Deliver forever: woken after each committed write, and by a poll for other processes' rows.

        A wake-up waits `gather_seconds` before delivering, so that under load one pass (one
        transaction) delivers the events of many requests instead of one pass per request."""
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
                await asyncio.sleep(gather_seconds)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                while await self.deliver_pending(db, batch) >= batch:
                    pass
            except Exception:
                log.exception("event delivery pass failed")
