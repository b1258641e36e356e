"""Store return reasons: GET /store/return-reasons and /store/return-reasons/{id}, public, with
the same fields and relations as the admin routes."""

from __future__ import annotations

from typing import Any

import httpx

from tests.modules.return_reasons.test_admin_return_reasons import REASON_KEYS, RELATED_KEYS, create_reason


async def test_store_lists_top_level_reasons(admin: httpx.AsyncClient) -> None:
    parent = await create_reason(admin, value="wrong_size", label="Wrong size")
    child = await create_reason(admin, value="too_big", label="Too big", parent_return_reason_id=parent["id"])
    gone = await create_reason(admin, value="gone", label="Gone", parent_return_reason_id=parent["id"])
    await admin.delete(f"/admin/return-reasons/{gone['id']}")
    admin.headers.pop("Authorization")  # the store needs no credentials
    res = await admin.get("/store/return-reasons?limit=1&anything=1")
    assert res.status_code == 200
    reasons: list[dict[str, Any]] = res.json()["return_reasons"]
    assert [r["id"] for r in reasons] == [parent["id"]]
    assert list(reasons[0]) == REASON_KEYS
    assert [list(c) for c in reasons[0]["return_reason_children"]] == [RELATED_KEYS]
    assert reasons[0]["return_reason_children"][0]["id"] == child["id"]


async def test_store_lists_nothing(client: httpx.AsyncClient) -> None:
    res = await client.get("/store/return-reasons")
    assert res.status_code == 200
    assert res.json() == {"return_reasons": []}


async def test_store_retrieves_a_reason(admin: httpx.AsyncClient) -> None:
    parent = await create_reason(admin, value="wrong_size", label="Wrong size", metadata={"a": 1})
    child = await create_reason(admin, value="too_big", label="Too big", parent_return_reason_id=parent["id"])
    admin.headers.pop("Authorization")
    res = await admin.get(f"/store/return-reasons/{child['id']}")
    assert res.status_code == 200
    reason = res.json()["return_reason"]
    assert reason == child
    assert reason["parent_return_reason"]["metadata"] == {"a": 1}


async def test_store_unknown_and_deleted_reason(admin: httpx.AsyncClient) -> None:
    reason = await create_reason(admin, value="late", label="Late")
    await admin.delete(f"/admin/return-reasons/{reason['id']}")
    admin.headers.pop("Authorization")
    for reason_id in ("rr_nope", reason["id"]):
        res = await admin.get(f"/store/return-reasons/{reason_id}")
        assert res.status_code == 404
        assert res.json() == {
            "type": "not_found",
            "message": f"Return Reason with id: {reason_id} was not found.",
        }
