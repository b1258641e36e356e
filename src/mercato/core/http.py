"""The request's transaction and fast JSON answers.

`TxRoute` commits the request's session after the handler returns and before the response
leaves, and rolls it back on any error: a client never sees success for an uncommitted change.
Reads get a deferred transaction; writes (POST/DELETE) an immediate one on SQLite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.cache import Entry, ResponseCache, policy_of
from mercato.core.events import OutboxSession, wrote_events
from mercato.core.fastpath import fast_handler

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def ok(payload: Any, status_code: int = 200) -> JSON:
    return JSON(payload, status_code=status_code)


def _cache_key(request: Request, generation: int) -> tuple[Any, ...]:
    # The exact credentials are part of the key: an answer is only replayed to a caller that
    # presented what the first caller presented (revoking them is a write, which invalidates).
    headers = request.headers
    return (
        generation,
        request.url.path,
        request.url.query,
        headers.get("authorization"),
        headers.get("x-medusa-access-token"),
        headers.get("x-publishable-api-key"),
        request.cookies.get("connect.sid"),
    )


class TxRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        # FastAPI's handler answers what the short way leaves to it (see core.fastpath)
        original = super().get_route_handler()
        original = fast_handler(self, original) or original
        policy = policy_of(self.endpoint)

        async def cached(request: Request) -> Response:
            assert policy is not None
            cache: ResponseCache = request.app.state.cache
            key = _cache_key(request, await cache.generation(request.app.state.db))
            hit = cache.get(key)
            if hit is not None:
                return Response(hit.body, status_code=hit.status, media_type=hit.media_type)
            response = await transactional(request)
            if response.status_code == 200 and not response.headers.get("set-cookie"):
                cache.put(
                    key,
                    Entry(bytes(response.body), 200, response.media_type or JSON.media_type, policy.expiry()),
                )
            return response

        async def handler(request: Request) -> Response:
            if policy is not None and request.method == "GET":
                return await cached(request)
            return await transactional(request)

        async def transactional(request: Request) -> Response:
            try:
                response = await original(request)
            except BaseException:
                if await _finish(request, commit=False):
                    _wake_bus(request)  # events a commit before the failure wrote (an order placed)
                raise
            if await _finish(request, commit=request.method not in _READ_METHODS):
                _wake_bus(request)
            return response

        return handler


def _wake_bus(request: Request) -> None:
    """Wake the event bus when a commit of the request's session wrote staged events: only then
    has a delivery pass (a transaction of its own) anything to do."""
    if wrote_events(request.state.tx):
        bus = getattr(request.app.state, "events", None)
        if bus is not None:
            bus.kick()


async def _finish(request: Request, commit: bool) -> bool:
    """Ends the request's session (commit or rollback, then close) and opens the SQLite write
    gate whatever happens; False when the request had no session."""
    session: OutboxSession | None = getattr(request.state, "tx", None)
    if session is None:
        return False
    try:
        await session.finish(commit=commit)
    finally:
        _release_write_gate(request)
    return True


def _write_gate(request: Request) -> asyncio.Lock:
    """SQLite has one writer at a time: the process's writing requests queue here, in order,
    instead of polling the file lock in SQLite's busy handler (whose growing sleeps starve
    some of them for seconds under load). One gate per event loop."""
    loop = asyncio.get_running_loop()
    state = request.app.state
    gate: tuple[Any, asyncio.Lock] | None = getattr(state, "sqlite_write_gate", None)
    if gate is None or gate[0] is not loop:
        gate = (loop, asyncio.Lock())
        state.sqlite_write_gate = gate
    return gate[1]


def _release_write_gate(request: Request) -> None:
    gate: asyncio.Lock | None = getattr(request.state, "write_gate", None)
    if gate is not None:
        request.state.write_gate = None
        gate.release()


async def get_tx(request: Request) -> AsyncSession:
    session: AsyncSession | None = getattr(request.state, "tx", None)
    if session is None:
        db = request.app.state.db
        if request.method not in _READ_METHODS and db.is_sqlite:
            gate = _write_gate(request)
            await gate.acquire()
            request.state.write_gate = gate
        maker = db.read_session if request.method in _READ_METHODS else db.write_session
        session = maker()
        bus = getattr(request.app.state, "events", None)
        if bus is not None:
            bus.watch(session)
        request.state.tx = session
    return session


Tx = Annotated[AsyncSession, Depends(get_tx)]
