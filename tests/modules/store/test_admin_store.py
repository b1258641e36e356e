"""Admin Store group: GET/POST /admin/store, store currencies, payment and tax providers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select

from mercato.db.session import Database
from mercato.modules.sales_channels.models import SalesChannel
from mercato.modules.store.models import (
    FulfillmentProvider,
    PaymentProvider,
    Store,
    TaxProvider,
    t_store_currencies,
)
from mercato.modules.store.service import DEFAULT_CURRENCY_REMOVED, bootstrap

USD = {"code": "usd", "symbol": "$", "symbol_native": "$", "name": "US Dollar", "includes_tax": False}
EUR = {"code": "eur", "symbol": "€", "symbol_native": "€", "name": "Euro", "includes_tax": False}
DKK = {"code": "dkk", "symbol": "Dkr", "symbol_native": "kr", "name": "Danish Krone", "includes_tax": False}

STORE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "name",
    "default_currency_code",
    "swap_link_template",
    "payment_link_template",
    "invite_link_template",
    "default_location_id",
    "metadata",
    "default_sales_channel_id",
]


async def store_codes(db: Database) -> list[str]:
    async with db.read_session() as tx:
        rows = await tx.execute(select(t_store_currencies.c.currency_code))
        return sorted(rows.scalars())


async def set_store_currencies(db: Database, codes: list[str]) -> None:
    async with db.write_session() as tx:
        store = (await tx.execute(select(Store))).scalar_one()
        await tx.execute(delete(t_store_currencies))
        for code in codes:
            await tx.execute(t_store_currencies.insert().values(store_id=store.id, currency_code=code))
        await tx.commit()


# --- GET /admin/store -------------------------------------------------------------------------


async def test_get_store_is_the_extended_store(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/store")
    assert res.status_code == 200
    store = res.json()["store"]
    assert list(store) == [
        *STORE_COLUMNS,
        "currencies",
        "default_currency",
        "default_sales_channel",
        "feature_flags",
        "modules",
        "payment_providers",
        "fulfillment_providers",
    ]
    assert store["id"].startswith("store_")
    assert store["name"] == "Medusa Store"
    assert store["default_currency_code"] == "usd"
    assert store["metadata"] is None and store["swap_link_template"] is None
    assert store["currencies"] == [USD]
    assert store["default_currency"] == USD
    channel = store["default_sales_channel"]
    assert channel["id"] == store["default_sales_channel_id"] and channel["id"].startswith("sc_")
    assert channel["name"] == "Default Sales Channel"
    assert channel["description"] == "Created by Medusa"
    assert channel["is_disabled"] is False and channel["deleted_at"] is None
    assert store["feature_flags"] == [
        {"key": "analytics", "value": True},
        {"key": "medusa_v2", "value": False},
        {"key": "order_editing", "value": True},
        {"key": "product_categories", "value": True},
        {"key": "publishable_api_keys", "value": True},
        {"key": "sales_channels", "value": True},
        {"key": "tax_inclusive_pricing", "value": True},
        {"key": "workflows", "value": False},
    ]
    assert store["modules"] == [
        {"module": "cacheService", "resolution": "@medusajs/cache-inmemory"},
        {"module": "eventBus", "resolution": "@medusajs/event-bus-local"},
        {"module": "orderOrderSalesChannelSalesChannelLink", "resolution": ""},
    ]
    assert store["payment_providers"] == [{"id": "manual", "is_installed": True}]
    assert store["fulfillment_providers"] == [{"id": "manual", "is_installed": True}]


async def test_get_store_ignores_query_parameters(admin: httpx.AsyncClient) -> None:
    # Medusa's route has no query validator: expand, fields and anything else change nothing.
    plain = (await admin.get("/admin/store")).json()
    res = await admin.get("/admin/store", params={"expand": "nothing", "fields": "id", "foo": "1"})
    assert res.status_code == 200
    assert res.json() == plain


async def test_get_store_lists_every_provider_row(admin: httpx.AsyncClient, db: Database) -> None:
    async with db.write_session() as tx:
        tx.add(PaymentProvider(id="stripe", is_installed=False))
        tx.add(FulfillmentProvider(id="webshipper", is_installed=False))
        await tx.commit()
    store = (await admin.get("/admin/store")).json()["store"]
    assert store["payment_providers"] == [
        {"id": "manual", "is_installed": True},
        {"id": "stripe", "is_installed": False},
    ]
    assert store["fulfillment_providers"] == [
        {"id": "manual", "is_installed": True},
        {"id": "webshipper", "is_installed": False},
    ]


async def test_get_store_without_a_store_is_404(admin: httpx.AsyncClient, db: Database) -> None:
    async with db.write_session() as tx:
        await tx.execute(delete(t_store_currencies))
        await tx.execute(delete(Store))
        await tx.commit()
    res = await admin.get("/admin/store")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Store does not exist"}


# --- bootstrap --------------------------------------------------------------------------------


async def test_bootstrap_is_idempotent_and_matches_medusas_loaders(db: Database, app: Any) -> None:
    async with db.write_session() as tx:
        tx.add(PaymentProvider(id="stripe", is_installed=True))
        tx.add(TaxProvider(id="taxjar", is_installed=True))
        await tx.commit()
    async with db.write_session() as tx:
        first = await bootstrap(tx)
        await tx.commit()
    async with db.write_session() as tx:
        again = await bootstrap(tx)
        await tx.commit()
    assert again.id == first.id
    async with db.read_session() as tx:
        stores = (await tx.execute(select(Store))).scalars().all()
        channels = (await tx.execute(select(SalesChannel))).scalars().all()
        payment = {p.id: p.is_installed for p in (await tx.execute(select(PaymentProvider))).scalars()}
        fulfillment = {
            p.id: p.is_installed for p in (await tx.execute(select(FulfillmentProvider))).scalars()
        }
        tax = {p.id: p.is_installed for p in (await tx.execute(select(TaxProvider))).scalars()}
        currencies = (await tx.execute(select(t_store_currencies))).all()
    assert len(stores) == 1 and len(channels) == 1
    store = stores[0]
    assert store.name == "Medusa Store" and store.default_currency_code == "usd"
    assert store.default_sales_channel_id == channels[0].id
    assert channels[0].name == "Default Sales Channel" and channels[0].description == "Created by Medusa"
    assert [tuple(row) for row in currencies] == [(store.id, "usd")]
    # Medusa's registerInstalledProviders: rows of providers it does not have are switched off.
    assert payment == {"manual": True, "stripe": False}
    assert fulfillment == {"manual": True}
    assert tax == {"taxjar": False}


# --- POST /admin/store ------------------------------------------------------------------------


async def test_update_store_fields(admin: httpx.AsyncClient) -> None:
    before = (await admin.get("/admin/store")).json()["store"]
    res = await admin.post(
        "/admin/store",
        json={
            "name": "Mercato Shop",
            "swap_link_template": "https://shop.test/swaps/{cart_id}",
            "payment_link_template": "https://shop.test/pay/{cart_id}",
            "invite_link_template": "https://admin.test/invite?token={invite_token}",
            "metadata": {"a": 1, "b": "x"},
        },
    )
    assert res.status_code == 200
    store = res.json()["store"]
    # Medusa answers the saved store with `currencies` only (default_currency when it was changed).
    assert list(store) == [*STORE_COLUMNS, "currencies"]
    assert store["id"] == before["id"]
    assert store["name"] == "Mercato Shop"
    assert store["swap_link_template"] == "https://shop.test/swaps/{cart_id}"
    assert store["payment_link_template"] == "https://shop.test/pay/{cart_id}"
    assert store["invite_link_template"] == "https://admin.test/invite?token={invite_token}"
    assert store["metadata"] == {"a": 1, "b": "x"}
    assert store["currencies"] == [USD]
    assert store["updated_at"] > before["updated_at"]

    after = (await admin.get("/admin/store")).json()["store"]
    assert after["name"] == "Mercato Shop" and after["metadata"] == {"a": 1, "b": "x"}

    # A template set to null is cleared; other fields stay.
    res = await admin.post("/admin/store", json={"swap_link_template": None})
    assert res.status_code == 200
    store = res.json()["store"]
    assert store["swap_link_template"] is None
    assert store["payment_link_template"] == "https://shop.test/pay/{cart_id}"
    assert store["name"] == "Mercato Shop"


async def test_update_store_metadata_merges_like_medusa(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/store", json={"metadata": {}})
    # setMetadata on a null metadata with no keys gives {}
    assert res.json()["store"]["metadata"] == {}
    await admin.post("/admin/store", json={"metadata": {"a": 1, "b": "x"}})
    res = await admin.post("/admin/store", json={"metadata": {"a": "", "b": None, "c": 2}})
    # "" removes a key; null is stored as null (verified against Medusa 1.20)
    assert res.json()["store"]["metadata"] == {"b": None, "c": 2}
    res = await admin.post("/admin/store", json={"metadata": None})
    assert res.json()["store"]["metadata"] == {"b": None, "c": 2}


async def test_update_store_without_changes_keeps_updated_at(admin: httpx.AsyncClient) -> None:
    before = (await admin.get("/admin/store")).json()["store"]
    res = await admin.post("/admin/store", json={"name": "Medusa Store", "default_currency_code": "usd"})
    assert res.status_code == 200
    store = res.json()["store"]
    assert store["updated_at"] == before["updated_at"]
    assert store["default_currency"] == USD
    res = await admin.post("/admin/store", json={})
    assert res.status_code == 200 and res.json()["store"]["updated_at"] == before["updated_at"]


async def test_update_store_currencies_and_default_currency(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.post(
        "/admin/store", json={"currencies": ["eur", "USD"], "default_currency_code": "EUR"}
    )
    assert res.status_code == 200
    store = res.json()["store"]
    assert store["default_currency_code"] == "eur"
    assert store["default_currency"] == EUR
    assert store["currencies"] == [USD, EUR]
    assert await store_codes(db) == ["eur", "usd"]

    res = await admin.post("/admin/store", json={"currencies": ["eur", "dkk", "eur"]})
    assert res.status_code == 200
    assert res.json()["store"]["currencies"] == [EUR, DKK]
    assert await store_codes(db) == ["dkk", "eur"]

    full = (await admin.get("/admin/store")).json()["store"]
    assert full["default_currency"] == EUR and full["currencies"] == [EUR, DKK]


async def test_update_store_refuses_bad_currencies(admin: httpx.AsyncClient, db: Database) -> None:
    await set_store_currencies(db, ["usd", "eur"])
    cases = [
        (
            {"currencies": ["eur"]},
            DEFAULT_CURRENCY_REMOVED,
        ),
        (
            {"currencies": []},
            DEFAULT_CURRENCY_REMOVED,
        ),
        (
            {"currencies": ["usd"], "default_currency_code": "eur"},
            DEFAULT_CURRENCY_REMOVED,
        ),
        ({"currencies": ["usd", "xyz"]}, "Currency with code xyz does not exist"),
        ({"default_currency_code": "xyz"}, "Store does not have currency: xyz"),
        ({"default_currency_code": "dkk"}, "Store does not have currency: dkk"),
        ({"name": None}, "Can't insert null value in field name on insert in table store"),
    ]
    for body, message in cases:
        res = await admin.post(
            "/admin/store", json={"name": "Changed", **body} if "name" not in body else body
        )
        assert res.status_code == 400, body
        assert res.json() == {"type": "invalid_data", "message": message}, body
    # Nothing was written by the refused requests.
    store = (await admin.get("/admin/store")).json()["store"]
    assert store["name"] == "Medusa Store"
    assert store["default_currency_code"] == "usd"
    assert await store_codes(db) == ["eur", "usd"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"foo": 1}, "property foo should not exist"),
        ({"name": 1}, "name must be a string"),
        # the whitelist's refusals come first, as class-validator reports them
        ({"name": 1, "x": 1}, "property x should not exist, name must be a string"),
        (
            {"name": 1, "currencies": "usd", "metadata": "x", "swap_link_template": 3},
            "name must be a string, swap_link_template must be a string, currencies must be an array, "
            "metadata must be an object",
        ),
        (
            {"default_currency_code": 5, "invite_link_template": False, "payment_link_template": []},
            "payment_link_template must be a string, invite_link_template must be a string, "
            "default_currency_code must be a string",
        ),
        ({"currencies": [1, 2]}, "each value in currencies must be a string"),
        ({"currencies": [5, "usd", True]}, "each value in currencies must be a string"),
        (
            {"currencies": 5, "metadata": []},
            "each value in currencies must be a string, currencies must be an array, "
            "metadata must be an object",
        ),
    ],
)
async def test_update_store_validates_its_body(admin: httpx.AsyncClient, body: Any, message: str) -> None:
    res = await admin.post("/admin/store", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


async def test_update_store_null_fields_are_ignored(admin: httpx.AsyncClient) -> None:
    res = await admin.post(
        "/admin/store", json={"currencies": None, "default_currency_code": None, "metadata": None}
    )
    assert res.status_code == 200
    store = res.json()["store"]
    assert store["currencies"] == [USD] and store["metadata"] is None and "default_currency" not in store


# --- POST/DELETE /admin/store/currencies/{code} -----------------------------------------------


async def test_add_currency(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.post("/admin/store/currencies/DKK", json={"ignored": True})
    assert res.status_code == 200
    store = res.json()["store"]
    assert list(store) == [*STORE_COLUMNS, "currencies"]
    assert store["currencies"] == [USD, DKK]
    assert await store_codes(db) == ["dkk", "usd"]
    res = await admin.post("/admin/store/currencies/eur")
    assert res.json()["store"]["currencies"] == [USD, EUR, DKK]


async def test_add_currency_refusals(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.post("/admin/store/currencies/xyz")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Currency xyz not found"}
    res = await admin.post("/admin/store/currencies/USD")
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Currency already added",
    }
    assert await store_codes(db) == ["usd"]


async def test_remove_currency(admin: httpx.AsyncClient, db: Database) -> None:
    await set_store_currencies(db, ["usd", "eur", "dkk"])
    res = await admin.delete("/admin/store/currencies/dkk")
    assert res.status_code == 200
    store = res.json()["store"]
    assert list(store) == [*STORE_COLUMNS, "currencies"]
    assert store["currencies"] == [USD, EUR]
    # Upper case works too (Medusa 1.20 answers 200 but removes nothing: a bug we do not copy).
    res = await admin.delete("/admin/store/currencies/EUR")
    assert res.status_code == 200
    assert res.json()["store"]["currencies"] == [USD]
    assert await store_codes(db) == ["usd"]


async def test_remove_currency_the_store_lacks_changes_nothing(
    admin: httpx.AsyncClient, db: Database
) -> None:
    for code in ("eur", "xyz"):
        res = await admin.delete(f"/admin/store/currencies/{code}")
        assert res.status_code == 200
        assert res.json()["store"]["currencies"] == [USD]
    assert await store_codes(db) == ["usd"]


async def test_remove_default_currency_is_refused(admin: httpx.AsyncClient, db: Database) -> None:
    await set_store_currencies(db, ["usd", "eur"])
    res = await admin.delete("/admin/store/currencies/usd")
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": DEFAULT_CURRENCY_REMOVED,
    }
    assert await store_codes(db) == ["eur", "usd"]


# --- providers --------------------------------------------------------------------------------


async def test_payment_providers(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.get("/admin/store/payment-providers")
    assert res.status_code == 200
    assert res.json() == {"payment_providers": [{"id": "manual", "is_installed": True}]}
    async with db.write_session() as tx:
        tx.add(PaymentProvider(id="stripe", is_installed=False))
        await tx.commit()
    res = await admin.get("/admin/store/payment-providers")
    assert res.json()["payment_providers"] == [
        {"id": "manual", "is_installed": True},
        {"id": "stripe", "is_installed": False},
    ]


async def test_tax_providers(admin: httpx.AsyncClient, db: Database) -> None:
    # Medusa's system tax provider has no row: a fresh store lists none.
    res = await admin.get("/admin/store/tax-providers")
    assert res.status_code == 200
    assert res.json() == {"tax_providers": []}
    async with db.write_session() as tx:
        tx.add(TaxProvider(id="taxjar", is_installed=True))
        await tx.commit()
    res = await admin.get("/admin/store/tax-providers")
    assert res.json() == {"tax_providers": [{"id": "taxjar", "is_installed": True}]}


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/store"),
        ("POST", "/admin/store"),
        ("POST", "/admin/store/currencies/eur"),
        ("DELETE", "/admin/store/currencies/usd"),
        ("GET", "/admin/store/payment-providers"),
        ("GET", "/admin/store/tax-providers"),
    ],
)
async def test_store_routes_need_an_admin(
    client: httpx.AsyncClient, db: Database, method: str, path: str
) -> None:
    res = await client.request(method, path, json={"name": "x"} if method == "POST" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
    assert await store_codes(db) == ["usd"]
