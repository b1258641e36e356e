"""PostgreSQL's connections begin their next transaction ahead, and the last write of a request
goes out with its COMMIT (db.pg_driver, db.raw.write_and_commit)."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError

from mercato.core.clock import utcnow
from mercato.core.events import emit, insert_at_commit
from mercato.db import pg_driver, raw
from mercato.db.session import Database
from mercato.modules.system.models import IdempotencyKey, StagedJob


@pytest.fixture
def pg(db: Database) -> Database:
    if db.is_sqlite:
        pytest.skip("PostgreSQL's driver")
    return db


def _sent(db: Database) -> list[str]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.writer.sync_engine, "before_cursor_execute", count)
    return seen


async def _driver_state(tx: Any) -> tuple[Any, Any]:
    conn = await tx.connection()
    adapted = (await conn.get_raw_connection()).dbapi_connection
    return adapted, adapted._connection


async def test_a_commit_begins_the_next_transaction_and_the_next_request_adopts_it(pg: Database) -> None:
    async with pg.write_session() as tx:
        emit(tx, "test.one", {"it's": "quoted 'twice'", "n": [1, None]})
        adapted, driver = await _driver_state(tx)
        assert isinstance(adapted, pg_driver.Connection)
        await tx.commit()
        # the staged row went out with the COMMIT, which began the next transaction
        assert adapted._transaction is None and adapted._ahead is not None
        assert driver._protocol.is_in_transaction()
    async with pg.write_session() as tx:
        again, _ = await _driver_state(tx)
        assert again is adapted  # the pool hands out the connection returned last
        stamps = (await tx.execute(text("SELECT now(), clock_timestamp()"))).one()
        # now() is this transaction's: begun ahead moments ago, or again when it waited too long
        assert (stamps[1] - stamps[0]).total_seconds() < pg_driver.FRESH + 0.5
        row = (await tx.execute(select(StagedJob).where(StagedJob.event_name == "test.one"))).scalar_one()
        assert row.data == {"it's": "quoted 'twice'", "n": [1, None]}
        await tx.rollback()
        assert adapted._ahead is not None  # a rollback also begins the next one


async def test_the_last_write_and_the_commit_are_one_query(pg: Database) -> None:
    sent = _sent(pg)
    async with pg.write_session() as tx:
        emit(tx, "test.two", {"id": "x"})
        await tx.execute(text("SELECT 1"))
        sent.clear()
        await tx.commit()
    assert len(sent) == 1 and sent[0].startswith("INSERT INTO staged_job") and sent[0].endswith(";COMMIT")
    async with pg.read_session() as tx:
        found = (
            await tx.execute(select(func.count()).where(StagedJob.event_name == "test.two"))
        ).scalar_one()
    assert found == 1


async def test_a_failing_last_write_rolls_the_whole_transaction_back(pg: Database) -> None:
    row = {
        "id": "ikey_test_dup",
        "idempotency_key": "dup-key",
        "created_at": utcnow(),
        "request_method": "POST",
        "request_path": "/x",
        "recovery_point": "started",
    }
    async with pg.write_session() as tx:
        await tx.execute(IdempotencyKey.__table__.insert().values(row))
        await tx.commit()
    async with pg.write_session() as tx:
        emit(tx, "test.three", {"id": "y"})
        insert_at_commit(tx, IdempotencyKey.__table__, {**row, "id": "ikey_test_dup2"})
        with pytest.raises(IntegrityError):
            await tx.commit()
        await tx.rollback()
    async with pg.write_session() as tx:
        # the event staged with the failed write is gone, and the connection works on
        found = (
            await tx.execute(select(func.count()).where(StagedJob.event_name == "test.three"))
        ).scalar_one()
        keys = (
            await tx.execute(select(func.count()).where(IdempotencyKey.idempotency_key == "dup-key"))
        ).scalar_one()
        await tx.commit()
    assert (found, keys) == (0, 1)


async def test_a_transaction_begun_ahead_too_long_ago_is_begun_again(pg: Database) -> None:
    async with pg.write_session() as tx:
        adapted, _ = await _driver_state(tx)
        await tx.execute(text("SELECT 1"))
        await tx.commit()
    assert adapted._ahead is not None
    await asyncio.sleep(pg_driver.FRESH + 0.3)  # the next transaction waits in the pool
    async with pg.write_session() as tx:
        again, _ = await _driver_state(tx)
        stamps = (await tx.execute(text("SELECT now(), clock_timestamp()"))).one()
        await tx.rollback()
    assert again is adapted
    # now() is the time of a BEGIN sent with this request, not of the one sent ahead
    assert (stamps[1] - stamps[0]).total_seconds() < 0.25


async def test_deferred_writes_go_out_before_the_next_statement_in_order(db: Database) -> None:
    """raw.insert_later/update_later: on PostgreSQL queued until the transaction's next
    statement (one round trip for all of them), elsewhere written at once; either way the next
    read sees them, in the order they were asked."""
    table = StagedJob.__table__
    async with db.write_session() as tx:
        await raw.insert_later(tx, table, {"id": "job_later_1", "event_name": "a", "data": {}, "options": {}})
        await raw.update_later(tx, table, {"id": "job_later_1"}, {"event_name": "b", "data": {"k": "it's"}})
        if not db.is_sqlite:
            adapted, _ = await _driver_state(tx)
            assert len(adapted._later) == 2
        row = (await tx.execute(select(StagedJob).where(StagedJob.id == "job_later_1"))).scalar_one()
        assert (row.event_name, row.data) == ("b", {"k": "it's"})
        await raw.update_later(tx, table, {"id": "job_later_1"}, {"event_name": "c"})
        await tx.commit()  # the last one goes out with the COMMIT
    async with db.write_session() as tx:
        names = (
            await tx.execute(select(StagedJob.event_name).where(StagedJob.id == "job_later_1"))
        ).scalars()
        assert list(names) == ["c"]
        await raw.update_later(tx, table, {"id": "job_later_1"}, {"event_name": "rolled back"})
        await tx.rollback()
    async with db.read_session() as tx:
        names = (
            await tx.execute(select(StagedJob.event_name).where(StagedJob.id == "job_later_1"))
        ).scalars()
        assert list(names) == ["c"]


async def test_a_failing_deferred_write_fails_the_statement_it_went_out_with(pg: Database) -> None:
    from mercato.modules.customers.models import Address

    async with pg.write_session() as tx:
        await raw.insert_later(
            tx,
            Address.__table__,
            {"id": "addr_later_bad", "country_code": "zz", "created_at": utcnow(), "updated_at": utcnow()},
        )
        with pytest.raises(IntegrityError):
            await tx.execute(text("SELECT 1"))
        await tx.rollback()
    async with pg.read_session() as tx:
        found = (await tx.execute(select(func.count()).where(Address.id == "addr_later_bad"))).scalar_one()
    assert found == 0


async def test_savepoints_release_and_roll_back_around_deferred_statements(db: Database) -> None:
    """A savepoint and its RELEASE wait for the next statement on PostgreSQL (nothing waits on
    them); what a released savepoint wrote stays, what a rolled-back one wrote goes, and a
    savepoint rolled back before any statement ran in it rolls back cleanly."""
    table = StagedJob.__table__
    async with db.write_session() as tx:
        await tx.execute(text("SELECT 1"))  # the transaction is open: its savepoints can wait
        first = await tx.begin_nested()
        await raw.connection(tx)
        if not db.is_sqlite:
            adapted, _ = await _driver_state(tx)
            assert [s.split()[0] for s in adapted._later] == ["SAVEPOINT"]
        await raw.insert_later(tx, table, {"id": "job_sp_1", "event_name": "kept", "data": {}, "options": {}})
        await tx.execute(text("SELECT 1"))
        await first.commit()
        if not db.is_sqlite:
            adapted, _ = await _driver_state(tx)
            assert [s.split()[0] for s in adapted._later] == ["RELEASE"]
        second = await tx.begin_nested()
        await tx.execute(table.insert().values(id="job_sp_2", event_name="dropped", data={}, options={}))
        await second.rollback()
        empty = await tx.begin_nested()
        await raw.connection(tx)
        await empty.rollback()
        await tx.commit()
    async with db.read_session() as tx:
        names = (
            await tx.execute(select(StagedJob.event_name).where(StagedJob.id.like("job_sp_%")))
        ).scalars()
        assert list(names) == ["kept"]


async def test_begin_ahead_can_be_turned_off(pg: Database) -> None:
    """settings.pg_begin_ahead off (a pooler in transaction mode): a commit leaves the
    connection outside any transaction, and the next one begins when first used."""
    from mercato.db.session import create_database

    plain = create_database(pg.url, begin_ahead=False)
    try:
        async with plain.write_session() as tx:
            emit(tx, "test.plain", {"id": "z"})
            adapted, driver = await _driver_state(tx)
            await tx.commit()
            assert adapted._ahead is None and not driver._protocol.is_in_transaction()
        async with plain.read_session() as tx:
            found = (
                await tx.execute(select(func.count()).where(StagedJob.event_name == "test.plain"))
            ).scalar_one()
        assert found == 1
    finally:
        await plain.dispose()
    async with pg.read_session() as tx:
        # with it on, a server-wide timeout for idle transactions does not apply to ours
        assert (await tx.execute(text("SHOW idle_in_transaction_session_timeout"))).scalar_one() == "0"
