"""Stock of product variants (Medusa without the inventory module: `product_variant.inventory_quantity`).

Medusa 1.20 checks stock with a read and decrements it later with another write, so ten
shoppers racing for the last unit all get an order and the stock still reads 0. Here a
decrement is ONE guarded UPDATE: the row lock (PostgreSQL) or the single writer (SQLite)
serialises concurrent decrements and each re-checks the quantity, so stock never goes below
zero and only as many orders succeed as there are units.

As Medusa without an inventory module (ProductVariantInventoryService.reserveQuantity), a
reservation decrements `inventory_quantity` of every variant, managed or not; only a managed
variant without backorders is refused when its stock does not cover the quantity.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError
from mercato.db import raw
from mercato.modules.products.models import ProductVariant


def insufficient_inventory(variant_id: str) -> MedusaError:
    return MedusaError(
        "not_allowed",
        f"Variant with id: {variant_id} does not have the required inventory",
        code="insufficient_inventory",
    )


def covers(
    manage_inventory: bool, allow_backorder: bool, inventory_quantity: int | None, quantity: int
) -> bool:
    """ProductVariantInventoryService.confirmInventory without an inventory module: a variant whose
    stock is not managed, or that allows backorders, always has enough."""
    return (not manage_inventory) or allow_backorder or (inventory_quantity or 0) >= quantity


def _take(variant: Any, quantity: Any, now: Any) -> Any:
    """One atomic UPDATE guarded by the quantity: concurrent orders can never take the same
    units. Returns the quantity left (no row: nothing was taken)."""
    return (
        update(ProductVariant)
        .where(
            ProductVariant.id == variant,
            or_(
                ProductVariant.manage_inventory.is_(False),
                ProductVariant.allow_backorder.is_(True),
                ProductVariant.inventory_quantity >= quantity,
            ),
        )
        .values(inventory_quantity=ProductVariant.inventory_quantity - quantity, updated_at=now)
        .returning(ProductVariant.inventory_quantity)
    )


_TAKE = _take(bindparam("id"), bindparam("quantity"), bindparam("now"))


def take_stock_step(now: Any) -> Any:
    """_TAKE for a statement of its own making (a CTE): the variant `take_id`, `take_quantity`
    units, at `now`; it returns the quantity left."""
    return _take(bindparam("take_id"), bindparam("take_quantity"), now)


async def taken_stock(tx: AsyncSession, variant_id: str, left: int | None, now: Any) -> dict[str, Any] | None:
    """What reserve_stock answers after take_stock_step ran in a statement of this transaction
    and left `left` units (None: it took nothing): insufficient_inventory for a variant that
    exists, None for an unknown one."""
    if left is not None:
        _expire(tx, variant_id)
        return {"inventory_quantity": left, "updated_at": now}
    if await _exists(tx, variant_id):
        raise insufficient_inventory(variant_id)
    return None


async def reserve_stock(tx: AsyncSession, variant_id: str, quantity: int) -> dict[str, Any] | None:
    """Take `quantity` units of a variant for an order, or raise Medusa's insufficient_inventory
    error. Unmanaged and backordered variants are decremented without a check (Medusa does the
    same: their stock may go below zero); an unknown variant is left alone (None). Returns the
    variant's columns the decrement changed, as they now read."""
    now = utcnow()
    taken = await raw.fetch_all(
        await raw.flushed(tx), _TAKE, {"id": variant_id, "quantity": quantity, "now": now}
    )
    return await taken_stock(tx, variant_id, taken[0][0] if taken else None, now)


async def release_stock(tx: AsyncSession, variant_id: str, quantity: int) -> None:
    """Give units back (a canceled order, a canceled fulfillment's return to stock)."""
    await tx.execute(
        update(ProductVariant)
        .where(ProductVariant.id == variant_id, ProductVariant.manage_inventory.is_(True))
        .values(inventory_quantity=ProductVariant.inventory_quantity + quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _expire(tx, variant_id)


async def _exists(tx: AsyncSession, variant_id: str) -> bool:
    found = (await tx.execute(select(ProductVariant.id).where(ProductVariant.id == variant_id))).first()
    return found is not None


def _expire(tx: AsyncSession, variant_id: str) -> None:
    # a variant already loaded in this session must not keep showing the old quantity
    key = tx.identity_key(ProductVariant, variant_id)
    if key in tx.identity_map:
        tx.expire(tx.identity_map[key], ["inventory_quantity", "updated_at"])
