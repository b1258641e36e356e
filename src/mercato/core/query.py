"""List and retrieve parameters as Medusa's validators take them, and their translation to SQL."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Enum as SAEnum
from sqlalchemy import Select, case, func, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import invalid_data, validation_message
from mercato.core.present import Tree, relation_tree
from mercato.core.qs import parse_qs_pairs

P = TypeVar("P", bound=BaseModel)


class DateFilter(BaseModel):
    """Medusa's DateComparisonOperator: `created_at[gt]=2024-01-01`."""

    model_config = ConfigDict(extra="forbid")
    lt: datetime.datetime | None = None
    gt: datetime.datetime | None = None
    lte: datetime.datetime | None = None
    gte: datetime.datetime | None = None


class RetrieveParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expand: str | None = None
    fields: str | None = None


class ListParams(RetrieveParams):
    offset: int = 0
    limit: int = 50
    order: str | None = None


def parse_params(request: Request, model: type[P]) -> P:
    data = parse_qs_pairs(list(request.query_params.multi_items()))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_data(validation_message([dict(e) for e in exc.errors()])) from None


def params(model: type[P]) -> Callable[[Request], Awaitable[P]]:
    """A FastAPI dependency that validates the query string against `model` (unknown keys are 400)."""

    # async on purpose: FastAPI runs a sync dependency in a worker thread, a hop per request
    async def dependency(request: Request) -> P:
        return parse_params(request, model)

    dependency.__name__ = f"query_{model.__name__}"
    return dependency


def relations_for(p: RetrieveParams, defaults: Sequence[str]) -> Tree:
    """Medusa: `expand` replaces the endpoint's default relations; without it the defaults apply."""
    if p.expand is None:
        return relation_tree(defaults)
    return relation_tree(x.strip() for x in p.expand.split(",") if x.strip())


def fields_for(p: RetrieveParams) -> set[str] | None:
    if not p.fields:
        return None
    return {x.strip() for x in p.fields.split(",") if x.strip()}


def _table_columns(model: type) -> Any:
    mapper: Any = inspect(model)
    return mapper.columns


def ordering(column: Any, desc: bool) -> Any:
    """`column` descending or ascending, its NULLs where PostgreSQL puts them (first descending,
    last ascending) on SQLite too; a NOT NULL column plainly, so that an index can serve it. An
    enum sorts by its values' declared order, as a PostgreSQL enum does (SQLite: as text)."""
    values = getattr(getattr(column, "type", None), "enums", None)
    if isinstance(column.type, SAEnum) and values:
        # `column == v` binds v as the column's type (PostgreSQL has no enum = varchar)
        column = case(*((column == v, i) for i, v in enumerate(values)))
    if not getattr(column, "nullable", True):
        return column.desc() if desc else column.asc()
    return column.desc().nulls_first() if desc else column.asc().nulls_last()


def apply_order(
    stmt: Select[Any], model: type, order: str | None, default: str = "created_at"
) -> Select[Any]:
    field = order or default
    desc = field.startswith("-")
    name = field.lstrip("-")
    columns: dict[str, Any] = {c.name: c for c in _table_columns(model)}
    if name not in columns:
        raise invalid_data(f"Order field {name} is not valid")
    col = columns[name]
    stmt = stmt.order_by(ordering(col, desc))
    if name != "id" and "id" in columns:
        stmt = stmt.order_by(columns["id"].asc())
    return stmt


def apply_date_filter(stmt: Select[Any], column: Any, value: DateFilter) -> Select[Any]:
    """`created_at[gt]=…`: one condition on `column` per operator given."""
    if value.lt is not None:
        stmt = stmt.where(column < value.lt)
    if value.gt is not None:
        stmt = stmt.where(column > value.gt)
    if value.lte is not None:
        stmt = stmt.where(column <= value.lte)
    if value.gte is not None:
        stmt = stmt.where(column >= value.gte)
    return stmt


def apply_filters(stmt: Select[Any], model: type, p: BaseModel, skip: Sequence[str] = ()) -> Select[Any]:
    """Equality, `IN` for lists and date comparisons for every set parameter that names a column."""
    columns: dict[str, Any] = {c.name: c for c in _table_columns(model)}
    reserved = {"expand", "fields", "offset", "limit", "order", "q", *skip}
    for name in p.model_fields_set:
        if name in reserved or name not in columns:
            continue
        value = getattr(p, name)
        col = columns[name]
        if value is None:
            continue
        if isinstance(value, DateFilter):
            stmt = apply_date_filter(stmt, col, value)
        elif isinstance(value, list):
            stmt = stmt.where(col.in_(value))
        else:
            stmt = stmt.where(col == value)
    return stmt


def apply_search(stmt: Select[Any], q: str | None, columns: Sequence[Any]) -> Select[Any]:
    """Case-insensitive substring search (ILIKE on PostgreSQL, lower() LIKE on SQLite)."""
    if not q:
        return stmt
    pattern = f"%{q}%"
    return stmt.where(or_(*(c.ilike(pattern) for c in columns)))


async def count_rows(tx: AsyncSession, stmt: Select[Any]) -> int:
    """How many rows `stmt` selects (a list's `count`, before its page is cut)."""
    return int((await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one())


def apply_page(stmt: Select[Any], offset: int, limit: int) -> Select[Any]:
    """A list's page. TypeORM reads `take: 0` as "no limit", so Medusa answers every row then."""
    stmt = stmt.offset(offset)
    return stmt.limit(limit) if limit else stmt


def not_deleted(model: type) -> Any:
    return model.deleted_at.is_(None)  # type: ignore[attr-defined]
