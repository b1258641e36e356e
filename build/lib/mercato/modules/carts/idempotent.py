"""The cart routes' Idempotency-Key handling (Medusa's initializeIdempotencyRequest and the
routes' recovery points), shared by the line-item, shipping-method and payment-session routes."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.events import insert_at_commit
from mercato.core.http import ok
from mercato.core.ids import generate_id
from mercato.db import raw
from mercato.modules.system.models import IdempotencyKey

_KEY_TABLE = IdempotencyKey.__table__
_KEY = select(
    _KEY_TABLE.c.id, _KEY_TABLE.c.recovery_point, _KEY_TABLE.c.response_code, _KEY_TABLE.c.response_body
).where(_KEY_TABLE.c.idempotency_key == bindparam("key"))


async def idempotent_request(
    request: Request,
    tx: AsyncSession,
    cart_id: str,
    work: Callable[[], Awaitable[dict[str, Any]]],
    shown: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """initializeIdempotencyRequest + the route's recovery points. A known `Idempotency-Key` whose
    work finished replays the stored answer; an unknown or missing one gets a fresh key (Medusa
    ignores a key it did not issue). Key, work and stored answer commit together, so a failed
    request leaves nothing behind (a new key is written once, finished). `shown`: the response's
    body made of the stored one."""
    header_key = request.headers.get("idempotency-key") or ""
    found = await raw.rows(tx, _KEY, {"key": header_key}) if header_key else []
    if found and found[0][1] == "finished":
        key, status, body = header_key, found[0][2] or 200, found[0][3]
    else:
        body = await work()
        status = 200
        finished = {"recovery_point": "finished", "response_code": status, "response_body": body}
        if found:
            key = header_key
            await raw.update_where(tx, _KEY_TABLE, {"id": found[0][0]}, finished)
        else:
            key = str(uuid.uuid4())
            # a new random key: no one can ask for it before the commit
            insert_at_commit(
                tx,
                _KEY_TABLE,
                {
                    "id": generate_id(IdempotencyKey.__id_prefix__ or "ikey"),
                    "idempotency_key": key,
                    "created_at": utcnow(),
                    "request_method": request.method,
                    "request_params": {"id": cart_id},
                    "request_path": request.url.path.removeprefix("/store/carts"),
                    **finished,
                },
            )
    response = ok(shown(body) if shown is not None else body, status_code=status)
    response.headers["Access-Control-Expose-Headers"] = "Idempotency-Key"
    response.headers["Idempotency-Key"] = key
    return response
