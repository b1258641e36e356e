import datetime
import re
import time
from typing import Any

import httpx
import jwt

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD


async def test_cookie_session_login_get_and_logout(client: httpx.AsyncClient, admin_user: Any) -> None:
    res = await client.post("/admin/auth", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert res.status_code == 200
    body = res.json()
    assert body["user"]["id"] == admin_user.id
    assert "password_hash" not in body["user"]
    assert "connect.sid" in res.cookies
    # express-session's form: the value URI-encoded (no quotes), Expires, no Max-Age/SameSite
    cookie = res.headers["set-cookie"]
    expires = r"expires=\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT; "
    assert re.match(r"connect\.sid=s%3A[\w%-]+\.[\w%-]+; " + expires, cookie)
    assert "max-age" not in cookie.lower() and "samesite" not in cookie.lower()
    assert "httponly" in cookie.lower() and "path=/" in cookie.lower()

    res = await client.get("/admin/auth")
    assert res.status_code == 200
    assert res.json()["user"]["email"] == ADMIN_EMAIL

    res = await client.delete("/admin/auth")
    assert res.status_code == 200
    res = await client.get("/admin/auth")
    assert res.status_code == 401
    assert res.text == "Unauthorized"


async def test_wrong_password_is_401(client: httpx.AsyncClient, admin_user: Any) -> None:
    res = await client.post("/admin/auth", json={"email": ADMIN_EMAIL, "password": "nope"})
    assert res.status_code == 401
    res = await client.post("/admin/auth/token", json={"email": "ghost@x.com", "password": "nope"})
    assert res.status_code == 401


async def test_bad_body_is_invalid_data(client: httpx.AsyncClient) -> None:
    # AdminPostAuthReq's messages, as Medusa 1.20.11 words them, on both routes
    cases = [
        ({"email": ADMIN_EMAIL}, "password should not be empty, password must be a string"),
        ({"email": "notanemail", "password": "x"}, "email must be an email"),
        (
            {"email": "", "password": ""},
            "email should not be empty, email must be an email, password should not be empty",
        ),
        (
            {},
            "email should not be empty, email must be an email, "
            "password should not be empty, password must be a string",
        ),
        ({"email": 5, "password": 5}, "email must be an email, password must be a string"),
    ]
    for path in ("/admin/auth", "/admin/auth/token"):
        for body, message in cases:
            res = await client.post(path, json=body)
            assert (res.status_code, res.json()) == (400, {"type": "invalid_data", "message": message})


async def test_jwt_token_and_api_token(client: httpx.AsyncClient, admin_user: Any) -> None:
    res = await client.post("/admin/auth/token", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert res.status_code == 200
    token = res.json()["access_token"]
    res = await client.get("/admin/auth", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200 and res.json()["user"]["id"] == admin_user.id
    res = await client.get("/admin/auth", headers={"Authorization": "Bearer garbage"})
    assert res.status_code == 401
    res = await client.get("/admin/auth", headers={"x-medusa-access-token": "test_api_token"})
    assert res.status_code == 200


async def test_bearer_token_stops_working_when_it_expires(
    client: httpx.AsyncClient, admin_user: Any, monkeypatch: Any
) -> None:
    # verified tokens are remembered (core.auth): a remembered one must still expire on time
    from mercato.core import auth

    token = auth.sign_token({"user_id": admin_user.id, "domain": "admin"}, datetime.timedelta(seconds=60))
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):  # the second answer comes from the remembered claims
        assert (await client.get("/admin/auth", headers=headers)).status_code == 200
    later = time.time() + 61
    monkeypatch.setattr(auth.time, "time", lambda: later)
    assert (await client.get("/admin/auth", headers=headers)).status_code == 401
    # a token signed with another secret is refused, remembered or not
    forged = jwt.encode({"user_id": admin_user.id, "domain": "admin"}, "not-the-secret", algorithm="HS256")
    res = await client.get("/admin/auth", headers={"Authorization": f"Bearer {forged}"})
    assert res.status_code == 401


async def test_medusa_scrypt_kdf_hash_verifies() -> None:
    from mercato.core.passwords import hash_password, verify_password

    # A hash as Medusa's scrypt-kdf (logN=1, r=1, p=1) writes it; made in the same format here.
    medusa_style = hash_password("supersecret", log_n=1, r=1, p=1)
    assert verify_password("supersecret", medusa_style)
    assert not verify_password("other", medusa_style)


async def test_session_cookie_wins_over_bearer(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, db: Any
) -> None:
    # passport's ["admin-session", "admin-bearer", "admin-api-token"]: the first that knows a user
    res = await admin.post("/admin/users", json={"email": "second@example.com", "password": "secret123"})
    assert res.status_code == 200, res.text
    token = (
        await client.post("/admin/auth/token", json={"email": "second@example.com", "password": "secret123"})
    ).json()["access_token"]
    client.headers.pop("Authorization", None)
    res = await client.post("/admin/auth", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert res.status_code == 200 and client.cookies
    res = await client.get("/admin/auth", headers={"Authorization": f"Bearer {token}"})
    assert res.json()["user"]["email"] == ADMIN_EMAIL
    client.cookies.clear()
    res = await client.get("/admin/auth", headers={"Authorization": f"Bearer {token}"})
    assert res.json()["user"]["email"] == "second@example.com"
