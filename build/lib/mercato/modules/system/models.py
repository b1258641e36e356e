"""Tables of the system domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


class AnalyticsConfig(Base):
    __tablename__ = "analytics_config"
    __id_prefix__ = "acfg"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_93505647c5d7cb479becb810b0f"),
        Index(
            "IDX_379ca70338ce9991f3affdeedf",
            "id",
            "user_id",
            postgresql_where=text("(deleted_at IS NULL)"),
            sqlite_where=text("(deleted_at IS NULL)"),
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    user_id: Mapped[str] = mapped_column(String, nullable=False)
    opt_out: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    anonymize: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"
    __id_prefix__ = "ikey"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_213f125e14469be304f9ff1d452"),
        Index("IDX_a421bf4588d0004a9b0c0fe84f", "idempotency_key", unique=True),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    recovery_point: Mapped[str] = mapped_column(String, nullable=False, server_default=text("'started'"))
    locked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    request_method: Mapped[str | None] = mapped_column(String)
    request_params: Mapped[Any | None] = mapped_column(JSONB)
    request_path: Mapped[str | None] = mapped_column(String)
    response_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any | None] = mapped_column(JSONB)


class Migrations(Base):
    __tablename__ = "migrations"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_8c82d7f526340ab734260ea46be"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    timestamp: Mapped[int] = mapped_column(BigInteger, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)


class Oauth(Base):
    __tablename__ = "oauth"
    __id_prefix__ = "oauth"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_a957b894e50eb16b969c0640a8d"),
        Index("IDX_c49c061b1a686843c5d673506f", "application_name", unique=True),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    display_name: Mapped[str] = mapped_column(String, nullable=False)
    application_name: Mapped[str] = mapped_column(String, nullable=False)
    install_url: Mapped[str | None] = mapped_column(String)
    uninstall_url: Mapped[str | None] = mapped_column(String)
    data: Mapped[Any | None] = mapped_column(JSONB)


class StagedJob(Base):
    __tablename__ = "staged_job"
    __id_prefix__ = "job"
    __table_args__ = (PrimaryKeyConstraint("id", name="PK_9a28fb48c46c5509faf43ac8c8d"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    event_name: Mapped[str] = mapped_column(String, nullable=False)
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    options: Mapped[Any] = mapped_column(JSONB, nullable=False, server_default=text("'{}'"))


class BatchJob(Base):
    __tablename__ = "batch_job"
    __id_prefix__ = "batch"
    __table_args__ = (
        ForeignKeyConstraint(["created_by"], ["user.id"], name="FK_fa53ca4f5fd90605b532802a626"),
        PrimaryKeyConstraint("id", name="PK_e57f84d485145d5be96bc6d871e"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    type: Mapped[str] = mapped_column(Text, nullable=False)
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    created_by: Mapped[str | None] = mapped_column(String)
    context: Mapped[Any | None] = mapped_column(JSONB)
    result: Mapped[Any | None] = mapped_column(JSONB)
    pre_processed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    confirmed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    processing_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    completed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    failed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    canceled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
