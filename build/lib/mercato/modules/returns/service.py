"""Return reasons: why a customer sends items back, in two levels (a reason and its children)
(Medusa's services/return-reason.ts). Medusa emits no event for return reasons.

The returns themselves (returns, swaps, claims) are a later issue."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, duplicate, invalid_data, not_found
from mercato.core.present import load_options, present, relation_tree
from mercato.modules.returns.models import ReturnReason
from mercato.modules.returns.schemas import AdminPostReturnReasonsReasonReq, AdminPostReturnReasonsReq

# api/routes/admin/return-reasons/index.ts (the store's are the same): metadata is not selected
# for the reason itself, while its relations come with every column
DEFAULT_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "value",
    "label",
    "description",
    "parent_return_reason_id",
)
RELATION_FIELDS = (*DEFAULT_FIELDS, "metadata")
DEFAULT_RELATIONS = ("parent_return_reason", "return_reason_children")
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)


def _columns(reason: ReturnReason, names: tuple[str, ...]) -> dict[str, Any]:
    # the columns in the order TypeORM serialises the entity
    out = present(reason, None, set(names))
    assert out is not None
    return {name: out[name] for name in names}


def present_reason(reason: ReturnReason) -> dict[str, Any]:
    out = _columns(reason, DEFAULT_FIELDS)
    parent = reason.parent_return_reason
    out["parent_return_reason"] = _columns(parent, RELATION_FIELDS) if parent is not None else None
    out["return_reason_children"] = [_columns(c, RELATION_FIELDS) for c in reason.return_reason_children]
    return out


def _live() -> Any:
    return ReturnReason.deleted_at.is_(None)


async def retrieve_reason(tx: AsyncSession, reason_id: str, *, with_relations: bool = True) -> ReturnReason:
    stmt = select(ReturnReason).where(ReturnReason.id == reason_id, _live())
    if with_relations:
        stmt = stmt.options(*load_options(ReturnReason, DEFAULT_TREE)).execution_options(
            populate_existing=True
        )
    reason = (await tx.execute(stmt)).scalar_one_or_none()
    if reason is None:
        raise not_found(f"Return Reason with id: {reason_id} was not found.")
    return reason


async def list_reasons(tx: AsyncSession) -> list[ReturnReason]:
    """The top-level reasons with their children; Medusa pages nothing here."""
    stmt = (
        select(ReturnReason)
        .where(ReturnReason.parent_return_reason_id.is_(None), _live())
        .order_by(ReturnReason.created_at, ReturnReason.id)
        .options(*load_options(ReturnReason, DEFAULT_TREE))
    )
    return list((await tx.execute(stmt)).scalars().all())


# ---- writing ---------------------------------------------------------------------------------


def _duplicate_value(value: str) -> MedusaError:
    # utils/exception-formatter.ts on PostgreSQL's "Key (value)=(…) already exists."
    detail = re.sub(r"[()=]", lambda m: " " if m.group() == "=" else "", f"(value)=({value}) already exists.")
    return duplicate(f"Return_reason with {detail}")


async def _check_value_free(tx: AsyncSession, value: str, reason_id: str | None) -> None:
    stmt = select(ReturnReason.id).where(ReturnReason.value == value, _live())
    if reason_id is not None:
        stmt = stmt.where(ReturnReason.id != reason_id)
    if (await tx.execute(stmt.limit(1))).first() is not None:
        raise _duplicate_value(value)


def _not_null(values: dict[str, Any]) -> None:
    for column in ("value", "label"):
        if column in values and values[column] is None:
            raise invalid_data(f"Can't insert null value in field {column} on insert in table return_reason")


async def _flush(tx: AsyncSession, value: str | None) -> None:
    try:
        await tx.flush()
    except IntegrityError:
        # a concurrent request took the value between our check and the write
        raise _duplicate_value(value or "") from None


async def create_reason(tx: AsyncSession, data: AdminPostReturnReasonsReq) -> str:
    parent_id = data.parent_return_reason_id
    if parent_id:
        parent = await retrieve_reason(tx, parent_id, with_relations=False)
        if parent.parent_return_reason_id:
            raise invalid_data("Doubly nested return reasons is not supported")
    elif parent_id == "":
        # the foreign key refuses it; Medusa's formatter then answers "null" (docs/compatibility.md)
        raise not_found("Return_reason with parent_return_reason_id  does not exist.")
    await _check_value_free(tx, data.value, None)
    reason = ReturnReason(
        value=data.value,
        label=data.label,
        description=data.description,
        parent_return_reason_id=parent_id,
        metadata_=data.metadata,
    )
    tx.add(reason)
    await _flush(tx, data.value)
    return reason.id


async def update_reason(tx: AsyncSession, reason_id: str, data: AdminPostReturnReasonsReasonReq) -> None:
    reason = await retrieve_reason(tx, reason_id, with_relations=False)
    values: dict[str, Any] = {
        name: getattr(data, name)
        for name in ("label", "value", "description", "metadata")
        if name in data.model_fields_set
    }
    _not_null(values)
    if values.get("value") is not None and values["value"] != reason.value:
        await _check_value_free(tx, values["value"], reason.id)
    if "metadata" in values:
        # replaced as a whole: this service does not merge metadata
        values["metadata_"] = values.pop("metadata")
    for attr, value in values.items():
        # TypeORM writes (and bumps updated_at) only when a value really changes
        if getattr(reason, attr) != value:
            setattr(reason, attr, value)
    await _flush(tx, values.get("value"))


async def delete_reason(tx: AsyncSession, reason_id: str) -> None:
    """A soft delete that cascades to the reason's children."""
    reason = await retrieve_reason(tx, reason_id, with_relations=False)
    now = utcnow()
    await tx.execute(
        update(ReturnReason)
        .where(
            or_(ReturnReason.id == reason.id, ReturnReason.parent_return_reason_id == reason.id),
            _live(),
        )
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
