"""Tables of the carts domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
import decimal
from typing import Any

from sqlalchemy import (
    REAL,
    Boolean,
    CheckConstraint,
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
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.enums import CartTypeEnum, PaymentSessionStatusEnum, enum_values
from mercato.db.types import JSONB, ExactNumeric


class Cart(Base):
    __tablename__ = "cart"
    __id_prefix__ = "cart"
    __table_args__ = (
        ForeignKeyConstraint(["billing_address_id"], ["address.id"], name="FK_6b9c66b5e36f7c827dfaa092f94"),
        ForeignKeyConstraint(["customer_id"], ["customer.id"], name="FK_242205c81c1152fab1b6e848470"),
        ForeignKeyConstraint(["payment_id"], ["payment.id"], name="FK_9d1a161434c610aae7c3df2dc7e"),
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_484c329f4783be4e18e5e2ff090"),
        ForeignKeyConstraint(
            ["sales_channel_id"], ["sales_channel.id"], name="FK_a2bd3c26f42e754b9249ba78fd6"
        ),
        ForeignKeyConstraint(["shipping_address_id"], ["address.id"], name="FK_ced15a9a695d2b5db9dabce763d"),
        PrimaryKeyConstraint("id", name="PK_c524ec48751b9b5bcfbf6e59be7"),
        UniqueConstraint("payment_id", name="REL_9d1a161434c610aae7c3df2dc7"),
        Index("IDX_242205c81c1152fab1b6e84847", "customer_id"),
        Index("IDX_484c329f4783be4e18e5e2ff09", "region_id"),
        Index("IDX_6b9c66b5e36f7c827dfaa092f9", "billing_address_id"),
        Index("IDX_9d1a161434c610aae7c3df2dc7", "payment_id"),
        Index("IDX_ced15a9a695d2b5db9dabce763", "shipping_address_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(CartTypeEnum), name="cart_type_enum"),
        nullable=False,
        server_default=text("'default'"),
    )
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    email: Mapped[str | None] = mapped_column(String)
    billing_address_id: Mapped[str | None] = mapped_column(String)
    shipping_address_id: Mapped[str | None] = mapped_column(String)
    customer_id: Mapped[str | None] = mapped_column(String)
    payment_id: Mapped[str | None] = mapped_column(String)
    completed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    context: Mapped[Any | None] = mapped_column(JSONB)
    payment_authorized_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    sales_channel_id: Mapped[str | None] = mapped_column(String)


class PaymentSession(Base):
    __tablename__ = "payment_session"
    __id_prefix__ = "ps"
    __table_args__ = (
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_d25ba0787e1510ddc5d442ebcfa"),
        PrimaryKeyConstraint("id", name="PK_a1a91b20f7f3b1e5afb5485cbcd"),
        UniqueConstraint("cart_id", "is_selected", name="OneSelected"),
        Index("IDX_d18ad72f2fb7c87f075825b6f8", "provider_id"),
        Index("IDX_d25ba0787e1510ddc5d442ebcf", "cart_id"),
        Index(
            "UniqPaymentSessionCartIdProviderId",
            "cart_id",
            "provider_id",
            postgresql_where=text("(cart_id IS NOT NULL)"),
            sqlite_where=text("(cart_id IS NOT NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    provider_id: Mapped[str] = mapped_column(String, nullable=False)
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(PaymentSessionStatusEnum), name="payment_session_status_enum"), nullable=False
    )
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    is_initiated: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    cart_id: Mapped[str | None] = mapped_column(String)
    is_selected: Mapped[bool | None] = mapped_column(Boolean)
    idempotency_key: Mapped[str | None] = mapped_column(String)
    payment_authorized_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    amount: Mapped[int | None] = mapped_column(Integer)


t_cart_discounts = Table(
    "cart_discounts",
    Base.metadata,
    Column("cart_id", String, primary_key=True),
    Column("discount_id", String, primary_key=True),
    ForeignKeyConstraint(["cart_id"], ["cart.id"], ondelete="CASCADE", name="FK_6680319ebe1f46d18f106191d59"),
    ForeignKeyConstraint(
        ["discount_id"], ["discount.id"], ondelete="CASCADE", name="FK_8df75ef4f35f217768dc1135458"
    ),
    PrimaryKeyConstraint("cart_id", "discount_id", name="PK_10bd412c9071ccc0cf555afd9bb"),
    Index("IDX_6680319ebe1f46d18f106191d5", "cart_id"),
    Index("IDX_8df75ef4f35f217768dc113545", "discount_id"),
)


t_cart_gift_cards = Table(
    "cart_gift_cards",
    Base.metadata,
    Column("cart_id", String, primary_key=True),
    Column("gift_card_id", String, primary_key=True),
    ForeignKeyConstraint(["cart_id"], ["cart.id"], ondelete="CASCADE", name="FK_d38047a90f3d42f0be7909e8aea"),
    ForeignKeyConstraint(
        ["gift_card_id"], ["gift_card.id"], ondelete="CASCADE", name="FK_0fb38b6d167793192bc126d835e"
    ),
    PrimaryKeyConstraint("cart_id", "gift_card_id", name="PK_2389be82bf0ef3635e2014c9ef1"),
    Index("IDX_0fb38b6d167793192bc126d835", "gift_card_id"),
    Index("IDX_d38047a90f3d42f0be7909e8ae", "cart_id"),
)


class CustomShippingOption(Base):
    __tablename__ = "custom_shipping_option"
    __id_prefix__ = "cso"
    __table_args__ = (
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_93caeb1bb70d37c1d36d6701a7a"),
        ForeignKeyConstraint(
            ["shipping_option_id"], ["shipping_option.id"], name="FK_44090cb11b06174cbcc667e91ca"
        ),
        PrimaryKeyConstraint("id", name="PK_8dfcb5c1172c29eec4a728420cc"),
        UniqueConstraint("shipping_option_id", "cart_id", name="UQ_0f838b122a9a01d921aa1cdb669"),
        Index("IDX_44090cb11b06174cbcc667e91c", "shipping_option_id"),
        Index("IDX_93caeb1bb70d37c1d36d6701a7", "cart_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    price: Mapped[int] = mapped_column(Integer, nullable=False)
    shipping_option_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    cart_id: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class ShippingMethod(Base):
    __tablename__ = "shipping_method"
    __id_prefix__ = "sm"
    __table_args__ = (
        CheckConstraint(
            "claim_order_id IS NOT NULL OR order_id IS NOT NULL OR cart_id IS NOT NULL OR swap_id IS NOT NULL OR return_id IS NOT NULL",
            name="CHK_a7020b08665bbd64d84a6641cf",
        ),
        CheckConstraint("price >= 0", name="CHK_64c6812fe7815be30d688df513"),
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_d92993a7d554d84571f4eea1d13"),
        ForeignKeyConstraint(["claim_order_id"], ["claim_order.id"], name="FK_d783a66d1c91c0858752c933e68"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_5267705a43d547e232535b656c2"),
        ForeignKeyConstraint(["return_id"], ["return.id"], name="FK_1d9ad62038998c3a85c77a53cfb"),
        ForeignKeyConstraint(
            ["shipping_option_id"], ["shipping_option.id"], name="FK_fc963e94854bff2714ca84cd193"
        ),
        ForeignKeyConstraint(["swap_id"], ["swap.id"], name="FK_fb94fa8d5ca940daa2a58139f86"),
        PrimaryKeyConstraint("id", name="PK_b9b0adfad3c6b99229c1e7d4865"),
        UniqueConstraint("return_id", name="REL_1d9ad62038998c3a85c77a53cf"),
        Index("IDX_1d9ad62038998c3a85c77a53cf", "return_id"),
        Index("IDX_5267705a43d547e232535b656c", "order_id"),
        Index("IDX_d783a66d1c91c0858752c933e6", "claim_order_id"),
        Index("IDX_d92993a7d554d84571f4eea1d1", "cart_id"),
        Index("IDX_fb94fa8d5ca940daa2a58139f8", "swap_id"),
        Index("IDX_fc963e94854bff2714ca84cd19", "shipping_option_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    shipping_option_id: Mapped[str] = mapped_column(String, nullable=False)
    price: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    order_id: Mapped[str | None] = mapped_column(String)
    cart_id: Mapped[str | None] = mapped_column(String)
    swap_id: Mapped[str | None] = mapped_column(String)
    return_id: Mapped[str | None] = mapped_column(String)
    claim_order_id: Mapped[str | None] = mapped_column(String)


class LineItem(Base):
    __tablename__ = "line_item"
    __id_prefix__ = "item"
    __table_args__ = (
        CheckConstraint("fulfilled_quantity <= quantity", name="CHK_c61716c68f5ad5de2834c827d3"),
        CheckConstraint("quantity > 0", name="CHK_64eef00a5064887634f1680866"),
        CheckConstraint("returned_quantity <= quantity", name="CHK_91f40396d847f6ecfd9f752bf8"),
        CheckConstraint("shipped_quantity <= fulfilled_quantity", name="CHK_0cd85e15610d11b553d5e8fda6"),
        ForeignKeyConstraint(["cart_id"], ["cart.id"], name="FK_27283ee631862266d0f1c680646"),
        ForeignKeyConstraint(["claim_order_id"], ["claim_order.id"], name="FK_118e3c48f09a7728f41023c94ef"),
        ForeignKeyConstraint(["order_edit_id"], ["order_edit.id"], name="line_item_order_edit_fk"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_43a2b24495fe1d9fc2a9c835bc7"),
        ForeignKeyConstraint(["original_item_id"], ["line_item.id"], name="line_item_original_item_fk"),
        ForeignKeyConstraint(["swap_id"], ["swap.id"], name="FK_3fa354d8d1233ff81097b2fcb6b"),
        ForeignKeyConstraint(["variant_id"], ["product_variant.id"], name="FK_5371cbaa3be5200f373d24e3d5b"),
        PrimaryKeyConstraint("id", name="PK_cce6b13e67fa506d1d9618ac68b"),
        Index("IDX_118e3c48f09a7728f41023c94e", "claim_order_id"),
        Index("IDX_27283ee631862266d0f1c68064", "cart_id"),
        Index("IDX_3fa354d8d1233ff81097b2fcb6", "swap_id"),
        Index("IDX_43a2b24495fe1d9fc2a9c835bc", "order_id"),
        Index("IDX_5371cbaa3be5200f373d24e3d5", "variant_id"),
        Index(
            "unique_li_original_item_id_order_edit_id",
            "order_edit_id",
            "original_item_id",
            postgresql_where=text("((original_item_id IS NOT NULL) AND (order_edit_id IS NOT NULL))"),
            sqlite_where=text("((original_item_id IS NOT NULL) AND (order_edit_id IS NOT NULL))"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String, nullable=False)
    is_giftcard: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    should_merge: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    allow_discounts: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    unit_price: Mapped[int] = mapped_column(Integer, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    is_return: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    cart_id: Mapped[str | None] = mapped_column(String)
    order_id: Mapped[str | None] = mapped_column(String)
    swap_id: Mapped[str | None] = mapped_column(String)
    description: Mapped[str | None] = mapped_column(String)
    thumbnail: Mapped[str | None] = mapped_column(String)
    has_shipping: Mapped[bool | None] = mapped_column(Boolean)
    variant_id: Mapped[str | None] = mapped_column(String)
    fulfilled_quantity: Mapped[int | None] = mapped_column(Integer)
    returned_quantity: Mapped[int | None] = mapped_column(Integer)
    shipped_quantity: Mapped[int | None] = mapped_column(Integer)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    claim_order_id: Mapped[str | None] = mapped_column(String)
    original_item_id: Mapped[str | None] = mapped_column(String)
    order_edit_id: Mapped[str | None] = mapped_column(String)


class ShippingMethodTaxLine(Base):
    __tablename__ = "shipping_method_tax_line"
    __id_prefix__ = "smtl"
    __table_args__ = (
        ForeignKeyConstraint(
            ["shipping_method_id"], ["shipping_method.id"], name="FK_926ca9f29014af8091722dede08"
        ),
        PrimaryKeyConstraint("id", name="PK_54c94f5908aacbd51cf0a73edb1"),
        UniqueConstraint("shipping_method_id", "code", name="UQ_cd147fca71e50bc954139fa3104"),
        Index("IDX_926ca9f29014af8091722dede0", "shipping_method_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    rate: Mapped[float] = mapped_column(REAL, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    shipping_method_id: Mapped[str] = mapped_column(String, nullable=False)
    code: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class LineItemAdjustment(Base):
    __tablename__ = "line_item_adjustment"
    __id_prefix__ = "lia"
    __table_args__ = (
        ForeignKeyConstraint(["discount_id"], ["discount.id"], name="FK_2f41b20a71f30e60471d7e3769c"),
        ForeignKeyConstraint(
            ["item_id"], ["line_item.id"], ondelete="CASCADE", name="FK_be9aea2ccf3567007b6227da4d2"
        ),
        PrimaryKeyConstraint("id", name="PK_2b1360103753df2dc8257c2c8c3"),
        Index("IDX_2f41b20a71f30e60471d7e3769", "discount_id"),
        Index("IDX_be9aea2ccf3567007b6227da4d", "item_id"),
        Index(
            "IDX_bf701b88d2041392a288785ada",
            "discount_id",
            "item_id",
            postgresql_where=text("(discount_id IS NOT NULL)"),
            sqlite_where=text("(discount_id IS NOT NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    item_id: Mapped[str] = mapped_column(String, nullable=False)
    description: Mapped[str] = mapped_column(String, nullable=False)
    amount: Mapped[decimal.Decimal] = mapped_column(ExactNumeric, nullable=False)
    discount_id: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class LineItemTaxLine(Base):
    __tablename__ = "line_item_tax_line"
    __id_prefix__ = "litl"
    __table_args__ = (
        ForeignKeyConstraint(
            ["item_id"], ["line_item.id"], ondelete="CASCADE", name="FK_5077fa54b0d037e984385dfe8ad"
        ),
        PrimaryKeyConstraint("id", name="PK_4a0f4322fcd5ce4af85727f89a8"),
        UniqueConstraint("item_id", "code", name="UQ_3c2af51043ed7243e7d9775a2ad"),
        Index("IDX_5077fa54b0d037e984385dfe8a", "item_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    rate: Mapped[float] = mapped_column(REAL, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    item_id: Mapped[str] = mapped_column(String, nullable=False)
    code: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


# ---- read-only relations (Medusa's names), loaded with selectinload ---------------------------
# Writes go through FK columns and join rows; these only feed responses and totals.

Cart.items = relationship(  # type: ignore[attr-defined]
    LineItem,
    primaryjoin=lambda: Cart.id == foreign(LineItem.cart_id),
    order_by=lambda: (LineItem.created_at, LineItem.id),
    lazy="raise",
    viewonly=True,
)
Cart.shipping_methods = relationship(  # type: ignore[attr-defined]
    ShippingMethod,
    primaryjoin=lambda: Cart.id == foreign(ShippingMethod.cart_id),
    order_by=lambda: ShippingMethod.id,
    lazy="raise",
    viewonly=True,
)
Cart.payment_sessions = relationship(  # type: ignore[attr-defined]
    PaymentSession,
    primaryjoin=lambda: Cart.id == foreign(PaymentSession.cart_id),
    order_by=lambda: PaymentSession.id,
    lazy="raise",
    viewonly=True,
)
Cart.region = relationship(  # type: ignore[attr-defined]
    "Region", primaryjoin="foreign(Cart.region_id) == Region.id", lazy="raise", viewonly=True
)
Cart.customer = relationship(  # type: ignore[attr-defined]
    "Customer", primaryjoin="foreign(Cart.customer_id) == Customer.id", lazy="raise", viewonly=True
)
Cart.sales_channel = relationship(  # type: ignore[attr-defined]
    "SalesChannel",
    # TypeORM leaves a soft-deleted channel out of the relation (the answer says null)
    primaryjoin="and_(foreign(Cart.sales_channel_id) == SalesChannel.id, SalesChannel.deleted_at.is_(None))",
    lazy="raise",
    viewonly=True,
)
Cart.payment = relationship(  # type: ignore[attr-defined]
    "Payment", primaryjoin="foreign(Cart.payment_id) == Payment.id", lazy="raise", viewonly=True
)
Cart.shipping_address = relationship(  # type: ignore[attr-defined]
    "Address", primaryjoin="foreign(Cart.shipping_address_id) == Address.id", lazy="raise", viewonly=True
)
Cart.billing_address = relationship(  # type: ignore[attr-defined]
    "Address", primaryjoin="foreign(Cart.billing_address_id) == Address.id", lazy="raise", viewonly=True
)
Cart.discounts = relationship(  # type: ignore[attr-defined]
    "Discount",
    secondary=t_cart_discounts,
    primaryjoin=lambda: Cart.id == t_cart_discounts.c.cart_id,
    secondaryjoin="Discount.id == cart_discounts.c.discount_id",
    order_by="Discount.id",
    lazy="raise",
    viewonly=True,
)
Cart.gift_cards = relationship(  # type: ignore[attr-defined]
    "GiftCard",
    secondary=t_cart_gift_cards,
    primaryjoin=lambda: Cart.id == t_cart_gift_cards.c.cart_id,
    secondaryjoin="GiftCard.id == cart_gift_cards.c.gift_card_id",
    order_by="GiftCard.id",
    lazy="raise",
    viewonly=True,
)
LineItem.variant = relationship(  # type: ignore[attr-defined]
    "ProductVariant",
    primaryjoin="foreign(LineItem.variant_id) == ProductVariant.id",
    lazy="raise",
    viewonly=True,
)
LineItem.adjustments = relationship(  # type: ignore[attr-defined]
    LineItemAdjustment,
    primaryjoin=lambda: LineItem.id == foreign(LineItemAdjustment.item_id),
    order_by=lambda: LineItemAdjustment.id,
    lazy="raise",
    viewonly=True,
)
LineItem.tax_lines = relationship(  # type: ignore[attr-defined]
    LineItemTaxLine,
    primaryjoin=lambda: LineItem.id == foreign(LineItemTaxLine.item_id),
    order_by=lambda: LineItemTaxLine.id,
    lazy="raise",
    viewonly=True,
)
ShippingMethod.shipping_option = relationship(  # type: ignore[attr-defined]
    "ShippingOption",
    primaryjoin="foreign(ShippingMethod.shipping_option_id) == ShippingOption.id",
    lazy="raise",
    viewonly=True,
)
ShippingMethod.tax_lines = relationship(  # type: ignore[attr-defined]
    ShippingMethodTaxLine,
    primaryjoin=lambda: ShippingMethod.id == foreign(ShippingMethodTaxLine.shipping_method_id),
    order_by=lambda: ShippingMethodTaxLine.id,
    lazy="raise",
    viewonly=True,
)
