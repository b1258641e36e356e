"""Store regions (GET /store/regions, GET /store/regions/{id}) and the bounded query count of a
region list."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from mercato.db.session import Database
from tests.modules.regions.test_admin_regions import REGION_KEYS, create_region


async def test_store_lists_regions_without_authentication(admin: httpx.AsyncClient, app: Any) -> None:
    first = await create_region(admin, name="EU", countries=["dk", "se"])
    second = await create_region(admin, name="NA", countries=["us"])
    gone = await create_region(admin, name="Gone", countries=["ca"])
    await admin.delete(f"/admin/regions/{gone['id']}")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as anonymous:
        res = await anonymous.get("/store/regions")
        assert res.status_code == 200
        body = res.json()
        assert (body["count"], body["offset"], body["limit"]) == (2, 0, 100)
        assert [r["id"] for r in body["regions"]] == [second["id"], first["id"]]
        assert body["regions"][1] == first
        assert set(body["regions"][0]) == REGION_KEYS

        res = await anonymous.get("/store/regions", params={"limit": 1, "offset": 1, "expand": "countries"})
        body = res.json()
        assert (body["count"], body["offset"], body["limit"]) == (2, 1, 1)
        assert set(body["regions"][0]) == REGION_KEYS - {
            "currency",
            "fulfillment_providers",
            "payment_providers",
        }

        res = await anonymous.get("/store/regions", params={"created_at[lt]": "2000-01-01"})
        assert res.json()["regions"] == []

        res = await anonymous.get(f"/store/regions/{first['id']}")
        assert res.status_code == 200
        assert res.json() == {"region": first}
        # the store's retrieve takes the list's parameter class: page keys are accepted, unused
        res = await anonymous.get(f"/store/regions/{first['id']}", params={"limit": 1, "offset": 3})
        assert res.json() == {"region": first}

        res = await anonymous.get(f"/store/regions/{gone['id']}")
        assert res.status_code == 404
        assert res.json() == {"type": "not_found", "message": f"Region with {gone['id']} was not found"}


async def test_store_regions_bad_query(client: httpx.AsyncClient) -> None:
    res = await client.get("/store/regions", params={"q": "x"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "property q should not exist"}
    res = await client.get("/store/regions", params={"deleted_at[gt]": "2000-01-01"})
    assert res.json() == {"type": "invalid_data", "message": "property deleted_at should not exist"}
    res = await client.get("/store/regions", params={"expand": "tax_rates"})
    assert res.json() == {"type": "invalid_data", "message": "Requested fields [tax_rates] are not valid"}
    res = await client.get("/store/regions/reg_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}


async def _statements_to_list(client: httpx.AsyncClient, db: Database, path: str) -> tuple[int, int]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engines = {id(e.sync_engine): e.sync_engine for e in (db.reader, db.writer)}
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        res = await client.get(path)
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)
    assert res.status_code == 200
    return len(res.json()["regions"]), len([s for s in seen if s.lstrip().upper().startswith("SELECT")])


async def test_listing_regions_runs_a_bounded_number_of_queries(
    admin: httpx.AsyncClient, db: Database
) -> None:
    codes = ["dk", "se", "no", "fi", "de", "fr", "it", "es", "pt", "nl", "be", "at"]
    for code in codes[:2]:
        await create_region(admin, name=code, countries=[code])
    few, few_queries = await _statements_to_list(admin, db, "/admin/regions")
    for code in codes[2:]:
        await create_region(admin, name=code, countries=[code])
    many, many_queries = await _statements_to_list(admin, db, "/admin/regions")
    assert (few, many) == (2, 12)
    assert many_queries == few_queries
    # authentication + count + regions + one per default relation
    assert many_queries <= 8

    _, store_few = await _statements_to_list(admin, db, "/store/regions?limit=2")
    _, store_many = await _statements_to_list(admin, db, "/store/regions")
    assert store_few == store_many <= 7
