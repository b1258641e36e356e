"""The response cache: a repeated GET is served from memory, and any committed write invalidates it."""

from typing import Any

import httpx


async def test_write_invalidates_cached_list(admin: httpx.AsyncClient, app: Any) -> None:
    cache, db = app.state.cache, app.state.db
    generation = await cache.generation(db)
    first = await admin.get("/admin/regions")
    assert first.status_code == 200 and first.json()["count"] == 0
    hits = cache.hits
    again = await admin.get("/admin/regions")
    assert again.content == first.content
    # PostgreSQL's generation is cluster-wide: another xdist worker's write may move it while
    # this test runs, and then a miss is the right answer. SQLite's is this database's alone.
    if db.is_sqlite or await cache.generation(db) == generation:
        assert cache.hits == hits + 1

    res = await admin.post(
        "/admin/regions",
        json={
            "name": "Cached",
            "currency_code": "usd",
            "tax_rate": 0,
            "payment_providers": ["manual"],
            "fulfillment_providers": ["manual"],
            "countries": ["us"],
        },
    )
    assert res.status_code == 200
    after = await admin.get("/admin/regions")
    assert after.json()["count"] == 1


async def test_answers_are_not_shared_between_credentials(
    client: httpx.AsyncClient, admin_headers: Any
) -> None:
    ok = await client.get("/admin/regions", headers=admin_headers)
    assert ok.status_code == 200
    anonymous = await client.get("/admin/regions")
    assert anonymous.status_code == 401


async def test_a_write_outside_http_invalidates_too(admin: httpx.AsyncClient, db: Any) -> None:
    first = await admin.get("/admin/regions")
    assert first.json()["count"] == 0
    async with db.write_session() as tx:
        from mercato.modules.regions.models import Region

        tx.add(Region(name="Direct", currency_code="usd", tax_rate=0))
        await tx.commit()
    after = await admin.get("/admin/regions")
    assert after.json()["count"] == 1


def test_cache_is_bounded_in_bytes() -> None:
    from mercato.core.cache import Entry, ResponseCache

    cache = ResponseCache(max_entries=100, max_body=1000, max_bytes=2500)
    for i in range(5):
        cache.put((i,), Entry(b"x" * 1000, 200, "application/json", float("inf")))
    assert cache.get((0,)) is None and cache.get((1,)) is None and cache.get((2,)) is None
    assert cache.get((4,)) is not None
    assert cache._bytes <= 2500
