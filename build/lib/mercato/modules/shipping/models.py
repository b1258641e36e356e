"""Tables of the shipping domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.enums import (
    ShippingOptionPriceTypeEnum,
    ShippingOptionRequirementTypeEnum,
    ShippingProfileTypeEnum,
    enum_values,
)
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.products.models import Product
    from mercato.modules.regions.models import Region
    from mercato.modules.store.models import FulfillmentProvider


class ShippingProfile(Base):
    __tablename__ = "shipping_profile"
    __id_prefix__ = "sp"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_c8120e4543a5a3a121f2968a1ec"),)

    # Columns in the order Medusa's entity (models/shipping-profile.ts) serialises them.
    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    name: Mapped[str] = mapped_column(String, nullable=False)
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(ShippingProfileTypeEnum), name="shipping_profile_type_enum"), nullable=False
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    # Read-only: products move between profiles through product_shipping_profile rows written by
    # the service, options through shipping_option.profile_id. Soft-deleted rows are left out.
    products: Mapped[list[Product]] = relationship(
        "Product",
        secondary="product_shipping_profile",
        primaryjoin="ShippingProfile.id == product_shipping_profile.c.profile_id",
        secondaryjoin="and_(Product.id == product_shipping_profile.c.product_id, Product.deleted_at.is_(None))",
        order_by="(Product.created_at, Product.id)",
        lazy="raise",
        viewonly=True,
    )
    shipping_options: Mapped[list[ShippingOption]] = relationship(
        "ShippingOption",
        primaryjoin="and_(ShippingOption.profile_id == ShippingProfile.id, ShippingOption.deleted_at.is_(None))",
        order_by="(ShippingOption.created_at, ShippingOption.id)",
        lazy="raise",
        viewonly=True,
    )


class ShippingOption(Base):
    __tablename__ = "shipping_option"
    __id_prefix__ = "so"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="CHK_7a367f5901ae0a5b0df75aee38"),
        ForeignKeyConstraint(["profile_id"], ["shipping_profile.id"], name="FK_c951439af4c98bf2bd7fb8726cd"),
        ForeignKeyConstraint(
            ["provider_id"], ["fulfillment_provider.id"], name="FK_a0e206bfaed3cb63c1860917347"
        ),
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_5c58105f1752fca0f4ce69f4663"),
        PrimaryKeyConstraint("id", name="PK_2e56fddaa65f3a26d402e5d786e"),
        Index("IDX_5c58105f1752fca0f4ce69f466", "region_id"),
        Index("IDX_a0e206bfaed3cb63c186091734", "provider_id"),
        Index("IDX_c951439af4c98bf2bd7fb8726c", "profile_id"),
    )

    # Columns in the order Medusa's entity (models/shipping-option.ts) serialises them.
    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    name: Mapped[str] = mapped_column(String, nullable=False)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    profile_id: Mapped[str] = mapped_column(String, nullable=False)
    provider_id: Mapped[str] = mapped_column(String, nullable=False)
    price_type: Mapped[str] = mapped_column(
        Enum(*enum_values(ShippingOptionPriceTypeEnum), name="shipping_option_price_type_enum"),
        nullable=False,
    )
    amount: Mapped[int | None] = mapped_column(Integer)
    is_return: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    admin_only: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))

    # Medusa's relations (models/shipping-option.ts); rows are written through the FKs.
    region: Mapped[Region | None] = relationship(
        "Region",
        primaryjoin="and_(ShippingOption.region_id == Region.id, Region.deleted_at.is_(None))",
        foreign_keys="ShippingOption.region_id",
        lazy="raise",
        viewonly=True,
    )
    profile: Mapped[ShippingProfile | None] = relationship(
        "ShippingProfile",
        primaryjoin="and_(ShippingOption.profile_id == ShippingProfile.id, ShippingProfile.deleted_at.is_(None))",
        foreign_keys="ShippingOption.profile_id",
        lazy="raise",
        viewonly=True,
    )
    provider: Mapped[FulfillmentProvider | None] = relationship(
        "FulfillmentProvider",
        primaryjoin="ShippingOption.provider_id == FulfillmentProvider.id",
        foreign_keys="ShippingOption.provider_id",
        lazy="raise",
        viewonly=True,
    )
    requirements: Mapped[list[ShippingOptionRequirement]] = relationship(
        "ShippingOptionRequirement",
        primaryjoin="and_(ShippingOptionRequirement.shipping_option_id == ShippingOption.id, "
        "ShippingOptionRequirement.deleted_at.is_(None))",
        foreign_keys="ShippingOptionRequirement.shipping_option_id",
        order_by="ShippingOptionRequirement.id",
        lazy="raise",
        viewonly=True,
    )


class ShippingOptionRequirement(Base):
    __tablename__ = "shipping_option_requirement"
    __id_prefix__ = "sor"
    __table_args__ = (
        ForeignKeyConstraint(
            ["shipping_option_id"], ["shipping_option.id"], name="FK_012a62ba743e427b5ebe9dee18e"
        ),
        PrimaryKeyConstraint("id", name="PK_a0ff15442606d9f783602cb23a7"),
        Index("IDX_012a62ba743e427b5ebe9dee18", "shipping_option_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    shipping_option_id: Mapped[str] = mapped_column(String, nullable=False)
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(ShippingOptionRequirementTypeEnum), name="shipping_option_requirement_type_enum"),
        nullable=False,
    )
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


class ShippingTaxRate(Base):
    __tablename__ = "shipping_tax_rate"
    __table_args__ = (
        ForeignKeyConstraint(
            ["rate_id"], ["tax_rate.id"], ondelete="CASCADE", name="FK_346e0016cf045b9980747747645"
        ),
        ForeignKeyConstraint(
            ["shipping_option_id"],
            ["shipping_option.id"],
            ondelete="CASCADE",
            name="FK_f672727ab020df6c50fb64c1a70",
        ),
        PrimaryKeyConstraint("shipping_option_id", "rate_id", name="PK_bcd93b14d7e2695365d383f5eae"),
        Index("IDX_346e0016cf045b998074774764", "rate_id"),
        Index("IDX_f672727ab020df6c50fb64c1a7", "shipping_option_id"),
    )

    shipping_option_id: Mapped[str] = mapped_column(String, primary_key=True)
    rate_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
