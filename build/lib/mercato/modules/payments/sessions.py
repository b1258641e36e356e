"""Payment sessions (Medusa PaymentProviderService: createSession, updateSession, refreshSession,
deleteSession, authorizePayment, updateSessionData, createPayment), shared by carts and payment
collections. Only flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from mercato.core.clock import utcnow
from mercato.core.errors import not_found
from mercato.core.metadata import merge_metadata
from mercato.core.present import present
from mercato.db import raw
from mercato.modules.carts.models import PaymentSession
from mercato.modules.customers.models import Customer
from mercato.modules.orders.models import Payment
from mercato.modules.payments.service import call_provider, provider_for
from mercato.providers.payment import (
    AUTHORIZED,
    PENDING,
    PaymentProcessorContext,
    PaymentProcessorSessionResponse,
)


async def retrieve_session(tx: AsyncSession, session_id: str) -> PaymentSession:
    session = await tx.get(PaymentSession, session_id)
    if session is None:
        raise not_found(f"Payment Session with {session_id} was not found")
    return session


_CUSTOMER = raw.Entities(Customer, Customer.id == bindparam("id"))


_LOADED = "mercato_provider_customers"


async def load_customer(
    tx: AsyncSession, customer_id: str | None, known: dict[str, Any] | None = None
) -> Customer | None:
    """The customer a provider is told about: read-only (see _process_update_requests), read
    once per request (a cart's session steps ask for it several times). `known`: the customer's
    row as a cart view read it in this transaction (its columns as `present` prints them), taken
    instead of a SELECT of its own."""
    if not customer_id:
        return None
    loaded: dict[str, Customer | None] = tx.info.setdefault(_LOADED, {})
    if customer_id in loaded:
        return loaded[customer_id]
    customer: Customer | None
    if known is not None and known.get("id") == customer_id:
        # the timestamps stay as printed: nothing here writes or compares them
        customer = raw.instance_of(Customer, known)
    else:
        customer = await _CUSTOMER.first(tx, {"id": customer_id})
    loaded[customer_id] = customer
    return customer


def present_row(row: Any) -> dict[str, Any] | None:
    return present(row) if row is not None else None


def customer_data(customer: Customer | None) -> dict[str, Any] | None:
    if customer is None:
        return None
    return {"id": customer.id, "email": customer.email, "metadata": customer.metadata_}


async def _process_update_requests(
    tx: AsyncSession, customer: Customer | None, response: PaymentProcessorSessionResponse
) -> None:
    requests = response.update_requests or {}
    changes = requests.get("customer_metadata")
    if changes and customer is not None:
        # the customer was read outside the ORM session (load_customer): written here
        merged = merge_metadata(customer.metadata_, changes)
        await raw.update_where(
            tx, Customer.__table__, {"id": customer.id}, {"metadata": merged, "updated_at": utcnow()}
        )
        set_committed_value(customer, "metadata_", merged)
        tx.info.get(_LOADED, {}).pop(customer.id, None)  # its updated_at moved: read afresh


async def create_session(
    tx: AsyncSession,
    provider_id: str,
    context: PaymentProcessorContext,
    *,
    cart_id: str | None = None,
    customer: Customer | None = None,
    selected: bool = False,
    write: bool = True,
) -> PaymentSession:
    """`selected`: the new row is the cart's selected session (written so at once). `write`
    False: the row is only made (raw.committed gives it), for a caller that writes it itself."""
    provider = provider_for(provider_id)
    response: PaymentProcessorSessionResponse = await call_provider(provider.initiate_payment(context))
    await _process_update_requests(tx, customer, response)
    values = {
        "cart_id": cart_id,
        "provider_id": provider_id,
        "data": response.session_data,
        "status": PENDING,
        "is_initiated": True,
        "amount": context.amount,
        "is_selected": True if selected else None,
    }
    if not write:
        made: PaymentSession = raw.instance_of(PaymentSession, raw.new_row(PaymentSession, values))
        return made
    # sent with the next statement (the sessions' read, or the COMMIT)
    session: PaymentSession = await raw.insert_entity(tx, PaymentSession, values, later=True)
    return session


async def initiate_session(
    tx: AsyncSession,
    session: PaymentSession,
    context: PaymentProcessorContext,
    *,
    customer: Customer | None = None,
    also: dict[str, Any] | None = None,
) -> PaymentSession:
    """createSession with a payment_session_id: the provider initiates, the existing row is
    updated (with the columns of `also` in the same UPDATE)."""
    provider = provider_for(session.provider_id)
    response: PaymentProcessorSessionResponse = await call_provider(provider.initiate_payment(context))
    await _process_update_requests(tx, customer, response)
    values = {
        "data": response.session_data,
        "status": PENDING,
        "is_initiated": True,
        "amount": context.amount,
        "updated_at": utcnow(),
    }
    # callers go on to read the sessions (or commit): the UPDATE goes out with that
    await raw.update_entity(tx, session, {**values, **(also or {})}, later=True)
    return session


async def update_session(
    tx: AsyncSession,
    session: PaymentSession,
    context: PaymentProcessorContext,
    *,
    customer: Customer | None = None,
    also: dict[str, Any] | None = None,
) -> PaymentSession:
    """updateSession: the provider's new data, is_initiated and the amount (with the columns of
    `also` in the same UPDATE, written even when the provider has nothing to change)."""
    provider = provider_for(session.provider_id)
    context.payment_session_data = dict(session.data or {})
    response = await call_provider(provider.update_payment(context))
    values: dict[str, Any] = {}
    if response is not None and response.session_data is not None:
        await _process_update_requests(tx, customer, response)
        values = {"data": response.session_data, "is_initiated": True, "amount": context.amount}
    values.update(also or {})
    if values:
        await raw.update_entity(tx, session, {**values, "updated_at": utcnow()}, later=True)
    return session


_DROP_SESSION = delete(PaymentSession).where(PaymentSession.id == bindparam("id"))


async def drop_session_row(tx: AsyncSession, session: PaymentSession) -> None:
    """The session's row deleted (no provider call). A session of the ORM session goes through
    it, so that relationships holding it (payment collections) keep up."""
    if session in tx:
        await tx.delete(session)
        await tx.flush()
    else:
        await raw.execute(await raw.flushed(tx), _DROP_SESSION, {"id": session.id})


async def delete_session(tx: AsyncSession, session: PaymentSession) -> None:
    provider = provider_for(session.provider_id)
    await call_provider(provider.delete_payment(dict(session.data or {})))
    await drop_session_row(tx, session)


async def refresh_session(
    tx: AsyncSession,
    session: PaymentSession,
    context: PaymentProcessorContext,
    *,
    customer: Customer | None = None,
) -> PaymentSession:
    """Delete the session at the provider and in the DB, then create a new one."""
    cart_id = session.cart_id
    await delete_session(tx, session)
    return await create_session(tx, session.provider_id, context, cart_id=cart_id, customer=customer)


async def authorize_session(
    tx: AsyncSession, session: PaymentSession, context: dict[str, Any], *, write: bool = True
) -> PaymentSession:
    """`write` False: the session's row is not written yet (create_session's `write`): the
    values are only held on it, for the row's writer."""
    provider = provider_for(session.provider_id)
    result = await call_provider(provider.authorize_payment(dict(session.data or {}), context))
    now = utcnow()
    values: dict[str, Any] = {"data": result.data, "status": result.status, "updated_at": now}
    if result.status == AUTHORIZED:
        values["payment_authorized_at"] = now
    if not write:
        raw.hold(session, values)
        return session
    # the order's placement (or the session's next read) follows: this goes out with it
    await raw.update_entity(tx, session, values, later=True)
    return session


async def update_session_data(
    tx: AsyncSession, session: PaymentSession, data: dict[str, Any]
) -> PaymentSession:
    """updateSessionData: the provider's answer is merged into the session's data."""
    provider = provider_for(session.provider_id)
    updated = await call_provider(provider.update_payment_data(session.id, data, dict(session.data or {})))
    merged = {**(session.data or {}), **(updated or {})}
    await raw.update_entity(tx, session, {"data": merged, "updated_at": utcnow()})
    return session


async def create_payment_from_session(
    tx: AsyncSession,
    session: PaymentSession,
    *,
    amount: int,
    currency_code: str,
    cart_id: str | None = None,
    provider_id: str | None = None,
    write: bool = True,
) -> Payment:
    """PaymentProviderService.createPayment: the provider's retrievePayment data on a new Payment.
    `write` False: the row is only made (raw.committed gives it), for a caller that writes it
    itself (the order's placement)."""
    pid = provider_id or session.provider_id
    provider = provider_for(pid)
    data = await call_provider(provider.retrieve_payment(dict(session.data or {})))
    values = {
        "provider_id": pid,
        "amount": amount,
        "currency_code": currency_code,
        "amount_refunded": 0,
        "data": data or {},
        "cart_id": cart_id,
    }
    if not write:
        made: Payment = raw.instance_of(Payment, raw.new_row(Payment, values))
        return made
    # sent with the next statement: every caller goes on to write or read with the payment
    payment: Payment = await raw.insert_entity(tx, Payment, values, later=True)
    return payment


_CART_SESSIONS = raw.Entities(
    PaymentSession, PaymentSession.cart_id == bindparam("cart_id"), order_by=[PaymentSession.created_at]
)


async def sessions_of_cart(tx: AsyncSession, cart_id: str) -> list[PaymentSession]:
    """The cart's sessions, oldest first, as read-only instances: write them with this module's
    functions (raw.update_entity, drop_session_row)."""
    found: list[PaymentSession] = await _CART_SESSIONS.all(tx, {"cart_id": cart_id})
    return found
