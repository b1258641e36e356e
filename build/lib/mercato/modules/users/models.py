"""Tables of the users domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Enum, Index, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.enums import InviteRoleEnum, UserRoleEnum, enum_values
from mercato.db.types import JSONB


class Invite(Base):
    __tablename__ = "invite"
    __id_prefix__ = "invite"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_fc9fa190e5a3c5d80604a4f63e1"),
        Index("IDX_6b0ce4b4bcfd24491510bf19d1", "user_email", unique=True),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    user_email: Mapped[str] = mapped_column(String, nullable=False)
    accepted: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    token: Mapped[str] = mapped_column(String, nullable=False)
    expires_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    role: Mapped[str | None] = mapped_column(
        Enum(*enum_values(InviteRoleEnum), name="invite_role_enum"), server_default=text("'member'")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)


class User(Base):
    __tablename__ = "user"
    __id_prefix__ = "usr"
    # Medusa declares it `select: false`: no response ever carries it.
    __hidden__ = ("password_hash",)
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_cace4a159ff9f2512dd42373760"),
        Index(
            "IDX_ba8de19442d86957a3aa3b5006",
            "email",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    email: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    first_name: Mapped[str | None] = mapped_column(String)
    last_name: Mapped[str | None] = mapped_column(String)
    password_hash: Mapped[str | None] = mapped_column(String)
    api_token: Mapped[str | None] = mapped_column(String)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
    role: Mapped[str | None] = mapped_column(
        Enum(*enum_values(UserRoleEnum), name="user_role_enum"), server_default=text("'member'")
    )
