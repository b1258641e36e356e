"""Products, their options and variants, tags and types (Medusa's services/product.ts,
product-variant.ts, product-tag.ts, product-type.ts, the admin product routes' own steps and the
repositories they call).

Reads render JSON in the database (products/render.py): one statement for a page of products
whatever their relations. Writes go through the ORM rows and explicit join rows, flush only (the
request commits), and stage Medusa's events in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Select, and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, duplicate, invalid_data, not_found, refuse_nulls
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, present, relation_tree
from mercato.core.query import DateFilter, apply_date_filter, ordering
from mercato.core.text import kebab_case
from mercato.modules.categories.models import ProductCategory, t_product_category_product
from mercato.modules.collections.models import ProductCollection
from mercato.modules.discounts.models import (
    DiscountConditionProduct,
    DiscountConditionProductTag,
    DiscountConditionProductType,
)
from mercato.modules.products.models import (
    Image,
    MoneyAmount,
    Product,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductTag,
    ProductType,
    ProductVariant,
    ProductVariantInventoryItem,
    ProductVariantMoneyAmount,
    t_product_images,
    t_product_shipping_profile,
    t_product_tags,
)
from mercato.modules.products.render import render_many, render_one
from mercato.modules.products.schemas import (
    AdminGetProductsParams,
    AdminGetProductsVariantsParams,
    AdminPostProductsProductReq,
    AdminPostProductsReq,
    PriceIn,
    TagTypeListParams,
    VariantBody,
    VariantIn,
)
from mercato.modules.products.sqljson import key_order
from mercato.modules.regions.models import Region
from mercato.modules.sales_channels.models import SalesChannel
from mercato.modules.shipping.models import ShippingProfile
from mercato.modules.store.models import Store

# api/routes/admin/products/index.ts, with the sales_channels and product_categories flags on
DEFAULT_RELATIONS = [
    "variants",
    "variants.prices",
    "variants.options",
    "profiles",
    "images",
    "options",
    "options.values",
    "tags",
    "type",
    "collection",
    "sales_channels",
    "categories",
]
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)

# GET /admin/products/:id/variants (defaultAdminGetProductsVariantsRelations)
PRODUCT_VARIANTS_RELATIONS = ["options", "prices"]
# GET /admin/variants (defaultAdminVariantRelations / defaultAdminVariantFields: no variant_rank)
VARIANT_RELATIONS = ["product", "prices", "options"]
VARIANT_FIELDS = {c.name for c in ProductVariant.__table__.columns if c.name != "variant_rank"}

PRODUCT_COLUMNS = {c.name for c in Product.__table__.columns}
VARIANT_COLUMNS = {c.name for c in ProductVariant.__table__.columns}

_VARIANT_UNIQUE = ("sku", "barcode", "ean", "upc")
# their unique indexes, named in PostgreSQL's own message when a variant's INSERT breaks one
_VARIANT_UNIQUE_INDEX = {
    "sku": "IDX_2ca8cfbdafb998ecfd6d340389",
    "barcode": "IDX_045d4a149c09f4704e0bc08dd4",
    "ean": "IDX_b5b6225539ee8501082fbc0714",
    "upc": "IDX_aa16f61348be02dd07ce3fc54e",
}
# createVariantsTransaction: a failed createVariants step is compensated by
# removeVariants(undefined), which throws too; the route joins both messages with "\n"
_COMPENSATION_ERROR = "Cannot read properties of undefined (reading 'length')"


# ---- query configuration (utils/get-query-config.ts) -----------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a query asks to see: relations, the row's columns, and columns of relations."""

    tree: Tree
    fields: set[str] | None = None
    nested: dict[str, set[str]] = field(default_factory=dict)


def query_config(
    expand: str | None,
    fields: str | None,
    defaults: Sequence[str],
    columns: set[str],
    *,
    is_list: bool,
    default_fields: set[str] | None = None,
) -> Selection:
    """utils/get-query-config.ts prepareListQuery: `fields` replaces the default columns (or adds
    "+x" / removes "-x" ones), with `id`, and `created_at` on a list; a dotted field
    ("variants.title") selects a relation's columns and loads that relation; `expand` replaces
    the default relations ("" loads none)."""
    relations: list[str] = []
    chosen: set[str] | None = default_fields
    nested: dict[str, set[str]] = {}
    if fields is not None:
        wanted = [f for f in fields.split(",") if f]
        if not wanted or any(not f.startswith(("-", "+", "*")) for f in wanted):
            picked = {f[1:] if f.startswith(("+", "-")) else f for f in wanted}
        else:
            picked = set(default_fields if default_fields is not None else columns)
            for f in wanted:
                if f.startswith("+"):
                    picked.add(f[1:])
                elif f.startswith("-"):
                    picked.discard(f[1:])
                else:
                    picked.add(f)
        if is_list:
            picked.add("created_at")
        picked.add("id")
        for f in sorted(picked):
            if f.startswith("*"):
                relations.append(f[1:])
            elif "." in f:
                path, column = f.rsplit(".", 1)
                relations.append(path)
                nested.setdefault(path, set()).add(column)
        chosen = {f for f in picked if "." not in f and not f.startswith("*")}
        unknown = sorted(chosen - columns)
        if unknown:
            raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
    if expand is None:
        relations = [*relations, *defaults]
    else:
        relations = [r for r in expand.split(",") if r]
    return Selection(relation_tree(dict.fromkeys(relations)), chosen, nested)


# ---- reading ---------------------------------------------------------------------------------


async def get_product(tx: AsyncSession, product_id: str) -> Product:
    product = (
        await tx.execute(select(Product).where(Product.id == product_id, Product.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if product is None:
        raise not_found(f"Product with id: {product_id} was not found")
    return product


def wants_pricing(expand: str | None) -> bool:
    """The routes call setAdminProductPricing only when the relations list both `variants` and
    `variants.prices` (the defaults do)."""
    if expand is None:
        return True
    relations = set(expand.split(","))
    return {"variants", "variants.prices"} <= relations


DEFAULT_SELECTION = Selection(DEFAULT_TREE)


async def retrieve_product_json(
    tx: AsyncSession, product_id: str, selection: Selection = DEFAULT_SELECTION, *, pricing: bool = True
) -> str:
    """The product as Medusa's admin routes answer it (with setAdminProductPricing when `pricing`
    and its variants' prices are loaded); not_found when there is no such product."""
    await get_product(tx, product_id)
    text = await products_json(tx, [product_id], selection, pricing=pricing)
    return text[1:-1]


def _apply_dates(stmt: Select[Any], column: Any, op: DateFilter | None) -> Select[Any]:
    return stmt if op is None else apply_date_filter(stmt, column, op)


def _as_list(value: str | list[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _like(column: Any, q: str) -> Any:
    return column.ilike(f"%{q}%")


async def category_descendants(tx: AsyncSession, category_ids: Sequence[str]) -> list[str]:
    """The categories and all their descendants (ProductCategoryRepository's descendants tree)."""
    found = list(dict.fromkeys(category_ids))
    frontier = list(found)
    while frontier:
        children = list(
            (
                await tx.execute(
                    select(ProductCategory.id).where(ProductCategory.parent_category_id.in_(frontier))
                )
            ).scalars()
        )
        frontier = [c for c in children if c not in found]
        found.extend(frontier)
    return found


def _product_relation_order(name: str, desc: bool) -> Any:
    """A product ordered by a column of a relation, as TypeORM's DISTINCT page over the joined
    rows orders it: ascending by the smallest of the product's values, descending by the
    largest; a product without one sorts as PostgreSQL puts NULL (last ascending)."""
    agg = func.max if desc else func.min
    live = (ProductVariant.product_id == Product.id, ProductVariant.deleted_at.is_(None))
    if name == "variants.title":
        return select(agg(ProductVariant.title)).where(*live).scalar_subquery()
    if name == "variants.prices.amount":
        return (
            select(agg(MoneyAmount.amount))
            .join(ProductVariantMoneyAmount, ProductVariantMoneyAmount.money_amount_id == MoneyAmount.id)
            .join(ProductVariant, ProductVariant.id == ProductVariantMoneyAmount.variant_id)
            .where(*live, ProductVariantMoneyAmount.deleted_at.is_(None), MoneyAmount.deleted_at.is_(None))
            .scalar_subquery()
        )
    if name == "type.value":
        return select(ProductType.value).where(ProductType.id == Product.type_id).scalar_subquery()
    if name == "collection.title":
        return (
            select(ProductCollection.title)
            .where(ProductCollection.id == Product.collection_id)
            .scalar_subquery()
        )
    return None


def _order(stmt: Select[Any], model: Any, order: str | None, default: str = "-created_at") -> Select[Any]:
    field = order or default
    desc = field.startswith("-")
    name = field.lstrip("-")
    column = model.__table__.c.get(name)
    if column is None and model is Product:
        column = _product_relation_order(name, desc)
        if column is not None:
            ordered = column.desc().nulls_first() if desc else column.asc().nulls_last()
            return stmt.order_by(ordered, Product.id.asc())
    if column is None:
        raise invalid_data(f"Order field {name} is not valid")
    stmt = stmt.order_by(ordering(column, desc))
    if name != "id":
        # ties (rows written by one request) in the order they were written, as PostgreSQL
        # returns Medusa's rows that share their transaction's timestamp
        stmt = stmt.order_by(model.__table__.c.id.asc())
    return stmt


async def list_products(tx: AsyncSession, p: AdminGetProductsParams) -> tuple[list[str], int]:
    """ProductService.listAndCount: the ids of one page, in order, and the count of all matches."""
    stmt = select(Product.id)
    given = p.model_fields_set
    if p.deleted_at is None:
        stmt = stmt.where(Product.deleted_at.is_(None))
    ids = _as_list(p.id)
    if ids is not None:
        stmt = stmt.where(Product.id.in_(ids))
    statuses = _as_list(p.status)
    if statuses is not None:
        stmt = stmt.where(Product.status.in_(statuses))
    if p.collection_id is not None:
        stmt = stmt.where(Product.collection_id.in_(p.collection_id))
    if p.type_id is not None:
        stmt = stmt.where(Product.type_id.in_(p.type_id))
    if p.handle is not None:
        stmt = stmt.where(Product.handle == p.handle)
    if "is_giftcard" in given and p.is_giftcard is not None:
        stmt = stmt.where(Product.is_giftcard.is_(p.is_giftcard))
    if p.q:
        # getFreeTextSearchResultsAndCount: title and description filters give way to q
        variant_match = exists().where(
            ProductVariant.product_id == Product.id,
            ProductVariant.deleted_at.is_(None),
            or_(_like(ProductVariant.title, p.q), _like(ProductVariant.sku, p.q)),
        )
        collection_match = exists().where(
            ProductCollection.id == Product.collection_id,
            ProductCollection.deleted_at.is_(None),
            _like(ProductCollection.title, p.q),
        )
        stmt = stmt.where(
            or_(_like(Product.description, p.q), _like(Product.title, p.q), variant_match, collection_match)
        )
    else:
        if p.title is not None:
            stmt = stmt.where(Product.title == p.title)
        if p.description is not None:
            stmt = stmt.where(Product.description == p.description)
    if p.tags is not None:
        stmt = stmt.where(
            exists().where(
                t_product_tags.c.product_id == Product.id, t_product_tags.c.product_tag_id.in_(p.tags)
            )
        )
    if p.price_list_id is not None:
        pvma = ProductVariantMoneyAmount
        stmt = stmt.where(
            exists().where(
                ProductVariant.product_id == Product.id,
                pvma.variant_id == ProductVariant.id,
                MoneyAmount.id == pvma.money_amount_id,
                MoneyAmount.price_list_id.in_(p.price_list_id),
            )
        )
    if p.sales_channel_id is not None:
        psc = ProductSalesChannel
        # Medusa inner-joins the channels relation, which leaves soft-deleted channels out
        stmt = stmt.where(
            exists().where(
                psc.product_id == Product.id,
                psc.sales_channel_id.in_(p.sales_channel_id),
                SalesChannel.id == psc.sales_channel_id,
                SalesChannel.deleted_at.is_(None),
            )
        )
    if p.category_id is not None:
        categories = (
            await category_descendants(tx, p.category_id) if p.include_category_children else p.category_id
        )
        link = t_product_category_product
        stmt = stmt.where(
            exists().where(link.c.product_id == Product.id, link.c.product_category_id.in_(categories))
        )
    if p.discount_condition_id is not None:
        dcp = DiscountConditionProduct
        stmt = stmt.where(
            exists().where(dcp.product_id == Product.id, dcp.condition_id == p.discount_condition_id)
        )
    for name in ("created_at", "updated_at", "deleted_at"):
        stmt = _apply_dates(stmt, getattr(Product, name), getattr(p, name))
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = _order(stmt, Product, p.order).offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    return list((await tx.execute(stmt)).scalars()), count


async def products_json(tx: AsyncSession, ids: Sequence[str], selection: Selection, *, pricing: bool) -> str:
    tree = selection.tree
    return await render_many(
        tx,
        Product,
        ids,
        tree,
        selection.fields,
        nested_fields=selection.nested,
        admin_pricing=pricing and "prices" in tree.get("variants", {}),
    )


# ---- tags and types --------------------------------------------------------------------------


def _string_filter(stmt: Select[Any], column: Any, value: Any) -> Select[Any]:
    """buildQuery for a string column: a value, a list (IN) or operators (lt, contains, …)."""
    if value is None:
        return stmt
    if isinstance(value, str):
        return stmt.where(column == value)
    if isinstance(value, list):
        return stmt.where(column.in_([v for v in value if isinstance(v, str)]))
    if isinstance(value, dict):
        for op, operand in value.items():
            if operand is None:
                continue
            if op == "lt":
                stmt = stmt.where(column < operand)
            elif op == "gt":
                stmt = stmt.where(column > operand)
            elif op == "lte":
                stmt = stmt.where(column <= operand)
            elif op == "gte":
                stmt = stmt.where(column >= operand)
            elif op == "contains":
                stmt = stmt.where(column.ilike(f"%{operand}%"))
            elif op == "starts_with":
                stmt = stmt.where(column.ilike(f"{operand}%"))
            elif op == "ends_with":
                stmt = stmt.where(column.ilike(f"%{operand}"))
    return stmt


def _date_filter(stmt: Select[Any], column: Any, value: Any) -> Select[Any]:
    from mercato.core.validation import to_date

    if not isinstance(value, dict):
        return stmt
    ops = {k: to_date(v) for k, v in value.items() if v is not None}
    return _apply_dates(stmt, column, DateFilter(**ops))


async def list_tags_or_types(
    tx: AsyncSession, model: type[ProductTag] | type[ProductType], p: TagTypeListParams
) -> tuple[list[dict[str, Any]], int]:
    """ProductTagService / ProductTypeService.listAndCount with the routes' fields
    (id, value, created_at, updated_at)."""
    table: Any = model.__table__
    stmt = select(table.c.id, table.c.created_at, table.c.updated_at, table.c.value).where(
        table.c.deleted_at.is_(None)
    )
    stmt = _string_filter(stmt, table.c.id, p.id)
    if p.q:
        # the search replaces any `value` filter (the service sets where.value = ILike(q))
        stmt = stmt.where(table.c.value.ilike(f"%{p.q}%"))
    else:
        stmt = _string_filter(stmt, table.c.value, p.value)
    stmt = _date_filter(stmt, table.c.created_at, p.created_at)
    stmt = _date_filter(stmt, table.c.updated_at, p.updated_at)
    if p.discount_condition_id:
        if model is ProductTag:
            link: Any = DiscountConditionProductTag
            stmt = stmt.where(
                exists().where(
                    link.product_tag_id == table.c.id, link.condition_id == p.discount_condition_id
                )
            )
        else:
            link = DiscountConditionProductType
            stmt = stmt.where(
                exists().where(
                    link.product_type_id == table.c.id, link.condition_id == p.discount_condition_id
                )
            )
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    if p.order:
        name = p.order.lstrip("-")
        if name not in ("id", "value", "created_at", "updated_at"):
            raise invalid_data(f"Order field {name} is not valid")
        stmt = _order(stmt, model, p.order)
    else:
        stmt = stmt.order_by(table.c.created_at.desc(), table.c.id.asc())
    stmt = stmt.offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    from mercato.core.clock import iso

    rows = [
        {"id": r.id, "created_at": iso(r.created_at), "updated_at": iso(r.updated_at), "value": r.value}
        for r in await tx.execute(stmt)
    ]
    return rows, count


async def list_types(tx: AsyncSession) -> list[Any]:
    """ProductService.listTypes: every type, all columns (GET /admin/products/types)."""
    rows = (
        await tx.execute(
            select(ProductType)
            .where(ProductType.deleted_at.is_(None))
            .order_by(ProductType.created_at, ProductType.id)
        )
    ).scalars()
    order = key_order(ProductType)
    out = []
    for row in rows:
        values = present(row) or {}
        out.append({key: values[key] for key in order})
    return out


async def list_tags_by_usage(tx: AsyncSession, take: int = 10) -> list[dict[str, Any]]:
    """ProductTagRepository.listTagsByUsage: the ten most used tags; usage_count is the text of a
    PostgreSQL bigint, as node-postgres hands it over."""
    usage = func.count(t_product_tags.c.product_tag_id)
    stmt = (
        select(ProductTag.id, usage.label("usage_count"), ProductTag.value)
        .outerjoin(t_product_tags, t_product_tags.c.product_tag_id == ProductTag.id)
        .where(ProductTag.deleted_at.is_(None))
        .group_by(ProductTag.id, ProductTag.value)
        .order_by(usage.desc(), ProductTag.id)
        .limit(take)
    )
    return [{"id": r.id, "usage_count": str(r.usage_count), "value": r.value} for r in await tx.execute(stmt)]


# ---- writing: helpers ------------------------------------------------------------------------


def _now(tx: AsyncSession) -> datetime.datetime:
    """One timestamp per request, as PostgreSQL's now() gives Medusa's rows of one transaction."""
    now: datetime.datetime = tx.info.setdefault("products_now", utcnow())
    return now


def _stamp(tx: AsyncSession, **values: Any) -> dict[str, Any]:
    now = _now(tx)
    return {"created_at": now, "updated_at": now, **values}


async def _check_handle(tx: AsyncSession, handle: str | None, product_id: str | None) -> None:
    if handle is None:
        return
    stmt = select(Product.id).where(Product.handle == handle, Product.deleted_at.is_(None))
    if product_id is not None:
        stmt = stmt.where(Product.id != product_id)
    if (await tx.execute(stmt.limit(1))).first() is not None:
        raise duplicate(f"Product with handle {handle} already exists.")


async def _check_collection(tx: AsyncSession, collection_id: str | None) -> None:
    if collection_id is None:
        return
    found = (
        await tx.execute(select(ProductCollection.id).where(ProductCollection.id == collection_id))
    ).first()
    if found is None:
        raise not_found(f"Product_collection with collection_id {collection_id} does not exist.")


async def _check_categories(tx: AsyncSession, ids: Sequence[str]) -> None:
    if not ids:
        return
    found = set((await tx.execute(select(ProductCategory.id).where(ProductCategory.id.in_(ids)))).scalars())
    for category_id in ids:
        if category_id not in found:
            raise not_found(f"Product_category with product_category_id {category_id} does not exist.")


async def missing_sales_channels(tx: AsyncSession, body: Any) -> list[str]:
    """middlewares/validators/sales-channel-existence.ts: the ids of `sales_channels` that name no
    (live) sales channel; runs before the body is validated."""
    if not isinstance(body, dict):
        return []
    channels = body.get("sales_channels")
    if not isinstance(channels, list) or not channels:
        return []
    ids = [str(c["id"]) if isinstance(c, dict) and c.get("id") is not None else "" for c in channels]
    found = set(
        (
            await tx.execute(
                select(SalesChannel.id).where(
                    SalesChannel.id.in_([i for i in ids if i]), SalesChannel.deleted_at.is_(None)
                )
            )
        ).scalars()
    )
    return [i for i in ids if i not in found]


async def _default_profile(tx: AsyncSession, gift_card: bool) -> str:
    kind = "gift_card" if gift_card else "default"
    profile_id = (
        await tx.execute(
            select(ShippingProfile.id)
            .where(ShippingProfile.type == kind, ShippingProfile.deleted_at.is_(None))
            .order_by(ShippingProfile.created_at)
            .limit(1)
        )
    ).scalar_one_or_none()
    if profile_id is None:
        label = "Gift card shipping profile" if gift_card else "Default shipping profile"
        raise not_found(f"{label} was not found")
    return profile_id


async def _default_sales_channel(tx: AsyncSession) -> str:
    channel_id = (await tx.execute(select(Store.default_sales_channel_id).limit(1))).scalar_one_or_none()
    if channel_id is None:
        raise not_found("Default Sales channel was not found")
    return channel_id


async def _upsert_images(tx: AsyncSession, urls: Sequence[Any]) -> list[str]:
    """ImageRepository.upsertImages: an existing image per url, else a new one."""
    wanted = list(dict.fromkeys(str(u) for u in urls))
    if not wanted:
        return []
    existing = {
        url: image_id
        for image_id, url in await tx.execute(
            select(Image.id, Image.url)
            .where(Image.url.in_(wanted), Image.deleted_at.is_(None))
            .order_by(Image.id)
        )
        if url not in ()
    }
    rows = []
    for url in wanted:
        if url not in existing:
            existing[url] = generate_id("img")
            rows.append(_stamp(tx, id=existing[url], url=url))
    if rows:
        await tx.execute(insert(Image), rows)
    return [existing[u] for u in wanted]


async def _upsert_tags(tx: AsyncSession, tags: Sequence[Any]) -> list[str]:
    """ProductTagRepository.upsertTags: a tag by value, created (with the given id, if any) when
    no tag has that value."""
    values = [t.value for t in tags]
    existing: dict[str, str] = {}
    for tag_id, value in await tx.execute(
        select(ProductTag.id, ProductTag.value)
        .where(ProductTag.value.in_(values), ProductTag.deleted_at.is_(None))
        .order_by(ProductTag.id)
    ):
        existing.setdefault(value, tag_id)
    rows = []
    ids: list[str] = []
    for tag in tags:
        if tag.value not in existing:
            existing[tag.value] = tag.id or generate_id("ptag")
            rows.append(_stamp(tx, id=existing[tag.value], value=tag.value))
        ids.append(existing[tag.value])
    if rows:
        taken = set(
            (
                await tx.execute(select(ProductTag.id).where(ProductTag.id.in_([r["id"] for r in rows])))
            ).scalars()
        )
        for row in rows:
            if row["id"] in taken:
                raise duplicate(f"Product_tag with id {row['id']} already exists.")
        await tx.execute(insert(ProductTag), rows)
    return list(dict.fromkeys(ids))


async def _upsert_type(tx: AsyncSession, value: str) -> str:
    """ProductTypeRepository.upsertType: the type with that value, else a new one (the given id
    is not used)."""
    type_id = (
        await tx.execute(
            select(ProductType.id)
            .where(ProductType.value == value, ProductType.deleted_at.is_(None))
            .order_by(ProductType.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if type_id is None:
        type_id = generate_id("ptyp")
        await tx.execute(insert(ProductType), [_stamp(tx, id=type_id, value=value)])
    return type_id


async def _set_links(tx: AsyncSession, table: Any, product_id: str, column: str, ids: Sequence[str]) -> None:
    """Replace the rows of a product's join table (product_images, product_tags, …)."""
    product_column = table.c.product_id
    await tx.execute(delete(table).where(product_column == product_id))
    unique = list(dict.fromkeys(ids))
    if not unique:
        return
    rows: list[dict[str, Any]] = [{"product_id": product_id, column: i} for i in unique]
    if "id" in table.c:
        prefix = "prodsc" if table is ProductSalesChannel.__table__ else ""
        for row in rows:
            row["id"] = generate_id(prefix)
    if "created_at" in table.c and table is not t_product_category_product:
        now = _now(tx)
        for row in rows:
            row.setdefault("created_at", now)
            row.setdefault("updated_at", now)
    await tx.execute(insert(table), rows)


def _assign(row: Any, attr: str, value: Any) -> bool:
    if getattr(row, attr) != value:
        setattr(row, attr, value)
        return True
    return False


def _int_or_none(value: Any) -> Any:
    """An integer column given a JSON number: JavaScript's 2.0 is 2; a fraction is what
    PostgreSQL refuses for an integer column (Medusa lets the database error through as a 500)."""
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        text = repr(value)
        raise invalid_data(f'invalid input syntax for type integer: "{text}"')
    return value


# ---- writing: products -----------------------------------------------------------------------

_SCALARS = (
    "title",
    "subtitle",
    "description",
    "is_giftcard",
    "discountable",
    "thumbnail",
    "handle",
    "status",
    "collection_id",
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
)


async def create_product(tx: AsyncSession, data: AdminPostProductsReq) -> str:
    """create-product.ts and ProductService.create: the product, its images, tags, type, profile,
    sales channels (the default one when none is given), categories and options, then the
    variants with their prices."""
    given = data.model_fields_set
    values: dict[str, Any] = {
        name: getattr(data, name)
        for name in _SCALARS
        if name in given or name in ("is_giftcard", "discountable", "status")
    }
    for name in ("weight", "length", "height", "width"):
        if name in values:
            values[name] = _int_or_none(values[name])
    images = [str(i) for i in data.images or []]
    if not values.get("thumbnail") and images:
        values["thumbnail"] = images[0]
    if values.get("is_giftcard"):
        values["discountable"] = False
    if not values.get("handle"):
        values["handle"] = kebab_case(data.title)
    refuse_nulls("product", values, ("title", "status", "is_giftcard", "discountable"))
    if data.metadata is not None:
        values["metadata_"] = data.metadata
    await _check_handle(tx, values["handle"], None)
    await _check_collection(tx, values.get("collection_id"))
    categories = [c.id for c in data.categories or []]
    await _check_categories(tx, categories)
    profile_id = await _default_profile(tx, bool(values.get("is_giftcard")))
    channels = [c.id for c in data.sales_channels or []] or [await _default_sales_channel(tx)]
    if "type" in given:
        values["type_id"] = await _upsert_type(tx, data.type.value) if data.type is not None else None
    now = _now(tx)
    product = Product(id=generate_id("prod"), created_at=now, updated_at=now, **values)
    tx.add(product)
    await tx.flush()
    pid = product.id
    if images:
        await _set_links(tx, t_product_images, pid, "image_id", await _upsert_images(tx, images))
    if data.tags:
        await _set_links(tx, t_product_tags, pid, "product_tag_id", await _upsert_tags(tx, data.tags))
    await _set_links(tx, t_product_shipping_profile, pid, "profile_id", [profile_id])
    await _set_links(tx, ProductSalesChannel.__table__, pid, "sales_channel_id", channels)
    if categories:
        await _set_links(tx, t_product_category_product, pid, "product_category_id", categories)
    option_ids: list[str] = []
    for option in data.options or []:
        row = ProductOption(
            id=generate_id("opt"), title=option.title, product_id=pid, created_at=now, updated_at=now
        )
        tx.add(row)
        await tx.flush()
        option_ids.append(row.id)
    emit(tx, "product.created", {"id": pid})
    if data.variants:
        variants = []
        for rank, variant in enumerate(data.variants):
            options = [
                {"option_id": option_ids[i] if i < len(option_ids) else None, "value": o.value}
                for i, o in enumerate(variant.options or [])
            ]
            variants.append((variant, options, rank))
        await create_variants(tx, pid, variants)
    return pid


async def update_product(tx: AsyncSession, product_id: str, data: AdminPostProductsProductReq) -> None:
    """update-product.ts: ProductService.update, then the `variants` array: listed variants with
    an id are updated, those without one are created, and the product's other variants deleted."""
    product = await get_product(tx, product_id)
    given = [k for k in data.model_fields_set if k != "variants"]
    values: dict[str, Any] = {name: getattr(data, name) for name in _SCALARS if name in given}
    for name in ("weight", "length", "height", "width"):
        if name in values:
            values[name] = _int_or_none(values[name])
    if "status" in values and values["status"] is None:
        values.pop("status")
    images = [str(i) for i in data.images] if data.images is not None else None
    if not product.thumbnail and not data.thumbnail and images:
        values["thumbnail"] = images[0]
    refuse_nulls("product", values, ("title", "is_giftcard", "discountable"))
    if "handle" in values:
        await _check_handle(tx, values["handle"], product.id)
    if values.get("collection_id") is not None:
        await _check_collection(tx, values["collection_id"])
    categories = None
    if "categories" in given:
        categories = [c.id for c in data.categories or []]
        await _check_categories(tx, categories)
    if data.metadata is not None:
        values["metadata_"] = merge_metadata(product.metadata_, data.metadata)
    if "type" in given:
        values["type_id"] = await _upsert_type(tx, data.type.value) if data.type is not None else None
    changed = False
    for attr, value in values.items():
        changed = _assign(product, attr, value) or changed
    if images is not None:
        await _set_links(tx, t_product_images, product.id, "image_id", await _upsert_images(tx, images))
        changed = True
    if data.tags is not None:
        await _set_links(tx, t_product_tags, product.id, "product_tag_id", await _upsert_tags(tx, data.tags))
        changed = True
    if categories is not None:
        await _set_links(tx, t_product_category_product, product.id, "product_category_id", categories)
        changed = True
    if "sales_channels" in given:
        channels = [c.id for c in data.sales_channels or []]
        await _set_links(tx, ProductSalesChannel.__table__, product.id, "sales_channel_id", channels)
        changed = True
    if changed:
        product.updated_at = utcnow()
    await tx.flush()
    emit(tx, "product.updated", {"id": product.id, "fields": _update_fields(data)})
    if data.variants is not None:
        await _replace_variants(tx, product.id, data.variants)


def _update_fields(data: Any) -> list[str]:
    """Object.keys(update): the body's keys (class-transformer keeps the input order), without
    `variants` (the route takes them out first)."""
    return [k for k in data.model_fields_set if k != "variants"]


async def _replace_variants(tx: AsyncSession, product_id: str, variants: Sequence[VariantIn]) -> None:
    current = {
        v.id: v
        for v in (
            await tx.execute(
                select(ProductVariant).where(
                    ProductVariant.product_id == product_id, ProductVariant.deleted_at.is_(None)
                )
            )
        ).scalars()
    }
    listed: set[str] = set()
    foreign: list[str] = []
    to_update: list[tuple[ProductVariant, VariantIn, int]] = []
    to_create: list[tuple[VariantIn, list[dict[str, Any]], int]] = []
    for rank, variant in enumerate(variants):
        if not variant.id:
            options = [{"option_id": o.option_id, "value": o.value} for o in variant.options or []]
            to_create.append((variant, options, rank))
            continue
        listed.add(variant.id)
        if variant.id not in current:
            foreign.append(variant.id)
            continue
        to_update.append((current[variant.id], variant, rank))
    if foreign:
        raise not_found(f"Variants with id: {', '.join(foreign)} are not associated with this product")
    gone = [v for vid, v in current.items() if vid not in listed]
    if gone:
        await delete_variants(tx, gone)
    for row, variant, rank in to_update:
        fields = [*variant.model_fields_set, "variant_rank", "product_id"]
        await update_variant(
            tx, row, variant, variant_rank=rank, fields=fields, duplicate_type="duplicate_error"
        )
    if to_create:
        # update-product.ts's ProductVariantReq has no default quantity (create's has 0)
        await create_variants(tx, product_id, to_create, default_quantity=False)


async def delete_product(tx: AsyncSession, product_id: str) -> None:
    """ProductService.delete: soft-delete the product with its variants, their prices and option
    values (idempotent: an unknown product is no error)."""
    product = (
        await tx.execute(select(Product).where(Product.id == product_id, Product.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if product is None:
        return
    now = utcnow()
    variants = list(
        (
            await tx.execute(
                select(ProductVariant).where(
                    ProductVariant.product_id == product_id, ProductVariant.deleted_at.is_(None)
                )
            )
        ).scalars()
    )
    await _soft_delete_variant_children(tx, [v.id for v in variants], now, inventory=False)
    for variant in variants:
        variant.deleted_at = now
        variant.updated_at = now
    product.deleted_at = now
    product.updated_at = now
    await tx.flush()
    emit(tx, "product.deleted", {"id": product_id})


async def set_metadata(tx: AsyncSession, product_id: str, key: str, value: str) -> None:
    product = await get_product(tx, product_id)
    product.metadata_ = merge_metadata(product.metadata_, {key: value})
    product.updated_at = utcnow()
    await tx.flush()
    emit(tx, "product.updated", {"id": product.id, "fields": ["metadata"]})


# ---- writing: options ------------------------------------------------------------------------


async def _options(tx: AsyncSession, product_id: str) -> list[ProductOption]:
    return list(
        (
            await tx.execute(
                select(ProductOption)
                .where(ProductOption.product_id == product_id, ProductOption.deleted_at.is_(None))
                .order_by(ProductOption.created_at, ProductOption.id)
            )
        ).scalars()
    )


async def _product_payload(tx: AsyncSession, product_id: str, tree: Tree) -> dict[str, Any]:
    """The product entity Medusa emits with some product.updated events."""
    return orjson.loads(await render_one(tx, Product, product_id, tree))  # type: ignore[no-any-return]


async def add_option(tx: AsyncSession, product_id: str, title: str) -> None:
    """ProductService.addOption: a new option, and the value "Default Value" on every variant."""
    await get_product(tx, product_id)
    if any(o.title == title for o in await _options(tx, product_id)):
        raise duplicate(f"An option with the title: {title} already exists")
    now = _now(tx)
    option = ProductOption(
        id=generate_id("opt"), title=title, product_id=product_id, created_at=now, updated_at=now
    )
    tx.add(option)
    await tx.flush()
    variant_ids = list(
        (
            await tx.execute(
                select(ProductVariant.id).where(
                    ProductVariant.product_id == product_id, ProductVariant.deleted_at.is_(None)
                )
            )
        ).scalars()
    )
    if variant_ids:
        await tx.execute(
            insert(ProductOptionValue),
            [
                _stamp(
                    tx, id=generate_id("optval"), value="Default Value", option_id=option.id, variant_id=vid
                )
                for vid in variant_ids
            ],
        )
    emit(tx, "product.updated", await _product_payload(tx, product_id, {}))


async def update_option(tx: AsyncSession, product_id: str, option_id: str, title: str) -> None:
    """ProductService.updateOption (Medusa answers a clashing title with not_found)."""
    await get_product(tx, product_id)
    options = await _options(tx, product_id)
    if any(o.title.upper() == title.upper() and o.id != option_id for o in options):
        raise MedusaError("not_found", f"An option with title {title} already exists")
    option = (
        await tx.execute(
            select(ProductOption).where(ProductOption.id == option_id, ProductOption.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    if option is None or option.product_id != product_id:
        raise not_found(f"Option with id: {option_id} does not exist")
    if _assign(option, "title", title):
        option.updated_at = utcnow()
    await tx.flush()
    emit(tx, "product.updated", await _product_payload(tx, product_id, {"options": {}}))


async def delete_option(tx: AsyncSession, product_id: str, option_id: str) -> None:
    """ProductService.deleteOption: refused while the variants differ in this option's value (they
    would become duplicates); the option and its values are soft-deleted."""
    await get_product(tx, product_id)
    option = (
        await tx.execute(
            select(ProductOption).where(
                ProductOption.id == option_id,
                ProductOption.product_id == product_id,
                ProductOption.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    if option is None:
        return
    rows = await tx.execute(
        select(ProductVariant.id, ProductOptionValue.value)
        .outerjoin(
            ProductOptionValue,
            and_(
                ProductOptionValue.variant_id == ProductVariant.id,
                ProductOptionValue.option_id == option_id,
                ProductOptionValue.deleted_at.is_(None),
            ),
        )
        .where(ProductVariant.product_id == product_id, ProductVariant.deleted_at.is_(None))
        .order_by(ProductVariant.variant_rank, ProductVariant.id)
    )
    values = [value for _, value in rows]
    if values and any(v != values[0] for v in values):
        raise invalid_data(
            "To delete an option, first delete all variants, such that when an option is deleted, "
            "no duplicate variants will exist."
        )
    now = utcnow()
    await tx.execute(
        update(ProductOptionValue)
        .where(ProductOptionValue.option_id == option_id, ProductOptionValue.deleted_at.is_(None))
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    option.deleted_at = now
    option.updated_at = now
    await tx.flush()
    emit(tx, "product.updated", await _product_payload(tx, product_id, {"variants": {"options": {}}}))


# ---- writing: variants -----------------------------------------------------------------------


async def _check_variant_unique(
    tx: AsyncSession, values: dict[str, Any], variant_id: str | None, error_type: str
) -> None:
    for column in _VARIANT_UNIQUE:
        value = values.get(column)
        if value is None:
            continue
        stmt = select(ProductVariant.id).where(
            getattr(ProductVariant, column) == value, ProductVariant.deleted_at.is_(None)
        )
        if variant_id is not None:
            stmt = stmt.where(ProductVariant.id != variant_id)
        if (await tx.execute(stmt.limit(1))).first() is not None:
            if error_type == "invalid_data":
                # an INSERT inside the variants transaction: the driver's message as it is
                raise invalid_data(
                    f'duplicate key value violates unique constraint "{_VARIANT_UNIQUE_INDEX[column]}"'
                )
            raise MedusaError(error_type, f"Product_variant with {column} {value} already exists.")


_VARIANT_SCALARS = (
    "title",
    "sku",
    "ean",
    "upc",
    "barcode",
    "hs_code",
    "inventory_quantity",
    "allow_backorder",
    "manage_inventory",
    "weight",
    "length",
    "height",
    "width",
    "origin_country",
    "mid_code",
    "material",
)


def _variant_values(variant: VariantIn | VariantBody) -> dict[str, Any]:
    given = variant.model_fields_set
    values = {name: getattr(variant, name) for name in _VARIANT_SCALARS if name in given}
    for name in ("inventory_quantity", "weight", "length", "height", "width"):
        if name in values:
            values[name] = _int_or_none(values[name])
    return values


async def create_variants(
    tx: AsyncSession,
    product_id: str,
    variants: Sequence[tuple[VariantIn | VariantBody, list[dict[str, Any]], int | None]],
    *,
    default_quantity: bool = True,
) -> list[str]:
    """ProductVariantService.create inside createVariantsTransaction: each variant must give one
    value per product option and differ from the existing variants. Any failure is answered as
    the transaction answers it: 400 invalid_data, its message followed by the compensation's."""
    try:
        return await _create_variants(tx, product_id, variants, default_quantity)
    except MedusaError as err:
        raise invalid_data(f"{err.message}\n{_COMPENSATION_ERROR}") from None


async def _create_variants(
    tx: AsyncSession,
    product_id: str,
    variants: Sequence[tuple[VariantIn | VariantBody, list[dict[str, Any]], int | None]],
    default_quantity: bool,
) -> list[str]:
    product = (
        await tx.execute(select(Product.id).where(Product.id == product_id, Product.deleted_at.is_(None)))
    ).first()
    if product is None:
        raise invalid_data("Product id missing")
    options = await _options(tx, product_id)
    existing = list(
        (
            await tx.execute(
                select(ProductVariant)
                .where(ProductVariant.product_id == product_id, ProductVariant.deleted_at.is_(None))
                .order_by(ProductVariant.variant_rank, ProductVariant.id)
            )
        ).scalars()
    )
    existing_values: dict[str, dict[str, str]] = {v.id: {} for v in existing}
    for variant_id, option_id, value in await tx.execute(
        select(ProductOptionValue.variant_id, ProductOptionValue.option_id, ProductOptionValue.value).where(
            ProductOptionValue.variant_id.in_(list(existing_values)), ProductOptionValue.deleted_at.is_(None)
        )
    ):
        existing_values[variant_id][option_id] = value
    for _variant, given_options, _ in variants:
        if len(options) != len(given_options):
            raise invalid_data(
                "Product options length does not match variant options length. "
                f"Product has {len(options)} and variant has {len(given_options)}."
            )
        for option in options:
            if not any(o["option_id"] == option.id for o in given_options):
                raise invalid_data(f"Variant options do not contain value for {option.title}")
        for other in existing:
            mine = existing_values[other.id]
            if all(
                next((o["value"] for o in given_options if o["option_id"] == option_id), None) == value
                for option_id, value in mine.items()
            ):
                raise invalid_data(f"Variant with title {other.title} with provided options already exists")
    created: list[str] = []
    computed_rank = len(existing)
    for variant, given_options, rank in variants:
        values = _variant_values(variant)
        await _check_variant_unique(tx, values, None, "invalid_data")
        if default_quantity:
            values.setdefault("inventory_quantity", 0)
        if values.get("inventory_quantity") is None:
            raise invalid_data(
                'null value in column "inventory_quantity" of relation "product_variant" '
                "violates not-null constraint"
            )
        if values.get("title") is None:
            raise invalid_data(
                'null value in column "title" of relation "product_variant" violates not-null constraint'
            )
        values["variant_rank"] = rank if rank else computed_rank
        computed_rank += 1
        if variant.metadata is not None:
            values["metadata_"] = variant.metadata
        now = _now(tx)
        row = ProductVariant(
            id=generate_id("variant"), product_id=product_id, created_at=now, updated_at=now, **values
        )
        tx.add(row)
        await tx.flush()
        if given_options:
            await tx.execute(
                insert(ProductOptionValue),
                [
                    _stamp(
                        tx,
                        id=generate_id("optval"),
                        value=o["value"],
                        option_id=o["option_id"],
                        variant_id=row.id,
                    )
                    for o in given_options
                ],
            )
        if variant.prices:
            await set_variant_prices(tx, row.id, variant.prices, error_type="invalid_data")
        created.append(row.id)
        emit(tx, "product-variant.created", {"id": row.id, "product_id": product_id})
    return created


async def get_variant(tx: AsyncSession, variant_id: str) -> ProductVariant:
    variant = (
        await tx.execute(
            select(ProductVariant).where(ProductVariant.id == variant_id, ProductVariant.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    if variant is None:
        raise not_found(f"Variant with id: {variant_id} was not found")
    return variant


async def get_product_variant(tx: AsyncSession, product_id: str, variant_id: str) -> ProductVariant:
    """A variant of this product. (Medusa's update would move another product's variant to this
    product, with option values that belong to the other one; that variant is not found here.)"""
    variant = await get_variant(tx, variant_id)
    if variant.product_id != product_id:
        owner = await tx.execute(
            select(Product.id).where(Product.id == product_id, Product.deleted_at.is_(None))
        )
        if owner.first() is None:
            # Medusa's update moves the variant to the product: its foreign key then refuses it
            raise not_found(f"Product with product_id {product_id} does not exist.")
        raise not_found(f"Variant with id: {variant_id} was not found")
    return variant


async def update_variant(
    tx: AsyncSession,
    variant: ProductVariant,
    data: VariantIn | VariantBody,
    *,
    variant_rank: int | None = None,
    fields: list[str],
    duplicate_type: str = "duplicate_error",
) -> None:
    """ProductVariantService.updateBatch for one variant: prices replaced when given, option values
    updated, changed columns written; product-variant.updated when anything changed."""
    if data.prices is not None:
        await set_variant_prices(tx, variant.id, data.prices, error_type="invalid_data")
    for option in data.options or []:
        value = (
            await tx.execute(
                select(ProductOptionValue).where(
                    ProductOptionValue.variant_id == variant.id,
                    ProductOptionValue.option_id == option.option_id,
                    ProductOptionValue.deleted_at.is_(None),
                )
            )
        ).scalar_one_or_none()
        if value is None:
            raise not_found("Product option value not found")
        if _assign(value, "value", option.value):
            value.updated_at = utcnow()
    values = _variant_values(data)
    if variant_rank is not None:
        values["variant_rank"] = variant_rank
    for column in ("title", "inventory_quantity", "allow_backorder", "manage_inventory"):
        if column in values and values[column] is None:
            raise invalid_data(
                f"Can't insert null value in field {column} on insert in table product_variant"
            )
    await _check_variant_unique(tx, values, variant.id, duplicate_type)
    if data.metadata is not None:
        values["metadata_"] = merge_metadata(variant.metadata_, data.metadata)
    changed = False
    for attr, value in values.items():
        changed = _assign(variant, attr, value) or changed
    if changed:
        variant.updated_at = utcnow()
    await tx.flush()
    if changed or data.options or data.prices:
        emit(
            tx,
            "product-variant.updated",
            {"id": variant.id, "product_id": variant.product_id, "fields": list(dict.fromkeys(fields))},
        )


async def _soft_delete_variant_children(
    tx: AsyncSession, variant_ids: Sequence[str], now: datetime.datetime, *, inventory: bool = True
) -> None:
    if not variant_ids:
        return
    price_ids = select(ProductVariantMoneyAmount.money_amount_id).where(
        ProductVariantMoneyAmount.variant_id.in_(variant_ids)
    )
    await tx.execute(
        update(MoneyAmount)
        .where(MoneyAmount.id.in_(price_ids), MoneyAmount.deleted_at.is_(None))
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await tx.execute(
        update(ProductOptionValue)
        .where(ProductOptionValue.variant_id.in_(variant_ids), ProductOptionValue.deleted_at.is_(None))
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if inventory:
        await tx.execute(
            update(ProductVariantInventoryItem)
            .where(
                ProductVariantInventoryItem.variant_id.in_(variant_ids),
                ProductVariantInventoryItem.deleted_at.is_(None),
            )
            .values(deleted_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )


async def delete_variants(tx: AsyncSession, variants: Sequence[ProductVariant]) -> None:
    """ProductVariantService.delete: soft-delete with prices, option values and inventory links."""
    if not variants:
        return
    now = utcnow()
    await _soft_delete_variant_children(tx, [v.id for v in variants], now)
    for variant in variants:
        variant.deleted_at = now
        variant.updated_at = now
    await tx.flush()
    for variant in variants:
        emit(
            tx,
            "product-variant.deleted",
            {"id": variant.id, "product_id": variant.product_id, "metadata": variant.metadata_},
        )


async def delete_variant(tx: AsyncSession, product_id: str, variant_id: str) -> None:
    variant = (
        await tx.execute(
            select(ProductVariant).where(
                ProductVariant.id == variant_id,
                ProductVariant.product_id == product_id,
                ProductVariant.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    if variant is not None:
        await delete_variants(tx, [variant])


# ---- prices ----------------------------------------------------------------------------------


async def set_variant_prices(
    tx: AsyncSession, variant_id: str, prices: Sequence[PriceIn], *, error_type: str = "invalid_data"
) -> None:
    """ProductVariantService.updateVariantPrices: the variant's prices outside price lists become
    exactly `prices`. A price matching an existing one (same region, or same currency without a
    region, and the same quantity bounds) keeps its row and gets the new amount; the others are
    created (a region price takes the region's currency), and the rest are deleted."""
    region_ids = sorted({p.region_id for p in prices if p.region_id})
    currencies: dict[str, str] = {}
    if region_ids:
        currencies = dict(
            (
                await tx.execute(
                    select(Region.id, Region.currency_code).where(
                        Region.id.in_(region_ids), Region.deleted_at.is_(None)
                    )
                )
            ).all()
        )
        for region_id in region_ids:
            if region_id not in currencies:
                raise MedusaError(error_type, f"Region with {region_id} was not found")
    codes = sorted({str(p.currency_code).lower() for p in prices if not p.region_id and p.currency_code})
    if codes:
        from mercato.modules.currencies.models import Currency

        known = set((await tx.execute(select(Currency.code).where(Currency.code.in_(codes)))).scalars())
        for code in codes:
            if code not in known:
                raise MedusaError(error_type, f"Currency with code {code} was not found")
    pvma = ProductVariantMoneyAmount
    current = list(
        (
            await tx.execute(
                select(MoneyAmount)
                .join(pvma, pvma.money_amount_id == MoneyAmount.id)
                .where(
                    pvma.variant_id == variant_id,
                    pvma.deleted_at.is_(None),
                    MoneyAmount.deleted_at.is_(None),
                    MoneyAmount.price_list_id.is_(None),
                )
                .order_by(MoneyAmount.id)
            )
        ).scalars()
    )

    def key(
        region_id: str | None, currency: str | None, low: int | None, high: int | None
    ) -> tuple[Any, ...]:
        return ("region", region_id, low, high) if region_id else ("currency", currency, low, high)

    by_key: dict[tuple[Any, ...], MoneyAmount] = {}
    for row in current:
        by_key.setdefault(key(row.region_id, row.currency_code, row.min_quantity, row.max_quantity), row)
    kept: set[str] = set()
    sent: dict[tuple[Any, ...], MoneyAmount] = {}  # existing rows this list named
    new_rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    now = _now(tx)
    for price in prices:
        region_id = price.region_id or None
        currency = currencies[region_id] if region_id else str(price.currency_code).lower()
        # a region price is written as {currency_code, region_id, amount}: Medusa's
        # updateVariantPricesBatch drops its quantities (a currency price keeps them)
        low, high = (None, None) if region_id else (price.min_quantity, price.max_quantity)
        k = key(region_id, currency, low, high)
        if k in sent:
            # an existing price named twice in one list: upsertCurrencyPrices looked the rows up
            # once, so each entry updates that row and the last amount stays
            again = sent[k]
            if again.amount != price.amount:
                again.amount = price.amount
                again.updated_at = now
            continue
        found = by_key.get(k)
        if found is not None and found.id not in kept:
            sent[k] = found
            kept.add(found.id)
            if found.amount != price.amount:
                found.amount = price.amount
                found.updated_at = now
            continue
        ma_id = generate_id("ma")
        kept.add(ma_id)
        new_row = {
            "id": ma_id,
            "currency_code": currency,
            "amount": price.amount,
            "region_id": region_id,
            "min_quantity": low,
            "max_quantity": high,
            "created_at": now,
            "updated_at": now,
        }
        # (a new price named twice gives two rows: neither existed when the rows were read)
        new_rows.append(new_row)
        links.append(
            {
                "id": generate_id("pvma_"),
                "money_amount_id": ma_id,
                "variant_id": variant_id,
                "created_at": now,
                "updated_at": now,
            }
        )
    gone = [row.id for row in current if row.id not in kept]
    if gone:
        await tx.execute(delete(pvma).where(pvma.money_amount_id.in_(gone)))
        await tx.execute(delete(MoneyAmount).where(MoneyAmount.id.in_(gone)))
    if new_rows:
        await tx.execute(insert(MoneyAmount), new_rows)
        await tx.execute(insert(pvma), links)
    await tx.flush()


# ---- variants listing -------------------------------------------------------------------------


def _number_filter(stmt: Select[Any], column: Any, value: Any) -> Select[Any]:
    from mercato.core.validation import js_number

    if value is None:
        return stmt
    if isinstance(value, dict):
        for op, operand in value.items():
            number = js_number(operand)
            if op == "lt":
                stmt = stmt.where(column < number)
            elif op == "gt":
                stmt = stmt.where(column > number)
            elif op == "lte":
                stmt = stmt.where(column <= number)
            elif op == "gte":
                stmt = stmt.where(column >= number)
        return stmt
    return stmt.where(column == js_number(value))


def variants_filter(
    stmt: Select[Any],
    *,
    ids: str | list[str] | None = None,
    titles: str | list[str] | None = None,
    q: str | None = None,
    inventory_quantity: Any = None,
    manage_inventory: bool | None = None,
    allow_backorder: bool | None = None,
    created_at: DateFilter | None = None,
    updated_at: DateFilter | None = None,
) -> Select[Any]:
    stmt = stmt.where(ProductVariant.deleted_at.is_(None))
    id_list = _as_list(ids)
    if id_list is not None:
        stmt = stmt.where(ProductVariant.id.in_(id_list))
    if q:
        product_match = exists().where(Product.id == ProductVariant.product_id, _like(Product.title, q))
        stmt = stmt.where(or_(_like(ProductVariant.title, q), _like(ProductVariant.sku, q), product_match))
    else:
        title_list = _as_list(titles)
        if title_list is not None:
            stmt = stmt.where(ProductVariant.title.in_(title_list))
    stmt = _number_filter(stmt, ProductVariant.inventory_quantity, inventory_quantity)
    if manage_inventory is not None:
        stmt = stmt.where(ProductVariant.manage_inventory.is_(manage_inventory))
    if allow_backorder is not None:
        stmt = stmt.where(ProductVariant.allow_backorder.is_(allow_backorder))
    stmt = _apply_dates(stmt, ProductVariant.created_at, created_at)
    stmt = _apply_dates(stmt, ProductVariant.updated_at, updated_at)
    return stmt


async def list_product_variants(
    tx: AsyncSession, product_id: str, p: AdminGetProductsVariantsParams
) -> tuple[list[str], int]:
    stmt = variants_filter(
        select(ProductVariant.id).where(ProductVariant.product_id == product_id),
        ids=p.id,
        q=p.q,
        inventory_quantity=p.inventory_quantity,
        manage_inventory=p.manage_inventory,
        allow_backorder=p.allow_backorder,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = _order(stmt, ProductVariant, p.order).offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    return list((await tx.execute(stmt)).scalars()), count


async def list_variants(tx: AsyncSession, p: Any) -> tuple[list[str], int]:
    stmt = variants_filter(
        select(ProductVariant.id),
        ids=p.id,
        titles=p.title,
        q=p.q,
        inventory_quantity=p.inventory_quantity,
        manage_inventory=p.manage_inventory,
        allow_backorder=p.allow_backorder,
    )
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = _order(stmt, ProductVariant, p.order).offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    return list((await tx.execute(stmt)).scalars()), count


async def variants_text(tx: AsyncSession, ids: Sequence[str], selection: Selection) -> str:
    return await render_many(
        tx, ProductVariant, ids, selection.tree, selection.fields, nested_fields=selection.nested
    )


async def variants_json(tx: AsyncSession, ids: Sequence[str], selection: Selection) -> list[dict[str, Any]]:
    return orjson.loads(await variants_text(tx, ids, selection))  # type: ignore[no-any-return]
