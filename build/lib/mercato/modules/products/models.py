"""Tables of the products domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

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
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.enums import ProductStatusEnum, enum_values
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.categories.models import ProductCategory
    from mercato.modules.collections.models import ProductCollection
    from mercato.modules.price_lists.models import PriceList
    from mercato.modules.sales_channels.models import SalesChannel
    from mercato.modules.shipping.models import ShippingProfile

# Relationships are read-only views (viewonly, lazy="raise"), loaded with selectinload or rendered
# by products/sqljson.py; writes go through FK columns and join rows. Soft-deleted children are
# never part of a relation, as TypeORM leaves them out of its joins.


class Image(Base):
    __tablename__ = "image"
    __id_prefix__ = "img"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_d6db1ab4ee9ad9dbe86c64e4cc3"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    url: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


t_product_shipping_profile = Table(
    "product_shipping_profile",
    Base.metadata,
    Column("profile_id", Text, nullable=False),
    Column("product_id", Text, nullable=False),
    Index("idx_product_shipping_profile_product_id", "product_id"),
    Index("idx_product_shipping_profile_profile_id", "profile_id"),
    Index(
        "idx_product_shipping_profile_profile_id_product_id_unique", "profile_id", "product_id", unique=True
    ),
)


class ProductTag(Base):
    __tablename__ = "product_tag"
    __id_prefix__ = "ptag"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_1439455c6528caa94fcc8564fda"),)

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


class ProductType(Base):
    __tablename__ = "product_type"
    __id_prefix__ = "ptyp"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_e0843930fbb8854fe36ca39dae1"),)

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


class ProductVariantInventoryItem(Base):
    __tablename__ = "product_variant_inventory_item"
    __id_prefix__ = "pvitem"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_9a1188b8d36f4d198303b4f7efa"),
        UniqueConstraint("variant_id", "inventory_item_id", name="UQ_c9be7c1b11a1a729eb51d1b6bca"),
        Index(
            "IDX_product_variant_inventory_item_inventory_item_id",
            "inventory_item_id",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
        Index(
            "IDX_product_variant_inventory_item_variant_id",
            "variant_id",
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
    inventory_item_id: Mapped[str] = mapped_column(Text, nullable=False)
    variant_id: Mapped[str] = mapped_column(Text, nullable=False)
    required_quantity: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


class ProductVariantMoneyAmount(Base):
    __tablename__ = "product_variant_money_amount"
    __id_prefix__ = "pvma_"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_product_variant_money_amount"),
        Index("idx_product_variant_money_amount_money_amount_id_unique", "money_amount_id", unique=True),
        Index("idx_product_variant_money_amount_variant_id", "variant_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    money_amount_id: Mapped[str] = mapped_column(Text, nullable=False)
    variant_id: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


class Product(Base):
    __tablename__ = "product"
    __id_prefix__ = "prod"
    __table_args__ = (
        ForeignKeyConstraint(
            ["collection_id"], ["product_collection.id"], name="FK_49d419fc77d3aed46c835c558ac"
        ),
        ForeignKeyConstraint(["type_id"], ["product_type.id"], name="FK_e0843930fbb8854fe36ca39dae1"),
        PrimaryKeyConstraint("id", name="PK_bebc9158e480b949565b4dc7a82"),
        Index(
            "IDX_cf9cc6c3f2e6414b992223fff1",
            "handle",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
        Index(
            "idx_gin_product_description",
            "description",
            postgresql_ops={"description": "gin_trgm_ops"},
            postgresql_using="gin",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
        Index(
            "idx_gin_product_title",
            "title",
            postgresql_ops={"title": "gin_trgm_ops"},
            postgresql_using="gin",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String, nullable=False)
    is_giftcard: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    discountable: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    status: Mapped[str] = mapped_column(
        Enum(*enum_values(ProductStatusEnum), name="product_status_enum"),
        nullable=False,
        server_default=text("'draft'"),
    )
    subtitle: Mapped[str | None] = mapped_column(String)
    description: Mapped[str | None] = mapped_column(String)
    handle: Mapped[str | None] = mapped_column(String)
    thumbnail: Mapped[str | None] = mapped_column(String)
    weight: Mapped[int | None] = mapped_column(Integer)
    length: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    hs_code: Mapped[str | None] = mapped_column(String)
    origin_country: Mapped[str | None] = mapped_column(String)
    mid_code: Mapped[str | None] = mapped_column(String)
    material: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    collection_id: Mapped[str | None] = mapped_column(String)
    type_id: Mapped[str | None] = mapped_column(String)
    external_id: Mapped[str | None] = mapped_column(String)

    variants: Mapped[list[ProductVariant]] = relationship(
        "ProductVariant",
        primaryjoin="and_(Product.id == foreign(ProductVariant.product_id), ProductVariant.deleted_at.is_(None))",
        order_by="(ProductVariant.variant_rank, ProductVariant.id)",
        lazy="raise",
        viewonly=True,
    )
    options: Mapped[list[ProductOption]] = relationship(
        "ProductOption",
        primaryjoin="and_(Product.id == foreign(ProductOption.product_id), ProductOption.deleted_at.is_(None))",
        order_by="ProductOption.id",
        lazy="raise",
        viewonly=True,
    )
    images: Mapped[list[Image]] = relationship(
        "Image",
        secondary="product_images",
        primaryjoin="Product.id == product_images.c.product_id",
        secondaryjoin="and_(Image.id == product_images.c.image_id, Image.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    tags: Mapped[list[ProductTag]] = relationship(
        "ProductTag",
        secondary="product_tags",
        primaryjoin="Product.id == product_tags.c.product_id",
        secondaryjoin="and_(ProductTag.id == product_tags.c.product_tag_id, ProductTag.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    type: Mapped[ProductType | None] = relationship(
        "ProductType",
        primaryjoin="and_(foreign(Product.type_id) == ProductType.id, ProductType.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    collection: Mapped[ProductCollection | None] = relationship(
        "ProductCollection",
        primaryjoin="and_(foreign(Product.collection_id) == ProductCollection.id, "
        "ProductCollection.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    categories: Mapped[list[ProductCategory]] = relationship(
        "ProductCategory",
        secondary="product_category_product",
        primaryjoin="Product.id == product_category_product.c.product_id",
        secondaryjoin="ProductCategory.id == product_category_product.c.product_category_id",
        lazy="raise",
        viewonly=True,
    )
    sales_channels: Mapped[list[SalesChannel]] = relationship(
        "SalesChannel",
        secondary="product_sales_channel",
        primaryjoin="Product.id == foreign(product_sales_channel.c.product_id)",
        secondaryjoin="and_(SalesChannel.id == foreign(product_sales_channel.c.sales_channel_id), "
        "SalesChannel.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    profiles: Mapped[list[ShippingProfile]] = relationship(
        "ShippingProfile",
        secondary="product_shipping_profile",
        primaryjoin="Product.id == foreign(product_shipping_profile.c.product_id)",
        secondaryjoin="and_(ShippingProfile.id == foreign(product_shipping_profile.c.profile_id), "
        "ShippingProfile.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )


class ProductSalesChannel(Base):
    __tablename__ = "product_sales_channel"
    __id_prefix__ = "prodsc"
    __table_args__ = (
        ForeignKeyConstraint(
            ["sales_channel_id"],
            ["sales_channel.id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
            name="FK_37341bad297fe5cca91f921032b",
        ),
        PrimaryKeyConstraint("product_id", "sales_channel_id", name="PK_fd29b6a8bd641052628dee19583"),
        Index("IDX_37341bad297fe5cca91f921032", "sales_channel_id"),
        Index("IDX_5a4d5e1e60f97633547821ec8d", "product_id"),
    )

    product_id: Mapped[str] = mapped_column(String, primary_key=True)
    sales_channel_id: Mapped[str] = mapped_column(String, primary_key=True)


class MoneyAmount(Base):
    __tablename__ = "money_amount"
    __id_prefix__ = "ma"
    __table_args__ = (
        ForeignKeyConstraint(["currency_code"], ["currency.code"], name="FK_e15811f81339e4bd8c440aebe1c"),
        ForeignKeyConstraint(
            ["price_list_id"], ["price_list.id"], ondelete="CASCADE", name="FK_f249976b079375499662eb80c40"
        ),
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_b433e27b7a83e6d12ab26b15b03"),
        PrimaryKeyConstraint("id", name="PK_022e49a7e21a8dfb820f788778a"),
        Index("IDX_money_amount_currency_code", "currency_code"),
        Index("idx_money_amount_region_id", "region_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    currency_code: Mapped[str] = mapped_column(String, nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    region_id: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    min_quantity: Mapped[int | None] = mapped_column(Integer)
    max_quantity: Mapped[int | None] = mapped_column(Integer)
    price_list_id: Mapped[str | None] = mapped_column(String)

    price_list: Mapped[PriceList | None] = relationship(
        "PriceList",
        primaryjoin="and_(foreign(MoneyAmount.price_list_id) == PriceList.id, PriceList.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )


t_product_images = Table(
    "product_images",
    Base.metadata,
    Column("product_id", String, primary_key=True),
    Column("image_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["image_id"], ["image.id"], ondelete="CASCADE", name="FK_2212515ba306c79f42c46a99db7"
    ),
    ForeignKeyConstraint(
        ["product_id"], ["product.id"], ondelete="CASCADE", name="FK_4f166bb8c2bfcef2498d97b4068"
    ),
    PrimaryKeyConstraint("product_id", "image_id", name="PK_10de97980da2e939c4c0e8423f2"),
    Index("IDX_2212515ba306c79f42c46a99db", "image_id"),
    Index("IDX_4f166bb8c2bfcef2498d97b406", "product_id"),
)


class ProductOption(Base):
    __tablename__ = "product_option"
    __id_prefix__ = "opt"
    __table_args__ = (
        ForeignKeyConstraint(["product_id"], ["product.id"], name="FK_e634fca34f6b594b87fdbee95f6"),
        PrimaryKeyConstraint("id", name="PK_4cf3c467e9bc764bdd32c4cd938"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    product_id: Mapped[str | None] = mapped_column(String)

    values: Mapped[list[ProductOptionValue]] = relationship(
        "ProductOptionValue",
        primaryjoin="and_(ProductOption.id == foreign(ProductOptionValue.option_id), "
        "ProductOptionValue.deleted_at.is_(None))",
        order_by="ProductOptionValue.id",
        lazy="raise",
        viewonly=True,
    )
    product: Mapped[Product] = relationship(
        "Product",
        primaryjoin="foreign(ProductOption.product_id) == Product.id",
        lazy="raise",
        viewonly=True,
    )


t_product_tags = Table(
    "product_tags",
    Base.metadata,
    Column("product_id", String, primary_key=True),
    Column("product_tag_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["product_id"], ["product.id"], ondelete="CASCADE", name="FK_5b0c6fc53c574299ecc7f9ee22e"
    ),
    ForeignKeyConstraint(
        ["product_tag_id"], ["product_tag.id"], ondelete="CASCADE", name="FK_21683a063fe82dafdf681ecc9c4"
    ),
    PrimaryKeyConstraint("product_id", "product_tag_id", name="PK_1cf5c9537e7198df494b71b993f"),
    Index("IDX_21683a063fe82dafdf681ecc9c", "product_tag_id"),
    Index("IDX_5b0c6fc53c574299ecc7f9ee22", "product_id"),
)


class ProductVariant(Base):
    __tablename__ = "product_variant"
    __id_prefix__ = "variant"
    __table_args__ = (
        ForeignKeyConstraint(["product_id"], ["product.id"], name="FK_ca67dd080aac5ecf99609960cd2"),
        PrimaryKeyConstraint("id", name="PK_1ab69c9935c61f7c70791ae0a9f"),
        Index(
            "IDX_045d4a149c09f4704e0bc08dd4",
            "barcode",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
        Index(
            "IDX_2ca8cfbdafb998ecfd6d340389",
            "sku",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
        Index(
            "IDX_aa16f61348be02dd07ce3fc54e",
            "upc",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
        Index(
            "IDX_b5b6225539ee8501082fbc0714",
            "ean",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
        Index("IDX_ca67dd080aac5ecf99609960cd", "product_id"),
        Index(
            "idx_gin_product_variant_sku",
            "sku",
            postgresql_ops={"sku": "gin_trgm_ops"},
            postgresql_using="gin",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
        Index(
            "idx_gin_product_variant_title",
            "title",
            postgresql_ops={"title": "gin_trgm_ops"},
            postgresql_using="gin",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String, nullable=False)
    product_id: Mapped[str] = mapped_column(String, nullable=False)
    inventory_quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    allow_backorder: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    manage_inventory: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    sku: Mapped[str | None] = mapped_column(String)
    barcode: Mapped[str | None] = mapped_column(String)
    ean: Mapped[str | None] = mapped_column(String)
    upc: Mapped[str | None] = mapped_column(String)
    hs_code: Mapped[str | None] = mapped_column(String)
    origin_country: Mapped[str | None] = mapped_column(String)
    mid_code: Mapped[str | None] = mapped_column(String)
    material: Mapped[str | None] = mapped_column(String)
    weight: Mapped[int | None] = mapped_column(Integer)
    length: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    variant_rank: Mapped[int | None] = mapped_column(Integer, server_default=text("0"))

    product: Mapped[Product] = relationship(
        "Product",
        primaryjoin="foreign(ProductVariant.product_id) == Product.id",
        lazy="raise",
        viewonly=True,
    )
    prices: Mapped[list[MoneyAmount]] = relationship(
        "MoneyAmount",
        secondary="product_variant_money_amount",
        primaryjoin="and_(ProductVariant.id == foreign(product_variant_money_amount.c.variant_id), "
        "product_variant_money_amount.c.deleted_at.is_(None))",
        secondaryjoin="and_(MoneyAmount.id == foreign(product_variant_money_amount.c.money_amount_id), "
        "MoneyAmount.deleted_at.is_(None))",
        order_by="MoneyAmount.id",
        lazy="raise",
        viewonly=True,
    )
    options: Mapped[list[ProductOptionValue]] = relationship(
        "ProductOptionValue",
        primaryjoin="and_(ProductVariant.id == foreign(ProductOptionValue.variant_id), "
        "ProductOptionValue.deleted_at.is_(None))",
        order_by="ProductOptionValue.id",
        lazy="raise",
        viewonly=True,
    )


class ProductOptionValue(Base):
    __tablename__ = "product_option_value"
    __id_prefix__ = "optval"
    __table_args__ = (
        ForeignKeyConstraint(["option_id"], ["product_option.id"], name="FK_cdf4388f294b30a25c627d69fe9"),
        ForeignKeyConstraint(
            ["variant_id"], ["product_variant.id"], ondelete="CASCADE", name="FK_7234ed737ff4eb1b6ae6e6d7b01"
        ),
        PrimaryKeyConstraint("id", name="PK_2ab71ed3b21be5800905c621535"),
        Index("idx_product_option_value_option_id", "option_id"),
        Index("idx_product_option_value_variant_id", "variant_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(String, nullable=False)
    option_id: Mapped[str] = mapped_column(String, nullable=False)
    variant_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    option: Mapped[ProductOption] = relationship(
        "ProductOption",
        primaryjoin="foreign(ProductOptionValue.option_id) == ProductOption.id",
        lazy="raise",
        viewonly=True,
    )
    variant: Mapped[ProductVariant] = relationship(
        "ProductVariant",
        primaryjoin="foreign(ProductOptionValue.variant_id) == ProductVariant.id",
        lazy="raise",
        viewonly=True,
    )


class ProductTaxRate(Base):
    __tablename__ = "product_tax_rate"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id"], ["product.id"], ondelete="CASCADE", name="FK_1d04aebeabb6a89f87e536a124d"
        ),
        ForeignKeyConstraint(
            ["rate_id"], ["tax_rate.id"], ondelete="CASCADE", name="FK_2484cf14c437a04586b07e7dddb"
        ),
        PrimaryKeyConstraint("product_id", "rate_id", name="PK_326257ce468df46cd5c8c5922e9"),
        Index("IDX_1d04aebeabb6a89f87e536a124", "product_id"),
        Index("IDX_2484cf14c437a04586b07e7ddd", "rate_id"),
    )

    product_id: Mapped[str] = mapped_column(String, primary_key=True)
    rate_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class ProductTypeTaxRate(Base):
    __tablename__ = "product_type_tax_rate"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_type_id"],
            ["product_type.id"],
            ondelete="CASCADE",
            name="FK_25a3138bb236f63d9bb6c8ff111",
        ),
        ForeignKeyConstraint(
            ["rate_id"], ["tax_rate.id"], ondelete="CASCADE", name="FK_ece65a774192b34253abc4cd672"
        ),
        PrimaryKeyConstraint("product_type_id", "rate_id", name="PK_ddc9242de1d99bc7674969289f0"),
        Index("IDX_25a3138bb236f63d9bb6c8ff11", "product_type_id"),
        Index("IDX_ece65a774192b34253abc4cd67", "rate_id"),
    )

    product_type_id: Mapped[str] = mapped_column(String, primary_key=True)
    rate_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
