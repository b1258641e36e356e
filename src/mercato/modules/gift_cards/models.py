"""Gift cards and their transactions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    REAL,
    Boolean,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.orders.models import Order
    from mercato.modules.regions.models import Region


class GiftCard(Base):
    __tablename__ = "gift_card"
    __id_prefix__ = "gift"
    __table_args__ = (
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_dfc1f02bb0552e79076aa58dbb0"),
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_b6bcf8c3903097b84e85154eed3"),
        PrimaryKeyConstraint("id", name="PK_af4e338d2d41035042843ad641f"),
        Index("IDX_53cb5605fa42e82b4d47b47bda", "code", unique=True),
        Index("IDX_b6bcf8c3903097b84e85154eed", "region_id"),
        Index("IDX_dfc1f02bb0552e79076aa58dbb", "order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    code: Mapped[str] = mapped_column(String, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    balance: Mapped[int] = mapped_column(Integer, nullable=False)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    is_disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    order_id: Mapped[str | None] = mapped_column(String)
    ends_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    tax_rate: Mapped[float | None] = mapped_column(REAL)

    # TypeORM leaves a soft-deleted region out of the relation (the answer says null)
    region: Mapped[Region] = relationship(
        "Region",
        primaryjoin="and_(foreign(GiftCard.region_id) == Region.id, Region.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
    order: Mapped[Order | None] = relationship("Order", lazy="raise", viewonly=True)


class GiftCardTransaction(Base):
    __tablename__ = "gift_card_transaction"
    __id_prefix__ = "gct"
    __table_args__ = (
        ForeignKeyConstraint(["gift_card_id"], ["gift_card.id"], name="FK_3ff5597f1d7e02bba41541846f4"),
        ForeignKeyConstraint(["order_id"], ["order.id"], name="FK_d7d441b81012f87d4265fa57d24"),
        PrimaryKeyConstraint("id", name="PK_cfb5b4ba5447a507aef87d73fe7"),
        UniqueConstraint("gift_card_id", "order_id", name="gcuniq"),
        Index("IDX_d7d441b81012f87d4265fa57d2", "order_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    gift_card_id: Mapped[str] = mapped_column(String, nullable=False)
    order_id: Mapped[str] = mapped_column(String, nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    is_taxable: Mapped[bool | None] = mapped_column(Boolean)
    tax_rate: Mapped[float | None] = mapped_column(REAL)

    gift_card: Mapped[GiftCard] = relationship(GiftCard, lazy="raise", viewonly=True)
    order: Mapped[Order] = relationship("Order", lazy="raise", viewonly=True)
