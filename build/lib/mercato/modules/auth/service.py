"""Admin login: email + password checked against the stored scrypt-kdf hash."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.passwords import verify_password
from mercato.modules.users.models import User
from mercato.modules.users.service import find_user_by_email


async def authenticate_user(tx: AsyncSession, email: str, password: str) -> User | None:
    user = await find_user_by_email(tx, email)
    if user is None or not verify_password(password, user.password_hash):
        return None
    return user
