"""A lean HTTP/1.1 keep-alive client for the Python runner (`--client lean`, the default).

httpx costs ~1.3 ms of CPU per request here: at the checkout's ~300 requests/s that is a third of a
core, taken from the server and the database on a 2-core machine, so the runner measured itself as
much as the server. This client does only what the scenarios need: one connection, requests one at
a time, JSON bodies, the response parsed by httptools (the C parser uvicorn uses) — ~0.15 ms per
request. It answers the subset of httpx's API the scenarios use (`get`, `post`, `request`,
`headers`, and a response's `status_code`, `json()`, `text`, `request.method`,
`request.url.raw_path`).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode, urlsplit

import httptools
import orjson


class _URL:
    __slots__ = ("raw_path",)

    def __init__(self, raw_path: bytes) -> None:
        self.raw_path = raw_path


class LeanRequest:
    __slots__ = ("method", "url")

    def __init__(self, method: str, path: str) -> None:
        self.method = method
        self.url = _URL(path.encode())


class LeanResponse:
    __slots__ = ("content", "request", "status_code")

    def __init__(self, status_code: int, content: bytes, request: LeanRequest) -> None:
        self.status_code = status_code
        self.content = content
        self.request = request

    def json(self) -> Any:
        return orjson.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class _Connection(asyncio.Protocol):
    """One keep-alive connection; the parser is fed as bytes arrive and completes the waiter."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.body: list[bytes] = []
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(exc or ConnectionError("the server closed the connection"))

    def _fail(self, exc: BaseException) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.body = []

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            keep = self.parser.should_keep_alive()
            self.waiter.set_result((self.parser.get_status_code(), b"".join(self.body), keep))


class LeanClient:
    """Requests one at a time on one connection to `base_url` (http only), opened on first use and
    again after the server closed it."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the lean client speaks plain http to host:port, not {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.headers: dict[str, str] = dict(headers or {})
        self.timeout = timeout
        self._conn: _Connection | None = None
        self._host_header = f"{self.host}:{self.port}" if parts.port else self.host

    async def aclose(self) -> None:
        if self._conn is not None and self._conn.transport is not None:
            self._conn.transport.close()
        self._conn = None

    async def _connection(self) -> _Connection:
        if self._conn is None or self._conn.closed:
            loop = asyncio.get_running_loop()
            _, self._conn = await loop.create_connection(_Connection, self.host, self.port)
        return self._conn

    async def request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None
    ) -> LeanResponse:
        target = self.prefix + path + ("?" + urlencode(params) if params else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._host_header}"]
        lines.extend(f"{k}: {v}" for k, v in self.headers.items())
        body = b""
        if json is not None:
            body = orjson.dumps(json)
            lines.append("Content-Type: application/json")
        if json is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        conn = await self._connection()
        assert conn.transport is not None
        loop = asyncio.get_running_loop()
        conn.waiter = loop.create_future()
        # a timer rather than asyncio.wait_for, which wraps every request in a task of its own
        timer = loop.call_later(self.timeout, conn._fail, TimeoutError(f"no answer in {self.timeout:g} s"))
        conn.transport.write(head + body)
        try:
            status, content, keep = await conn.waiter
        except BaseException:
            await self.aclose()  # a half-read answer must not be taken for the next one's
            raise
        finally:
            timer.cancel()
            conn.waiter = None
        if not keep:
            await self.aclose()
        return LeanResponse(status, content, LeanRequest(method, target))

    async def get(self, path: str, *, params: dict[str, Any] | None = None) -> LeanResponse:
        return await self.request("GET", path, params=params)

    async def post(
        self, path: str, *, json: Any = None, params: dict[str, Any] | None = None
    ) -> LeanResponse:
        return await self.request("POST", path, json=json, params=params)
