"""The WAL checkpointer thread copies committed pages back into the database file by itself."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from mercato.db.checkpoint import Checkpointer


def test_committed_pages_reach_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the thread may copy pages back
    writer.execute("CREATE TABLE t (v BLOB)")
    size = os.path.getsize(path)
    checkpointer = Checkpointer(str(path), interval=0.05)
    checkpointer.start()
    try:
        writer.executemany("INSERT INTO t VALUES (?)", [(b"x" * 4000,) for _ in range(200)])
        # a loaded machine may see the file grow in more than one step: wait for all of it
        expected = size + 200 * 4000 // 2
        deadline = time.monotonic() + 10
        while os.path.getsize(path) <= expected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.path.getsize(path) > expected
    finally:
        checkpointer.stop()
        writer.close()
    assert not checkpointer._thread.is_alive()


def test_a_missing_file_is_never_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    checkpointer = Checkpointer(str(path), interval=0.02)
    checkpointer.start()
    time.sleep(0.1)
    checkpointer.stop()
    assert not path.exists()
