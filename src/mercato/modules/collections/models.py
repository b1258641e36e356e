"""Product collections."""

import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    Index,
    PrimaryKeyConstraint,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


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
