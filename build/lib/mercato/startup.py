"""What every start does on a migrated database, as Medusa's loaders do: the store row, its default
sales channel, the built-in providers and the default shipping profiles (all idempotent)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mercato.modules.shipping.service import ensure_default_profiles
from mercato.modules.store.service import bootstrap


async def prepare_store(tx: AsyncSession) -> None:
    await bootstrap(tx)
    await ensure_default_profiles(tx)
