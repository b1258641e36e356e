"""AnalyticsConfigService: each admin user's usage-insights choice (the dashboard asks for it on
every load while the `analytics` feature flag is on)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import not_found
from mercato.core.present import present
from mercato.modules.system.models import AnalyticsConfig


async def _find(tx: AsyncSession, user_id: str) -> AnalyticsConfig | None:
    stmt = (
        select(AnalyticsConfig)
        .where(AnalyticsConfig.user_id == user_id, AnalyticsConfig.deleted_at.is_(None))
        .order_by(AnalyticsConfig.created_at, AnalyticsConfig.id)
        .limit(1)
    )
    found: AnalyticsConfig | None = (await tx.execute(stmt)).scalar_one_or_none()
    return found


async def retrieve(tx: AsyncSession, user_id: str) -> AnalyticsConfig:
    config = await _find(tx, user_id)
    if config is None:
        raise not_found(f"No analytics config found for user with id: {user_id}")
    return config


async def create(tx: AsyncSession, user_id: str, opt_out: bool, anonymize: bool) -> AnalyticsConfig:
    # the table's unique index is on (id, user_id): Medusa makes another row when asked again
    config = AnalyticsConfig(user_id=user_id, opt_out=opt_out, anonymize=anonymize)
    tx.add(config)
    await tx.flush()
    return config


async def update(
    tx: AsyncSession, user_id: str, opt_out: bool | None, anonymize: bool | None
) -> AnalyticsConfig:
    """Set what was given; a user without a config gets one (the rest false)."""
    config = await _find(tx, user_id)
    if config is None:
        return await create(tx, user_id, bool(opt_out), bool(anonymize))
    if opt_out is not None:
        config.opt_out = opt_out
    if anonymize is not None:
        config.anonymize = anonymize
    config.updated_at = utcnow()
    await tx.flush()
    return config


async def delete(tx: AsyncSession, user_id: str) -> None:
    """Soft-deletes the user's config; nothing to do without one."""
    config = await _find(tx, user_id)
    if config is not None:
        config.deleted_at = utcnow()
        await tx.flush()


def present_config(config: AnalyticsConfig) -> dict[str, Any]:
    out = present(config)
    assert out is not None
    return out
