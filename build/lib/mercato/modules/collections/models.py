"""Product collections."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    DateTime,
    Index,
    PrimaryKeyConstraint,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.products.models import Product


class ProductCollection(Base):
    __tablename__ = "product_collection"
    __id_prefix__ = "pcol"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_49d419fc77d3aed46c835c558ac"),
        Index(
            "IDX_6f234f058bbbea810dce1d04d0",
            "handle",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
        Index(
            "idx_gin_product_collection",
            "title",
            postgresql_ops={"title": "gin_trgm_ops"},
            postgresql_using="gin",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    handle: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    # Read-only (products join a collection through product.collection_id, written by the
    # service); soft-deleted products are left out, as TypeORM leaves them out of its joins.
    products: Mapped[list[Product]] = relationship(
        "Product",
        primaryjoin="and_(ProductCollection.id == foreign(Product.collection_id), Product.deleted_at.is_(None))",
        order_by="(Product.created_at, Product.id)",
        lazy="raise",
        viewonly=True,
    )
