"""Tables of the store domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB
from mercato.modules.currencies.models import Currency, catalogue_order

if TYPE_CHECKING:
    from mercato.modules.sales_channels.models import SalesChannel


class FulfillmentProvider(Base):
    __tablename__ = "fulfillment_provider"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_beb35a6de60a6c4f91d5ae57e44"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    is_installed: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))


class PaymentProvider(Base):
    __tablename__ = "payment_provider"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_ea94f42b6c88e9191c3649d7522"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    is_installed: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))


class TaxProvider(Base):
    __tablename__ = "tax_provider"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_b198bf82ba6a317c11763d99b99"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    is_installed: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))


t_store_currencies = Table(
    "store_currencies",
    Base.metadata,
    Column("store_id", String, primary_key=True),
    Column("currency_code", String, primary_key=True),
    ForeignKeyConstraint(
        ["currency_code"], ["currency.code"], ondelete="CASCADE", name="FK_82a6bbb0b527c20a0002ddcbd60"
    ),
    ForeignKeyConstraint(
        ["store_id"], ["store.id"], ondelete="CASCADE", name="FK_b4f4b63d1736689b7008980394c"
    ),
    PrimaryKeyConstraint("store_id", "currency_code", name="PK_0f2bff3bccc785c320a4df836de"),
    Index("IDX_82a6bbb0b527c20a0002ddcbd6", "currency_code"),
    Index("IDX_b4f4b63d1736689b7008980394", "store_id"),
)


class Store(Base):
    __tablename__ = "store"
    __id_prefix__ = "store"
    __table_args__ = (
        ForeignKeyConstraint(
            ["default_currency_code"], ["currency.code"], name="FK_55beebaa09e947cccca554af222"
        ),
        ForeignKeyConstraint(
            ["default_sales_channel_id"], ["sales_channel.id"], name="FK_61b0f48cccbb5f41c750bac7286"
        ),
        PrimaryKeyConstraint("id", name="PK_f3172007d4de5ae8e7692759d79"),
        UniqueConstraint("default_sales_channel_id", name="UQ_61b0f48cccbb5f41c750bac7286"),
    )

    # Columns in the order Medusa's entity (models/store.ts) serialises them.
    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    name: Mapped[str] = mapped_column(String, nullable=False, server_default=text("'Medusa Store'"))
    default_currency_code: Mapped[str] = mapped_column(String, nullable=False, server_default=text("'usd'"))
    swap_link_template: Mapped[str | None] = mapped_column(String)
    payment_link_template: Mapped[str | None] = mapped_column(String)
    invite_link_template: Mapped[str | None] = mapped_column(String)
    default_location_id: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    default_sales_channel_id: Mapped[str | None] = mapped_column(String)

    # Written through the store_currencies rows and the FK columns, never through these.
    currencies: Mapped[list[Currency]] = relationship(
        Currency, secondary=t_store_currencies, order_by=catalogue_order, lazy="raise", viewonly=True
    )
    default_currency: Mapped[Currency] = relationship(
        Currency, foreign_keys=[default_currency_code], lazy="raise", viewonly=True
    )
    default_sales_channel: Mapped[SalesChannel | None] = relationship(
        "SalesChannel", foreign_keys=[default_sales_channel_id], lazy="raise", viewonly=True
    )
