"""Rows the gift card tests build on: regions written directly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from mercato.db.session import Database
from mercato.modules.regions.models import Region


@pytest.fixture
def make_region(db: Database) -> Callable[..., Awaitable[str]]:
    async def make(**overrides: Any) -> str:
        values: dict[str, Any] = {"name": "GC Region", "currency_code": "usd", "tax_rate": 0}
        values.update(overrides)
        async with db.write_session() as tx:
            region = Region(**values)
            tx.add(region)
            await tx.flush()
            region_id = region.id
            await tx.commit()
        return region_id

    return make
