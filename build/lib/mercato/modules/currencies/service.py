"""Currencies: the reference list of ISO 4217 currencies and their tax-inclusive setting.

Medusa 1.20 (services/currency.ts, api/routes/admin/currencies/*).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import invalid_data, not_found
from mercato.core.query import apply_order, apply_page, count_rows
from mercato.modules.currencies.models import Currency, catalogue_order
from mercato.modules.currencies.schemas import AdminGetCurrenciesParams, AdminPostCurrenciesCurrencyReq


def _filtered(p: AdminGetCurrenciesParams) -> Select[Any]:
    stmt = select(Currency)
    if p.includes_tax is not None:
        stmt = stmt.where(Currency.includes_tax == p.includes_tax)
    if p.q:
        # Medusa drops the code (and name) filter and ORs code ILIKE / name ILIKE.
        pattern = f"%{p.q}%"
        return stmt.where(or_(Currency.code.ilike(pattern), Currency.name.ilike(pattern)))
    if p.code is not None:
        # An exact match: Medusa does not lower-case this filter.
        stmt = stmt.where(Currency.code == p.code)
    return stmt


async def list_currencies(tx: AsyncSession, p: AdminGetCurrenciesParams) -> tuple[list[Currency], int]:
    stmt = _filtered(p)
    count = await count_rows(tx, stmt)
    # list-currencies.ts drops an order on created_at (currencies have no such column).
    order = p.order if p.order and p.order.lstrip("-") != "created_at" else None
    if order:
        stmt = apply_order(stmt, Currency, order)
        if order.lstrip("-") != "code":
            stmt = stmt.order_by(Currency.code)
    else:
        stmt = stmt.order_by(*catalogue_order())
    rows = list((await tx.execute(apply_page(stmt, p.offset, p.limit))).scalars())
    return rows, count


async def retrieve_currency(tx: AsyncSession, code: str) -> Currency:
    code = code.lower()
    currency = await tx.get(Currency, code)
    if currency is None:
        raise not_found(f"Currency with code: {code} was not found")
    return currency


async def update_currency(tx: AsyncSession, code: str, data: AdminPostCurrenciesCurrencyReq) -> Currency:
    currency = await retrieve_currency(tx, code)
    if "includes_tax" in data.model_fields_set:
        if data.includes_tax is None:
            # Medusa lets null through its validator and the database refuses it.
            raise invalid_data("Can't insert null value in field includes_tax on insert in table currency")
        currency.includes_tax = data.includes_tax
    await tx.flush()
    # event: currency.updated {code}
    return currency
