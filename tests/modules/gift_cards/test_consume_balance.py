"""consume_balance: one guarded UPDATE, so concurrent checkouts never overspend a card."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from mercato.core.errors import MedusaError
from mercato.db.session import Database
from mercato.modules.gift_cards.models import GiftCard
from mercato.modules.gift_cards.service import consume_balance

MakeRegion = Callable[..., Awaitable[str]]


async def make_card(db: Database, region_id: str, balance: int, code: str) -> str:
    async with db.write_session() as tx:
        card = GiftCard(code=code, value=balance, balance=balance, region_id=region_id)
        tx.add(card)
        await tx.flush()
        card_id = card.id
        await tx.commit()
    return card_id


async def read_card(db: Database, card_id: str) -> GiftCard:
    async with db.read_session() as tx:
        return (await tx.execute(select(GiftCard).where(GiftCard.id == card_id))).scalar_one()


async def test_consume_decrements_and_disables_at_zero(db: Database, make_region: MakeRegion) -> None:
    card_id = await make_card(db, await make_region(), 1000, "CONS-0000-0000-0001")
    async with db.write_session() as tx:
        assert await consume_balance(tx, card_id, 400) == 400
        await tx.commit()
    card = await read_card(db, card_id)
    assert card.balance == 600 and card.is_disabled is False
    async with db.write_session() as tx:
        assert await consume_balance(tx, card_id, 600) == 600
        await tx.commit()
    card = await read_card(db, card_id)
    assert card.balance == 0 and card.is_disabled is True


async def test_consume_refuses_more_than_balance(db: Database, make_region: MakeRegion) -> None:
    card_id = await make_card(db, await make_region(), 100, "CONS-0000-0000-0002")
    async with db.write_session() as tx:
        with pytest.raises(MedusaError) as err:
            await consume_balance(tx, card_id, 101)
    assert err.value.type == "not_allowed"
    assert err.value.status == 400
    assert (await read_card(db, card_id)).balance == 100


async def test_consume_unknown_card(db: Database) -> None:
    async with db.write_session() as tx:
        with pytest.raises(MedusaError) as err:
            await consume_balance(tx, "gift_nope", 1)
    assert err.value.type == "not_found"
    assert err.value.message == "Gift card with id: gift_nope was not found"


async def test_consume_updates_a_loaded_card(db: Database, make_region: MakeRegion) -> None:
    card_id = await make_card(db, await make_region(), 100, "CONS-0000-0000-0003")
    async with db.write_session() as tx:
        card = (await tx.execute(select(GiftCard).where(GiftCard.id == card_id))).scalar_one()
        await consume_balance(tx, card_id, 30)
        await tx.refresh(card)
        assert card.balance == 70
        await tx.commit()


async def test_parallel_checkouts_never_overspend(db: Database, make_region: MakeRegion) -> None:
    """Ten sessions at once each try to take 300 of a 1000 card: exactly three succeed."""
    card_id = await make_card(db, await make_region(), 1000, "CONS-0000-0000-0004")
    start = asyncio.Event()

    async def checkout() -> bool:
        await start.wait()
        async with db.write_session() as tx:
            try:
                await consume_balance(tx, card_id, 300)
            except MedusaError as exc:
                assert exc.type == "not_allowed"
                await tx.rollback()
                return False
            # hold the transaction open so that the others pile up behind it
            await asyncio.sleep(0.02)
            await tx.commit()
            return True

    tasks = [asyncio.create_task(checkout()) for _ in range(10)]
    await asyncio.sleep(0)
    start.set()
    results = await asyncio.gather(*tasks)
    assert results.count(True) == 3
    card = await read_card(db, card_id)
    assert card.balance == 100
    assert card.is_disabled is False
