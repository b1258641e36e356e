"""Admin users and invites (Medusa's /admin/users and /admin/invites)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response
from fastapi.responses import PlainTextResponse

from mercato.core.http import Tx, ok
from mercato.core.present import present, present_many
from mercato.core.query import fields_for, params
from mercato.core.routing import admin_router, public_router
from mercato.modules.users import service
from mercato.modules.users.schemas import (
    AdminCreateUserRequest,
    AdminGetUsersParams,
    AdminPostInvitesInviteAcceptReq,
    AdminPostInvitesReq,
    AdminResetPasswordRequest,
    AdminResetPasswordTokenRequest,
    AdminUpdateUserRequest,
)

# The public routers come first: POST /admin/users/password-token must not reach /users/{id}.
public_users = public_router("/admin", "Users")
public_invites = public_router("/admin", "Invites")
users = admin_router("Users")
invites = admin_router("Invites")


def _ok_text() -> Response:
    # Express's res.sendStatus(200)
    return PlainTextResponse("OK", status_code=200)


# ---- users ----------------------------------------------------------------------------------


@public_users.post("/users/password-token", status_code=204)
async def reset_password_token(body: AdminResetPasswordTokenRequest, tx: Tx) -> Response:
    await service.generate_reset_password_token(tx, body.email)
    return Response(status_code=204)


@public_users.post("/users/reset-password")
async def reset_password(body: AdminResetPasswordRequest, tx: Tx) -> Response:
    user = await service.reset_password(tx, body.token, body.email, body.password)
    if user is None:
        return Response("Invalid or expired password reset token", status_code=401, media_type="text/html")
    return ok({"user": present(user)})


@users.get("/users")
async def list_users(
    p: Annotated[AdminGetUsersParams, Depends(params(AdminGetUsersParams))], tx: Tx
) -> Response:
    rows, count = await service.list_users(tx, p)
    fields = fields_for(p)
    if fields is not None:
        fields.add("created_at")  # Medusa always selects id and created_at for lists
    return ok(
        {"users": present_many(rows, None, fields), "count": count, "offset": p.offset, "limit": p.limit}
    )


@users.post("/users")
async def create_user(body: AdminCreateUserRequest, tx: Tx) -> Response:
    user = await service.create_user_record(
        tx,
        email=body.email,
        password=body.password,
        role=body.role,
        first_name=body.first_name,
        last_name=body.last_name,
    )
    if "role" in body.model_fields_set and body.role is None:
        # Medusa inserts an explicit null over the column's default ('member')
        user.role = None
        await tx.flush()
    return ok({"user": present(user)})


@users.get("/users/{user_id}")
async def get_user(user_id: str, tx: Tx) -> Response:
    return ok({"user": present(await service.retrieve_user(tx, user_id))})


@users.post("/users/{user_id}")
async def update_user(user_id: str, body: AdminUpdateUserRequest, tx: Tx) -> Response:
    return ok({"user": present(await service.update_user(tx, user_id, body))})


@users.delete("/users/{user_id}")
async def delete_user(user_id: str, tx: Tx) -> Response:
    await service.delete_user(tx, user_id)
    return ok({"id": user_id, "object": "user", "deleted": True})


# ---- invites --------------------------------------------------------------------------------


@public_invites.post("/invites/accept")
async def accept_invite(body: AdminPostInvitesInviteAcceptReq, tx: Tx) -> Response:
    await service.accept_invite(tx, body.token, body.user_fields())
    return _ok_text()


@invites.get("/invites")
async def list_invites(tx: Tx) -> Response:
    return ok({"invites": present_many(await service.list_invites(tx))})


@invites.post("/invites")
async def create_invite(body: AdminPostInvitesReq, tx: Tx) -> Response:
    await service.create_invite(tx, body.user, body.role)
    return _ok_text()


@invites.delete("/invites/{invite_id}")
async def delete_invite(invite_id: str, tx: Tx) -> Response:
    await service.delete_invite(tx, invite_id)
    return ok({"id": invite_id, "object": "invite", "deleted": True})


@invites.post("/invites/{invite_id}/resend")
async def resend_invite(invite_id: str, tx: Tx) -> Response:
    await service.resend_invite(tx, invite_id)
    return _ok_text()
