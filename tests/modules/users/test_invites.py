"""/admin/invites: list, create (re-invite), accept, delete, resend (Medusa 1.20)."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import httpx
import jwt
from sqlalchemy import select, update

from mercato.config import get_settings
from mercato.db.session import Database
from mercato.modules.users.models import Invite, User
from tests.modules.users.conftest import MakeUser

INVITE_KEYS = {
    "id",
    "user_email",
    "role",
    "accepted",
    "token",
    "expires_at",
    "created_at",
    "updated_at",
    "deleted_at",
    "metadata",
}


def _invalid(res: httpx.Response, message: str) -> None:
    assert res.status_code == 400, res.text
    assert res.json() == {"type": "invalid_data", "message": message}


def _unauthorized(res: httpx.Response) -> None:
    assert res.status_code == 401
    assert res.text == "Unauthorized"


def _ok_text(res: httpx.Response) -> None:
    assert res.status_code == 200, res.text
    assert res.text == "OK"
    assert res.headers["content-type"].startswith("text/plain")


async def _invites(admin: httpx.AsyncClient) -> list[dict[str, Any]]:
    res = await admin.get("/admin/invites")
    assert res.status_code == 200
    invites: list[dict[str, Any]] = res.json()["invites"]
    return invites


def _parse(ts: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, get_settings().jwt_secret, algorithms=["HS256"])


# ---- GET /admin/invites ---------------------------------------------------------------------


async def test_list_invites(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/invites")
    assert res.status_code == 200
    assert res.json() == {"invites": []}
    await admin.post("/admin/invites", json={"user": "a@shop.test", "role": "member"})
    await admin.post("/admin/invites", json={"user": "b@shop.test", "role": "admin"})
    # no pagination: no count/offset/limit, query parameters are ignored
    res = await admin.get("/admin/invites", params={"limit": 1})
    body = res.json()
    assert set(body) == {"invites"}
    assert [i["user_email"] for i in body["invites"]] == ["a@shop.test", "b@shop.test"]
    assert set(body["invites"][0]) == INVITE_KEYS


async def test_list_invites_requires_auth(client: httpx.AsyncClient) -> None:
    _unauthorized(await client.get("/admin/invites"))


# ---- POST /admin/invites --------------------------------------------------------------------


async def test_create_invite(admin: httpx.AsyncClient) -> None:
    _ok_text(await admin.post("/admin/invites", json={"user": "Invitee@Shop.test", "role": "developer"}))
    [invite] = await _invites(admin)
    assert invite["id"].startswith("invite_")
    assert invite["user_email"] == "Invitee@Shop.test"  # stored as given
    assert (invite["role"], invite["accepted"], invite["metadata"]) == ("developer", False, None)
    claims = _claims(invite["token"])
    assert {k: claims[k] for k in ("invite_id", "role", "user_email")} == {
        "invite_id": invite["id"],
        "role": "developer",
        "user_email": "Invitee@Shop.test",
    }
    assert "exp" not in claims
    week = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    assert abs((_parse(invite["expires_at"]) - week).total_seconds()) < 60


async def test_reinvite_updates_the_pending_invite(admin: httpx.AsyncClient) -> None:
    await admin.post("/admin/invites", json={"user": "inv@shop.test", "role": "developer"})
    [first] = await _invites(admin)
    _ok_text(await admin.post("/admin/invites", json={"user": "inv@shop.test", "role": "admin"}))
    [second] = await _invites(admin)
    assert second["id"] == first["id"]
    assert second["role"] == "admin"
    assert _claims(second["token"])["role"] == "admin"
    _ok_text(await admin.post("/admin/invites", json={"user": "inv@shop.test", "role": "admin"}))
    [third] = await _invites(admin)
    assert third["id"] == first["id"] and third["role"] == "admin"
    # the same address in other letters is another invite (Medusa compares exactly)
    await admin.post("/admin/invites", json={"user": "INV@shop.test", "role": "member"})
    assert len(await _invites(admin)) == 2


async def test_create_invite_for_existing_user(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    await make_user("taken@shop.test")
    res = await admin.post("/admin/invites", json={"user": "taken@shop.test", "role": "admin"})
    _invalid(res, "Can't invite a user with an existing account")
    assert await _invites(admin) == []


async def test_create_invite_bad_body(admin: httpx.AsyncClient) -> None:
    _invalid(
        await admin.post("/admin/invites", json={}),
        "user must be an email, role must be one of the following values: admin, member, developer",
    )
    _invalid(
        await admin.post("/admin/invites", json={"user": "x", "role": "boss", "zz": 1}),
        "property zz should not exist, user must be an email, "
        "role must be one of the following values: admin, member, developer",
    )
    _invalid(
        await admin.post("/admin/invites", json={"user": "a@b.co"}),
        "role must be one of the following values: admin, member, developer",
    )


async def test_create_invite_requires_auth(client: httpx.AsyncClient) -> None:
    _unauthorized(await client.post("/admin/invites", json={"user": "a@b.co", "role": "admin"}))


# ---- POST /admin/invites/accept -------------------------------------------------------------


async def test_accept_invite(admin: httpx.AsyncClient, db: Database) -> None:
    await admin.post("/admin/invites", json={"user": "New.Admin@Shop.test", "role": "developer"})
    [old] = await _invites(admin)
    await admin.post("/admin/invites", json={"user": "New.Admin@Shop.test", "role": "admin"})

    # public route: no credentials at all
    async with httpx.AsyncClient(transport=admin._transport, base_url="http://test") as anonymous:
        # a token issued before the role change still names the invite; the invite's role wins
        res = await anonymous.post(
            "/admin/invites/accept",
            json={
                "token": old["token"],
                "user": {"first_name": "New", "last_name": "Admin", "password": "pw-9"},
            },
        )
        _ok_text(res)
        res = await anonymous.post(
            "/admin/auth/token", json={"email": "new.admin@shop.test", "password": "pw-9"}
        )
        assert res.status_code == 200

    async with db.read_session() as tx:
        user = (await tx.execute(select(User).where(User.email == "new.admin@shop.test"))).scalar_one()
        assert (user.role, user.first_name, user.last_name) == ("admin", "New", "Admin")
        assert (await tx.execute(select(Invite))).first() is None  # the invite is deleted


async def test_accept_invite_twice(admin: httpx.AsyncClient) -> None:
    await admin.post("/admin/invites", json={"user": "twice@shop.test", "role": "member"})
    [invite] = await _invites(admin)
    body = {"token": invite["token"], "user": {"password": "pw"}}
    _ok_text(await admin.post("/admin/invites/accept", json=body))
    _invalid(await admin.post("/admin/invites/accept", json=body), "Invalid invite")


async def test_accept_invite_user_already_joined(admin: httpx.AsyncClient) -> None:
    await admin.post("/admin/invites", json={"user": "Twin@shop.test", "role": "member"})
    await admin.post("/admin/invites", json={"user": "twin@shop.test", "role": "member"})
    upper, lower = await _invites(admin)
    _ok_text(
        await admin.post("/admin/invites/accept", json={"token": upper["token"], "user": {"password": "pw"}})
    )
    res = await admin.post(
        "/admin/invites/accept", json={"token": lower["token"], "user": {"password": "pw"}}
    )
    _invalid(res, "User already joined")


async def test_accept_invite_bad_or_expired_token(admin: httpx.AsyncClient, db: Database) -> None:
    _invalid(
        await admin.post("/admin/invites/accept", json={"token": "abc", "user": {"password": "pw"}}),
        "Token is not valid",
    )
    forged = jwt.encode({"invite_id": "invite_x", "role": "admin", "user_email": "x@y.co"}, "not-the-secret")
    _invalid(
        await admin.post("/admin/invites/accept", json={"token": forged, "user": {"password": "pw"}}),
        "Token is not valid",
    )
    unknown = jwt.encode(
        {"invite_id": "invite_x", "role": "admin", "user_email": "x@y.co"}, get_settings().jwt_secret
    )
    _invalid(
        await admin.post("/admin/invites/accept", json={"token": unknown, "user": {"password": "pw"}}),
        "Invalid invite",
    )

    await admin.post("/admin/invites", json={"user": "late@shop.test", "role": "member"})
    [invite] = await _invites(admin)
    async with db.write_session() as tx:
        past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
        await tx.execute(update(Invite).where(Invite.id == invite["id"]).values(expires_at=past))
        await tx.commit()
    res = await admin.post(
        "/admin/invites/accept", json={"token": invite["token"], "user": {"password": "pw"}}
    )
    _invalid(res, "Invalid invite")
    # resending makes it usable again
    _ok_text(await admin.post(f"/admin/invites/{invite['id']}/resend"))
    [invite] = await _invites(admin)
    res = await admin.post(
        "/admin/invites/accept", json={"token": invite["token"], "user": {"password": "pw"}}
    )
    _ok_text(res)


async def test_accept_invite_bad_body(client: httpx.AsyncClient) -> None:
    url = "/admin/invites/accept"
    _invalid(
        await client.post(url, json={}),
        "token should not be empty, token must be a string, user should not be empty",
    )
    _invalid(
        await client.post(url, json={"token": "", "user": {}}),
        "token should not be empty, password must be a string",
    )
    _invalid(
        await client.post(url, json={"token": 5, "user": "x"}),
        "token must be a string, nested property user must be either object or array",
    )
    _invalid(
        await client.post(url, json={"token": "abc", "user": {"password": 5, "first_name": 2, "x": 1}}),
        "property x should not exist, first_name must be a string, password must be a string",
    )
    _invalid(
        await client.post(url, json={"token": "abc", "user": None}),
        "user should not be empty, nested property user must be either object or array",
    )
    _invalid(
        await client.post(url, json={"token": "abc", "user": {"password": "pw"}, "extra": 1}),
        "property extra should not exist",
    )


# ---- DELETE /admin/invites/{id} -------------------------------------------------------------


async def test_delete_invite(admin: httpx.AsyncClient, db: Database) -> None:
    await admin.post("/admin/invites", json={"user": "del@shop.test", "role": "member"})
    [invite] = await _invites(admin)
    res = await admin.delete(f"/admin/invites/{invite['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": invite["id"], "object": "invite", "deleted": True}
    async with db.read_session() as tx:
        assert (await tx.execute(select(Invite))).first() is None  # hard delete
    # its token no longer accepts
    res = await admin.post(
        "/admin/invites/accept", json={"token": invite["token"], "user": {"password": "pw"}}
    )
    _invalid(res, "Invalid invite")


async def test_delete_invite_is_idempotent(admin: httpx.AsyncClient) -> None:
    res = await admin.delete("/admin/invites/invite_nope")
    assert res.status_code == 200
    assert res.json() == {"id": "invite_nope", "object": "invite", "deleted": True}


async def test_delete_invite_requires_auth(client: httpx.AsyncClient) -> None:
    _unauthorized(await client.delete("/admin/invites/invite_nope"))


# ---- POST /admin/invites/{id}/resend --------------------------------------------------------


async def test_resend_invite(admin: httpx.AsyncClient, db: Database) -> None:
    await admin.post("/admin/invites", json={"user": "again@shop.test", "role": "developer"})
    [before] = await _invites(admin)
    async with db.write_session() as tx:
        soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
        await tx.execute(update(Invite).where(Invite.id == before["id"]).values(expires_at=soon, token="old"))
        await tx.commit()
    _ok_text(await admin.post(f"/admin/invites/{before['id']}/resend"))
    [after] = await _invites(admin)
    assert after["id"] == before["id"]
    claims = _claims(after["token"])
    assert (claims["invite_id"], claims["role"], claims["user_email"]) == (
        before["id"],
        "developer",
        "again@shop.test",
    )
    week = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    assert abs((_parse(after["expires_at"]) - week).total_seconds()) < 60


async def test_resend_unknown_invite(admin: httpx.AsyncClient) -> None:
    _invalid(await admin.post("/admin/invites/invite_nope/resend"), "Invite doesn't exist")


async def test_resend_invite_requires_auth(client: httpx.AsyncClient) -> None:
    _unauthorized(await client.post("/admin/invites/invite_nope/resend"))


async def test_accepting_one_invite_twice_at_once_creates_one_user(
    admin: httpx.AsyncClient, db: Database
) -> None:
    await admin.post("/admin/invites", json={"user": "race@shop.test", "role": "member"})
    [invite] = await _invites(admin)
    body = {"token": invite["token"], "user": {"password": "pw"}}
    results = await asyncio.gather(*(admin.post("/admin/invites/accept", json=body) for _ in range(2)))
    assert sorted(r.status_code for r in results) == [200, 400]
    refused = next(r for r in results if r.status_code == 400)
    assert refused.json()["message"] in ("Invalid invite", "User already joined")
    async with db.read_session() as tx:
        users = (await tx.execute(select(User).where(User.email == "race@shop.test"))).scalars().all()
    assert len(users) == 1
