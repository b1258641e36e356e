"""Admin and Store payment collections, checked against a real Medusa 1.20's answers."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.orders.models import Payment, PaymentCollection
from tests.modules.payments.helpers import make_collection, make_region

ADMIN_KEYS = {
    "id",
    "type",
    "status",
    "description",
    "amount",
    "authorized_amount",
    "currency_code",
    "metadata",
    "payment_sessions",
    "payments",
    "region",
}


async def test_admin_get(admin: httpx.AsyncClient, db: Database) -> None:
    region = await make_region(db)
    cid = await make_collection(db, region)
    r = await admin.get(f"/admin/payment-collections/{cid}")
    assert r.status_code == 200
    body = r.json()["payment_collection"]
    assert set(body) == ADMIN_KEYS
    assert body["status"] == "not_paid" and body["amount"] == 1500 and body["authorized_amount"] is None
    assert body["payment_sessions"] == [] and body["payments"] == [] and body["region"]["id"] == region
    r = await admin.get("/admin/payment-collections/paycol_nope")
    assert r.status_code == 404
    assert r.json() == {
        "type": "not_found",
        "message": "Payment collection with id paycol_nope was not found",
    }


async def test_admin_update_authorize_delete(admin: httpx.AsyncClient, db: Database) -> None:
    region = await make_region(db)
    cid = await make_collection(db, region)
    r = await admin.post(
        f"/admin/payment-collections/{cid}", json={"description": "new", "metadata": {"a": 1}}
    )
    assert r.status_code == 200
    body = r.json()["payment_collection"]
    assert body["description"] == "new" and body["metadata"] == {"a": 1}
    assert (
        body["region_id"] == region and body["created_by"] == "usr_paytest" and "payment_sessions" not in body
    )
    # a body without it keeps the description; an explicit null clears it (isDefined)
    r = await admin.post(f"/admin/payment-collections/{cid}", json={"metadata": {"b": 2}})
    assert r.json()["payment_collection"]["description"] == "new"
    r = await admin.post(f"/admin/payment-collections/{cid}", json={"description": None})
    assert r.json()["payment_collection"]["description"] is None
    r = await admin.post(f"/admin/payment-collections/{cid}", json={"description": 5, "metadata": 3, "x": 1})
    assert r.status_code == 400
    assert r.json() == {
        "type": "invalid_data",
        "message": "property x should not exist, description must be a string, metadata must be an object",
    }
    r = await admin.post(f"/admin/payment-collections/{cid}/authorize")
    assert r.status_code == 200
    body = r.json()["payment_collection"]
    assert body["status"] == "authorized" and body["authorized_amount"] == 1500
    r = await admin.delete(f"/admin/payment-collections/{cid}")
    assert r.status_code == 400
    assert r.json() == {
        "type": "not_allowed",
        "message": "Cannot delete payment collection with status authorized",
    }
    other = await make_collection(db, region)
    r = await admin.delete(f"/admin/payment-collections/{other}")
    assert r.json() == {"id": other, "deleted": True, "object": "payment_collection"}
    async with db.read_session() as tx:
        assert (
            await tx.execute(select(PaymentCollection).where(PaymentCollection.id == other))
        ).first() is None
    r = await admin.delete("/admin/payment-collections/paycol_nope")
    assert r.status_code == 200 and r.json() == {
        "id": "paycol_nope",
        "deleted": True,
        "object": "payment_collection",
    }
    for path in (
        "/admin/payment-collections/paycol_nope",
        "/admin/payment-collections/paycol_nope/authorize",
    ):
        r = await admin.post(path, json={})
        assert r.status_code == 404


async def test_admin_401(client: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/admin/payment-collections/x"),
        ("POST", "/admin/payment-collections/x"),
        ("POST", "/admin/payment-collections/x/authorize"),
        ("DELETE", "/admin/payment-collections/x"),
    ):
        r = await client.request(method, path)
        assert r.status_code == 401 and r.text == "Unauthorized"


async def test_store_flow(client: httpx.AsyncClient, db: Database) -> None:
    region = await make_region(db)
    cid = await make_collection(db, region)
    r = await client.get(f"/store/payment-collections/{cid}")
    assert r.status_code == 200
    body = r.json()["payment_collection"]
    assert set(body) == ADMIN_KEYS - {"authorized_amount", "payments"}
    # one session for a provider of the region
    r = await client.post(f"/store/payment-collections/{cid}/sessions", json={"provider_id": "manual"})
    assert r.status_code == 200
    body = r.json()["payment_collection"]
    assert body["region"]["payment_providers"] == [{"id": "manual", "is_installed": True}]
    [session] = body["payment_sessions"]
    assert (session["provider_id"], session["status"], session["data"], session["amount"]) == (
        "manual",
        "pending",
        {"status": "pending"},
        1500,
    )
    assert session["is_initiated"] is True and session["cart_id"] is None
    r = await client.post(f"/store/payment-collections/{cid}/sessions", json={"provider_id": "nope"})
    assert r.status_code == 400 and r.json() == {
        "type": "invalid_data",
        "message": "Payment provider not found",
    }
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch",
        json={"sessions": [{"provider_id": "manual", "amount": 100}]},
    )
    assert r.status_code == 500
    assert r.json() == {
        "type": "unexpected_state",
        "message": "The sum of sessions is not equal to 1500 on Payment Collection",
    }
    # batch with the existing session id keeps the row
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch",
        json={"sessions": [{"provider_id": "manual", "amount": 1500, "session_id": session["id"]}]},
    )
    assert r.status_code == 200 and [s["id"] for s in r.json()["payment_collection"]["payment_sessions"]] == [
        session["id"]
    ]
    # refresh: a new session replaces it
    r = await client.post(f"/store/payment-collections/{cid}/sessions/{session['id']}")
    assert r.status_code == 200
    fresh = r.json()["payment_session"]
    assert fresh["id"] != session["id"] and fresh["amount"] == 1500
    r = await client.post(f"/store/payment-collections/{cid}/sessions/{session['id']}")
    assert r.status_code == 404
    assert r.json() == {
        "type": "not_found",
        "message": f"Payment collection related to Payment Session id {session['id']} was not found",
    }
    # authorize the session: a payment is created
    r = await client.post(f"/store/payment-collections/{cid}/sessions/{fresh['id']}/authorize")
    assert r.status_code == 200
    authorized = r.json()["payment_session"]
    assert authorized["status"] == "authorized" and authorized["payment_authorized_at"] is not None
    assert authorized["data"] == {"status": "authorized"}
    async with db.read_session() as tx:
        col = (await tx.execute(select(PaymentCollection).where(PaymentCollection.id == cid))).scalar_one()
        payments = list((await tx.execute(select(Payment))).scalars())
    assert col.status == "authorized" and col.authorized_amount == 1500
    assert [(p.amount, p.provider_id, p.data) for p in payments] == [
        (1500, "manual", {"status": "authorized"})
    ]
    # a collection that is no longer not_paid refuses new sessions
    r = await client.post(f"/store/payment-collections/{cid}/sessions", json={"provider_id": "manual"})
    assert r.status_code == 400
    assert r.json() == {
        "type": "not_allowed",
        "message": "Cannot set payment sessions for a payment collection with status authorized",
    }


async def test_store_batch_authorize(client: httpx.AsyncClient, db: Database) -> None:
    region = await make_region(db)
    cid = await make_collection(db, region, amount=1000)
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch/authorize", json={"session_ids": []}
    )
    assert r.status_code == 400
    assert r.json()["message"] == "You cannot complete a Payment Collection without a payment session."
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch",
        json={"sessions": [{"provider_id": "manual", "amount": 1000}]},
    )
    sid = r.json()["payment_collection"]["payment_sessions"][0]["id"]
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch/authorize", json={"session_ids": []}
    )
    assert r.status_code == 200 and r.json()["payment_collection"]["status"] == "awaiting"
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch/authorize", json={"session_ids": [sid]}
    )
    body = r.json()["payment_collection"]
    assert body["status"] == "authorized" and body["authorized_amount"] == 1000 and len(body["payments"]) == 1
    r = await client.post(
        f"/store/payment-collections/{cid}/sessions/batch/authorize", json={"session_ids": "x"}
    )
    assert r.status_code == 400
    assert r.json() == {
        "type": "invalid_data",
        "message": "session_ids must be an array",
    }


async def test_store_unknown_collection(client: httpx.AsyncClient) -> None:
    r = await client.get("/store/payment-collections/paycol_nope")
    assert r.status_code == 404
    r = await client.post("/store/payment-collections/paycol_nope/sessions", json={"provider_id": "manual"})
    assert r.status_code == 404
    assert r.json() == {
        "type": "not_found",
        "message": "Payment collection with id paycol_nope was not found",
    }
