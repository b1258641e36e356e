"""SQLite's write-ahead log copied back into the database file off the request path.

SQLite checkpoints the WAL itself, inside the commit that crosses `wal_autocheckpoint` pages:
that commit then copies the log into the database file and syncs both, 2-6 ms on the event
loop's thread instead of ~35 µs, once every fifty or so write requests (the p99 of a write).
Here a thread of its own, with its own connection, runs a PASSIVE checkpoint every half second
(it never waits for, nor blocks, readers and the writer); sqlite3 releases the GIL for the copy,
so it runs on another core. The writer's automatic checkpoint stays as a safety net, at a size
the thread normally never lets the log reach.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("mercato.db")

# pages (4 KiB): ~40 MiB of log before the writer checkpoints by itself
SAFETY_NET_PAGES = 10_000


class Checkpointer:
    def __init__(self, path: str, interval: float = 0.5) -> None:
        self.path = path
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mercato-wal-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        # the file may not exist yet (before the first migration): never create it from here
        while conn is None:
            if self._stop.wait(self.interval):
                return
            try:
                conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=0, isolation_level=None)
            except sqlite3.Error:
                conn = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.OperationalError:
                    continue  # another checkpoint is running (busy): the next pass will do
        finally:
            conn.close()
