"""Admin payments: GET /admin/payments/{id}, capture, refund — answers of a real Medusa 1.20."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from mercato.core.errors import MedusaError
from mercato.db.session import Database
from mercato.modules.orders.models import Payment, Refund
from mercato.modules.payments import service
from tests.modules.payments.helpers import make_payment

DEFAULT_KEYS = {
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
}


async def test_get_payment_default_fields(admin: httpx.AsyncClient, db: Database) -> None:
    pid = await make_payment(db, captured=False)
    r = await admin.get(f"/admin/payments/{pid}")
    assert r.status_code == 200
    body = r.json()["payment"]
    assert set(body) == DEFAULT_KEYS
    assert body["amount"] == 1000 and body["amount_refunded"] == 0 and body["captured_at"] is None
    assert body["data"] == {"status": "authorized"}


async def test_get_payment_fields_and_expand(admin: httpx.AsyncClient, db: Database) -> None:
    pid = await make_payment(db, captured=False)
    r = await admin.get(f"/admin/payments/{pid}", params={"fields": "amount"})
    assert r.json() == {"payment": {"id": pid, "amount": 1000}}
    r = await admin.get(f"/admin/payments/{pid}", params={"expand": "order"})
    assert r.status_code == 200 and r.json()["payment"]["order"] is None
    assert set(r.json()["payment"]) == DEFAULT_KEYS | {"order"}
    # the entity's other relations (Medusa 1.20.11): no swap here, the currency by its code
    r = await admin.get(f"/admin/payments/{pid}", params={"expand": "swap,currency"})
    assert r.status_code == 200, r.text
    assert r.json()["payment"]["swap"] is None
    assert r.json()["payment"]["currency"]["code"] == "eur"
    r = await admin.get(f"/admin/payments/{pid}", params={"expand": "bogus"})
    assert r.status_code == 500 and r.json()["type"] == "unknown_error"
    r = await admin.get(f"/admin/payments/{pid}", params={"foo": "1"})
    assert r.status_code == 400 and r.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist",
    }


async def test_unknown_payment_404(admin: httpx.AsyncClient) -> None:
    expected = {"type": "not_found", "message": "Payment with id pay_nope was not found"}
    r = await admin.get("/admin/payments/pay_nope")
    assert r.status_code == 404 and r.json() == expected
    r = await admin.post("/admin/payments/pay_nope/capture")
    assert r.status_code == 404 and r.json() == expected
    r = await admin.post("/admin/payments/pay_nope/refund", json={"amount": 300, "reason": "discount"})
    assert r.status_code == 404 and r.json() == expected


async def test_no_auth_401(client: httpx.AsyncClient, db: Database) -> None:
    pid = await make_payment(db)
    for method, path in (
        ("GET", f"/admin/payments/{pid}"),
        ("POST", f"/admin/payments/{pid}/capture"),
        ("POST", f"/admin/payments/{pid}/refund"),
    ):
        r = await client.request(method, path)
        assert r.status_code == 401 and r.text == "Unauthorized"


async def test_capture_not_authorized_payment_is_captured_like_medusa(
    admin: httpx.AsyncClient, db: Database
) -> None:
    # Medusa's PaymentService.capture does not check any authorization: manual captures anyway
    pid = await make_payment(db, captured=False, data={})
    r = await admin.post(f"/admin/payments/{pid}/capture")
    assert r.status_code == 200
    body = r.json()["payment"]
    assert body["data"] == {"status": "captured"} and body["captured_at"] is not None
    assert {"created_at", "updated_at", "idempotency_key"} <= set(body)
    # a second capture answers the payment as it is
    again = await admin.post(f"/admin/payments/{pid}/capture")
    assert again.status_code == 200 and again.json()["payment"]["captured_at"] == body["captured_at"]


async def test_capture_provider_failure_is_unexpected_state(admin: httpx.AsyncClient, db: Database) -> None:
    pid = await make_payment(db, captured=False, provider_id="ghost")
    r = await admin.post(f"/admin/payments/{pid}/capture")
    assert r.status_code == 500
    assert r.json() == {"type": "unexpected_state", "message": f"Failed to capture Payment {pid}"}


async def test_refund_flow_and_refusals(admin: httpx.AsyncClient, db: Database) -> None:
    pid = await make_payment(db, captured=False)
    r = await admin.post(f"/admin/payments/{pid}/refund", json={"amount": 100, "reason": "other"})
    assert r.status_code == 400
    assert r.json() == {"type": "not_allowed", "message": f"Payment {pid} is not captured"}
    await admin.post(f"/admin/payments/{pid}/capture")
    r = await admin.post(f"/admin/payments/{pid}/refund", json={"amount": 2000, "reason": "other"})
    assert r.status_code == 400
    assert r.json() == {"type": "not_allowed", "message": f"Only 1000 can be refunded from Payment {pid}"}
    r = await admin.post(
        f"/admin/payments/{pid}/refund", json={"amount": 300, "reason": "discount", "note": "n"}
    )
    assert r.status_code == 200
    refund = r.json()["refund"]
    assert refund["id"].startswith("ref_")
    assert (refund["payment_id"], refund["amount"], refund["reason"], refund["note"]) == (
        pid,
        300,
        "discount",
        "n",
    )
    assert refund["order_id"] is None and {"created_at", "updated_at", "metadata", "idempotency_key"} <= set(
        refund
    )
    got = (await admin.get(f"/admin/payments/{pid}")).json()["payment"]
    assert got["amount_refunded"] == 300 and got["data"] == {"status": "captured"}
    r = await admin.post(f"/admin/payments/{pid}/refund", json={"amount": 701, "reason": "other"})
    assert r.json() == {"type": "not_allowed", "message": f"Only 700 can be refunded from Payment {pid}"}


async def test_refund_bad_input(admin: httpx.AsyncClient, db: Database) -> None:
    pid = await make_payment(db)
    cases = [
        (
            {"amount": "x", "reason": "bad", "foo": 1},
            "property foo should not exist, amount must be an integer number, "
            "reason must be one of the following values: discount, return, swap, claim, other",
        ),
        (
            {},
            "amount should not be empty, amount must be an integer number, reason should not be empty, "
            "reason must be one of the following values: discount, return, swap, claim, other",
        ),
        (
            {"amount": 1.5, "reason": "other", "note": 5},
            "amount must be an integer number, note must be a string",
        ),
    ]
    for body, message in cases:
        r = await admin.post(f"/admin/payments/{pid}/refund", json=body)
        assert r.status_code == 400 and r.json() == {"type": "invalid_data", "message": message}
    r = await admin.post(f"/admin/payments/{pid}/refund")
    assert r.status_code == 400 and r.json()["message"].startswith("amount should not be empty")


async def _parallel_refunds(db: Database, pid: str, n: int, amount: int) -> list[object]:
    async def one() -> object:
        async with db.write_session() as tx:
            try:
                refund = await service.refund_payment(tx, pid, amount, "other")
                await tx.commit()
                return refund.amount
            except MedusaError as err:
                await tx.rollback()
                return err

    return list(await asyncio.gather(*(one() for _ in range(n))))


@pytest.mark.parametrize("amount", [300, 100])
async def test_ten_parallel_refunds_never_exceed(app: object, db: Database, amount: int) -> None:
    pid = await make_payment(db, amount=1000)
    results = await _parallel_refunds(db, pid, 10, amount)
    granted = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, MedusaError)]
    assert len(granted) == 1000 // amount and len(refused) == 10 - len(granted)
    assert all(e.type == "not_allowed" and "can be refunded from Payment" in e.message for e in refused)
    async with db.read_session() as tx:
        payment = (await tx.execute(select(Payment).where(Payment.id == pid))).scalar_one()
        total = (
            await tx.execute(select(func.sum(Refund.amount)).where(Refund.payment_id == pid))
        ).scalar_one()
    assert payment.amount_refunded == total == amount * len(granted) <= payment.amount


async def test_refund_payments_across_payments(app: object, db: Database) -> None:
    a = await make_payment(db, amount=500)
    b = await make_payment(db, amount=500)
    c = await make_payment(db, amount=500, captured=False)
    async with db.write_session() as tx:
        with pytest.raises(MedusaError) as err:
            await service.refund_payments(tx, [a, b, c], 1001, "other")
        assert err.value.message == "Refund amount is greater that the refundable amount"
        refund = await service.refund_payments(tx, [a, b, c], 700, "return", "n")
        await tx.commit()
    assert refund.amount == 700 and refund.payment_id is None
    async with db.read_session() as tx:
        got = {p.id: p.amount_refunded for p in (await tx.execute(select(Payment))).scalars()}
    assert sorted([got[a], got[b]]) == [200, 500] and got[c] == 0


async def test_cancel_payment(app: object, db: Database) -> None:
    pid = await make_payment(db, captured=False)
    async with db.write_session() as tx:
        payment = await service.cancel_payment(tx, pid)
        await tx.commit()
    assert payment.canceled_at is not None and payment.data == {"status": "canceled"}
