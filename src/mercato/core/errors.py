"""Medusa's errors: `MedusaError(type, message, code?)` and the status its error handler gives each."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from mercato.core.http import JSON

CONFLICT_MESSAGE = (
    "The request conflicted with another request. "
    "You may retry the request with the provided Idempotency-Key."
)

_STATUS = {
    "not_found": 404,
    "invalid_data": 400,
    "not_allowed": 400,
    "unauthorized": 401,
    "duplicate_error": 422,
    "payment_authorization_error": 422,
    "conflict": 409,
    "database_error": 500,
    "unexpected_state": 500,
    "invalid_argument": 500,
}


class MedusaError(Exception):
    """A business error that reaches the client as Medusa's `{type, message, code?}` body."""

    def __init__(self, type: str, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.type = type
        self.message = message
        self.code = code

    @property
    def status(self) -> int:
        return _STATUS.get(self.type, 500)

    def body(self) -> dict[str, Any]:
        if self.type == "conflict":
            return {"code": "invalid_state_error", "type": "conflict", "message": CONFLICT_MESSAGE}
        if self.type == "duplicate_error":
            return {"code": "invalid_request_error", "type": self.type, "message": self.message}
        if self.type == "database_error":
            return {"code": "api_error", "type": self.type, "message": self.message}
        if self.type not in _STATUS:
            return {"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."}
        body: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            body["code"] = self.code
        return body


def not_found(message: str) -> MedusaError:
    return MedusaError("not_found", message)


def invalid_data(message: str) -> MedusaError:
    return MedusaError("invalid_data", message)


def refuse_nulls(table: str, values: Mapping[str, Any] | BaseModel, columns: Sequence[str]) -> None:
    """A write of null into a NOT NULL column: what PostgreSQL refuses (23502) and Medusa's
    exception formatter words, for the first such column in `columns` order. `values` may be a
    validated body: the fields it was given (an absent one is `undefined`, not null)."""
    if isinstance(values, BaseModel):
        values = {name: getattr(values, name) for name in values.model_fields_set}
    for column in columns:
        if column in values and values[column] is None:
            raise invalid_data(f"Can't insert null value in field {column} on insert in table {table}")


def not_allowed(message: str) -> MedusaError:
    return MedusaError("not_allowed", message)


def duplicate(message: str) -> MedusaError:
    return MedusaError("duplicate_error", message)


class RequestErrors(Exception):
    """Medusa's `wrap` answer when a validating middleware collected errors in `req.errors`
    (e.g. validateProductsExist): 400 `{errors: [...], message}`."""

    MESSAGE = "Provided request body contains errors. Please check the data and retry the request"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {"errors": list(self.errors), "message": self.MESSAGE}


class Unauthorized(Exception):
    """Passport's answer: 401 with the plain-text body `Unauthorized`."""


def _describe(err: dict[str, Any]) -> str:
    # class-validator style: "<field> must be a string", joined with ", " as Medusa's validator does.
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc) if loc else "body"
    kind = err.get("type", "")
    if kind == "missing":
        return f"{field} must be defined"
    if kind == "extra_forbidden":
        return f"property {field} should not exist"
    if kind in ("string_type",):
        return f"{field} must be a string"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field} must be an integer number"
    if kind in ("float_type", "float_parsing"):
        return f"{field} must be a number conforming to the specified constraints"
    if kind in ("bool_type", "bool_parsing"):
        return f"{field} must be a boolean value"
    if kind in ("list_type",):
        return f"{field} must be an array"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{field} must be an object"
    msg = str(err.get("msg", "is invalid"))
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    return f"{field} {msg[0].lower() + msg[1:] if msg else 'is invalid'}"


def _unknown_top_level(err: dict[str, Any]) -> bool:
    loc = [p for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    return err.get("type") == "extra_forbidden" and len(loc) == 1


def validation_message(errors: list[dict[str, Any]]) -> str:
    """class-validator's wording, in its order: the whitelist's "property x should not exist" of
    the object itself first, then each property's own errors."""
    seen: list[str] = []
    for err in sorted(errors, key=lambda e: not _unknown_top_level(e)):
        text = _describe(err)
        if text not in seen:
            seen.append(text)
    return ", ".join(seen)


def express_not_found(request: Request) -> HTMLResponse:
    """Express's answer to a route it does not have (it has no 405 either)."""
    body = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
        f"</head>\n<body>\n<pre>Cannot {request.method} {html.escape(request.url.path)}</pre>\n"
        "</body>\n</html>\n"
    )
    return HTMLResponse(body, status_code=404)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MedusaError)
    async def _medusa(_: Request, exc: MedusaError) -> JSON:
        return JSON(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestErrors)
    async def _request_errors(_: Request, exc: RequestErrors) -> JSON:
        return JSON(exc.body(), status_code=400)

    @app.exception_handler(Unauthorized)
    async def _unauthorized(_: Request, __: Unauthorized) -> PlainTextResponse:
        return PlainTextResponse("Unauthorized", status_code=401)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSON:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSON({"type": "invalid_data", "message": "Invalid JSON body"}, status_code=400)
        return JSON({"type": "invalid_data", "message": validation_message(errors)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code in (404, 405):
            # the app may first ask for credentials (Medusa authenticates all of /admin first)
            guard: Callable[[Request], Awaitable[Response | None]] | None = getattr(
                request.app.state, "unknown_route_guard", None
            )
            refused = await guard(request) if guard is not None else None
            return refused or express_not_found(request)
        return JSON({"type": "unknown_error", "message": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unknown(_: Request, exc: Exception) -> JSON:
        return _unknown_error(exc)

    app.add_middleware(AnswerUnhandled)


def _unknown_error(exc: BaseException) -> JSON:
    logging.getLogger("mercato").exception("unhandled error", exc_info=exc)
    return JSON(
        {"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."},
        status_code=500,
    )


class AnswerUnhandled:
    """Answers an unhandled error with Medusa's 500 and keeps the connection. Starlette's
    outermost ServerErrorMiddleware sends the `Exception` handler's answer and then raises the
    error again, on which uvicorn closes the keep-alive connection without a `Connection:
    close`: a client's next request on it then fails with a reset."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            await _unknown_error(exc)(scope, receive, send)
