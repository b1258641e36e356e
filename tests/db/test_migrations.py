"""The migrations: a fresh SQLite file, a fresh PostgreSQL database (identical to Medusa 1.20's
own schema but for our additive extras), and an existing Medusa database (stamped, not touched).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from mercato.db.migrate import alembic_config, migrate, normalize_url, run_migrations
from mercato.db.registry import load_all_models

from .conftest import NewDatabase, asyncpg_dsn, load_medusa_schema, medusa_schema_sql

SCRIPTS = ScriptDirectory.from_config(alembic_config())
HEAD = SCRIPTS.get_current_head()
ALL_REVISIONS = [script.revision for script in reversed(list(SCRIPTS.walk_revisions()))]

# What Mercato adds to Medusa 1.20's schema; everything else must be identical.
EXTRA_TABLES = {"alembic_version", "mercato_session"}
EXTRA_COLUMNS = {
    ("alembic_version", "version_num"): ("character varying", "varchar", "NO"),
    ("mercato_session", "id"): ("character varying", "varchar", "NO"),
    ("mercato_session", "data"): ("jsonb", "jsonb", "NO"),
    ("mercato_session", "expires_at"): ("timestamp with time zone", "timestamptz", "NO"),
    ("mercato_session", "created_at"): ("timestamp with time zone", "timestamptz", "NO"),
}
EXTRA_INDEXES = {
    "alembic_version_pkc": "CREATE UNIQUE INDEX alembic_version_pkc ON public.alembic_version"
    " USING btree (version_num)",
    "mercato_session_pkey": "CREATE UNIQUE INDEX mercato_session_pkey ON public.mercato_session"
    " USING btree (id)",
    "IDX_mercato_session_expires_at": 'CREATE INDEX "IDX_mercato_session_expires_at"'
    " ON public.mercato_session USING btree (expires_at)",
    "IDX_product_option_product_id": 'CREATE INDEX "IDX_product_option_product_id"'
    " ON public.product_option USING btree (product_id) WHERE (deleted_at IS NULL)",
    "IDX_product_created_at": 'CREATE INDEX "IDX_product_created_at"'
    " ON public.product USING btree (created_at) WHERE (deleted_at IS NULL)",
    "IDX_order_created_at_id": 'CREATE INDEX "IDX_order_created_at_id"'
    ' ON public."order" USING btree (created_at DESC, id)',
}
EXTRA_CONSTRAINTS = {("alembic_version", "alembic_version_pkc"), ("mercato_session", "mercato_session_pkey")}


def medusa_columns() -> dict[str, list[str]]:
    """Column names per table, in order, as Medusa's dump declares them."""
    tables: dict[str, list[str]] = {}
    pattern = re.compile(r'^CREATE TABLE public\.("?)(\w+)\1 \(\n(.*?)\n\);', re.MULTILINE | re.DOTALL)
    for match in pattern.finditer(medusa_schema_sql()):
        lines = [line.split()[0] for line in match.group(3).splitlines()]
        tables[match.group(2)] = [name.strip('"') for name in lines if name != "CONSTRAINT"]
    return tables


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def sqlite_schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


# --- SQLite -------------------------------------------------------------------------------


def test_revisions_form_one_line_from_the_baseline() -> None:
    assert ALL_REVISIONS[:2] == ["0001", "0002"] and ALL_REVISIONS[-1] == HEAD
    assert len(SCRIPTS.get_heads()) == 1


async def test_sqlite_fresh_file_gets_every_table_and_a_second_run_is_a_noop(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert await migrate(sqlite_url(db)) == ALL_REVISIONS

    model_tables = set(load_all_models().metadata.tables)
    assert len(model_tables) == 101
    names = {name for kind, name, _ in sqlite_schema(db) if kind == "table"}
    assert names == model_tables | {"alembic_version"}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]

    before = sqlite_schema(db)
    assert await migrate(sqlite_url(db)) == []
    assert sqlite_schema(db) == before


async def test_sqlite_baseline_has_exactly_medusas_columns(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    await migrate(sqlite_url(db))
    expected = medusa_columns()
    assert len(expected) == 100
    with sqlite3.connect(db) as conn:
        actual = {
            table: [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')] for table in expected
        }
    differing = {
        t: (sorted(set(actual[t]) ^ set(cols))) for t, cols in expected.items() if set(actual[t]) != set(cols)
    }
    assert differing == {}


async def test_sqlite_concurrent_migrations_apply_once(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "store.db")
    results = await asyncio.gather(migrate(url), migrate(url))
    assert sorted(results) == [[], ALL_REVISIONS]


def test_run_migrations_is_a_sync_wrapper(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "data" / "store.db")  # a missing folder is created
    assert run_migrations(url) == ALL_REVISIONS
    assert run_migrations(url) == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "mysql+aiomysql://root@localhost/shop",
        "postgresql+psycopg2://postgres@localhost/shop",
        "postgresql+asyncpg://postgres@localhost",
    ],
)
async def test_a_bad_url_is_a_one_line_value_error(url: str) -> None:
    with pytest.raises(ValueError) as info:
        await migrate(url)
    message = str(info.value)
    assert "\n" not in message and "database URL" in message


def test_plain_driver_names_map_to_the_async_drivers() -> None:
    assert normalize_url("sqlite:///x.db").drivername == "sqlite+aiosqlite"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+asyncpg"
    assert normalize_url("postgresql://u:p%40ss@h:5433/db").render_as_string(hide_password=False) == (
        "postgresql+asyncpg://u:p%40ss@h:5433/db"
    )


# --- PostgreSQL ---------------------------------------------------------------------------

SNAPSHOT_QUERIES = {
    "tables": """
        SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public'""",
    "columns": """
        SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, ordinal_position,
               character_maximum_length, numeric_precision, numeric_scale, datetime_precision
        FROM information_schema.columns WHERE table_schema = 'public'""",
    "indexes": "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "constraints": """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace""",
    "enums": """
        SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname""",
    "sequences": """
        SELECT sequence_name, data_type, start_value, minimum_value, maximum_value, increment, cycle_option
        FROM information_schema.sequences WHERE sequence_schema = 'public'""",
    "extensions": "SELECT extname, extnamespace::regnamespace::text FROM pg_extension",
}
# How many leading fields of each row name the object; the rest describe it.
KEY_WIDTH = {
    "tables": 1,
    "columns": 2,
    "indexes": 1,
    "constraints": 2,
    "enums": 1,
    "sequences": 1,
    "extensions": 1,
}


async def snapshot(url: str) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        result = {}
        for kind, query in SNAPSHOT_QUERIES.items():
            width = KEY_WIDTH[kind]
            rows = [tuple(row) for row in await conn.fetch(query)]
            result[kind] = {row[:width]: row[width:] for row in rows}
        return result
    finally:
        await conn.close()


async def test_postgresql_fresh_database_is_medusas_schema_plus_our_extras(
    new_pg_database: NewDatabase,
) -> None:
    reference, migrated = await new_pg_database(), await new_pg_database()
    await load_medusa_schema(reference)
    assert await migrate(migrated) == ALL_REVISIONS

    want, got = await snapshot(reference), await snapshot(migrated)
    extras = {
        "tables": {(name,) for name in EXTRA_TABLES},
        "columns": set(EXTRA_COLUMNS),
        "indexes": {(name,) for name in EXTRA_INDEXES},
        "constraints": EXTRA_CONSTRAINTS,
    }
    assert len(want["tables"]) == 100 and len(want["enums"]) == 29 and len(want["indexes"]) > 200
    for kind in SNAPSHOT_QUERIES:
        assert set(want[kind]) - set(got[kind]) == set(), f"{kind} missing after migrate()"
        assert set(got[kind]) - set(want[kind]) == extras.get(kind, set()), f"unexpected {kind}"
        changed = {
            key: (want[kind][key], got[kind][key]) for key in want[kind] if want[kind][key] != got[kind][key]
        }
        assert changed == {}, f"{kind} differ (Medusa's, ours)"

    for key, (data_type, udt, nullable) in EXTRA_COLUMNS.items():
        assert got["columns"][key][:3] == (data_type, udt, nullable), key
    for name, definition in EXTRA_INDEXES.items():
        assert got["indexes"][(name,)][1] == definition

    assert await migrate(migrated) == []
    assert await snapshot(migrated) == got


async def test_postgresql_existing_medusa_database_is_stamped_not_rebuilt(
    new_pg_database: NewDatabase,
) -> None:
    url = await new_pg_database()
    await load_medusa_schema(url)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(
            "INSERT INTO currency (code, symbol, symbol_native, name) VALUES ('eur', '€', '€', 'Euro')"
        )
        await conn.execute(
            "INSERT INTO store (id, name, default_currency_code) VALUES ('store_01ABC', 'Shop', 'eur')"
        )
        await conn.execute(
            "INSERT INTO migrations (timestamp, name) VALUES (1, 'initialSchema1611063162649')"
        )
        data_query = """
            SELECT (SELECT json_agg(s ORDER BY s.id) FROM store s)::text,
                   (SELECT json_agg(c ORDER BY c.code) FROM currency c)::text,
                   (SELECT json_agg(m ORDER BY m.id) FROM migrations m)::text"""
        before = await conn.fetchrow(data_query)

        assert await migrate(url) == ALL_REVISIONS[1:]  # all but the stamped baseline

        assert await conn.fetchrow(data_query) == before
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == HEAD
        assert await conn.fetchval("SELECT to_regclass('public.mercato_session')::text") == "mercato_session"
    finally:
        await conn.close()
    assert await migrate(url) == []


async def test_postgresql_concurrent_migrations_apply_once(new_pg_database: NewDatabase) -> None:
    url = await new_pg_database()
    results = await asyncio.gather(migrate(url), migrate(url))
    assert sorted(results) == [[], ALL_REVISIONS]
