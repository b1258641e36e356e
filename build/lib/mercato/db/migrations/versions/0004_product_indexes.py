"""Indexes for reading products that Medusa 1.20's schema lacks.

A product's options are found by `product_option.product_id`, which Medusa never indexed (every
product page scanned all options); the admin list pages products newest first.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        'CREATE INDEX IF NOT EXISTS "IDX_product_option_product_id" ON product_option (product_id) '
        "WHERE deleted_at IS NULL"
    )
    op.execute(
        'CREATE INDEX IF NOT EXISTS "IDX_product_created_at" ON product (created_at) WHERE deleted_at IS NULL'
    )


def downgrade() -> None:
    op.execute('DROP INDEX IF EXISTS "IDX_product_created_at"')
    op.execute('DROP INDEX IF EXISTS "IDX_product_option_product_id"')
