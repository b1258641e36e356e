"""/admin/users: list, create, retrieve, update, delete, password token and reset (Medusa 1.20)."""

from __future__ import annotations

import asyncio
import datetime
import time
from typing import Any

import httpx
import jwt
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.system.models import AnalyticsConfig
from mercato.modules.users import service
from mercato.modules.users.models import User
from tests.conftest import ADMIN_EMAIL
from tests.modules.users.conftest import MakeUser

USER_KEYS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "role",
    "api_token",
    "created_at",
    "updated_at",
    "deleted_at",
    "metadata",
}


async def _login(client: httpx.AsyncClient, email: str, password: str) -> int:
    res = await client.post("/admin/auth/token", json={"email": email, "password": password})
    return res.status_code


async def _row(db: Database, user_id: str) -> User | None:
    async with db.read_session() as tx:
        return (await tx.execute(select(User).where(User.id == user_id))).scalar_one_or_none()


def _invalid(res: httpx.Response, message: str) -> None:
    assert res.status_code == 400, res.text
    assert res.json() == {"type": "invalid_data", "message": message}


def _unauthorized(res: httpx.Response) -> None:
    assert res.status_code == 401
    assert res.text == "Unauthorized"


# ---- GET /admin/users -----------------------------------------------------------------------


async def test_list_users_envelope_and_default_order(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    first = await make_user("ann@shop.test", first_name="Ann", last_name="Lee", role="developer")
    second = await make_user("bob@shop.test", first_name="Bob", last_name="Ray")
    res = await admin.get("/admin/users")
    assert res.status_code == 200
    body = res.json()
    assert body["count"] == 3 and body["offset"] == 0 and body["limit"] == 50
    # created_at DESC by default
    assert [u["id"] for u in body["users"]][:2] == [second.id, first.id]
    ann = next(u for u in body["users"] if u["id"] == first.id)
    assert set(ann) == USER_KEYS
    assert ann["email"] == "ann@shop.test" and ann["role"] == "developer" and ann["metadata"] is None
    me = next(u for u in body["users"] if u["email"] == ADMIN_EMAIL)
    assert me["api_token"] == "test_api_token"  # Medusa returns api_token


async def test_list_users_filters_search_and_paging(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    ann = await make_user("ann@shop.test", first_name="Ann", last_name="Lee", role="developer")
    bob = await make_user("bob@shop.test", first_name="Bob", last_name="Annesley")
    await make_user("cy@shop.test", first_name="Cy", last_name="Zed", role="admin")

    res = await admin.get("/admin/users", params={"q": "ANN"})
    assert {u["id"] for u in res.json()["users"]} == {ann.id, bob.id}
    # an enum sorts in its declared order (admin, member, developer), as PostgreSQL's enums
    res = await admin.get("/admin/users", params={"q": "ANN", "order": "role"})
    assert [u["id"] for u in res.json()["users"]] == [bob.id, ann.id]
    res = await admin.get("/admin/users", params={"q": "ANN", "order": "-role"})
    assert [u["id"] for u in res.json()["users"]] == [ann.id, bob.id]
    assert res.json()["count"] == 2
    # q replaces the email/name equality filters (UserService.listAndCount)
    res = await admin.get("/admin/users", params={"q": "ann", "first_name": "Nobody"})
    assert res.json()["count"] == 2
    res = await admin.get("/admin/users", params={"first_name": "Bob"})
    assert [u["id"] for u in res.json()["users"]] == [bob.id]
    res = await admin.get("/admin/users", params={"email": "ANN@shop.test"})  # exact match
    assert res.json()["count"] == 0
    res = await admin.get("/admin/users", params={"role": "developer"})
    assert [u["id"] for u in res.json()["users"]] == [ann.id]
    res = await admin.get("/admin/users?role[]=developer&role[]=admin")
    assert {u["email"] for u in res.json()["users"]} == {"ann@shop.test", "cy@shop.test", ADMIN_EMAIL}
    res = await admin.get(f"/admin/users?id[]={ann.id}&id[]={bob.id}")
    assert {u["id"] for u in res.json()["users"]} == {ann.id, bob.id}
    res = await admin.get("/admin/users", params={"order": "email", "limit": 2, "offset": 1})
    body = res.json()
    assert [u["email"] for u in body["users"]] == ["ann@shop.test", "bob@shop.test"]
    assert (body["count"], body["offset"], body["limit"]) == (4, 1, 2)
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).isoformat()
    res = await admin.get(f"/admin/users?created_at[gt]={future.replace('+', '%2B')}")
    assert res.json()["count"] == 0
    res = await admin.get("/admin/users?created_at[gt]=2020-01-01")
    assert res.json()["count"] == 4


async def test_list_users_fields_never_include_password_hash(
    admin: httpx.AsyncClient, make_user: MakeUser
) -> None:
    await make_user("ann@shop.test")
    res = await admin.get("/admin/users", params={"fields": "email,password_hash"})
    assert res.status_code == 200
    for user in res.json()["users"]:
        assert set(user) == {"id", "created_at", "email"}


async def test_list_users_hides_deleted(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    gone = await make_user("gone@shop.test")
    await admin.delete(f"/admin/users/{gone.id}")
    res = await admin.get("/admin/users")
    assert gone.id not in {u["id"] for u in res.json()["users"]}
    res = await admin.get("/admin/users?deleted_at[gt]=2020-01-01")
    assert res.json()["count"] == 0


async def test_list_users_bad_query(admin: httpx.AsyncClient) -> None:
    _invalid(
        await admin.get("/admin/users", params={"role": "boss"}),
        "each value in role must be one of the following values: member, admin, developer",
    )
    _invalid(
        await admin.get("/admin/users", params={"limit": "abc"}),
        "limit must be a number conforming to the specified constraints",
    )
    _invalid(await admin.get("/admin/users", params={"foo": "1"}), "property foo should not exist")
    _invalid(await admin.get("/admin/users?created_at[gt]=bad"), "gt must be a Date instance")
    _invalid(await admin.get("/admin/users?created_at[foo]=2020-01-01"), "property foo should not exist")
    _invalid(
        await admin.get("/admin/users?zz=1&q[]=x&offset=x"),
        "property zz should not exist, q must be a string, "
        "offset must be a number conforming to the specified constraints",
    )


async def test_list_users_requires_auth(client: httpx.AsyncClient) -> None:
    _unauthorized(await client.get("/admin/users"))


# ---- POST /admin/users ----------------------------------------------------------------------


async def test_create_user(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.post(
        "/admin/users", json={"email": "New.Person@Shop.test", "password": "pw-1", "first_name": "New"}
    )
    assert res.status_code == 200
    user = res.json()["user"]
    assert set(user) == USER_KEYS
    assert user["id"].startswith("usr_")
    assert user["email"] == "new.person@shop.test"
    assert user["role"] == "member"
    assert (user["first_name"], user["last_name"], user["api_token"], user["metadata"]) == (
        "New",
        None,
        None,
        None,
    )
    row = await _row(db, user["id"])
    assert row is not None and row.password_hash and row.password_hash != "pw-1"
    assert await _login(admin, "NEW.person@shop.test", "pw-1") == 200

    res = await admin.post(
        "/admin/users", json={"email": "dev@shop.test", "password": "x", "role": "developer"}
    )
    assert res.json()["user"]["role"] == "developer"
    # an explicit null is stored over the column's default, as Medusa's insert does
    res = await admin.post("/admin/users", json={"email": "norole@shop.test", "password": "x", "role": None})
    assert res.status_code == 200 and res.json()["user"]["role"] is None
    got = await admin.get(f"/admin/users/{res.json()['user']['id']}")
    assert got.json()["user"]["role"] is None


async def test_create_user_duplicate_email(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    await make_user("taken@shop.test")
    res = await admin.post("/admin/users", json={"email": "TAKEN@shop.test", "password": "x"})
    _invalid(res, "A user with the same email already exists.")


async def test_create_user_reuses_email_of_deleted_user(
    admin: httpx.AsyncClient, make_user: MakeUser
) -> None:
    old = await make_user("again@shop.test")
    await admin.delete(f"/admin/users/{old.id}")
    res = await admin.post("/admin/users", json={"email": "again@shop.test", "password": "x"})
    assert res.status_code == 200
    assert res.json()["user"]["id"] != old.id


async def test_create_user_bad_body(admin: httpx.AsyncClient) -> None:
    _invalid(await admin.post("/admin/users", json={}), "email must be an email, password must be a string")
    _invalid(
        await admin.post("/admin/users", json={"email": "notanemail", "password": "x"}),
        "email must be an email",
    )
    _invalid(
        await admin.post(
            "/admin/users", json={"email": "a@b.co", "password": "x", "role": "boss", "metadata": {}}
        ),
        "property metadata should not exist, "
        "role must be one of the following values: admin, member, developer",
    )
    _invalid(
        await admin.post("/admin/users", json={"email": "a@b.co", "password": 5, "first_name": 3}),
        "first_name must be a string, password must be a string",
    )
    _invalid(
        await admin.post("/admin/users", json={"email": "a@b.co", "password": "x", "api_token": "t"}),
        "property api_token should not exist",
    )


async def test_create_user_requires_auth(client: httpx.AsyncClient) -> None:
    _unauthorized(await client.post("/admin/users", json={"email": "a@b.co", "password": "x"}))


# ---- GET /admin/users/{id} ------------------------------------------------------------------


async def test_get_user(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    user = await make_user("ann@shop.test", first_name="Ann", metadata={"k": 1})
    res = await admin.get(f"/admin/users/{user.id}")
    assert res.status_code == 200
    body = res.json()["user"]
    assert set(body) == USER_KEYS
    assert (body["id"], body["email"], body["first_name"], body["metadata"]) == (
        user.id,
        "ann@shop.test",
        "Ann",
        {"k": 1},
    )


async def test_get_user_unknown_or_deleted(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    res = await admin.get("/admin/users/usr_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "User with id: usr_nope was not found"}
    gone = await make_user("gone@shop.test")
    await admin.delete(f"/admin/users/{gone.id}")
    res = await admin.get(f"/admin/users/{gone.id}")
    assert res.status_code == 404


async def test_get_user_requires_auth(client: httpx.AsyncClient, admin_user: Any) -> None:
    _unauthorized(await client.get(f"/admin/users/{admin_user.id}"))


# ---- POST /admin/users/{id} -----------------------------------------------------------------


async def test_update_user(admin: httpx.AsyncClient, make_user: MakeUser, client: httpx.AsyncClient) -> None:
    user = await make_user("ann@shop.test", first_name="Ann")
    res = await admin.post(
        f"/admin/users/{user.id}",
        json={
            "metadata": {"a": 1, "b": 2, "c": "x"},
            "api_token": "ann_token",
            "role": "developer",
            "last_name": "Lee",
        },
    )
    assert res.status_code == 200
    body = res.json()["user"]
    assert set(body) == USER_KEYS
    assert (body["role"], body["last_name"], body["api_token"]) == ("developer", "Lee", "ann_token")
    assert body["metadata"] == {"a": 1, "b": 2, "c": "x"}

    # setMetadata: "" removes a key, null is stored, other keys are kept; first_name: null clears
    res = await admin.post(
        f"/admin/users/{user.id}", json={"metadata": {"a": "", "b": None, "d": {"n": 1}}, "first_name": None}
    )
    body = res.json()["user"]
    assert body["metadata"] == {"b": None, "c": "x", "d": {"n": 1}}
    assert body["first_name"] is None and body["last_name"] == "Lee"

    # the new api token authenticates (without the bearer header of `admin`)
    res = await client.get(
        "/admin/users", headers={"Authorization": "", "x-medusa-access-token": "ann_token"}
    )
    assert res.status_code == 200


async def test_update_user_without_changes_keeps_updated_at(
    admin: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user = await make_user("ann@shop.test", first_name="Ann")
    before = (await admin.get(f"/admin/users/{user.id}")).json()["user"]
    res = await admin.post(f"/admin/users/{user.id}", json={"first_name": "Ann", "metadata": None})
    assert res.status_code == 200
    assert res.json()["user"] == before


async def test_update_user_bad_body(admin: httpx.AsyncClient, make_user: MakeUser) -> None:
    user = await make_user("ann@shop.test")
    _invalid(
        await admin.post(f"/admin/users/{user.id}", json={"email": "x@y.com"}),
        "property email should not exist",
    )
    _invalid(
        await admin.post(f"/admin/users/{user.id}", json={"password": "x"}),
        "property password should not exist",
    )
    _invalid(
        await admin.post(
            f"/admin/users/{user.id}",
            json={"metadata": "x", "role": "boss", "api_token": 5, "first_name": 1, "zz": 2},
        ),
        "property zz should not exist, first_name must be a string, "
        "role must be one of the following values: admin, member, developer, "
        "api_token must be a string, metadata must be an object",
    )
    _invalid(await admin.post(f"/admin/users/{user.id}", json={"metadata": []}), "metadata must be an object")


async def test_update_user_unknown(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/users/usr_nope", json={"first_name": "x"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "User with id: usr_nope was not found"}


async def test_update_user_requires_auth(client: httpx.AsyncClient, admin_user: Any) -> None:
    _unauthorized(await client.post(f"/admin/users/{admin_user.id}", json={"first_name": "x"}))


# ---- DELETE /admin/users/{id} ---------------------------------------------------------------


async def test_delete_user_soft_deletes(
    admin: httpx.AsyncClient, make_user: MakeUser, db: Database, client: httpx.AsyncClient
) -> None:
    user = await make_user("ann@shop.test", password="pw", api_token="ann_token")
    async with db.write_session() as tx:
        tx.add(AnalyticsConfig(user_id=user.id, opt_out=False, anonymize=False))
        await tx.commit()
    res = await admin.delete(f"/admin/users/{user.id}")
    assert res.status_code == 200
    assert res.json() == {"id": user.id, "object": "user", "deleted": True}
    row = await _row(db, user.id)
    assert row is not None and row.deleted_at is not None
    async with db.read_session() as tx:
        config = (
            await tx.execute(select(AnalyticsConfig).where(AnalyticsConfig.user_id == user.id))
        ).scalar_one()
    assert config.deleted_at is not None
    assert await _login(client, "ann@shop.test", "pw") == 401
    res = await client.get(
        "/admin/users", headers={"Authorization": "", "x-medusa-access-token": "ann_token"}
    )
    _unauthorized(res)


async def test_delete_user_is_idempotent(admin: httpx.AsyncClient) -> None:
    res = await admin.delete("/admin/users/usr_nope")
    assert res.status_code == 200
    assert res.json() == {"id": "usr_nope", "object": "user", "deleted": True}


async def test_delete_user_requires_auth(client: httpx.AsyncClient, admin_user: Any) -> None:
    _unauthorized(await client.delete(f"/admin/users/{admin_user.id}"))


# ---- POST /admin/users/password-token -------------------------------------------------------


async def test_password_token_is_public_and_always_204(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    await make_user("ann@shop.test")
    res = await client.post("/admin/users/password-token", json={"email": "ANN@shop.test"})
    assert res.status_code == 204 and res.content == b""
    res = await client.post("/admin/users/password-token", json={"email": "ghost@shop.test"})
    assert res.status_code == 204 and res.content == b""


async def test_password_token_bad_body(client: httpx.AsyncClient) -> None:
    _invalid(await client.post("/admin/users/password-token", json={}), "email must be an email")
    _invalid(
        await client.post("/admin/users/password-token", json={"email": "nope"}), "email must be an email"
    )
    _invalid(
        await client.post("/admin/users/password-token", json={"email": "a@b.co", "x": 1}),
        "property x should not exist",
    )


async def test_reset_token_is_signed_with_the_password_hash(db: Database, make_user: MakeUser) -> None:
    user = await make_user("ann@shop.test")
    async with db.write_session() as tx:
        token = await service.generate_reset_password_token(tx, "Ann@Shop.test")
        hashed = (await tx.get(User, user.id)).password_hash  # type: ignore[union-attr]
    assert token is not None
    claims = jwt.decode(token, hashed, algorithms=["HS256"])
    assert claims["user_id"] == user.id and claims["email"] == "ann@shop.test"
    assert abs(claims["exp"] - (time.time() + 900)) < 5
    async with db.write_session() as tx:
        assert await service.generate_reset_password_token(tx, "ghost@shop.test") is None


# ---- POST /admin/users/reset-password -------------------------------------------------------


async def _reset_token(db: Database, email: str) -> str:
    async with db.write_session() as tx:
        token = await service.generate_reset_password_token(tx, email)
        await tx.commit()
    assert token is not None
    return token


async def test_reset_password(client: httpx.AsyncClient, make_user: MakeUser, db: Database) -> None:
    user = await make_user("ann@shop.test", password="old-pw")
    token = await _reset_token(db, "ann@shop.test")
    res = await client.post("/admin/users/reset-password", json={"token": token, "password": "new-pw"})
    assert res.status_code == 200
    body = res.json()["user"]
    assert set(body) == USER_KEYS and body["id"] == user.id
    assert await _login(client, "ann@shop.test", "new-pw") == 200
    assert await _login(client, "ann@shop.test", "old-pw") == 401
    # the token was signed with the old hash: it no longer verifies
    res = await client.post("/admin/users/reset-password", json={"token": token, "password": "third"})
    _invalid(res, "invalid token")


async def test_reset_password_email_in_body(
    client: httpx.AsyncClient, make_user: MakeUser, db: Database
) -> None:
    await make_user("ann@shop.test", password="old-pw")
    token = await _reset_token(db, "ann@shop.test")
    res = await client.post(
        "/admin/users/reset-password", json={"email": "ANN@shop.test", "token": token, "password": "new-pw"}
    )
    assert res.status_code == 200
    assert await _login(client, "ann@shop.test", "new-pw") == 200


async def test_reset_password_refusals(client: httpx.AsyncClient, make_user: MakeUser, db: Database) -> None:
    user = await make_user("ann@shop.test", password="old-pw")
    hashed = (await _row(db, user.id)).password_hash  # type: ignore[union-attr]
    assert hashed
    now = int(time.time())

    # another user's id in a token signed with this user's hash: Medusa's 401 text
    token = jwt.encode({"user_id": "usr_other", "email": "ann@shop.test", "exp": now + 900}, hashed)
    res = await client.post("/admin/users/reset-password", json={"token": token, "password": "x"})
    assert res.status_code == 401
    assert res.text == "Invalid or expired password reset token"

    expired = jwt.encode({"user_id": user.id, "email": "ann@shop.test", "exp": now - 10}, hashed)
    _invalid(
        await client.post("/admin/users/reset-password", json={"token": expired, "password": "x"}),
        "invalid token",
    )
    forged = jwt.encode({"user_id": user.id, "email": "ann@shop.test", "exp": now + 900}, "supersecret")
    _invalid(
        await client.post("/admin/users/reset-password", json={"token": forged, "password": "x"}),
        "invalid token",
    )
    for garbage in ("test.test.test", "garbage"):
        res = await client.post(
            "/admin/users/reset-password", json={"email": "ann@shop.test", "token": garbage, "password": "x"}
        )
        _invalid(res, "invalid token")
    # no email anywhere, or an unknown one
    _invalid(
        await client.post("/admin/users/reset-password", json={"token": "garbage", "password": "x"}),
        "invalid token",
    )
    good = await _reset_token(db, "ann@shop.test")
    res = await client.post(
        "/admin/users/reset-password", json={"email": "ghost@shop.test", "token": good, "password": "x"}
    )
    _invalid(res, "invalid token")
    assert await _login(client, "ann@shop.test", "old-pw") == 200


async def test_reset_password_bad_body(client: httpx.AsyncClient) -> None:
    _invalid(
        await client.post("/admin/users/reset-password", json={}),
        "token must be a string, password must be a string",
    )
    _invalid(
        await client.post(
            "/admin/users/reset-password", json={"email": "bad", "token": 1, "password": 2, "z": 1}
        ),
        "property z should not exist, email must be an email, "
        "token must be a string, password must be a string",
    )


async def test_creating_one_email_twice_at_once(admin: httpx.AsyncClient, db: Database) -> None:
    body = {"email": "twin@shop.test", "password": "pw"}
    results = await asyncio.gather(*(admin.post("/admin/users", json=body) for _ in range(2)))
    assert sorted(r.status_code for r in results) == [200, 400]
    refused = next(r for r in results if r.status_code == 400)
    assert refused.json() == {"type": "invalid_data", "message": "A user with the same email already exists."}
    async with db.read_session() as tx:
        users = (await tx.execute(select(User).where(User.email == "twin@shop.test"))).scalars().all()
    assert len(users) == 1
