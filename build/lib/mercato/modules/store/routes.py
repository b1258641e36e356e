"""Admin store: the store's settings, its currencies and the installed providers."""

from __future__ import annotations

from fastapi import Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.present import present_many
from mercato.core.routing import admin_router
from mercato.modules.store import service
from mercato.modules.store.schemas import AdminPostStoreReq

admin = admin_router("Store")


# Medusa's store routes take no query parameters (no transformQuery): any are ignored.
@admin.get("/store")
@cacheable()
async def get_store(tx: Tx) -> Response:
    return ok({"store": await service.extended_store(tx)})


@admin.post("/store")
async def update_store(body: AdminPostStoreReq, tx: Tx) -> Response:
    await service.update_store(tx, body)
    relations = ["currencies"]
    if body.default_currency_code:
        relations.append("default_currency")
    return ok({"store": await service.present_store(tx, relations)})


@admin.get("/store/payment-providers")
@cacheable()
async def list_payment_providers(tx: Tx) -> Response:
    return ok({"payment_providers": present_many(await service.list_payment_providers(tx))})


@admin.get("/store/tax-providers")
@cacheable()
async def list_tax_providers(tx: Tx) -> Response:
    return ok({"tax_providers": present_many(await service.list_tax_providers(tx))})


# Neither currency route reads a body (Medusa has no validator there).
@admin.post("/store/currencies/{code}")
async def add_currency(code: str, tx: Tx) -> Response:
    await service.add_currency(tx, code)
    return ok({"store": await service.present_store(tx, ["currencies"])})


@admin.delete("/store/currencies/{code}")
async def remove_currency(code: str, tx: Tx) -> Response:
    await service.remove_currency(tx, code)
    return ok({"store": await service.present_store(tx, ["currencies"])})
