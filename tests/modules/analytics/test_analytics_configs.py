"""/admin/analytics-configs: the logged-in user's usage-insights choice, as Medusa 1.20 keeps it."""

from __future__ import annotations

from typing import Any

import httpx


async def test_config_lifecycle(admin: httpx.AsyncClient, admin_user: Any) -> None:
    res = await admin.get("/admin/analytics-configs")
    assert (res.status_code, res.json()) == (
        404,
        {"type": "not_found", "message": f"No analytics config found for user with id: {admin_user.id}"},
    )
    res = await admin.post("/admin/analytics-configs", json={"opt_out": False, "anonymize": True})
    assert res.status_code == 200, res.text
    created = res.json()["analytics_config"]
    assert created["id"].startswith("acfg_") and created["user_id"] == admin_user.id
    assert (created["opt_out"], created["anonymize"], created["deleted_at"]) == (False, True, None)
    assert (await admin.get("/admin/analytics-configs")).json()["analytics_config"] == created

    res = await admin.post("/admin/analytics-configs/update", json={"opt_out": True})
    updated = res.json()["analytics_config"]
    assert (updated["id"], updated["opt_out"], updated["anonymize"]) == (created["id"], True, True)

    res = await admin.delete("/admin/analytics-configs")
    assert res.json() == {"user_id": admin_user.id, "object": "analytics_config", "deleted": True}
    assert (await admin.get("/admin/analytics-configs")).status_code == 404
    # update without a config makes one, the unnamed choice false
    res = await admin.post("/admin/analytics-configs/update", json={"anonymize": True})
    made = res.json()["analytics_config"]
    assert made["id"] != created["id"] and (made["opt_out"], made["anonymize"]) == (False, True)


async def test_bad_body_and_auth(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/analytics-configs", json={"opt_out": "yes"})
    assert (res.status_code, res.json()) == (
        400,
        {"type": "invalid_data", "message": "opt_out must be a boolean value"},
    )
    res = await admin.post("/admin/analytics-configs", json={"opt_out": True, "anonymize": None})
    assert res.json()["message"] == "anonymize must be a boolean value"
    res = await admin.post("/admin/analytics-configs", json={"opt_out": True})
    assert res.json()["analytics_config"]["anonymize"] is False
    client.headers.pop("Authorization", None)
    assert (await client.get("/admin/analytics-configs")).status_code == 401
