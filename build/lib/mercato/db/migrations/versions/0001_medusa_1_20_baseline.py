"""Baseline: the schema Medusa 1.20's own migrations create.

On PostgreSQL this runs medusa_1_20_schema.sql (Medusa's pg_dump) statement by statement,
verbatim, so a fresh database is indistinguishable from one Medusa migrated. On SQLite it
creates the same tables from our models (Medusa has no SQLite schema to copy).

An existing Medusa v1 database is never upgraded through here: mercato.db.migrate stamps
this revision instead.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from importlib import resources

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_FILE = "medusa_1_20_schema.sql"

_SET = re.compile(r"^SET\s+(\w+)\s*=", re.IGNORECASE)
_SET_CONFIG = re.compile(r"^SELECT\s+pg_catalog\.set_config\('(\w+)'", re.IGNORECASE)
_CREATE_TABLE = re.compile(r'^CREATE TABLE public\.("?)(\w+)\1 \(', re.MULTILINE)
_CURRENT = text("SELECT pg_catalog.current_setting(:name)")
_RESTORE = text("SELECT pg_catalog.set_config(:name, :value, false)")


def schema_sql() -> str:
    return resources.files("mercato.db").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def medusa_table_names(sql: str) -> set[str]:
    return {m.group(2) for m in _CREATE_TABLE.finditer(sql)}


def split_statements(sql: str) -> Iterator[str]:
    """The script's statements, without comments; `;` inside quotes and bodies is kept."""
    buf: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch in ("'", '"'):
            # A doubled quote inside a literal reads as an empty literal next to it: same text.
            end = sql.find(ch, i + 1)
            end = n - 1 if end < 0 else end
            buf.append(sql[i : end + 1])
            i = end + 1
            continue
        if ch == "$":
            tag = re.match(r"\$(?:[A-Za-z_]\w*)?\$", sql[i:])
            if tag:
                end = sql.find(tag.group(0), i + len(tag.group(0)))
                end = n if end < 0 else end + len(tag.group(0))
                buf.append(sql[i:end])
                i = end
                continue
        if ch == ";":
            statement = "".join(buf).strip()
            if statement:
                yield statement
            buf = []
        else:
            buf.append(ch)
        i += 1
    statement = "".join(buf).strip()
    if statement:
        yield statement


def _touched_settings(statements: list[str]) -> list[str]:
    names: list[str] = []
    for statement in statements:
        match = _SET.match(statement) or _SET_CONFIG.match(statement)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def _upgrade_postgresql(bind: Connection) -> None:
    statements = list(split_statements(schema_sql()))
    # The dump sets session settings (search_path '' among them) that would outlive it on this
    # connection; Alembic's own bookkeeping right after needs them as they were.
    settings = _touched_settings(statements)
    saved = {name: bind.execute(_CURRENT, {"name": name}).scalar_one() for name in settings}
    for statement in statements:
        bind.exec_driver_sql(statement)
    for name, value in saved.items():
        bind.execute(_RESTORE, {"name": name, "value": value})


def _upgrade_sqlite(bind: Connection) -> None:
    from mercato.db.registry import load_all_models

    metadata = load_all_models().metadata
    names = medusa_table_names(schema_sql())
    tables = [table for table in metadata.tables.values() if table.name in names]
    missing = names - {table.name for table in tables}
    if missing:
        raise RuntimeError(f"no model for Medusa table(s): {', '.join(sorted(missing))}")
    metadata.create_all(bind, tables=tables, checkfirst=False)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _upgrade_postgresql(bind)
    elif bind.dialect.name == "sqlite":
        _upgrade_sqlite(bind)
    else:
        raise NotImplementedError(f"no Medusa 1.20 baseline for {bind.dialect.name}")


def downgrade() -> None:
    # Dropping Medusa's schema would drop the store with it; do that by hand if meant.
    raise NotImplementedError("the Medusa 1.20 baseline cannot be downgraded")
