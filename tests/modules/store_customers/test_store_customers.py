"""Store Auth and the customer's own account: register, log in (session and token), me, update,
log out; refusals as the real Medusa 1.20 answers them."""

from __future__ import annotations

import httpx

from mercato.core.auth import read_token

EMAIL = "Jane@Example.com"
PASSWORD = "secret-pw"


async def _register(client: httpx.AsyncClient, **extra: object) -> httpx.Response:
    body = {"email": EMAIL, "password": PASSWORD, "first_name": "Jane", "last_name": "Doe", **extra}
    return await client.post("/store/customers", json=body)


async def test_register_login_me_update_logout(client: httpx.AsyncClient) -> None:
    res = await _register(client, phone="555")
    assert res.status_code == 200, res.text
    customer = res.json()["customer"]
    assert customer["email"] == "jane@example.com"
    assert customer["has_account"] is True
    assert customer["phone"] == "555"
    assert customer["shipping_addresses"] == [] and customer["billing_address"] is None
    assert "password_hash" not in customer
    # registration logs the customer in (req.session.customer_id)
    me = await client.get("/store/customers/me")
    assert me.status_code == 200 and me.json()["customer"]["id"] == customer["id"]
    client.cookies.clear()

    assert (await client.get("/store/customers/me")).status_code == 401

    login = await client.post("/store/auth", json={"email": "jane@example.com", "password": PASSWORD})
    assert login.status_code == 200, login.text
    body = login.json()["customer"]
    assert body["id"] == customer["id"] and body["orders"] == [] and body["shipping_addresses"] == []
    session = await client.get("/store/auth")
    assert session.status_code == 200 and session.json()["customer"]["id"] == customer["id"]

    upd = await client.post(
        "/store/customers/me", json={"first_name": "Janet", "metadata": {"a": 1}, "password": "new-pw"}
    )
    assert upd.status_code == 200, upd.text
    updated = upd.json()["customer"]
    assert updated["first_name"] == "Janet" and updated["last_name"] == "Doe"
    assert updated["metadata"] == {"a": 1}
    upd = await client.post("/store/customers/me", json={"metadata": {"a": "", "b": 2}})
    assert upd.json()["customer"]["metadata"] == {"b": 2}

    out = await client.delete("/store/auth")
    assert out.status_code == 200 and out.text == "OK"
    gone = await client.get("/store/auth")
    assert gone.status_code == 401 and gone.text == "Unauthorized"
    assert (await client.get("/store/customers/me")).status_code == 401

    # the new password works, the old one not
    client.cookies.clear()
    old = await client.post("/store/auth/token", json={"email": EMAIL, "password": PASSWORD})
    assert old.status_code == 401 and old.text == "Unauthorized"
    tok = await client.post("/store/auth/token", json={"email": EMAIL, "password": "new-pw"})
    assert tok.status_code == 200
    token = tok.json()["access_token"]
    claims = read_token(token)
    assert claims is not None and claims["customer_id"] == customer["id"] and claims["domain"] == "store"
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    headers = {"authorization": f"Bearer {token}"}
    me = await client.get("/store/customers/me", headers=headers)
    assert me.status_code == 200 and me.json()["customer"]["first_name"] == "Janet"
    assert (await client.get("/store/auth", headers=headers)).status_code == 200


async def test_wrong_password_and_unknown_email(client: httpx.AsyncClient) -> None:
    await _register(client)
    client.cookies.clear()
    res = await client.post("/store/auth", json={"email": EMAIL, "password": "nope"})
    assert res.status_code == 401 and res.text == "Unauthorized"
    res = await client.post("/store/auth", json={"email": "who@example.com", "password": "nope"})
    assert res.status_code == 401
    assert "set-cookie" not in res.headers


async def test_admin_token_is_not_a_customer(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/store/customers/me")
    assert res.status_code == 401 and res.text == "Unauthorized"


async def test_exists(client: httpx.AsyncClient) -> None:
    assert (await client.get("/store/auth/jane@example.com")).json() == {"exists": False}
    await _register(client)
    res = await client.get("/store/auth/JANE@example.com")
    assert res.status_code == 200 and res.json() == {"exists": True}


async def test_duplicate_register(client: httpx.AsyncClient) -> None:
    assert (await _register(client)).status_code == 200
    res = await _register(client)
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "A customer with the given email already has an account. Log in instead",
    }


async def test_bad_input(client: httpx.AsyncClient) -> None:
    res = await client.post("/store/auth", json={"email": "x"})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "email must be an email, password should not be empty",
    }
    res = await client.post("/store/auth/token", json={})
    assert res.status_code == 400
    res = await client.post("/store/customers", json={})
    assert res.json() == {
        "type": "invalid_data",
        "message": "email must be an email, password must be a string",
    }
    await _register(client)
    res = await client.post("/store/customers/me", json={"first_name": 1, "foo": 2})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist, first_name must be a string",
    }


async def test_no_auth(client: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/store/auth"),
        ("GET", "/store/customers/me"),
        ("POST", "/store/customers/me"),
    ):
        res = await client.request(method, path, json={} if method == "POST" else None)
        assert res.status_code == 401 and res.text == "Unauthorized"
    # logging out without a session is no error
    res = await client.delete("/store/auth")
    assert res.status_code == 200 and res.text == "OK"


CUSTOMER_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "email",
    "first_name",
    "last_name",
    "billing_address_id",
    "phone",
    "has_account",
    "metadata",
}


async def test_answer_shapes(client: httpx.AsyncClient) -> None:
    res = await _register(client)
    assert set(res.json()["customer"]) == CUSTOMER_KEYS | {"billing_address", "shipping_addresses"}
    res = await client.post("/store/auth", json={"email": EMAIL, "password": PASSWORD})
    assert set(res.json()["customer"]) == CUSTOMER_KEYS | {"orders", "shipping_addresses"}
    res = await client.get("/store/auth")
    assert set(res.json()["customer"]) == CUSTOMER_KEYS | {"orders", "shipping_addresses"}
    res = await client.get("/store/customers/me")
    assert set(res.json()["customer"]) == CUSTOMER_KEYS | {"billing_address", "shipping_addresses"}


async def test_logout_keeps_an_admin_login(client: httpx.AsyncClient, admin_user: object) -> None:
    from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

    res = await client.post("/admin/auth", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert res.status_code == 200
    assert (await _register(client)).status_code == 200
    assert (await client.get("/store/auth")).status_code == 200
    assert (await client.delete("/store/auth")).status_code == 200
    assert (await client.get("/store/auth")).status_code == 401
    assert (await client.get("/admin/auth")).status_code == 200


async def test_session_cookie_wins_over_bearer(client: httpx.AsyncClient) -> None:
    # passport's ["store-session", "store-bearer"]: a session's customer over a Bearer token's
    res = await client.post(
        "/store/customers",
        json={"email": "other@example.com", "password": PASSWORD, "first_name": "O", "last_name": "T"},
    )
    assert res.status_code == 200, res.text
    other_token = (
        await client.post("/store/auth/token", json={"email": "other@example.com", "password": PASSWORD})
    ).json()["access_token"]
    client.cookies.clear()
    res = await _register(client)  # the session's customer
    assert res.status_code == 200 and client.cookies
    bearer = {"Authorization": f"Bearer {other_token}"}
    for path in ("/store/customers/me", "/store/auth"):
        assert (await client.get(path, headers=bearer)).json()["customer"]["email"] == EMAIL.lower()
    client.cookies.clear()
    me = (await client.get("/store/customers/me", headers=bearer)).json()["customer"]
    assert me["email"] == "other@example.com"


async def test_update_email_refusals(client: httpx.AsyncClient) -> None:
    # another account's email: the unique index's 422; null: the NOT NULL column's 400 (Medusa
    # 1.20.11's database errors, worded by its exception formatter); nothing changes
    other = await client.post("/store/customers", json={"email": "taken@example.com", "password": PASSWORD})
    assert other.status_code == 200
    client.cookies.clear()
    assert (await _register(client)).status_code == 200
    res = await client.post("/store/customers/me", json={"email": "taken@example.com"})
    assert (res.status_code, res.json()) == (
        422,
        {
            "type": "duplicate_error",
            "code": "invalid_request_error",
            "message": "Customer with email, has_account taken@example.com, t already exists.",
        },
    )
    res = await client.post("/store/customers/me", json={"email": None})
    assert (res.status_code, res.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": "Can't insert null value in field email on insert in table customer",
        },
    )
    me = await client.get("/store/customers/me")
    assert me.json()["customer"]["email"] == "jane@example.com"
    res = await client.post("/store/customers/me", json={"email": "jane2@example.com"})
    assert res.status_code == 200 and res.json()["customer"]["email"] == "jane2@example.com"
