"""The scenarios `python -m bench.run --scenario NAME` can drive.

A scenario is one async function making ONE request and returning its `httpx.Response`; the runner
times it and counts any non-2xx status or exception as an error. Register it with `@scenario(...)`;
pass `setup=` for work done once before the run (logging in, picking ids), which may store what the
request needs in `ctx.headers` (sent with every request) or `ctx.state` (anything else).

Adding one::

    @scenario("store-products", description="GET /store/products?limit=20")
    async def store_products(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
        return await client.get("/store/products", params={"limit": 20})

For `--tool wrk` the function is called a number of times against a recording transport (no network)
and wrk replays the recorded requests in rotation, so a scenario must not depend on the response of
its own request. Use `ctx.rng` (seeded) rather than `random` so that runs are reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


class SetupError(Exception):
    """A scenario cannot start (bad credentials, server unreachable, missing data); one clear line."""


@dataclass
class Context:
    base_url: str
    email: str = "admin@mercato.local"
    password: str | None = None
    token: str | None = None
    # Sent with every request of the run (e.g. Authorization), by both the Python runner and wrk.
    headers: dict[str, str] = field(default_factory=dict)
    # Whatever a scenario's setup wants to keep (ids to pick from, …).
    state: dict[str, Any] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    # A client on base_url, set while setup() runs (and for the pre-flight request).
    client: httpx.AsyncClient | None = None

    def require_client(self) -> httpx.AsyncClient:
        if self.client is None:
            raise SetupError("no client available during setup")
        return self.client


RequestFn = Callable[[httpx.AsyncClient, Context], Awaitable[httpx.Response]]
SetupFn = Callable[[Context], Awaitable[None]]


@dataclass(frozen=True)
class Scenario:
    name: str
    request: RequestFn
    setup: SetupFn | None = None
    description: str = ""


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    name: str, *, setup: SetupFn | None = None, description: str = ""
) -> Callable[[RequestFn], RequestFn]:
    """Register `fn` as scenario `name`."""

    def register(fn: RequestFn) -> RequestFn:
        if name in SCENARIOS:
            raise ValueError(f"scenario {name!r} registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()
        SCENARIOS[name] = Scenario(name, fn, setup, description or (doc[0] if doc else ""))
        return fn

    return register


# --- setups -------------------------------------------------------------------------------------


async def admin_login(ctx: Context) -> None:
    """An admin bearer token: --token as given, else POST /admin/auth/token with --email/--password."""
    if ctx.token is None:
        if not ctx.password:
            raise SetupError(
                "this scenario logs in as an admin: pass --password "
                "(or set MERCATO_BENCH_PASSWORD), or --token"
            )
        resp = await ctx.require_client().post(
            "/admin/auth/token", json={"email": ctx.email, "password": ctx.password}
        )
        if resp.status_code != 200:
            raise SetupError(
                f"POST /admin/auth/token as {ctx.email}: HTTP {resp.status_code} {resp.text[:200]}"
            )
        ctx.token = resp.json()["access_token"]
    ctx.headers["Authorization"] = f"Bearer {ctx.token}"


# --- scenarios ----------------------------------------------------------------------------------


@scenario("health")
async def health(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /health: the framework's floor (routing, middleware, no database)."""
    return await client.get("/health")


@scenario("admin-regions", setup=admin_login)
async def admin_regions(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /admin/regions with an admin bearer token (JWT check + a list query)."""
    return await client.get("/admin/regions")


@scenario("store-regions")
async def store_regions(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /store/regions, anonymous."""
    return await client.get("/store/regions")


@scenario("admin-products", setup=admin_login)
async def admin_products(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /admin/products?limit=20 with the default relations (the issue's ≥ 1,000 req/s target)."""
    return await client.get("/admin/products", params={"limit": 20})


@scenario("admin-products-pages", setup=admin_login)
async def admin_products_pages(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /admin/products?limit=20 at a random offset among the first 50 pages (mostly cache misses)."""
    return await client.get("/admin/products", params={"limit": 20, "offset": 20 * ctx.rng.randrange(50)})


async def first_region(ctx: Context) -> None:
    """The first region's id, for priced store requests."""
    resp = await ctx.require_client().get("/store/regions")
    regions = resp.json().get("regions", []) if resp.status_code == 200 else []
    if not regions:
        raise SetupError(f"GET /store/regions gave no region (HTTP {resp.status_code})")
    ctx.state["region_id"] = regions[0]["id"]


@scenario("store-products", setup=first_region)
async def store_products(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /store/products?limit=20&region_id=… (published products priced for a region)."""
    return await client.get("/store/products", params={"limit": 20, "region_id": ctx.state["region_id"]})
