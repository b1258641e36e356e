"""Events through an outbox: `emit` writes a `staged_job` row (Medusa's own outbox table) in the
caller's transaction; after commit, the bus delivers pending rows to subscribers and deletes them.

An event is never lost: a change and its event commit together, and a row stays until its handlers
ran (a failing handler is retried on the next pass, up to MAX_ATTEMPTS, then left for inspection).
Several processes may deliver at once: on PostgreSQL rows are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.modules.system.models import StagedJob

log = logging.getLogger("mercato.events")

Handler = Callable[[str, dict[str, Any]], Awaitable[None]]
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


def emit(
    tx: AsyncSession, event_name: str, data: dict[str, Any], options: dict[str, Any] | None = None
) -> None:
    """Stage an event in the caller's transaction (delivered only if that transaction commits)."""
    tx.add(StagedJob(event_name=event_name, data=data, options=options or {}))


class EventBus:
    def __init__(self, settings: Any | None = None) -> None:
        """With `settings`, the domains' subscribers (see `install_subscribers`) are installed."""
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._wake = asyncio.Event()
        self.settings = settings
        if settings is not None:
            install_subscribers(self, settings)

    def subscribe(self, event_name: str, handler: Handler) -> None:
        """`event_name` "*" receives every event."""
        self._handlers[event_name].append(handler)

    def kick(self) -> None:
        self._wake.set()

    async def deliver_pending(self, db: Any, batch: int = 100) -> int:
        """Deliver up to `batch` staged events; returns how many were handled."""
        async with db.write_session() as tx:
            stmt = select(StagedJob).order_by(StagedJob.id).limit(batch)
            if not db.is_sqlite:
                stmt = stmt.with_for_update(skip_locked=True)
            jobs = list((await tx.execute(stmt)).scalars())
            done: list[str] = []
            for job in jobs:
                attempts = int((job.options or {}).get("attempts", 0))
                if attempts >= MAX_ATTEMPTS:
                    continue
                handlers = self._handlers.get(job.event_name, []) + self._handlers.get("*", [])
                token = _DELIVERY_SESSION.set(tx)
                try:
                    for handler in handlers:
                        await handler(job.event_name, job.data)
                except Exception:
                    log.exception("event %s (%s) failed, attempt %d", job.event_name, job.id, attempts + 1)
                    job.options = {**(job.options or {}), "attempts": attempts + 1}
                    continue
                finally:
                    _DELIVERY_SESSION.reset(token)
                done.append(job.id)
            if done:
                # one DELETE for the pass (the rows are this pass's: locked on PostgreSQL, and
                # SQLite has one writer)
                await tx.execute(
                    delete(StagedJob)
                    .where(StagedJob.id.in_(done))
                    .execution_options(synchronize_session=False)
                )
            await tx.commit()
            return len(done)

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
