"""Several server processes on one port, each with its own listening socket (SO_REUSEPORT).

uvicorn's own `workers` share one listening socket: whichever process wakes first accepts every
connection that is waiting, so a client that opens its keep-alive connections at once (a load
test, a storefront's server-side renderer) often has all of them served by one process while
the other idles. With a socket per process, the kernel spreads new connections over the
processes by a hash of their addresses.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
from typing import Any

_APP = "mercato.app:create_server_app"


def _socket(host: str, port: int, *, shared: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _listen(host: str, port: int) -> socket.socket:
    sock = _socket(host, port, shared=True)
    sock.listen(2048)
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    options = {"factory": True, **options}
    config = uvicorn.Config(options.pop("app", _APP), host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[_listen(host, port)])


def supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


# connections left for everything but the servers: psql, a migration, a backup, a second deploy
SPARE_CONNECTIONS = 10


def default_count(free_connections: int, per_process: int) -> int:
    """Processes `mercato serve` runs on PostgreSQL when not told: one per CPU core it may use
    (a process serves on one core; on 2 cores shared with PostgreSQL, two processes completed
    10-20 % more checkouts and draft-order payments than one, bench/README.md), but no more than
    the connections the database server has free leave room for, each pool at its fullest."""
    if not supported():
        return 1
    cores = len(os.sched_getaffinity(0))
    room = (free_connections - SPARE_CONNECTIONS) // per_process
    return max(1, min(cores, room))


def run(host: str, port: int, workers: int, **options: Any) -> None:
    """Serve the app from `workers` processes until interrupted; a worker that dies stops the
    others (the service manager restarts the whole). `options`: uvicorn.Config's (`app`, an
    import string, defaults to Mercato's factory)."""
    # A port someone listens on already is refused here, as one process would be refused: a
    # socket bound without SO_REUSEPORT fails on it (and would keep the children out: closed).
    _socket(host, port, shared=False).close()
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_worker, args=(host, port, options)) for _ in range(workers)]
    for child in children:
        child.start()

    def stop(*_args: Any) -> None:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes its requests, then exits

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        sentinels = {child.sentinel: child for child in children}
        multiprocessing.connection.wait(list(sentinels))
    finally:
        stop()
        for child in children:
            child.join()
    code = next((c.exitcode for c in children if c.exitcode), 0)
    if code and code > 0:
        raise SystemExit(code)
