"""Payment rules (Medusa v1 services/payment.ts + payment-provider.ts): retrieve, capture, refund.

The refund bump of `amount_refunded` is one guarded UPDATE
(`WHERE captured_at IS NOT NULL AND amount_refunded + :amount <= amount`): parallel refunds can
never take more than was captured, on SQLite and PostgreSQL alike. Services only flush.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.present import present
from mercato.db import raw
from mercato.modules.orders.models import Payment, Refund
from mercato.providers.payment import PaymentProcessorError, PaymentProvider, get_payment_provider

REFUND_REASONS = ("discount", "return", "swap", "claim", "other")

# admin/payments/index.ts defaultPaymentFields (GET answers only these unless `fields` is given)
DEFAULT_PAYMENT_FIELDS = (
    "id",
    "swap_id",
    "cart_id",
    "order_id",
    "amount",
    "currency_code",
    "amount_refunded",
    "provider_id",
    "data",
    "captured_at",
    "canceled_at",
    "metadata",
)


def processor_error(err: PaymentProcessorError) -> MedusaError:
    """PaymentProviderService.throwFromPaymentProcessorError."""
    message = err.error + (f":{os.linesep}{err.detail}" if err.detail else "")
    return MedusaError("invalid_data", message, err.code)


async def call_provider(result: Any) -> Any:
    """Await a provider call; a returned or raised PaymentProcessorError becomes Medusa's error."""
    try:
        value = await result
    except PaymentProcessorError as err:
        raise processor_error(err) from err
    if isinstance(value, PaymentProcessorError):
        raise processor_error(value)
    return value


def provider_for(provider_id: str) -> PaymentProvider:
    return get_payment_provider(provider_id)


async def retrieve_payment(tx: AsyncSession, payment_id: str) -> Payment:
    payment = (await tx.execute(select(Payment).where(Payment.id == payment_id))).scalar_one_or_none()
    if payment is None:
        raise not_found(f"Payment with id {payment_id} was not found")
    return payment


def present_payment(payment: Payment, fields: set[str] | None = None) -> dict[str, Any]:
    out = present(payment, None, fields)
    assert out is not None
    return out


_CAPTURE = (
    update(Payment)
    .where(Payment.id == bindparam("pid"), Payment.captured_at.is_(None))
    .values(data=bindparam("data"), captured_at=bindparam("now"), updated_at=bindparam("now"))
)


async def capture_payment(
    tx: AsyncSession, payment_id: str, *, loaded: Payment | None = None, made_here: bool = False
) -> Payment:
    """PaymentService.capture: an already captured payment is answered as it is; otherwise the
    provider captures it (its data replaces the payment's) and captured_at is set. Any provider
    failure answers 500 unexpected_state "Failed to capture Payment <id>". Medusa does not check
    that the payment was authorized. Does not touch the order's payment_status (callers do).
    `loaded`: the payment as the caller read it in this transaction; `made_here`: the caller also
    created it in this transaction (no one else can see it, let alone capture it)."""
    fresh = loaded is not None and loaded.id == payment_id  # the caller read it in this transaction
    payment = loaded if fresh and loaded is not None else await retrieve_payment(tx, payment_id)
    if payment.captured_at is not None:
        return payment
    try:
        provider = provider_for(payment.provider_id)
        data = await call_provider(provider.capture_payment(dict(payment.data or {})))
    except Exception as err:  # Medusa: .catch(err => captureError = err)
        # event: payment.payment_capture_failed (staged in a transaction that is rolled back)
        raise MedusaError("unexpected_state", f"Failed to capture Payment {payment.id}") from err
    now = utcnow()
    written = {"data": data, "captured_at": now, "updated_at": now}
    if made_here:
        # nothing to guard against: sent with the transaction's next statement or its COMMIT
        await raw.update_entity(tx, payment, written, later=True)
        won = 1
    else:
        # Guarded: a concurrent capture that won leaves this one with nothing to do.
        won = await raw.execute(
            await raw.flushed(tx), _CAPTURE, {"pid": payment.id, "data": data, "now": now}
        )
        if won:
            # the row now holds what was written: the object says so without reading it back
            raw.hold(payment, written)
    if won:
        emit(tx, "payment.payment_captured", present_payment(payment))
    elif payment in tx:
        await tx.refresh(payment)
    else:  # an instance outside the session (raw.Entities): read the row the winner wrote
        payment = await retrieve_payment(tx, payment.id)
    return payment


def _refund_refused(payment_id: str, amount: int, refunded: int) -> MedusaError:
    return not_allowed(f"Only {amount - refunded} can be refunded from Payment {payment_id}")


async def _reserve_refund(tx: AsyncSession, payment_id: str, amount: int) -> bool:
    """The one guarded UPDATE: adds `amount` to amount_refunded only if it stays <= amount."""
    result = await tx.execute(
        update(Payment)
        .where(
            Payment.id == payment_id,
            Payment.captured_at.is_not(None),
            Payment.amount_refunded + amount <= Payment.amount,
        )
        .values(amount_refunded=Payment.amount_refunded + amount, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def _fresh(tx: AsyncSession, payment: Payment) -> Payment:
    await tx.refresh(payment)
    return payment


async def refund_payment(
    tx: AsyncSession, payment_id: str, amount: int, reason: str, note: str | None = None
) -> Refund:
    """PaymentService.refund: 400 not_allowed "Payment <id> is not captured" /
    "Only <n> can be refunded from Payment <id>"; the provider refunds; a Refund row
    (payment_id, order_id, amount, reason, note) is created. Provider failure -> 500
    unexpected_state "Failed to refund Payment <id>"."""
    payment = await retrieve_payment(tx, payment_id)
    if payment.captured_at is None:
        raise not_allowed(f"Payment {payment.id} is not captured")
    if amount > payment.amount - payment.amount_refunded:
        raise _refund_refused(payment.id, payment.amount, payment.amount_refunded)
    if not await _reserve_refund(tx, payment.id, amount):
        payment = await _fresh(tx, payment)
        raise _refund_refused(payment.id, payment.amount, payment.amount_refunded)
    payment = await _fresh(tx, payment)
    try:
        provider = provider_for(payment.provider_id)
        data = await call_provider(provider.refund_payment(dict(payment.data or {}), amount))
    except Exception as err:
        # event: payment.payment_refund_failed (staged in a transaction that is rolled back)
        raise MedusaError("unexpected_state", f"Failed to refund Payment {payment.id}") from err
    payment.data = data
    refund = Refund(payment_id=payment.id, order_id=payment.order_id, amount=amount, reason=reason, note=note)
    tx.add(refund)
    await tx.flush()
    emit(tx, "payment.payment_refund_created", present(refund) or {})
    return refund


async def refund_payments(
    tx: AsyncSession, payment_ids: Sequence[str], amount: int, reason: str, note: str | None = None
) -> Refund:
    """PaymentProviderService.refundPayment (an order's refund spread over its captured payments):
    400 not_allowed "Refund amount is greater that the refundable amount" (Medusa's wording);
    each payment's share is taken with the guarded UPDATE. One Refund row (order_id, no payment_id)."""
    payments = list(
        (
            await tx.execute(
                select(Payment).where(Payment.id.in_(list(payment_ids))).order_by(Payment.created_at)
            )
        )
        .scalars()
        .all()
    )
    order_id = payments[-1].order_id if payments else None
    refundable = sum(p.amount - p.amount_refunded for p in payments if p.captured_at is not None)
    if refundable < amount:
        raise not_allowed("Refund amount is greater that the refundable amount")
    balance = amount
    for payment in payments:
        if balance <= 0:
            break
        if payment.captured_at is None:
            continue
        share = min(payment.amount - payment.amount_refunded, balance)
        if share <= 0:
            continue
        if not await _reserve_refund(tx, payment.id, share):
            raise not_allowed("Refund amount is greater that the refundable amount")
        await tx.refresh(payment)
        provider = provider_for(payment.provider_id)
        payment.data = await call_provider(provider.refund_payment(dict(payment.data or {}), share))
        balance -= share
    if balance > 0:
        raise not_allowed("Refund amount is greater that the refundable amount")
    refund = Refund(order_id=order_id, amount=amount, reason=reason, note=note)
    tx.add(refund)
    await tx.flush()
    return refund


async def cancel_payment(tx: AsyncSession, payment_id: str) -> Payment:
    """PaymentProviderService.cancelPayment: the provider cancels, canceled_at is set."""
    payment = await retrieve_payment(tx, payment_id)
    provider = provider_for(payment.provider_id)
    data = await call_provider(provider.cancel_payment(dict(payment.data or {})))
    if data is not None:
        payment.data = data
    payment.canceled_at = utcnow()
    await tx.flush()
    return payment
