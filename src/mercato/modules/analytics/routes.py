"""Analytics configs: GET/POST/DELETE /admin/analytics-configs and POST …/update, the logged-in
user's own config (not in Medusa's OpenAPI document; the v1 dashboard calls them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Response

from mercato.core.http import Tx, ok
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.analytics import service
from mercato.modules.analytics.schemas import (
    AdminPostAnalyticsConfigAnalyticsConfigReq,
    AdminPostAnalyticsConfigReq,
)
from mercato.modules.auth.deps import AdminUser

admin = admin_router("Analytics Configs")


@admin.get("/analytics-configs")
async def get_analytics_config(user: AdminUser, tx: Tx) -> Response:
    return ok({"analytics_config": service.present_config(await service.retrieve(tx, user.id))})


@admin.post("/analytics-configs")
async def create_analytics_config(
    user: AdminUser, tx: Tx, body: Annotated[AdminPostAnalyticsConfigReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostAnalyticsConfigReq, body)
    config = await service.create(tx, user.id, data.opt_out, data.anonymize)
    return ok({"analytics_config": service.present_config(config)})


@admin.post("/analytics-configs/update")
async def update_analytics_config(
    user: AdminUser, tx: Tx, body: Annotated[AdminPostAnalyticsConfigAnalyticsConfigReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostAnalyticsConfigAnalyticsConfigReq, body)
    config = await service.update(tx, user.id, data.opt_out, data.anonymize)
    return ok({"analytics_config": service.present_config(config)})


@admin.delete("/analytics-configs")
async def delete_analytics_config(user: AdminUser, tx: Tx) -> Response:
    await service.delete(tx, user.id)
    return ok({"user_id": user.id, "object": "analytics_config", "deleted": True})
