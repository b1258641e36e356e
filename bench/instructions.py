"""Instructions a flow costs the server, counted by callgrind: a measure that does not move with
the machine's speed or its other work (timings on the development VM swing by ±30 %).

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python -m bench.instructions --flows 20 --flow checkout

prints nothing itself: read `Collected : N` in valgrind's summary and divide by --flows. The app
is called in this process as an ASGI application (no HTTP, no client); collection is switched
on with `callgrind_control -i on` after five warm-up flows, so start-up is not counted. On
PostgreSQL only this process's instructions count (the database's are another process's). The
database must hold the demo data and the admin `MERCATO_BENCH_PASSWORD` logs in with (as for
`bench.run`); `MERCATO_DATABASE_URL` chooses it. Repeat runs agree within ±3 %.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
from typing import Any

import orjson

from mercato.app import create_server_app


def _collect(on: bool) -> None:
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], capture_output=True)


async def _main(flows: int, flow: str) -> None:
    app = create_server_app()  # as `mercato serve` runs it (its GC tuning included)
    async with app.router.lifespan_context(app):

        async def call(method: str, path: str, body: Any = None, token: str = "", query: str = "") -> Any:
            raw = orjson.dumps(body) if body is not None else b""
            headers = [(b"host", b"bench"), (b"user-agent", b"bench.instructions")]
            if token:
                headers.append((b"authorization", f"Bearer {token}".encode()))
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

            answer: dict[str, Any] = {"body": b""}

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
                "query_string": query.encode(),
                "root_path": "",
                "headers": headers,
                "client": ("127.0.0.1", 1),
                "server": ("127.0.0.1", 80),
                "state": {},
            }
            await app(scope, receive, send)
            if answer.get("status") != 200:
                raise SystemExit(f"{method} {path}: {answer.get('status')} {answer['body'][:300]!r}")
            return orjson.loads(answer["body"])

        region = (await call("GET", "/store/regions"))["regions"][0]
        listed = await call("GET", "/store/products", query=f"region_id={region['id']}&limit=50")
        products = listed["products"]
        variant = next(
            v["id"]
            for p in products
            for v in p["variants"]
            if v.get("calculated_price") is not None and not p.get("is_giftcard")
        )
        options = await call("GET", "/store/shipping-options", query=f"region_id={region['id']}")
        option = next(o for o in options["shipping_options"] if not o["is_return"])["id"]
        password = os.environ.get("MERCATO_BENCH_PASSWORD", "")
        login = {"email": "admin@mercato.local", "password": password}
        token = (await call("POST", "/admin/auth/token", login))["access_token"]
        address = {
            "first_name": "A",
            "last_name": "B",
            "address_1": "1 Main St",
            "city": "Town",
            "country_code": region["countries"][0]["iso_2"],
            "postal_code": "1",
        }

        async def checkout() -> None:
            cart = (await call("POST", "/store/carts", {"region_id": region["id"]}))["cart"]["id"]
            await call("POST", f"/store/carts/{cart}/line-items", {"variant_id": variant, "quantity": 1})
            email = f"shopper{random.random()}@example.com"
            await call("POST", f"/store/carts/{cart}", {"email": email, "shipping_address": address})
            await call("POST", f"/store/carts/{cart}/shipping-methods", {"option_id": option})
            await call("POST", f"/store/carts/{cart}/payment-sessions")
            await call("POST", f"/store/carts/{cart}/payment-session", {"provider_id": "manual"})
            await call("POST", f"/store/carts/{cart}/complete")

        async def draft_order_pay() -> None:
            body = {
                "email": f"admin-order{random.random()}@example.com",
                "region_id": region["id"],
                "items": [{"variant_id": variant, "quantity": 1}],
                "shipping_methods": [{"option_id": option}],
            }
            draft = (await call("POST", "/admin/draft-orders", body, token))["draft_order"]["id"]
            await call("POST", f"/admin/draft-orders/{draft}/pay", None, token)

        run = {"checkout": checkout, "draft-order-pay": draft_order_pay}[flow]
        for _ in range(5):
            await run()
        await asyncio.sleep(0.3)  # the warm-up's events delivered before counting starts
        _collect(True)
        for _ in range(flows):
            await run()
            await asyncio.sleep(0.01)  # the event bus delivers the flow's events (counted too)
        await asyncio.sleep(0.3)
        _collect(False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--flows", type=int, default=20)
    parser.add_argument("--flow", choices=("checkout", "draft-order-pay"), default="checkout")
    args = parser.parse_args()
    asyncio.run(_main(args.flows, args.flow))


if __name__ == "__main__":
    main()
