"""Mercato's login sessions (Medusa kept them in Redis): one additive table.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mercato_session",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("IDX_mercato_session_expires_at", "mercato_session", ["expires_at"])


def downgrade() -> None:
    op.drop_index("IDX_mercato_session_expires_at", table_name="mercato_session")
    op.drop_table("mercato_session")
