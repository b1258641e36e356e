"""Admin Notifications: GET /admin/notifications, POST /admin/notifications/{id}/resend
(api/routes/admin/notifications)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Request, Response

from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.notifications import service
from mercato.modules.notifications.schemas import (
    AdminGetNotificationsParams,
    AdminPostNotificationsNotificationResendReq,
)
from mercato.modules.notifications.subscribers import notification_service

admin = admin_router("Notifications")


@admin.get("/notifications")
async def list_notifications(
    p: Annotated[AdminGetNotificationsParams, Depends(params(AdminGetNotificationsParams))], tx: Tx
) -> Response:
    notifications, count = await service.list_notifications(tx, p)
    return ok({"notifications": notifications, "count": count, "limit": p.limit, "offset": p.offset})


@admin.post("/notifications/{id}/resend")
async def resend_notification(
    id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminPostNotificationsNotificationResendReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostNotificationsNotificationResendReq, body)
    config = {"to": data.to} if data.to else {}
    await notification_service(request.app).resend(tx, id, config)
    return ok({"notification": await service.present_notification(tx, id)})
