"""Tables of the taxes domain, as Medusa 1.20 creates them (drafted by sqlacodegen)."""

import datetime
from typing import Any

from sqlalchemy import REAL, DateTime, ForeignKeyConstraint, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.db.base import Base
from mercato.db.types import JSONB


class TaxRate(Base):
    __tablename__ = "tax_rate"
    __id_prefix__ = "txr"
    __table_args__ = (
        ForeignKeyConstraint(["region_id"], ["region.id"], name="FK_b95a1e03b051993d208366cb960"),
        PrimaryKeyConstraint("id", name="PK_23b71b53f650c0b39e99ccef4fd"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, nullable=False)
    region_id: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(True), nullable=False, server_default=text("CURRENT_TIMESTAMP")
    )
    rate: Mapped[float | None] = mapped_column(REAL)
    code: Mapped[str | None] = mapped_column(String)
    metadata_: Mapped[Any | None] = mapped_column("metadata", JSONB)
