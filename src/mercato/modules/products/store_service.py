"""The Store's products (api/routes/store/products): only published products in a listing, the
publishable API key's sales channels (or the store's default channel without a key), and prices
for a region / currency / cart (PricingService.setProductPrices with include_discount_prices).

The rows are rendered by the database as the admin routes do (products/render.py); the pricing
keys are then merged onto the variants from `price_variants` (two or three queries for the page).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import invalid_data, not_found
from mercato.modules.categories.models import ProductCategory
from mercato.modules.price_lists.pricing_service import price_variants, pricing_context
from mercato.modules.products import service
from mercato.modules.products.models import Product, ProductSalesChannel, ProductVariant
from mercato.modules.products.schemas import AdminGetProductsParams
from mercato.modules.products.service import Selection
from mercato.modules.store.models import Store

# api/routes/store/products/index.ts
STORE_RELATIONS = [
    "variants",
    "variants.prices",
    "variants.options",
    "options",
    "options.values",
    "images",
    "tags",
    "collection",
    "type",
    "profiles",
]
STORE_FIELDS = {
    "id",
    "title",
    "subtitle",
    "status",
    "external_id",
    "description",
    "handle",
    "is_giftcard",
    "discountable",
    "thumbnail",
    "collection_id",
    "type_id",
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "created_at",
    "updated_at",
    "deleted_at",
    "metadata",
}
ALLOWED_FIELDS = STORE_FIELDS | {"profile_id", "variants.title", "variants.prices.amount"}
# with the product_categories flag on (it is, on Medusa 1.20.11 here)
ALLOWED_RELATIONS = {*STORE_RELATIONS, "variants.inventory_items", "sales_channels", "categories"}

NOT_IN_KEY_CHANNELS = (
    "Product with id: {id} is not associated with sales channels defined by the Publishable API Key "
    "passed in the header of the request."
)
PARAM_NOT_IN_KEY = (
    "Provided sales channel id param: {ids} is not associated with the Publishable API Key passed in "
    "the header of the request."
)


class RequestErrors(Exception):
    """Medusa's `req.errors` (pushed by its publishable-key middlewares): wrapHandler answers 400
    {errors, message}."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors)
        self.errors = errors


INVENTORY_ITEMS = "variants.inventory_items"


def no_inventory_items(products: list[dict[str, Any]], expand: str | None) -> list[dict[str, Any]]:
    """`expand=variants.inventory_items` without an inventory module: each variant's list is empty."""
    if expand and INVENTORY_ITEMS in expand.split(","):
        for product in products:
            for variant in product.get("variants") or ():
                variant["inventory_items"] = []
    return products


def store_selection(expand: str | None, fields: str | None, *, is_list: bool) -> tuple[Selection, set[str]]:
    """transformStoreQuery with the store's allowed fields and relations: the selection and the
    product's keys the answer keeps (cleanResponseData)."""
    wanted_fields = [f.lstrip("+-") for f in (fields or "").split(",") if f]
    wanted_relations = [r for r in (expand or "").split(",") if r]
    if fields is not None:
        unknown = [f for f in wanted_fields if f not in ALLOWED_FIELDS]
        if unknown:
            raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
    if expand is not None:
        unknown = [r for r in wanted_relations if r not in ALLOWED_RELATIONS]
        if unknown:
            raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
    # profile_id is not a column: it is computed from the profiles
    plain_fields = fields
    wants_profile_id = "profile_id" in wanted_fields
    if fields is not None:
        plain_fields = ",".join(f for f in fields.split(",") if f and f.lstrip("+-") != "profile_id")
    expand_value = expand
    if wants_profile_id:
        expand_value = ",".join([*(wanted_relations if expand is not None else STORE_RELATIONS), "profiles"])
    # variants.inventory_items: no inventory module, nothing to load but the variants (each then
    # shows an empty list: see no_inventory_items)
    if expand_value is not None:
        expand_value = ",".join("variants" if r == INVENTORY_ITEMS else r for r in expand_value.split(","))
    selection = service.query_config(
        expand_value, plain_fields, STORE_RELATIONS, STORE_FIELDS, is_list=is_list, default_fields=None
    )
    if fields is not None:
        # cleanResponseData keeps the fields and the expanded relations, or without `expand` the
        # route's allowed relations (so the default ones stay)
        shown = wanted_relations if expand is not None else ALLOWED_RELATIONS
        keep = set(selection.fields or ()) | set(wanted_fields) | set(shown)
    else:
        keep = ALLOWED_FIELDS | ALLOWED_RELATIONS
    keep = {k.split(".", 1)[0] for k in keep}
    return selection, keep


async def default_sales_channel_id(tx: AsyncSession) -> str | None:
    return (await tx.execute(select(Store.default_sales_channel_id).limit(1))).scalar_one_or_none()


def check_channel_param(scope: list[str] | None, channel_ids: str | Sequence[str] | None) -> None:
    """validate-sales-channel-param.ts."""
    if scope is None or not channel_ids:
        return
    ids = [channel_ids] if isinstance(channel_ids, str) else list(channel_ids)
    if scope and not all(c in scope for c in ids):
        raise RequestErrors([PARAM_NOT_IN_KEY.format(ids=",".join(ids))])


async def _store_categories(tx: AsyncSession, ids: list[str], children: bool) -> list[str]:
    """The categories a store filter may use: active and public ones (defaultStoreCategoryScope)."""
    found = await service.category_descendants(tx, ids) if children else ids
    if not found:
        return []
    rows = await tx.execute(
        select(ProductCategory.id).where(
            ProductCategory.id.in_(found),
            ProductCategory.is_active.is_(True),
            ProductCategory.is_internal.is_(False),
        )
    )
    return list(rows.scalars())


STORE_RELATION_ORDERS = ("variants.title", "variants.prices.amount")


async def list_store_products(
    tx: AsyncSession, p: Any, scope: list[str] | None
) -> tuple[list[str], int, bool]:
    """The ids of one page of published products, the count of all, and whether the key's scope
    applies (Medusa then loads `sales_channels` too)."""
    check_channel_param(scope, p.sales_channel_id)
    channels = p.sales_channel_id
    scoped = bool(scope)
    if scoped:
        channels = channels or scope
    elif not channels and scope is None:
        default = await default_sales_channel_id(tx)
        channels = [default] if default else None
    values: dict[str, Any] = {
        name: getattr(p, name)
        for name in p.model_fields_set
        if name in AdminGetProductsParams.model_fields
        and name not in ("sales_channel_id", "category_id", "include_category_children")
    }
    if p.order and "." in p.order and p.order.lstrip("-") not in STORE_RELATION_ORDERS:
        # allowedStoreProductsFields names these two relation columns, and no other
        raise invalid_data(f"Order field {p.order.lstrip('-')} is not valid")
    values["status"] = ["published"]
    values["offset"] = p.offset
    values["limit"] = p.limit
    values["order"] = p.order
    if channels:
        values["sales_channel_id"] = list(channels)
    if p.category_id is not None:
        values["category_id"] = await _store_categories(
            tx, list(p.category_id), bool(p.include_category_children)
        )
        values["include_category_children"] = False
    admin_params = AdminGetProductsParams.model_construct(**values)
    ids, count = await service.list_products(tx, admin_params)
    return ids, count, scoped


async def check_product_in_scope(tx: AsyncSession, product_id: str, scope: list[str] | None) -> None:
    """validate-product-sales-channel-association.ts."""
    if not scope:
        return
    found = (
        await tx.execute(
            select(ProductSalesChannel.product_id)
            .where(
                ProductSalesChannel.product_id == product_id,
                ProductSalesChannel.sales_channel_id.in_(scope),
            )
            .limit(1)
        )
    ).first()
    if found is None:
        # isProductInSalesChannels retrieves the product first: an unknown one is a 404
        await get_store_product(tx, product_id)
        raise RequestErrors([NOT_IN_KEY_CHANNELS.format(id=product_id)])


async def get_store_product(tx: AsyncSession, product_id: str) -> None:
    """productService.retrieve: any product by id (the store's retrieve route does not filter on
    the status)."""
    exists = (
        await tx.execute(select(Product.id).where(Product.id == product_id, Product.deleted_at.is_(None)))
    ).first()
    if exists is None:
        raise not_found(f"Product with id: {product_id} was not found")


async def store_products(
    tx: AsyncSession,
    ids: Sequence[str],
    selection: Selection,
    keep: set[str],
    *,
    region_id: str | None,
    currency_code: str | None,
    cart_id: str | None,
    customer_id: str | None = None,
    public_categories: bool = False,
    with_pricing: bool = True,
) -> list[dict[str, Any]]:
    """The products as the store answers them: rendered rows, priced variants (when `variants`
    and `variants.prices` are loaded), keys outside the allowed properties removed.
    `public_categories`: expanded categories only active and public ones. `with_pricing`: the
    relations name both `variants` and `variants.prices` (service.wants_pricing; an expand of
    `variants.prices` alone loads the variants unpriced, as Medusa's routes)."""
    # the context first: an unknown cart or region is a 404 even for an empty page
    tree = selection.tree
    priced = with_pricing and "variants" in tree and "prices" in tree["variants"]
    ctx = None
    if priced:
        ctx = await pricing_context(
            tx,
            region_id=region_id,
            currency_code=currency_code,
            cart_id=cart_id,
            customer_id=customer_id,
            include_discount_prices=True,
        )
    if not ids:
        return []
    text = await service.products_json(tx, ids, selection, pricing=False)
    products: list[dict[str, Any]] = orjson.loads(text)
    if ctx is not None:
        variant_ids = [v["id"] for prod in products for v in prod.get("variants") or () if "id" in v]
        pricing = await price_variants(tx, variant_ids, ctx)
        for prod in products:
            for variant in prod.get("variants") or ():
                found = pricing.get(variant.get("id", ""))
                if found is not None:
                    variant.update(found)
    for i, prod in enumerate(products):
        if public_categories and prod.get("categories"):
            prod["categories"] = [
                c for c in prod["categories"] if c.get("is_active") and not c.get("is_internal")
            ]
        for key in [k for k in prod if k not in keep]:
            del prod[key]
        if "collection" in prod and "collection_id" in prod:
            # Medusa's store answer has `collection_id` right after `collection`
            reordered: dict[str, Any] = {}
            for key, value in prod.items():
                if key != "collection_id":
                    reordered[key] = value
                if key == "collection":
                    reordered["collection_id"] = prod["collection_id"]
            products[i] = reordered
    return products


# ---- variants (api/routes/store/variants) -----------------------------------------------------

# defaultStoreVariantRelations / allowedStoreVariantRelations
VARIANT_RELATIONS = ["prices", "options", "product"]
ALLOWED_VARIANT_RELATIONS = {*VARIANT_RELATIONS, "inventory_items"}
VARIANT_NOT_IN_KEY_CHANNELS = (
    "Variant with id: {id} is not associated with sales channels defined by the Publishable API Key "
    "passed in the header of the request."
)


def variant_selection(expand: str | None, fields: str | None, *, is_list: bool) -> Selection:
    if expand is not None:
        wanted = [r for r in expand.split(",") if r]
        unknown = [r for r in wanted if r not in ALLOWED_VARIANT_RELATIONS]
        if unknown:
            raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
        expand = ",".join(r for r in wanted if r != "inventory_items")
    return service.query_config(expand, fields, VARIANT_RELATIONS, service.VARIANT_COLUMNS, is_list=is_list)


async def check_variant_in_scope(tx: AsyncSession, variant_id: str, scope: list[str] | None) -> None:
    """validate-variant-sales-channel-association.ts."""
    if not scope:
        return
    found = (
        await tx.execute(
            select(ProductVariant.id)
            .join(ProductSalesChannel, ProductSalesChannel.product_id == ProductVariant.product_id)
            .where(ProductVariant.id == variant_id, ProductSalesChannel.sales_channel_id.in_(scope))
            .limit(1)
        )
    ).first()
    if found is None:
        # isVariantInSalesChannels retrieves the variant first: an unknown one is a 404
        await get_store_variant(tx, variant_id)
        raise RequestErrors([VARIANT_NOT_IN_KEY_CHANNELS.format(id=variant_id)])


async def list_store_variants(tx: AsyncSession, p: Any) -> list[str]:
    """ProductVariantService.list: `ids` (comma separated) replaces `id`; no status or channel
    filter (the store's variants route has none)."""
    ids: str | list[str] | None = p.ids.split(",") if p.ids else p.id
    stmt = service.variants_filter(
        select(ProductVariant.id), ids=ids, titles=p.title, inventory_quantity=p.inventory_quantity
    )
    stmt = service._order(stmt, ProductVariant, None).offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    return list((await tx.execute(stmt)).scalars())


async def get_store_variant(tx: AsyncSession, variant_id: str) -> None:
    found = (
        await tx.execute(
            select(ProductVariant.id).where(
                ProductVariant.id == variant_id, ProductVariant.deleted_at.is_(None)
            )
        )
    ).first()
    if found is None:
        raise not_found(f"Variant with id: {variant_id} was not found")


async def store_variants(
    tx: AsyncSession,
    ids: Sequence[str],
    selection: Selection,
    *,
    region_id: str | None,
    currency_code: str | None,
    cart_id: str | None,
    customer_id: str | None = None,
) -> list[dict[str, Any]]:
    """The variants with their relations and prices (PricingService.setVariantPrices)."""
    ctx = await pricing_context(
        tx,
        region_id=region_id,
        currency_code=currency_code,
        cart_id=cart_id,
        customer_id=customer_id,
        include_discount_prices=True,
    )
    if not ids:
        return []
    variants = await service.variants_json(tx, ids, selection)
    pricing = await price_variants(tx, [v["id"] for v in variants if "id" in v], ctx)
    for variant in variants:
        found = pricing.get(variant.get("id", ""))
        if found is not None:
            variant.update(found)
    return variants
