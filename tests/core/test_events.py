"""The outbox: an event commits with its change, or not at all, and is delivered once."""

from typing import Any

import httpx
from sqlalchemy import func, select

from mercato.core.clock import utcnow
from mercato.core.events import EventBus, emit, insert_at_commit
from mercato.db.session import Database
from mercato.modules.system.models import IdempotencyKey, StagedJob


async def _staged(db: Database) -> int:
    async with db.read_session() as tx:
        return (await tx.execute(select(func.count()).select_from(StagedJob))).scalar_one()


async def _us_region(admin: httpx.AsyncClient) -> str:
    """A region new carts can be made in (the app's own routes, not the tests' fixtures)."""
    region = await admin.post(
        "/admin/regions",
        json={
            "name": "US",
            "currency_code": "usd",
            "tax_rate": 0,
            "payment_providers": ["manual"],
            "fulfillment_providers": ["manual"],
            "countries": ["us"],
        },
    )
    assert region.status_code == 200, region.text
    return str(region.json()["region"]["id"])


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


async def test_rows_at_commit_are_written_with_the_events(db: Database) -> None:
    """insert_at_commit: written with the events (one statement on PostgreSQL), in order, with
    more events than one batch takes; nothing when the transaction rolls back."""
    table = IdempotencyKey.__table__

    def row(key: str) -> dict[str, Any]:
        return {
            "id": f"ikey_{key}",
            "idempotency_key": key,
            "created_at": utcnow(),
            "request_method": "POST",
            "request_params": {"id": key},
            "request_path": "/x",
            "recovery_point": "finished",
            "response_code": 200,
            "response_body": {"key": key},
        }

    async with db.write_session() as tx:
        insert_at_commit(tx, table, row("dropped"))
        emit(tx, "region.created", {"id": "reg_dropped"})
        await tx.rollback()
    async with db.write_session() as tx:
        for i in range(11):
            emit(tx, "region.created", {"id": f"reg_{i}"})
        insert_at_commit(tx, table, row("first"))
        insert_at_commit(tx, table, row("second"))
        await tx.commit()
    assert await _staged(db) == 11
    async with db.read_session() as tx:
        keys = (await tx.execute(select(table.c.idempotency_key, table.c.response_body))).all()
    assert sorted(keys) == [("first", {"key": "first"}), ("second", {"key": "second"})]


async def test_only_events_a_subscriber_acts_on_are_staged(db: Database) -> None:
    """A session watched by a bus stages only what its subscribers want: handlers of the name,
    and "*" handlers whose `wants` accepts it (one without `wants` wants everything)."""

    async def handler(name: str, data: dict[str, Any]) -> None:
        return None

    bus = EventBus()
    bus.subscribe("region.created", handler)
    bus.subscribe("*", handler, wants=lambda name: name == "order.placed")
    async with db.write_session() as tx:
        bus.watch(tx)
        for name in ("cart.updated", "region.created", "order.placed", "customer.created"):
            emit(tx, name, {"id": name})
        await tx.commit()
    async with db.read_session() as tx:
        names = (await tx.execute(select(StagedJob.event_name).order_by(StagedJob.id))).scalars().all()
    assert names == ["region.created", "order.placed"]

    everything = EventBus()
    everything.subscribe("*", handler)
    assert everything.observes("cart.updated") and not bus.observes("cart.updated")


async def test_requests_stage_the_events_notifications_want(
    settings: Any, db: Database, admin: httpx.AsyncClient
) -> None:
    """Through the app's own subscribers (not the tests' listener to everything): a new cart's
    `cart.created` is staged only once a notification provider subscribes to it (the
    subscription is read at each event)."""
    from mercato.app import create_app
    from mercato.modules.notifications.subscribers import notification_service

    body = {"region_id": await _us_region(admin)}
    app = create_app(settings, database=db)

    async def created() -> list[str]:
        async with db.read_session() as tx:
            stmt = select(StagedJob.data).where(StagedJob.event_name == "cart.created")
            return [row["id"] for row in (await tx.execute(stmt)).scalars()]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        first = await client.post("/store/carts", json=body)
        assert first.status_code == 200
        assert await created() == []
        notification_service(app).subscribe("cart.created", "local")
        second = await client.post("/store/carts", json=body)
        assert second.status_code == 200
    assert await created() == [second.json()["cart"]["id"]]


async def test_only_a_request_that_staged_events_wakes_the_bus(
    settings: Any, db: Database, admin: httpx.AsyncClient
) -> None:
    """A delivery pass is a transaction of its own: a write request that staged nothing must not
    start one; a request whose commit wrote an event wakes the bus at once."""
    from mercato.app import create_app
    from mercato.modules.notifications.subscribers import notification_service

    body = {"region_id": await _us_region(admin)}
    app = create_app(settings, database=db)
    bus = app.state.events
    kicks: list[int] = []
    wake = bus.kick
    bus.kick = lambda: (kicks.append(1), wake())[1]  # counts the wake-ups, still wakes

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.post("/store/carts", json=body)).status_code == 200
        assert kicks == []  # cart.created: no subscriber, nothing staged
        notification_service(app).subscribe("cart.created", "local")
        assert (await client.post("/store/carts", json=body)).status_code == 200
        assert kicks == [1]
        assert (await client.get("/store/regions")).status_code == 200
        assert kicks == [1]  # a read never wakes it
