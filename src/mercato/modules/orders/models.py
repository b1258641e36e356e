"""Tables of the orders domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
from typing import Any

from sqlalchemy import (
    REAL,
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
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.enums import (
    DraftOrderStatusEnum,
    OrderFulfillmentStatusEnum,
    OrderItemChangeTypeEnum,
    OrderPaymentStatusEnum,
    OrderStatusEnum,
    PaymentCollectionStatusEnum,
    PaymentCollectionTypeEnum,
    RefundReasonEnum,
    enum_values,
)
from mercato.db.types import JSONB


class DraftOrder(Base):
    __tablename__ = "draft_order"
    __id_prefix__ = "dorder"
    __table_args__ = (
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_5bd11d0e2a9628128e2c26fd0a6"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_8f6dd6c49202f1466ebf21e77da"),
        PrimaryKeyConstraint("id", name="PK_f478946c183d98f8d88a94cfcd7"),
        UniqueConstraint("cart_id", name="REL_5bd11d0e2a9628128e2c26fd0a"),
        UniqueConstraint("order_id", name="REL_8f6dd6c49202f1466ebf21e77d"),
        Index("IDX_5bd11d0e2a9628128e2c26fd0a", "cart_id"),
        Index("IDX_8f6dd6c49202f1466ebf21e77d", "order_id"),
        Index("IDX_e87cc617a22ef4edce5601edab", "display_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(DraftOrderStatusEnum), name="draft_order_status_enum"),
        nullable=False,
        server_default=text("'open'"),
    )
    display_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    cart_id: Mapped[str | None] = mapped_column(String)
    order_id: Mapped[str | None] = mapped_column(String)
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    completed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    no_notification_order: Mapped[bool | None] = mapped_column(Boolean)


class Order(Base):
    __tablename__ = "order"
    __id_prefix__ = "order"
    __table_args__ = (
        ForeignKeyConstraint(["billing_address_id"], ["address.id"], name="FK_5568d3b9ce9f7abeeb37511ecf2"),
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_c99a206eb11ad45f6b7f04f2dcc"),
        ForeignKeyConstraint(["currency_code"], ["currency.code"], name="FK_717a141f96b76d794d409f38129"),
        ForeignKeyConstraint(["customer_id"], ["customer.id"], name="FK_cd7812c96209c5bdd48a6b858b0"),
        ForeignKeyConstraint(["draft_order_id"], ["draft_order.id"], name="FK_727b872f86c7378474a8fa46147"),
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_e1fcce2b18dbcdbe0a5ba9a68b8"),
        ForeignKeyConstraint(
            ["sales_channel_id"], ["sales_channel.id"], name="FK_6ff7e874f01b478c115fdd462eb"
        ),
        ForeignKeyConstraint(["shipping_address_id"], ["address.id"], name="FK_19b0c6293443d1b464f604c3316"),
        PrimaryKeyConstraint("id", name="PK_1031171c13130102495201e3e20"),
        UniqueConstraint("cart_id", name="REL_c99a206eb11ad45f6b7f04f2dc"),
        UniqueConstraint("draft_order_id", name="UQ_727b872f86c7378474a8fa46147"),
        Index("IDX_19b0c6293443d1b464f604c331", "shipping_address_id"),
        Index("IDX_5568d3b9ce9f7abeeb37511ecf", "billing_address_id"),
        Index("IDX_579e01fb94f4f58db480857e05", "display_id"),
        Index("IDX_c99a206eb11ad45f6b7f04f2dc", "cart_id"),
        Index("IDX_cd7812c96209c5bdd48a6b858b", "customer_id"),
        Index("IDX_e1fcce2b18dbcdbe0a5ba9a68b", "region_id"),
        Index("IDX_order_currency_code", "currency_code"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(OrderStatusEnum), name="order_status_enum"),
        nullable=False,
        server_default=text("'pending'"),
    )
    fulfillment_status: Mapped[str] = mapped_column(
        Enum(*enum_values(OrderFulfillmentStatusEnum), name="order_fulfillment_status_enum"),
        nullable=False,
        server_default=text("'not_fulfilled'"),
    )
    payment_status: Mapped[str] = mapped_column(
        Enum(*enum_values(OrderPaymentStatusEnum), name="order_payment_status_enum"),
        nullable=False,
        server_default=text("'not_paid'"),
    )
    display_id: Mapped[int] = mapped_column(Integer, nullable=False)
    customer_id: Mapped[str] = mapped_column(String, nullable=False)
    email: Mapped[str] = mapped_column(String, nullable=False)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    currency_code: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    cart_id: Mapped[str | None] = mapped_column(String)
    billing_address_id: Mapped[str | None] = mapped_column(String)
    shipping_address_id: Mapped[str | None] = mapped_column(String)
    tax_rate: Mapped[float | None] = mapped_column(REAL)
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    draft_order_id: Mapped[str | None] = mapped_column(String)
    no_notification: Mapped[bool | None] = mapped_column(Boolean)
    external_id: Mapped[str | None] = mapped_column(String)
    sales_channel_id: Mapped[str | None] = mapped_column(String)


class Payment(Base):
    __tablename__ = "payment"
    __id_prefix__ = "pay"
    __table_args__ = (
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_4665f17abc1e81dd58330e58542"),
        ForeignKeyConstraint(["currency_code"], ["currency.code"], name="FK_f41553459a4b1491c9893ebc921"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_f5221735ace059250daac9d9803"),
        ForeignKeyConstraint(["swap_id"], ["swap.id"], name="FK_c17aff091441b7c25ec3d68d36c"),
        PrimaryKeyConstraint("id", name="PK_fcaec7df5adf9cac408c686b2ab"),
        UniqueConstraint("swap_id", name="REL_c17aff091441b7c25ec3d68d36"),
        Index("IDX_4665f17abc1e81dd58330e5854", "cart_id"),
        Index(
            "IDX_aac4855eadda71aa1e4b6d7684",
            "cart_id",
            postgresql_where=text("(canceled_at IS NOT NULL)"),
            sqlite_where=text("(canceled_at IS NOT NULL)"),
        ),
        Index("IDX_c17aff091441b7c25ec3d68d36", "swap_id"),
        Index("IDX_ea94f42b6c88e9191c3649d752", "provider_id"),
        Index("IDX_f5221735ace059250daac9d980", "order_id"),
        Index("IDX_payment_currency_code", "currency_code"),
        Index(
            "UniquePaymentActive",
            "cart_id",
            postgresql_where=text("(canceled_at IS NULL)"),
            sqlite_where=text("(canceled_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    currency_code: Mapped[str] = mapped_column(String, nullable=False)
    amount_refunded: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    provider_id: Mapped[str] = mapped_column(String, nullable=False)
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    swap_id: Mapped[str | None] = mapped_column(String)
    cart_id: Mapped[str | None] = mapped_column(String)
    order_id: Mapped[str | None] = mapped_column(String)
    captured_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)


class Refund(Base):
    __tablename__ = "refund"
    __id_prefix__ = "ref"
    __table_args__ = (
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_eec9d9af4ca098e19ea6b499eaa"),
        ForeignKeyConstraint(["payment_id"], ["payment.id"], name="FK_refund_payment_id"),
        PrimaryKeyConstraint("id", name="PK_f1cefa2e60d99b206c46c1116e5"),
        Index("IDX_eec9d9af4ca098e19ea6b499ea", "order_id"),
        Index("IDX_refund_payment_id", "payment_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(
        Enum(*enum_values(RefundReasonEnum), name="refund_reason_enum"), nullable=False
    )
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    order_id: Mapped[str | None] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    payment_id: Mapped[str | None] = mapped_column(String)


class Fulfillment(Base):
    __tablename__ = "fulfillment"
    __id_prefix__ = "ful"
    __table_args__ = (
        ForeignKeyConstraint(["claim_order_id"], ["claim_order.id"], name="FK_d73e55964e0ff2db8f03807d52e"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_f129acc85e346a10eed12b86fca"),
        ForeignKeyConstraint(
            ["provider_id"], ["fulfillment_provider.id"], name="FK_beb35a6de60a6c4f91d5ae57e44"
        ),
        ForeignKeyConstraint(["swap_id"], ["swap.id"], name="FK_a52e234f729db789cf473297a5c"),
        PrimaryKeyConstraint("id", name="PK_50c102da132afffae660585981f"),
        Index("IDX_a52e234f729db789cf473297a5", "swap_id"),
        Index("IDX_beb35a6de60a6c4f91d5ae57e4", "provider_id"),
        Index("IDX_d73e55964e0ff2db8f03807d52", "claim_order_id"),
        Index("IDX_f129acc85e346a10eed12b86fc", "order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    tracking_numbers: Mapped[Any] = mapped_column(JSONB, nullable=False, server_default=text("'[]'"))
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    swap_id: Mapped[str | None] = mapped_column(String)
    order_id: Mapped[str | None] = mapped_column(String)
    shipped_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    provider_id: Mapped[str | None] = mapped_column(String)
    claim_order_id: Mapped[str | None] = mapped_column(String)
    no_notification: Mapped[bool | None] = mapped_column(Boolean)
    location_id: Mapped[str | None] = mapped_column(String)


t_order_discounts = Table(
    "order_discounts",
    Base.metadata,
    Column("order_id", String, primary_key=True),
    Column("discount_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["discount_id"], ["discount.id"], ondelete="CASCADE", name="FK_0fc1ec4e3db9001ad60c19daf16"
    ),
    ForeignKeyConstraint(
        ["order_id"], ["order.id"], ondelete="CASCADE", name="FK_e7b488cebe333f449398769b2cc"
    ),
    PrimaryKeyConstraint("order_id", "discount_id", name="PK_a7418714ffceebc125bf6d8fcfe"),
    Index("IDX_0fc1ec4e3db9001ad60c19daf1", "discount_id"),
    Index("IDX_e7b488cebe333f449398769b2c", "order_id"),
)


class PaymentCollection(Base):
    __tablename__ = "payment_collection"
    __id_prefix__ = "paycol"
    __table_args__ = (
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_payment_collection_region_id"),
        PrimaryKeyConstraint("id", name="PK_payment_collection_id"),
        Index(
            "IDX_payment_collection_currency_code",
            "currency_code",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
        Index(
            "IDX_payment_collection_region_id",
            "region_id",
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
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(PaymentCollectionTypeEnum), name="PAYMENT_COLLECTION_TYPE_ENUM"), nullable=False
    )
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(PaymentCollectionStatusEnum), name="PAYMENT_COLLECTION_STATUS_ENUM"), nullable=False
    )
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    currency_code: Mapped[str] = mapped_column(String, nullable=False)
    created_by: Mapped[str] = mapped_column(String, nullable=False)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    description: Mapped[str | None] = mapped_column(Text)
    authorized_amount: Mapped[int | None] = mapped_column(Integer)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class OrderEdit(Base):
    __tablename__ = "order_edit"
    __id_prefix__ = "oe"
    __table_args__ = (
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_1f3a251488a91510f57e1bf93cd"),
        ForeignKeyConstraint(
            ["payment_collection_id"], ["payment_collection.id"], name="FK_order_edit_payment_collection_id"
        ),
        PrimaryKeyConstraint("id", name="PK_58ab6acf2e84b4e827f5f846f7a"),
        Index("IDX_order_edit_order_id", "order_id"),
        Index("IDX_order_edit_payment_collection_id", "payment_collection_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    order_id: Mapped[str] = mapped_column(String, nullable=False)
    created_by: Mapped[str] = mapped_column(String, nullable=False)
    internal_note: Mapped[str | None] = mapped_column(String)
    requested_by: Mapped[str | None] = mapped_column(String)
    requested_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    confirmed_by: Mapped[str | None] = mapped_column(String)
    confirmed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    declined_by: Mapped[str | None] = mapped_column(String)
    declined_reason: Mapped[str | None] = mapped_column(String)
    declined_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    canceled_by: Mapped[str | None] = mapped_column(String)
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    payment_collection_id: Mapped[str | None] = mapped_column(String)


t_order_gift_cards = Table(
    "order_gift_cards",
    Base.metadata,
    Column("order_id", String, primary_key=True),
    Column("gift_card_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["gift_card_id"], ["gift_card.id"], ondelete="CASCADE", name="FK_f2bb9f71e95b315eb24b2b84cb3"
    ),
    ForeignKeyConstraint(
        ["order_id"], ["order.id"], ondelete="CASCADE", name="FK_e62ff11e4730bb3adfead979ee2"
    ),
    PrimaryKeyConstraint("order_id", "gift_card_id", name="PK_49a8ec66a6625d7c2e3526e05b4"),
    Index("IDX_e62ff11e4730bb3adfead979ee", "order_id"),
    Index("IDX_f2bb9f71e95b315eb24b2b84cb", "gift_card_id"),
)


t_payment_collection_payments = Table(
    "payment_collection_payments",
    Base.metadata,
    Column("payment_collection_id", String, primary_key=True),
    Column("payment_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["payment_collection_id"],
        ["payment_collection.id"],
        ondelete="CASCADE",
        name="FK_payment_collection_payments_payment_collection_id",
    ),
    ForeignKeyConstraint(
        ["payment_id"], ["payment.id"], ondelete="CASCADE", name="FK_payment_collection_payments_payment_id"
    ),
    PrimaryKeyConstraint("payment_collection_id", "payment_id", name="PK_payment_collection_payments"),
    Index("IDX_payment_collection_payments_payment_collection_id", "payment_collection_id"),
    Index("IDX_payment_collection_payments_payment_id", "payment_id"),
)


t_payment_collection_sessions = Table(
    "payment_collection_sessions",
    Base.metadata,
    Column("payment_collection_id", String, primary_key=True),
    Column("payment_session_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["payment_collection_id"],
        ["payment_collection.id"],
        ondelete="CASCADE",
        name="FK_payment_collection_sessions_payment_collection_id",
    ),
    ForeignKeyConstraint(
        ["payment_session_id"],
        ["payment_session.id"],
        ondelete="CASCADE",
        name="FK_payment_collection_sessions_payment_session_id",
    ),
    PrimaryKeyConstraint(
        "payment_collection_id", "payment_session_id", name="PK_payment_collection_sessions"
    ),
    Index("IDX_payment_collection_sessions_payment_collection_id", "payment_collection_id"),
    Index("IDX_payment_collection_sessions_payment_session_id", "payment_session_id"),
)


class TrackingLink(Base):
    __tablename__ = "tracking_link"
    __id_prefix__ = "tlink"
    __table_args__ = (
        ForeignKeyConstraint(["fulfillment_id"], ["fulfillment.id"], name="FK_471e9e4c96e02ba209a307db32b"),
        PrimaryKeyConstraint("id", name="PK_fcfd77feb9012ec2126d7c0bfb6"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String, nullable=False)
    fulfillment_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    url: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)


class FulfillmentItem(Base):
    __tablename__ = "fulfillment_item"
    __table_args__ = (
        ForeignKeyConstraint(["fulfillment_id"], ["fulfillment.id"], name="FK_a033f83cc6bd7701a5687ab4b38"),
        ForeignKeyConstraint(["item_id"], ["line_item.id"], name="FK_e13ff60e74206b747a1896212d1"),
        PrimaryKeyConstraint("fulfillment_id", "item_id", name="PK_bc3e8a388de75db146a249922e0"),
    )

    fulfillment_id: Mapped[str] = mapped_column(String, primary_key=True)
    item_id: Mapped[str] = mapped_column(String, primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)


class OrderItemChange(Base):
    __tablename__ = "order_item_change"
    __id_prefix__ = "oic"
    __table_args__ = (
        ForeignKeyConstraint(["line_item_id"], ["line_item.id"], name="FK_5f9688929761f7df108b630e64a"),
        ForeignKeyConstraint(["order_edit_id"], ["order_edit.id"], name="FK_44feeebb258bf4cfa4cc4202281"),
        ForeignKeyConstraint(
            ["original_line_item_id"], ["line_item.id"], name="FK_b4d53b8d03c9f5e7d4317e818d9"
        ),
        PrimaryKeyConstraint("id", name="PK_d6eb138f77ffdee83567b85af0c"),
        UniqueConstraint("line_item_id", name="REL_5f9688929761f7df108b630e64"),
        UniqueConstraint("order_edit_id", "line_item_id", name="UQ_da93cee3ca0dd50a5246268c2e9"),
        UniqueConstraint("order_edit_id", "original_line_item_id", name="UQ_5b7a99181e4db2ea821be0b6196"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(OrderItemChangeTypeEnum), name="order_item_change_type_enum"), nullable=False
    )
    order_edit_id: Mapped[str] = mapped_column(String, nullable=False)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    original_line_item_id: Mapped[str | None] = mapped_column(String)
    line_item_id: Mapped[str | None] = mapped_column(String)


# ---- read-only relations (Medusa's names), loaded with selectinload ---------------------------
# Writes go through FK columns and join rows; these only feed responses and totals.

from sqlalchemy.orm import foreign, relationship  # noqa: E402

from mercato.modules.carts.models import LineItem, ShippingMethod  # noqa: E402

Order.items = relationship(  # type: ignore[attr-defined]
    LineItem,
    primaryjoin=lambda: Order.id == foreign(LineItem.order_id),
    order_by=lambda: (LineItem.created_at, LineItem.id),
    lazy="raise",
    viewonly=True,
)
Order.shipping_methods = relationship(  # type: ignore[attr-defined]
    ShippingMethod,
    primaryjoin=lambda: Order.id == foreign(ShippingMethod.order_id),
    order_by=lambda: ShippingMethod.id,
    lazy="raise",
    viewonly=True,
)
Order.payments = relationship(  # type: ignore[attr-defined]
    Payment,
    primaryjoin=lambda: Order.id == foreign(Payment.order_id),
    order_by=lambda: (Payment.created_at, Payment.id),
    lazy="raise",
    viewonly=True,
)
Order.refunds = relationship(  # type: ignore[attr-defined]
    Refund,
    primaryjoin=lambda: Order.id == foreign(Refund.order_id),
    order_by=lambda: (Refund.created_at, Refund.id),
    lazy="raise",
    viewonly=True,
)
Order.fulfillments = relationship(  # type: ignore[attr-defined]
    Fulfillment,
    primaryjoin=lambda: Order.id == foreign(Fulfillment.order_id),
    order_by=lambda: (Fulfillment.created_at, Fulfillment.id),
    lazy="raise",
    viewonly=True,
)
Order.region = relationship(  # type: ignore[attr-defined]
    "Region", primaryjoin="foreign(Order.region_id) == Region.id", lazy="raise", viewonly=True
)
Order.currency = relationship(  # type: ignore[attr-defined]
    "Currency", primaryjoin="foreign(Order.currency_code) == Currency.code", lazy="raise", viewonly=True
)
Order.customer = relationship(  # type: ignore[attr-defined]
    "Customer", primaryjoin="foreign(Order.customer_id) == Customer.id", lazy="raise", viewonly=True
)
Order.sales_channel = relationship(  # type: ignore[attr-defined]
    "SalesChannel",
    # TypeORM leaves a soft-deleted channel out of the relation (the answer says null)
    primaryjoin="and_(foreign(Order.sales_channel_id) == SalesChannel.id, SalesChannel.deleted_at.is_(None))",
    lazy="raise",
    viewonly=True,
)
Order.billing_address = relationship(  # type: ignore[attr-defined]
    "Address", primaryjoin="foreign(Order.billing_address_id) == Address.id", lazy="raise", viewonly=True
)
Order.shipping_address = relationship(  # type: ignore[attr-defined]
    "Address", primaryjoin="foreign(Order.shipping_address_id) == Address.id", lazy="raise", viewonly=True
)
Order.cart = relationship(  # type: ignore[attr-defined]
    "Cart", primaryjoin="foreign(Order.cart_id) == Cart.id", lazy="raise", viewonly=True
)
Order.draft_order = relationship(  # type: ignore[attr-defined]
    DraftOrder,
    primaryjoin=lambda: foreign(Order.draft_order_id) == DraftOrder.id,
    lazy="raise",
    viewonly=True,
)
Order.discounts = relationship(  # type: ignore[attr-defined]
    "Discount",
    secondary=t_order_discounts,
    primaryjoin=lambda: Order.id == t_order_discounts.c.order_id,
    secondaryjoin="Discount.id == order_discounts.c.discount_id",
    order_by="Discount.id",
    lazy="raise",
    viewonly=True,
)
Order.gift_cards = relationship(  # type: ignore[attr-defined]
    "GiftCard",
    secondary=t_order_gift_cards,
    primaryjoin=lambda: Order.id == t_order_gift_cards.c.order_id,
    secondaryjoin="GiftCard.id == order_gift_cards.c.gift_card_id",
    order_by="GiftCard.id",
    lazy="raise",
    viewonly=True,
)
Order.gift_card_transactions = relationship(  # type: ignore[attr-defined]
    "GiftCardTransaction",
    primaryjoin="Order.id == foreign(GiftCardTransaction.order_id)",
    order_by="GiftCardTransaction.id",
    lazy="raise",
    viewonly=True,
)
Order.returns = relationship(  # type: ignore[attr-defined]
    "Return",
    primaryjoin="Order.id == foreign(Return.order_id)",
    order_by="Return.id",
    lazy="raise",
    viewonly=True,
)
Order.swaps = relationship(  # type: ignore[attr-defined]
    "Swap", primaryjoin="Order.id == foreign(Swap.order_id)", order_by="Swap.id", lazy="raise", viewonly=True
)
Order.claims = relationship(  # type: ignore[attr-defined]
    "ClaimOrder",
    primaryjoin="Order.id == foreign(ClaimOrder.order_id)",
    order_by="ClaimOrder.id",
    lazy="raise",
    viewonly=True,
)
Order.edits = relationship(  # type: ignore[attr-defined]
    OrderEdit,
    primaryjoin=lambda: Order.id == foreign(OrderEdit.order_id),
    order_by=lambda: OrderEdit.id,
    lazy="raise",
    viewonly=True,
)
Fulfillment.items = relationship(  # type: ignore[attr-defined]
    FulfillmentItem,
    primaryjoin=lambda: Fulfillment.id == foreign(FulfillmentItem.fulfillment_id),
    order_by=lambda: FulfillmentItem.item_id,
    lazy="raise",
    viewonly=True,
)
Fulfillment.tracking_links = relationship(  # type: ignore[attr-defined]
    TrackingLink,
    primaryjoin=lambda: (
        (Fulfillment.id == foreign(TrackingLink.fulfillment_id)) & TrackingLink.deleted_at.is_(None)
    ),
    order_by=lambda: (TrackingLink.created_at, TrackingLink.id),
    lazy="raise",
    viewonly=True,
)
Fulfillment.order = relationship(  # type: ignore[attr-defined]
    Order, primaryjoin=lambda: foreign(Fulfillment.order_id) == Order.id, lazy="raise", viewonly=True
)
Fulfillment.provider = relationship(  # type: ignore[attr-defined]
    "FulfillmentProvider",
    primaryjoin="foreign(Fulfillment.provider_id) == FulfillmentProvider.id",
    lazy="raise",
    viewonly=True,
)
FulfillmentItem.item = relationship(  # type: ignore[attr-defined]
    LineItem, primaryjoin=lambda: foreign(FulfillmentItem.item_id) == LineItem.id, lazy="raise", viewonly=True
)
FulfillmentItem.fulfillment = relationship(  # type: ignore[attr-defined]
    Fulfillment,
    primaryjoin=lambda: foreign(FulfillmentItem.fulfillment_id) == Fulfillment.id,
    lazy="raise",
    viewonly=True,
)
DraftOrder.order = relationship(  # type: ignore[attr-defined]
    Order, primaryjoin=lambda: foreign(DraftOrder.order_id) == Order.id, lazy="raise", viewonly=True
)
DraftOrder.cart = relationship(  # type: ignore[attr-defined]
    "Cart", primaryjoin="foreign(DraftOrder.cart_id) == Cart.id", lazy="raise", viewonly=True
)


# --- payments relationships --- (owned by the PAYMENTS engineer; Medusa's relation names)
def _payments_relationships() -> None:
    from sqlalchemy.orm import relationship

    from mercato.modules.carts.models import Cart, PaymentSession
    from mercato.modules.currencies.models import Currency
    from mercato.modules.regions.models import Region

    Payment.order = relationship(
        Order,
        primaryjoin=Payment.order_id == Order.id,
        foreign_keys=[Payment.order_id],
        lazy="raise",
        viewonly=True,
    )
    Payment.cart = relationship(
        Cart,
        primaryjoin=Payment.cart_id == Cart.id,
        foreign_keys=[Payment.cart_id],
        lazy="raise",
        viewonly=True,
    )
    Payment.currency = relationship(
        Currency,
        primaryjoin=Payment.currency_code == Currency.code,
        foreign_keys=[Payment.currency_code],
        lazy="raise",
        viewonly=True,
    )

    PaymentCollection.region = relationship(
        Region,
        primaryjoin=PaymentCollection.region_id == Region.id,
        foreign_keys=[PaymentCollection.region_id],
        lazy="raise",
        viewonly=True,
    )
    PaymentCollection.payment_sessions = relationship(
        PaymentSession,
        secondary=t_payment_collection_sessions,
        primaryjoin=PaymentCollection.id == t_payment_collection_sessions.c.payment_collection_id,
        secondaryjoin=PaymentSession.id == t_payment_collection_sessions.c.payment_session_id,
        order_by=PaymentSession.created_at,
        lazy="raise",
        viewonly=True,
    )
    PaymentCollection.payments = relationship(
        Payment,
        secondary=t_payment_collection_payments,
        primaryjoin=PaymentCollection.id == t_payment_collection_payments.c.payment_collection_id,
        secondaryjoin=Payment.id == t_payment_collection_payments.c.payment_id,
        order_by=Payment.created_at,
        lazy="raise",
        viewonly=True,
    )


_payments_relationships()
