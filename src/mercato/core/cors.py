"""CORS as Medusa v1 answers it: the `cors` package with `credentials: true` and the origins of
`store_cors` / `admin_cors` (utils/parse-cors-origins: a comma-separated list whose entries may be
regular expressions written `/…/`).

What clients see, and where Starlette's CORSMiddleware differs:
- every OPTIONS is a preflight, answered 204 with an empty body, whether the origin is allowed or
  not (Starlette: 200 "OK", or 400 "Disallowed CORS origin");
- an allowed origin is echoed in Access-Control-Allow-Origin; a refused one gets no such header;
- Access-Control-Allow-Credentials is always `true`; `Vary: Origin` on every answer;
- a preflight allows the package's default methods and the headers the browser asked for.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = b"GET,HEAD,PUT,PATCH,POST,DELETE"


def parse_origins(raw: str) -> list[str | re.Pattern[str]]:
    """parseCorsOrigins: an entry between two equal delimiters (`/…/flags`, or ~ @ ; % # ')
    that compiles is a regular expression, any other an exact origin."""
    found: list[str | re.Pattern[str]] = []
    for entry in (e.strip() for e in raw.split(",")):
        if not entry:
            continue
        regex = re.fullmatch(r"([/~@;%#'])(.*?)\1([gimsuy]*)", entry)
        if regex:
            try:
                found.append(re.compile(regex[2], re.IGNORECASE if "i" in regex[3] else 0))
                continue
            except re.error:
                pass
        found.append(entry)
    return found


def _vary(headers: list[tuple[bytes, bytes]], value: bytes) -> list[tuple[bytes, bytes]]:
    for i, (name, current) in enumerate(headers):
        if name.lower() == b"vary":
            if value.lower() not in [v.strip().lower() for v in current.split(b",")]:
                headers[i] = (name, current + b", " + value)
            return headers
    headers.append((b"vary", value))
    return headers


class Cors:
    """The `cors` middleware in front of one router (/store or /admin)."""

    def __init__(self, app: Any, origins: str) -> None:
        self.app = app
        self.origins = parse_origins(origins)

    def allows(self, origin: str) -> bool:
        # the cors package tests a RegExp with .test() (a search, not a full match)
        return any(o == origin if isinstance(o, str) else o.search(origin) for o in self.origins)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = dict(scope["headers"])
        origin = request.get(b"origin")
        allowed: list[tuple[bytes, bytes]] = []
        if origin is not None and self.allows(origin.decode("latin-1")):
            allowed.append((b"access-control-allow-origin", origin))
        allowed.append((b"access-control-allow-credentials", b"true"))
        if scope["method"] == "OPTIONS":
            headers = _vary(list(allowed), b"Origin")
            headers.append((b"access-control-allow-methods", _METHODS))
            asked = request.get(b"access-control-request-headers")
            if asked:
                headers.append((b"access-control-allow-headers", asked))
                headers = _vary(headers, b"Access-Control-Request-Headers")
            headers.append((b"content-length", b"0"))
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h
                    for h in message.get("headers", ())
                    if not h[0].lower().startswith(b"access-control-allow-")
                ]
                headers = _vary(headers + allowed, b"Origin")
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_cors)
