"""mercato.workers: several processes on one port, each with its own listening socket, so that
connections opened at once are spread over the processes (uvicorn's shared socket often gave
them all to one)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from mercato import workers

pytestmark = pytest.mark.skipif(not workers.supported(), reason="SO_REUSEPORT (Linux) only")

_ROOT = str(Path(__file__).resolve().parents[2])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int) -> subprocess.Popen[bytes]:
    code = (
        "from mercato import workers; "
        f"workers.run('127.0.0.1', {port}, 2, app='tests.core.workers_app:app', factory=False, "
        "log_level='warning')"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=_ROOT, stderr=subprocess.PIPE)


def test_connections_are_spread_over_the_processes_and_a_taken_port_is_refused() -> None:
    port = _free_port()
    server = _start(port)
    try:
        pids: set[str] = set()
        deadline = time.monotonic() + 30
        while len(pids) < 2 and time.monotonic() < deadline:
            try:
                # a new connection each time: the kernel picks a process per connection
                with httpx.Client(timeout=2) as client:
                    pids.add(client.get(f"http://127.0.0.1:{port}/").text)
            except httpx.TransportError:
                time.sleep(0.2)  # the workers are still starting
        assert len(pids) == 2

        second = _start(port)
        _out, err = second.communicate(timeout=30)
        assert second.returncode != 0
        assert b"Address already in use" in err
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0


def test_default_count_is_one_per_core_within_the_connection_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    # PostgreSQL's default max_connections (100, 3 reserved): room for two pools of 40
    assert workers.default_count(97, 40) == 2
    assert workers.default_count(1000, 40) == 4  # as many as cores
    assert workers.default_count(30, 40) == 1  # never none
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0})
    assert workers.default_count(1000, 40) == 1


async def test_free_connections_are_read_from_the_server(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's max_connections")
    from mercato.db.session import free_connections

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            limit = int((await conn.exec_driver_sql("SHOW max_connections")).scalar_one())
            reserved = int((await conn.exec_driver_sql("SHOW superuser_reserved_connections")).scalar_one())
            free = await free_connections(database_url)
    finally:
        await engine.dispose()
    # this test's own connection is open: fewer free than the limit; the suite holds far fewer
    # than a hundred others
    assert limit - reserved - 100 < free < limit - reserved
