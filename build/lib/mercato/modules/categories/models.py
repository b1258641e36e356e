"""Product categories (Medusa's product_category tree and its product links).

The tree is TypeORM's materialized path: `mpath` is the ids from the root down to the row, each
followed by a dot ("pcat_root.pcat_child."); `parent_category_id` points one level up (no FK in
Medusa's schema). Siblings are ordered by `rank` (0, 1, 2 …, unique per parent).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.products.models import Product


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

    # Read-only views; the service writes parent_category_id/mpath/rank and the join rows itself.
    parent_category: Mapped[ProductCategory | None] = relationship(
        "ProductCategory",
        primaryjoin="foreign(ProductCategory.parent_category_id) == remote(ProductCategory.id)",
        lazy="raise",
        viewonly=True,
    )
    category_children: Mapped[list[ProductCategory]] = relationship(
        "ProductCategory",
        primaryjoin="ProductCategory.id == foreign(remote(ProductCategory.parent_category_id))",
        order_by="(ProductCategory.rank, ProductCategory.handle)",
        lazy="raise",
        viewonly=True,
    )
    products: Mapped[list[Product]] = relationship(
        "Product",
        secondary="product_category_product",
        primaryjoin="ProductCategory.id == product_category_product.c.product_category_id",
        secondaryjoin="and_(Product.id == product_category_product.c.product_id, Product.deleted_at.is_(None))",
        order_by="(Product.created_at, Product.id)",
        lazy="raise",
        viewonly=True,
    )


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
