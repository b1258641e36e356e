"""Notes: GET/POST /admin/notes, GET/POST/DELETE /admin/notes/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.auth.deps import AdminUser
from mercato.modules.notes import service
from mercato.modules.notes.schemas import AdminGetNotesParams, AdminPostNotesNoteReq, AdminPostNotesReq

admin = admin_router("Notes")


@admin.get("/notes")
@cacheable()
async def list_notes(
    p: Annotated[AdminGetNotesParams, Depends(params(AdminGetNotesParams))], tx: Tx
) -> Response:
    notes, count = await service.list_notes(tx, p)
    return ok(
        {
            "notes": [service.present_note(n, service.AUTHOR) for n in notes],
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/notes")
async def create_note(
    user: AdminUser, tx: Tx, body: Annotated[AdminPostNotesReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostNotesReq, body)
    note = await service.create_note(
        tx,
        resource_id=data.resource_id,
        resource_type=data.resource_type,
        value=data.value,
        author_id=user.id,
    )
    return ok({"note": service.present_note(note)})


@admin.get("/notes/{id}")
@cacheable()
async def get_note(id: str, tx: Tx) -> Response:
    note = await service.retrieve_note(tx, id, service.AUTHOR)
    return ok({"note": service.present_note(note, service.AUTHOR)})


@admin.post("/notes/{id}")
async def update_note(
    id: str, tx: Tx, body: Annotated[AdminPostNotesNoteReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostNotesNoteReq, body)
    note = await service.update_note(tx, id, data.value)
    return ok({"note": service.present_note(note)})


@admin.delete("/notes/{id}")
async def delete_note(id: str, tx: Tx) -> Response:
    await service.delete_note(tx, id)
    return ok({"id": id, "object": "note", "deleted": True})
