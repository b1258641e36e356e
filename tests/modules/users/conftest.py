from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from mercato.db.session import Database
from mercato.modules.users.service import create_user_record

MakeUser = Callable[..., Awaitable[Any]]


@pytest.fixture
def make_user(db: Database) -> MakeUser:
    """Creates a user row directly (committed) and returns it."""

    async def make(email: str, password: str | None = "secret", **kwargs: Any) -> Any:
        async with db.write_session() as tx:
            user = await create_user_record(tx, email=email, password=password, **kwargs)
            await tx.commit()
        return user

    return make
