"""Tables of the customers domain, as Medusa 1.20 creates them (drafted by sqlacodegen).

Relations carry Medusa's names; like TypeORM's relation joins they leave soft-deleted rows out.
"""

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
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.orders.models import Order
    from mercato.modules.price_lists.models import PriceList
    from mercato.modules.regions.models import Country


t_customer_group_customers = Table(
    "customer_group_customers",
    Base.metadata,
    Column("customer_group_id", String, primary_key=True),
    Column("customer_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["customer_group_id"],
        ["customer_group.id"],
        ondelete="CASCADE",
        name="FK_620330964db8d2999e67b0dbe3e",
    ),
    ForeignKeyConstraint(
        ["customer_id"], ["customer.id"], ondelete="CASCADE", name="FK_3c6412d076292f439269abe1a23"
    ),
    PrimaryKeyConstraint("customer_group_id", "customer_id", name="PK_e28a55e34ad1e2d3df9a0ac86d3"),
    Index("IDX_3c6412d076292f439269abe1a2", "customer_id"),
    Index("IDX_620330964db8d2999e67b0dbe3", "customer_group_id"),
)


class Address(Base):
    __tablename__ = "address"
    __id_prefix__ = "addr"
    __table_args__ = (
        ForeignKeyConstraint(["country_code"], ["country.iso_2"], name="FK_6df8c6bf969a51d24c1980c4ff4"),
        ForeignKeyConstraint(["customer_id"], ["customer.id"], name="FK_9c9614b2f9d01665800ea8dbff7"),
        PrimaryKeyConstraint("id", name="PK_d92de1f82754668b5f5f5dd4fd5"),
        Index("IDX_9c9614b2f9d01665800ea8dbff", "customer_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    customer_id: Mapped[str | None] = mapped_column(String)
    company: Mapped[str | None] = mapped_column(String)
    first_name: Mapped[str | None] = mapped_column(String)
    last_name: Mapped[str | None] = mapped_column(String)
    address_1: Mapped[str | None] = mapped_column(String)
    address_2: Mapped[str | None] = mapped_column(String)
    city: Mapped[str | None] = mapped_column(String)
    country_code: Mapped[str | None] = mapped_column(String)
    province: Mapped[str | None] = mapped_column(String)
    postal_code: Mapped[str | None] = mapped_column(String)
    phone: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    customer: Mapped[Customer | None] = relationship(
        "Customer",
        primaryjoin="and_(foreign(Address.customer_id) == Customer.id, Customer.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    country: Mapped[Country | None] = relationship(
        "Country",
        primaryjoin="foreign(Address.country_code) == Country.iso_2",
        lazy="raise",
        viewonly=True,
    )


class Customer(Base):
    __tablename__ = "customer"
    __id_prefix__ = "cus"
    __table_args__ = (
        ForeignKeyConstraint(["billing_address_id"], ["address.id"], name="FK_8abe81b9aac151ae60bf507ad15"),
        PrimaryKeyConstraint("id", name="PK_a7a13f4cacb744524e44dfdad32"),
        UniqueConstraint("billing_address_id", name="REL_8abe81b9aac151ae60bf507ad1"),
        Index("IDX_8abe81b9aac151ae60bf507ad1", "billing_address_id"),
        Index(
            "IDX_unique_email_for_guests_and_customer_accounts",
            "email",
            "has_account",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    email: Mapped[str] = mapped_column(String, nullable=False)
    has_account: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    first_name: Mapped[str | None] = mapped_column(String)
    last_name: Mapped[str | None] = mapped_column(String)
    billing_address_id: Mapped[str | None] = mapped_column(String)
    password_hash: Mapped[str | None] = mapped_column(String)
    phone: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    # Medusa never selects it (`select: false`); Mercato never answers it either.
    __hidden__ = ("password_hash",)

    billing_address: Mapped[Address | None] = relationship(
        Address,
        primaryjoin="and_(foreign(Customer.billing_address_id) == Address.id, Address.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    shipping_addresses: Mapped[list[Address]] = relationship(
        Address,
        primaryjoin="and_(foreign(Address.customer_id) == Customer.id, Address.deleted_at.is_(None))",
        order_by="(Address.created_at, Address.id)",
        lazy="raise",
        viewonly=True,
    )
    orders: Mapped[list[Order]] = relationship(
        "Order",
        primaryjoin="foreign(Order.customer_id) == Customer.id",
        order_by="(Order.created_at, Order.id)",
        lazy="raise",
        viewonly=True,
    )
    groups: Mapped[list[CustomerGroup]] = relationship(
        "CustomerGroup",
        secondary=t_customer_group_customers,
        primaryjoin=lambda: Customer.id == t_customer_group_customers.c.customer_id,
        secondaryjoin=lambda: and_(
            CustomerGroup.id == t_customer_group_customers.c.customer_group_id,
            CustomerGroup.deleted_at.is_(None),
        ),
        order_by="(CustomerGroup.created_at, CustomerGroup.id)",
        lazy="raise",
        viewonly=True,
    )


class CustomerGroup(Base):
    __tablename__ = "customer_group"
    __id_prefix__ = "cgrp"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_88e7da3ff7262d9e0a35aa3664e"),
        Index(
            "IDX_c4c3a5225a7a1f0af782c40abc",
            "name",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    customers: Mapped[list[Customer]] = relationship(
        Customer,
        secondary=t_customer_group_customers,
        primaryjoin=lambda: CustomerGroup.id == t_customer_group_customers.c.customer_group_id,
        secondaryjoin=lambda: and_(
            Customer.id == t_customer_group_customers.c.customer_id, Customer.deleted_at.is_(None)
        ),
        order_by="(Customer.created_at, Customer.id)",
        lazy="raise",
        viewonly=True,
    )
    price_lists: Mapped[list[PriceList]] = relationship(
        "PriceList",
        secondary="price_list_customer_groups",
        primaryjoin="CustomerGroup.id == price_list_customer_groups.c.customer_group_id",
        secondaryjoin=(
            "and_(PriceList.id == price_list_customer_groups.c.price_list_id, PriceList.deleted_at.is_(None))"
        ),
        order_by="(PriceList.created_at, PriceList.id)",
        lazy="raise",
        viewonly=True,
    )
