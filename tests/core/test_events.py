"""The outbox: an event commits with its change, or not at all, and is delivered once."""

from typing import Any

from sqlalchemy import func, select

from mercato.core.events import EventBus, emit
from mercato.db.session import Database
from mercato.modules.system.models import StagedJob


async def _staged(db: Database) -> int:
    async with db.read_session() as tx:
        return (await tx.execute(select(func.count()).select_from(StagedJob))).scalar_one()


async def test_event_is_delivered_after_commit_and_removed(db: Database) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []
    bus = EventBus()

    async def handler(name: str, data: dict[str, Any]) -> None:
        seen.append((name, data))

    bus.subscribe("region.created", handler)
    async with db.write_session() as tx:
        emit(tx, "region.created", {"id": "reg_1"})
        await tx.commit()
    assert await bus.deliver_pending(db) == 1
    assert seen == [("region.created", {"id": "reg_1"})]
    assert await _staged(db) == 0
    assert await bus.deliver_pending(db) == 0


async def test_rolled_back_change_emits_nothing(db: Database) -> None:
    async with db.write_session() as tx:
        emit(tx, "region.created", {"id": "reg_2"})
        await tx.rollback()
    assert await _staged(db) == 0


async def test_failing_handler_keeps_the_event_for_a_retry(db: Database) -> None:
    bus = EventBus()
    calls = 0

    async def flaky(name: str, data: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("provider down")

    bus.subscribe("*", flaky)
    async with db.write_session() as tx:
        emit(tx, "order.placed", {"id": "order_1"})
        await tx.commit()
    assert await bus.deliver_pending(db) == 0
    assert await _staged(db) == 1
    assert await bus.deliver_pending(db) == 1
    assert await _staged(db) == 0


async def test_many_events_of_one_transaction_are_all_written(db: Database) -> None:
    """Staged events are written in batches of up to eight rows per INSERT at commit."""
    async with db.write_session() as tx:
        for i in range(11):
            emit(tx, "cart.updated", {"id": f"cart_{i}"})
        await tx.commit()
    async with db.read_session() as tx:
        rows = (await tx.execute(select(StagedJob.data).order_by(StagedJob.id))).scalars().all()
    assert [r["id"] for r in rows] == [f"cart_{i}" for i in range(11)]
