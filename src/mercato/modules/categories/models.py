"""Product categories (Medusa's product_category tree and its product links)."""

import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


class ProductCategory(Base):
    __tablename__ = "product_category"
    __id_prefix__ = "pcat"
    __table_args__ = (
        CheckConstraint("rank >= 0", name="product_category_rank_check"),
        PrimaryKeyConstraint("id", name="PK_qgguwbn1cwstxk93efl0px9oqwt"),
        Index(
            "IDX_product_category_active_public",
            "parent_category_id",
            "is_active",
            "is_internal",
            postgresql_where=text("((is_active IS TRUE) AND (is_internal IS FALSE))"),
            sqlite_where=text("((is_active IS TRUE) AND (is_internal IS FALSE))"),
        ),
        Index("IDX_product_category_handle", "handle", unique=True),
        Index("IDX_product_category_path", "mpath"),
        Index("UniqProductCategoryParentIdRank", "parent_category_id", "rank", unique=True),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    handle: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    rank: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    description: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("''"))
    parent_category_id: Mapped[str | None] = mapped_column(String)
    mpath: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool | None] = mapped_column(Boolean, server_default=text("false"))
    is_internal: Mapped[bool | None] = mapped_column(Boolean, server_default=text("false"))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


t_product_category_product = Table(
    "product_category_product",
    Base.metadata,
    Column("product_category_id", String, nullable=False),
    Column("product_id", String, nullable=False),
    ForeignKeyConstraint(
        ["product_category_id"], ["product_category.id"], ondelete="CASCADE", name="FK_product_category_id"
    ),
    ForeignKeyConstraint(["product_id"], ["product.id"], ondelete="CASCADE", name="FK_product_id"),
    Index("IDX_pcp_product_category_id", "product_category_id"),
    Index("IDX_pcp_product_id", "product_id"),
    Index("IDX_upcp_product_id_product_category_id", "product_category_id", "product_id", unique=True),
)
