"""Tables of the sales_channels domain, as Medusa 1.20 creates them (drafted by sqlacodegen).

Columns are declared in the order Medusa's entities serialise them. Relationships are read-only
(join rows are written explicitly by the services) and never lazy-load.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, DateTime, Index, PrimaryKeyConstraint, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.products.models import Product


class PublishableApiKey(Base):
    __tablename__ = "publishable_api_key"
    __id_prefix__ = "pk"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_9e613278673a87de92c606b4494"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    created_by: Mapped[str | None] = mapped_column(String)
    revoked_by: Mapped[str | None] = mapped_column(String)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    title: Mapped[str] = mapped_column(String, nullable=False)


class PublishableApiKeySalesChannel(Base):
    __tablename__ = "publishable_api_key_sales_channel"
    __id_prefix__ = "pksc"
    __table_args__ = (
        PrimaryKeyConstraint("sales_channel_id", "publishable_key_id", name="PK_68eaeb14bdac8954460054c567c"),
        Index("IDX_id_publishable_api_key_sales_channel", "id"),
    )

    sales_channel_id: Mapped[str] = mapped_column(String, primary_key=True)
    publishable_key_id: Mapped[str] = mapped_column(String, primary_key=True)
    id: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


class SalesChannelLocation(Base):
    __tablename__ = "sales_channel_location"
    __id_prefix__ = "scloc"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_afd2c2c52634bc8280a9c9ee533"),
        Index(
            "IDX_sales_channel_location_location_id",
            "location_id",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
        Index(
            "IDX_sales_channel_location_sales_channel_id",
            "sales_channel_id",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    sales_channel_id: Mapped[str] = mapped_column(Text, nullable=False)
    location_id: Mapped[str] = mapped_column(Text, nullable=False)


class SalesChannel(Base):
    __tablename__ = "sales_channel"
    __id_prefix__ = "sc"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_d1eb0b923ea5a0eb1e0916191f1"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    name: Mapped[str] = mapped_column(String, nullable=False)
    description: Mapped[str | None] = mapped_column(String)
    is_disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    # Medusa's relation names (models/sales-channel.ts); soft-deleted rows are left out, as TypeORM does.
    products: Mapped[list[Product]] = relationship(
        "Product",
        secondary="product_sales_channel",
        primaryjoin="SalesChannel.id == product_sales_channel.c.sales_channel_id",
        secondaryjoin="and_(Product.id == product_sales_channel.c.product_id, Product.deleted_at.is_(None))",
        order_by="(Product.created_at, Product.id)",
        lazy="raise",
        viewonly=True,
    )
    publishableKeys: Mapped[list[PublishableApiKey]] = relationship(  # noqa: N815 (Medusa's name)
        PublishableApiKey,
        secondary="publishable_api_key_sales_channel",
        primaryjoin="SalesChannel.id == publishable_api_key_sales_channel.c.sales_channel_id",
        secondaryjoin="PublishableApiKey.id == publishable_api_key_sales_channel.c.publishable_key_id",
        order_by="(PublishableApiKey.created_at, PublishableApiKey.id)",
        lazy="raise",
        viewonly=True,
    )
    locations: Mapped[list[SalesChannelLocation]] = relationship(
        SalesChannelLocation,
        primaryjoin=(
            "and_(foreign(SalesChannelLocation.sales_channel_id) == SalesChannel.id, "
            "SalesChannelLocation.deleted_at.is_(None))"
        ),
        order_by="(SalesChannelLocation.created_at, SalesChannelLocation.id)",
        lazy="raise",
        viewonly=True,
    )
