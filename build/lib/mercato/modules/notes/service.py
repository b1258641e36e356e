"""Notes: text an admin leaves on a resource (an order, a customer…) (Medusa's services/note.ts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import not_found
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_page, count_rows
from mercato.modules.notes.models import Note
from mercato.modules.notes.schemas import AdminGetNotesParams

# api/routes/admin/notes: list and retrieve load the author; create and update answer without it
AUTHOR = relation_tree(["author"])


async def retrieve_note(tx: AsyncSession, note_id: str, tree: Tree | None = None) -> Note:
    stmt = select(Note).where(Note.id == note_id, Note.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(Note, tree))
    note = (await tx.execute(stmt)).scalar_one_or_none()
    if note is None:
        raise not_found(f"Note with id: {note_id} was not found.")
    return note


async def list_notes(tx: AsyncSession, p: AdminGetNotesParams) -> tuple[list[Note], int]:
    stmt = select(Note).where(Note.deleted_at.is_(None))
    if p.resource_id:
        stmt = stmt.where(Note.resource_id == p.resource_id)
    count = await count_rows(tx, stmt)
    # TypeORM pages a joined find by primary key when no order is given; ids are time-ordered
    stmt = apply_page(stmt.order_by(Note.id.asc()), p.offset, p.limit)
    rows = (await tx.execute(stmt.options(*load_options(Note, AUTHOR)))).scalars().all()
    return list(rows), count


async def create_note(
    tx: AsyncSession, *, resource_id: str, resource_type: str, value: str, author_id: str
) -> Note:
    note = Note(
        resource_id=resource_id, resource_type=resource_type, value=value, author_id=author_id, metadata_={}
    )
    tx.add(note)
    await tx.flush()
    # event: note.created {id}
    return note


async def update_note(tx: AsyncSession, note_id: str, value: str) -> Note:
    note = await retrieve_note(tx, note_id)
    if note.value != value:
        note.value = value
        await tx.flush()
    # event: note.updated {id}
    return note


async def delete_note(tx: AsyncSession, note_id: str) -> None:
    note = await retrieve_note(tx, note_id)
    note.deleted_at = utcnow()  # updated_at moves with it, as TypeORM's softRemove does
    await tx.flush()
    # event: note.deleted {id}


def present_note(note: Note, tree: Tree | None = None) -> dict[str, Any]:
    out = present(note, tree)
    assert out is not None
    author = out.get("author")
    if isinstance(author, dict):
        # the user's password hash is `select: false` in Medusa
        author.pop("password_hash", None)
    return out
