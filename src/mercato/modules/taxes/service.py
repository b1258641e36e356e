"""Tax rates: rates of a region that override its default rate for some products, product types
and shipping options (Medusa's services/tax-rate.ts and repositories/tax-rate.ts).

Medusa emits no event for tax rates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import REAL, Select, Table, cast, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, invalid_data, not_allowed, not_found, refuse_nulls
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_search
from mercato.modules.products.models import Product, ProductTaxRate, ProductType, ProductTypeTaxRate
from mercato.modules.regions.models import Region
from mercato.modules.regions.service import _float4
from mercato.modules.shipping.models import ShippingOption, ShippingTaxRate
from mercato.modules.taxes.models import TaxRate
from mercato.modules.taxes.schemas import (
    AdminGetTaxRatesParams,
    AdminPostTaxRatesReq,
    AdminPostTaxRatesTaxRateReq,
    js_string,
    js_to_number,
)

# api/routes/admin/tax-rates/index.ts
DEFAULT_FIELDS = ("id", "rate", "code", "name", "region_id", "created_at", "updated_at")
DEFAULT_RELATIONS: tuple[str, ...] = ()

PRODUCT_TAX_RATE: Table = ProductTaxRate.__table__  # type: ignore[assignment]
PRODUCT_TYPE_TAX_RATE: Table = ProductTypeTaxRate.__table__  # type: ignore[assignment]
SHIPPING_TAX_RATE: Table = ShippingTaxRate.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class _Link:
    """One many-to-many of a tax rate: its join table, the column naming the target, the target."""

    table: Table
    column: str
    target: Any
    # how the target's service words a missing row (retrieve)
    missing: str

    def key(self) -> Any:
        return self.table.c[self.column]


PRODUCTS = _Link(PRODUCT_TAX_RATE, "product_id", Product, "Product with id: {} was not found")
PRODUCT_TYPES = _Link(
    PRODUCT_TYPE_TAX_RATE, "product_type_id", ProductType, "Product type with id: {} was not found"
)
SHIPPING_OPTIONS = _Link(
    SHIPPING_TAX_RATE, "shipping_option_id", ShippingOption, "Shipping Option with {} was not found"
)

# the repository's "resolvable" fields: counts of live targets, asked for through `fields`
COUNTS: dict[str, _Link] = {
    "product_count": PRODUCTS,
    "product_type_count": PRODUCT_TYPES,
    "shipping_option_count": SHIPPING_OPTIONS,
}

_COLUMNS = {c.name for c in TaxRate.__table__.columns}


# ---- reading ---------------------------------------------------------------------------------


@dataclass
class QueryConfig:
    """utils/get-query-config.ts of the tax rates routes: the columns to answer (`fields`,
    default the seven of DEFAULT_FIELDS), the counts among them and the relations (`expand`)."""

    columns: set[str] = field(default_factory=lambda: set(DEFAULT_FIELDS))
    counts: list[str] = field(default_factory=list)
    tree: Tree = field(default_factory=dict)


def query_config(fields: Sequence[Any] | None, expand: Sequence[Any] | None, *, is_list: bool) -> QueryConfig:
    config = QueryConfig()
    if fields is not None:
        chosen = {f for f in fields if isinstance(f, str) and f}
        chosen.add("id")
        if is_list:
            # the list is sorted on created_at, so it is always selected
            chosen.add("created_at")
        config.columns = {f for f in chosen if f in _COLUMNS}
        config.counts = sorted(f for f in chosen if f in COUNTS)
    if expand:
        config.tree = relation_tree(e for e in expand if isinstance(e, str) and e)
    load_options(TaxRate, config.tree)  # unknown relations are refused before anything is written
    return config


async def retrieve_tax_rate(tx: AsyncSession, rate_id: str, config: QueryConfig | None = None) -> TaxRate:
    stmt = select(TaxRate).where(TaxRate.id == rate_id)
    if config is not None and config.tree:
        stmt = stmt.options(*load_options(TaxRate, config.tree)).execution_options(populate_existing=True)
    rate = (await tx.execute(stmt)).scalar_one_or_none()
    if rate is None:
        raise not_found(f"TaxRate with {rate_id} was not found")
    return rate


async def _count_links(
    tx: AsyncSession, ids: Sequence[str], names: Sequence[str]
) -> dict[str, dict[str, int]]:
    """loadRelationCountAndMap: one grouped query per count asked for."""
    out: dict[str, dict[str, int]] = {}
    for name in names:
        link = COUNTS[name]
        target = link.target
        stmt = (
            select(link.table.c.rate_id, func.count())
            .join(target, target.id == link.key())
            .where(link.table.c.rate_id.in_(list(ids)), target.deleted_at.is_(None))
            .group_by(link.table.c.rate_id)
        )
        out[name] = {rate_id: int(n) for rate_id, n in (await tx.execute(stmt)).all()}
    return out


def _present_one(rate: TaxRate, config: QueryConfig, counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    columns = present(rate, None, config.columns)
    assert columns is not None
    if "rate" in columns:
        columns["rate"] = _float4(columns["rate"])
    for name in config.counts:
        columns[name] = counts.get(name, {}).get(rate.id, 0)
    out = dict(sorted(columns.items()))
    for name, sub in config.tree.items():
        value = getattr(rate, name)
        if isinstance(value, list):
            out[name] = [present(v, sub) for v in value]
        else:
            out[name] = present(value, sub)
            if name == "region" and out[name] is not None and "tax_rate" in out[name]:
                out[name]["tax_rate"] = _float4(out[name]["tax_rate"])
    return out


async def present_tax_rates(
    tx: AsyncSession, rates: Sequence[TaxRate], config: QueryConfig
) -> list[dict[str, Any]]:
    counts = await _count_links(tx, [r.id for r in rates], config.counts) if config.counts and rates else {}
    return [_present_one(r, config, counts) for r in rates]


async def answer(tx: AsyncSession, rate_id: str, config: QueryConfig) -> dict[str, Any]:
    """The routes' closing retrieve: the rate as `fields` and `expand` ask."""
    rate = await retrieve_tax_rate(tx, rate_id, config)
    return (await present_tax_rates(tx, [rate], config))[0]


def _real(value: float) -> Any:
    # Medusa sends the number as text and PostgreSQL reads it as the column's `real`
    return cast(literal(value), REAL)


def _numbers(values: Sequence[Any]) -> list[float]:
    return [n for n in (js_to_number(v) for v in values) if n == n]


def _order(stmt: Select[Any], order: str | None) -> Select[Any]:
    """One column, descending with a leading "-" (default: newest first), NULLs ordered as
    PostgreSQL orders them on both engines (last ascending, first descending)."""
    descending = True
    name = "created_at"
    if order:
        descending = order.startswith("-")
        name = order.split("-")[1] if descending else order
    column = TaxRate.__table__.columns.get(name)
    if column is None:
        raise invalid_data(f"Order field {name} is not valid")
    if descending:
        return stmt.order_by(column.desc().nulls_first(), TaxRate.id.desc())
    return stmt.order_by(column.asc().nulls_last(), TaxRate.id.asc())


async def list_tax_rates(
    tx: AsyncSession, p: AdminGetTaxRatesParams, config: QueryConfig
) -> tuple[list[TaxRate], int]:
    stmt = select(TaxRate)
    # lodash pickBy(identity): empty strings filter nothing
    if isinstance(p.region_id, list):
        stmt = stmt.where(TaxRate.region_id.in_([v for v in p.region_id if isinstance(v, str)]))
    elif p.region_id:
        stmt = stmt.where(TaxRate.region_id == p.region_id)
    if p.code:
        stmt = stmt.where(TaxRate.code == p.code)
    if p.name and not p.q:
        # a `q` replaces the name condition (TaxRateService.listAndCount)
        stmt = stmt.where(TaxRate.name == p.name)
    rate = p.rate
    if isinstance(rate, dict):
        operators = {
            "lt": TaxRate.rate.__lt__,
            "gt": TaxRate.rate.__gt__,
            "lte": TaxRate.rate.__le__,
            "gte": TaxRate.rate.__ge__,
        }
        for op, compare in operators.items():
            if op in rate and rate[op] is not None:
                stmt = stmt.where(compare(_real(float(js_to_number(rate[op])))))
    elif isinstance(rate, list):
        stmt = stmt.where(TaxRate.rate.in_([_real(n) for n in _numbers(rate)]))
    elif rate:
        stmt = stmt.where(TaxRate.rate == _real(js_to_number(rate)))
    for name in ("created_at", "updated_at"):
        # tax_rate has no deleted_at column: Medusa fails on that filter; it filters nothing here
        op = getattr(p, name)
        if op is None:
            continue
        column = getattr(TaxRate, name)
        if op.lt is not None:
            stmt = stmt.where(column < op.lt)
        if op.gt is not None:
            stmt = stmt.where(column > op.gt)
        if op.lte is not None:
            stmt = stmt.where(column <= op.lte)
        if op.gte is not None:
            stmt = stmt.where(column >= op.gte)
    stmt = apply_search(stmt, p.q, [TaxRate.name])
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = _order(stmt, p.order).offset(p.offset)
    if p.limit:
        # TypeORM reads `take: 0` as "no limit"
        stmt = stmt.limit(p.limit)
    if config.tree:
        stmt = stmt.options(*load_options(TaxRate, config.tree))
    rows = (await tx.execute(stmt)).scalars().all()
    return list(rows), count


# ---- writing ---------------------------------------------------------------------------------

_FK_VALUE = re.compile(r"^[\w-]+$", re.ASCII)


async def _require_region(tx: AsyncSession, region_id: str) -> None:
    """The foreign key tax_rate.region_id, worded as Medusa's exception formatter words it.
    Like the key, a soft-deleted region still counts."""
    if (await tx.execute(select(Region.id).where(Region.id == region_id))).first() is None:
        # Medusa answers "null" when the id holds characters its pattern does not expect; we
        # keep the sentence (docs/compatibility.md)
        raise not_found(f"Region with region_id {region_id} does not exist.")


def _same(current: Any, new: Any) -> bool:
    if isinstance(current, float) and isinstance(new, int | float):
        return bool(_float4(current) == new)
    return bool(current == new)


async def create_tax_rate(tx: AsyncSession, data: AdminPostTaxRatesReq) -> str:
    await _require_region(tx, data.region_id)
    rate = TaxRate(code=data.code, name=data.name, region_id=data.region_id, rate=data.rate)
    tx.add(rate)
    await tx.flush()
    # Medusa words an unknown product here as "TaxRate with <the rolled-back id> was not found";
    # we name the product, as its batch routes do (docs/compatibility.md)
    if data.products is not None:
        await add_products(tx, rate.id, data.products)
    if data.product_types is not None:
        await add_product_types(tx, rate.id, data.product_types)
    if data.shipping_options is not None:
        await add_shipping_options(tx, rate.id, data.shipping_options)
    return rate.id


async def update_tax_rate(tx: AsyncSession, rate_id: str, data: AdminPostTaxRatesTaxRateReq) -> None:
    rate = await retrieve_tax_rate(tx, rate_id)
    given = data.model_fields_set
    values: dict[str, Any] = {
        name: getattr(data, name) for name in ("rate", "code", "name", "region_id") if name in given
    }
    refuse_nulls("tax_rate", values, ("name", "region_id"))
    if values.get("region_id") is not None and values["region_id"] != rate.region_id:
        await _require_region(tx, values["region_id"])
    for attr, value in values.items():
        # TypeORM writes (and bumps updated_at) only when a value really changes
        if not _same(getattr(rate, attr), value):
            setattr(rate, attr, value)
    await tx.flush()
    if data.products is not None:
        await add_products(tx, rate_id, data.products, replace=True)
    if data.product_types is not None:
        await add_product_types(tx, rate_id, data.product_types, replace=True)
    if data.shipping_options is not None:
        await add_shipping_options(tx, rate_id, data.shipping_options, replace=True)


async def delete_tax_rate(tx: AsyncSession, rate_id: str) -> None:
    """A hard delete, and no refusal for an unknown id (Medusa answers `deleted: true` anyway)."""
    for link in (PRODUCTS, PRODUCT_TYPES, SHIPPING_OPTIONS):
        await tx.execute(delete(link.table).where(link.table.c.rate_id == rate_id))
    await tx.execute(
        delete(TaxRate).where(TaxRate.id == rate_id).execution_options(synchronize_session=False)
    )


def _keys(link: _Link, values: Sequence[Any]) -> list[str]:
    if any(v is None for v in values):
        raise MedusaError(
            "invalid_data",
            f"Can't insert null value in field {link.column} on insert in table {link.table.name}",
        )
    return list(dict.fromkeys(js_string(v) for v in values))


async def _rate_exists(tx: AsyncSession, rate_id: str) -> bool:
    return (await tx.execute(select(TaxRate.id).where(TaxRate.id == rate_id))).first() is not None


async def _check_keys(tx: AsyncSession, link: _Link, rate_id: str, keys: Sequence[str]) -> None:
    """What the foreign keys refuse, worded as Medusa's error handler then words it: it retrieves
    the rate and every target, and the first of them missing (in that order) is the answer."""
    if not keys:
        return
    target = link.target
    rows = (await tx.execute(select(target.id, target.deleted_at).where(target.id.in_(keys)))).all()
    present_ids = {row[0] for row in rows}
    live = {row[0] for row in rows if row[1] is None}
    if all(k in present_ids for k in keys) and await _rate_exists(tx, rate_id):
        return
    if not await _rate_exists(tx, rate_id):
        raise not_found(f"TaxRate with {rate_id} was not found")
    for key in keys:
        if key not in live:
            raise not_found(link.missing.format(key))


async def _link(tx: AsyncSession, link: _Link, rate_id: str, keys: Sequence[str], replace: bool) -> None:
    """repositories/tax-rate.ts addTo*: insert what is missing (others are ignored), and with
    `replace` remove the rows not named."""
    if keys:
        # INSERT … ON CONFLICT DO NOTHING, as TypeORM's orIgnore(): a concurrent add is no error
        dialect = tx.get_bind().dialect.name
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(link.table).on_conflict_do_nothing()
        now = utcnow()
        rows = [{"rate_id": rate_id, link.column: k, "created_at": now, "updated_at": now} for k in keys]
        await tx.execute(stmt, rows)
    if replace:
        await tx.execute(delete(link.table).where(link.table.c.rate_id == rate_id, link.key().not_in(keys)))


async def add_products(
    tx: AsyncSession, rate_id: str, products: Sequence[Any], replace: bool = False
) -> None:
    keys = _keys(PRODUCTS, products)
    await _check_keys(tx, PRODUCTS, rate_id, keys)
    await _link(tx, PRODUCTS, rate_id, keys, replace)


async def add_product_types(
    tx: AsyncSession, rate_id: str, product_types: Sequence[Any], replace: bool = False
) -> None:
    keys = _keys(PRODUCT_TYPES, product_types)
    await _check_keys(tx, PRODUCT_TYPES, rate_id, keys)
    await _link(tx, PRODUCT_TYPES, rate_id, keys, replace)


async def add_shipping_options(
    tx: AsyncSession, rate_id: str, shipping_options: Sequence[Any], replace: bool = False
) -> None:
    rate = await retrieve_tax_rate(tx, rate_id)
    ids = [js_string(v) for v in shipping_options if v is not None]
    if ids:
        rows = (
            await tx.execute(
                select(ShippingOption.id, ShippingOption.region_id).where(
                    ShippingOption.id.in_(ids), ShippingOption.deleted_at.is_(None)
                )
            )
        ).all()
        regions = dict(rows)
        for option_id in dict.fromkeys(ids):
            region_id = regions.get(option_id)
            if option_id in regions and region_id != rate.region_id:
                raise not_allowed(
                    "Shipping Option and Tax Rate must belong to the same Region to be associated. "
                    f"Shipping Option with id: {option_id} belongs to Region with id: {region_id} and "
                    f"Tax Rate with id: {rate.id} belongs to Region with id: {rate.region_id}"
                )
    keys = _keys(SHIPPING_OPTIONS, shipping_options)
    await _check_keys(tx, SHIPPING_OPTIONS, rate_id, keys)
    await _link(tx, SHIPPING_OPTIONS, rate_id, keys, replace)


async def _unlink(tx: AsyncSession, link: _Link, rate_id: str, values: Sequence[Any]) -> None:
    keys = [js_string(v) for v in values if v is not None]
    if keys:
        await tx.execute(delete(link.table).where(link.table.c.rate_id == rate_id, link.key().in_(keys)))


async def remove_products(tx: AsyncSession, rate_id: str, products: Sequence[Any]) -> None:
    await _unlink(tx, PRODUCTS, rate_id, products)


async def remove_product_types(tx: AsyncSession, rate_id: str, product_types: Sequence[Any]) -> None:
    await _unlink(tx, PRODUCT_TYPES, rate_id, product_types)


async def remove_shipping_options(tx: AsyncSession, rate_id: str, shipping_options: Sequence[Any]) -> None:
    await _unlink(tx, SHIPPING_OPTIONS, rate_id, shipping_options)
