"""POST /store/carts/{id}/complete and its alias /complete-cart (api/routes/store/carts/complete-cart.ts)."""

from __future__ import annotations

from fastapi import Request, Response

from mercato.core.errors import MedusaError
from mercato.core.http import JSON, Tx
from mercato.core.routing import public_router
from mercato.modules.checkout import idempotency, service

store = public_router("/store", "Carts")


def _client_ip(request: Request) -> str | None:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and forwarded.split(",")[0].strip():
        return forwarded.split(",")[0].strip()
    return request.client.host if request.client else None


@store.post("/carts/{cart_id}/complete")
# the older name Medusa 1.20 still routes to the same handler (its own tests complete through it)
@store.post("/carts/{cart_id}/complete-cart")
async def complete_cart(cart_id: str, request: Request, tx: Tx) -> Response:
    header_key = request.headers.get("idempotency-key") or ""
    key = header_key or idempotency.new_key()
    headers = {"Access-Control-Expose-Headers": "Idempotency-Key", "Idempotency-Key": key}
    try:
        result = await service.complete_cart(
            tx, cart_id, key, client_key=bool(header_key), context={"ip": _client_ip(request)}
        )
    except MedusaError as err:
        # Medusa sets the key header before completing: its error answers carry it too
        await tx.rollback()
        return JSON(err.body(), status_code=err.status, headers=headers)
    return JSON(result.body, status_code=result.status, headers=headers)
