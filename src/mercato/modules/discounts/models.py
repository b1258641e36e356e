"""Tables of the discounts domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

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
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.enums import (
    DiscountConditionOperatorEnum,
    DiscountConditionTypeEnum,
    DiscountRuleAllocationEnum,
    DiscountRuleTypeEnum,
    enum_values,
)
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.regions.models import Region


class DiscountRule(Base):
    __tablename__ = "discount_rule"
    __id_prefix__ = "dru"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_ac2c280de3701b2d66f6817f760"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(DiscountRuleTypeEnum), name="discount_rule_type_enum"), nullable=False
    )
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    description: Mapped[str | None] = mapped_column(String)
    allocation: Mapped[str | None] = mapped_column(
        Enum(*enum_values(DiscountRuleAllocationEnum), name="discount_rule_allocation_enum")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    if TYPE_CHECKING:
        conditions: Mapped[list["DiscountCondition"]]


class Discount(Base):
    __tablename__ = "discount"
    __id_prefix__ = "disc"
    __table_args__ = (
        ForeignKeyConstraint(["parent_discount_id"], ["discount.id"], name="FK_2250c5d9e975987ab212f61a663"),
        ForeignKeyConstraint(["rule_id"], ["discount_rule.id"], name="FK_ac2c280de3701b2d66f6817f760"),
        PrimaryKeyConstraint("id", name="PK_d05d8712e429673e459e7f1cddb"),
        Index("IDX_ac2c280de3701b2d66f6817f76", "rule_id"),
        Index(
            "IDX_f65bf52e2239ace276ece2b2f4",
            "code",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    code: Mapped[str] = mapped_column(String, nullable=False)
    is_dynamic: Mapped[bool] = mapped_column(Boolean, nullable=False)
    is_disabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    starts_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    usage_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    rule_id: Mapped[str | None] = mapped_column(String)
    parent_discount_id: Mapped[str | None] = mapped_column(String)
    ends_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    valid_duration: Mapped[str | None] = mapped_column(String)

    if TYPE_CHECKING:  # relations, attached at the end of the module
        rule: Mapped[DiscountRule]
        parent_discount: Mapped["Discount | None"]
        regions: Mapped[list[Region]]


class DiscountCondition(Base):
    __tablename__ = "discount_condition"
    __id_prefix__ = "discon"
    __table_args__ = (
        ForeignKeyConstraint(
            ["discount_rule_id"], ["discount_rule.id"], name="FK_efff700651718e452ca9580a624"
        ),
        PrimaryKeyConstraint("id", name="PK_e6b81d83133ddc21a2baf2e2204"),
        UniqueConstraint("type", "operator", "discount_rule_id", name="dctypeuniq"),
        Index("IDX_efff700651718e452ca9580a62", "discount_rule_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    type: Mapped[str] = mapped_column(
        Enum(*enum_values(DiscountConditionTypeEnum), name="discount_condition_type_enum"), nullable=False
    )
    operator: Mapped[str] = mapped_column(
        Enum(*enum_values(DiscountConditionOperatorEnum), name="discount_condition_operator_enum"),
        nullable=False,
    )
    discount_rule_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    if TYPE_CHECKING:
        discount_rule: Mapped[DiscountRule]


class DiscountConditionCustomerGroup(Base):
    __tablename__ = "discount_condition_customer_group"
    __table_args__ = (
        ForeignKeyConstraint(
            ["condition_id"],
            ["discount_condition.id"],
            ondelete="CASCADE",
            name="FK_8486ee16e69013c645d0b8716b6",
        ),
        ForeignKeyConstraint(
            ["customer_group_id"],
            ["customer_group.id"],
            ondelete="CASCADE",
            name="FK_4d5f98645a67545d8dea42e2eb8",
        ),
        PrimaryKeyConstraint("customer_group_id", "condition_id", name="PK_cdc8b2277169a16b8b7d4c73e0e"),
        Index("IDX_4d5f98645a67545d8dea42e2eb", "customer_group_id"),
        Index("IDX_8486ee16e69013c645d0b8716b", "condition_id"),
    )

    customer_group_id: Mapped[str] = mapped_column(String, primary_key=True)
    condition_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class DiscountConditionProduct(Base):
    __tablename__ = "discount_condition_product"
    __table_args__ = (
        ForeignKeyConstraint(
            ["condition_id"],
            ["discount_condition.id"],
            ondelete="CASCADE",
            name="FK_f05132301e95bdab4ba1cf29a24",
        ),
        ForeignKeyConstraint(
            ["product_id"], ["product.id"], ondelete="CASCADE", name="FK_c759f53b2e48e8cfb50638fe4e0"
        ),
        PrimaryKeyConstraint("product_id", "condition_id", name="PK_994eb4529fdbf14450d64ec17e8"),
        Index("IDX_c759f53b2e48e8cfb50638fe4e", "product_id"),
        Index("IDX_f05132301e95bdab4ba1cf29a2", "condition_id"),
    )

    product_id: Mapped[str] = mapped_column(String, primary_key=True)
    condition_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class DiscountConditionProductCollection(Base):
    __tablename__ = "discount_condition_product_collection"
    __table_args__ = (
        ForeignKeyConstraint(
            ["condition_id"],
            ["discount_condition.id"],
            ondelete="CASCADE",
            name="FK_a1c4f9cfb599ad1f0db39cadd5f",
        ),
        ForeignKeyConstraint(
            ["product_collection_id"],
            ["product_collection.id"],
            ondelete="CASCADE",
            name="FK_a0b05dc4257abe639cb75f8eae2",
        ),
        PrimaryKeyConstraint("product_collection_id", "condition_id", name="PK_b3508fc787aa4a38705866cbb6d"),
        Index("IDX_a0b05dc4257abe639cb75f8eae", "product_collection_id"),
        Index("IDX_a1c4f9cfb599ad1f0db39cadd5", "condition_id"),
    )

    product_collection_id: Mapped[str] = mapped_column(String, primary_key=True)
    condition_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class DiscountConditionProductTag(Base):
    __tablename__ = "discount_condition_product_tag"
    __table_args__ = (
        ForeignKeyConstraint(
            ["condition_id"],
            ["discount_condition.id"],
            ondelete="CASCADE",
            name="FK_fbb2499551ed074526f3ee36241",
        ),
        ForeignKeyConstraint(
            ["product_tag_id"], ["product_tag.id"], ondelete="CASCADE", name="FK_01486cc9dc6b36bf658685535f6"
        ),
        PrimaryKeyConstraint("product_tag_id", "condition_id", name="PK_a95382c1e62205b121aa058682b"),
        Index("IDX_01486cc9dc6b36bf658685535f", "product_tag_id"),
        Index("IDX_fbb2499551ed074526f3ee3624", "condition_id"),
    )

    product_tag_id: Mapped[str] = mapped_column(String, primary_key=True)
    condition_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class DiscountConditionProductType(Base):
    __tablename__ = "discount_condition_product_type"
    __table_args__ = (
        ForeignKeyConstraint(
            ["condition_id"],
            ["discount_condition.id"],
            ondelete="CASCADE",
            name="FK_6ef23ce0b1d9cf9b5b833e52b9d",
        ),
        ForeignKeyConstraint(
            ["product_type_id"],
            ["product_type.id"],
            ondelete="CASCADE",
            name="FK_e706deb68f52ab2756119b9e704",
        ),
        PrimaryKeyConstraint("product_type_id", "condition_id", name="PK_35d538a5a24399d0df978df12ed"),
        Index("IDX_6ef23ce0b1d9cf9b5b833e52b9", "condition_id"),
        Index("IDX_e706deb68f52ab2756119b9e70", "product_type_id"),
    )

    product_type_id: Mapped[str] = mapped_column(String, primary_key=True)
    condition_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


t_discount_regions = Table(
    "discount_regions",
    Base.metadata,
    Column("discount_id", String, primary_key=True),
    Column("region_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["discount_id"], ["discount.id"], ondelete="CASCADE", name="FK_f4194aa81073f3fab8aa86906ff"
    ),
    ForeignKeyConstraint(
        ["region_id"], ["region.id"], ondelete="CASCADE", name="FK_a21a7ffbe420d492eb46c305fec"
    ),
    PrimaryKeyConstraint("discount_id", "region_id", name="PK_15974566a8b6e04a7c754e85b75"),
    Index("IDX_a21a7ffbe420d492eb46c305fe", "region_id"),
    Index("IDX_f4194aa81073f3fab8aa86906f", "discount_id"),
)


t_discount_rule_products = Table(
    "discount_rule_products",
    Base.metadata,
    Column("discount_rule_id", String, primary_key=True),
    Column("product_id", String, primary_key=True),
    ForeignKeyConstraint(
        ["discount_rule_id"], ["discount_rule.id"], ondelete="CASCADE", name="FK_4e0739e5f0244c08d41174ca08a"
    ),
    ForeignKeyConstraint(
        ["product_id"], ["product.id"], ondelete="CASCADE", name="FK_be66106a673b88a81c603abe7eb"
    ),
    PrimaryKeyConstraint("discount_rule_id", "product_id", name="PK_351c8c92f5d27283c445cd022ee"),
    Index("IDX_4e0739e5f0244c08d41174ca08", "discount_rule_id"),
    Index("IDX_be66106a673b88a81c603abe7e", "product_id"),
)


# ---- relations (Medusa's names); read-only, the service writes rows and join rows itself -------

from sqlalchemy.orm import foreign, relationship, remote  # noqa: E402

from mercato.modules.regions.models import Region  # noqa: E402

DiscountRule.conditions = relationship(  # type: ignore[assignment]
    DiscountCondition,
    primaryjoin=(DiscountCondition.discount_rule_id == DiscountRule.id)
    & DiscountCondition.deleted_at.is_(None),
    foreign_keys=[DiscountCondition.discount_rule_id],
    order_by=DiscountCondition.created_at,
    lazy="raise",
    viewonly=True,
)
DiscountCondition.discount_rule = relationship(  # type: ignore[assignment]
    DiscountRule, foreign_keys=[DiscountCondition.discount_rule_id], lazy="raise", viewonly=True
)
Discount.rule = relationship(  # type: ignore[attr-defined]
    DiscountRule, foreign_keys=[Discount.rule_id], lazy="raise", viewonly=True
)
Discount.parent_discount = relationship(  # type: ignore[attr-defined]
    Discount,
    # TypeORM leaves a soft-deleted parent out of the relation (the answer says null)
    primaryjoin=and_(
        foreign(Discount.parent_discount_id) == remote(Discount.id), remote(Discount.deleted_at).is_(None)
    ),
    lazy="raise",
    viewonly=True,
)
Discount.regions = relationship(  # type: ignore[attr-defined]
    Region,
    secondary=t_discount_regions,
    primaryjoin=Discount.id == t_discount_regions.c.discount_id,
    secondaryjoin=(Region.id == t_discount_regions.c.region_id) & Region.deleted_at.is_(None),
    order_by=Region.id,
    lazy="raise",
    viewonly=True,
)


def _alive(model: type, join: Any) -> Any:
    deleted = getattr(model, "deleted_at", None)
    return join if deleted is None else and_(join, deleted.is_(None))


def _condition_resources(join: Any, column: str, model: type) -> Any:
    table = join.__table__
    return relationship(
        model,
        secondary=table,
        primaryjoin=DiscountCondition.id == table.c.condition_id,
        # TypeORM leaves soft-deleted resources out (a deleted product or collection disappears)
        secondaryjoin=_alive(model, model.id == table.c[column]),  # type: ignore[attr-defined]
        order_by=model.id,  # type: ignore[attr-defined]
        lazy="raise",
        viewonly=True,
    )


def _attach_condition_resources() -> None:
    from mercato.modules.collections.models import ProductCollection
    from mercato.modules.customers.models import CustomerGroup
    from mercato.modules.products.models import Product, ProductTag, ProductType

    for name, join, column, model in (
        ("products", DiscountConditionProduct, "product_id", Product),
        ("product_types", DiscountConditionProductType, "product_type_id", ProductType),
        (
            "product_collections",
            DiscountConditionProductCollection,
            "product_collection_id",
            ProductCollection,
        ),
        ("product_tags", DiscountConditionProductTag, "product_tag_id", ProductTag),
        ("customer_groups", DiscountConditionCustomerGroup, "customer_group_id", CustomerGroup),
    ):
        setattr(DiscountCondition, name, _condition_resources(join, column, model))


_attach_condition_resources()
