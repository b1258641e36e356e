"""The system tax provider's tax lines for a cart's items and shipping methods
(TaxProviderService.getTaxLinesMap / getRegionRatesForProduct / getRegionRatesForShipping and
SystemTaxService.getTaxLines of Medusa v1.20). Read-only; a bounded number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core import refcache
from mercato.modules.products.models import Product, ProductTaxRate, ProductTypeTaxRate, ProductVariant
from mercato.modules.shipping.models import ShippingTaxRate
from mercato.modules.taxes.models import TaxRate
from mercato.pricing.taxes import float4
from mercato.pricing.totals import TaxLine, TaxLinesMap


def _line(rate: Any, name: Any, code: Any) -> TaxLine:
    # SystemTaxService: `rate: r.rate || 0`; PostgreSQL `real` values read as JavaScript reads them.
    return TaxLine(rate=float4(rate) or 0, name=name, code=code)


def default_tax_line(region: Any) -> TaxLine:
    """The region's default rate, as Medusa names it when no override applies."""
    return _line(region.tax_rate, "default", "default")


async def _product_rates(tx: AsyncSession, region_id: str, ids: list[str]) -> dict[str, list[TaxLine]]:
    found: dict[str, dict[str, TaxRate]] = {pid: {} for pid in ids}
    direct = await tx.execute(
        select(ProductTaxRate.product_id, TaxRate)
        .join(TaxRate, TaxRate.id == ProductTaxRate.rate_id)
        .where(ProductTaxRate.product_id.in_(ids), TaxRate.region_id == region_id)
        .order_by(TaxRate.created_at, TaxRate.id)
    )
    for product_id, rate in direct.all():
        found[product_id].setdefault(rate.id, rate)
    by_type = await tx.execute(
        select(Product.id, TaxRate)
        .join(ProductTypeTaxRate, ProductTypeTaxRate.product_type_id == Product.type_id)
        .join(TaxRate, TaxRate.id == ProductTypeTaxRate.rate_id)
        .where(Product.id.in_(ids), TaxRate.region_id == region_id)
        .order_by(TaxRate.created_at, TaxRate.id)
    )
    for product_id, rate in by_type.all():
        found[product_id].setdefault(rate.id, rate)
    return {pid: [_line(r.rate, r.name, r.code) for r in rates.values()] for pid, rates in found.items()}


async def product_rates(
    tx: AsyncSession, region: Any, product_ids: Iterable[str]
) -> dict[str, list[TaxLine]]:
    """getRegionRatesForProduct: per product, its own rates and its type's rates in the region
    (unique by rate id, product rates first), else the region's default line. The rates found
    are kept in core.refcache (per region and product set: a cart's products are read at once)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    found = await refcache.cached(
        tx, ("product_rates", region.id, tuple(ids)), lambda: _product_rates(tx, region.id, ids)
    )
    return {pid: list(found[pid]) or [default_tax_line(region)] for pid in ids}


async def _shipping_rates(tx: AsyncSession, ids: list[str]) -> dict[str, list[TaxLine]]:
    found: dict[str, list[TaxLine]] = {oid: [] for oid in ids}
    rows = await tx.execute(
        select(ShippingTaxRate.shipping_option_id, TaxRate)
        .join(TaxRate, TaxRate.id == ShippingTaxRate.rate_id)
        .where(ShippingTaxRate.shipping_option_id.in_(ids))
        .order_by(TaxRate.created_at, TaxRate.id)
    )
    for option_id, rate in rows.all():
        found[option_id].append(_line(rate.rate, rate.name, rate.code))
    return found


async def shipping_rates(
    tx: AsyncSession, region: Any, shipping_option_ids: Iterable[str]
) -> dict[str, list[TaxLine]]:
    """getRegionRatesForShipping: the option's rates, else the region's default line (the
    rates found kept in core.refcache)."""
    ids = sorted(set(shipping_option_ids))
    if not ids:
        return {}
    found = await refcache.cached(tx, ("shipping_rates", tuple(ids)), lambda: _shipping_rates(tx, ids))
    return {oid: list(found[oid]) or [default_tax_line(region)] for oid in ids}


async def tax_lines_map(
    tx: AsyncSession,
    region: Any,
    items: Iterable[Any],
    shipping_methods: Iterable[Any] = (),
    *,
    region_has_rates: bool | None = None,
) -> TaxLinesMap:
    """TaxProviderService.getTaxLinesMap with the system provider.

    items: objects with `id`, `is_return` and `product_id` or `variant_id` (variants are resolved
    to their products in one query); custom items (no product) get no line, return items are left
    out. shipping_methods: objects with `id` and `shipping_option_id`. An ORM item whose `variant`
    is loaded needs no query for its product. `region_has_rates=False` (the caller knows the region
    has no tax_rate rows): every product gets the region's default line without a query."""
    items = [item for item in items if not getattr(item, "is_return", False)]
    methods = list(shipping_methods)

    product_of: dict[str, str | None] = {}
    variant_ids = set()
    for item in items:
        product_id = getattr(item, "product_id", None)
        if product_id:
            product_of[item.id] = product_id
        elif getattr(item, "variant_id", None):
            variant = getattr(item, "__dict__", {}).get("variant")  # loaded relation, never lazy
            if variant is not None and variant.id == item.variant_id:
                product_of[item.id] = variant.product_id
            else:
                variant_ids.add(item.variant_id)
    if variant_ids:
        rows = await tx.execute(
            select(ProductVariant.id, ProductVariant.product_id).where(
                ProductVariant.id.in_(sorted(variant_ids))
            )
        )
        variant_product = {row[0]: row[1] for row in rows.all()}
        for item in items:
            if item.id not in product_of and getattr(item, "variant_id", None):
                product_of[item.id] = variant_product.get(item.variant_id)

    product_ids = [p for p in product_of.values() if p]
    if region_has_rates is False:
        # both rate queries of product_rates only find rates of this region
        rates = {pid: [default_tax_line(region)] for pid in product_ids}
    else:
        rates = await product_rates(tx, region, product_ids)
    option_rates = await shipping_rates(tx, region, [m.shipping_option_id for m in methods])

    result = TaxLinesMap()
    for item in items:
        product_id = product_of.get(item.id)
        lines = rates.get(product_id, []) if product_id else []
        if lines:
            result.items[item.id] = list(lines)
    for method in methods:
        lines = option_rates.get(method.shipping_option_id, [])
        if lines:
            result.shipping_methods[method.id] = list(lines)
    return result
