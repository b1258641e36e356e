"""Product collections: a title, a unique handle and the products whose collection_id points here
(Medusa's services/product-collection.ts and repositories/product-collection.ts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import duplicate, not_found, refuse_nulls
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.present import present, with_profile
from mercato.core.query import apply_date_filter, apply_order, apply_page, count_rows
from mercato.core.text import kebab_case
from mercato.modules.collections.models import ProductCollection
from mercato.modules.collections.schemas import (
    AdminGetCollectionsParams,
    AdminPostCollectionsCollectionReq,
    AdminPostCollectionsReq,
    CollectionFindParams,
    StoreGetCollectionsParams,
)
from mercato.modules.discounts.models import DiscountConditionProductCollection
from mercato.modules.products.models import Product, t_product_shipping_profile
from mercato.modules.shipping.models import ShippingProfile

# ProductCollectionService.Events
CREATED = "product-collection.created"
UPDATED = "product-collection.updated"
DELETED = "product-collection.deleted"
PRODUCTS_ADDED = "product-collection.products_added"
PRODUCTS_REMOVED = "product-collection.products_removed"

# The entity's columns in the order Medusa serialises them, and the admin list's
# defaultAdminCollectionsFields (its select).
COLUMNS = ("id", "created_at", "updated_at", "deleted_at", "title", "handle", "metadata")
ADMIN_LIST_FIELDS = ("id", "created_at", "updated_at", "title", "handle")


# ---- reading ---------------------------------------------------------------------------------


async def retrieve_collection(tx: AsyncSession, collection_id: str) -> ProductCollection:
    collection = (
        await tx.execute(
            select(ProductCollection).where(
                ProductCollection.id == collection_id, ProductCollection.deleted_at.is_(None)
            )
        )
    ).scalar_one_or_none()
    if collection is None:
        raise not_found(f"Product collection with id: {collection_id} was not found")
    return collection


async def list_collections(tx: AsyncSession, p: CollectionFindParams) -> tuple[list[ProductCollection], int]:
    """listAndCount: exact title/handle, date ranges, `q` on title or handle, and (admin) the
    collections of a discount condition."""
    stmt = select(ProductCollection)
    dates = p.date_filters()
    if "deleted_at" not in dates:
        # buildQuery: a deleted_at filter is the only way to see soft-deleted collections
        stmt = stmt.where(ProductCollection.deleted_at.is_(None))
    q = p.q if isinstance(p, AdminGetCollectionsParams) else None
    if q:
        # Medusa drops the title, handle, created_at and updated_at filters when `q` is given
        pattern = f"%{q}%"
        stmt = stmt.where(
            or_(ProductCollection.title.ilike(pattern), ProductCollection.handle.ilike(pattern))
        )
        dates.pop("created_at", None)
        dates.pop("updated_at", None)
    else:
        if p.title is not None:
            stmt = stmt.where(ProductCollection.title == p.title)
        if isinstance(p.handle, list):
            stmt = stmt.where(ProductCollection.handle.in_([h for h in p.handle if isinstance(h, str)]))
        elif p.handle is not None:
            stmt = stmt.where(ProductCollection.handle == p.handle)
    for name, op in dates.items():
        stmt = apply_date_filter(stmt, getattr(ProductCollection, name), op)
    if p.discount_condition_id is not None:
        stmt = stmt.join(
            DiscountConditionProductCollection,
            (DiscountConditionProductCollection.product_collection_id == ProductCollection.id)
            & (DiscountConditionProductCollection.condition_id == p.discount_condition_id),
        )
    count = await count_rows(tx, stmt)
    order = p.order if isinstance(p, AdminGetCollectionsParams) else None
    stmt = apply_page(apply_order(stmt, ProductCollection, order, default="-created_at"), p.offset, p.limit)
    return list((await tx.execute(stmt)).scalars()), count


async def collection_products(
    tx: AsyncSession, collection_ids: Sequence[str], *, with_profiles: bool
) -> dict[str, list[dict[str, Any]]]:
    """The products of each collection (soft-deleted ones left out), in two queries whatever the
    number of collections. With `with_profiles`, each product carries Medusa's `profiles` and,
    from its AfterLoad hook, `profile` (the last profile) and `profile_id`."""
    out: dict[str, list[dict[str, Any]]] = {cid: [] for cid in collection_ids}
    if not collection_ids:
        return out
    products = list(
        (
            await tx.execute(
                select(Product)
                .where(Product.collection_id.in_(list(collection_ids)), Product.deleted_at.is_(None))
                .order_by(Product.created_at, Product.id)
            )
        ).scalars()
    )
    profiles: dict[str, list[dict[str, Any]]] = {}
    if with_profiles and products:
        rows = await tx.execute(
            select(t_product_shipping_profile.c.product_id, ShippingProfile)
            .join(ShippingProfile, ShippingProfile.id == t_product_shipping_profile.c.profile_id)
            .where(
                t_product_shipping_profile.c.product_id.in_([pr.id for pr in products]),
                ShippingProfile.deleted_at.is_(None),
            )
            .order_by(ShippingProfile.created_at, ShippingProfile.id)
        )
        for product_id, profile in rows.all():
            profiles.setdefault(product_id, []).append(present(profile) or {})
    for product in products:
        body = present(product) or {}
        if with_profiles:
            body["profiles"] = profiles.get(product.id, [])
            with_profile(body)
        assert product.collection_id is not None
        out[product.collection_id].append(body)
    return out


def present_collection(
    collection: ProductCollection,
    products: list[dict[str, Any]] | None = None,
    fields: Sequence[str] = COLUMNS,
) -> dict[str, Any]:
    row = present(collection) or {}
    out = {name: row[name] for name in fields}
    if products is not None:
        out["products"] = products
    return out


async def present_admin_collection(tx: AsyncSession, collection_id: str) -> dict[str, Any]:
    """GET /admin/collections/:id and every admin write: all columns and products.profiles."""
    collection = await retrieve_collection(tx, collection_id)
    products = await collection_products(tx, [collection.id], with_profiles=True)
    return present_collection(collection, products[collection.id])


async def present_admin_list(
    tx: AsyncSession, p: AdminGetCollectionsParams
) -> tuple[list[dict[str, Any]], int]:
    collections, count = await list_collections(tx, p)
    products = await collection_products(tx, [c.id for c in collections], with_profiles=True)
    return [present_collection(c, products[c.id], ADMIN_LIST_FIELDS) for c in collections], count


async def present_store_list(
    tx: AsyncSession, p: StoreGetCollectionsParams
) -> tuple[list[dict[str, Any]], int]:
    collections, count = await list_collections(tx, p)
    return [present_collection(c) for c in collections], count


# ---- writing ---------------------------------------------------------------------------------


async def _ensure_handle_free(tx: AsyncSession, handle: str | None, collection_id: str | None) -> None:
    """The partial unique index on handle (deleted_at IS NULL), worded as Medusa's exception
    formatter words PostgreSQL's 23505."""
    if handle is None:
        return
    stmt = select(ProductCollection.id).where(
        ProductCollection.handle == handle, ProductCollection.deleted_at.is_(None)
    )
    if collection_id is not None:
        stmt = stmt.where(ProductCollection.id != collection_id)
    if (await tx.execute(stmt.limit(1))).first() is not None:
        raise duplicate(f"Product_collection with handle {handle} already exists.")


async def _flush_unique_handle(tx: AsyncSession, handle: str | None) -> None:
    """Flush; a handle taken by a concurrent request since the check is Medusa's duplicate."""
    try:
        async with tx.begin_nested():
            await tx.flush()
    except IntegrityError:
        raise duplicate(f"Product_collection with handle {handle} already exists.") from None


async def create_collection(tx: AsyncSession, data: AdminPostCollectionsReq) -> ProductCollection:
    # the entity's BeforeInsert: a handle from the title (lodash kebabCase) when none is given
    handle = data.handle or kebab_case(data.title)
    await _ensure_handle_free(tx, handle, None)
    collection = ProductCollection(title=data.title, handle=handle)
    if data.metadata is not None:
        collection.metadata_ = data.metadata
    tx.add(collection)
    await _flush_unique_handle(tx, handle)
    emit(tx, CREATED, {"id": collection.id})
    return collection


async def update_collection(
    tx: AsyncSession, collection_id: str, data: AdminPostCollectionsCollectionReq
) -> ProductCollection:
    collection = await retrieve_collection(tx, collection_id)
    given = data.model_fields_set
    if data.metadata is not None:
        # `if (metadata)`: an empty object is truthy in JavaScript (null metadata becomes {})
        _assign(collection, "metadata_", merge_metadata(collection.metadata_, data.metadata))
    if "title" in given:
        refuse_nulls("product_collection", {"title": data.title}, ("title",))
        _assign(collection, "title", data.title)
    if "handle" in given:
        if data.handle != collection.handle:
            await _ensure_handle_free(tx, data.handle, collection.id)
        _assign(collection, "handle", data.handle)
    await _flush_unique_handle(tx, collection.handle)
    emit(tx, UPDATED, {"id": collection.id})
    return collection


def _assign(collection: ProductCollection, attr: str, value: Any) -> None:
    # TypeORM's save only writes (and bumps updated_at) when a value really changes
    if getattr(collection, attr) != value:
        setattr(collection, attr, value)


async def delete_collection(tx: AsyncSession, collection_id: str) -> None:
    """A soft delete; the products keep their collection_id, as TypeORM's softRemove leaves them."""
    collection = await retrieve_collection(tx, collection_id)
    collection.deleted_at = utcnow()
    await tx.flush()
    emit(tx, DELETED, {"id": collection.id})


async def _event_payload(tx: AsyncSession, collection_id: str, product_ids: list[str]) -> dict[str, Any]:
    # the collection as retrieve(id, {relations: ["products"]}) gives it
    collection = await retrieve_collection(tx, collection_id)
    products = await collection_products(tx, [collection.id], with_profiles=False)
    return {
        "productCollection": present_collection(collection, products[collection.id]),
        "productIds": product_ids,
    }


async def add_products(tx: AsyncSession, collection_id: str, product_ids: list[str]) -> None:
    """ProductRepository.bulkAddToCollection: unknown ids are ignored."""
    collection = await retrieve_collection(tx, collection_id)
    await tx.execute(
        update(Product)
        .where(Product.id.in_(product_ids))
        .values(collection_id=collection.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    emit(tx, PRODUCTS_ADDED, await _event_payload(tx, collection.id, product_ids))


async def remove_products(tx: AsyncSession, collection_id: str, product_ids: list[str]) -> None:
    """ProductRepository.bulkRemoveFromCollection: only products of this collection let go."""
    collection = await retrieve_collection(tx, collection_id)
    await tx.execute(
        update(Product)
        .where(Product.id.in_(product_ids), Product.collection_id == collection.id)
        .values(collection_id=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    emit(tx, PRODUCTS_REMOVED, await _event_payload(tx, collection.id, product_ids))
