"""The store side of publishable API keys: which sales channels a request is scoped to."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mercato.core.http import Tx
from mercato.modules.sales_channels.service import sales_channel_ids_for_key

PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"


async def publishable_key_scope(request: Request, tx: Tx) -> list[str] | None:
    """None without an `x-publishable-api-key` header (an empty one counts as absent, as Express's
    `req.get` reads it); otherwise the key's sales channel ids, `[]` when it has none (Medusa's
    routes then apply no restriction). An unknown or revoked key is 400 not_allowed (see
    `sales_channel_ids_for_key`)."""
    key = request.headers.get(PUBLISHABLE_KEY_HEADER)
    if not key:
        return None
    return await sales_channel_ids_for_key(tx, key)


PublishableKeyScope = Annotated[list[str] | None, Depends(publishable_key_scope)]
