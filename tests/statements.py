"""Counting the SQL statements the database receives (bounded-query regression guards)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event

from mercato.db.session import Database


@asynccontextmanager
async def counting(db: Database, outbox: bool = False) -> AsyncIterator[list[str]]:
    """The statements sent inside the block, on the reader and the writer (the driver-level
    statements of `db.raw` included). Without `outbox`, the event outbox's own bookkeeping (which
    a background delivery may run meanwhile) is left out."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if outbox or "staged_job" not in statement:
            seen.append(statement)

    engines = {id(e.sync_engine): e.sync_engine for e in (db.reader, db.writer)}
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)
