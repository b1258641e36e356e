"""Statements run straight on the driver (mercato.db.raw) give what Core gives: the same rows,
values processed by their column types, inside the session's transaction, and counted by the
statement listeners."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, event, insert, select, update

from mercato.core.clock import utcnow
from mercato.db import raw
from mercato.db.session import Database
from mercato.modules.system.models import StagedJob

_TABLE = StagedJob.__table__
_ADD = insert(_TABLE).values(
    id=bindparam("id"), event_name=bindparam("name"), data=bindparam("data"), options=bindparam("options")
)
_BY_IDS = select(_TABLE.c.id, _TABLE.c.event_name, _TABLE.c.data).where(
    _TABLE.c.id.in_(bindparam("ids", expanding=True))
)
_BY_NAME = (
    select(_TABLE.c.id, _TABLE.c.data).where(_TABLE.c.event_name == bindparam("name")).order_by(_TABLE.c.id)
)
_RENAME = update(_TABLE).where(_TABLE.c.event_name == bindparam("old")).values(event_name=bindparam("new"))


async def test_rows_match_core_and_writes_join_the_transaction(db: Database) -> None:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.writer.sync_engine, "before_cursor_execute", count)
    try:
        async with db.write_session() as tx:
            conn = await tx.connection()
            for i in range(3):
                await raw.execute(
                    conn, _ADD, {"id": f"sj_raw{i}", "name": "raw.test", "data": {"n": i}, "options": {}}
                )
            assert await raw.execute(conn, _RENAME, {"old": "raw.test", "new": "raw.renamed"}) == 3
            # the same rows as Core reads them (JSON decoded), seen inside the transaction
            got = await raw.fetch_all(conn, _BY_NAME, {"name": "raw.renamed"})
            core = (await conn.execute(_BY_NAME, {"name": "raw.renamed"})).all()
            assert [tuple(r) for r in got] == [tuple(r) for r in core]
            assert [r[1] for r in got] == [{"n": 0}, {"n": 1}, {"n": 2}]
            assert len(await raw.fetch_all(conn, _BY_IDS, {"ids": ["sj_raw0", "sj_raw2", "nope"]})) == 2
            assert await raw.fetch_all(conn, _BY_IDS, {"ids": []}) == []
            await tx.rollback()
    finally:
        event.remove(db.writer.sync_engine, "before_cursor_execute", count)
    assert len([s for s in seen if "staged_job" in s]) >= 7  # raw statements are counted
    async with db.read_session() as tx:
        conn = await tx.connection()
        assert await raw.fetch_all(conn, _BY_NAME, {"name": "raw.renamed"}) == []  # rolled back


async def test_datetimes_come_back_as_datetimes(db: Database) -> None:
    from mercato.modules.users.models import User

    table = User.__table__
    stmt = select(table.c.created_at).where(table.c.email == bindparam("email"))
    now = utcnow()
    async with db.write_session() as tx:
        tx.add(User(email="raw@example.com", role="admin", created_at=now, updated_at=now))
        await tx.flush()
        conn = await tx.connection()
        (row,) = await raw.fetch_all(conn, stmt, {"email": "raw@example.com"})
        (core,) = (await conn.execute(stmt, {"email": "raw@example.com"})).all()
        assert row[0] == core[0]
        assert row[0].replace(tzinfo=None) == now.replace(tzinfo=None)
        await tx.rollback()


async def test_a_savepoint_rollback_undoes_raw_writes(db: Database) -> None:
    """SQLAlchemy emits SAVEPOINT lazily: a raw write that is the savepoint's first statement
    must still be inside it."""
    async with db.write_session() as tx:
        await raw.insert_row(
            tx, _TABLE, {"id": "sj_kept", "event_name": "sp.kept", "data": {}, "options": {}}
        )
        savepoint = await tx.begin_nested()
        await raw.insert_row(
            tx, _TABLE, {"id": "sj_undone", "event_name": "sp.undone", "data": {}, "options": {}}
        )
        await savepoint.rollback()
        await raw.insert_row(
            tx, _TABLE, {"id": "sj_after", "event_name": "sp.after", "data": {}, "options": {}}
        )
        await tx.commit()
    async with db.read_session() as tx:
        found = await raw.rows(tx, _BY_IDS, {"ids": ["sj_kept", "sj_undone", "sj_after"]})
    assert sorted(r[0] for r in found) == ["sj_after", "sj_kept"]


async def test_entities_and_their_writes(db: Database) -> None:
    """insert_entity returns the row as an instance; update_entity writes and holds new values;
    Entities reads rows back as instances outside the session."""
    jobs = raw.Entities(StagedJob, StagedJob.id == bindparam("id"))
    async with db.write_session() as tx:
        job = await raw.insert_entity(
            tx, StagedJob, {"id": "sj_ent", "event_name": "ent.made", "data": {"a": 1}, "options": {"o": 1}}
        )
        assert (job.id, job.event_name, job.data) == ("sj_ent", "ent.made", {"a": 1})
        await raw.update_entity(tx, job, {"event_name": "ent.renamed"})
        assert job.event_name == "ent.renamed"
        assert job not in tx  # never part of the ORM session: nothing pending
        unnamed = await raw.insert_entity(tx, StagedJob, {"event_name": "ent.x", "data": {}, "options": {}})
        assert unnamed.id.startswith("job_")  # the id is made as the ORM's insert hook makes it
        await tx.commit()
    async with db.read_session() as tx:
        again = await jobs.first(tx, {"id": "sj_ent"})
        assert again is not None and (again.event_name, again.options) == ("ent.renamed", {"o": 1})
        assert await jobs.first(tx, {"id": "nope"}) is None
    async with db.write_session() as tx:
        try:
            await raw.insert_entity(tx, StagedJob, {"id": "sj_x", "event_name": "x", "data": {}})
        except ValueError as err:
            assert "options" in str(err)  # the database would default it: it must be given
        else:
            raise AssertionError("a defaulted column left out must be refused")


async def test_driver_errors_come_as_sqlalchemys(db: Database) -> None:
    """A unique violation is sqlalchemy.exc.IntegrityError, as Core raises it (services catch it)."""
    from sqlalchemy.exc import IntegrityError

    row = {"id": "sj_twice", "event_name": "x", "data": {}, "options": {}}
    async with db.write_session() as tx:
        await raw.insert_row(tx, _TABLE, row)
        try:
            await raw.insert_row(tx, _TABLE, row)
        except IntegrityError:
            pass
        else:
            raise AssertionError("the second row must be refused")
        await tx.rollback()


async def test_write_changes_updates_only_what_changed(db: Database) -> None:
    jobs = raw.Entities(StagedJob, StagedJob.id == bindparam("id"))
    async with db.write_session() as tx:
        await raw.insert_row(tx, _TABLE, {"id": "sj_wc", "event_name": "wc", "data": {"a": 1}, "options": {}})
        job = await jobs.first(tx, {"id": "sj_wc"})
        before = raw.committed(job)
        seen: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            seen.append(statement)

        event.listen(db.writer.sync_engine, "before_cursor_execute", count)
        try:
            await raw.write_changes(tx, job, before)  # nothing changed: no statement
            assert seen == []
            job.data = {"a": 2}
            await raw.write_changes(tx, job, before)
            assert len(seen) == 1 and "UPDATE staged_job SET data" in " ".join(seen[0].split())
        finally:
            event.remove(db.writer.sync_engine, "before_cursor_execute", count)
        await tx.commit()
    async with db.read_session() as tx:
        again = await jobs.first(tx, {"id": "sj_wc"})
        assert again is not None and again.data == {"a": 2} and again.event_name == "wc"


def test_instances_can_be_the_first_thing_a_process_reads(settings: Any) -> None:
    """No ORM query configures the mappers before a raw instance is made (a fresh server's
    first request can be an admin one, whose user is read through Entities)."""
    import subprocess
    import sys

    script = (
        "import asyncio\n"
        "from sqlalchemy import bindparam\n"
        "from mercato.db.registry import load_all_models\n"
        "load_all_models()\n"
        "from mercato.db import raw\n"
        "from mercato.db.session import create_database\n"
        "from mercato.modules.users.models import User\n"
        "async def main():\n"
        "    db = create_database(" + repr(settings.database_url) + ")\n"
        "    async with db.write_session() as tx:\n"
        "        made = await raw.insert_entity(tx, User, {'email': 'first@example.com', 'role': 'member'})\n"
        "        assert made.id.startswith('usr_') and made.created_at is not None\n"
        "        again = await raw.Entities(User, User.id == bindparam('id')).first(tx, {'id': made.id})\n"
        "        assert again.email == 'first@example.com'\n"
        "        await tx.rollback()\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
