"""Variant prices for a context, read from the database: what Medusa's PricingService puts on a
variant for the Store and Admin APIs (`prices`, `original_price`, `calculated_price`, …).

Used by the product and variant endpoints (and carts, for a line's unit price):

    ctx = await pricing_context(tx, region_id=..., currency_code=..., cart_id=..., customer_id=...,
                                include_discount_prices=True)
    priced = await price_variants(tx, [v.id for v in variants], ctx)
    for v in variant_dicts:
        v.update(priced.get(v["id"], {}))   # absent: no candidate price, leave the variant as it is

The choice itself is the pure `mercato.pricing.selection.price_variant`; this module only loads
its inputs in a bounded number of queries (prices with their lists, the lists' customer groups,
the products' tax rates) whatever the number of variants.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict, namedtuple
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core import refcache
from mercato.core.clock import iso, utcnow
from mercato.core.errors import not_found
from mercato.db import raw
from mercato.modules.carts.models import Cart
from mercato.modules.currencies.models import Currency
from mercato.modules.customers.models import CustomerGroup, t_customer_group_customers
from mercato.modules.customers.service import is_new_guest
from mercato.modules.price_lists.models import PriceList, t_price_list_customer_groups
from mercato.modules.products.models import (
    MoneyAmount,
    Product,
    ProductTaxRate,
    ProductTypeTaxRate,
    ProductVariant,
    ProductVariantMoneyAmount,
)
from mercato.modules.regions.models import Region
from mercato.modules.taxes.models import TaxRate
from mercato.pricing.selection import Candidate, PriceListRef, PricingContext, price_variant
from mercato.pricing.taxes import float4

__all__ = ["PricingContext", "pricing_context", "price_variants", "customer_group_ids"]


def _utc(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=datetime.UTC)


def _iso(value: datetime.datetime | None) -> str | None:
    return iso(value) if value is not None else None


# Kept statements, run on the driver (mercato.db.raw): pricing runs on every cart line and every
# product page, and building and compiling these per call cost more than running them.
_CUSTOMER_GROUPS = (
    select(t_customer_group_customers.c.customer_group_id)
    .join(CustomerGroup, CustomerGroup.id == t_customer_group_customers.c.customer_group_id)
    .where(
        t_customer_group_customers.c.customer_id == bindparam("customer_id"),
        CustomerGroup.deleted_at.is_(None),
    )
)
_CART_REGION = select(Cart.region_id).where(Cart.id == bindparam("id"), Cart.deleted_at.is_(None))
_REGION = select(Region.currency_code, Region.automatic_taxes, Region.tax_rate).where(
    Region.id == bindparam("id"), Region.deleted_at.is_(None)
)


async def customer_group_ids(tx: AsyncSession, customer_id: str) -> frozenset[str]:
    """The (not deleted) groups a customer belongs to (memberships and groups are watched by
    the reference cache)."""

    async def read() -> frozenset[str]:
        rows = await raw.rows(tx, _CUSTOMER_GROUPS, {"customer_id": customer_id})
        return frozenset(row[0] for row in rows)

    if is_new_guest(tx, customer_id):
        return frozenset()
    return await refcache.cached(tx, ("customer groups", customer_id), read)


async def _pricing_region(tx: AsyncSession, region_id: str) -> list[Any]:
    async def read() -> list[Any]:
        return await raw.rows(tx, _REGION, {"id": region_id})

    return await refcache.cached(tx, ("pricing region", region_id), read)


async def pricing_context(
    tx: AsyncSession,
    *,
    region_id: str | None = None,
    currency_code: str | None = None,
    cart_id: str | None = None,
    customer_id: str | None = None,
    quantity: int | None = None,
    include_discount_prices: bool = False,
) -> PricingContext:
    """PricingService.collectPricingContext from a request's parameters.

    A cart gives its region (as the store product routes do); a region gives its currency (it
    replaces `currency_code`), its `automatic_taxes` and its default tax rate. `customer_id` is the
    logged-in customer, if any: its groups open customer-group price lists. Unknown cart or region:
    Medusa's 404."""
    if cart_id:
        cart_region = await raw.rows(tx, _CART_REGION, {"id": cart_id})
        if not cart_region:
            raise not_found(f"Cart with {cart_id} was not found")
        region_id = cart_region[0][0]
    automatic_taxes = False
    region_tax_rate: float | None = None
    if region_id:
        found = await _pricing_region(tx, region_id)
        if not found:
            raise not_found(f"Region with {region_id} was not found")
        currency_code, automatic, rate = found[0]
        automatic_taxes = bool(automatic)
        region_tax_rate = float4(rate)
    groups = await customer_group_ids(tx, customer_id) if customer_id else None
    return PricingContext(
        region_id=region_id or None,
        currency_code=currency_code or None,
        customer_group_ids=groups,
        quantity=quantity,
        include_discount_prices=include_discount_prices,
        automatic_taxes=automatic_taxes,
        region_tax_rate=region_tax_rate,
    )


_PRICE_LIST_COLUMNS = (
    PriceList.id,
    PriceList.created_at,
    PriceList.updated_at,
    PriceList.deleted_at,
    PriceList.name,
    PriceList.description,
    PriceList.type,
    PriceList.status,
    PriceList.starts_at,
    PriceList.ends_at,
    PriceList.includes_tax,
)


def _price_list_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.pl_id,
        "created_at": _iso(row.pl_created_at),
        "updated_at": _iso(row.pl_updated_at),
        "deleted_at": _iso(row.pl_deleted_at),
        "name": row.pl_name,
        "description": row.pl_description,
        "type": row.pl_type,
        "status": row.pl_status,
        "starts_at": _iso(row.pl_starts_at),
        "ends_at": _iso(row.pl_ends_at),
        "includes_tax": bool(row.pl_includes_tax),
    }


def _price_json(row: Any) -> dict[str, Any]:
    """A candidate as Medusa answers it in a variant's `prices`: the money amount, its price list
    (null for a default price) and the variant's id."""
    return {
        "id": row.id,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
        "deleted_at": _iso(row.deleted_at),
        "currency_code": row.currency_code,
        "amount": row.amount,
        "min_quantity": row.min_quantity,
        "max_quantity": row.max_quantity,
        "price_list_id": row.price_list_id,
        "region_id": row.region_id,
        "price_list": _price_list_json(row) if row.pl_id is not None else None,
        "variant_id": row.variant_id,
    }


def _tax_rate_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "rate": float4(row.rate),
        "code": row.code,
        "name": row.name,
        "region_id": row.region_id,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
        "metadata": row.metadata,
    }


async def _product_tax_rates(
    tx: AsyncSession, product_ids: Sequence[str], region_id: str, region_tax_rate: float | None
) -> dict[str, list[dict[str, Any]]]:
    """TaxProviderService.getRegionRatesForProduct: the region's rates attached to each product or
    to its type (product's first, each rate once), else the region's default rate. Kept in
    core.refcache; every answer is a fresh copy (it ends up in JSON that callers may change)."""
    ids = tuple(product_ids)
    found = await refcache.cached(
        tx,
        ("price_tax_rates", region_id, region_tax_rate, ids),
        lambda: _read_product_tax_rates(tx, ids, region_id, region_tax_rate),
    )
    return {pid: [dict(rate) for rate in rates] for pid, rates in found.items()}


@functools.cache
def _product_tax_rates_statement() -> Any:
    """The region's rates of products (`ids`) and of their types, the product's own first: built
    once (a union's column collection costs more to build than the statement to run)."""
    columns = (
        TaxRate.id,
        TaxRate.rate,
        TaxRate.code,
        TaxRate.name,
        TaxRate.region_id,
        TaxRate.created_at,
        TaxRate.updated_at,
        TaxRate.metadata_.label("metadata"),
    )
    ids: Any = bindparam("ids", expanding=True)
    region: Any = bindparam("region_id")
    by_product = (
        select(*columns, ProductTaxRate.product_id.label("product_id"), literal(0).label("source"))
        .join(ProductTaxRate, ProductTaxRate.rate_id == TaxRate.id)
        .where(ProductTaxRate.product_id.in_(ids), TaxRate.region_id == region)
    )
    by_type = (
        select(*columns, Product.id.label("product_id"), literal(1).label("source"))
        .join(ProductTypeTaxRate, ProductTypeTaxRate.rate_id == TaxRate.id)
        .join(Product, Product.type_id == ProductTypeTaxRate.product_type_id)
        .where(Product.id.in_(ids), TaxRate.region_id == region)
    )
    query = union_all(by_product, by_type).subquery()
    return select(query).order_by(query.c.source, query.c.id)


async def _read_product_tax_rates(
    tx: AsyncSession, product_ids: Sequence[str], region_id: str, region_tax_rate: float | None
) -> dict[str, list[dict[str, Any]]]:
    rows = await tx.execute(
        _product_tax_rates_statement(), {"ids": list(product_ids), "region_id": region_id}
    )
    rates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if (row.product_id, row.id) in seen:
            continue
        seen.add((row.product_id, row.id))
        rates[row.product_id].append(_tax_rate_json(row))
    default = [{"rate": region_tax_rate, "name": "default", "code": "default"}]
    return {pid: rates.get(pid) or [dict(d) for d in default] for pid in product_ids}


_LIST_GROUPS = (
    select(t_price_list_customer_groups.c.price_list_id, t_price_list_customer_groups.c.customer_group_id)
    .join(CustomerGroup, CustomerGroup.id == t_price_list_customer_groups.c.customer_group_id)
    .where(
        t_price_list_customer_groups.c.price_list_id.in_(bindparam("ids", expanding=True)),
        CustomerGroup.deleted_at.is_(None),
    )
)
_PRICES: dict[tuple[bool, bool, bool], tuple[Any, Any]] = {}


def _prices_statement(by_region: bool, by_currency: bool, only_defaults: bool) -> tuple[Any, Any]:
    """The candidate prices of variants (`ids`) with their price lists, for a context that has a
    region and/or a currency (`region_id`, `currency_code`), or neither; and the named tuple its
    rows become. Built once per shape."""
    key = (by_region, by_currency, only_defaults)
    found = _PRICES.get(key)
    if found is not None:
        return found
    pvma = ProductVariantMoneyAmount
    stmt = (
        select(
            MoneyAmount.id,
            MoneyAmount.created_at,
            MoneyAmount.updated_at,
            MoneyAmount.deleted_at,
            MoneyAmount.currency_code,
            MoneyAmount.amount,
            MoneyAmount.min_quantity,
            MoneyAmount.max_quantity,
            MoneyAmount.price_list_id,
            MoneyAmount.region_id,
            pvma.variant_id,
            ProductVariant.product_id,
            *(c.label(f"pl_{c.key}") for c in _PRICE_LIST_COLUMNS),
            Currency.includes_tax.label("currency_includes_tax"),
            Region.includes_tax.label("region_includes_tax"),
        )
        .select_from(MoneyAmount)
        .join(pvma, pvma.money_amount_id == MoneyAmount.id)
        .join(ProductVariant, ProductVariant.id == pvma.variant_id)
        .outerjoin(PriceList, and_(PriceList.id == MoneyAmount.price_list_id, PriceList.deleted_at.is_(None)))
        .outerjoin(Currency, Currency.code == MoneyAmount.currency_code)
        .outerjoin(Region, Region.id == MoneyAmount.region_id)
        .where(
            pvma.variant_id.in_(bindparam("ids", expanding=True)),
            pvma.deleted_at.is_(None),
            MoneyAmount.deleted_at.is_(None),
            or_(MoneyAmount.price_list_id.is_(None), PriceList.status == "active"),
        )
        .order_by(MoneyAmount.id)
    )
    if by_region or by_currency:
        market = []
        if by_region:
            market.append(MoneyAmount.region_id == bindparam("region_id"))
        if by_currency:
            # whatever region: selection.candidates decides when another region's price counts
            market.append(MoneyAmount.currency_code == bindparam("currency_code"))
        stmt = stmt.where(or_(*market))
    elif only_defaults:
        stmt = stmt.where(MoneyAmount.price_list_id.is_(None))
    shape = namedtuple("PriceRow", [c.key for c in stmt.selected_columns])  # type: ignore[misc]  # noqa: PYI024
    found = _PRICES[key] = (stmt, shape)
    return found


async def price_variants(
    tx: AsyncSession,
    variant_ids: Sequence[str],
    ctx: PricingContext,
    *,
    now: datetime.datetime | None = None,
) -> dict[str, dict[str, Any]]:
    """Each variant's pricing keys in `ctx`, to merge onto the variant's JSON.

    For a variant with at least one candidate price: `prices` (the candidates: default prices of
    the region/currency and the applicable price lists' prices, each with its `price_list` and
    `variant_id`; without region and currency only default prices, unless a customer or
    `include_discount_prices`), `original_price`, `calculated_price`, `calculated_price_type`
    (only when a price was calculated), `original_price_includes_tax`,
    `calculated_price_includes_tax`, and with a region that has automatic taxes
    `original_price_incl_tax`, `calculated_price_incl_tax`, `original_tax`, `calculated_tax`,
    `tax_rates` (null otherwise). A variant without any candidate is absent from the answer."""
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    now = now or utcnow()
    market = (bool(ctx.region_id), bool(ctx.currency_code))
    only_defaults = not any(market) and ctx.customer_group_ids is None and not ctx.include_discount_prices
    stmt, shape = _prices_statement(*market, only_defaults)
    params = {"ids": ids, "region_id": ctx.region_id, "currency_code": ctx.currency_code}
    rows = [shape(*row) for row in await raw.rows(tx, stmt, params)]
    if not rows:
        return {}

    list_ids = {row.pl_id for row in rows if row.pl_id is not None}
    groups: dict[str, set[str]] = defaultdict(set)
    if list_ids:
        for list_id, group_id in await raw.rows(tx, _LIST_GROUPS, {"ids": sorted(list_ids)}):
            groups[list_id].add(group_id)

    refs: dict[str, PriceListRef] = {}
    per_variant: dict[str, list[Candidate]] = defaultdict(list)
    json_by_id: dict[tuple[str, str], dict[str, Any]] = {}
    product_of: dict[str, str] = {}
    for row in rows:
        ref: PriceListRef | None = None
        if row.pl_id is not None:
            ref = refs.get(row.pl_id)
            if ref is None:
                ref = refs[row.pl_id] = PriceListRef(
                    id=row.pl_id,
                    type=row.pl_type,
                    status=row.pl_status,
                    starts_at=_utc(row.pl_starts_at),
                    ends_at=_utc(row.pl_ends_at),
                    customer_group_ids=frozenset(groups.get(row.pl_id, ())),
                    includes_tax=bool(row.pl_includes_tax),
                )
        elif row.price_list_id is not None:
            # the list is soft-deleted: its prices apply nowhere
            continue
        per_variant[row.variant_id].append(
            Candidate(
                id=row.id,
                currency_code=row.currency_code,
                amount=row.amount,
                region_id=row.region_id,
                min_quantity=row.min_quantity,
                max_quantity=row.max_quantity,
                price_list=ref,
                currency_includes_tax=bool(row.currency_includes_tax),
                region_includes_tax=bool(row.region_includes_tax),
            )
        )
        json_by_id[(row.variant_id, row.id)] = _price_json(row)
        product_of[row.variant_id] = row.product_id

    rates_by_product: dict[str, list[dict[str, Any]]] = {}
    if ctx.region_id:
        rates_by_product = await _product_tax_rates(
            tx, sorted(set(product_of.values())), ctx.region_id, ctx.region_tax_rate
        )

    out: dict[str, dict[str, Any]] = {}
    for variant_id in ids:
        found = per_variant.get(variant_id)
        if not found:
            continue
        pricing = price_variant(found, ctx, now, rates_by_product.get(product_of[variant_id]))
        if pricing is None:
            continue
        out[variant_id] = {
            "prices": [json_by_id[(variant_id, c.id)] for c in pricing.prices],
            **pricing.fields(),
        }
    return out
