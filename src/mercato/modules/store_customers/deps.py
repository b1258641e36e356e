"""Who the Store caller is: Medusa's store-session / store-bearer passport strategies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mercato.core.auth import bearer_claims, load_session
from mercato.core.errors import Unauthorized
from mercato.core.http import Tx


async def current_customer_id(request: Request, tx: Tx) -> str | None:
    """The logged-in customer's id, or None: the session cookie's `customer_id` first, then the
    Bearer JWT (domain "store"), as passport's ["store-session", "store-bearer"] tries them."""
    cached: str | None = getattr(request.state, "customer_id", None)
    if cached is not None:
        return cached
    customer_id: str | None = None
    if request.cookies:
        session = await load_session(tx, request)
        if session is not None and isinstance(session.data.get("customer_id"), str):
            customer_id = session.data["customer_id"]
    if customer_id is None:
        claims = bearer_claims(request, "store")
        if claims is not None and isinstance(claims.get("customer_id"), str):
            customer_id = claims["customer_id"]
    if customer_id is not None:
        request.state.customer_id = customer_id
    return customer_id


async def required_customer_id(request: Request, tx: Tx) -> str:
    """requireCustomerAuthentication: 401 "Unauthorized" without a customer."""
    customer_id = await current_customer_id(request, tx)
    if customer_id is None:
        raise Unauthorized()
    return customer_id


OptionalCustomer = Annotated[str | None, Depends(current_customer_id)]
RequiredCustomer = Annotated[str, Depends(required_customer_id)]
