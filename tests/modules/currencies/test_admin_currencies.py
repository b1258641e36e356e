"""Admin Currencies group: GET /admin/currencies, POST /admin/currencies/{code}."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, update

from mercato.db.session import Database
from mercato.modules.currencies.models import Currency

USD = {"code": "usd", "symbol": "$", "symbol_native": "$", "name": "US Dollar", "includes_tax": False}
EUR = {"code": "eur", "symbol": "€", "symbol_native": "€", "name": "Euro", "includes_tax": False}


@pytest_asyncio.fixture(autouse=True)
async def restore_currencies(db: Database) -> AsyncIterator[None]:
    # The currency table is reference data that outlives each test: put includes_tax back.
    yield
    async with db.write_session() as tx:
        await tx.execute(update(Currency).where(Currency.includes_tax.is_(True)).values(includes_tax=False))
        await tx.commit()


async def includes_tax(db: Database, code: str) -> bool:
    async with db.read_session() as tx:
        return bool(
            (await tx.execute(select(Currency.includes_tax).where(Currency.code == code))).scalar_one()
        )


# --- GET /admin/currencies --------------------------------------------------------------------


async def test_list_currencies_defaults(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/currencies")
    assert res.status_code == 200
    body = res.json()
    assert list(body) == ["currencies", "count", "offset", "limit"]
    assert body["count"] == 120 and body["offset"] == 0 and body["limit"] == 20
    codes = [c["code"] for c in body["currencies"]]
    # Medusa's order on a fresh database: USD, CAD, EUR, then alphabetically.
    assert codes == [
        "usd", "cad", "eur", "aed", "afn", "all", "amd", "ars", "aud", "azn",
        "bam", "bdt", "bgn", "bhd", "bif", "bnd", "bob", "brl", "bwp", "byn",
    ]  # fmt: skip
    assert body["currencies"][0] == USD
    assert list(body["currencies"][3]) == ["code", "symbol", "symbol_native", "name", "includes_tax"]


async def test_list_currencies_pages(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/currencies", params={"limit": 3, "offset": 2})
    body = res.json()
    assert [c["code"] for c in body["currencies"]] == ["eur", "aed", "afn"]
    assert (body["count"], body["offset"], body["limit"]) == (120, 2, 3)
    res = await admin.get("/admin/currencies", params={"offset": 200})
    assert res.json() == {"currencies": [], "count": 120, "offset": 200, "limit": 20}
    # TypeORM reads take=0 as "no limit"
    res = await admin.get("/admin/currencies", params={"limit": 0})
    body = res.json()
    assert len(body["currencies"]) == 120 and body["limit"] == 0
    assert [c["code"] for c in body["currencies"]][-2:] == ["zmk", "zwl"]


async def test_list_currencies_filters(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/currencies", params={"code": "eur"})
    assert res.json() == {"currencies": [EUR], "count": 1, "offset": 0, "limit": 20}
    # The code filter is exact (not lower-cased).
    res = await admin.get("/admin/currencies", params={"code": "EUR"})
    assert res.json() == {"currencies": [], "count": 0, "offset": 0, "limit": 20}


async def test_list_currencies_search(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/currencies", params={"q": "dol", "limit": 3})
    body = res.json()
    assert body["count"] == 13
    assert [c["code"] for c in body["currencies"]] == ["usd", "cad", "aud"]
    # q matches code or name, case-insensitively, and replaces the code filter.
    res = await admin.get("/admin/currencies", params={"q": "EU", "code": "usd"})
    body = res.json()
    assert [c["code"] for c in body["currencies"]] == ["eur", "mdl", "ron"]
    assert body["count"] == 3
    res = await admin.get("/admin/currencies", params={"q": ""})
    assert res.json()["count"] == 120


async def test_list_currencies_by_includes_tax(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/currencies", params={"includes_tax": "true"})
    assert res.json() == {"currencies": [], "count": 0, "offset": 0, "limit": 20}
    await admin.post("/admin/currencies/eur", json={"includes_tax": True})
    res = await admin.get("/admin/currencies", params={"includes_tax": "true"})
    assert res.json() == {"currencies": [{**EUR, "includes_tax": True}], "count": 1, "offset": 0, "limit": 20}
    res = await admin.get("/admin/currencies", params={"includes_tax": "false", "limit": 1})
    assert res.json()["count"] == 119


async def test_list_currencies_order(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/currencies", params={"order": "-code", "limit": 2})
    assert [c["code"] for c in res.json()["currencies"]] == ["zwl", "zmk"]
    res = await admin.get("/admin/currencies", params={"order": "name", "limit": 2})
    assert [c["code"] for c in res.json()["currencies"]] == ["afn", "all"]
    # An order on created_at is dropped by Medusa's handler (currencies have no such column).
    res = await admin.get("/admin/currencies", params={"order": "-created_at", "limit": 2})
    assert [c["code"] for c in res.json()["currencies"]] == ["usd", "cad"]
    res = await admin.get("/admin/currencies", params={"order": "foo"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Order field foo is not valid"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"foo": "1"}, "property foo should not exist"),
        ({"fields": "code"}, "property fields should not exist"),
        ({"expand": "x"}, "property expand should not exist"),
        ({"limit": "abc"}, "limit must be a number conforming to the specified constraints"),
        ({"offset": "x"}, "offset must be a number conforming to the specified constraints"),
        ({"limit": "-1"}, "limit must not be less than 0"),
        ({"includes_tax": "maybe"}, "includes_tax must be a boolean value"),
        ({"code[]": ["eur", "usd"]}, "code must be a string"),
    ],
)
async def test_list_currencies_validates_its_query(
    admin: httpx.AsyncClient, query: dict[str, Any], message: str
) -> None:
    res = await admin.get("/admin/currencies", params=query)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


# --- POST /admin/currencies/{code} ------------------------------------------------------------


async def test_update_currency_includes_tax(admin: httpx.AsyncClient, db: Database) -> None:
    res = await admin.post("/admin/currencies/EUR", json={"includes_tax": True})
    assert res.status_code == 200
    assert res.json() == {"currency": {**EUR, "includes_tax": True}}
    assert await includes_tax(db, "eur") is True
    res = await admin.post("/admin/currencies/eur", json={"includes_tax": False})
    assert res.json() == {"currency": EUR}
    assert await includes_tax(db, "eur") is False


async def test_update_currency_without_changes(admin: httpx.AsyncClient, db: Database) -> None:
    await admin.post("/admin/currencies/usd", json={"includes_tax": True})
    for kwargs in ({"json": {}}, {}):
        res = await admin.post("/admin/currencies/usd", **kwargs)
        assert res.status_code == 200
        assert res.json() == {"currency": {**USD, "includes_tax": True}}


async def test_update_unknown_currency_is_404(admin: httpx.AsyncClient) -> None:
    for code in ("xyz", "XYZ"):
        res = await admin.post(f"/admin/currencies/{code}", json={"includes_tax": True})
        assert res.status_code == 404
        assert res.json() == {"type": "not_found", "message": "Currency with code: xyz was not found"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"includes_tax": "yes"}, "includes_tax must be a boolean value"),
        ({"includes_tax": "true"}, "includes_tax must be a boolean value"),
        ({"includes_tax": 1}, "includes_tax must be a boolean value"),
        ({"foo": 1}, "property foo should not exist"),
        ({"includes_tax": None}, "Can't insert null value in field includes_tax on insert in table currency"),
    ],
)
async def test_update_currency_validates_its_body(
    admin: httpx.AsyncClient, db: Database, body: Any, message: str
) -> None:
    res = await admin.post("/admin/currencies/eur", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}
    assert await includes_tax(db, "eur") is False


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/admin/currencies"), ("POST", "/admin/currencies/eur")]
)
async def test_currency_routes_need_an_admin(
    client: httpx.AsyncClient, db: Database, method: str, path: str
) -> None:
    res = await client.request(method, path, json={"includes_tax": True} if method == "POST" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"
    assert await includes_tax(db, "eur") is False
