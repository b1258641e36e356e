"""Admin authentication: cookie session (`/admin/auth`) and JWT (`/admin/auth/token`)."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import PlainTextResponse

from mercato.core.auth import end_session, sign_token, start_session
from mercato.core.errors import Unauthorized
from mercato.core.http import JSON, Tx, ok
from mercato.core.present import present
from mercato.core.routing import admin_router, public_router
from mercato.modules.auth import service
from mercato.modules.auth.deps import AdminUser
from mercato.modules.auth.schemas import AdminPostAuthReq

public = public_router("/admin", "Auth")
admin = admin_router("Auth")


@public.post("/auth")
async def create_session(body: AdminPostAuthReq, request: Request, tx: Tx) -> Response:
    user = await service.authenticate_user(tx, body.email, body.password)
    if user is None:
        raise Unauthorized()
    response = JSON({"user": present(user)})
    await start_session(tx, response, {"user_id": user.id}, request)
    return response


@public.post("/auth/token")
async def create_token(body: AdminPostAuthReq, tx: Tx) -> Response:
    user = await service.authenticate_user(tx, body.email, body.password)
    if user is None:
        raise Unauthorized()
    return ok({"access_token": sign_token({"user_id": user.id, "domain": "admin"})})


@admin.get("/auth")
async def get_session(user: AdminUser) -> Response:
    return ok({"user": present(user)})


@admin.delete("/auth")
async def delete_session(request: Request, tx: Tx) -> Response:
    await end_session(tx, request, ("user_id",))
    # express res.sendStatus(200): a text body "OK"
    return PlainTextResponse("OK")
