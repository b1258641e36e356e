"""Admin draft orders: the nine /admin/draft-orders routes of Medusa v1.20."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.http import Tx, ok
from mercato.core.present import relation_tree
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.draft_orders import service
from mercato.modules.draft_orders.schemas import (
    AdminGetDraftOrdersParams,
    AdminPostDraftOrdersDraftOrderLineItemsItemReq,
    AdminPostDraftOrdersDraftOrderLineItemsReq,
    AdminPostDraftOrdersDraftOrderReq,
    AdminPostDraftOrdersReq,
)

admin = admin_router("Draft Orders")

_WITH_ORDER = relation_tree(["order"])


@admin.get("/draft-orders")
async def list_draft_orders(
    p: Annotated[AdminGetDraftOrdersParams, Depends(params(AdminGetDraftOrdersParams))], tx: Tx
) -> Response:
    drafts, count = await service.list_drafts(tx, p)
    return ok({"draft_orders": drafts, "count": count, "offset": p.offset, "limit": p.limit})


@admin.post("/draft-orders")
async def create_draft_order(
    tx: Tx, body: Annotated[AdminPostDraftOrdersReq | None, Body()] = None
) -> Response:
    draft, view = await service.create_draft(tx, body_or_empty(AdminPostDraftOrdersReq, body))
    return ok(await service.draft_response(tx, draft.id, tree=_WITH_ORDER, draft=draft, view=view))


@admin.get("/draft-orders/{id}")
async def get_draft_order(id: str, tx: Tx) -> Response:
    return ok(await service.draft_response(tx, id, tree=_WITH_ORDER))


@admin.post("/draft-orders/{id}")
async def update_draft_order(
    id: str, tx: Tx, body: Annotated[AdminPostDraftOrdersDraftOrderReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostDraftOrdersDraftOrderReq, body)
    before = await service.update_draft(tx, id, data)
    answer = await service.draft_response(tx, id, fields=None)
    # Medusa answers the draft order row it read before the update, with the fresh cart
    answer["draft_order"].update(before)
    return ok(answer)


@admin.delete("/draft-orders/{id}")
async def delete_draft_order(id: str, tx: Tx) -> Response:
    await service.delete_draft(tx, id)
    return ok({"id": id, "object": "draft-order", "deleted": True})


@admin.post("/draft-orders/{id}/line-items")
async def create_line_item(
    id: str, tx: Tx, body: Annotated[AdminPostDraftOrdersDraftOrderLineItemsReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostDraftOrdersDraftOrderLineItemsReq, body)
    draft = await service.create_line_item(tx, id, data)
    return ok(await service.draft_response(tx, draft.id))


@admin.post("/draft-orders/{id}/line-items/{line_id}")
async def update_line_item(
    id: str,
    line_id: str,
    tx: Tx,
    body: Annotated[AdminPostDraftOrdersDraftOrderLineItemsItemReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostDraftOrdersDraftOrderLineItemsItemReq, body)
    draft = await service.update_line_item(tx, id, line_id, data)
    return ok(await service.draft_response(tx, draft.id))


@admin.delete("/draft-orders/{id}/line-items/{line_id}")
async def delete_line_item(id: str, line_id: str, tx: Tx) -> Response:
    draft = await service.delete_line_item(tx, id, line_id)
    return ok(await service.draft_response(tx, draft.id))


@admin.post("/draft-orders/{id}/pay")
async def register_payment(id: str, tx: Tx) -> Response:
    return ok(await service.register_payment(tx, id))
