"""Regions: where the store sells, in which currency, with which countries and providers
(Medusa's services/region.ts; fulfillment options from services/fulfillment-provider.ts)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import duplicate, invalid_data, not_found, refuse_nulls
from mercato.core.metadata import merge_metadata  # noqa: F401
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_date_filter, apply_order, apply_page, apply_search, count_rows
from mercato.modules.currencies.models import Currency
from mercato.modules.regions.models import (
    Country,
    Region,
    t_region_fulfillment_providers,
    t_region_payment_providers,
)
from mercato.modules.regions.schemas import (
    AdminGetRegionsRegionParams,
    AdminPostRegionsRegionReq,
    AdminPostRegionsReq,
    RegionFindParams,
)
from mercato.modules.store.models import FulfillmentProvider, PaymentProvider, TaxProvider, t_store_currencies
from mercato.providers.fulfillment import get_fulfillment_provider

# api/routes/admin/regions/index.ts and api/routes/store/regions/index.ts (the same four), in the
# order TypeORM serialises them
DEFAULT_RELATIONS = ["countries", "currency", "fulfillment_providers", "payment_providers"]
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)

# ---- reading ---------------------------------------------------------------------------------


def query_config(
    p: RegionFindParams | AdminGetRegionsRegionParams, *, is_list: bool
) -> tuple[Tree, set[str] | None]:
    """utils/get-query-config.ts for the regions routes: the relations to load (`expand` replaces
    the defaults and must stay within them) and the columns to answer (`fields`)."""
    relations: list[str] = list(DEFAULT_RELATIONS)
    fields: set[str] | None = None
    if p.fields is not None:
        custom = [f for f in p.fields.split(",") if f]
        if not custom or any(not f.startswith(("-", "+", "*")) for f in custom):
            chosen = {f[1:] if f.startswith(("+", "-")) else f for f in custom}
        else:
            chosen = {c.name for c in Region.__table__.columns}
            for f in custom:
                if f.startswith("+"):
                    chosen.add(f[1:])
                elif f.startswith("-"):
                    chosen.discard(f[1:])
        if is_list:
            chosen.add("created_at")
        chosen.add("id")
        chosen = {f for f in chosen if not f.startswith("*")}
        for f in sorted(chosen):
            if "." in f:
                relations.append(f.rsplit(".", 1)[0])
        fields = {f for f in chosen if "." not in f}
    if p.expand is not None:
        relations = [r for r in p.expand.split(",") if r]
        not_allowed = [r for r in dict.fromkeys(relations) if r not in DEFAULT_RELATIONS]
        if p.expand and not_allowed:
            raise invalid_data(f"Requested fields [{', '.join(not_allowed)}] are not valid")
    return relation_tree(sorted(dict.fromkeys(relations))), fields


# NOT NULL columns a body may set to null (refused as PostgreSQL's 23502, in this order)
_REGION_NOT_NULL = (
    "name",
    "currency_code",
    "tax_rate",
    "gift_cards_taxable",
    "automatic_taxes",
    "includes_tax",
)


async def retrieve_region(tx: AsyncSession, region_id: str, tree: Tree | None = None) -> Region:
    stmt = select(Region).where(Region.id == region_id, Region.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(Region, tree)).execution_options(populate_existing=True)
    region = (await tx.execute(stmt)).scalar_one_or_none()
    if region is None:
        raise not_found(f"Region with {region_id} was not found")
    return region


async def list_regions(tx: AsyncSession, p: RegionFindParams, tree: Tree) -> tuple[list[Region], int]:
    stmt = select(Region)
    dates = p.date_filters()
    if "deleted_at" not in dates:
        # buildQuery: a deleted_at filter is the only way to see soft-deleted regions
        stmt = stmt.where(Region.deleted_at.is_(None))
    for name, op in dates.items():
        stmt = apply_date_filter(stmt, getattr(Region, name), op)
    stmt = apply_search(stmt, p.q, [Region.name])
    count = await count_rows(tx, stmt)
    stmt = apply_page(apply_order(stmt, Region, p.order, default="-created_at"), p.offset, p.limit)
    rows = (await tx.execute(stmt.options(*load_options(Region, tree)))).scalars().all()
    return list(rows), count


def _float4(value: Any) -> Any:
    """A `real` column as PostgreSQL prints it (the shortest text that reads back the same
    float4), so 0.1 stays 0.1 rather than 0.10000000149011612."""
    if not isinstance(value, float):
        return value
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return value
    if single != value:
        return value
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            number = float(text)
            return int(number) if number.is_integer() else number
    return value


def present_region(region: Region, tree: Tree, fields: set[str] | None = None) -> dict[str, Any]:
    out = present(region, tree, fields)
    assert out is not None
    if "tax_rate" in out:
        out["tax_rate"] = _float4(out["tax_rate"])
    return out


async def list_fulfillment_options(tx: AsyncSession, region_id: str) -> list[dict[str, Any]]:
    region = await retrieve_region(tx, region_id, {"fulfillment_providers": {}})
    options = []
    for provider in region.fulfillment_providers:
        known = get_fulfillment_provider(provider.id).get_fulfillment_options()
        options.append({"provider_id": provider.id, "options": [dict(o) for o in known]})
    return options


# ---- validation (RegionService.validateFields / validateCurrency / validateCountry) -----------


def _validate_tax_rate(tax_rate: float | None) -> None:
    if tax_rate and (tax_rate > 100 or tax_rate < 0):
        raise invalid_data("The tax_rate must be between 0 and 1")


async def _validate_country(tx: AsyncSession, code: str, region_id: str | None) -> Country:
    country = (await tx.execute(select(Country).where(Country.iso_2 == code.lower()))).scalar_one_or_none()
    if country is None:
        # the country table holds every code of utils/countries.ts
        raise invalid_data("Invalid country code")
    if country.region_id and country.region_id != region_id:
        raise duplicate(f"{country.display_name} already exists in region {country.region_id}")
    return country


async def _validate_countries(tx: AsyncSession, codes: Sequence[str], region_id: str | None) -> list[Country]:
    # promiseAll reports the first failure in list order
    countries: dict[int, Country] = {}
    for code in codes:
        country = await _validate_country(tx, code, region_id)
        countries[country.id] = country
    return list(countries.values())


async def _validate_providers(
    tx: AsyncSession, model: type[PaymentProvider] | type[FulfillmentProvider], ids: Sequence[str], label: str
) -> list[str]:
    found = set((await tx.execute(select(model.id).where(model.id.in_(list(ids))))).scalars())
    for provider_id in ids:
        if provider_id not in found:
            raise invalid_data(f"{label} provider not found")
    return list(dict.fromkeys(ids))


async def _validate_currency(tx: AsyncSession, currency_code: str) -> str:
    code = currency_code.lower()
    store_codes = set((await tx.execute(select(t_store_currencies.c.currency_code))).scalars())
    if code not in store_codes:
        raise invalid_data("Invalid currency code")
    if await tx.get(Currency, code) is None:
        raise invalid_data(f"Could not find currency with code {currency_code}")
    return code


def _assign(region: Region, attr: str, value: Any) -> None:
    # TypeORM only writes (and bumps updated_at) when a value really changes
    if getattr(region, attr) != value:
        setattr(region, attr, value)


async def _claim_countries(tx: AsyncSession, region_id: str, ids: Sequence[int]) -> None:
    """Give the countries to the region, unless another region took one since it was validated
    (a concurrent request): the conditional UPDATE waits for that writer and then skips the row."""
    if not ids:
        return
    result = await tx.execute(
        update(Country)
        .where(Country.id.in_(ids), or_(Country.region_id.is_(None), Country.region_id == region_id))
        .values(region_id=region_id)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", len(ids)) != len(ids):
        taken = (
            await tx.execute(
                select(Country).where(Country.id.in_(ids), Country.region_id != region_id).limit(1)
            )
        ).scalar_one()
        await tx.refresh(taken)
        raise duplicate(f"{taken.display_name} already exists in region {taken.region_id}")


async def _set_countries(tx: AsyncSession, region_id: str, countries: Sequence[Country]) -> None:
    ids = [c.id for c in countries]
    await tx.execute(
        update(Country)
        .where(Country.region_id == region_id, Country.id.not_in(ids))
        .values(region_id=None)
        .execution_options(synchronize_session=False)
    )
    await _claim_countries(tx, region_id, ids)


async def _set_providers(tx: AsyncSession, table: Any, region_id: str, provider_ids: Sequence[str]) -> None:
    current = set(
        (await tx.execute(select(table.c.provider_id).where(table.c.region_id == region_id))).scalars()
    )
    wanted = list(dict.fromkeys(provider_ids))
    gone = current - set(wanted)
    if gone:
        await tx.execute(delete(table).where(table.c.region_id == region_id, table.c.provider_id.in_(gone)))
    new = [p for p in wanted if p not in current]
    if new:
        await tx.execute(insert(table), [{"region_id": region_id, "provider_id": p} for p in new])


# ---- writing ---------------------------------------------------------------------------------


async def create_region(tx: AsyncSession, data: AdminPostRegionsReq) -> Region:
    _validate_tax_rate(data.tax_rate)
    countries = await _validate_countries(tx, data.countries, None)
    payment = await _validate_providers(tx, PaymentProvider, data.payment_providers, "Payment")
    fulfillment = await _validate_providers(
        tx, FulfillmentProvider, data.fulfillment_providers, "Fulfillment"
    )
    values: dict[str, Any] = {"name": data.name, "tax_rate": data.tax_rate, "tax_code": data.tax_code}
    if "includes_tax" in data.model_fields_set:
        values["includes_tax"] = data.includes_tax
    # Medusa lets "" through to the foreign key and answers 404 "null"; we refuse it as unknown
    values["currency_code"] = await _validate_currency(tx, data.currency_code)
    if data.metadata is not None:
        values["metadata_"] = merge_metadata(None, data.metadata)
    refuse_nulls("region", values, _REGION_NOT_NULL)
    region = Region(**values)
    tx.add(region)
    await tx.flush()
    await _set_countries(tx, region.id, countries)
    await _set_providers(tx, t_region_payment_providers, region.id, payment)
    await _set_providers(tx, t_region_fulfillment_providers, region.id, fulfillment)
    # event: region.created {id}
    return region


async def update_region(tx: AsyncSession, region_id: str, data: AdminPostRegionsRegionReq) -> Region:
    region = await retrieve_region(tx, region_id)
    given = data.model_fields_set
    _validate_tax_rate(data.tax_rate)
    countries = (
        await _validate_countries(tx, data.countries, region.id) if data.countries is not None else None
    )
    if data.tax_provider_id and await tx.get(TaxProvider, data.tax_provider_id) is None:
        raise invalid_data("Tax provider not found")
    payment = (
        await _validate_providers(tx, PaymentProvider, data.payment_providers, "Payment")
        if data.payment_providers is not None
        else None
    )
    fulfillment = (
        await _validate_providers(tx, FulfillmentProvider, data.fulfillment_providers, "Fulfillment")
        if data.fulfillment_providers is not None
        else None
    )
    values: dict[str, Any] = {
        name: getattr(data, name)
        for name in (
            "name",
            "tax_code",
            "tax_rate",
            "gift_cards_taxable",
            "automatic_taxes",
            "tax_provider_id",
        )
        if name in given
    }
    if "includes_tax" in given:
        values["includes_tax"] = data.includes_tax
    if data.currency_code:
        values["currency_code"] = await _validate_currency(tx, data.currency_code)
    if data.metadata is not None:
        values["metadata_"] = merge_metadata(region.metadata_, data.metadata)
    refuse_nulls("region", values, _REGION_NOT_NULL)
    for attr, value in values.items():
        _assign(region, attr, value)
    await tx.flush()
    if countries is not None:
        await _set_countries(tx, region.id, countries)
    if payment is not None:
        await _set_providers(tx, t_region_payment_providers, region.id, payment)
    if fulfillment is not None:
        await _set_providers(tx, t_region_fulfillment_providers, region.id, fulfillment)
    # event: region.updated {id, fields: keys of the body}
    return region


async def delete_region(tx: AsyncSession, region_id: str) -> None:
    region = await retrieve_region(tx, region_id)
    region.deleted_at = utcnow()  # updated_at moves with it, as TypeORM's softRemove does
    await tx.execute(
        update(Country)
        .where(Country.region_id == region.id)
        .values(region_id=None)
        .execution_options(synchronize_session=False)
    )
    await tx.flush()
    # event: region.deleted {id}


async def add_country(tx: AsyncSession, region_id: str, code: str) -> None:
    # Medusa validates the country before it looks the region up
    country = await _validate_country(tx, code, region_id)
    region = await retrieve_region(tx, region_id)
    if country.region_id == region.id:
        return
    await _claim_countries(tx, region.id, [country.id])
    # event: region.updated {id, fields: ["countries"]}


async def remove_country(tx: AsyncSession, region_id: str, code: str) -> None:
    region = await retrieve_region(tx, region_id)
    # Medusa compares the code as given, so "DE" silently removes nothing; codes are
    # case-insensitive everywhere else (docs/compatibility.md)
    await tx.execute(
        update(Country)
        .where(Country.region_id == region.id, Country.iso_2 == code.lower())
        .values(region_id=None)
        .execution_options(synchronize_session=False)
    )
    # event (when a country went): region.updated {id, fields: ["countries"]}


async def _has_provider(tx: AsyncSession, table: Any, region_id: str, provider_id: str) -> bool:
    row = (
        await tx.execute(
            select(table.c.provider_id).where(
                table.c.region_id == region_id, table.c.provider_id == provider_id
            )
        )
    ).first()
    return row is not None


async def _add_provider(
    tx: AsyncSession,
    table: Any,
    model: type[PaymentProvider] | type[FulfillmentProvider],
    label: str,
    region_id: str,
    provider_id: str,
) -> None:
    region = await retrieve_region(tx, region_id)
    if await _has_provider(tx, table, region.id, provider_id):
        return
    if await tx.get(model, provider_id) is None:
        raise not_found(f"{label} provider {provider_id} was not found")
    await tx.execute(insert(table).values(region_id=region.id, provider_id=provider_id))


async def _remove_provider(tx: AsyncSession, table: Any, region_id: str, provider_id: str) -> None:
    region = await retrieve_region(tx, region_id)
    await tx.execute(delete(table).where(table.c.region_id == region.id, table.c.provider_id == provider_id))


async def add_payment_provider(tx: AsyncSession, region_id: str, provider_id: str) -> None:
    await _add_provider(tx, t_region_payment_providers, PaymentProvider, "Payment", region_id, provider_id)
    # event: region.updated {id, fields: ["payment_providers"]}


async def add_fulfillment_provider(tx: AsyncSession, region_id: str, provider_id: str) -> None:
    await _add_provider(
        tx, t_region_fulfillment_providers, FulfillmentProvider, "Fulfillment", region_id, provider_id
    )
    # event: region.updated {id, fields: ["fulfillment_providers"]}


async def remove_payment_provider(tx: AsyncSession, region_id: str, provider_id: str) -> None:
    await _remove_provider(tx, t_region_payment_providers, region_id, provider_id)
    # event (when a row went): region.updated {id, fields: ["payment_providers"]}


async def remove_fulfillment_provider(tx: AsyncSession, region_id: str, provider_id: str) -> None:
    await _remove_provider(tx, t_region_fulfillment_providers, region_id, provider_id)
    # event (when a row went): region.updated {id, fields: ["fulfillment_providers"]}
