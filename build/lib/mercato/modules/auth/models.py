"""Mercato's additive table: server-side login sessions (Medusa kept them in Redis).

Stored in the database so that several API processes serve one store with one cookie.
"""

import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


class LoginSession(Base):
    __tablename__ = "mercato_session"
    __table_args__ = (Index("IDX_mercato_session_expires_at", "expires_at"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    data: Mapped[Any] = mapped_column(JSONB, nullable=False)
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime(True), nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(True), nullable=False)
