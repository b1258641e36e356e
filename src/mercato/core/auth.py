"""Credentials as Medusa's passport strategies read them: JWT bearer, express-session cookie, API token.

Sessions live in the database (table `mercato_session`), so any API process can serve any cookie.
The cookie is express-session's: `connect.sid=s:<sid>.<signature>` (cookie-signature, HMAC-SHA256).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import quote, unquote

import jwt
from fastapi import Request, Response
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.config import get_settings
from mercato.core.clock import utcnow
from mercato.modules.auth.models import LoginSession

COOKIE_NAME = "connect.sid"


def sign_token(payload: dict[str, Any], expires_in: datetime.timedelta = datetime.timedelta(hours=24)) -> str:
    now = utcnow()
    claims = {**payload, "iat": int(now.timestamp()), "exp": int((now + expires_in).timestamp())}
    return jwt.encode(claims, get_settings().jwt_secret, algorithm="HS256")


# Tokens verified already: (secret, token) -> their claims. A dashboard or a storefront sends the
# same token with every request, and checking its signature and decoding it was a twentieth of
# an admin write's CPU. A signature stays valid for a given secret, and a token that verified
# once can only become invalid by expiring, which every hit checks again (as jwt.decode does:
# expired when `exp <= now`); failures are not kept (a token not valid *yet* may become valid).
_VERIFIED: dict[tuple[str, str], dict[str, Any]] = {}
_VERIFIED_MAX = 4096


def read_token(token: str) -> dict[str, Any] | None:
    secret = get_settings().jwt_secret
    key = (secret, token)
    claims = _VERIFIED.get(key)
    if claims is not None:
        exp = claims.get("exp")
        if exp is None or exp > time.time():
            return dict(claims)
        del _VERIFIED[key]
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp")
    if exp is None or isinstance(exp, int | float):
        if len(_VERIFIED) >= _VERIFIED_MAX:
            _VERIFIED.clear()
        _VERIFIED[key] = claims
    return dict(claims)


def bearer_claims(request: Request, domain: str) -> dict[str, Any] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    claims = read_token(header[7:].strip())
    if claims is None or claims.get("domain") != domain:
        return None
    return claims


def _signature(value: str) -> str:
    mac = hmac.new(get_settings().cookie_secret.encode(), value.encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode().rstrip("=")


def cookie_session_id(request: Request) -> str | None:
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    raw = unquote(raw)
    if not raw.startswith("s:") or "." not in raw:
        return None
    sid, _, sig = raw[2:].rpartition(".")
    return sid if hmac.compare_digest(sig, _signature(sid)) else None


async def load_session(tx: AsyncSession, request: Request) -> LoginSession | None:
    sid = cookie_session_id(request)
    if sid is None:
        return None
    session = await tx.get(LoginSession, sid)
    if session is None:
        return None
    expires = session.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=datetime.UTC)
    return session if expires > utcnow() else None


async def start_session(tx: AsyncSession, response: Response, data: dict[str, Any], request: Request) -> None:
    """Store `data` in the caller's session (reusing it when it exists) and set the cookie."""
    ttl = get_settings().session_ttl
    existing = await load_session(tx, request)
    if existing is not None:
        existing.data = {**existing.data, **data}
        existing.expires_at = utcnow() + datetime.timedelta(seconds=ttl)
        sid = existing.id
    else:
        sid = secrets.token_urlsafe(24)
        tx.add(
            LoginSession(
                id=sid,
                data=data,
                expires_at=utcnow() + datetime.timedelta(seconds=ttl),
                created_at=utcnow(),
            )
        )
    await tx.flush()
    # as express-session writes it (the `cookie` package): the value URI-encoded, an Expires date,
    # no Max-Age and no SameSite (Medusa sets SameSite only in production, with Secure)
    response.set_cookie(
        COOKIE_NAME,
        quote(f"s:{sid}.{_signature(sid)}", safe=""),
        expires=utcnow() + datetime.timedelta(seconds=ttl),
        httponly=True,
        path="/",
        samesite=None,
    )


async def end_session(tx: AsyncSession, request: Request, keys: tuple[str, ...]) -> None:
    """Forget the given keys of the caller's session; drop the session when nothing is left."""
    session = await load_session(tx, request)
    if session is None:
        return
    data = {k: v for k, v in session.data.items() if k not in keys}
    if data:
        session.data = data
    else:
        await tx.execute(delete(LoginSession).where(LoginSession.id == session.id))
    await tx.flush()
