"""Admin currencies: GET /admin/currencies, POST /admin/currencies/{code}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.present import present, present_many
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.modules.currencies import service
from mercato.modules.currencies.schemas import AdminGetCurrenciesParams, AdminPostCurrenciesCurrencyReq

admin = admin_router("Currencies")


@admin.get("/currencies")
@cacheable()
async def list_currencies(
    p: Annotated[AdminGetCurrenciesParams, Depends(params(AdminGetCurrenciesParams))], tx: Tx
) -> Response:
    currencies, count = await service.list_currencies(tx, p)
    return ok({"currencies": present_many(currencies), "count": count, "offset": p.offset, "limit": p.limit})


@admin.post("/currencies/{code}")
async def update_currency(
    code: str, tx: Tx, body: Annotated[AdminPostCurrenciesCurrencyReq | None, Body()] = None
) -> Response:
    currency = await service.update_currency(tx, code, body or AdminPostCurrenciesCurrencyReq())
    return ok({"currency": present(currency)})
