"""A shop for the checkout tests, built through the Admin API, and a shopper's path to a cart
that is ready to complete (the 6 requests before POST /store/carts/{id}/complete)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest_asyncio
from sqlalchemy import text

from mercato.db.session import Database
from mercato.modules.store.models import PaymentProvider, t_store_currencies
from mercato.providers.payment import (
    AUTHORIZED,
    AuthorizeResult,
    ManualPaymentProvider,
    PaymentProcessorError,
)
from mercato.providers.registry import payment_registry


class FlakyProvider(ManualPaymentProvider):
    """The manual provider, failing where a test says so; it remembers what it was asked."""

    identifier = "co-flaky"

    def __init__(self) -> None:
        super().__init__()
        self.fail_authorize = False
        self.fail_status = False
        self.status = AUTHORIZED
        self.calls: list[str] = []

    async def authorize_payment(self, payment_session_data: dict[str, Any], context: dict[str, Any]) -> Any:
        self.calls.append("authorize")
        if self.fail_authorize:
            raise PaymentProcessorError("co-flaky refused")
        if self.status != AUTHORIZED:
            return AuthorizeResult(status=self.status, data={"status": self.status, "next": "3ds"})
        return await super().authorize_payment(payment_session_data, context)

    async def get_payment_status(self, payment_data: dict[str, Any]) -> str:
        self.calls.append("status")
        if self.fail_status:
            raise PaymentProcessorError("co-flaky could not read the payment")
        return await super().get_payment_status(payment_data)

    async def cancel_payment(self, payment_data: dict[str, Any]) -> Any:
        self.calls.append("cancel")
        return await super().cancel_payment(payment_data)


@dataclass
class Shop:
    excl: str  # eur, de, 20 % tax, prices without tax
    incl: str  # eur, fr, 20 % tax, prices with tax
    flaky: str  # eur, it, no tax, provider co-flaky only
    product: str
    shirt: str  # variant: eur 2500 (co-incl: 2400 tax included), 100 in stock
    last: str  # variant: eur 1000, 1 in stock
    mug: str  # variant: eur 1000, stock not managed
    excl_option: str  # 500
    incl_option: str  # 600 (tax included)
    flaky_option: str  # 500
    provider: FlakyProvider


async def ok(res: httpx.Response, key: str | None = None) -> Any:
    assert res.status_code == 200, res.text
    body = res.json()
    return body[key] if key else body


async def _region(admin: httpx.AsyncClient, **body: Any) -> str:
    body.setdefault("payment_providers", ["manual"])
    body.setdefault("fulfillment_providers", ["manual"])
    return str((await ok(await admin.post("/admin/regions", json=body), "region"))["id"])


async def _option(admin: httpx.AsyncClient, region: str, name: str, amount: int, **extra: Any) -> str:
    body = {
        "name": name,
        "region_id": region,
        "provider_id": "manual",
        "data": {"id": "manual-fulfillment"},
        "price_type": "flat_rate",
        "amount": amount,
        **extra,
    }
    return str((await ok(await admin.post("/admin/shipping-options", json=body), "shipping_option"))["id"])


@pytest_asyncio.fixture
async def shop(admin: httpx.AsyncClient, db: Database) -> AsyncIterator[Shop]:
    provider = FlakyProvider()
    registry = payment_registry()
    registry.register(provider)
    async with db.write_session() as tx:
        store_id = (await tx.execute(text("SELECT id FROM store"))).scalar_one()
        have = set((await tx.execute(text("SELECT currency_code FROM store_currencies"))).scalars())
        if "eur" not in have:
            await tx.execute(t_store_currencies.insert().values(store_id=store_id, currency_code="eur"))
        tx.add(PaymentProvider(id="co-flaky", is_installed=True))
        await tx.commit()
    excl = await _region(admin, name="co-excl", currency_code="eur", tax_rate=20, countries=["de"])
    incl = await _region(
        admin, name="co-incl", currency_code="eur", tax_rate=20, countries=["fr"], includes_tax=True
    )
    flaky = await _region(
        admin,
        name="co-flaky",
        currency_code="eur",
        tax_rate=0,
        countries=["it"],
        payment_providers=["co-flaky"],
    )
    product = await ok(
        await admin.post(
            "/admin/products",
            json={
                "title": "Checkout Shirt",
                "options": [{"title": "Size"}],
                "variants": [
                    {
                        "title": "M",
                        "inventory_quantity": 100,
                        "prices": [
                            {"currency_code": "eur", "amount": 2500},
                            {"region_id": incl, "amount": 2400},
                        ],
                        "options": [{"value": "M"}],
                    },
                    {
                        "title": "Mug",
                        "inventory_quantity": 0,
                        "manage_inventory": False,
                        "prices": [{"currency_code": "eur", "amount": 1000}],
                        "options": [{"value": "Mug"}],
                    },
                    {
                        "title": "Last",
                        "inventory_quantity": 1,
                        "prices": [{"currency_code": "eur", "amount": 1000}],
                        "options": [{"value": "Last"}],
                    },
                ],
            },
        ),
        "product",
    )
    variants = {v["title"]: v["id"] for v in product["variants"]}
    yield Shop(
        excl=excl,
        incl=incl,
        flaky=flaky,
        product=product["id"],
        shirt=variants["M"],
        last=variants["Last"],
        mug=variants["Mug"],
        excl_option=await _option(admin, excl, "co-standard", 500),
        incl_option=await _option(admin, incl, "co-incl-standard", 600, includes_tax=True),
        flaky_option=await _option(admin, flaky, "co-flaky-standard", 500),
        provider=provider,
    )
    registry.unregister("co-flaky")


COUNTRY = {"co-excl": "de", "co-incl": "fr", "co-flaky": "it"}


async def ready_cart(
    client: httpx.AsyncClient,
    region: str,
    country: str,
    variant: str,
    *,
    quantity: int = 1,
    provider: str = "manual",
    email: str = "shopper@checkout.test",
    discounts: list[str] | None = None,
    gift_cards: list[str] | None = None,
) -> str:
    """create cart, add item, email + address (+ codes), shipping method, payment sessions, select."""
    cart = await ok(await client.post("/store/carts", json={"region_id": region}), "cart")
    cid = cart["id"]
    await ok(
        await client.post(
            f"/store/carts/{cid}/line-items", json={"variant_id": variant, "quantity": quantity}
        )
    )
    update: dict[str, Any] = {
        "email": email,
        "shipping_address": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "address_1": "1 Main St",
            "city": "Town",
            "country_code": country,
            "postal_code": "12345",
        },
    }
    if discounts:
        update["discounts"] = [{"code": c} for c in discounts]
    if gift_cards:
        update["gift_cards"] = [{"code": c} for c in gift_cards]
    await ok(await client.post(f"/store/carts/{cid}", json=update))
    options = await ok(await client.get(f"/store/shipping-options/{cid}"), "shipping_options")
    assert options, "no shipping option for the cart"
    await ok(await client.post(f"/store/carts/{cid}/shipping-methods", json={"option_id": options[0]["id"]}))
    cart = await ok(await client.post(f"/store/carts/{cid}/payment-sessions"), "cart")
    if cart["total"] > 0:  # a cart with nothing to pay has no sessions
        await ok(await client.post(f"/store/carts/{cid}/payment-session", json={"provider_id": provider}))
    return str(cid)


class Overlap:
    """An ASGI wrapper that counts the requests in flight: proof that a race really raced."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.now = 0
        self.most = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.now += 1
        self.most = max(self.most, self.now)
        # Let the other released requests arrive before this one runs: with SQLite on the
        # loop's thread a request may otherwise finish without ever yielding.
        await asyncio.sleep(0)
        try:
            await self.app(scope, receive, send)
        finally:
            self.now -= 1


Race = Callable[[list[tuple[str, dict[str, str]]]], Awaitable[list[httpx.Response]]]


@pytest_asyncio.fixture
async def race(app: Any) -> AsyncIterator[Race]:
    """POST each path at once from its own client (own connection, own DB session), released
    together; asserts that the requests overlapped."""
    counter = Overlap(app)

    async def run(requests: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=counter), base_url="http://test", timeout=120)
            for _ in requests
        ]
        gate = asyncio.Event()

        async def one(c: httpx.AsyncClient, path: str, headers: dict[str, str]) -> httpx.Response:
            await gate.wait()
            return await c.post(path, headers=headers)

        tasks = [asyncio.create_task(one(c, p, h)) for c, (p, h) in zip(clients, requests, strict=True)]
        await asyncio.sleep(0)
        gate.set()
        try:
            return list(await asyncio.gather(*tasks))
        finally:
            for c in clients:
                await c.aclose()
            assert counter.most > 1, "the requests did not overlap"

    yield run
