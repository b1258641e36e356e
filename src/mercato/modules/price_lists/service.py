"""Price lists: sale and override prices per currency or region, with quantity tiers, dates and
customer groups (Medusa's services/price-list.ts, repositories/price-list.ts and the price list
parts of repositories/money-amount.ts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import Select, and_, delete, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import invalid_data, not_found, refuse_nulls
from mercato.core.present import Tree, present, relation_tree
from mercato.core.query import DateFilter, apply_date_filter, apply_order
from mercato.modules.currencies.models import Currency
from mercato.modules.customers.models import CustomerGroup
from mercato.modules.price_lists.models import PriceList, t_price_list_customer_groups
from mercato.modules.price_lists.schemas import (
    AdminGetPriceListPaginationParams,
    AdminGetPriceListsPriceListProductsParams,
    AdminPostPriceListsPriceListPriceListReq,
    AdminPostPriceListsPriceListReq,
    PriceInput,
)
from mercato.modules.products.models import (
    MoneyAmount,
    Product,
    ProductType,
    ProductVariant,
    ProductVariantMoneyAmount,
    t_product_tags,
)
from mercato.modules.regions.models import Region

# api/routes/admin/price-lists/index.ts
DEFAULT_RELATIONS = ["prices", "prices.variants", "customer_groups"]
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)
ALLOWED_RELATIONS = {"prices", "prices.variants", "customer_groups"}

# admin products' default relations without `variants.prices` (the list's prices are added)
PRODUCT_RELATIONS = [
    "variants",
    "variants.options",
    "profiles",
    "images",
    "options",
    "options.values",
    "tags",
    "type",
    "collection",
]

_PRICE_LIST_COLUMNS = ("name", "description", "type", "status", "starts_at", "ends_at")


# ---- reading ---------------------------------------------------------------------------------


async def retrieve_price_list(tx: AsyncSession, price_list_id: str) -> PriceList:
    price_list = (
        await tx.execute(
            select(PriceList)
            .where(PriceList.id == price_list_id, PriceList.deleted_at.is_(None))
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if price_list is None:
        raise not_found(f"Price list with id: {price_list_id} was not found")
    return price_list


def _variant_json(variant: ProductVariant) -> dict[str, Any]:
    out = present(variant)
    assert out is not None
    return out


async def present_price_lists(
    tx: AsyncSession, price_lists: Sequence[PriceList], tree: Tree
) -> list[dict[str, Any]]:
    """Each price list with the relations of `tree` (prices, prices.variants, customer_groups),
    loaded with one query per relation whatever the number of lists."""
    ids = [pl.id for pl in price_lists]
    out = []
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    prices: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if ids and "customer_groups" in tree:
        rows = await tx.execute(
            select(t_price_list_customer_groups.c.price_list_id, CustomerGroup)
            .join(CustomerGroup, CustomerGroup.id == t_price_list_customer_groups.c.customer_group_id)
            .where(t_price_list_customer_groups.c.price_list_id.in_(ids), CustomerGroup.deleted_at.is_(None))
            .order_by(CustomerGroup.id)
        )
        for list_id, group in rows:
            groups[list_id].append(present(group) or {})
    if ids and "prices" in tree:
        amounts = list(
            (
                await tx.execute(
                    select(MoneyAmount)
                    .where(MoneyAmount.price_list_id.in_(ids), MoneyAmount.deleted_at.is_(None))
                    .order_by(MoneyAmount.id)
                )
            ).scalars()
        )
        variants: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if amounts and "variants" in tree["prices"]:
            rows = await tx.execute(
                select(ProductVariantMoneyAmount.money_amount_id, ProductVariant)
                .join(ProductVariant, ProductVariant.id == ProductVariantMoneyAmount.variant_id)
                .where(
                    ProductVariantMoneyAmount.money_amount_id.in_([a.id for a in amounts]),
                    ProductVariantMoneyAmount.deleted_at.is_(None),
                    ProductVariant.deleted_at.is_(None),
                )
                .order_by(ProductVariant.id)
            )
            for amount_id, variant in rows:
                variants[amount_id].append(_variant_json(variant))
        for amount in amounts:
            item = present(amount)
            assert item is not None and amount.price_list_id is not None
            if "variants" in tree["prices"]:
                # MoneyAmount.afterLoad: `variant` and `variant_id` are the first of `variants`
                linked = variants.get(amount.id, [])
                item["variants"] = linked
                if linked:
                    item["variant"] = linked[0]
                    item["variant_id"] = linked[0]["id"]
            prices[amount.price_list_id].append(item)
    for pl in price_lists:
        item = present(pl)
        assert item is not None
        if "customer_groups" in tree:
            item["customer_groups"] = groups.get(pl.id, [])
        if "prices" in tree:
            item["prices"] = prices.get(pl.id, [])
        out.append(item)
    return out


async def present_price_list(
    tx: AsyncSession, price_list_id: str, tree: Tree = DEFAULT_TREE
) -> dict[str, Any]:
    price_list = await retrieve_price_list(tx, price_list_id)
    return (await present_price_lists(tx, [price_list], tree))[0]


def list_tree(p: AdminGetPriceListPaginationParams) -> Tree:
    """The list route has no default relations; `expand` names them. With `q` or a
    `customer_groups` filter Medusa joins the groups, and answers them too."""
    relations = [r.strip() for r in (p.expand or "").split(",") if r.strip()]
    unknown = [r for r in dict.fromkeys(relations) if r not in ALLOWED_RELATIONS]
    if unknown:
        raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
    if p.q or p.customer_groups:
        relations.append("customer_groups")
    return relation_tree(relations)


def _as_list(value: str | list[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _apply_dates(stmt: Select[Any], model: Any, dates: dict[str, DateFilter | None]) -> Select[Any]:
    for name, op in dates.items():
        if op is None:
            continue
        stmt = apply_date_filter(stmt, getattr(model, name), op)
    return stmt


async def list_price_lists(
    tx: AsyncSession, p: AdminGetPriceListPaginationParams
) -> tuple[list[PriceList], int]:
    stmt = select(PriceList)
    if p.deleted_at is None:
        stmt = stmt.where(PriceList.deleted_at.is_(None))
    stmt = _apply_dates(
        stmt, PriceList, {"created_at": p.created_at, "updated_at": p.updated_at, "deleted_at": p.deleted_at}
    )
    for name in ("id", "description"):
        value = getattr(p, name)
        if value is not None:
            stmt = stmt.where(getattr(PriceList, name) == value)
    named = PriceList.name == p.name if p.name is not None else None
    if named is not None and not p.q:
        stmt = stmt.where(named)
    for name in ("status", "type"):
        values = _as_list(getattr(p, name))
        if values is not None:
            stmt = stmt.where(getattr(PriceList, name).in_(values))
    link = t_price_list_customer_groups
    groups = _as_list(p.customer_groups)
    if groups is not None:
        stmt = stmt.where(
            exists().where(link.c.price_list_id == PriceList.id, link.c.customer_group_id.in_(groups))
        )
    if p.q:
        pattern = f"%{p.q}%"
        group_named = exists().where(
            link.c.price_list_id == PriceList.id,
            CustomerGroup.id == link.c.customer_group_id,
            CustomerGroup.name.ilike(pattern),
        )
        # the repository's three alternatives: the first replaces a `name` filter, the others
        # keep it
        others = or_(PriceList.description.ilike(pattern), group_named)
        stmt = stmt.where(
            or_(PriceList.name.ilike(pattern), others if named is None else and_(named, others))
        )
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = apply_order(stmt, PriceList, p.order, default="-created_at").offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    return list((await tx.execute(stmt)).scalars()), count


# ---- prices ----------------------------------------------------------------------------------


async def _prepare_prices(tx: AsyncSession, prices: Sequence[PriceInput]) -> list[dict[str, Any]]:
    """addCurrencyFromRegion plus what the database would refuse: a region price takes its
    region's currency; regions, currencies and variants must exist."""
    region_ids = {p.region_id for p in prices if p.region_id}
    regions: dict[str, str] = {}
    if region_ids:
        rows = await tx.execute(
            select(Region.id, Region.currency_code).where(
                Region.id.in_(region_ids), Region.deleted_at.is_(None)
            )
        )
        regions = {rid: code for rid, code in rows}
    out = []
    for price in prices:
        values = price.model_dump(exclude_unset=True)
        if price.region_id:
            if price.region_id not in regions:
                # Medusa fails with a 500 here (the region's currency is read from nothing)
                raise not_found(f"Region with {price.region_id} was not found")
            values["currency_code"] = regions[price.region_id]
        out.append(values)
    codes = {v["currency_code"] for v in out if v.get("currency_code")}
    if codes:
        known = set((await tx.execute(select(Currency.code).where(Currency.code.in_(codes)))).scalars())
        for values in out:
            code = values.get("currency_code")
            if code and code not in known:
                raise not_found(f"Currency with currency_code {code} does not exist.")
    variant_ids = {v["variant_id"] for v in out if v.get("variant_id")}
    if variant_ids:
        known = set(
            (
                await tx.execute(
                    select(ProductVariant.id).where(
                        ProductVariant.id.in_(variant_ids), ProductVariant.deleted_at.is_(None)
                    )
                )
            ).scalars()
        )
        for values in out:
            if values.get("variant_id") and values["variant_id"] not in known:
                # Medusa stores a price for a variant that does not exist; we refuse it
                raise not_found(f"Variant with id: {values['variant_id']} was not found")
    return out


async def _insert_prices(tx: AsyncSession, price_list_id: str, prices: Iterable[dict[str, Any]]) -> list[str]:
    """MoneyAmountRepository.addPriceListPrices: new money amounts of the list, linked to their
    variants (an `id` in the input is not reused)."""
    ids = []
    for values in prices:
        amount = MoneyAmount(
            currency_code=values.get("currency_code"),
            amount=values["amount"],
            region_id=values.get("region_id"),
            min_quantity=values.get("min_quantity"),
            max_quantity=values.get("max_quantity"),
            price_list_id=price_list_id,
        )
        tx.add(amount)
        await tx.flush()
        tx.add(ProductVariantMoneyAmount(money_amount_id=amount.id, variant_id=values["variant_id"]))
        ids.append(amount.id)
    await tx.flush()
    return ids


async def _delete_prices(
    tx: AsyncSession, price_list_id: str, amount_ids: Sequence[str] | None = None
) -> None:
    """Remove money amounts of the list (all of them, or these) and their variant links."""
    stmt = select(MoneyAmount.id).where(MoneyAmount.price_list_id == price_list_id)
    if amount_ids is not None:
        stmt = stmt.where(MoneyAmount.id.in_(list(amount_ids)))
    doomed = list((await tx.execute(stmt)).scalars())
    if not doomed:
        return
    await tx.execute(
        delete(ProductVariantMoneyAmount)
        .where(ProductVariantMoneyAmount.money_amount_id.in_(doomed))
        .execution_options(synchronize_session=False)
    )
    await tx.execute(
        delete(MoneyAmount).where(MoneyAmount.id.in_(doomed)).execution_options(synchronize_session=False)
    )


async def _update_prices(tx: AsyncSession, price_list_id: str, prices: Sequence[PriceInput]) -> None:
    """MoneyAmountRepository.updatePriceListPrices: a price with an `id` is updated (it must be a
    price of this list: Medusa would write any money amount), one without is added."""
    prepared = await _prepare_prices(tx, prices)
    existing_ids = [v["id"] for v in prepared if v.get("id")]
    existing: dict[str, MoneyAmount] = {}
    if existing_ids:
        rows = await tx.execute(
            select(MoneyAmount).where(
                MoneyAmount.id.in_(existing_ids),
                MoneyAmount.price_list_id == price_list_id,
                MoneyAmount.deleted_at.is_(None),
            )
        )
        existing = {a.id: a for a in rows.scalars()}
    new = []
    for values in prepared:
        amount_id = values.get("id")
        if not amount_id:
            new.append(values)
            continue
        amount = existing.get(amount_id)
        if amount is None:
            raise not_found(f"Money amount with id: {amount_id} was not found in price list {price_list_id}")
        for column in ("amount", "currency_code", "region_id", "min_quantity", "max_quantity"):
            if column in values and getattr(amount, column) != values[column]:
                setattr(amount, column, values[column])
        if values.get("variant_id"):
            await tx.execute(
                delete(ProductVariantMoneyAmount)
                .where(
                    ProductVariantMoneyAmount.money_amount_id == amount_id,
                    ProductVariantMoneyAmount.variant_id != values["variant_id"],
                )
                .execution_options(synchronize_session=False)
            )
            linked = (
                await tx.execute(
                    select(ProductVariantMoneyAmount.id).where(
                        ProductVariantMoneyAmount.money_amount_id == amount_id,
                        ProductVariantMoneyAmount.variant_id == values["variant_id"],
                    )
                )
            ).first()
            if linked is None:
                tx.add(ProductVariantMoneyAmount(money_amount_id=amount_id, variant_id=values["variant_id"]))
    await tx.flush()
    await _insert_prices(tx, price_list_id, new)


async def _set_customer_groups(tx: AsyncSession, price_list_id: str, groups: Sequence[str]) -> None:
    """upsertCustomerGroups_: the list's groups become exactly these (each must exist)."""
    wanted = list(dict.fromkeys(groups))
    if wanted:
        found = set(
            (
                await tx.execute(
                    select(CustomerGroup.id).where(
                        CustomerGroup.id.in_(wanted), CustomerGroup.deleted_at.is_(None)
                    )
                )
            ).scalars()
        )
        for group_id in wanted:
            if group_id not in found:
                raise not_found(f"CustomerGroup with id {group_id} was not found")
    link = t_price_list_customer_groups
    await tx.execute(delete(link).where(link.c.price_list_id == price_list_id))
    if wanted:
        await tx.execute(
            insert(link), [{"price_list_id": price_list_id, "customer_group_id": g} for g in wanted]
        )


# ---- writing ---------------------------------------------------------------------------------


async def create_price_list(tx: AsyncSession, data: AdminPostPriceListsPriceListReq) -> PriceList:
    given = data.model_fields_set
    values: dict[str, Any] = {"name": data.name, "description": data.description, "type": data.type}
    for name in ("status", "starts_at", "ends_at"):
        if name in given and getattr(data, name) is not None:
            values[name] = getattr(data, name)
    if data.includes_tax is not None:
        values["includes_tax"] = data.includes_tax
    prices = await _prepare_prices(tx, data.prices)
    price_list = PriceList(**values)
    tx.add(price_list)
    await tx.flush()
    await _insert_prices(tx, price_list.id, prices)
    if data.customer_groups is not None:
        await _set_customer_groups(tx, price_list.id, [g.id for g in data.customer_groups])
    return price_list


async def update_price_list(
    tx: AsyncSession, price_list_id: str, data: AdminPostPriceListsPriceListPriceListReq
) -> PriceList:
    price_list = await retrieve_price_list(tx, price_list_id)
    given = data.model_fields_set
    values = {name: getattr(data, name) for name in _PRICE_LIST_COLUMNS if name in given}
    # `undefined` is skipped, null is written (starts_at/ends_at: null clears the date)
    refuse_nulls("price_list", data, ("name", "description", "type", "status", "includes_tax"))
    if data.includes_tax is not None:
        values["includes_tax"] = data.includes_tax
    if data.prices is not None:
        await _update_prices(tx, price_list.id, data.prices)
    if data.customer_groups is not None:
        await _set_customer_groups(tx, price_list.id, [g.id for g in data.customer_groups])
    for attr, value in values.items():
        if getattr(price_list, attr) != value:
            setattr(price_list, attr, value)
    await tx.flush()
    return price_list


async def delete_price_list(tx: AsyncSession, price_list_id: str) -> None:
    """A real delete (priceListRepo.remove); an unknown id is no error. The list's prices go with
    it (ON DELETE CASCADE in Medusa's schema; done explicitly, with their variant links)."""
    price_list = await tx.get(PriceList, price_list_id)
    if price_list is None:
        return
    await _delete_prices(tx, price_list_id)
    await tx.execute(
        delete(t_price_list_customer_groups).where(
            t_price_list_customer_groups.c.price_list_id == price_list_id
        )
    )
    await tx.delete(price_list)
    await tx.flush()


async def add_prices(
    tx: AsyncSession, price_list_id: str, prices: Sequence[PriceInput], replace: bool
) -> None:
    """POST /prices/batch: add prices; with `override`, the list keeps only these."""
    price_list = await retrieve_price_list(tx, price_list_id)
    prepared = await _prepare_prices(tx, prices)
    if replace:
        await _delete_prices(tx, price_list.id)
    await _insert_prices(tx, price_list.id, prepared)


async def delete_prices(tx: AsyncSession, price_list_id: str, price_ids: Sequence[str]) -> None:
    price_list = await retrieve_price_list(tx, price_list_id)
    await _delete_prices(tx, price_list.id, price_ids)


async def _list_price_ids_for_variants(
    tx: AsyncSession, price_list_id: str, variant_filter: Any
) -> list[str]:
    stmt = (
        select(MoneyAmount.id)
        .join(ProductVariantMoneyAmount, ProductVariantMoneyAmount.money_amount_id == MoneyAmount.id)
        .join(ProductVariant, ProductVariant.id == ProductVariantMoneyAmount.variant_id)
        .where(
            MoneyAmount.price_list_id == price_list_id,
            MoneyAmount.deleted_at.is_(None),
            ProductVariantMoneyAmount.deleted_at.is_(None),
            ProductVariant.deleted_at.is_(None),
            variant_filter,
        )
        .order_by(ProductVariant.product_id, ProductVariant.id, MoneyAmount.id)
    )
    return list(dict.fromkeys((await tx.execute(stmt)).scalars()))


async def delete_product_prices(
    tx: AsyncSession, price_list_id: str, product_ids: Sequence[str]
) -> list[str]:
    """PriceListService.deleteProductPrices: the list's prices of these products' variants (an
    unknown list or product deletes nothing)."""
    live_products = select(Product.id).where(Product.id.in_(list(product_ids)), Product.deleted_at.is_(None))
    ids = await _list_price_ids_for_variants(tx, price_list_id, ProductVariant.product_id.in_(live_products))
    await _delete_prices(tx, price_list_id, ids)
    return ids


async def delete_variant_prices(
    tx: AsyncSession, price_list_id: str, variant_ids: Sequence[str]
) -> list[str]:
    ids = await _list_price_ids_for_variants(tx, price_list_id, ProductVariant.id.in_(list(variant_ids)))
    await _delete_prices(tx, price_list_id, ids)
    return ids


# ---- the list's products ---------------------------------------------------------------------


async def list_products(
    tx: AsyncSession, price_list_id: str, p: AdminGetPriceListsPriceListProductsParams
) -> tuple[list[dict[str, Any]], int]:
    """GET /admin/price-lists/:id/products: products with a variant priced in the list, as the
    admin products list shows them, each variant with its default prices and the list's prices
    (each with its `price_list`)."""
    in_list = (
        select(ProductVariant.product_id)
        .join(ProductVariantMoneyAmount, ProductVariantMoneyAmount.variant_id == ProductVariant.id)
        .join(MoneyAmount, MoneyAmount.id == ProductVariantMoneyAmount.money_amount_id)
        .where(
            MoneyAmount.price_list_id == price_list_id,
            MoneyAmount.deleted_at.is_(None),
            ProductVariantMoneyAmount.deleted_at.is_(None),
            ProductVariant.deleted_at.is_(None),
        )
    )
    stmt = select(Product.id).where(Product.id.in_(in_list))
    if p.deleted_at is None:
        stmt = stmt.where(Product.deleted_at.is_(None))
    stmt = _apply_dates(
        stmt, Product, {"created_at": p.created_at, "updated_at": p.updated_at, "deleted_at": p.deleted_at}
    )
    ids = _as_list(p.id)
    if ids is not None:
        stmt = stmt.where(Product.id.in_(ids))
    statuses = _as_list(p.status)
    if statuses is not None:
        stmt = stmt.where(Product.status.in_(statuses))
    for name in ("title", "description", "handle"):
        value = getattr(p, name)
        if value is not None:
            stmt = stmt.where(getattr(Product, name) == value)
    if p.is_giftcard is not None:
        stmt = stmt.where(Product.is_giftcard.is_(p.is_giftcard))
    if p.collection_id is not None:
        stmt = stmt.where(Product.collection_id.in_(p.collection_id))
    if p.tags is not None:
        stmt = stmt.where(
            exists().where(
                t_product_tags.c.product_id == Product.id, t_product_tags.c.product_tag_id.in_(p.tags)
            )
        )
    if p.type is not None:
        stmt = stmt.where(
            exists().where(
                ProductType.id == Product.type_id, or_(ProductType.id == p.type, ProductType.value == p.type)
            )
        )
    if p.q:
        pattern = f"%{p.q}%"
        variant_match = exists().where(
            ProductVariant.product_id == Product.id,
            ProductVariant.deleted_at.is_(None),
            or_(ProductVariant.title.ilike(pattern), ProductVariant.sku.ilike(pattern)),
        )
        stmt = stmt.where(
            or_(
                Product.title.ilike(pattern),
                Product.description.ilike(pattern),
                Product.handle.ilike(pattern),
                variant_match,
            )
        )
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = apply_order(stmt.add_columns(Product.created_at), Product, p.order, default="-created_at").offset(
        p.offset
    )
    if p.limit:
        stmt = stmt.limit(p.limit)
    product_ids = [row[0] for row in await tx.execute(stmt)]
    products = await _render_products(tx, product_ids, p.expand, p.fields)
    variant_ids = [v["id"] for prod in products for v in prod.get("variants") or []]
    prices = await _variant_prices_in_list(tx, price_list_id, variant_ids)
    for prod in products:
        for variant in prod.get("variants") or []:
            variant["prices"] = prices.get(variant["id"], [])
    return products, count


async def _render_products(
    tx: AsyncSession, product_ids: Sequence[str], expand: str | None, fields: str | None
) -> list[dict[str, Any]]:
    """The products as the admin products list shows them, `expand` and `fields` applied
    (list-price-list-products.ts passes its listConfig on)."""
    from mercato.modules.products import service as products

    selection = products.query_config(
        expand, fields, PRODUCT_RELATIONS, products.PRODUCT_COLUMNS, is_list=True
    )
    if not product_ids:
        return []
    rendered: list[dict[str, Any]] = orjson.loads(
        await products.products_json(tx, product_ids, selection, pricing=False)
    )
    return rendered


def _price_list_json(pl: PriceList) -> dict[str, Any]:
    out = present(pl)
    assert out is not None
    return out


async def _variant_prices_in_list(
    tx: AsyncSession, price_list_id: str, variant_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """findManyForVariantInPriceList: each variant's prices of this list and its default prices."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not variant_ids:
        return out
    rows = await tx.execute(
        select(ProductVariantMoneyAmount.variant_id, MoneyAmount, PriceList)
        .join(MoneyAmount, MoneyAmount.id == ProductVariantMoneyAmount.money_amount_id)
        .outerjoin(PriceList, and_(PriceList.id == MoneyAmount.price_list_id, PriceList.deleted_at.is_(None)))
        .where(
            ProductVariantMoneyAmount.variant_id.in_(list(variant_ids)),
            ProductVariantMoneyAmount.deleted_at.is_(None),
            MoneyAmount.deleted_at.is_(None),
            or_(MoneyAmount.price_list_id == price_list_id, MoneyAmount.price_list_id.is_(None)),
        )
        .order_by(MoneyAmount.id)
    )
    for variant_id, amount, pl in rows:
        item = present(amount)
        assert item is not None
        item["price_list"] = _price_list_json(pl) if pl is not None else None
        out[variant_id].append(item)
    return out
