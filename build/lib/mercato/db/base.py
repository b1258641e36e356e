"""Declarative base: ids with Medusa's prefixes and timestamps set on insert/update."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapper

from mercato.core.clock import utcnow
from mercato.core.ids import generate_id


class Base(DeclarativeBase):
    # Medusa's generateEntityId prefix; None for tables keyed otherwise (currency, country, joins).
    __id_prefix__: ClassVar[str | None] = None


@event.listens_for(Base, "before_insert", propagate=True)
def _before_insert(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    prefix = type(target).__id_prefix__
    if prefix is not None and not getattr(target, "id", None):
        target.id = generate_id(prefix)
    now = utcnow()
    for name in ("created_at", "updated_at"):
        if name in mapper.columns and getattr(target, name, None) is None:
            setattr(target, name, now)


@event.listens_for(Base, "before_update", propagate=True)
def _before_update(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    if "updated_at" in mapper.columns:
        target.updated_at = utcnow()
