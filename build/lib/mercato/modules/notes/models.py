"""Tables of the notes domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, Index, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mercato.db.base import Base
from mercato.db.types import JSONB

if TYPE_CHECKING:
    from mercato.modules.users.models import User


class Note(Base):
    __tablename__ = "note"
    __id_prefix__ = "note"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="PK_96d0c172a4fba276b1bbed43058"),
        Index("IDX_3287f98befad26c3a7dab088cf", "resource_id"),
        Index("IDX_f74980b411cf94af523a72af7d", "resource_type"),
    )

    # Columns in the order Medusa's entity (models/note.ts) serialises them.
    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(True))
    value: Mapped[str] = mapped_column(String, nullable=False)
    resource_type: Mapped[str] = mapped_column(String, nullable=False)
    resource_id: Mapped[str] = mapped_column(String, nullable=False)
    author_id: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)

    # The table has no foreign key to "user"; a soft-deleted author is no author (TypeORM's
    # relation joins leave out soft-deleted rows).
    author: Mapped[User | None] = relationship(
        "User",
        primaryjoin="and_(foreign(Note.author_id) == User.id, User.deleted_at.is_(None))",
        lazy="raise",
        viewonly=True,
    )
