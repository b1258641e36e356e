"""Counting a discount's uses when an order is placed.

Medusa 1.20 bumps `usage_count` in an `order.placed` subscriber with a read-modify-write, after
the order exists: ten carts completed at once all keep a discount whose `usage_limit` is 1, and
the count ends at 1 or 2. Here the count moves in the order's own transaction with one guarded
UPDATE, so the order that would exceed the limit is refused and the count is exact.
"""

from __future__ import annotations

from sqlalchemy import func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import MedusaError
from mercato.modules.discounts.models import Discount

LIMIT_REACHED = "Discount has been used maximum allowed times"


async def record_usage(tx: AsyncSession, discount_id: str) -> None:
    """Count one use of a discount, or raise Medusa's not_allowed error when its limit is reached."""
    result = await tx.execute(
        update(Discount)
        .where(
            Discount.id == discount_id,
            or_(
                Discount.usage_limit.is_(None), func.coalesce(Discount.usage_count, 0) < Discount.usage_limit
            ),
        )
        .values(usage_count=func.coalesce(Discount.usage_count, 0) + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise MedusaError("not_allowed", LIMIT_REACHED)
    key = tx.identity_key(Discount, discount_id)
    if key in tx.identity_map:
        tx.expire(tx.identity_map[key], ["usage_count"])
