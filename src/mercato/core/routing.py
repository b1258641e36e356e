"""Routers every domain uses: admin (authenticated), admin public, and store."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from starlette.routing import Match
from starlette.types import Scope

from mercato.core.http import TxRoute
from mercato.modules.auth.deps import current_admin


def admin_router(tag: str) -> APIRouter:
    """/admin routes behind Medusa's admin authentication (session, bearer JWT or API token)."""
    return APIRouter(prefix="/admin", tags=[tag], route_class=TxRoute, dependencies=[Depends(current_admin)])


def public_router(prefix: str, tag: str) -> APIRouter:
    """Routes without required authentication (the five public admin routes, and /store)."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=TxRoute)


def prefilter_routes(app: Any) -> None:
    """Let each top-level route of `app` refuse, by one regular expression, a path none of its
    routes has.

    FastAPI keeps every included router as one top-level route, and finding a request's route
    asks each of them in turn, each asking all of its own routes: 20 to 200 µs per request here,
    a tenth of what a cart step costs. The order and the answers stay FastAPI's; a router
    whose routes this cannot read (another FastAPI's internals) is asked as before."""
    try:
        from starlette._utils import get_route_path  # the path routes match, as Starlette reads it
    except ImportError:  # pragma: no cover - another Starlette: routes are asked as they are
        return
    for route in app.router.routes:
        patterns = _path_patterns(route)
        if not patterns:
            continue
        # the routes' own expressions, their named groups made plain (names repeat across routes)
        combined = re.compile("|".join(f"(?:{unnamed(p)})" for p in patterns))
        route.matches = _prefiltered(route.matches, combined.match, get_route_path)


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def unnamed(pattern: str) -> str:
    """A route's path expression with its named groups made plain, to be one alternative of a
    larger expression (the names repeat across routes, which one expression cannot hold)."""
    return _NAMED_GROUP.sub("(?:", pattern)


def _path_patterns(route: Any) -> list[str] | None:
    candidates = getattr(route, "effective_candidates", None)
    if not callable(candidates):
        return None
    patterns: list[str] = []
    for candidate in candidates():
        nested = _path_patterns(candidate)
        if nested is not None:
            patterns.extend(nested)
            continue
        regex = getattr(candidate, "path_regex", None)
        if regex is None:
            regex = getattr(getattr(candidate, "starlette_route", None), "path_regex", None)
        if not isinstance(regex, re.Pattern):
            return None
        patterns.append(regex.pattern)
    return patterns


def _prefiltered(
    matches: Callable[[Scope], tuple[Match, Scope]],
    path_match: Callable[[str], Any],
    route_path: Callable[[Scope], str],
) -> Any:
    def prefiltered(scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and path_match(route_path(scope)) is None:
            return Match.NONE, {}
        return matches(scope)

    return prefiltered
