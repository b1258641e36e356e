"""The request's transaction and fast JSON answers.

`TxRoute` commits the request's session after the handler returns and before the response
leaves, and rolls it back on any error: a client never sees success for an uncommitted change.
Reads get a deferred transaction; writes (POST/DELETE) an immediate one on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def ok(payload: Any, status_code: int = 200) -> JSON:
    return JSON(payload, status_code=status_code)


class TxRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                response = await original(request)
            except BaseException:
                session: AsyncSession | None = getattr(request.state, "tx", None)
                if session is not None:
                    await session.rollback()
                    await session.close()
                raise
            session = getattr(request.state, "tx", None)
            if session is not None:
                try:
                    if request.method in _READ_METHODS:
                        await session.rollback()
                    else:
                        await session.commit()
                        bus = getattr(request.app.state, "events", None)
                        if bus is not None:
                            bus.kick()
                finally:
                    await session.close()
            return response

        return handler


async def get_tx(request: Request) -> AsyncSession:
    session: AsyncSession | None = getattr(request.state, "tx", None)
    if session is None:
        db = request.app.state.db
        maker = db.read_session if request.method in _READ_METHODS else db.write_session
        session = maker()
        request.state.tx = session
    return session


Tx = Annotated[AsyncSession, Depends(get_tx)]
