"""Sales channels and publishable API keys (Medusa's services/sales-channel.ts,
sales-channel-location.ts, publishable-api-key.ts and their repositories).

Join rows (product_sales_channel, publishable_api_key_sales_channel, sales_channel_location) are
written here with explicit statements; the models' relationships only read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, RequestErrors, not_allowed, not_found, refuse_nulls
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_date_filter, apply_order, apply_search
from mercato.modules.products.models import Product, ProductSalesChannel
from mercato.modules.sales_channels.models import (
    PublishableApiKey,
    PublishableApiKeySalesChannel,
    SalesChannel,
    SalesChannelLocation,
)
from mercato.modules.sales_channels.schemas import (
    AdminPostPublishableApiKeysPublishableApiKeyReq,
    AdminPostPublishableApiKeysReq,
    AdminPostSalesChannelsReq,
    AdminPostSalesChannelsSalesChannelReq,
    ListParams,
)
from mercato.modules.store.models import Store

# Without a stock location module Medusa answers the two stock-location routes with this error
# (checkRegisteredModules), which its error handler turns into a 500 unknown_error.
STOCK_LOCATIONS_DISABLED = (
    "Stock Locations are not enabled. Please add a Stock Location module to enable this functionality."
)

# Medusa v2's answer to an unknown or revoked key (ensure-publishable-api-key.ts); v1 has none.
INVALID_PUBLISHABLE_KEY = "A valid publishable key is required to proceed with the request"


# ---- shared ----------------------------------------------------------------------------------


def query_config(p: ListParams, model: type, *, is_list: bool) -> tuple[Tree, set[str] | None]:
    """utils/get-query-config.ts for routes without allowed fields or default relations:
    `expand` names the relations, `fields` the columns (id always, created_at too in lists)."""
    relations: list[str] = []
    fields: set[str] | None = None
    if p.fields is not None:
        custom = [f for f in p.fields.split(",") if f]
        if not custom or any(not f.startswith(("-", "+", "*")) for f in custom):
            chosen = {f[1:] if f.startswith(("+", "-")) else f for f in custom}
        else:
            chosen = {c.name for c in model.__table__.columns}  # type: ignore[attr-defined]
            for f in custom:
                if f.startswith("+"):
                    chosen.add(f[1:])
                elif f.startswith("-"):
                    chosen.discard(f[1:])
        if is_list:
            chosen.add("created_at")
        chosen.add("id")
        relations.extend(f[1:] for f in chosen if f.startswith("*"))
        chosen = {f for f in chosen if not f.startswith("*")}
        relations.extend(f.rsplit(".", 1)[0] for f in chosen if "." in f)
        fields = {f for f in chosen if "." not in f}
    if p.expand is not None:
        relations = [r for r in p.expand.split(",") if r]
    tree = relation_tree(sorted(dict.fromkeys(relations)))
    load_options(model, tree)  # an unknown relation is a 400 before any query runs
    return tree, fields


def _apply_dates(stmt: Any, model: type, p: ListParams) -> Any:
    dates = p.date_filters()
    if hasattr(model, "deleted_at") and "deleted_at" not in dates:
        # buildQuery: a deleted_at filter is the only way to see soft-deleted rows
        stmt = stmt.where(model.deleted_at.is_(None))  # type: ignore[attr-defined]
    for name, op in dates.items():
        stmt = apply_date_filter(stmt, getattr(model, name), op)
    return stmt


async def _page(
    tx: AsyncSession, stmt: Any, model: type, p: ListParams, tree: Tree, default_order: str = "-created_at"
) -> tuple[list[Any], int]:
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = apply_order(stmt, model, p.order, default=default_order).offset(p.offset)
    if p.limit:
        # TypeORM reads `take: 0` as "no limit"
        stmt = stmt.limit(p.limit)
    if tree:
        stmt = stmt.options(*load_options(model, tree))
    rows = (await tx.execute(stmt)).scalars().all()
    return list(rows), count


async def insert_ignore(tx: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING (TypeORM's `.orIgnore()`) on either engine."""
    if not rows:
        return
    dialect = tx.bind.dialect.name if tx.bind is not None else "sqlite"
    stmt = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)).values(list(rows))
    await tx.execute(stmt.on_conflict_do_nothing())


def _missing_reference(table: str, column: str, value: str) -> MedusaError:
    """utils/exception-formatter.ts on a foreign-key violation (23503)."""
    if re.fullmatch(r"[\w-]+", value) is None:
        return not_found("null")
    return not_found(f"{table[:1].upper()}{table[1:]} with {column} {value} does not exist.")


def _assign(row: Any, values: dict[str, Any]) -> None:
    # TypeORM only writes (and bumps updated_at) when a value really changes
    for attr, value in values.items():
        if getattr(row, attr) != value:
            setattr(row, attr, value)


# ---- sales channels: reading -------------------------------------------------------------------


def present_sales_channel(
    channel: SalesChannel, tree: Tree | None = None, fields: set[str] | None = None
) -> dict[str, Any]:
    out = present(channel, tree, fields)
    assert out is not None
    return out


async def retrieve_sales_channel(
    tx: AsyncSession, sales_channel_id: str, tree: Tree | None = None
) -> SalesChannel:
    stmt = select(SalesChannel).where(SalesChannel.id == sales_channel_id, SalesChannel.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(SalesChannel, tree))
    channel = (await tx.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()
    if channel is None:
        raise not_found(f"Sales channel with id: {sales_channel_id} was not found")
    return channel


async def list_sales_channels(tx: AsyncSession, p: ListParams, tree: Tree) -> tuple[list[SalesChannel], int]:
    stmt = _apply_dates(select(SalesChannel), SalesChannel, p)
    given = p.model_fields_set
    id_filter = getattr(p, "id", None)
    if "id" in given and id_filter is not None:
        stmt = stmt.where(SalesChannel.id == id_filter)
    if p.q:
        # the free-text search drops the name and description filters (repositories/sales-channel.ts)
        stmt = apply_search(stmt, p.q, [SalesChannel.name, SalesChannel.description])
    else:
        for name in ("name", "description"):
            value = getattr(p, name, None)
            if name in given and value is not None:
                stmt = stmt.where(getattr(SalesChannel, name) == value)
    # Medusa's free-text query has no ORDER BY (and ignores order, expand and fields): rows come in
    # table order, oldest first. Mercato says so explicitly and still honours the three parameters.
    if p.q:
        # the free-text search (getFreeTextSearchResultsAndCount) sends no ORDER BY of `order`
        p = p.model_copy(update={"order": None})
    return await _page(tx, stmt, SalesChannel, p, tree, "created_at" if p.q else "-created_at")


# ---- sales channels: writing -------------------------------------------------------------------

_SALES_CHANNEL_NOT_NULL = ("name", "is_disabled")


async def create_sales_channel(tx: AsyncSession, data: AdminPostSalesChannelsReq) -> SalesChannel:
    values: dict[str, Any] = {k: getattr(data, k) for k in data.model_fields_set}
    refuse_nulls("sales_channel", values, _SALES_CHANNEL_NOT_NULL)
    channel = SalesChannel(**values)
    tx.add(channel)
    await tx.flush()
    emit(tx, "sales_channel.created", {"id": channel.id})
    return channel


async def update_sales_channel(
    tx: AsyncSession, sales_channel_id: str, data: AdminPostSalesChannelsSalesChannelReq
) -> SalesChannel:
    channel = await retrieve_sales_channel(tx, sales_channel_id)
    values: dict[str, Any] = {k: getattr(data, k) for k in data.model_fields_set}
    refuse_nulls("sales_channel", values, _SALES_CHANNEL_NOT_NULL)
    _assign(channel, values)
    await tx.flush()
    emit(tx, "sales_channel.updated", {"id": channel.id})
    return channel


async def delete_sales_channel(tx: AsyncSession, sales_channel_id: str) -> None:
    """Soft delete, with its stock-location links (cascade soft-remove). Idempotent; the store's
    default channel is refused. Products and publishable keys keep their rows, as in Medusa."""
    channel = (
        await tx.execute(
            select(SalesChannel).where(SalesChannel.id == sales_channel_id, SalesChannel.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    if channel is None:
        return
    default_id = (
        await tx.execute(select(Store.default_sales_channel_id).order_by(Store.created_at).limit(1))
    ).scalar_one_or_none()
    if channel.id == default_id:
        raise not_allowed("You cannot delete the default sales channel")
    now = utcnow()
    channel.deleted_at = now
    await tx.execute(
        update(SalesChannelLocation)
        .where(SalesChannelLocation.sales_channel_id == channel.id, SalesChannelLocation.deleted_at.is_(None))
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await tx.flush()
    emit(tx, "sales_channel.deleted", {"id": sales_channel_id})


async def _require_products(tx: AsyncSession, product_ids: Sequence[str]) -> None:
    """middlewares/validators/product-existence.ts: every product must exist (not deleted)."""
    if not product_ids:
        return
    found = set(
        (
            await tx.execute(
                select(Product.id).where(Product.id.in_(list(set(product_ids))), Product.deleted_at.is_(None))
            )
        ).scalars()
    )
    missing = [pid for pid in product_ids if pid not in found]
    if missing:
        raise RequestErrors([f"Products {', '.join(missing)} do not exist"])


async def add_products(tx: AsyncSession, sales_channel_id: str, product_ids: Sequence[str]) -> SalesChannel:
    await _require_products(tx, product_ids)
    wanted = list(dict.fromkeys(product_ids))
    if wanted:
        exists = (
            await tx.execute(select(SalesChannel.id).where(SalesChannel.id == sales_channel_id))
        ).scalar_one_or_none()
        if exists is None:
            # the insert violates product_sales_channel's foreign key
            raise _missing_reference("sales_channel", "sales_channel_id", sales_channel_id)
        await insert_ignore(
            tx,
            ProductSalesChannel.__table__,  # type: ignore[arg-type]
            [{"product_id": pid, "sales_channel_id": sales_channel_id} for pid in wanted],
        )
    return await retrieve_sales_channel(tx, sales_channel_id)


async def remove_products(
    tx: AsyncSession, sales_channel_id: str, product_ids: Sequence[str]
) -> SalesChannel:
    if product_ids:
        await tx.execute(
            delete(ProductSalesChannel).where(
                ProductSalesChannel.sales_channel_id == sales_channel_id,
                ProductSalesChannel.product_id.in_(list(set(product_ids))),
            )
        )
    return await retrieve_sales_channel(tx, sales_channel_id)


def stock_locations_enabled() -> bool:
    """Whether a stock location module is installed (none is yet: the inventory issue brings it)."""
    return False


async def associate_location(tx: AsyncSession, sales_channel_id: str, location_id: str) -> None:
    """SalesChannelLocationService.associateLocation (the location itself is checked by the stock
    location module, when there is one)."""
    channel = await retrieve_sales_channel(tx, sales_channel_id)
    tx.add(SalesChannelLocation(sales_channel_id=channel.id, location_id=location_id))
    await tx.flush()


async def remove_location(tx: AsyncSession, location_id: str, sales_channel_id: str | None = None) -> None:
    """SalesChannelLocationService.removeLocation: hard-deletes the links (all channels when
    `sales_channel_id` is None)."""
    stmt = delete(SalesChannelLocation).where(SalesChannelLocation.location_id == location_id)
    if sales_channel_id:
        stmt = stmt.where(SalesChannelLocation.sales_channel_id == sales_channel_id)
    await tx.execute(stmt)


# ---- publishable API keys -------------------------------------------------------------------------


def present_key(key: PublishableApiKey, fields: set[str] | None = None) -> dict[str, Any]:
    out = present(key, None, fields)
    assert out is not None
    return out


async def retrieve_key(tx: AsyncSession, key_id: str) -> PublishableApiKey:
    key = (
        await tx.execute(
            select(PublishableApiKey)
            .where(PublishableApiKey.id == key_id)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if key is None:
        raise not_found(f"Publishable key with id: {key_id} was not found")
    return key


async def list_keys(tx: AsyncSession, p: ListParams, tree: Tree) -> tuple[list[PublishableApiKey], int]:
    stmt = _apply_dates(select(PublishableApiKey), PublishableApiKey, p)
    stmt = apply_search(stmt, p.q, [PublishableApiKey.title])
    return await _page(tx, stmt, PublishableApiKey, p, tree)


async def create_key(
    tx: AsyncSession, data: AdminPostPublishableApiKeysReq, user_id: str
) -> PublishableApiKey:
    key = PublishableApiKey(title=data.title, created_by=user_id)
    tx.add(key)
    await tx.flush()
    emit(tx, "publishable_api_key.created", {"id": key.id})
    return key


async def update_key(
    tx: AsyncSession, key_id: str, data: AdminPostPublishableApiKeysPublishableApiKeyReq
) -> PublishableApiKey:
    key = await retrieve_key(tx, key_id)
    values: dict[str, Any] = {k: getattr(data, k) for k in data.model_fields_set}
    refuse_nulls("publishable_api_key", values, ("title",))
    _assign(key, values)
    await tx.flush()
    return key


async def delete_key(tx: AsyncSession, key_id: str) -> None:
    """A hard delete; its sales channel rows stay, as in Medusa (no foreign key holds them)."""
    key = await retrieve_key(tx, key_id)
    await tx.delete(key)
    await tx.flush()


async def revoke_key(tx: AsyncSession, key_id: str, user_id: str) -> PublishableApiKey:
    key = await retrieve_key(tx, key_id)
    if key.revoked_at is not None:
        raise not_allowed("PublishableApiKey has already been revoked.")
    key.revoked_at = utcnow()
    key.revoked_by = user_id
    await tx.flush()
    emit(tx, "publishable_api_key.revoked", {"id": key.id})
    return key


async def add_key_sales_channels(tx: AsyncSession, key_id: str, sales_channel_ids: Sequence[str]) -> None:
    # Medusa checks neither the key (before inserting) nor the channels; the key's retrieve after
    # the insert rolls an unknown key back, which is the same as checking it first.
    await retrieve_key(tx, key_id)
    now = utcnow()
    await insert_ignore(
        tx,
        PublishableApiKeySalesChannel.__table__,  # type: ignore[arg-type]
        [
            {
                "id": generate_id("pksc"),
                "sales_channel_id": sc_id,
                "publishable_key_id": key_id,
                "created_at": now,
                "updated_at": now,
            }
            for sc_id in dict.fromkeys(sales_channel_ids)
        ],
    )


async def remove_key_sales_channels(tx: AsyncSession, key_id: str, sales_channel_ids: Sequence[str]) -> None:
    await retrieve_key(tx, key_id)
    if sales_channel_ids:
        await tx.execute(
            delete(PublishableApiKeySalesChannel).where(
                PublishableApiKeySalesChannel.publishable_key_id == key_id,
                PublishableApiKeySalesChannel.sales_channel_id.in_(list(set(sales_channel_ids))),
            )
        )


async def list_key_sales_channels(tx: AsyncSession, key_id: str, q: str | None) -> list[SalesChannel]:
    """The key's (non-deleted) channels; an unknown key has none (Medusa answers 200 [])."""
    stmt = (
        select(SalesChannel)
        .join(
            PublishableApiKeySalesChannel,
            and_(
                PublishableApiKeySalesChannel.sales_channel_id == SalesChannel.id,
                PublishableApiKeySalesChannel.publishable_key_id == key_id,
            ),
        )
        .where(SalesChannel.deleted_at.is_(None))
        .order_by(SalesChannel.created_at, SalesChannel.id)
    )
    if q:
        stmt = stmt.where(or_(SalesChannel.description.ilike(f"%{q}%"), SalesChannel.name.ilike(f"%{q}%")))
    return list((await tx.execute(stmt)).scalars().all())


async def sales_channel_ids_for_key(tx: AsyncSession, key_id: str, *, strict: bool = True) -> list[str]:
    """The sales channel ids a publishable API key (the `x-publishable-api-key` header) scopes a
    store request to.

    Medusa 1.20 (middlewares/publishable-api-key/extend-request-params.ts → getResourceScopes)
    never checks the key: it reads the key's rows, so an unknown key scopes to `[]` (which its
    routes read as "no restriction") and a revoked or deleted key keeps its channels, although
    its documentation says a revoked key "can't be used in future requests". With `strict` (the
    default) an unknown or revoked key is refused with Medusa v2's answer, 400 not_allowed
    "A valid publishable key is required to proceed with the request"; `strict=False` gives
    1.20's exact behaviour. Either way `[]` means the key has no channel (no restriction)."""
    rows = (
        await tx.execute(
            select(PublishableApiKey.revoked_at, PublishableApiKeySalesChannel.sales_channel_id)
            .select_from(PublishableApiKey)
            .outerjoin(
                PublishableApiKeySalesChannel,
                PublishableApiKeySalesChannel.publishable_key_id == PublishableApiKey.id,
            )
            .where(PublishableApiKey.id == key_id)
            .order_by(
                PublishableApiKeySalesChannel.created_at, PublishableApiKeySalesChannel.sales_channel_id
            )
        )
    ).all()
    if strict:
        if not rows or rows[0].revoked_at is not None:
            raise not_allowed(INVALID_PUBLISHABLE_KEY)
        return [r.sales_channel_id for r in rows if r.sales_channel_id is not None]
    if rows:
        return [r.sales_channel_id for r in rows if r.sales_channel_id is not None]
    # a deleted key's rows outlive it
    return list(
        (
            await tx.execute(
                select(PublishableApiKeySalesChannel.sales_channel_id)
                .where(PublishableApiKeySalesChannel.publishable_key_id == key_id)
                .order_by(
                    PublishableApiKeySalesChannel.created_at, PublishableApiKeySalesChannel.sales_channel_id
                )
            )
        ).scalars()
    )
