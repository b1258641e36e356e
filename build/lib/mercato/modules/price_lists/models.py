"""Tables of the price_lists domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.enums import PriceListStatusEnum, PriceListTypeEnum, enum_values

if TYPE_CHECKING:
    from mercato.modules.customers.models import CustomerGroup
    from mercato.modules.products.models import MoneyAmount


class PriceList(Base):
    __tablename__ = "price_list"
    __id_prefix__ = "pl"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_52ea7826468b1c889cb2c28df03"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, nullable=False)
    description: Mapped[str] = mapped_column(String, nullable=False)
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(PriceListTypeEnum), name="price_list_type_enum"),
        nullable=False,
        server_default=text("'sale'"),
    )
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(PriceListStatusEnum), name="price_list_status_enum"),
        nullable=False,
        server_default=text("'draft'"),
    )
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    starts_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    ends_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))

    # read-only views (writes go through money_amount.price_list_id and the join table)
    prices: Mapped[list[MoneyAmount]] = relationship(
        "MoneyAmount",
        primaryjoin="and_(PriceList.id == foreign(MoneyAmount.price_list_id), MoneyAmount.deleted_at.is_(None))",
        order_by="MoneyAmount.id",
        lazy="raise",
        viewonly=True,
    )
    customer_groups: Mapped[list[CustomerGroup]] = relationship(
        "CustomerGroup",
        secondary="price_list_customer_groups",
        primaryjoin="PriceList.id == price_list_customer_groups.c.price_list_id",
        secondaryjoin="and_(CustomerGroup.id == price_list_customer_groups.c.customer_group_id, "
        "CustomerGroup.deleted_at.is_(None))",
        order_by="CustomerGroup.id",
        lazy="raise",
        viewonly=True,
    )


t_price_list_customer_groups = Table(
    "price_list_customer_groups",
    Base.metadata,
    Column("price_list_id", String, primary_key=True),
    Column("customer_group_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["customer_group_id"],
        ["customer_group.id"],
        ondelete="CASCADE",
        name="FK_c5516f550433c9b1c2630d787a7",
    ),
    ForeignKeyConstraint(
        ["price_list_id"],
        ["price_list.id"],
        ondelete="CASCADE",
        onupdate="CASCADE",
        name="FK_52875734e9dd69064f0041f4d92",
    ),
    PrimaryKeyConstraint("price_list_id", "customer_group_id", name="PK_1afcbe15cc8782dc80c05707df9"),
    Index("IDX_52875734e9dd69064f0041f4d9", "price_list_id"),
    Index("IDX_c5516f550433c9b1c2630d787a", "customer_group_id"),
)
