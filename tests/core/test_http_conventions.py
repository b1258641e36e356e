"""Cross-cutting HTTP behaviour: health, trailing slashes, CORS, unknown routes, qs parsing."""

import httpx

from mercato.core.qs import parse_qs_pairs


async def test_health_answers_ok(client: httpx.AsyncClient) -> None:
    res = await client.get("/health")
    assert res.status_code == 200
    assert res.text == "OK"


async def test_trailing_slash_is_the_same_route_without_redirect(admin: httpx.AsyncClient) -> None:
    plain = await admin.get("/admin/store")
    slashed = await admin.get("/admin/store/")
    assert slashed.status_code == 200
    assert slashed.json()["store"]["id"] == plain.json()["store"]["id"]


async def test_admin_routes_need_credentials(client: httpx.AsyncClient) -> None:
    res = await client.get("/admin/store")
    assert res.status_code == 401
    assert res.text == "Unauthorized"


async def test_cors_preflight_for_admin_origin_with_credentials(client: httpx.AsyncClient) -> None:
    # the cors package: every OPTIONS is a preflight, 204 with an empty body
    res = await client.options(
        "/admin/auth",
        headers={
            "Origin": "http://localhost:7001",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-publishable-api-key",
        },
    )
    assert (res.status_code, res.content) == (204, b"")
    assert res.headers["access-control-allow-origin"] == "http://localhost:7001"
    assert res.headers["access-control-allow-credentials"] == "true"
    assert res.headers["access-control-allow-methods"] == "GET,HEAD,PUT,PATCH,POST,DELETE"
    assert res.headers["access-control-allow-headers"] == "content-type,x-publishable-api-key"


async def test_cors_refuses_an_unknown_origin(client: httpx.AsyncClient) -> None:
    # refused: still a 204, without the origin echoed (the browser then blocks the call)
    res = await client.options(
        "/admin/auth",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert res.status_code == 204
    assert "access-control-allow-origin" not in res.headers
    res = await client.get("/store/regions", headers={"Origin": "http://localhost.evil.example"})
    assert res.status_code == 200 and "access-control-allow-origin" not in res.headers


async def test_cors_default_allows_any_port_of_this_machine(client: httpx.AsyncClient) -> None:
    # the default is the reference medusa-config.js's /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/
    for origin in ("http://localhost:3000", "http://127.0.0.1:8000", "https://localhost"):
        res = await client.get("/store/regions", headers={"Origin": origin})
        assert res.headers["access-control-allow-origin"] == origin
        assert res.headers["access-control-allow-credentials"] == "true"
        assert "Origin" in res.headers["vary"]
    res = await client.get("/admin/store", headers={"Origin": "http://localhost:7001"})
    assert (res.status_code, res.headers["access-control-allow-origin"]) == (401, "http://localhost:7001")


def test_cors_origin_lists_and_expressions() -> None:
    from mercato.core.cors import Cors, parse_origins

    origins = parse_origins("http://shop.example, /^https:\\/\\/.*\\.shop\\.example$/i,#bad(#")
    assert origins[0] == "http://shop.example" and origins[2] == "#bad(#"
    cors = Cors(None, "http://shop.example,/^https:\\/\\/.*\\.shop\\.example$/i")
    assert cors.allows("http://shop.example") and cors.allows("https://EU.SHOP.example")
    assert not cors.allows("http://shop.example.evil") and not cors.allows("https://shop.example")


async def test_openapi_document_lists_served_paths(client: httpx.AsyncClient) -> None:
    res = await client.get("/openapi.json")
    assert res.status_code == 200
    paths = res.json()["paths"]
    assert "/admin/auth" in paths and "post" in paths["/admin/auth"]


def test_qs_parses_brackets_arrays_and_repeats() -> None:
    parsed = parse_qs_pairs(
        [
            ("created_at[gt]", "2024-01-01"),
            ("created_at[lt]", "2025-01-01"),
            ("id[]", "a"),
            ("id[]", "b"),
            ("q", "x"),
            ("tag", "1"),
            ("tag", "2"),
        ]
    )
    assert parsed == {
        "created_at": {"gt": "2024-01-01", "lt": "2025-01-01"},
        "id": ["a", "b"],
        "q": "x",
        "tag": ["1", "2"],
    }


def test_qs_indexed_arrays_and_normalize_query() -> None:
    # qs: indices make arrays (by index, gaps closed; above 20 an object key); normalizeQuery:
    # an array of one string is split on commas, a plain string is not
    assert parse_qs_pairs([("a[1]", "y"), ("a[0]", "x")]) == {"a": ["x", "y"]}
    assert parse_qs_pairs([("a[3]", "x")]) == {"a": ["x"]}
    assert parse_qs_pairs([("a[21]", "x")]) == {"a": {"21": "x"}}
    assert parse_qs_pairs([("a[]", "x,y")]) == {"a": ["x", "y"]}
    assert parse_qs_pairs([("a[0]", "x,y")]) == {"a": ["x", "y"]}
    assert parse_qs_pairs([("a", "x,y")]) == {"a": "x,y"}
    assert parse_qs_pairs([("a[]", "x,y"), ("a[]", "z")]) == {"a": ["x,y", "z"]}


async def test_status_list_with_commas(admin: httpx.AsyncClient) -> None:
    # Medusa's own product test: status[]=published,proposed
    for status in ("published", "proposed", "draft"):
        res = await admin.post("/admin/products", json={"title": f"qs {status}", "status": status})
        assert res.status_code == 200, res.text
    res = await admin.get("/admin/products?status[]=published,proposed&q=qs&fields=status")
    assert res.status_code == 200, res.text
    assert sorted(p["status"] for p in res.json()["products"]) == ["proposed", "published"]


async def test_unknown_admin_route_asks_for_credentials_first(client: httpx.AsyncClient) -> None:
    res = await client.get("/admin/nothing-here")
    assert res.status_code == 401
    assert res.text == "Unauthorized"


async def test_unknown_route_is_express_not_found(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/nothing-here")
    assert res.status_code == 404
    assert "<pre>Cannot GET /admin/nothing-here</pre>" in res.text
    res = await admin.request("PUT", "/health")
    assert res.status_code == 404
    assert "Cannot PUT /health" in res.text


async def test_unhandled_error_is_answered_not_raised_again() -> None:
    # Starlette's ServerErrorMiddleware re-raises after its 500, and uvicorn then drops the
    # keep-alive connection; AnswerUnhandled answers and ends the request there
    from fastapi import FastAPI

    from mercato.core.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        res = await c.get("/boom")
    assert res.status_code == 500
    assert res.json() == {
        "code": "unknown_error",
        "type": "unknown_error",
        "message": "An unknown error occurred.",
    }
