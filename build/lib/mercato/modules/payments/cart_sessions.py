"""Cart payment sessions (Medusa CartService.setPaymentSessions, setPaymentSession,
updatePaymentSession, deletePaymentSession, refreshPaymentSession). Only flush; the routes answer
the cart through mercato.modules.carts.service.cart_response."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.rows import shape
from mercato.db import raw
from mercato.modules.carts.models import Cart, PaymentSession
from mercato.modules.carts.service import CartView, cart_json_view
from mercato.modules.payments import sessions as ps
from mercato.providers.payment import PENDING, PaymentProcessorContext

_UNSELECT = (
    update(PaymentSession)
    .where(
        PaymentSession.cart_id == bindparam("cart_id"),
        or_(PaymentSession.is_selected.is_not(None), PaymentSession.is_initiated.is_(True)),
    )
    .values(is_selected=None, is_initiated=False, updated_at=bindparam("now"))
)


def cart_context(cart: dict[str, Any], total: int, customer: Any) -> PaymentProcessorContext:
    """What a provider is told about a cart (its dict tree)."""
    return PaymentProcessorContext(
        amount=total,
        currency_code=cart["region"]["currency_code"],
        resource_id=cart["id"],
        email=cart["email"],
        billing_address=cart["billing_address"],
        customer=ps.customer_data(customer),
        context=dict(cart["context"] or {}),
    )


def _known_sessions(view: CartView, sessions: list[PaymentSession]) -> None:
    """The view's sessions are `sessions` (in the view's order) as this transaction wrote them:
    the answer is made from them instead of reading the rows back (which would also send the
    writes on a round trip of their own instead of with the COMMIT)."""
    session_shape = shape(PaymentSession)
    view.cart["payment_sessions"] = [session_shape.of(s) for s in sessions]
    view.sessions_known = True


def _view_sessions(view: CartView) -> list[PaymentSession]:
    """The sessions of a cart view (read in this transaction) as instances outside the session,
    to be written with raw and sessions' functions. Their timestamps stay as the view prints
    them."""
    return [raw.instance_of(PaymentSession, s) for s in view.cart["payment_sessions"]]


def _selected(sessions: list[PaymentSession]) -> PaymentSession | None:
    return next((s for s in sessions if s.is_selected), None)


def _providers(cart: dict[str, Any]) -> list[str]:
    return [p["id"] for p in cart["region"]["payment_providers"]]


async def _delete_appropriately(tx: AsyncSession, session: PaymentSession) -> None:
    if session.is_initiated:
        await ps.delete_session(tx, session)
    else:
        await ps.drop_session_row(tx, session)


async def _add_uninitiated(tx: AsyncSession, cart_id: str, provider_id: str, amount: int) -> None:
    now = utcnow()
    row = {
        "id": generate_id(PaymentSession.__id_prefix__ or "ps"),
        "cart_id": cart_id,
        "provider_id": provider_id,
        "data": {},
        "status": PENDING,
        "amount": amount,
        "is_initiated": False,
        "created_at": now,
        "updated_at": now,
    }
    await raw.insert_row(tx, PaymentSession.__table__, row)


async def set_payment_sessions(tx: AsyncSession, cart_id: str) -> CartView:
    """POST /store/carts/{id}/payment-sessions: one session per region provider (amount = cart
    total, taxes forced); a single provider's session is initiated and selected at once; a cart
    whose total is <= 0 loses its sessions. Returns the cart view it read (taxes forced), whose
    sessions are stale: `carts.service.reload_payment_sessions` refreshes them."""
    view = await cart_json_view(tx, cart_id, force_taxes=True, read_customer=True)
    cart = view.cart
    total = view.totals.total
    sessions = await ps.sessions_of_cart(tx, cart_id) if cart["payment_sessions"] else []
    if total <= 0:
        for session in sessions:
            await _delete_appropriately(tx, session)
        return view
    customer = await ps.load_customer(tx, cart["customer_id"], cart.get("customer"))
    providers = _providers(cart)
    consumed: set[str] = set()
    for session in sessions:
        if session.provider_id not in providers:
            await _delete_appropriately(tx, session)
            continue
        consumed.add(session.provider_id)
        if session.is_selected and session.is_initiated:
            await ps.update_session(tx, session, cart_context(cart, total, customer), customer=customer)
        elif session.is_initiated:
            await ps.delete_session(tx, session)
            await _add_uninitiated(tx, cart_id, session.provider_id, total)
        elif session.amount != total:
            await raw.update_entity(tx, session, {"amount": total, "updated_at": utcnow()})
    if len(providers) == 1 and _selected(sessions) is None:
        # Medusa creates and selects a session for the only provider. (Medusa would insert a second
        # row for a provider that already has an unselected one and fail on the unique index;
        # that row is initiated and selected instead.)
        context = cart_context(cart, total, customer)
        # a cart that had no sessions still has none (the loop above had nothing to do)
        current = await ps.sessions_of_cart(tx, cart_id) if sessions else []
        existing = next((s for s in current if s.provider_id == providers[0]), None)
        if existing is not None:
            await ps.initiate_session(tx, existing, context, customer=customer, also={"is_selected": True})
        else:
            made = await ps.create_session(
                tx, providers[0], context, cart_id=cart_id, customer=customer, selected=True
            )
            if not sessions:
                _known_sessions(view, [made])  # the cart's only session
        return view
    for provider_id in providers:
        if provider_id not in consumed:
            await _add_uninitiated(tx, cart_id, provider_id, total)
    return view


async def set_payment_session(tx: AsyncSession, cart_id: str, provider_id: str) -> CartView:
    """POST /store/carts/{id}/payment-session: selects (and initiates) the provider's session.
    Returns the cart view it read (its sessions stale, see set_payment_sessions)."""
    view = await cart_json_view(tx, cart_id, read_customer=True)
    cart = view.cart
    totals = view.totals
    if provider_id != "system" and provider_id not in _providers(cart):
        raise not_allowed("The payment method is not available in this region")
    # the view was read in this transaction, before any write of it
    sessions = _view_sessions(view)
    current = _selected(sessions)
    if current is not None and current.provider_id != provider_id and current.is_initiated:
        # deleteSession at the provider; Medusa then saves the row back, not initiated
        await ps.call_provider(ps.provider_for(current.provider_id).delete_payment(dict(current.data or {})))
    chosen = next((s for s in sessions if s.provider_id == provider_id), None)
    was_initiated = bool(chosen.is_initiated) if chosen is not None else False
    if chosen is None:
        raise MedusaError("unexpected_state", "Could not find payment session")
    customer = await ps.load_customer(tx, cart["customer_id"], cart.get("customer"))
    # every session unselected and not initiated (those already so are left alone), before the
    # chosen one is selected: one selected session per cart is a unique index. Both UPDATEs go
    # out, in this order, with the next statement (or the COMMIT).
    unselect = [s for s in sessions if s.is_selected is not None or s.is_initiated]
    if unselect:
        now = utcnow()
        await raw.execute_later(tx, _UNSELECT, {"cart_id": cart_id, "now": now})
        for session in unselect:
            raw.hold(session, {"is_selected": None, "is_initiated": False, "updated_at": now})
    context = cart_context(cart, totals.total, customer)
    selected = {"is_selected": True, "is_initiated": True}
    if was_initiated:
        await ps.update_session(tx, chosen, context, customer=customer, also=selected)
    else:
        await ps.initiate_session(tx, chosen, context, customer=customer, also=selected)
    _known_sessions(view, sessions)
    emit(tx, "cart.updated", {"id": cart_id})
    return view


async def update_payment_session(
    tx: AsyncSession, cart_id: str, provider_id: str, data: dict[str, Any]
) -> None:
    """POST /store/carts/{id}/payment-sessions/{provider_id}: select the provider's session, then
    merge the provider's updatePaymentData answer into the selected session's data."""
    await set_payment_session(tx, cart_id, provider_id)
    selected = next((s for s in await ps.sessions_of_cart(tx, cart_id) if s.is_selected), None)
    if selected is not None:
        await ps.update_session_data(tx, selected, data)
    emit(tx, "cart.updated", {"id": cart_id})


async def delete_payment_session(tx: AsyncSession, cart_id: str, provider_id: str) -> None:
    """DELETE /store/carts/{id}/payment-sessions/{provider_id}: an unknown provider is ignored."""
    await _cart_exists(tx, cart_id)
    session = next((s for s in await ps.sessions_of_cart(tx, cart_id) if s.provider_id == provider_id), None)
    if session is not None:
        if session.is_selected or session.is_initiated:
            await ps.delete_session(tx, session)
        else:
            await ps.drop_session_row(tx, session)
    emit(tx, "cart.updated", {"id": cart_id})


async def refresh_payment_session(tx: AsyncSession, cart_id: str, provider_id: str) -> None:
    """POST /store/carts/{id}/payment-sessions/{provider_id}/refresh: the selected session is
    deleted and initiated anew; an unselected one only gets the cart's total as amount."""
    view = await cart_json_view(tx, cart_id)
    totals = view.totals
    session = next((s for s in await ps.sessions_of_cart(tx, cart_id) if s.provider_id == provider_id), None)
    if session is not None:
        if session.is_selected:
            customer = await ps.load_customer(tx, view.cart["customer_id"])
            context = cart_context(view.cart, totals.total, customer)
            await ps.refresh_session(tx, session, context, customer=customer)
        else:
            await raw.update_entity(tx, session, {"amount": totals.total, "updated_at": utcnow()})
    emit(tx, "cart.updated", {"id": cart_id})


async def _cart_exists(tx: AsyncSession, cart_id: str) -> None:
    found = (await tx.execute(select(Cart.id).where(Cart.id == cart_id, Cart.deleted_at.is_(None)))).first()
    if found is None:
        raise not_found(f"Cart with {cart_id} was not found")
