"""The SQLite driver that runs sqlite3 on the event loop's thread (mercato.db.sqlite_inline):
a lock held by another connection is waited for without stopping the loop, and a statement
that fails for another reason fails at once."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from mercato.db.session import create_database


async def _count(db: object, sql: str) -> int:
    async with db.read_session() as tx:  # type: ignore[attr-defined]
        return int((await tx.execute(text(sql))).scalar_one())


async def test_a_writer_waits_for_another_connections_lock_while_the_loop_runs(tmp_path: Path) -> None:
    path = tmp_path / "inline.db"
    db = create_database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.write_session() as tx:
            await tx.execute(text("CREATE TABLE t (x INTEGER)"))
            await tx.commit()
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process's writer, say the CLI
        other.execute("INSERT INTO t VALUES (1)")

        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        async def write() -> None:
            async with db.write_session() as tx:
                await tx.execute(text("INSERT INTO t VALUES (2)"))
                await tx.commit()

        clock = asyncio.create_task(ticker())
        writer = asyncio.create_task(write())
        await asyncio.sleep(0.3)
        assert not writer.done(), "the writer went through a held lock"
        assert ticks >= 10, f"the loop stalled while the writer waited ({ticks} ticks in 0.3 s)"
        # readers are not held up either (WAL)
        assert await _count(db, "SELECT count(*) FROM t") == 0
        other.execute("COMMIT")
        await asyncio.wait_for(writer, 5)
        clock.cancel()
        other.close()
        assert await _count(db, "SELECT count(*) FROM t") == 2
    finally:
        await db.dispose()


async def test_an_error_that_is_not_a_lock_is_not_retried(tmp_path: Path) -> None:
    db = create_database(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}")
    try:
        async with db.write_session() as tx:
            with pytest.raises(OperationalError, match="no such table"):
                await asyncio.wait_for(tx.execute(text("INSERT INTO missing VALUES (1)")), 1)
    finally:
        await db.dispose()


async def test_connections_keep_a_shop_sized_page_cache_and_map_the_file(tmp_path: Path) -> None:
    """SQLite's default 2 MiB page cache made the writer read evicted pages back with a system
    call each, and statement journals went to temp files; every connection (writer and
    readers) gets the larger cache, the mapping and its temp storage in memory."""
    db = create_database(f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}")
    try:
        for session in (db.write_session, db.read_session):
            async with session() as tx:
                assert (await tx.execute(text("PRAGMA cache_size"))).scalar_one() == -32768
                assert (await tx.execute(text("PRAGMA mmap_size"))).scalar_one() == 268435456
                assert (await tx.execute(text("PRAGMA temp_store"))).scalar_one() == 2  # MEMORY
    finally:
        await db.dispose()
