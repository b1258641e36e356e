"""Return reasons: the five Admin routes (/admin/return-reasons…) and the Store's two
(/store/return-reasons…). Returns, swaps and claims come with a later issue."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.returns import service
from mercato.modules.returns.schemas import AdminPostReturnReasonsReasonReq, AdminPostReturnReasonsReq

admin = admin_router("Return Reasons")
store = public_router("/store", "Return Reasons")


async def _answer(tx: Tx, reason_id: str) -> Response:
    reason = await service.retrieve_reason(tx, reason_id)
    return ok({"return_reason": service.present_reason(reason)})


async def _list(tx: Tx) -> Response:
    reasons = await service.list_reasons(tx)
    return ok({"return_reasons": [service.present_reason(r) for r in reasons]})


# ---- admin -----------------------------------------------------------------------------------


@admin.get("/return-reasons")
@cacheable()
async def list_reasons(tx: Tx) -> Response:
    return await _list(tx)


@admin.post("/return-reasons")
async def create_reason(tx: Tx, body: Annotated[AdminPostReturnReasonsReq | None, Body()] = None) -> Response:
    reason_id = await service.create_reason(tx, body_or_empty(AdminPostReturnReasonsReq, body))
    return await _answer(tx, reason_id)


@admin.get("/return-reasons/{reason_id}")
@cacheable()
async def get_reason(reason_id: str, tx: Tx) -> Response:
    return await _answer(tx, reason_id)


@admin.post("/return-reasons/{reason_id}")
async def update_reason(
    reason_id: str, tx: Tx, body: Annotated[AdminPostReturnReasonsReasonReq | None, Body()] = None
) -> Response:
    await service.update_reason(tx, reason_id, body_or_empty(AdminPostReturnReasonsReasonReq, body))
    return await _answer(tx, reason_id)


@admin.delete("/return-reasons/{reason_id}")
async def delete_reason(reason_id: str, tx: Tx) -> Response:
    await service.delete_reason(tx, reason_id)
    return ok({"id": reason_id, "object": "return_reason", "deleted": True})


# ---- store -----------------------------------------------------------------------------------


@store.get("/return-reasons")
@cacheable()
async def store_list_reasons(tx: Tx) -> Response:
    return await _list(tx)


@store.get("/return-reasons/{reason_id}")
@cacheable()
async def store_get_reason(reason_id: str, tx: Tx) -> Response:
    return await _answer(tx, reason_id)
