"""create_app(): the ASGI application, with every domain's routers."""

from __future__ import annotations

import asyncio
import gc
import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

import mercato.modules as modules
from mercato.config import Settings, get_settings
from mercato.core.cache import ResponseCache
from mercato.core.cors import Cors
from mercato.core.dispatch import Dispatch
from mercato.core.errors import Unauthorized, install_error_handlers
from mercato.core.events import EventBus
from mercato.core.routing import prefilter_routes
from mercato.db.registry import load_all_models
from mercato.db.session import Database, database_from_settings
from mercato.modules.auth.deps import current_admin
from mercato.openapi import build_openapi


class _PathPolicy:
    """Serves `/admin/store/` as `/admin/store` (Medusa's dashboard calls both; never redirect) and
    answers CORS for /admin and /store from their own origin lists, with credentials."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app

        self.admin = Cors(app, settings.admin_cors)
        self.store = Cors(app, settings.store_cors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                scope = {**scope, "path": path.rstrip("/") or "/"}
                path = scope["path"]
            if path.startswith("/admin"):
                return await self.admin(scope, receive, send)
            if path.startswith("/store"):
                return await self.store(scope, receive, send)
        await self.app(scope, receive, send)


def _domain_routers() -> list[APIRouter]:
    found: list[APIRouter] = []
    for info in sorted(pkgutil.iter_modules(modules.__path__), key=lambda i: i.name):
        try:
            mod = importlib.import_module(f"mercato.modules.{info.name}.routes")
        except ModuleNotFoundError as exc:
            if exc.name == f"mercato.modules.{info.name}.routes":
                continue
            raise
        found.extend(v for v in vars(mod).values() if isinstance(v, APIRouter))
    return found


_PUBLIC_ADMIN_PATHS = {
    "/admin/auth",
    "/admin/auth/token",
    "/admin/users/password-token",
    "/admin/users/reset-password",
    "/admin/invites/accept",
}


async def _admin_credentials_first(request: Request) -> Response | None:
    """An unknown /admin path answers 401 to a caller without credentials, as Medusa's router does."""
    path = request.url.path.rstrip("/")
    if not path.startswith("/admin") or path in _PUBLIC_ADMIN_PATHS:
        return None
    async with request.app.state.db.read_session() as tx:
        try:
            await current_admin(request, tx)
        except Unauthorized:
            return PlainTextResponse("Unauthorized", status_code=401)
    return None


def _tune_gc() -> None:
    """For the serving process: what was loaded at startup (models, routes, SQLAlchemy's and
    pydantic's structures: most of the heap) is moved out of the collector's sight, so a full
    collection no longer walks it (a 10-40 ms pause under load, the p99), and young collections
    run less often (the ORM makes many short-lived cycles)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def create_server_app() -> FastAPI:
    """The app `mercato serve` runs: create_app with the serving process's GC tuning."""
    app = create_app()
    app.state.serving = True
    return app


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    load_all_models()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = database is None
        if owned:
            app.state.db = database_from_settings(settings)
        delivery = asyncio.create_task(app.state.events.run(app.state.db))
        if getattr(app.state, "serving", False):
            _tune_gc()
        yield
        delivery.cancel()
        if owned:
            await app.state.db.dispose()

    app = FastAPI(
        title="Mercato",
        version="0.1.0",
        description="A headless commerce engine that speaks the Medusa v1 Admin and Store REST API.",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.events = EventBus(settings)
    app.state.cache = ResponseCache()
    app.state.unknown_route_guard = _admin_credentials_first
    if database is not None:
        app.state.db = database
    install_error_handlers(app)

    @app.get("/health", response_class=PlainTextResponse, tags=["Health"])
    async def health() -> str:
        return "OK"

    for router in _domain_routers():
        app.include_router(router)
    prefilter_routes(app)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]

    original_app: Any = app.build_middleware_stack

    def build() -> ASGIApp:
        # the short way to a route first (core.dispatch), FastAPI's stack for the rest
        return _PathPolicy(Dispatch(original_app(), app), settings)

    app.build_middleware_stack = build  # type: ignore[method-assign]
    return app
