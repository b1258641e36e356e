"""Payment collections (Medusa v1 services/payment-collection.ts). Only flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import MedusaError, invalid_data, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.modules.carts.models import PaymentSession
from mercato.modules.orders.models import (
    PaymentCollection,
    t_payment_collection_payments,
    t_payment_collection_sessions,
)
from mercato.modules.payments import sessions as ps
from mercato.modules.payments.schemas import StorePostPaymentCollectionsSessionsReq
from mercato.providers.payment import AUTHORIZED, PaymentProcessorContext

ADMIN_TREE = relation_tree(["region", "payment_sessions", "payments"])
STORE_TREE = relation_tree(["region", "payment_sessions"])
# defaultPaymentCollectionFields (admin adds authorized_amount); "region"/"currency" are relations
ADMIN_FIELDS = {
    "id",
    "type",
    "status",
    "description",
    "amount",
    "authorized_amount",
    "currency_code",
    "metadata",
}
STORE_FIELDS = {"id", "type", "status", "description", "amount", "currency_code", "metadata"}
# what the write endpoints answer: every column, sessions, region with its payment providers
WRITE_TREE = relation_tree(["payment_sessions", "region.payment_providers"])
NOT_PAID = "not_paid"


def sessions_of(collection: PaymentCollection) -> list[PaymentSession]:
    """The loaded `payment_sessions` relation (declared in orders/models.py's payments block)."""
    sessions: list[PaymentSession] = getattr(collection, "payment_sessions")  # noqa: B009
    return sessions


def _region(collection: PaymentCollection) -> Any:
    return getattr(collection, "region")  # noqa: B009


async def retrieve_collection(
    tx: AsyncSession, collection_id: str, tree: Tree | None = None
) -> PaymentCollection:
    stmt = select(PaymentCollection).where(
        PaymentCollection.id == collection_id, PaymentCollection.deleted_at.is_(None)
    )
    if tree:
        stmt = stmt.options(*load_options(PaymentCollection, tree))
    found = (await tx.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()
    if found is None:
        raise not_found(f"Payment collection with id {collection_id} was not found")
    return found


def present_collection(
    collection: PaymentCollection, tree: Tree | None = None, fields: set[str] | None = None
) -> dict[str, Any]:
    out = present(collection, tree, fields)
    assert out is not None
    return out


async def update_collection(
    tx: AsyncSession,
    collection_id: str,
    description: str | None,
    metadata: dict[str, Any] | None,
    *,
    set_description: bool = True,
) -> PaymentCollection:
    """`set_description`: the body names it (isDefined: an explicit null clears it)."""
    collection = await retrieve_collection(tx, collection_id)
    if metadata:
        collection.metadata_ = merge_metadata(collection.metadata_, metadata)
    if set_description:
        collection.description = description
    await tx.flush()
    emit(tx, "payment-collection.updated", {"id": collection.id})
    return collection


async def delete_collection(tx: AsyncSession, collection_id: str) -> None:
    """Unknown ids are answered as deleted (Medusa); only not_paid/canceled ones can go."""
    try:
        collection = await retrieve_collection(tx, collection_id)
    except MedusaError:
        return
    if collection.status not in ("canceled", NOT_PAID):
        raise not_allowed(f"Cannot delete payment collection with status {collection.status}")
    await tx.execute(
        delete(t_payment_collection_sessions).where(
            t_payment_collection_sessions.c.payment_collection_id == collection.id
        )
    )
    await tx.execute(
        delete(t_payment_collection_payments).where(
            t_payment_collection_payments.c.payment_collection_id == collection.id
        )
    )
    await tx.delete(collection)
    await tx.flush()
    emit(tx, "payment-collection.deleted", {"id": collection_id})


async def mark_as_authorized(tx: AsyncSession, collection_id: str) -> PaymentCollection:
    collection = await retrieve_collection(tx, collection_id)
    collection.status = AUTHORIZED
    collection.authorized_amount = collection.amount
    await tx.flush()
    emit(tx, "payment-collection.payment_authorized", {"id": collection.id})
    return collection


def _context(collection: PaymentCollection, amount: int, customer: Any) -> PaymentProcessorContext:
    return PaymentProcessorContext(
        amount=amount,
        currency_code=collection.currency_code,
        resource_id=collection.id,
        email=(customer.email if customer is not None else "") or "",
        customer=ps.customer_data(customer),
        context={},
    )


async def set_sessions_batch(
    tx: AsyncSession,
    collection_id: str,
    sessions_input: list[StorePostPaymentCollectionsSessionsReq],
    customer_id: str | None,
) -> PaymentCollection:
    """setPaymentSessionsBatch: sessions of providers outside the region are dropped; the amounts
    must add up to the collection's amount; sessions not named again are deleted."""
    collection = await retrieve_collection(tx, collection_id, WRITE_TREE)
    if collection.status != NOT_PAID:
        raise not_allowed(
            f"Cannot set payment sessions for a payment collection with status {collection.status}"
        )
    region_providers = {p.id for p in _region(collection).payment_providers}
    wanted = [s for s in sessions_input if s.provider_id in region_providers]
    if sum(s.amount for s in wanted) != collection.amount:
        raise MedusaError(
            "unexpected_state",
            f"The sum of sessions is not equal to {collection.amount} on Payment Collection",
        )
    customer = await ps.load_customer(tx, customer_id)
    existing = {s.id: s for s in sessions_of(collection)}
    kept: list[str] = []
    for item in wanted:
        context = _context(collection, item.amount, customer)
        current = existing.get(item.session_id) if item.session_id else None
        if current is not None:
            session = await ps.update_session(tx, current, context, customer=customer)
        else:
            session = await ps.create_session(tx, item.provider_id, context, customer=customer)
            await tx.execute(
                insert(t_payment_collection_sessions).values(
                    payment_collection_id=collection.id, payment_session_id=session.id
                )
            )
        kept.append(session.id)
    for sid, old in existing.items():
        if sid in kept:
            continue
        await tx.execute(
            delete(t_payment_collection_sessions).where(
                t_payment_collection_sessions.c.payment_collection_id == collection.id,
                t_payment_collection_sessions.c.payment_session_id == sid,
            )
        )
        try:
            await ps.delete_session(tx, old)
        except MedusaError:  # Medusa: .catch(() => void 0)
            pass
    await tx.flush()
    return await retrieve_collection(tx, collection.id, WRITE_TREE)


async def set_session(
    tx: AsyncSession, collection_id: str, provider_id: str, customer_id: str | None
) -> PaymentCollection:
    collection = await retrieve_collection(tx, collection_id, WRITE_TREE)
    if provider_id not in {p.id for p in _region(collection).payment_providers}:
        raise invalid_data("Payment provider not found")
    existing = next((s for s in sessions_of(collection) if s.provider_id == provider_id), None)
    item = StorePostPaymentCollectionsSessionsReq.model_construct(
        provider_id=provider_id, amount=collection.amount, session_id=existing.id if existing else None
    )
    return await set_sessions_batch(tx, collection_id, [item], customer_id)


async def refresh_session(
    tx: AsyncSession, collection_id: str, session_id: str, customer_id: str | None
) -> PaymentSession:
    owner = (
        await tx.execute(
            select(t_payment_collection_sessions.c.payment_collection_id).where(
                t_payment_collection_sessions.c.payment_session_id == session_id
            )
        )
    ).scalar_one_or_none()
    if owner is None:
        # Medusa's getPaymentCollectionIdBySessionId: findOneOrFail
        raise not_found(f"Payment collection related to Payment Session id {session_id} was not found")
    if owner != collection_id:
        raise not_allowed(
            f"Payment Session {session_id} does not belong to Payment Collection {collection_id}"
        )
    collection = await retrieve_collection(tx, collection_id, WRITE_TREE)
    session = next((s for s in sessions_of(collection) if s.id == session_id), None)
    if session is None:
        raise not_allowed(f"Session with id {session_id} was not found")
    customer = await ps.load_customer(tx, customer_id)
    amount = session.amount or 0
    was_authorized = session.payment_authorized_at is not None
    await tx.execute(
        delete(t_payment_collection_sessions).where(
            t_payment_collection_sessions.c.payment_session_id == session_id
        )
    )
    fresh = await ps.refresh_session(tx, session, _context(collection, amount, customer), customer=customer)
    await tx.execute(
        insert(t_payment_collection_sessions).values(
            payment_collection_id=collection.id, payment_session_id=fresh.id
        )
    )
    if was_authorized and collection.authorized_amount:
        collection.authorized_amount -= amount
    await tx.flush()
    return fresh


async def authorize_sessions(
    tx: AsyncSession, collection_id: str, session_ids: list[str], context: dict[str, Any] | None = None
) -> PaymentCollection:
    """authorizePaymentSessions: authorizes the named sessions, creates their payments, sets
    status awaiting / partially_authorized / authorized and authorized_amount."""
    collection = await retrieve_collection(tx, collection_id, relation_tree(["payment_sessions", "payments"]))
    if collection.authorized_amount == collection.amount:
        return collection
    if collection.amount <= 0:
        collection.authorized_amount = 0
        collection.status = AUTHORIZED
        await tx.flush()
        return collection
    if not sessions_of(collection):
        raise not_allowed("You cannot complete a Payment Collection without a payment session.")
    authorized = 0
    for session in list(sessions_of(collection)):
        if session.payment_authorized_at is not None:
            authorized += session.amount or 0
            continue
        if session.id not in session_ids:
            continue
        session = await ps.authorize_session(tx, session, context or {})
        if session.status == AUTHORIZED:
            authorized += session.amount or 0
            payment = await ps.create_payment_from_session(
                tx, session, amount=session.amount or 0, currency_code=collection.currency_code
            )
            await tx.execute(
                insert(t_payment_collection_payments).values(
                    payment_collection_id=collection.id, payment_id=payment.id
                )
            )
    if authorized == 0:
        collection.status = "awaiting"
    elif authorized < collection.amount:
        collection.status = "partially_authorized"
    elif authorized == collection.amount:
        collection.status = AUTHORIZED
    collection.authorized_amount = authorized
    await tx.flush()
    emit(tx, "payment-collection.payment_authorized", {"id": collection.id})
    return collection
