"""Who is calling: the admin user (required on /admin) or the customer (optional on /store)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import bindparam, select

from mercato.core import refcache
from mercato.core.auth import bearer_claims, load_session
from mercato.core.errors import Unauthorized
from mercato.core.http import Tx
from mercato.db import raw
from mercato.modules.users.models import User

# Every admin request needs its user: read on the driver as a read-only instance (no route
# changes the caller's own row through it), kept in the reference cache (`user` is a watched
# table: a change in this process is seen at once, another process's within its TTL).
_USER = raw.Entities(User, User.id == bindparam("id"), User.deleted_at.is_(None))


async def _user_by_id(tx: Tx, user_id: str | None) -> User | None:
    if not user_id:
        return None

    async def read() -> User | None:
        found: User | None = await _USER.first(tx, {"id": user_id})
        return found

    return await refcache.cached(tx, ("admin user", user_id), read)


async def current_admin(request: Request, tx: Tx) -> User:
    cached: User | None = getattr(request.state, "admin_user", None)
    if cached is not None:
        return cached
    # passport's ["admin-session", "admin-bearer", "admin-api-token"]: the first that knows a
    # user wins (a dashboard's session cookie over a Bearer token sent with it)
    user: User | None = None
    if request.cookies:
        session = await load_session(tx, request)
        if session is not None:
            user = await _user_by_id(tx, session.data.get("user_id"))
    if user is None:
        claims = bearer_claims(request, "admin")
        if claims is not None:
            user = await _user_by_id(tx, claims.get("user_id") or claims.get("userId"))
    api_token = request.headers.get("x-medusa-access-token")
    if user is None and api_token:
        user = (
            await tx.execute(select(User).where(User.api_token == api_token, User.deleted_at.is_(None)))
        ).scalar_one_or_none()
    if user is None:
        raise Unauthorized()
    request.state.admin_user = user
    return user


AdminUser = Annotated[User, Depends(current_admin)]
