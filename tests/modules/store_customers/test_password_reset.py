"""POST /store/customers/password-token and POST /store/customers/password-reset, as the real
Medusa 1.20 answers them (checked against it): 204 whatever the email, a 15-minute JWT signed with
the password hash in the `customer.password_reset` event, 401 for a token naming another customer
or an unknown email, and jsonwebtoken's own errors (bad signature, expired, reused) as 500."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt

from mercato.db.session import Database
from tests.conftest import Events

EMAIL = "reset-me@example.com"


async def _register(client: httpx.AsyncClient) -> dict[str, Any]:
    res = await client.post(
        "/store/customers",
        json={"email": EMAIL, "password": "old-pw", "first_name": "Re", "last_name": "Set"},
    )
    assert res.status_code == 200, res.text
    client.cookies.clear()
    customer: dict[str, Any] = res.json()["customer"]
    return customer


async def _token(client: httpx.AsyncClient, events: Events) -> str:
    res = await client.post("/store/customers/password-token", json={"email": EMAIL.upper()})
    assert res.status_code == 204 and res.content == b""
    staged = await events("customer.password_reset")
    token: str = staged[-1]["token"]
    return token


async def _password_hash(db: Database, customer_id: str) -> str:
    from sqlalchemy import text

    async with db.read_session() as tx:
        value: str = (
            await tx.execute(text("SELECT password_hash FROM customer WHERE id = :id"), {"id": customer_id})
        ).scalar_one()
    return value


async def test_token_event_and_reset(client: httpx.AsyncClient, events: Events, db: Database) -> None:
    customer = await _register(client)
    token = await _token(client, events)
    staged = (await events("customer.password_reset"))[-1]
    assert {k: v for k, v in staged.items() if k != "token"} == {
        "id": customer["id"],
        "email": EMAIL,
        "first_name": "Re",
        "last_name": "Set",
    }
    claims = jwt.decode(token, await _password_hash(db, customer["id"]), algorithms=["HS256"])
    assert claims["customer_id"] == customer["id"]
    assert 15 * 60 - 5 <= claims["exp"] - time.time() <= 15 * 60

    res = await client.post(
        "/store/customers/password-reset", json={"email": EMAIL.upper(), "token": token, "password": "new-pw"}
    )
    assert res.status_code == 200, res.text
    body = res.json()["customer"]
    assert set(body) == {
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
    assert body["id"] == customer["id"] and body["email"] == EMAIL
    assert not client.cookies  # no login
    assert (await events("customer.updated"))[-1]["id"] == customer["id"]

    old = await client.post("/store/auth/token", json={"email": EMAIL, "password": "old-pw"})
    assert old.status_code == 401
    new = await client.post("/store/auth/token", json={"email": EMAIL, "password": "new-pw"})
    assert new.status_code == 200

    # the token was signed with the old hash: it does not work twice (jsonwebtoken throws -> 500)
    again = await client.post(
        "/store/customers/password-reset", json={"email": EMAIL, "token": token, "password": "x"}
    )
    assert again.status_code == 500
    assert again.json() == {
        "code": "unknown_error",
        "type": "unknown_error",
        "message": "An unknown error occurred.",
    }


async def test_unknown_email_answers_204_without_event(client: httpx.AsyncClient, events: Events) -> None:
    res = await client.post("/store/customers/password-token", json={"email": "nobody@example.com"})
    assert res.status_code == 204 and res.content == b""
    assert await events("customer.password_reset") == []


async def test_guest_customer_gets_no_token(client: httpx.AsyncClient, events: Events, db: Database) -> None:
    from mercato.modules.customers.models import Customer

    async with db.write_session() as tx:
        tx.add(Customer(email="guest@example.com", has_account=False))
        await tx.commit()
    res = await client.post("/store/customers/password-token", json={"email": "guest@example.com"})
    assert res.status_code == 204
    assert await events("customer.password_reset") == []


async def test_validation(client: httpx.AsyncClient) -> None:
    for body, message in [
        (None, "email must be an email"),
        ({"email": "nope"}, "email must be an email"),
        ({"email": "a@b.com", "x": 1}, "property x should not exist"),
    ]:
        res = await client.post("/store/customers/password-token", json=body)
        assert res.status_code == 400
        assert res.json() == {"type": "invalid_data", "message": message}
    for body, message in [
        (None, "email must be an email, token must be a string, password must be a string"),
        ({"email": EMAIL, "token": 5, "password": 6}, "token must be a string, password must be a string"),
    ]:
        res = await client.post("/store/customers/password-reset", json=body)
        assert res.status_code == 400
        assert res.json() == {"type": "invalid_data", "message": message}


async def test_bad_tokens(client: httpx.AsyncClient, db: Database) -> None:
    customer = await _register(client)
    secret = await _password_hash(db, customer["id"])
    now = int(time.time())

    async def reset(email: str, token: str) -> httpx.Response:
        return await client.post(
            "/store/customers/password-reset", json={"email": email, "token": token, "password": "x"}
        )

    unauthorized = {"type": "unauthorized", "message": "Invalid or expired password reset token"}
    unknown = {"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."}

    # unknown email: no customer, no verification -> 401
    res = await reset("nobody@example.com", "abc")
    assert (res.status_code, res.json()) == (401, unauthorized)
    # a valid token for another customer id -> 401
    other = jwt.encode({"customer_id": "cus_other", "exp": now + 60}, secret, algorithm="HS256")
    res = await reset(EMAIL, other)
    assert (res.status_code, res.json()) == (401, unauthorized)
    # malformed, wrongly signed, expired: jsonwebtoken throws -> 500 unknown_error
    forged = jwt.encode({"customer_id": customer["id"], "exp": now + 60}, "not-the-hash", algorithm="HS256")
    expired = jwt.encode({"customer_id": customer["id"], "exp": now - 100}, secret, algorithm="HS256")
    for token in ("abc", forged, expired):
        res = await reset(EMAIL, token)
        assert (res.status_code, res.json()) == (500, unknown)
    # the password is unchanged
    res = await client.post("/store/auth/token", json={"email": EMAIL, "password": "old-pw"})
    assert res.status_code == 200
