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


# --- checkout and orders --------------------------------------------------------------------------


async def checkout_setup(ctx: Context) -> None:
    """A region, a variant with stock priced there and a shipping option of that region, all read
    through the Store API. Prefers the variant with the most stock (or a backorderable one), so that
    a long run does not sell out."""
    client = ctx.require_client()
    await first_region(ctx)
    region_id = ctx.state["region_id"]
    resp = await client.get("/store/products", params={"limit": 100, "region_id": region_id})
    best: tuple[int, str] | None = None
    for product in resp.json().get("products", []) if resp.status_code == 200 else []:
        if product.get("is_giftcard"):
            continue
        for variant in product.get("variants", []):
            if variant.get("calculated_price") is None:
                continue
            stock = (
                10**9
                if (variant.get("allow_backorder") or not variant.get("manage_inventory"))
                else int(variant.get("inventory_quantity") or 0)
            )
            if best is None or stock > best[0]:
                best = (stock, variant["id"])
    if best is None or best[0] <= 0:
        raise SetupError(f"no variant with stock priced in region {region_id}")
    ctx.state["variant_id"] = best[1]
    resp = await client.get("/store/shipping-options", params={"region_id": region_id})
    options = (
        [o for o in resp.json().get("shipping_options", []) if not o.get("is_return")]
        if resp.status_code == 200
        else []
    )
    if not options:
        raise SetupError(f"no shipping option in region {region_id}")
    ctx.state["option_id"] = options[0]["id"]
    region = (await client.get(f"/store/regions/{region_id}")).json()["region"]
    ctx.state["country_code"] = region["countries"][0]["iso_2"]


@scenario("checkout", setup=checkout_setup)
async def checkout(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """The 7-request Store checkout (cart, item, email + address, shipping, payment sessions, manual,
    complete); one "request" of the run is one placed order. Python tool only."""
    resp = await client.post("/store/carts", json={"region_id": ctx.state["region_id"]})
    if resp.status_code != 200:
        return resp
    cart = f"/store/carts/{resp.json()['cart']['id']}"
    n = ctx.rng.randrange(10**9)
    steps: list[tuple[str, dict[str, Any] | None]] = [
        (f"{cart}/line-items", {"variant_id": ctx.state["variant_id"], "quantity": 1}),
        (
            cart,
            {
                "email": f"bench-shopper-{n}@example.com",
                "shipping_address": {
                    "first_name": "Bench",
                    "last_name": "Shopper",
                    "address_1": "1 Load Street",
                    "city": "Copenhagen",
                    "postal_code": "2100",
                    "country_code": ctx.state["country_code"],
                },
            },
        ),
        (f"{cart}/shipping-methods", {"option_id": ctx.state["option_id"]}),
        (f"{cart}/payment-sessions", None),
        (f"{cart}/payment-session", {"provider_id": "manual"}),
        (f"{cart}/complete", None),
    ]
    for path, body in steps:
        resp = await client.post(path, json=body)
        if resp.status_code != 200:
            return resp
    if resp.json().get("type") != "order":
        # counted as an error by the runner, whichever client made the request
        raise RuntimeError(f"completion did not place an order: {resp.text[:200]}")
    return resp


async def draft_order_setup(ctx: Context) -> None:
    await admin_login(ctx)
    await checkout_setup(ctx)


@scenario("draft-order-pay", setup=draft_order_setup)
async def draft_order_pay(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """POST /admin/draft-orders (one variant item, one shipping method) then POST …/pay (Mark Paid);
    one "request" of the run is one order. Python tool only."""
    resp = await client.post(
        "/admin/draft-orders",
        json={
            "email": f"bench-draft-{ctx.rng.randrange(10**9)}@example.com",
            "region_id": ctx.state["region_id"],
            "items": [{"variant_id": ctx.state["variant_id"], "quantity": 1}],
            "shipping_methods": [{"option_id": ctx.state["option_id"]}],
        },
    )
    if resp.status_code != 200:
        return resp
    return await client.post(f"/admin/draft-orders/{resp.json()['draft_order']['id']}/pay")


@scenario("admin-orders", setup=admin_login)
async def admin_orders(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /admin/orders?limit=20 with the default relations (issue 6: ≥ 500 req/s with 10,000 orders)."""
    return await client.get("/admin/orders", params={"limit": 20})


@scenario("admin-orders-pages", setup=admin_login)
async def admin_orders_pages(client: httpx.AsyncClient, ctx: Context) -> httpx.Response:
    """GET /admin/orders?limit=20 at a random offset among the first 50 pages (mostly cache misses)."""
    return await client.get("/admin/orders", params={"limit": 20, "offset": 20 * ctx.rng.randrange(50)})
