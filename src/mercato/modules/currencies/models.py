"""Tables of the currencies domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
import decimal
from typing import Any, Optional

from sqlalchemy import Boolean, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base


class Currency(Base):
    __tablename__ = 'currency'
    __table_args__ = (
        PrimaryKeyConstraint('code', name='PK_723472e41cae44beb0763f4039c'),
    )

    code: Mapped[str] = mapped_column(String, primary_key=True)
    symbol: Mapped[str] = mapped_column(String, nullable=False)
    symbol_native: Mapped[str] = mapped_column(String, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text('false'))
