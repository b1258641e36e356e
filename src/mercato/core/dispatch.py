"""From the request straight to its route, the way FastAPI's middleware and router would take it.

Between uvicorn and a route's handler, FastAPI passes a request through six middleware layers and
a router that asks each included router in turn, each asking its own routes, then matches the
chosen route a second time: about a tenth of the server's CPU on a checkout step. Most of it does
nothing for this application (no telemetry, no body limit, no middleware of its own but
`AnswerUnhandled`). `Dispatch` sits in front of that stack and, for an HTTP request whose first
fully matching route (method and path, in FastAPI's order) is a FastAPI route, does what the
layers would do for it and calls the route's own ASGI app:

- answers an unhandled error as `AnswerUnhandled` does (the layers outside it only re-raise);
- puts the exception handlers in the scope as `ExceptionMiddleware` does (the route's
  `request_response` handles its errors with them; the middleware's own second try could only
  re-raise the same error);
- opens the exit stack `AsyncExitStackMiddleware` opens;
- sets what the router sets (`router`, `endpoint`, `path_params`, `route`, and FastAPI's
  effective-route keys).

Anything else goes through the stack as before: other scope types, a root path, telemetry, a
first match that is not a FastAPI route (documentation pages, mounts), no full match (404/405).
The stack is read at start-up; a layer this module does not know (a middleware someone adds, a
body size limit) turns the short way off for the whole application.
"""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from mercato.core.errors import AnswerUnhandled
from mercato.core.routing import unnamed

# layers that do nothing for a request this module serves (see the docstring), by class path
_TRANSPARENT = {
    "starlette.middleware.errors.ServerErrorMiddleware",
    "fastapi.telemetry._asgi.ExceptionTelemetryMiddleware",
    "fastapi._body_limit.AppBodyLimitMiddleware",
}
_EXCEPTIONS = "starlette.middleware.exceptions.ExceptionMiddleware"
_EXIT_STACK = "fastapi.middleware.asyncexitstack.AsyncExitStackMiddleware"


@dataclass(frozen=True, slots=True)
class _Target:
    app: ASGIApp
    route: APIRoute
    context: Any  # what FastAPI matched: the route, or its effective context in an included router
    included: Any  # the included router holding it (FastAPI ≥ 0.16x), else None
    regex: re.Pattern[str]
    convertors: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Stack:
    handlers: tuple[Any, Any]  # ExceptionMiddleware's (by exception class, by status code)
    exit_stack_key: str
    answer_unhandled: bool


def _class_path(obj: Any) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _read_stack(stack: Any, router: Any) -> _Stack | None:
    handlers: tuple[Any, Any] | None = None
    exit_stack_key: str | None = None
    answer = False
    layer = stack
    while layer is not router:
        name = _class_path(layer)
        if isinstance(layer, AnswerUnhandled) and handlers is None:
            answer = True
        elif name == _EXCEPTIONS and handlers is None:
            handlers = (layer._exception_handlers, layer._status_handlers)
        elif name == _EXIT_STACK and handlers is not None and exit_stack_key is None:
            exit_stack_key = layer.context_name
        elif name not in _TRANSPARENT or handlers is not None:
            return None
        layer = getattr(layer, "app", None)
        if layer is None:
            return None
    if handlers is None or exit_stack_key is None:
        return None
    return _Stack(handlers, exit_stack_key, answer)


def _routes_in_order(routes: list[Any]) -> list[tuple[Any, Any, Any]] | None:
    """(route, what FastAPI matches it by, its included router) for every route in matching
    order; None when a route's matching is not a path expression and a method set."""
    found: list[tuple[Any, Any, Any]] = []
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        pairs = (
            [(ctx.original_route, ctx, route) for ctx in contexts()]
            if callable(contexts)
            else [(route, route, None)]
        )
        for original, context, included in pairs:
            if not isinstance(getattr(context, "path_regex", None), re.Pattern) or not getattr(
                context, "methods", None
            ):
                return None
            include_context = getattr(included, "include_context", None)
            if getattr(include_context, "form_limits", None):
                return None
            found.append((original, context, included))
    return found


class _Table:
    """The routes by method: one expression per method whose alternatives are its routes' paths in
    FastAPI's order, so the first alternative that matches is the route FastAPI chooses."""

    def __init__(self, routes: list[tuple[Any, Any, Any]]) -> None:
        self.by_method: dict[str, tuple[re.Pattern[str], list[_Target | None]]] = {}
        methods = sorted({m for _, context, _ in routes for m in context.methods})
        for method in methods:
            patterns: list[str] = []
            targets: list[_Target | None] = []
            for original, context, included in routes:
                if method not in context.methods:
                    continue
                patterns.append(f"(?P<r{len(targets)}>{unnamed(context.path_regex.pattern)})")
                app = getattr(context, "app", None)
                targets.append(
                    _Target(app, original, context, included, context.path_regex, context.param_convertors)
                    if isinstance(original, APIRoute) and app is not None
                    else None
                )
            self.by_method[method] = (re.compile("|".join(patterns)), targets)

    def find(self, method: str, path: str) -> tuple[_Target, dict[str, Any]] | None:
        entry = self.by_method.get(method)
        if entry is None:
            return None
        combined, targets = entry
        matched = combined.match(path)
        if matched is None or matched.lastgroup is None:
            return None
        target = targets[int(matched.lastgroup[1:])]
        if target is None:
            return None
        own = target.regex.match(path)
        if own is None:  # cannot happen: the alternative is this expression
            return None
        convertors = target.convertors
        return target, {k: convertors[k].convert(v) for k, v in own.groupdict().items()}


class Dispatch:
    """In front of the application's middleware stack (`stack`, built by `fastapi_app`)."""

    def __init__(self, stack: ASGIApp, fastapi_app: Any) -> None:
        self.stack = stack
        self.fastapi_app = fastapi_app
        self._read = _read_stack(stack, fastapi_app.router)
        self._table: _Table | None = None
        self._version: Any = None

    def _current(self) -> _Table | None:
        router = self.fastapi_app.router
        if getattr(router, "form_limits", None):
            return None
        # the application's own route list; a route added later to a router it already included
        # is not seen here (FastAPI's full version check walks every router: 50 µs a request)
        version = (getattr(router, "_routes_version", None), len(router.routes))
        if version != self._version:
            routes = _routes_in_order(list(router.routes))
            self._table = None if routes is None else _Table(routes)
            self._version = version
        return self._table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self._read is not None
            and scope["type"] == "http"
            and not scope.get("root_path")
            and "fastapi.telemetry" not in scope
        ):
            table = self._current()
            found = table.find(scope["method"], scope["path"]) if table is not None else None
            if found is not None:
                target, params = found
                scope["starlette.exception_handlers"] = self._read.handlers
                scope.setdefault("router", self.fastapi_app.router)
                if target.included is not None:
                    fastapi_scope = scope.setdefault("fastapi", {})
                    fastapi_scope["included_router"] = target.included
                    fastapi_scope["effective_route_context"] = target.context
                scope["endpoint"] = target.context.endpoint
                scope["path_params"] = {**scope.get("path_params", {}), **params}
                scope["route"] = target.route
                routed: ASGIApp = partial(self._route, self._read.exit_stack_key, target.app)
                if self._read.answer_unhandled:
                    routed = AnswerUnhandled(routed)
                await routed(scope, receive, send)
                return
        await self.stack(scope, receive, send)

    @staticmethod
    async def _route(exit_stack_key: str, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        async with AsyncExitStack() as stack:
            scope[exit_stack_key] = stack
            await app(scope, receive, send)
