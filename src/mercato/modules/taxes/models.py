"""Tables of the taxes domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import REAL, DateTime, ForeignKeyConstraint, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.products.models import Product, ProductType
    from mercato.modules.regions.models import Region
    from mercato.modules.shipping.models import ShippingOption


class TaxRate(Base):
    __tablename__ = "tax_rate"
    __id_prefix__ = "txr"
    __table_args__ = (
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_b95a1e03b051993d208366cb960"),
        PrimaryKeyConstraint("id", name="PK_23b71b53f650c0b39e99ccef4fd"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, nullable=False)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    rate: Mapped[float | None] = mapped_column(REAL)
    code: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    # Medusa's relations (models/tax-rate.ts). The join rows are written explicitly by the taxes
    # service; soft-deleted targets are left out, as TypeORM's joins leave them out.
    region: Mapped[Region | None] = relationship(
        "Region",
        primaryjoin="and_(TaxRate.region_id == Region.id, Region.deleted_at.is_(None))",
        viewonly=True,
        lazy="raise",
    )
    products: Mapped[list[Product]] = relationship(
        "Product",
        secondary="product_tax_rate",
        primaryjoin="TaxRate.id == product_tax_rate.c.rate_id",
        secondaryjoin="and_(Product.id == product_tax_rate.c.product_id, Product.deleted_at.is_(None))",
        viewonly=True,
        lazy="raise",
    )
    product_types: Mapped[list[ProductType]] = relationship(
        "ProductType",
        secondary="product_type_tax_rate",
        primaryjoin="TaxRate.id == product_type_tax_rate.c.rate_id",
        secondaryjoin=(
            "and_(ProductType.id == product_type_tax_rate.c.product_type_id, "
            "ProductType.deleted_at.is_(None))"
        ),
        viewonly=True,
        lazy="raise",
    )
    shipping_options: Mapped[list[ShippingOption]] = relationship(
        "ShippingOption",
        secondary="shipping_tax_rate",
        primaryjoin="TaxRate.id == shipping_tax_rate.c.rate_id",
        secondaryjoin=(
            "and_(ShippingOption.id == shipping_tax_rate.c.shipping_option_id, "
            "ShippingOption.deleted_at.is_(None))"
        ),
        viewonly=True,
        lazy="raise",
    )


def _attach_region_rates() -> None:
    # Region.tax_rates (an expandable relation of Medusa's Region: `expand=region.tax_rates` on
    # orders), declared here so that the regions module need not import the taxes one
    from mercato.modules.regions.models import Region

    Region.tax_rates = relationship(  # type: ignore[attr-defined]
        TaxRate,
        primaryjoin="foreign(TaxRate.region_id) == Region.id",
        order_by=TaxRate.id,
        viewonly=True,
        lazy="raise",
    )


_attach_region_rates()
