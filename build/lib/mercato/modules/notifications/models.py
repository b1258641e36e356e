"""Tables of the notifications domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, DateTime, ForeignKeyConstraint, Index, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.customers.models import Customer


class NotificationProvider(Base):
    __tablename__ = "notification_provider"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_0425c2423e2ce9fdfd5c23761d9"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    is_installed: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))


class Notification(Base):
    __tablename__ = "notification"
    __id_prefix__ = "noti"
    __table_args__ = (
        ForeignKeyConstraint(["customer_id"], ["customer.id"], name="FK_b5df0f53a74b9d0c0a2b652c88d"),
        ForeignKeyConstraint(["parent_id"], ["notification.id"], name="FK_371db513192c083f48ba63c33be"),
        ForeignKeyConstraint(
            ["provider_id"], ["notification_provider.id"], name="FK_0425c2423e2ce9fdfd5c23761d9"
        ),
        PrimaryKeyConstraint("id", name="PK_705b6c7cdf9b2c2ff7ac7872cb7"),
        Index("IDX_b5df0f53a74b9d0c0a2b652c88", "customer_id"),
        Index("IDX_df1494d263740fcfb1d09a98fc", "resource_type"),
        Index("IDX_ea6a358d9ce41c16499aae55f9", "resource_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    resource_type: Mapped[str] = mapped_column(String, nullable=False)
    resource_id: Mapped[str] = mapped_column(String, nullable=False)
    to: Mapped[str] = mapped_column(String, nullable=False)
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    event_name: Mapped[str | None] = mapped_column(String)
    customer_id: Mapped[str | None] = mapped_column(String)
    parent_id: Mapped[str | None] = mapped_column(String)
    provider_id: Mapped[str | None] = mapped_column(String)

    # Medusa's relations (models/notification.ts); read-only, loaded explicitly
    customer: Mapped[Customer | None] = relationship(
        "Customer",
        primaryjoin="foreign(Notification.customer_id) == Customer.id",
        lazy="raise",
        viewonly=True,
    )
    parent_notification: Mapped[Notification | None] = relationship(
        "Notification",
        primaryjoin="foreign(Notification.parent_id) == remote(Notification.id)",
        lazy="raise",
        viewonly=True,
    )
    resends: Mapped[list[Notification]] = relationship(
        "Notification",
        primaryjoin="remote(foreign(Notification.parent_id)) == Notification.id",
        order_by="(Notification.created_at, Notification.id)",
        lazy="raise",
        viewonly=True,
    )
    provider: Mapped[NotificationProvider | None] = relationship(
        "NotificationProvider",
        primaryjoin="foreign(Notification.provider_id) == NotificationProvider.id",
        lazy="raise",
        viewonly=True,
    )
