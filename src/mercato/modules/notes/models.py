"""Tables of the notes domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
import decimal
from typing import Any, Optional

from sqlalchemy import DateTime, Index, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


class Note(Base):
    __tablename__ = 'note'
    __id_prefix__ = 'note'
    __table_args__ = (
        PrimaryKeyConstraint('id', name='PK_96d0c172a4fba276b1bbed43058'),
        Index('IDX_3287f98befad26c3a7dab088cf', 'resource_id'),
        Index('IDX_f74980b411cf94af523a72af7d', 'resource_type')
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(String, nullable=False)
    resource_type: Mapped[str] = mapped_column(String, nullable=False)
    resource_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(True), nullable=False, server_default=text('CURRENT_TIMESTAMP'))
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime(True), nullable=False, server_default=text('CURRENT_TIMESTAMP'))
    author_id: Mapped[Optional[str]] = mapped_column(String)
    deleted_at: Mapped[Optional[datetime.datetime]] = mapped_column(DateTime(True))
    metadata_: Mapped[Optional[Any]] = mapped_column('metadata', JSONB)
