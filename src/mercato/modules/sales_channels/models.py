"""Tables of the sales_channels domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, PrimaryKeyConstraint, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


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
    title: Mapped[str] = mapped_column(String, nullable=False)
    created_by: Mapped[str | None] = mapped_column(String)
    revoked_by: Mapped[str | None] = mapped_column(String)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


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
    name: Mapped[str] = mapped_column(String, nullable=False)
    is_disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    description: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


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
    sales_channel_id: Mapped[str] = mapped_column(Text, nullable=False)
    location_id: Mapped[str] = mapped_column(Text, nullable=False)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
