"""core.dispatch: the short way from the request to its route chooses the route FastAPI's router
chooses and answers as FastAPI's middleware stack does; what it does not take goes to the stack."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Response
from starlette.middleware.base import BaseHTTPMiddleware

from mercato.core.dispatch import Dispatch
from mercato.core.errors import MedusaError, install_error_handlers
from mercato.core.http import JSON


def _app(short: bool, served: Counter[str]) -> FastAPI:
    first = APIRouter(prefix="/a")
    second = APIRouter(prefix="/a")

    @first.get("/{item_id}")
    async def get_item(item_id: str, q: int = 0) -> Response:
        return JSON({"route": "first", "id": item_id, "q": q})

    @second.get("/fixed")  # never chosen: the first router's /a/{item_id} matches first
    async def get_fixed() -> Response:
        return JSON({"route": "second"})

    @second.post("/fixed")  # chosen for POST: the first router only has a GET there
    async def post_fixed() -> Response:
        return JSON({"route": "second-post"})

    @second.get("/number/{n:int}")
    async def number(n: int) -> Response:
        return JSON({"n": n, "type": type(n).__name__})

    @second.post("/refused")
    async def refused() -> Response:
        raise MedusaError("not_allowed", "No, thanks")

    @second.post("/broken")
    async def broken() -> Response:
        raise RuntimeError("boom")

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(first)
    app.include_router(second)

    @app.get("/health")
    async def health() -> Response:
        return JSON({"ok": True})

    if short:
        original: Any = app.build_middleware_stack

        def build() -> Any:
            built = Dispatch(original(), app)
            found = built._current
            assert built._read is not None

            def counting() -> Any:
                table = found()
                assert table is not None

                class Counted:
                    def find(self, method: str, path: str) -> Any:
                        hit = table.find(method, path)
                        served["short" if hit is not None else "stack"] += 1
                        return hit

                return Counted()

            built._current = counting  # type: ignore[method-assign]
            return built

        app.build_middleware_stack = build  # type: ignore[method-assign]
    return app


REQUESTS: list[tuple[str, str, bool]] = [
    ("GET", "/a/x?q=2", True),
    ("GET", "/a/fixed", True),
    ("POST", "/a/fixed", True),
    ("GET", "/a/number/12", True),
    ("GET", "/a/number/twelve", False),  # the int route does not match, nor /a/{item_id}: 404
    ("GET", "/a/x?q=abc", True),  # a validation error, answered by the app's handler
    ("POST", "/a/refused", True),
    ("POST", "/a/broken", True),  # an unhandled error: Medusa's 500
    ("GET", "/health", True),
    ("PUT", "/a/x", False),  # no route for the method: FastAPI's stack answers
    ("HEAD", "/a/x", False),
    ("GET", "/nowhere", False),
    ("GET", "/openapi.json", False),  # not a FastAPI route
]


@pytest.mark.parametrize(("method", "url", "short"), REQUESTS, ids=[f"{m} {u}" for m, u, _ in REQUESTS])
async def test_answers_as_the_stack_does(method: str, url: str, short: bool) -> None:
    answers = []
    for dispatched in (False, True):
        served: Counter[str] = Counter()
        transport = httpx.ASGITransport(app=_app(dispatched, served), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            res = await client.request(method, url)
        answers.append((res.status_code, res.content, sorted(res.headers.items())))
        if dispatched:
            assert served == Counter({"short" if short else "stack": 1})
    assert answers[0] == answers[1]


async def test_the_route_chosen_is_fastapis() -> None:
    transport = httpx.ASGITransport(app=_app(True, Counter()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/a/fixed")).json() == {"route": "first", "id": "fixed", "q": 0}
        assert (await client.post("/a/fixed")).json() == {"route": "second-post"}
        assert (await client.get("/a/number/12")).json() == {"n": 12, "type": "int"}
        broken = await client.post("/a/broken")
        assert broken.status_code == 500 and broken.json()["type"] == "unknown_error"


def test_an_unknown_middleware_turns_it_off() -> None:
    app = FastAPI()
    install_error_handlers(app)

    async def passing(request: Any, call_next: Any) -> Any:
        return await call_next(request)

    app.add_middleware(BaseHTTPMiddleware, dispatch=passing)
    assert Dispatch(app.build_middleware_stack(), app)._read is None


def test_the_application_is_dispatched() -> None:
    from mercato.app import create_app

    app = create_app()
    stack: Any = app.build_middleware_stack()
    built = stack.store.app
    assert isinstance(built, Dispatch) and built._read is not None
    table = built._current()
    assert table is not None
    found = table.find("POST", "/store/carts/cart_1/line-items")
    assert found is not None and found[0].route.path == "/store/carts/{cart_id}/line-items"
    assert found[1] == {"cart_id": "cart_1"}
    assert table.find("GET", "/store/carts/cart_1/line-items") is None
