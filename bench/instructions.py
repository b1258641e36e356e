"""Instructions a scenario costs the server, counted by callgrind: a measure that does not move with
the machine's speed or its other work (timings on the development VM swing by ±30 %).

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python -m bench.instructions --scenario checkout --runs 20

read `Collected : N` in valgrind's summary and divide by --runs (it prints only the CPU time a
run took, which without valgrind compares interpreters or builds; under valgrind it means little). The
scenarios are bench.run's (`bench.scenarios`), their requests made in this process on the app as
`mercato serve` builds it, called as an ASGI application (no HTTP, no network client: nearly all
that is counted is the server's). Collection is switched on with `callgrind_control -i on` after
five warm-up runs, so start-up is not counted; on PostgreSQL only this process's instructions
count (the database's are another process's). The database must hold what the scenario needs (as
for bench.run); `MERCATO_DATABASE_URL` chooses it, `MERCATO_BENCH_PASSWORD` is the admin's
password. Repeat runs agree within ±3 %.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlencode

import httpx
import orjson

from bench.scenarios import SCENARIOS, Context
from mercato.app import create_server_app


class _InProcess:
    """What the scenarios use of an httpx client (get, post), answered by calling the ASGI app."""

    def __init__(self, app: Any, ctx: Context) -> None:
        self.app = app
        self.ctx = ctx

    async def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        return await self.request("GET", path, params=params)

    async def post(self, path: str, json: Any = None) -> httpx.Response:
        return await self.request("POST", path, body=json)

    async def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> httpx.Response:
        raw = orjson.dumps(body) if body is not None else b""
        headers = [(b"host", b"bench"), (b"user-agent", b"bench.instructions")]
        headers += [(k.lower().encode(), v.encode()) for k, v in self.ctx.headers.items()]
        if body is not None:
            headers.append((b"content-type", b"application/json"))
            headers.append((b"content-length", str(len(raw)).encode()))
        received = False

        async def receive() -> dict[str, Any]:
            nonlocal received
            if not received:
                received = True
                return {"type": "http.request", "body": raw, "more_body": False}
            await asyncio.Event().wait()  # no disconnect: the app answers first
            raise AssertionError("unreachable")

        answer: dict[str, Any] = {"status": 500, "body": b""}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            else:
                answer["body"] += message.get("body", b"")

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": urlencode(params or {}).encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
            "state": {},
        }
        await self.app(scope, receive, send)
        return httpx.Response(answer["status"], content=answer["body"])


def _collect(on: bool) -> None:
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], capture_output=True)


async def _main(name: str, runs: int) -> None:
    found = SCENARIOS[name]
    app = create_server_app()  # as `mercato serve` runs it (its GC tuning included)
    async with app.router.lifespan_context(app):
        ctx = Context(base_url="http://bench", password=os.environ.get("MERCATO_BENCH_PASSWORD"))
        client: Any = _InProcess(app, ctx)
        ctx.client = client
        if found.setup is not None:
            await found.setup(ctx)

        async def run() -> None:
            response = await found.request(client, ctx)
            if response.status_code >= 300:
                raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:300]}")

        for _ in range(5):
            await run()
        await asyncio.sleep(0.3)  # the warm-up's events delivered before counting starts
        _collect(True)
        cpu = time.process_time()
        for _ in range(runs):
            await run()
            await asyncio.sleep(0.01)  # the event bus delivers the run's events (counted too)
        await asyncio.sleep(0.3)
        cpu = time.process_time() - cpu
        _collect(False)
        # CPU time compares what instruction counts cannot (two builds of the interpreter, say),
        # but moves with the machine's speed: compare runs made close together, interleaved
        print(f"{name}: {cpu / runs * 1000:.2f} ms of this process's CPU per run", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", "-s", choices=sorted(SCENARIOS), default="checkout")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(_main(args.scenario, args.runs))


if __name__ == "__main__":
    main()
