"""Countries and currencies, as Medusa's migrations insert them (ISO 3166 / ISO 4217 lists).

On a database Medusa already filled, the tables are not empty and nothing is written.

Revision ID: 0003
Revises: 0002
"""

import json
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DATA = Path(__file__).resolve().parents[2] / "reference_data.json"


def upgrade() -> None:
    data = json.loads(_DATA.read_text())
    bind = op.get_bind()
    country = sa.table(
        "country",
        sa.column("id", sa.Integer),
        sa.column("iso_2", sa.String),
        sa.column("iso_3", sa.String),
        sa.column("num_code", sa.Integer),
        sa.column("name", sa.String),
        sa.column("display_name", sa.String),
    )
    currency = sa.table(
        "currency",
        sa.column("code", sa.String),
        sa.column("symbol", sa.String),
        sa.column("symbol_native", sa.String),
        sa.column("name", sa.String),
        sa.column("includes_tax", sa.Boolean),
    )
    if bind.execute(sa.text("SELECT COUNT(*) FROM country")).scalar_one() == 0:
        op.bulk_insert(
            country,
            [
                dict(zip(("id", "iso_2", "iso_3", "num_code", "name", "display_name"), row, strict=True))
                for row in data["countries"]
            ],
        )
        if bind.dialect.name == "postgresql":
            bind.execute(sa.text("SELECT setval('country_id_seq', (SELECT MAX(id) FROM country))"))
    if bind.execute(sa.text("SELECT COUNT(*) FROM currency")).scalar_one() == 0:
        op.bulk_insert(
            currency,
            [
                dict(zip(("code", "symbol", "symbol_native", "name", "includes_tax"), row, strict=True))
                for row in data["currencies"]
            ],
        )


def downgrade() -> None:
    pass
