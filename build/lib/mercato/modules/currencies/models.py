"""Tables of the currencies domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, PrimaryKeyConstraint, String, case, text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base


class Currency(Base):
    __tablename__ = "currency"
    __table_args__ = (PrimaryKeyConstraint("code", name="PK_723472e41cae44beb0763f4039c"),)

    code: Mapped[str] = mapped_column(String, primary_key=True)
    symbol: Mapped[str] = mapped_column(String, nullable=False)
    symbol_native: Mapped[str] = mapped_column(String, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    includes_tax: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))


def catalogue_order() -> list[Any]:
    """The order Medusa lists currencies in without an explicit `order`.

    Medusa sends no ORDER BY; rows come back as its loader inserted them from
    utils/currencies.ts: USD, CAD, EUR, then the rest alphabetically. We say so explicitly,
    so that pages are stable on both engines.
    """
    first = case({"usd": 0, "cad": 1, "eur": 2}, value=Currency.code, else_=3)
    return [first, Currency.code]
