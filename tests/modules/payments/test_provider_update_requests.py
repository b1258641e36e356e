"""A provider's update_requests.customer_metadata is merged into the customer's row (the customer
is read outside the ORM session, so the write is explicit)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.customers.models import Customer
from mercato.modules.payments import service as payments_service
from mercato.modules.payments import sessions as ps
from mercato.providers.payment import (
    ManualPaymentProvider,
    PaymentProcessorContext,
    PaymentProcessorSessionResponse,
)


class TaggingProvider(ManualPaymentProvider):
    identifier = "tagging"

    async def initiate_payment(self, context: PaymentProcessorContext) -> PaymentProcessorSessionResponse:
        return PaymentProcessorSessionResponse(
            session_data={"status": "pending"},
            update_requests={"customer_metadata": {"psp_customer": "cus_at_psp"}},
        )


async def test_customer_metadata_update_request_is_written(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = TaggingProvider()

    def provider_for(provider_id: str) -> Any:
        return provider if provider_id == "tagging" else payments_service.get_payment_provider(provider_id)

    monkeypatch.setattr(ps, "provider_for", provider_for)
    async with db.write_session() as tx:
        tx.add(Customer(id="cus_meta", email="meta@example.com", has_account=False, metadata_={"a": 1}))
        await tx.commit()
    async with db.write_session() as tx:
        customer = await ps.load_customer(tx, "cus_meta")
        assert customer is not None and customer.email == "meta@example.com"
        context = PaymentProcessorContext(amount=100, currency_code="eur", resource_id="cart_x")
        session = await ps.create_session(tx, "tagging", context, customer=customer)
        assert session.data == {"status": "pending"}
        assert customer.metadata_ == {"a": 1, "psp_customer": "cus_at_psp"}
        await tx.commit()
    async with db.read_session() as tx:
        stored = (await tx.execute(select(Customer.metadata_).where(Customer.id == "cus_meta"))).scalar_one()
    assert stored == {"a": 1, "psp_customer": "cus_at_psp"}
