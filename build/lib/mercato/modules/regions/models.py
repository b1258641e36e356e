"""Tables of the regions domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    REAL,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.currencies.models import Currency
    from mercato.modules.store.models import FulfillmentProvider, PaymentProvider


t_region_fulfillment_providers = Table(
    "region_fulfillment_providers",
    Base.metadata,
    Column("region_id", String, primary_key=True),
    Column("provider_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["provider_id"],
        ["fulfillment_provider.id"],
        ondelete="CASCADE",
        name="FK_37f361c38a18d12a3fa3158d0cf",
    ),
    ForeignKeyConstraint(
        ["region_id"], ["region.id"], ondelete="CASCADE", name="FK_c556e14eff4d6f03db593df955e"
    ),
    PrimaryKeyConstraint("region_id", "provider_id", name="PK_5b7d928a1fb50d6803868cfab3a"),
    Index("IDX_37f361c38a18d12a3fa3158d0c", "provider_id"),
    Index("IDX_c556e14eff4d6f03db593df955", "region_id"),
)


t_region_payment_providers = Table(
    "region_payment_providers",
    Base.metadata,
    Column("region_id", String, primary_key=True),
    Column("provider_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["provider_id"], ["payment_provider.id"], ondelete="CASCADE", name="FK_3a6947180aeec283cd92c59ebb0"
    ),
    ForeignKeyConstraint(
        ["region_id"], ["region.id"], ondelete="CASCADE", name="FK_8aaa78ba90d3802edac317df869"
    ),
    PrimaryKeyConstraint("region_id", "provider_id", name="PK_9fa1e69914d3dd752de6b1da407"),
    Index("IDX_3a6947180aeec283cd92c59ebb", "provider_id"),
    Index("IDX_8aaa78ba90d3802edac317df86", "region_id"),
)


class Country(Base):
    __tablename__ = "country"
    __table_args__ = (
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_b1aac8314662fa6b25569a575bb"),
        PrimaryKeyConstraint("id", name="PK_bf6e37c231c4f4ea56dcd887269"),
        Index("IDX_b1aac8314662fa6b25569a575b", "region_id"),
        Index("IDX_e78901b1131eaf8203d9b1cb5f", "iso_2", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    iso_2: Mapped[str] = mapped_column(String, nullable=False)
    iso_3: Mapped[str] = mapped_column(String, nullable=False)
    num_code: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    display_name: Mapped[str] = mapped_column(String, nullable=False)
    region_id: Mapped[str | None] = mapped_column(String)


class Region(Base):
    __tablename__ = "region"
    __id_prefix__ = "reg"
    __table_args__ = (
        ForeignKeyConstraint(["currency_code"], ["currency.code"], name="FK_3bdd5896ec93be2f1c62a3309a5"),
        ForeignKeyConstraint(["tax_provider_id"], ["tax_provider.id"], name="FK_91f88052197680f9790272aaf5b"),
        PrimaryKeyConstraint("id", name="PK_5f48ffc3af96bc486f5f3f3a6da"),
        Index("IDX_region_currency_code", "currency_code"),
    )

    # Columns in the order Medusa's entity (models/region.ts) serialises them.
    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    name: Mapped[str] = mapped_column(String, nullable=False)
    currency_code: Mapped[str] = mapped_column(String, nullable=False)
    tax_rate: Mapped[float] = mapped_column(REAL, nullable=False)
    tax_code: Mapped[str | None] = mapped_column(String)
    gift_cards_taxable: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    automatic_taxes: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    tax_provider_id: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))

    # Read-only views, loaded with selectinload; writes go through the FK columns and join rows.
    countries: Mapped[list[Country]] = relationship(Country, order_by=Country.id, lazy="raise", viewonly=True)
    currency: Mapped[Currency] = relationship("Currency", lazy="raise", viewonly=True)
    payment_providers: Mapped[list[PaymentProvider]] = relationship(
        "PaymentProvider",
        secondary=t_region_payment_providers,
        order_by="PaymentProvider.id",
        lazy="raise",
        viewonly=True,
    )
    fulfillment_providers: Mapped[list[FulfillmentProvider]] = relationship(
        "FulfillmentProvider",
        secondary=t_region_fulfillment_providers,
        order_by="FulfillmentProvider.id",
        lazy="raise",
        viewonly=True,
    )
