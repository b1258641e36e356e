"""Idempotency keys of cart completion (Medusa's `idempotency_key` table).

Medusa 1.20 only honours a key it issued itself (an unknown header key gets a fresh uuid) and
walks recovery points over several transactions. Mercato completes a cart in one transaction,
so a key has one meaningful state: finished, with the answer that was given. The answer is
written in the same transaction as the order, so a key never points to an order that was
rolled back, and an order never lacks its key. A client's own key is stored as it is: the same
key replays the same answer, whatever request carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.events import Upsert, insert_at_commit
from mercato.core.ids import generate_id
from mercato.modules.system.models import IdempotencyKey

FINISHED = "finished"


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: Any


def new_key() -> str:
    """IdempotencyKeyService.create: a uuid v4."""
    return str(uuid4())


async def stored_answer(tx: AsyncSession, key: str) -> StoredAnswer | None:
    """The answer a finished key recorded, else None."""
    row = (
        await tx.execute(
            select(IdempotencyKey.recovery_point, IdempotencyKey.response_code, IdempotencyKey.response_body)
            .where(IdempotencyKey.idempotency_key == key)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None or row.recovery_point != FINISHED or row.response_code is None:
        return None
    return StoredAnswer(int(row.response_code), row.response_body)


_TABLE = IdempotencyKey.__table__
_ANSWER = (
    "recovery_point",
    "response_code",
    "response_body",
    "request_method",
    "request_params",
    "request_path",
)


# an unfinished row of the key is completed; a row another transaction finished first is kept
_FINISH = Upsert(index=("idempotency_key",), columns=_ANSWER, where=_TABLE.c.recovery_point != FINISHED)


async def record_answer(
    tx: AsyncSession,
    key: str,
    *,
    method: str,
    path: str,
    params: dict[str, Any],
    status: int,
    body: Any,
) -> None:
    """Store `key` as finished with its answer (an existing unfinished row is completed; a row
    another transaction finished first is kept: its answer is the one replayed)."""
    values = {
        "id": generate_id(IdempotencyKey.__id_prefix__ or "ikey"),
        "idempotency_key": key,
        "created_at": utcnow(),
        "recovery_point": FINISHED,
        "request_method": method,
        "request_params": params,
        "request_path": path,
        "response_code": status,
        "response_body": body,
    }
    # the last write of the request: it goes out with the events at the commit (one round trip
    # less, and, on PostgreSQL, one less while the stock row's lock is held)
    insert_at_commit(tx, _TABLE, values, _FINISH)
