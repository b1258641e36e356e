"""Store Auth (5 routes, /store/auth…) and the customer's own account (/store/customers, /me)."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import Body, Request, Response
from fastapi.responses import PlainTextResponse

from mercato.core.auth import end_session, load_session, sign_token, start_session
from mercato.core.errors import Unauthorized
from mercato.core.http import JSON, Tx, ok
from mercato.core.routing import public_router
from mercato.core.validation import body_or_empty
from mercato.modules.store_customers import service
from mercato.modules.store_customers.deps import RequiredCustomer
from mercato.modules.store_customers.schemas import (
    StorePostAuthReq,
    StorePostCustomersCustomerAddressesAddressReq,
    StorePostCustomersCustomerAddressesReq,
    StorePostCustomersCustomerPasswordTokenReq,
    StorePostCustomersCustomerReq,
    StorePostCustomersReq,
    StorePostCustomersResetPasswordReq,
)

auth = public_router("/store", "Store Auth")
store = public_router("/store", "Store Customers")


# ---- auth ------------------------------------------------------------------------------------


@auth.post("/auth")
async def create_session(
    request: Request, tx: Tx, body: Annotated[StorePostAuthReq | None, Body()] = None
) -> Response:
    data = body_or_empty(StorePostAuthReq, body)
    customer = await service.authenticate_customer(tx, data.email, str(data.password))
    if customer is None:
        raise Unauthorized()
    response = JSON({"customer": await service.retrieve(tx, customer.id, service.AUTH_TREE)})
    await start_session(tx, response, {"customer_id": customer.id}, request)
    return response


@auth.post("/auth/token")
async def create_token(tx: Tx, body: Annotated[StorePostAuthReq | None, Body()] = None) -> Response:
    data = body_or_empty(StorePostAuthReq, body)
    customer = await service.authenticate_customer(tx, data.email, str(data.password))
    if customer is None:
        raise Unauthorized()
    # get-token.ts: expiresIn "30d"
    token = sign_token({"customer_id": customer.id, "domain": "store"}, datetime.timedelta(days=30))
    return ok({"access_token": token})


@auth.get("/auth")
async def get_session(customer_id: RequiredCustomer, tx: Tx) -> Response:
    return ok({"customer": await service.retrieve(tx, customer_id, service.AUTH_TREE)})


@auth.delete("/auth")
async def delete_session(request: Request, tx: Tx) -> Response:
    # delete-session.ts: keeps an admin's login in the same session, else destroys it
    session = await load_session(tx, request)
    if session is not None:
        await end_session(
            tx, request, tuple(session.data) if "user_id" not in session.data else ("customer_id",)
        )
    return PlainTextResponse("OK")


@auth.get("/auth/{email}")
async def exists(email: str, tx: Tx) -> Response:
    return ok({"exists": await service.has_account(tx, email)})


# ---- customers -------------------------------------------------------------------------------


@store.post("/customers")
async def create_customer(
    request: Request, tx: Tx, body: Annotated[StorePostCustomersReq | None, Body()] = None
) -> Response:
    customer = await service.register(tx, body_or_empty(StorePostCustomersReq, body))
    response = JSON({"customer": await service.retrieve(tx, customer.id, service.CUSTOMER_TREE)})
    await start_session(tx, response, {"customer_id": customer.id}, request)
    return response


@store.post("/customers/password-token")
async def password_token(
    tx: Tx, body: Annotated[StorePostCustomersCustomerPasswordTokenReq | None, Body()] = None
) -> Response:
    data = body_or_empty(StorePostCustomersCustomerPasswordTokenReq, body)
    await service.generate_reset_password_token(tx, data.email)
    return Response(status_code=204)


@store.post("/customers/password-reset")
async def password_reset(
    tx: Tx, body: Annotated[StorePostCustomersResetPasswordReq | None, Body()] = None
) -> Response:
    customer_id = await service.reset_password(tx, body_or_empty(StorePostCustomersResetPasswordReq, body))
    return ok({"customer": await service.retrieve(tx, customer_id, {})})


@store.get("/customers/me")
async def get_me(customer_id: RequiredCustomer, tx: Tx) -> Response:
    return ok({"customer": await service.retrieve(tx, customer_id, service.CUSTOMER_TREE)})


@store.post("/customers/me")
async def update_me(
    customer_id: RequiredCustomer,
    tx: Tx,
    body: Annotated[StorePostCustomersCustomerReq | None, Body()] = None,
) -> Response:
    await service.update_me(tx, customer_id, body_or_empty(StorePostCustomersCustomerReq, body))
    return ok({"customer": await service.retrieve(tx, customer_id, service.CUSTOMER_TREE)})


@store.post("/customers/me/addresses")
async def create_address(
    customer_id: RequiredCustomer,
    tx: Tx,
    body: Annotated[StorePostCustomersCustomerAddressesReq | None, Body()] = None,
) -> Response:
    await service.add_address(tx, customer_id, body_or_empty(StorePostCustomersCustomerAddressesReq, body))
    return ok({"customer": await service.retrieve(tx, customer_id, service.CUSTOMER_TREE)})


@store.post("/customers/me/addresses/{address_id}")
async def update_address(
    address_id: str,
    customer_id: RequiredCustomer,
    tx: Tx,
    body: Annotated[StorePostCustomersCustomerAddressesAddressReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostCustomersCustomerAddressesAddressReq, body)
    await service.update_address(tx, customer_id, address_id, data)
    return ok({"customer": await service.retrieve(tx, customer_id, service.CUSTOMER_TREE)})


@store.delete("/customers/me/addresses/{address_id}")
async def delete_address(address_id: str, customer_id: RequiredCustomer, tx: Tx) -> Response:
    await service.remove_address(tx, customer_id, address_id)
    return ok({"customer": await service.retrieve(tx, customer_id, service.CUSTOMER_TREE)})
