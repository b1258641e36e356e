"""Top-level routes refuse the paths none of their routes has (core.routing.prefilter_routes):
every request still finds the route FastAPI alone would find."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Match

import mercato.app as app_module
from mercato.config import Settings


def _first_match(app: Any, method: str, path: str) -> tuple[int, Match]:
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "app": app}
    partial = (-1, Match.NONE)
    for index, route in enumerate(app.router.routes):
        match, _child = route.matches(dict(scope))
        if match == Match.FULL:
            return index, match
        if match == Match.PARTIAL and partial[0] < 0:
            partial = (index, match)
    return partial


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        if inner is not None and hasattr(inner, "routes") and inner is not route:
            found.extend(_api_routes(inner.routes))
    return found


def test_prefiltered_routes_match_as_fastapi_does(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(database_url="sqlite+aiosqlite:///:memory:")
    fast = app_module.create_app(settings)
    monkeypatch.setattr(app_module, "prefilter_routes", lambda app: None)
    plain = app_module.create_app(settings)
    requests = [("GET", "/nowhere"), ("GET", "/admin/nowhere"), ("DELETE", "/store/carts")]
    for route in _api_routes(plain.router.routes):
        path = re.sub(r"\{[^}]+\}", "x_1", route.path)
        requests += [(method, path) for method in sorted(route.methods)] + [("PATCH", path)]
    assert len(requests) > 300
    found = [_first_match(fast, m, p) for m, p in requests]
    assert found == [_first_match(plain, m, p) for m, p in requests]
    assert found[0] == (-1, Match.NONE) and all(i >= 0 for i, _ in found[3:])
