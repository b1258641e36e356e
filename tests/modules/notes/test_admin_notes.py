"""Admin notes: Medusa's api/routes/admin/notes, checked against a real Medusa 1.20's answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.notes.models import Note

NOTE_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "value",
    "resource_type",
    "resource_id",
    "author_id",
    "metadata",
}
AUTHOR_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "role",
    "email",
    "first_name",
    "last_name",
    "api_token",
    "metadata",
}


async def create_note(
    admin: httpx.AsyncClient, resource_id: str = "order_1", value: str = "Hello"
) -> dict[str, Any]:
    res = await admin.post(
        "/admin/notes", json={"resource_id": resource_id, "resource_type": "order", "value": value}
    )
    assert res.status_code == 200, res.text
    note: dict[str, Any] = res.json()["note"]
    return note


async def test_create_note(admin: httpx.AsyncClient, admin_user: Any, db: Database) -> None:
    res = await admin.post(
        "/admin/notes", json={"resource_id": "order_1", "resource_type": "order", "value": "Hi"}
    )
    assert res.status_code == 200
    note = res.json()["note"]
    # create answers the saved row, without the author relation
    assert set(note) == NOTE_KEYS
    assert note["id"].startswith("note_")
    assert note["value"] == "Hi"
    assert note["resource_type"] == "order"
    assert note["resource_id"] == "order_1"
    assert note["author_id"] == admin_user.id
    assert note["metadata"] == {}
    assert note["deleted_at"] is None
    assert note["created_at"] == note["updated_at"]
    async with db.read_session() as tx:
        row = (await tx.execute(select(Note).where(Note.id == note["id"]))).scalar_one()
        assert (row.value, row.author_id) == ("Hi", admin_user.id)


async def test_create_note_with_api_token_author(client: httpx.AsyncClient, admin_user: Any) -> None:
    res = await client.post(
        "/admin/notes",
        json={"resource_id": "cus_1", "resource_type": "customer", "value": "VIP"},
        headers={"x-medusa-access-token": "test_api_token"},
    )
    assert res.status_code == 200
    assert res.json()["note"]["author_id"] == admin_user.id


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {},
            "resource_id should not be empty, resource_id must be a string, "
            "resource_type should not be empty, resource_type must be a string, "
            "value should not be empty, value must be a string",
        ),
        (
            {"resource_id": "", "resource_type": 5, "value": None, "x": 1},
            "property x should not exist, resource_id should not be empty, resource_type must be a string, "
            "value should not be empty, value must be a string",
        ),
        (
            {"resource_id": "o", "resource_type": "order", "value": "v", "metadata": {}},
            "property metadata should not exist",
        ),
    ],
)
async def test_create_note_bad_body(
    admin: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    res = await admin.post("/admin/notes", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    async with db.read_session() as tx:
        assert (await tx.execute(select(Note))).first() is None


async def test_create_note_without_body(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/notes")
    assert res.status_code == 400
    assert res.json()["message"].startswith("resource_id should not be empty")


async def test_get_note_has_its_author(admin: httpx.AsyncClient, admin_user: Any) -> None:
    created = await create_note(admin)
    res = await admin.get(f"/admin/notes/{created['id']}")
    assert res.status_code == 200
    note = res.json()["note"]
    assert set(note) == NOTE_KEYS | {"author"}
    assert {k: note[k] for k in NOTE_KEYS} == created
    assert set(note["author"]) == AUTHOR_KEYS
    assert note["author"]["id"] == admin_user.id
    assert note["author"]["email"] == "admin@mercato.test"
    assert "password_hash" not in note["author"]


async def test_get_unknown_note(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/notes/note_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Note with id: note_nope was not found."}


async def test_list_notes(admin: httpx.AsyncClient) -> None:
    a = await create_note(admin, "order_1", "a")
    b = await create_note(admin, "order_1", "b")
    c = await create_note(admin, "order_2", "c")

    res = await admin.get("/admin/notes")
    assert res.status_code == 200
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (3, 0, 50)
    assert [n["id"] for n in body["notes"]] == [a["id"], b["id"], c["id"]]
    assert all(set(n) == NOTE_KEYS | {"author"} for n in body["notes"])
    assert all("password_hash" not in n["author"] for n in body["notes"])

    res = await admin.get("/admin/notes", params={"resource_id": "order_1"})
    assert [n["value"] for n in res.json()["notes"]] == ["a", "b"]
    assert res.json()["count"] == 2

    res = await admin.get("/admin/notes", params={"resource_id": "order_1", "limit": "1", "offset": "1"})
    body = res.json()
    assert [n["value"] for n in body["notes"]] == ["b"]
    assert (body["count"], body["offset"], body["limit"]) == (2, 1, 1)

    await admin.delete(f"/admin/notes/{b['id']}")
    res = await admin.get("/admin/notes", params={"resource_id": "order_1"})
    assert [n["value"] for n in res.json()["notes"]] == ["a"]
    assert res.json()["count"] == 1


async def test_list_notes_bad_query(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/notes", params={"expand": "author"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "property expand should not exist"}
    res = await admin.get("/admin/notes", params={"limit": "x"})
    assert res.json() == {
        "type": "invalid_data",
        "message": "limit must be a number conforming to the specified constraints",
    }
    res = await admin.get("/admin/notes", params=[("resource_id", "a"), ("resource_id", "b")])
    assert res.json() == {"type": "invalid_data", "message": "resource_id must be a string"}


async def test_update_note(admin: httpx.AsyncClient) -> None:
    created = await create_note(admin)
    res = await admin.post(f"/admin/notes/{created['id']}", json={"value": "Changed"})
    assert res.status_code == 200
    note = res.json()["note"]
    assert set(note) == NOTE_KEYS
    assert note["value"] == "Changed"
    assert note["created_at"] == created["created_at"]
    assert note["updated_at"] >= created["updated_at"]
    # an empty value is accepted on update
    res = await admin.post(f"/admin/notes/{created['id']}", json={"value": ""})
    assert res.json()["note"]["value"] == ""
    res = await admin.get(f"/admin/notes/{created['id']}")
    assert res.json()["note"]["value"] == ""


async def test_update_note_refusals(admin: httpx.AsyncClient) -> None:
    created = await create_note(admin)
    res = await admin.post(f"/admin/notes/{created['id']}", json={})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "value must be a string"}
    res = await admin.post(f"/admin/notes/{created['id']}", json={"value": "x", "resource_id": "y"})
    assert res.json() == {"type": "invalid_data", "message": "property resource_id should not exist"}
    # the body is validated before the note is looked up
    res = await admin.post("/admin/notes/note_nope", json={})
    assert res.json() == {"type": "invalid_data", "message": "value must be a string"}
    res = await admin.post("/admin/notes/note_nope", json={"value": "x"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Note with id: note_nope was not found."}


async def test_delete_note(admin: httpx.AsyncClient, db: Database) -> None:
    created = await create_note(admin)
    res = await admin.delete(f"/admin/notes/{created['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": created["id"], "object": "note", "deleted": True}
    res = await admin.get(f"/admin/notes/{created['id']}")
    assert res.status_code == 404
    res = await admin.delete(f"/admin/notes/{created['id']}")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": f"Note with id: {created['id']} was not found."}
    res = await admin.post(f"/admin/notes/{created['id']}", json={"value": "x"})
    assert res.status_code == 404
    async with db.read_session() as tx:
        row = (await tx.execute(select(Note).where(Note.id == created["id"]))).scalar_one()
        assert row.deleted_at is not None


async def test_deleted_author_is_no_author(admin: httpx.AsyncClient, db: Database, admin_user: Any) -> None:
    from mercato.core.clock import utcnow
    from mercato.modules.users.service import create_user_record

    created = await create_note(admin)
    async with db.write_session() as tx:
        other = await create_user_record(tx, email="gone@mercato.test", password="x")
        row = (await tx.execute(select(Note).where(Note.id == created["id"]))).scalar_one()
        row.author_id = other.id
        other.deleted_at = utcnow()
        await tx.commit()
    res = await admin.get(f"/admin/notes/{created['id']}")
    assert res.json()["note"]["author_id"] is not None
    assert res.json()["note"]["author"] is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/notes"),
        ("POST", "/admin/notes"),
        ("GET", "/admin/notes/note_x"),
        ("POST", "/admin/notes/note_x"),
        ("DELETE", "/admin/notes/note_x"),
    ],
)
async def test_notes_need_authentication(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={"value": "x"} if method == "POST" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
