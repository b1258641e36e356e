"""Events through an outbox: `emit` writes a `staged_job` row (Medusa's own outbox table) in the
caller's transaction; after commit, the bus delivers pending rows to subscribers and deletes them.

An event is never lost: a change and its event commit together, and a row stays until its handlers
ran (a failing handler is retried on the next pass, up to MAX_ATTEMPTS, then left for inspection).
Several processes may deliver at once: on PostgreSQL rows are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.modules.system.models import StagedJob

log = logging.getLogger("mercato.events")

Handler = Callable[[str, dict[str, Any]], Awaitable[None]]
MAX_ATTEMPTS = 5


def emit(
    tx: AsyncSession, event_name: str, data: dict[str, Any], options: dict[str, Any] | None = None
) -> None:
    """Stage an event in the caller's transaction (delivered only if that transaction commits)."""
    tx.add(StagedJob(event_name=event_name, data=data, options=options or {}))


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._wake = asyncio.Event()

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
            handled = 0
            for job in jobs:
                attempts = int((job.options or {}).get("attempts", 0))
                if attempts >= MAX_ATTEMPTS:
                    continue
                try:
                    for handler in self._handlers.get(job.event_name, []) + self._handlers.get("*", []):
                        await handler(job.event_name, job.data)
                except Exception:
                    log.exception("event %s (%s) failed, attempt %d", job.event_name, job.id, attempts + 1)
                    job.options = {**(job.options or {}), "attempts": attempts + 1}
                    continue
                await tx.delete(job)
                handled += 1
            await tx.commit()
            return handled

    async def run(self, db: Any, poll_seconds: float = 2.0) -> None:
        """Deliver forever: woken after each committed write, and by a poll for other processes' rows."""
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                while await self.deliver_pending(db) > 0:
                    pass
            except Exception:
                log.exception("event delivery pass failed")
