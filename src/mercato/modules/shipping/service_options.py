"""Shipping options: Medusa's services/shipping-option.ts (create, update, delete, list, retrieve),
the manual fulfillment provider's answers (services/fulfillment-provider.ts and
medusa-fulfillment-manual) and PricingService.setShippingOptionPrices (price_incl_tax, tax_rates,
tax_amount on every listed option)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import invalid_data, not_found, refuse_nulls
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_date_filter, apply_order, apply_page, apply_search, count_rows
from mercato.modules.regions.models import Region, t_region_fulfillment_providers
from mercato.modules.shipping.models import (
    ShippingOption,
    ShippingOptionRequirement,
    ShippingProfile,
    ShippingTaxRate,
)
from mercato.modules.shipping.schemas_options import (
    AdminGetShippingOptionsParams,
    AdminPostShippingOptionsOptionReq,
    AdminPostShippingOptionsReq,
    StoreGetShippingOptionsParams,
)
from mercato.modules.shipping.service import ensure_default_profiles
from mercato.modules.taxes.models import TaxRate
from mercato.pricing.taxes import calculate_price_tax_amount, float4, js_round, tax_rate_sum
from mercato.providers.fulfillment import get_fulfillment_provider

# api/routes/admin/shipping-options/index.ts: shippingOptionsDefaultRelations (TypeORM answers
# them in this order)
DEFAULT_RELATIONS = ["profile", "region", "requirements"]
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)
# relations `expand` may name
EXPANDABLE = {"profile", "region", "requirements", "provider"}
# api/routes/store/shipping-options/index.ts: defaultRelations
STORE_TREE = relation_tree(["requirements"])


def validate_fulfillment_data(option: ShippingOption, data: dict[str, Any]) -> dict[str, Any]:
    """FulfillmentProviderService.validateFulfillmentData: the option's provider checks the data."""
    provider = get_fulfillment_provider(option.provider_id)
    return dict(provider.validate_fulfillment_data(option.data or {}, data, None))


# ---- reading ---------------------------------------------------------------------------------


def query_config(p: AdminGetShippingOptionsParams) -> tuple[Tree, set[str] | None]:
    """utils/get-query-config.ts for the list: `expand` replaces the default relations; `fields`
    selects columns (id and created_at always come along)."""
    relations = list(DEFAULT_RELATIONS)
    fields: set[str] | None = None
    if p.fields is not None:
        custom = [f for f in p.fields.split(",") if f]
        chosen = {f[1:] if f.startswith(("+", "-")) else f for f in custom}
        chosen |= {"id", "created_at"}
        fields = {f for f in chosen if "." not in f and not f.startswith("*")}
    if p.expand is not None:
        relations = [r for r in p.expand.split(",") if r]
    unknown = [r for r in dict.fromkeys(relations) if r not in EXPANDABLE]
    if unknown:
        raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
    ordered = [r for r in ("profile", "provider", "region", "requirements") if r in relations]
    return relation_tree(ordered), fields


async def retrieve_option(tx: AsyncSession, option_id: str, tree: Tree | None = None) -> ShippingOption:
    stmt = select(ShippingOption).where(ShippingOption.id == option_id, ShippingOption.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(ShippingOption, tree))
    option = (await tx.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()
    if option is None:
        raise not_found(f"Shipping Option with {option_id} was not found")
    return option


def _admin_filters(stmt: Select[Any], p: AdminGetShippingOptionsParams) -> Select[Any]:
    if p.deleted_at is None:
        stmt = stmt.where(ShippingOption.deleted_at.is_(None))
    if p.null_filters:
        stmt = stmt.where(false())
    if p.id is not None:
        ids = p.id if isinstance(p.id, list) else [p.id]
        stmt = stmt.where(ShippingOption.id.in_(ids))
    if p.q:
        # ShippingOptionService.listAndCount: q replaces a name filter
        stmt = apply_search(stmt, p.q, [ShippingOption.name])
    elif p.name is not None:
        stmt = stmt.where(ShippingOption.name == p.name)
    if p.region_id is not None:
        stmt = stmt.where(ShippingOption.region_id == p.region_id)
    if p.is_return is not None:
        stmt = stmt.where(ShippingOption.is_return.is_(p.is_return))
    if p.admin_only is not None:
        stmt = stmt.where(ShippingOption.admin_only.is_(p.admin_only))
    for name in ("created_at", "updated_at", "deleted_at"):
        value = getattr(p, name)
        if value is not None:
            stmt = apply_date_filter(stmt, getattr(ShippingOption, name), value)
    return stmt


async def list_options(
    tx: AsyncSession, p: AdminGetShippingOptionsParams, tree: Tree
) -> tuple[list[ShippingOption], int]:
    stmt = _admin_filters(select(ShippingOption), p)
    count = await count_rows(tx, stmt)
    stmt = apply_page(apply_order(stmt, ShippingOption, p.order, default="-created_at"), p.offset, p.limit)
    rows = (await tx.execute(stmt.options(*load_options(ShippingOption, tree)))).scalars().all()
    return list(rows), count


async def store_list_options(tx: AsyncSession, p: StoreGetShippingOptionsParams) -> list[ShippingOption]:
    """store/shipping-options/list-options.ts: options that are not admin_only.

    With `product_ids`, Medusa 1.20 (without the v2 flag) filters on `product.profile_id`, which
    its products loaded without their profiles do not carry: the filter matches no option, so any
    non-empty `product_ids` answers an empty list. Mercato answers the same."""
    if p.product_ids:
        return []
    stmt = select(ShippingOption).where(
        ShippingOption.deleted_at.is_(None), ShippingOption.admin_only.is_(False)
    )
    if p.is_return is not None:
        stmt = stmt.where(ShippingOption.is_return.is_(p.is_return == "true"))
    if p.region_id:
        stmt = stmt.where(ShippingOption.region_id == p.region_id)
    stmt = stmt.order_by(ShippingOption.created_at, ShippingOption.id)
    rows = (await tx.execute(stmt.options(*load_options(ShippingOption, STORE_TREE)))).scalars().all()
    return list(rows)


def present_option(option: ShippingOption, tree: Tree, fields: set[str] | None = None) -> dict[str, Any]:
    out = present(option, tree, fields)
    assert out is not None
    region = out.get("region")
    if isinstance(region, dict) and "tax_rate" in region:
        region["tax_rate"] = float4(region["tax_rate"])
    return out


async def price_options(tx: AsyncSession, options: list[ShippingOption], shown: list[dict[str, Any]]) -> None:
    """PricingService.setShippingOptionPrices: each option's price with tax (two queries)."""
    if not options:
        return
    region_ids = sorted({o.region_id for o in options})
    regions = {
        r.id: r
        for r in (
            await tx.execute(select(Region).where(Region.id.in_(region_ids), Region.deleted_at.is_(None)))
        ).scalars()
    }
    option_ids = [o.id for o in options]
    rates: dict[str, list[dict[str, Any]]] = {}
    rows = (
        await tx.execute(
            select(ShippingTaxRate.shipping_option_id, TaxRate.rate, TaxRate.name, TaxRate.code)
            .join(TaxRate, TaxRate.id == ShippingTaxRate.rate_id)
            .where(ShippingTaxRate.shipping_option_id.in_(option_ids))
            .order_by(TaxRate.created_at, TaxRate.id)
        )
    ).all()
    for option_id, rate, name, code in rows:
        rates.setdefault(option_id, []).append({"rate": float4(rate), "name": name, "code": code})
    for option, out in zip(options, shown, strict=True):
        # Medusa prices the option as selected: without region_id (`fields`) there is no region
        # context and no rate; without amount the price is 0; without includes_tax it is false
        region = regions.get(out["region_id"]) if out.get("region_id") else None
        option_rates: list[dict[str, Any]] = []
        if region is not None and region.automatic_taxes:
            # TaxProviderService.getRegionRatesForShipping: the option's rates, else the region's
            option_rates = rates.get(option.id) or [
                {"rate": float4(region.tax_rate), "name": "default", "code": "default"}
            ]
        price = out.get("amount") or 0
        includes_tax = bool(out.get("includes_tax"))
        tax_amount = js_round(calculate_price_tax_amount(price, tax_rate_sum(option_rates), includes_tax))
        out["price_incl_tax"] = price if includes_tax else price + tax_amount
        out["tax_rates"] = option_rates
        out["tax_amount"] = tax_amount


# ---- writing ---------------------------------------------------------------------------------


def _validate_price_type(price_type: str, provider_id: str) -> str:
    """ShippingOptionService.validatePriceType_."""
    if price_type not in ("flat_rate", "calculated"):
        raise invalid_data("The price must be of type flat_rate or calculated")
    if price_type == "calculated" and not get_fulfillment_provider(provider_id).can_calculate({}):
        raise invalid_data("The fulfillment provider cannot calculate prices for this option")
    return price_type


def _check_flat_rate(price_type: str, amount: float | None) -> None:
    if price_type == "flat_rate" and (amount is None or amount < 0):
        raise invalid_data("Shipping options of type `flat_rate` must have an `amount`")


def _check_requirement_list(acc: list[tuple[str, float]], kind: str, amount: float) -> None:
    """The two rules create and update apply to each requirement against those before it."""
    if any(t == kind for t, _ in acc):
        raise invalid_data("Only one requirement of each type is allowed")
    if any((t == "max_subtotal" and amount > a) or (t == "min_subtotal" and amount < a) for t, a in acc):
        raise invalid_data("Max. subtotal must be greater than Min. subtotal")


def _requirement_type(kind: str | None) -> str:
    """ShippingOptionService.validateRequirement_'s checks of the type."""
    if not kind:
        raise invalid_data("A Shipping Requirement must have a type field")
    if kind not in ("min_subtotal", "max_subtotal"):
        raise invalid_data("Requirement type must be one of min_subtotal, max_subtotal")
    return kind


def _int_amount(value: float | None) -> int | None:
    if value is None:
        return None
    if not float(value).is_integer():
        # PostgreSQL refuses a fraction for an integer column; Medusa answers its error text
        raise invalid_data(f'invalid input syntax for type integer: "{value}"')
    return int(value)


async def create_option(tx: AsyncSession, data: AdminPostShippingOptionsReq) -> ShippingOption:
    profile_id = data.profile_id
    if not profile_id:
        # create-shipping-option.ts: the default shipping profile
        profile_id = (await ensure_default_profiles(tx))["default"].id
    price_type = _validate_price_type(data.price_type, data.provider_id)
    amount = None if price_type == "calculated" else data.amount
    _check_flat_rate(price_type, amount)

    region = (
        await tx.execute(select(Region.id).where(Region.id == data.region_id, Region.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if region is None:
        raise not_found(f"Region with {data.region_id} was not found")
    in_region = (
        await tx.execute(
            select(t_region_fulfillment_providers.c.provider_id).where(
                t_region_fulfillment_providers.c.region_id == data.region_id,
                t_region_fulfillment_providers.c.provider_id == data.provider_id,
            )
        )
    ).first()
    if in_region is None:
        raise invalid_data("The fulfillment provider is not available in the provided region")
    if not get_fulfillment_provider(data.provider_id).validate_option(data.data or {}):
        raise invalid_data("The fulfillment provider cannot validate the shipping option")

    acc: list[tuple[str, float]] = []
    for r in data.requirements or []:
        kind = _requirement_type(r.type)
        _check_requirement_list(acc, kind, r.amount)
        acc.append((kind, r.amount))

    # the insert's foreign key on profile_id, worded as Medusa's error handler words it
    exists = (
        await tx.execute(select(ShippingProfile.id).where(ShippingProfile.id == profile_id))
    ).scalar_one_or_none()
    if exists is None:
        raise not_found(f"Shipping_profile with profile_id {profile_id} does not exist.")

    option = ShippingOption(
        name=data.name,
        region_id=data.region_id,
        profile_id=profile_id,
        provider_id=data.provider_id,
        price_type=price_type,
        amount=_int_amount(amount),
        is_return=data.is_return,
        admin_only=data.admin_only,
        data=data.data,
        # stored as given ("" and null included): create does not merge
        metadata_=data.metadata,
        includes_tax=bool(data.includes_tax) if data.includes_tax is not None else False,
    )
    tx.add(option)
    await tx.flush()
    for kind, value in acc:
        amount_int = _int_amount(value)
        assert amount_int is not None
        tx.add(ShippingOptionRequirement(shipping_option_id=option.id, type=kind, amount=amount_int))
    await tx.flush()
    return option


async def update_option(
    tx: AsyncSession, option_id: str, data: AdminPostShippingOptionsOptionReq
) -> ShippingOption:
    option = await retrieve_option(tx, option_id, relation_tree(["requirements"]))
    if data.metadata is not None:
        option.metadata_ = merge_metadata(option.metadata_, data.metadata)

    current = list(option.requirements)
    acc: list[tuple[str, float]] = []
    kept: set[str] = set()
    writes: list[tuple[ShippingOptionRequirement | None, str, int]] = []
    for r in data.requirements:
        kind = _requirement_type(r.type)
        existing: ShippingOptionRequirement | None = None
        if r.id:
            existing = (
                await tx.execute(
                    select(ShippingOptionRequirement).where(
                        ShippingOptionRequirement.id == r.id, ShippingOptionRequirement.deleted_at.is_(None)
                    )
                )
            ).scalar_one_or_none()
            if existing is None:
                raise invalid_data(f"Shipping option requirement with id {r.id} does not exist")
        _check_requirement_list(acc, kind, r.amount)
        acc.append((kind, r.amount))
        amount_int = _int_amount(r.amount)
        assert amount_int is not None
        writes.append((existing, kind, amount_int))
        if existing is not None:
            kept.add(existing.id)
    now = utcnow()
    for req in current:
        if req.id not in kept:
            req.deleted_at = now
    await tx.flush()
    for existing, kind, amount_int in writes:
        if existing is not None:
            existing.type = kind
            existing.amount = amount_int
        else:
            tx.add(ShippingOptionRequirement(shipping_option_id=option.id, type=kind, amount=amount_int))

    # validateAndMutatePrice
    price_type = option.price_type
    amount: float | None = option.amount
    if "amount" in data.model_fields_set:  # isDefined: an explicit null counts (a flat rate refuses it)
        amount = data.amount
    if data.price_type is not None:
        price_type = _validate_price_type(data.price_type, option.provider_id)
        if price_type == "calculated":
            amount = None
    _check_flat_rate(price_type, amount)

    # an explicit null reaches the NOT NULL columns, which refuse it
    refuse_nulls("shipping_option", data, ("name", "admin_only", "includes_tax"))
    values: dict[str, Any] = {"price_type": price_type, "amount": _int_amount(amount)}
    if data.name is not None:
        values["name"] = data.name
    if data.admin_only is not None:
        values["admin_only"] = data.admin_only
    if data.includes_tax is not None:
        values["includes_tax"] = data.includes_tax
    for attr, value in values.items():
        if getattr(option, attr) != value:
            setattr(option, attr, value)
    await tx.flush()
    return option


async def delete_option(tx: AsyncSession, option_id: str) -> None:
    """Soft delete; idempotent (an unknown id is no error), as Medusa."""
    option = (
        await tx.execute(
            select(ShippingOption).where(ShippingOption.id == option_id, ShippingOption.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    if option is None:
        return
    option.deleted_at = utcnow()
    await tx.flush()
