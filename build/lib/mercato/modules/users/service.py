"""Users and invites: the admin accounts of the store (Medusa's UserService and InviteService)."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Sequence
from typing import Any

import jwt
from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.config import get_settings
from mercato.core.clock import utcnow
from mercato.core.errors import invalid_data, not_found
from mercato.core.metadata import merge_metadata
from mercato.core.passwords import hash_password
from mercato.core.present import load_options
from mercato.core.query import (
    apply_filters,
    apply_order,
    apply_page,
    apply_search,
    count_rows,
    relations_for,
)
from mercato.core.validation import is_email_address
from mercato.modules.system.models import AnalyticsConfig
from mercato.modules.users.models import Invite, User
from mercato.modules.users.schemas import (
    AdminGetUsersParams,
    AdminPostInvitesInviteAcceptUserReq,
    AdminUpdateUserRequest,
)

DUPLICATE_EMAIL = "A user with the same email already exists."
RESET_TOKEN_TTL = datetime.timedelta(minutes=15)
INVITE_TTL = datetime.timedelta(days=7)
# jsonwebtoken's verify() accepts any HMAC algorithm for a shared secret.
_HMAC = ["HS256", "HS384", "HS512"]


# ---- users ----------------------------------------------------------------------------------


async def _hash(password: str) -> str:
    # scrypt takes tens of milliseconds of CPU: keep it off the event loop.
    return await asyncio.to_thread(hash_password, password)


async def _email_taken(tx: AsyncSession, email: str) -> bool:
    stmt = select(User.id).where(User.email == email, User.deleted_at.is_(None)).limit(1)
    return (await tx.execute(stmt)).first() is not None


async def create_user_record(
    tx: AsyncSession,
    *,
    email: str,
    password: str | None,
    role: str | None = "member",
    first_name: str | None = None,
    last_name: str | None = None,
    api_token: str | None = None,
    id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> User:
    """UserService.create: a valid, unused (case-insensitive) email; the password is hashed."""
    if not is_email_address(email):
        raise invalid_data("The email is not valid")
    email = email.lower()
    if await _email_taken(tx, email):
        raise invalid_data(DUPLICATE_EMAIL)
    user = User(
        email=email,
        role=role or "member",
        first_name=first_name,
        last_name=last_name,
        api_token=api_token,
        metadata_=metadata,
        password_hash=await _hash(password) if password else None,
    )
    if id:
        user.id = id
    tx.add(user)
    try:
        async with tx.begin_nested():
            await tx.flush()
    except IntegrityError:
        # Another transaction took the email between our check and the insert.
        raise invalid_data(DUPLICATE_EMAIL) from None
    # event: user.created {id}
    return user


async def find_user(tx: AsyncSession, user_id: str) -> User | None:
    """The user with that id, unless deleted."""
    stmt = select(User).where(User.id == user_id, User.deleted_at.is_(None))
    return (await tx.execute(stmt)).scalar_one_or_none()


async def find_user_by_email(tx: AsyncSession, email: str) -> User | None:
    """UserService.retrieveByEmail: the (not deleted) user with that email, case-insensitively."""
    stmt = select(User).where(User.email == email.lower(), User.deleted_at.is_(None))
    return (await tx.execute(stmt)).scalar_one_or_none()


async def retrieve_user(tx: AsyncSession, user_id: str) -> User:
    user = await find_user(tx, user_id)
    if user is None:
        raise not_found(f"User with id: {user_id} was not found")
    return user


def _list_statement(p: AdminGetUsersParams) -> Select[Any]:
    stmt = select(User).where(User.deleted_at.is_(None))
    if p.q:
        # UserService.listAndCount: q replaces the email/name filters with an OR of ILIKEs.
        stmt = apply_filters(stmt, User, p, skip=("email", "first_name", "last_name"))
        return apply_search(stmt, p.q, [User.email, User.first_name, User.last_name])
    return apply_filters(stmt, User, p)


async def list_users(tx: AsyncSession, p: AdminGetUsersParams) -> tuple[Sequence[User], int]:
    stmt = _list_statement(p)
    count = await count_rows(tx, stmt)
    stmt = apply_page(apply_order(stmt, User, p.order, default="-created_at"), p.offset, p.limit)
    stmt = stmt.options(*load_options(User, relations_for(p, ())))
    return (await tx.execute(stmt)).scalars().all(), count


async def update_user(tx: AsyncSession, user_id: str, data: AdminUpdateUserRequest) -> User:
    user = await retrieve_user(tx, user_id)
    changes: dict[str, Any] = {}
    for name in ("first_name", "last_name", "role", "api_token"):
        if name in data.model_fields_set:
            changes[name] = getattr(data, name)
    if data.metadata is not None:
        changes["metadata_"] = merge_metadata(user.metadata_, data.metadata)
    for attr, value in changes.items():
        # Only real changes: an UPDATE (and a new updated_at) happens only when something changed.
        if getattr(user, attr) != value:
            setattr(user, attr, value)
    await tx.flush()
    # event: user.updated {id}
    return user


async def delete_user(tx: AsyncSession, user_id: str) -> None:
    """Soft delete; idempotent (an unknown id is not an error). The analytics config goes too."""
    user = await find_user(tx, user_id)
    if user is None:
        return
    now = utcnow()
    await tx.execute(
        update(AnalyticsConfig)
        .where(AnalyticsConfig.user_id == user_id, AnalyticsConfig.deleted_at.is_(None))
        .values(deleted_at=now, updated_at=now)
    )
    user.deleted_at = now
    await tx.flush()
    # event: user.deleted {id}


async def generate_reset_password_token(tx: AsyncSession, email: str) -> str | None:
    """A JWT {user_id, email, exp: +15 min} signed with the user's current password hash, so it
    stops working once the password changes. None when no user (or no password) has that email."""
    user = await find_user_by_email(tx, email)
    if user is None or not user.password_hash:
        return None
    expiry = int(utcnow().timestamp()) + int(RESET_TOKEN_TTL.total_seconds())
    payload = {"user_id": user.id, "email": user.email, "exp": expiry, "iat": int(utcnow().timestamp())}
    token = jwt.encode(payload, user.password_hash, algorithm="HS256")
    # event: user.password_reset {email, token}
    return token


async def reset_password(tx: AsyncSession, token: str, email: str | None, password: str) -> User | None:
    """Sets a new password from a reset token. None when the token names another user (Medusa's 401)."""
    try:
        decoded = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        decoded = None
    lookup = email or (decoded.get("email") if isinstance(decoded, dict) else None)
    user = await find_user_by_email(tx, lookup) if isinstance(lookup, str) else None
    if user is None:
        raise invalid_data("invalid token")
    verified: dict[str, Any] | None = None
    try:
        if user.password_hash:
            verified = jwt.decode(token, user.password_hash, algorithms=_HMAC)
    except jwt.PyJWTError:
        # Medusa answers "invalid token" for an unreadable token and a 500 for a bad signature
        # or an expired one; every unusable token gets the 400 here.
        verified = None
    if verified is None:
        raise invalid_data("invalid token")
    if verified.get("user_id") != user.id:
        return None
    user.password_hash = await _hash(password)
    await tx.flush()
    return user


# ---- invites --------------------------------------------------------------------------------


def _invite_token(invite_id: str, role: str | None, user_email: str) -> str:
    # InviteService.generateToken: jwt.sign(data, jwt_secret); no expiry claim (expires_at rules).
    payload = {
        "invite_id": invite_id,
        "role": role,
        "user_email": user_email,
        "iat": int(utcnow().timestamp()),
    }
    return jwt.encode(payload, get_settings().jwt_secret, algorithm="HS256")


async def list_invites(tx: AsyncSession) -> Sequence[Invite]:
    stmt = select(Invite).where(Invite.deleted_at.is_(None)).order_by(Invite.created_at, Invite.id)
    return (await tx.execute(stmt)).scalars().all()


async def create_invite(tx: AsyncSession, user_email: str, role: str) -> Invite:
    """InviteService.create: refuses an email with an account (exact match, as Medusa), reuses the
    pending invite of that email (taking the new role), and issues a fresh token valid 7 days."""
    if await _email_taken(tx, user_email):
        raise invalid_data("Can't invite a user with an existing account")
    invite = (
        await tx.execute(select(Invite).where(Invite.user_email == user_email, Invite.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if invite is None:
        invite = Invite(user_email=user_email, role=role, token="", accepted=False, expires_at=utcnow())
        tx.add(invite)
        await tx.flush()
    elif not invite.accepted and invite.role != role:
        invite.role = role
    invite.token = _invite_token(invite.id, role, user_email)
    invite.expires_at = utcnow() + INVITE_TTL
    await tx.flush()
    # event: invite.created {id, token, user_email}
    return invite


async def resend_invite(tx: AsyncSession, invite_id: str) -> Invite:
    invite = (
        await tx.execute(select(Invite).where(Invite.id == invite_id, Invite.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if invite is None:
        raise invalid_data("Invite doesn't exist")
    invite.token = _invite_token(invite.id, invite.role, invite.user_email)
    invite.expires_at = utcnow() + INVITE_TTL
    await tx.flush()
    # event: invite.created {id, token, user_email}
    return invite


async def delete_invite(tx: AsyncSession, invite_id: str) -> None:
    """Hard delete, idempotent, as InviteService.delete."""
    await tx.execute(delete(Invite).where(Invite.id == invite_id))


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


async def accept_invite(tx: AsyncSession, token: str, data: AdminPostInvitesInviteAcceptUserReq) -> User:
    """Creates the invited user with the invite's role and deletes the invite."""
    try:
        claims = jwt.decode(token, get_settings().jwt_secret, algorithms=_HMAC)
    except jwt.PyJWTError:
        raise invalid_data("Token is not valid") from None
    invite_id, user_email = claims.get("invite_id"), claims.get("user_email")
    invite = None
    if isinstance(invite_id, str):
        # Locked: two requests accepting the same invite do not both create the user.
        stmt = select(Invite).where(Invite.id == invite_id, Invite.deleted_at.is_(None)).with_for_update()
        invite = (await tx.execute(stmt)).scalar_one_or_none()
    if invite is None or invite.user_email != user_email or utcnow() > _aware(invite.expires_at):
        raise invalid_data("Invalid invite")
    if await _email_taken(tx, invite.user_email.lower()):
        raise invalid_data("User already joined")
    user = await create_user_record(
        tx,
        email=invite.user_email,
        password=data.password,
        role=invite.role,
        first_name=data.first_name,
        last_name=data.last_name,
    )
    await tx.execute(delete(Invite).where(Invite.id == invite.id))
    return user
