"""Store customer authentication and the customer's own account (services/auth.ts
authenticateCustomer, CustomerService.create/update/retrieve as the Store routes use them)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, invalid_data, not_found
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.passwords import hash_password, verify_password
from mercato.core.present import Tree, relation_tree
from mercato.modules.customers import service as customers
from mercato.modules.customers.models import Address, Customer
from mercato.modules.regions.models import Country
from mercato.modules.store_customers.schemas import (
    StorePostCustomersCustomerAddressesAddressReq,
    StorePostCustomersCustomerAddressesReq,
    StorePostCustomersCustomerReq,
    StorePostCustomersReq,
    StorePostCustomersResetPasswordReq,
)

# api/routes/store/auth/index.ts defaultRelations (the items bare: no relations, no totals)
AUTH_TREE: Tree = relation_tree(["orders", "orders.items", "shipping_addresses"])
# api/routes/store/customers/index.ts defaultStoreCustomersRelations
CUSTOMER_TREE: Tree = relation_tree(["shipping_addresses", "billing_address"])


async def authenticate_customer(tx: AsyncSession, email: str, password: str) -> Customer | None:
    """AuthService.authenticateCustomer: the registered customer whose password matches, or None."""
    customer = await customers.customer_by_email(tx, email, has_account=True)
    if customer is None or not customer.password_hash:
        return None
    ok = await asyncio.to_thread(verify_password, password, customer.password_hash)
    return customer if ok else None


async def has_account(tx: AsyncSession, email: str) -> bool:
    return await customers.customer_by_email(tx, email, has_account=True) is not None


async def retrieve(tx: AsyncSession, customer_id: str, tree: Tree) -> dict[str, Any]:
    return customers.present_customer(await customers.retrieve_customer(tx, customer_id, tree), tree)


async def register(tx: AsyncSession, data: StorePostCustomersReq) -> Customer:
    return await customers.create_customer(tx, data)


async def update_me(tx: AsyncSession, customer_id: str, data: StorePostCustomersCustomerReq) -> None:
    """CustomerService.update as update-customer.ts calls it (no email lock on the Store)."""
    customer = await customers.retrieve_customer(tx, customer_id)
    if "email" in data.model_fields_set:
        await customers.check_new_email(tx, customer, data.email)
    if data.metadata:
        customer.metadata_ = merge_metadata(customer.metadata_, data.metadata)
    for name in ("first_name", "last_name", "phone", "email"):
        if name in data.model_fields_set and getattr(customer, name) != getattr(data, name):
            setattr(customer, name, getattr(data, name))
    if "billing_address" in data.model_fields_set:
        await _set_billing_address(tx, customer, data.billing_address)
    if data.password:
        customer.password_hash = await asyncio.to_thread(hash_password, data.password)
    await customers.flush_email_change(tx, customer)
    emit(tx, customers.CUSTOMER_EVENTS["updated"], customers.present_customer(customer))


# ---- password reset (reset-password-token.ts, reset-password.ts) ---------------------------------

RESET_TOKEN_SECONDS = 15 * 60
INVALID_RESET_TOKEN = "Invalid or expired password reset token"


async def generate_reset_password_token(tx: AsyncSession, email: str) -> str | None:
    """reset-password-token.ts + CustomerService.generateResetPasswordToken: for a registered
    customer, a JWT {customer_id, exp: now + 15 min} signed (HS256) with the customer's password
    hash, announced by `customer.password_reset`; an unknown email does nothing (the route answers
    204 either way)."""
    customer = await customers.customer_by_email(tx, email, has_account=True)
    if customer is None:
        return None
    now = int(time.time())
    # jsonwebtoken's sign adds `iat` after the given claims
    payload = {"customer_id": customer.id, "exp": now + RESET_TOKEN_SECONDS, "iat": now}
    token = jwt.encode(payload, customer.password_hash or "", algorithm="HS256")
    emit(
        tx,
        customers.CUSTOMER_EVENTS["password_reset"],
        {
            "id": customer.id,
            "email": customer.email,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "token": token,
        },
    )
    return token


def _verify_reset_token(token: str, secret: str | None) -> dict[str, Any]:
    """jsonwebtoken's verify(token, secret): a malformed, badly signed or expired token throws an
    error Medusa's handler does not know, hence its 500 `unknown_error`."""
    if not secret:
        raise MedusaError("unknown_error", "secret or public key must be provided")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=["HS256", "HS384", "HS512"], options={"verify_iat": False}
        )
    except jwt.PyJWTError as exc:
        raise MedusaError("unknown_error", str(exc)) from exc
    return claims


async def reset_password(tx: AsyncSession, data: StorePostCustomersResetPasswordReq) -> str:
    """reset-password.ts: the token must verify with the customer's current password hash (so it
    works once) and name that customer; then CustomerService.update({password}). Returns the id."""
    customer = await customers.customer_by_email(tx, data.email, has_account=True)
    claims = _verify_reset_token(data.token, customer.password_hash) if customer is not None else None
    if customer is None or claims is None or claims.get("customer_id") != customer.id:
        raise MedusaError("unauthorized", INVALID_RESET_TOKEN)
    if data.password:
        customer.password_hash = await asyncio.to_thread(hash_password, data.password)
    await tx.flush()
    emit(tx, customers.CUSTOMER_EVENTS["updated"], customers.present_customer(customer))
    return customer.id


# ---- addresses -------------------------------------------------------------------------------

# CustomerService.addAddress compares these with JavaScript's `===`: a field left out of the
# request (undefined) never equals a stored one (null or not), so only a full match is a duplicate
_SAME_ADDRESS = (
    "address_1",
    "address_2",
    "city",
    "phone",
    "postal_code",
    "province",
    "first_name",
    "last_name",
)
_MISSING = object()


async def _check_country(tx: AsyncSession, code: str) -> None:
    # the address.country_code foreign key, worded as utils/exception-formatter.ts does
    known = (await tx.execute(select(Country.iso_2).where(Country.iso_2 == code).limit(1))).first()
    if known is None:
        raise not_found(f"Country with country_code {code} does not exist.")


def _same(existing: Address, address: dict[str, Any]) -> bool:
    code = existing.country_code.lower() if existing.country_code is not None else _MISSING
    if code != address["country_code"]:
        return False
    return all(getattr(existing, f) == address.get(f, _MISSING) for f in _SAME_ADDRESS)


async def add_address(
    tx: AsyncSession, customer_id: str, data: StorePostCustomersCustomerAddressesReq
) -> None:
    """CustomerService.addAddress: a new shipping address unless the same one is already there."""
    if data.address is None:
        # create-address.ts reads `address.country_code` of undefined: Medusa's answer is a 500
        raise MedusaError("unknown_error", "An unknown error occurred.")
    address = {**data.address, "country_code": str(data.address["country_code"]).lower()}
    customer = await customers.retrieve_customer(tx, customer_id, relation_tree(["shipping_addresses"]))
    if any(_same(a, address) for a in customer.shipping_addresses):
        return
    await _check_country(tx, address["country_code"])
    values = {("metadata_" if k == "metadata" else k): v for k, v in address.items()}
    tx.add(Address(customer_id=customer_id, **values))
    await tx.flush()


async def _own_address(tx: AsyncSession, customer_id: str, address_id: str) -> Address | None:
    stmt = select(Address).where(
        Address.id == address_id, Address.customer_id == customer_id, Address.deleted_at.is_(None)
    )
    return (await tx.execute(stmt)).scalar_one_or_none()


async def update_address(
    tx: AsyncSession, customer_id: str, address_id: str, data: StorePostCustomersCustomerAddressesAddressReq
) -> None:
    """CustomerService.updateAddress: the given fields are written as they are (metadata replaced)."""
    address = await _own_address(tx, customer_id, address_id)
    if address is None:
        raise invalid_data("Could not find address for customer")
    for name in data.model_fields_set:
        value = getattr(data, name)
        if name == "country_code":
            if value is None:
                # `country_code?.toLowerCase()` is undefined, which TypeORM does not write
                continue
            value = value.lower()
            await _check_country(tx, value)
        attr = "metadata_" if name == "metadata" else name
        if getattr(address, attr) != value:
            setattr(address, attr, value)
    await tx.flush()


async def remove_address(tx: AsyncSession, customer_id: str, address_id: str) -> None:
    """CustomerService.removeAddress: a soft delete; an unknown address is no error."""
    address = await _own_address(tx, customer_id, address_id)
    if address is not None:
        address.deleted_at = utcnow()
        await tx.flush()


async def _set_billing_address(
    tx: AsyncSession, customer: Customer, value: dict[str, Any] | str | None
) -> None:
    """CustomerService.updateBillingAddress_: null unsets it, an id points at an existing address,
    an object updates the current billing address (fields left out are kept) or creates one."""
    if value is None:
        customer.billing_address_id = None
        return
    if isinstance(value, str):
        stmt = select(Address.id).where(Address.id == value, Address.deleted_at.is_(None))
        if (await tx.execute(stmt)).first() is None:
            raise not_found(f"Address with id {value} was not found")
        customer.billing_address_id = value
        return
    values = {("metadata_" if k == "metadata" else k): v for k, v in value.items()}
    if values.get("country_code") is None:
        # `address.country_code?.toLowerCase()` is undefined, which TypeORM does not write
        values.pop("country_code", None)
    else:
        values["country_code"] = values["country_code"].lower()
        await _check_country(tx, values["country_code"])
    current = None
    if customer.billing_address_id:
        found = select(Address).where(Address.id == customer.billing_address_id, Address.deleted_at.is_(None))
        current = (await tx.execute(found)).scalar_one_or_none()
    if current is None:
        created = Address(**values)
        tx.add(created)
        await tx.flush()
        customer.billing_address_id = created.id
        return
    for attr, v in values.items():
        if getattr(current, attr) != v:
            setattr(current, attr, v)
