"""A shorter way from a request to its endpoint than FastAPI's, for the routes whose parameters and
dependencies are plain (the application's are).

FastAPI prepares every request generically: it reads the declarations of the endpoint and of each
dependency again (cache keys, scopes, generator checks), parses the content type with the e-mail
package, decodes JSON with the standard library, and wraps each step in telemetry and exit stacks.
Measured on the draft order + Mark Paid flow, that was a tenth of the server's CPU. Here each
route's declarations are read once, at start-up, into a plan; a request then runs the same
steps in the same order (dependencies first, depth first, each once per request; then path,
query, header and cookie parameters; then the body) with FastAPI's own validators.

Only the successful case is taken here. At the first validation error (or a body that is not
plain JSON) the request is handed to FastAPI's handler, which answers it as it always did (the
same errors, in its own format): the application's dependencies keep what they made on
`request.state`, so running them again costs a lookup. Routes with anything else (generator
dependencies, security scopes, form bodies, a `Response` parameter, an endpoint that does not
return a `Response`) and requests made while dependency overrides are set go to FastAPI.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import fastapi.routing
import orjson
from fastapi import Request, Response, params
from fastapi._compat import Undefined  # FastAPI's "no body" (not None: a JSON null is one)
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_body_to_args, request_params_to_args

# FastAPI ≥ 0.16x builds an included route's handler for its effective context (None before)
_EFFECTIVE: Any = getattr(fastapi.routing, "_effective_route_context_var", None)

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _Fallback(Exception):
    """This request is FastAPI's to answer (a validation error, a body that is not plain JSON)."""


@dataclass(frozen=True, slots=True)
class _Plan:
    call: Callable[..., Awaitable[Any]]
    name: str | None
    use_cache: bool
    dependencies: tuple[_Plan, ...]
    request_name: str | None
    plain_path: tuple[tuple[str, str], ...]  # (name, alias) of `str` path parameters
    path: list[Any]
    query: list[Any]
    header: list[Any]
    cookie: list[Any]


def _plan(dependant: Dependant, top: bool) -> _Plan | None:
    """The dependant's steps, or None when something in it needs FastAPI's own handling."""
    call = dependant.call
    if call is None or not inspect.iscoroutinefunction(call):
        return None  # a sync function (FastAPI runs it in a thread) or a generator dependency
    if (
        dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
        or dependant.own_oauth_scopes
        or dependant.parent_oauth_scopes
        or getattr(dependant, "concurrency", None) is not None
        or (dependant.body_params and not top)
    ):
        return None
    subs: list[_Plan] = []
    for sub in dependant.dependencies:
        planned = _plan(sub, top=False)
        if planned is None:
            return None
        subs.append(planned)
    return _Plan(
        call=call,
        name=dependant.name,
        use_cache=dependant.use_cache,
        dependencies=tuple(subs),
        request_name=dependant.request_param_name,
        plain_path=tuple((f.name, f.alias) for f in dependant.path_params if _plain_str(f)),
        path=[f for f in dependant.path_params if not _plain_str(f)],
        query=list(dependant.query_params),
        header=list(dependant.header_params),
        cookie=list(dependant.cookie_params),
    )


def _plain_str(field: Any) -> bool:
    """A path parameter declared `str` without constraints: the path's text is its value (what
    FastAPI's validation of it returns), so it needs no validation."""
    info = field.field_info
    return info.annotation is str and not info.metadata


def _returns_response(endpoint: Callable[..., Any]) -> bool:
    returned = getattr(endpoint, "__annotations__", {}).get("return")
    if isinstance(returned, str):  # postponed annotations: resolved where the endpoint lives
        try:
            returned = eval(returned, getattr(endpoint, "__globals__", {}))  # noqa: S307
        except Exception:  # a name that does not resolve there: FastAPI's way
            return False
    return isinstance(returned, type) and issubclass(returned, Response)


async def _values(plan: _Plan, request: Request, cache: dict[Any, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for sub in plan.dependencies:
        sub_values = await _values(sub, request, cache)
        if sub.use_cache and sub.call in cache:
            solved = cache[sub.call]
        else:
            solved = await sub.call(**sub_values)
            cache.setdefault(sub.call, solved)
        if sub.name is not None:
            values[sub.name] = solved
    if plan.plain_path:
        path_params = request.path_params
        for name, alias in plan.plain_path:
            value = path_params.get(alias)
            if not isinstance(value, str):
                raise _Fallback
            values[name] = value
    for fields, given in (
        (plan.path, request.path_params),
        (plan.query, request.query_params),
        (plan.header, request.headers),
        (plan.cookie, request.cookies),
    ):
        if fields:
            found, errors = request_params_to_args(fields, given)
            if errors:
                raise _Fallback
            values.update(found)
    if plan.request_name is not None:
        values[plan.request_name] = request
    return values


def _json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def fast_handler(route: Any, fallback: Handler) -> Handler | None:
    """A handler for `route` (a FastAPI APIRoute) that takes the short way when it can and hands
    the request to `fallback` (FastAPI's handler of the route) otherwise; None when the route
    has nothing the short way can take."""
    # an included route's effective declarations (its including routers' dependencies and
    # prefixes added) are what FastAPI's handler of the route uses: the same here
    effective = _EFFECTIVE.get() if _EFFECTIVE is not None else None
    if effective is not None and getattr(effective, "original_route", None) is route:
        route = effective
    dependant: Dependant = route.dependant
    plan = _plan(dependant, top=True)
    if plan is None or not _returns_response(route.endpoint):
        return None
    body_field = getattr(route, "body_field", None)
    if body_field is not None and isinstance(body_field.field_info, params.Form):
        return None
    body_params = list(dependant.body_params)
    embed = bool(getattr(route, "_embed_body_fields", False))
    overrides = getattr(route, "dependency_overrides_provider", None)
    endpoint = plan.call

    async def handler(request: Request) -> Response:
        if overrides is not None and getattr(overrides, "dependency_overrides", None):
            return await fallback(request)
        try:
            body: Any = Undefined
            if body_field is not None:
                raw = await request.body()
                if raw:
                    if not _json_media_type(request.headers.get("content-type") or ""):
                        raise _Fallback
                    try:
                        body = orjson.loads(raw)
                    except orjson.JSONDecodeError:
                        raise _Fallback from None
            values = await _values(plan, request, {})
            if body_params:
                found, errors = await request_body_to_args(body_params, body, embed)
                if errors:
                    raise _Fallback
                values.update(found)
        except _Fallback:
            return await fallback(request)
        response = await endpoint(**values)
        if not isinstance(response, Response):
            raise TypeError(f"{route.path}: the endpoint returned {type(response).__name__}, not a Response")
        return response

    return handler
