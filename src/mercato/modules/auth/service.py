"""Admin login: email + password checked against the stored scrypt-kdf hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.passwords import verify_password
from mercato.modules.users.models import User


async def authenticate_user(tx: AsyncSession, email: str, password: str) -> User | None:
    user = (
        await tx.execute(select(User).where(User.email == email.lower(), User.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if user is None or not verify_password(password, user.password_hash):
        return None
    return user
