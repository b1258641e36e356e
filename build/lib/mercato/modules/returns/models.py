"""Tables of the returns domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.enums import (
    ClaimItemReasonEnum,
    ClaimOrderFulfillmentStatusEnum,
    ClaimOrderPaymentStatusEnum,
    ClaimOrderTypeEnum,
    ReturnStatusEnum,
    SwapFulfillmentStatusEnum,
    SwapPaymentStatusEnum,
    enum_values,
)
from mercato.db.types import JSONB


class ClaimTag(Base):
    __tablename__ = "claim_tag"
    __id_prefix__ = "ctag"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_7761180541142a5926501018d34"),
        Index("IDX_ec10c54769877840c132260e4a", "value"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class ReturnReason(Base):
    __tablename__ = "return_reason"
    __id_prefix__ = "rr"
    __table_args__ = (
        ForeignKeyConstraint(
            ["parent_return_reason_id"], ["return_reason.id"], name="FK_2250c5d9e975987ab212f61a657"
        ),
        PrimaryKeyConstraint("id", name="PK_95fd1172973165790903e65660a"),
        Index(
            "IDX_return_reason_value",
            "value",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(String, nullable=False)
    label: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    description: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    parent_return_reason_id: Mapped[str | None] = mapped_column(String)

    # models/return-reason.ts; soft-deleted reasons are left out, as TypeORM's joins leave them out
    parent_return_reason: Mapped[ReturnReason | None] = relationship(
        "ReturnReason",
        primaryjoin=(
            "and_(foreign(ReturnReason.parent_return_reason_id) == remote(ReturnReason.id), "
            "remote(ReturnReason.deleted_at).is_(None))"
        ),
        viewonly=True,
        lazy="raise",
    )
    return_reason_children: Mapped[list[ReturnReason]] = relationship(
        "ReturnReason",
        primaryjoin=(
            "and_(ReturnReason.id == foreign(remote(ReturnReason.parent_return_reason_id)), "
            "remote(ReturnReason.deleted_at).is_(None))"
        ),
        order_by="(ReturnReason.created_at, ReturnReason.id)",
        viewonly=True,
        lazy="raise",
    )


class Swap(Base):
    __tablename__ = "swap"
    __id_prefix__ = "swap"
    __table_args__ = (
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_402e8182bc553e082f6380020b4"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_52dd74e8c989aa5665ad2852b8b"),
        ForeignKeyConstraint(["shipping_address_id"], ["address.id"], name="FK_f5189d38b3d3bd496618bf54c57"),
        PrimaryKeyConstraint("id", name="PK_4a10d0f359339acef77e7f986d9"),
        UniqueConstraint("cart_id", name="REL_402e8182bc553e082f6380020b"),
        Index("IDX_52dd74e8c989aa5665ad2852b8", "order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    fulfillment_status: Mapped[str] = mapped_column(
        Enum(*enum_values(SwapFulfillmentStatusEnum), name="swap_fulfillment_status_enum"), nullable=False
    )
    payment_status: Mapped[str] = mapped_column(
        Enum(*enum_values(SwapPaymentStatusEnum), name="swap_payment_status_enum"), nullable=False
    )
    order_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    allow_backorder: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    difference_due: Mapped[int | None] = mapped_column(Integer)
    shipping_address_id: Mapped[str | None] = mapped_column(String)
    cart_id: Mapped[str | None] = mapped_column(String)
    confirmed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    no_notification: Mapped[bool | None] = mapped_column(Boolean)
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


class ClaimOrder(Base):
    __tablename__ = "claim_order"
    __id_prefix__ = "claim"
    __table_args__ = (
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_f49e3974465d3c3a33d449d3f31"),
        ForeignKeyConstraint(["shipping_address_id"], ["address.id"], name="FK_017d58bf8260c6e1a2588d258e2"),
        PrimaryKeyConstraint("id", name="PK_8981f5595a4424021466aa4c7a4"),
        Index("IDX_017d58bf8260c6e1a2588d258e", "shipping_address_id"),
        Index("IDX_f49e3974465d3c3a33d449d3f3", "order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    payment_status: Mapped[str] = mapped_column(
        Enum(*enum_values(ClaimOrderPaymentStatusEnum), name="claim_order_payment_status_enum"),
        nullable=False,
        server_default=text("'na'"),
    )
    fulfillment_status: Mapped[str] = mapped_column(
        Enum(*enum_values(ClaimOrderFulfillmentStatusEnum), name="claim_order_fulfillment_status_enum"),
        nullable=False,
        server_default=text("'not_fulfilled'"),
    )
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(ClaimOrderTypeEnum), name="claim_order_type_enum"), nullable=False
    )
    order_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    shipping_address_id: Mapped[str | None] = mapped_column(String)
    refund_amount: Mapped[int | None] = mapped_column(Integer)
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    no_notification: Mapped[bool | None] = mapped_column(Boolean)


class Return(Base):
    __tablename__ = "return"
    __id_prefix__ = "ret"
    __table_args__ = (
        ForeignKeyConstraint(["claim_order_id"], ["claim_order.id"], name="FK_71773d56eb2bacb922bc3283398"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_d4bd17f918fc6c332b74a368c36"),
        ForeignKeyConstraint(["swap_id"], ["swap.id"], name="FK_bad82d7bff2b08b87094bfac3d6"),
        PrimaryKeyConstraint("id", name="PK_c8ad68d13e76d75d803b5aeebc4"),
        UniqueConstraint("claim_order_id", name="UQ_71773d56eb2bacb922bc3283398"),
        UniqueConstraint("swap_id", name="REL_bad82d7bff2b08b87094bfac3d"),
        Index("IDX_71773d56eb2bacb922bc328339", "claim_order_id"),
        Index("IDX_bad82d7bff2b08b87094bfac3d", "swap_id"),
        Index("IDX_d4bd17f918fc6c332b74a368c3", "order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(ReturnStatusEnum), name="return_status_enum"),
        nullable=False,
        server_default=text("'requested'"),
    )
    refund_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    swap_id: Mapped[str | None] = mapped_column(String)
    order_id: Mapped[str | None] = mapped_column(String)
    shipping_data: Mapped[Any | None] = mapped_column(JSONB)
    received_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    claim_order_id: Mapped[str | None] = mapped_column(String)
    no_notification: Mapped[bool | None] = mapped_column(Boolean)
    location_id: Mapped[str | None] = mapped_column(String)


class ClaimItem(Base):
    __tablename__ = "claim_item"
    __id_prefix__ = "citm"
    __table_args__ = (
        ForeignKeyConstraint(["claim_order_id"], ["claim_order.id"], name="FK_900a9c3834257304396b2b0fe7c"),
        ForeignKeyConstraint(["item_id"], ["line_item.id"], name="FK_6e0cad0daef76bb642675910b9d"),
        ForeignKeyConstraint(["variant_id"], ["product_variant.id"], name="FK_64980511ca32c8e92b417644afa"),
        PrimaryKeyConstraint("id", name="PK_5679662039bc4c7c6bc7fa1be2d"),
        Index("IDX_64980511ca32c8e92b417644af", "variant_id"),
        Index("IDX_6e0cad0daef76bb642675910b9", "item_id"),
        Index("IDX_900a9c3834257304396b2b0fe7", "claim_order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    claim_order_id: Mapped[str] = mapped_column(String, nullable=False)
    item_id: Mapped[str] = mapped_column(String, nullable=False)
    variant_id: Mapped[str] = mapped_column(String, nullable=False)
    reason: Mapped[str] = mapped_column(
        Enum(*enum_values(ClaimItemReasonEnum), name="claim_item_reason_enum"), nullable=False
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    note: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class ReturnItem(Base):
    __tablename__ = "return_item"
    __table_args__ = (
        ForeignKeyConstraint(["item_id"], ["line_item.id"], name="FK_87774591f44564effd8039d7162"),
        ForeignKeyConstraint(["reason_id"], ["return_reason.id"], name="FK_d742532378a65022e7ceb328828"),
        ForeignKeyConstraint(["return_id"], ["return.id"], name="FK_7edab75b4fc88ea6d4f2574f087"),
        PrimaryKeyConstraint("return_id", "item_id", name="PK_46409dc1dd5f38509b9000c3069"),
    )

    return_id: Mapped[str] = mapped_column(String, primary_key=True)
    item_id: Mapped[str] = mapped_column(String, primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    is_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    requested_quantity: Mapped[int | None] = mapped_column(Integer)
    received_quantity: Mapped[int | None] = mapped_column(Integer)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    reason_id: Mapped[str | None] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(String)


class ClaimImage(Base):
    __tablename__ = "claim_image"
    __id_prefix__ = "cimg"
    __table_args__ = (
        ForeignKeyConstraint(["claim_item_id"], ["claim_item.id"], name="FK_21cbfedd83d736d86f4c6f4ce56"),
        PrimaryKeyConstraint("id", name="PK_7c49e44bfe8840ca7d917890101"),
        Index("IDX_21cbfedd83d736d86f4c6f4ce5", "claim_item_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    claim_item_id: Mapped[str] = mapped_column(String, nullable=False)
    url: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


t_claim_item_tags = Table(
    "claim_item_tags",
    Base.metadata,
    Column("item_id", String, primary_key=True),
    Column("tag_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["item_id"], ["claim_item.id"], ondelete="CASCADE", name="FK_c2c0f3edf39515bd15432afe6e5"
    ),
    ForeignKeyConstraint(
        ["tag_id"], ["claim_tag.id"], ondelete="CASCADE", name="FK_dc9bbf9fcb9ba458d25d512811b"
    ),
    PrimaryKeyConstraint("item_id", "tag_id", name="PK_54ab8ce0f7e99167068188fbd81"),
    Index("IDX_c2c0f3edf39515bd15432afe6e", "item_id"),
    Index("IDX_dc9bbf9fcb9ba458d25d512811", "tag_id"),
)
