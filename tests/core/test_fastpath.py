"""core.fastpath: the short way from a request to its endpoint answers exactly as FastAPI's own
handler does, runs each dependency once per request, and hands FastAPI what it does not take."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Body, Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel

from mercato.core.fastpath import fast_handler
from mercato.core.http import JSON


class Item(BaseModel):
    name: str
    quantity: int = 1


_CALLS: list[Counter[str]] = []  # the counter of the app being built (one at a time)


async def base(request: Request) -> str:
    _CALLS[0]["base"] += 1
    return request.headers.get("x-who", "nobody")


async def outer(who: Annotated[str, Depends(base)], flag: bool = False) -> str:
    return f"{who}:{flag}"


async def yields() -> Any:  # a generator dependency: FastAPI's to run
    yield "g"


def _app(fast: bool, calls: Counter[str]) -> FastAPI:
    class Route(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            original = super().get_route_handler()
            if not fast:
                return original

            async def fallback(request: Request) -> Response:
                calls["fallback"] += 1
                return await original(request)

            found = fast_handler(self, fallback)
            calls[f"planned {self.path}"] += found is not None
            return found or original

    _CALLS.clear()
    _CALLS.append(calls)
    router = APIRouter(route_class=Route)

    @router.post("/items/{item_id}")
    async def post_item(
        item_id: str,
        request: Request,
        who: Annotated[str, Depends(base)],
        outer_value: Annotated[str, Depends(outer)],
        q: int = 0,
        item: Annotated[Item | None, Body()] = None,
    ) -> Response:
        payload = {"id": item_id, "who": who, "outer": outer_value, "q": q}
        payload["item"] = item.model_dump() if item is not None else None
        return JSON(payload)

    @router.get("/generator")
    async def generator(value: Annotated[str, Depends(yields)]) -> Response:
        return JSON({"value": value})

    app = FastAPI()
    app.include_router(router)
    return app


REQUESTS: list[dict[str, Any]] = [
    {"url": "/items/a?q=3", "json": {"name": "x", "quantity": 2}, "headers": {"x-who": "ann"}},
    {"url": "/items/a?flag=true", "json": {"name": "x"}},
    {"url": "/items/a"},  # no body at all
    {"url": "/items/a", "content": b"null", "headers": {"content-type": "application/json"}},
    {"url": "/items/a?q=abc", "json": {"name": "x"}},  # a bad query parameter
    {"url": "/items/a?flag=maybe", "json": {"name": "x"}},  # a bad parameter of a dependency
    {"url": "/items/a", "json": {"quantity": "many"}},  # a bad body
    {"url": "/items/a", "content": b"{not json", "headers": {"content-type": "application/json"}},
    {
        "url": "/items/a",
        "content": b'{"name": "a", "name": "b"}',
        "headers": {"content-type": "application/json"},
    },
    {"url": "/items/a", "content": b'{"name": "x"}', "headers": {"content-type": "text/plain"}},
    {"url": "/items/a", "content": b'{"name": "x"}', "headers": {"content-type": "application/vnd.x+json"}},
]


@pytest.mark.parametrize("request_args", REQUESTS, ids=[str(i) for i in range(len(REQUESTS))])
async def test_answers_as_fastapi_does(request_args: dict[str, Any]) -> None:
    answers = []
    for fast in (False, True):
        calls: Counter[str] = Counter()
        transport = httpx.ASGITransport(app=_app(fast, calls))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            res = await client.post(**request_args)
        answers.append((res.status_code, res.json()))
        if fast and res.status_code == 200:
            # the short way: the dependency both the endpoint and `outer` use ran once
            assert (calls["fallback"], calls["base"]) == (0, 1)
    assert answers[0] == answers[1]


async def test_errors_go_to_fastapi_and_unplannable_routes_stay_fastapi() -> None:
    calls: Counter[str] = Counter()
    transport = httpx.ASGITransport(app=_app(True, calls))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.post("/items/a?q=abc", json={"name": "x"})).status_code == 422
        assert calls["fallback"] == 1
        assert (await client.get("/generator")).json() == {"value": "g"}
    # the generator dependency's route is FastAPI's
    assert calls["planned /items/{item_id}"] >= 1 and calls["planned /generator"] == 0


def test_the_application_routes_take_the_short_way(monkeypatch: pytest.MonkeyPatch) -> None:
    from mercato import app as application
    from mercato.core import http

    planned: list[bool] = []

    def counting(route: Any, fallback: Any) -> Any:
        found = fast_handler(route, fallback)
        planned.append(found is not None)
        return found

    monkeypatch.setattr(http, "fast_handler", counting)
    application.create_app()
    # every route but the few with a dependency the short way leaves to FastAPI
    assert len(planned) > 200 and planned.count(False) <= 4, planned.count(False)
