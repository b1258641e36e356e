"""Shipping profiles: the default and gift-card profiles Medusa creates on first start."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.modules.shipping.models import ShippingProfile

_BUILT_IN = {"default": "Default Shipping Profile", "gift_card": "Gift Card Profile"}


async def ensure_default_profiles(tx: AsyncSession) -> dict[str, ShippingProfile]:
    rows = (
        await tx.execute(
            select(ShippingProfile).where(
                ShippingProfile.type.in_(list(_BUILT_IN)), ShippingProfile.deleted_at.is_(None)
            )
        )
    ).scalars()
    found = {p.type: p for p in rows}
    for kind, name in _BUILT_IN.items():
        if kind not in found:
            found[kind] = ShippingProfile(name=name, type=kind)
            tx.add(found[kind])
    await tx.flush()
    return found
