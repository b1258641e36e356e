"""Rows for the payments tests, written directly (other domains' endpoints may not exist yet)."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import insert

from mercato.db.session import Database
from mercato.modules.orders.models import Payment, PaymentCollection
from mercato.modules.regions.models import Region, t_region_payment_providers


async def make_region(db: Database, providers: tuple[str, ...] = ("manual",)) -> str:
    async with db.write_session() as tx:
        region = Region(name="pay-test-eu", currency_code="eur", tax_rate=0)
        tx.add(region)
        await tx.flush()
        for pid in providers:
            await tx.execute(insert(t_region_payment_providers).values(region_id=region.id, provider_id=pid))
        await tx.commit()
        return region.id


async def make_payment(db: Database, *, amount: int = 1000, captured: bool = True, **extra: Any) -> str:
    async with db.write_session() as tx:
        payment = Payment(
            amount=amount,
            currency_code="eur",
            provider_id=extra.pop("provider_id", "manual"),
            data=extra.pop("data", {"status": "authorized"}),
            captured_at=datetime.datetime.now(datetime.UTC) if captured else None,
            **extra,
        )
        tx.add(payment)
        await tx.commit()
        return payment.id


async def make_collection(
    db: Database, region_id: str, *, amount: int = 1500, status: str = "not_paid"
) -> str:
    async with db.write_session() as tx:
        col = PaymentCollection(
            type="order_edit",
            status=status,
            amount=amount,
            region_id=region_id,
            currency_code="eur",
            created_by="usr_paytest",
            description="d",
        )
        tx.add(col)
        await tx.commit()
        return col.id
