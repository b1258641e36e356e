"""The store: one row, created on first start with its default sales channel, as Medusa's loaders do.

Medusa 1.20 (services/store.ts, loaders/defaults.ts, api/routes/admin/store/*).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import duplicate, invalid_data, not_found
from mercato.core.metadata import merge_metadata
from mercato.core.present import load_options, present, present_many, relation_tree
from mercato.modules.currencies.models import Currency
from mercato.modules.sales_channels.models import SalesChannel
from mercato.modules.store.models import (
    FulfillmentProvider,
    PaymentProvider,
    Store,
    TaxProvider,
    t_store_currencies,
)
from mercato.modules.store.schemas import AdminPostStoreReq

# Medusa registers the providers its plugins provide at every start and marks every other row not
# installed: here the built-ins plus the entry points (providers/). Medusa's own `system` payment
# provider and system tax provider have no row.
TAX_PROVIDERS: tuple[str, ...] = ()


def _payment_provider_ids() -> list[str]:
    from mercato.providers.registry import payment_registry

    return [p for p in payment_registry().ids() if p != "system"]


def _fulfillment_provider_ids() -> list[str]:
    from mercato.providers.fulfillment import provider_ids

    return provider_ids()


# featureFlagRouter.listFlags() of Medusa 1.20, in its order; Mercato runs with all of v1's features on.
FEATURE_FLAGS: tuple[tuple[str, bool], ...] = (
    ("analytics", True),
    ("medusa_v2", False),
    ("order_editing", True),
    ("product_categories", True),
    ("publishable_api_keys", True),
    ("sales_channels", True),
    ("tax_inclusive_pricing", True),
    ("workflows", False),
)

# MedusaModule.getLoadedModules() of a Medusa 1.20 without the inventory and stock-location modules.
MODULES: tuple[tuple[str, str], ...] = (
    ("cacheService", "@medusajs/cache-inmemory"),
    ("eventBus", "@medusajs/event-bus-local"),
    ("orderOrderSalesChannelSalesChannelLink", ""),
)

DEFAULT_CURRENCY_REMOVED = (
    "You are not allowed to remove default currency from store currencies without replacing it as well"
)

# Key of the PostgreSQL advisory lock held while bootstrapping ("store" in ASCII).
_BOOTSTRAP_LOCK_KEY = 0x73746F7265

# get-store.ts: defaultRelationsExtended + default_sales_channel (sales_channels flag on).
EXTENDED_RELATIONS = ("currencies", "default_currency", "default_sales_channel")


async def _register_providers(tx: AsyncSession, model: Any, ids: Sequence[str]) -> None:
    # registerInstalledProviders: every other row is switched off, the installed ones (re)saved.
    await tx.execute(
        update(model).where(model.id.not_in(ids), model.is_installed.is_(True)).values(is_installed=False)
    )
    for provider_id in ids:
        row = await tx.get(model, provider_id, populate_existing=True)
        if row is None:
            tx.add(model(id=provider_id, is_installed=True))
        else:
            row.is_installed = True


async def bootstrap(tx: AsyncSession) -> Store:
    """Idempotent start-up: the store row with its currency, the default sales channel and the providers."""
    if tx.get_bind().dialect.name == "postgresql":
        # Several processes may start at once; one of them creates the store (SQLite writers are serial).
        await tx.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _BOOTSTRAP_LOCK_KEY})
    store = (await tx.execute(select(Store).order_by(Store.created_at).limit(1))).scalar_one_or_none()
    if store is None:
        store = Store(name="Medusa Store", default_currency_code="usd")
        tx.add(store)
        await tx.flush()
        if await tx.get(Currency, "usd") is not None:
            await tx.execute(t_store_currencies.insert().values(store_id=store.id, currency_code="usd"))
    await _register_providers(tx, PaymentProvider, _payment_provider_ids())
    await _register_providers(tx, FulfillmentProvider, _fulfillment_provider_ids())
    await _register_providers(tx, TaxProvider, TAX_PROVIDERS)
    if store.default_sales_channel_id is None:
        channel = SalesChannel(
            name="Default Sales Channel", description="Created by Medusa", is_disabled=False
        )
        tx.add(channel)
        await tx.flush()
        # event: sales_channel.created
        store.default_sales_channel_id = channel.id
    await tx.flush()
    return store


async def retrieve_store(tx: AsyncSession, relations: Sequence[str] = ()) -> Store:
    stmt = select(Store).order_by(Store.created_at).limit(1)
    if relations:
        stmt = stmt.options(*load_options(Store, relation_tree(relations)))
    store = (await tx.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()
    if store is None:
        raise not_found("Store does not exist")
    return store


async def present_store(tx: AsyncSession, relations: Sequence[str]) -> dict[str, Any]:
    store = await retrieve_store(tx, relations)
    return present(store, relation_tree(relations)) or {}


async def list_payment_providers(tx: AsyncSession) -> list[PaymentProvider]:
    return list((await tx.execute(select(PaymentProvider).order_by(PaymentProvider.id))).scalars())


async def list_fulfillment_providers(tx: AsyncSession) -> list[FulfillmentProvider]:
    return list((await tx.execute(select(FulfillmentProvider).order_by(FulfillmentProvider.id))).scalars())


async def list_tax_providers(tx: AsyncSession) -> list[TaxProvider]:
    return list((await tx.execute(select(TaxProvider).order_by(TaxProvider.id))).scalars())


async def extended_store(tx: AsyncSession) -> dict[str, Any]:
    """GET /admin/store: the store with its relations, feature flags, modules and providers."""
    data = await present_store(tx, EXTENDED_RELATIONS)
    data["feature_flags"] = [{"key": key, "value": value} for key, value in FEATURE_FLAGS]
    data["modules"] = [{"module": name, "resolution": resolution} for name, resolution in MODULES]
    data["payment_providers"] = present_many(await list_payment_providers(tx))
    data["fulfillment_providers"] = present_many(await list_fulfillment_providers(tx))
    return data


async def _store_currency_codes(tx: AsyncSession, store_id: str) -> list[str]:
    rows = await tx.execute(
        select(t_store_currencies.c.currency_code).where(t_store_currencies.c.store_id == store_id)
    )
    return list(rows.scalars())


async def _currency(tx: AsyncSession, code: str) -> Currency | None:
    return await tx.get(Currency, code.lower())


async def update_store(tx: AsyncSession, data: AdminPostStoreReq) -> Store:
    store = await retrieve_store(tx)
    fields = data.model_fields_set

    if data.metadata is not None:
        merged = merge_metadata(store.metadata_, data.metadata)
        if merged != store.metadata_:
            store.metadata_ = merged

    current = await _store_currency_codes(tx, store.id)
    if data.currencies is not None:
        default_code = data.default_currency_code or store.default_currency_code
        if not any(code.lower() == default_code.lower() for code in data.currencies):
            raise invalid_data(DEFAULT_CURRENCY_REMOVED)
        wanted: list[str] = []
        for code in data.currencies:
            currency = await _currency(tx, code)
            if currency is None:
                raise invalid_data(f"Currency with code {code} does not exist")
            if currency.code not in wanted:
                wanted.append(currency.code)
        removed = [code for code in current if code not in wanted]
        if removed:
            await tx.execute(
                delete(t_store_currencies).where(
                    t_store_currencies.c.store_id == store.id, t_store_currencies.c.currency_code.in_(removed)
                )
            )
        for code in wanted:
            if code not in current:
                await tx.execute(t_store_currencies.insert().values(store_id=store.id, currency_code=code))
        current = wanted

    if data.default_currency_code:
        code = data.default_currency_code.lower()
        if code not in current:
            raise invalid_data(f"Store does not have currency: {data.default_currency_code}")
        if store.default_currency_code != code:
            store.default_currency_code = code

    if "name" in fields:
        if data.name is None:
            # Medusa lets null through its validator and the database refuses it.
            raise invalid_data("Can't insert null value in field name on insert in table store")
        if store.name != data.name:
            store.name = data.name
    for key in ("swap_link_template", "payment_link_template", "invite_link_template"):
        if key in fields and getattr(store, key) != getattr(data, key):
            setattr(store, key, getattr(data, key))

    await tx.flush()
    return store


async def add_currency(tx: AsyncSession, code: str) -> Store:
    currency = await _currency(tx, code)
    if currency is None:
        raise invalid_data(f"Currency {code} not found")
    store = await retrieve_store(tx)
    if currency.code in await _store_currency_codes(tx, store.id):
        raise duplicate("Currency already added")
    await tx.execute(t_store_currencies.insert().values(store_id=store.id, currency_code=currency.code))
    await tx.flush()
    return store


async def remove_currency(tx: AsyncSession, code: str) -> Store:
    """Removing a currency the store does not have changes nothing and answers the store.

    Two deliberate differences from Medusa 1.20: the code matches case-insensitively (Medusa finds
    `EUR` but then removes nothing), and the default currency cannot be removed (Medusa removes it
    and leaves the store with a default currency it does not have; its own update refuses that).
    """
    store = await retrieve_store(tx)
    lowered = code.lower()
    if lowered not in await _store_currency_codes(tx, store.id):
        return store
    if lowered == store.default_currency_code.lower():
        raise invalid_data(DEFAULT_CURRENCY_REMOVED)
    await tx.execute(
        delete(t_store_currencies).where(
            t_store_currencies.c.store_id == store.id, t_store_currencies.c.currency_code == lowered
        )
    )
    await tx.flush()
    return store
