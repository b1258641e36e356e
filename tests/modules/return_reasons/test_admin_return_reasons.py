"""Admin return reasons: the five routes of Medusa's api/routes/admin/return-reasons, checked
against the answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.returns.models import ReturnReason

REASON_KEYS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "value",
    "label",
    "description",
    "parent_return_reason_id",
    "parent_return_reason",
    "return_reason_children",
]
# relations come with every column, metadata included
RELATED_KEYS = [*REASON_KEYS[:8], "metadata"]


async def create_reason(admin: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/return-reasons", json=body)
    assert res.status_code == 200, res.text
    reason: dict[str, Any] = res.json()["return_reason"]
    return reason


async def stored(db: Database, reason_id: str) -> ReturnReason:
    async with db.read_session() as tx:
        reason = (await tx.execute(select(ReturnReason).where(ReturnReason.id == reason_id))).scalar_one()
        return reason


@pytest.fixture
async def family(admin: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    parent = await create_reason(
        admin, value="wrong_size", label="Wrong size", description="d", metadata={"a": 1}
    )
    child = await create_reason(
        admin, value="too_big", label="Too big", parent_return_reason_id=parent["id"], metadata={"c": 1}
    )
    return {"parent": parent, "child": child}


# ---- POST /admin/return-reasons ----------------------------------------------------------------


async def test_create(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.post(
        "/admin/return-reasons",
        json={"value": "damaged", "label": "Damaged", "description": "broken", "metadata": {"a": 1}},
    )
    assert res.status_code == 200
    reason = res.json()["return_reason"]
    assert list(reason) == REASON_KEYS  # no metadata on the reason itself
    assert reason["id"].startswith("rr_")
    assert (reason["value"], reason["label"], reason["description"]) == ("damaged", "Damaged", "broken")
    assert reason["deleted_at"] is None and reason["parent_return_reason_id"] is None
    assert reason["parent_return_reason"] is None
    assert reason["return_reason_children"] == []
    assert (await stored(db, reason["id"])).metadata_ == {"a": 1}


async def test_create_child_answers_parent_with_all_columns(
    admin: httpx.AsyncClient, family: dict[str, Any]
) -> None:
    parent, child = family["parent"], family["child"]
    assert child["parent_return_reason_id"] == parent["id"]
    related = child["parent_return_reason"]
    assert list(related) == RELATED_KEYS
    assert related["metadata"] == {"a": 1}
    assert related["value"] == "wrong_size"


async def test_create_metadata_is_stored_as_given(admin: httpx.AsyncClient, db: Database) -> None:
    # @IsOptional() alone: any JSON value passes, and nothing is merged or removed
    reason = await create_reason(admin, value="v", label="l", metadata="str", description=None)
    assert (await stored(db, reason["id"])).metadata_ == "str"
    reason = await create_reason(admin, value="w", label="l", metadata={"x": ""})
    assert (await stored(db, reason["id"])).metadata_ == {"x": ""}


async def test_create_refusals(admin: httpx.AsyncClient, family: dict[str, Any]) -> None:
    res = await admin.post(
        "/admin/return-reasons",
        json={"value": "x", "label": "x", "parent_return_reason_id": family["child"]["id"]},
    )
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Doubly nested return reasons is not supported"}
    res = await admin.post("/admin/return-reasons", json={"value": "too_big", "label": "dup"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Return_reason with value too_big already exists.",
    }
    res = await admin.post(
        "/admin/return-reasons", json={"value": "x", "label": "x", "parent_return_reason_id": "rr_nope"}
    )
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Return Reason with id: rr_nope was not found."}
    res = await admin.post(
        "/admin/return-reasons", json={"value": "x", "label": "x", "parent_return_reason_id": ""}
    )
    assert res.status_code == 404
    assert res.json()["type"] == "not_found"


async def test_create_duplicate_message_is_formatted_as_medusa(admin: httpx.AsyncClient) -> None:
    await create_reason(admin, value="a=(b)", label="l")
    res = await admin.post("/admin/return-reasons", json={"value": "a=(b)", "label": "l"})
    assert res.json()["message"] == "Return_reason with value a b already exists."


async def test_create_reuses_the_value_of_a_deleted_reason(admin: httpx.AsyncClient) -> None:
    first = await create_reason(admin, value="late", label="Late")
    await admin.delete(f"/admin/return-reasons/{first['id']}")
    again = await create_reason(admin, value="late", label="Late again")
    assert again["id"] != first["id"]


async def test_create_under_a_deleted_parent_is_refused(admin: httpx.AsyncClient) -> None:
    parent = await create_reason(admin, value="p", label="P")
    await admin.delete(f"/admin/return-reasons/{parent['id']}")
    res = await admin.post(
        "/admin/return-reasons", json={"value": "c", "label": "C", "parent_return_reason_id": parent["id"]}
    )
    assert res.status_code == 404
    assert res.json()["message"] == f"Return Reason with id: {parent['id']} was not found."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "value must be a string, label must be a string"),
        (
            {
                "value": 1,
                "label": None,
                "parent_return_reason_id": 2,
                "description": 3,
                "metadata": "s",
                "extra": 1,
            },
            "property extra should not exist, value must be a string, label must be a string, "
            "parent_return_reason_id must be a string, description must be a string",
        ),
    ],
)
async def test_create_validation(admin: httpx.AsyncClient, body: dict[str, Any], message: str) -> None:
    res = await admin.post("/admin/return-reasons", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


async def test_create_without_body_and_auth(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/return-reasons")
    assert res.json() == {"type": "invalid_data", "message": "value must be a string, label must be a string"}
    client.headers.pop("Authorization")
    res = await client.post("/admin/return-reasons", json={"value": "v", "label": "l"})
    assert (res.status_code, res.text) == (401, "Unauthorized")


# ---- GET /admin/return-reasons/{id} ------------------------------------------------------------


async def test_get_with_children(admin: httpx.AsyncClient, family: dict[str, Any]) -> None:
    parent, child = family["parent"], family["child"]
    res = await admin.get(f"/admin/return-reasons/{parent['id']}?anything=ignored")
    assert res.status_code == 200
    reason = res.json()["return_reason"]
    assert list(reason) == REASON_KEYS
    assert reason["parent_return_reason"] is None
    assert [list(c) for c in reason["return_reason_children"]] == [RELATED_KEYS]
    assert reason["return_reason_children"][0]["id"] == child["id"]
    assert reason["return_reason_children"][0]["metadata"] == {"c": 1}


async def test_get_unknown_and_auth(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/return-reasons/rr_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Return Reason with id: rr_nope was not found."}
    client.headers.pop("Authorization")
    res = await client.get("/admin/return-reasons/rr_nope")
    assert (res.status_code, res.text) == (401, "Unauthorized")


# ---- GET /admin/return-reasons -----------------------------------------------------------------


async def test_list_top_level_reasons_without_pagination(
    admin: httpx.AsyncClient, family: dict[str, Any]
) -> None:
    other = await create_reason(admin, value="other", label="Other")
    res = await admin.get("/admin/return-reasons?limit=1&whatever=1")
    assert res.status_code == 200
    body = res.json()
    assert list(body) == ["return_reasons"]
    reasons = body["return_reasons"]
    assert [r["id"] for r in reasons] == [family["parent"]["id"], other["id"]]
    assert [c["id"] for c in reasons[0]["return_reason_children"]] == [family["child"]["id"]]
    assert reasons[1]["return_reason_children"] == []


async def test_list_requires_auth(client: httpx.AsyncClient) -> None:
    res = await client.get("/admin/return-reasons")
    assert (res.status_code, res.text) == (401, "Unauthorized")


# ---- POST /admin/return-reasons/{id} -----------------------------------------------------------


async def test_update(admin: httpx.AsyncClient, db: Database, family: dict[str, Any]) -> None:
    child = family["child"]
    res = await admin.post(
        f"/admin/return-reasons/{child['id']}",
        json={"label": "Too big!", "description": None, "metadata": {"b": 2}},
    )
    assert res.status_code == 200
    reason = res.json()["return_reason"]
    assert reason["label"] == "Too big!"
    assert reason["description"] is None
    assert reason["parent_return_reason"]["id"] == family["parent"]["id"]
    assert reason["updated_at"] > child["updated_at"]
    # metadata is replaced, not merged
    assert (await stored(db, child["id"])).metadata_ == {"b": 2}
    res = await admin.post(f"/admin/return-reasons/{child['id']}", json={"metadata": {"b": ""}})
    assert (await stored(db, child["id"])).metadata_ == {"b": ""}


async def test_update_without_change_keeps_updated_at(
    admin: httpx.AsyncClient, family: dict[str, Any]
) -> None:
    parent = family["parent"]
    for body in ({}, {"label": "Wrong size"}, None):
        url = f"/admin/return-reasons/{parent['id']}"
        res = await admin.post(url, json=body) if body is not None else await admin.post(url)
        assert res.status_code == 200
        assert res.json()["return_reason"]["updated_at"] == parent["updated_at"]


async def test_update_refusals(admin: httpx.AsyncClient, family: dict[str, Any]) -> None:
    child_id = family["child"]["id"]
    res = await admin.post(f"/admin/return-reasons/{child_id}", json={"value": "wrong_size"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Return_reason with value wrong_size already exists.",
    }
    res = await admin.post(f"/admin/return-reasons/{child_id}", json={"value": "too_big"})
    assert res.status_code == 200
    res = await admin.post(f"/admin/return-reasons/{child_id}", json={"parent_return_reason_id": None})
    assert res.json() == {
        "type": "invalid_data",
        "message": "property parent_return_reason_id should not exist",
    }
    res = await admin.post(f"/admin/return-reasons/{child_id}", json={"value": None, "label": None})
    assert res.json() == {
        "type": "invalid_data",
        "message": "Can't insert null value in field value on insert in table return_reason",
    }
    res = await admin.post(f"/admin/return-reasons/{child_id}", json={"label": None})
    assert res.json()["message"] == "Can't insert null value in field label on insert in table return_reason"
    res = await admin.post(
        f"/admin/return-reasons/{child_id}", json={"label": 1, "value": 2, "description": 3}
    )
    assert res.json() == {
        "type": "invalid_data",
        "message": "label must be a string, value must be a string, description must be a string",
    }


async def test_update_unknown_and_auth(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/return-reasons/rr_nope", json={"label": "x"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Return Reason with id: rr_nope was not found."}
    client.headers.pop("Authorization")
    res = await client.post("/admin/return-reasons/rr_nope", json={"label": "x"})
    assert (res.status_code, res.text) == (401, "Unauthorized")


# ---- DELETE /admin/return-reasons/{id} ---------------------------------------------------------


async def test_delete_child_only(admin: httpx.AsyncClient, db: Database, family: dict[str, Any]) -> None:
    child = family["child"]
    res = await admin.delete(f"/admin/return-reasons/{child['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": child["id"], "object": "return_reason", "deleted": True}
    assert (await stored(db, child["id"])).deleted_at is not None
    res = await admin.get(f"/admin/return-reasons/{family['parent']['id']}")
    assert res.json()["return_reason"]["return_reason_children"] == []


async def test_delete_parent_soft_deletes_its_children(
    admin: httpx.AsyncClient, db: Database, family: dict[str, Any]
) -> None:
    parent, child = family["parent"], family["child"]
    res = await admin.delete(f"/admin/return-reasons/{parent['id']}")
    assert res.json() == {"id": parent["id"], "object": "return_reason", "deleted": True}
    for reason_id in (parent["id"], child["id"]):
        row = await stored(db, reason_id)
        assert row.deleted_at is not None
        assert row.updated_at == row.deleted_at
    res = await admin.get(f"/admin/return-reasons/{child['id']}")
    assert res.status_code == 404
    res = await admin.get("/admin/return-reasons")
    assert res.json() == {"return_reasons": []}
    res = await admin.delete(f"/admin/return-reasons/{parent['id']}")
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": f"Return Reason with id: {parent['id']} was not found.",
    }


async def test_delete_unknown_and_auth(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.delete("/admin/return-reasons/rr_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Return Reason with id: rr_nope was not found."}
    client.headers.pop("Authorization")
    res = await client.delete("/admin/return-reasons/rr_nope")
    assert (res.status_code, res.text) == (401, "Unauthorized")
