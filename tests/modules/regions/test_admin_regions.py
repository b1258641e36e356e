"""Admin regions: the twelve routes of Medusa's api/routes/admin/regions, checked against the
answers of a real Medusa 1.20 (messages verbatim)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from mercato.db.session import Database
from mercato.modules.regions.models import Country, Region, t_region_payment_providers
from mercato.modules.store.models import FulfillmentProvider, PaymentProvider, t_store_currencies

REGION_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "currency_code",
    "tax_rate",
    "tax_code",
    "gift_cards_taxable",
    "automatic_taxes",
    "tax_provider_id",
    "metadata",
    "includes_tax",
    "countries",
    "currency",
    "fulfillment_providers",
    "payment_providers",
}


def region_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Europe",
        "currency_code": "usd",
        "tax_rate": 0,
        "payment_providers": ["manual"],
        "fulfillment_providers": ["manual"],
        "countries": ["dk"],
    }
    body.update(overrides)
    return body


async def create_region(admin: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    res = await admin.post("/admin/regions", json=region_body(**overrides))
    assert res.status_code == 200, res.text
    region: dict[str, Any] = res.json()["region"]
    return region


async def add_store_currency(db: Database, code: str) -> None:
    async with db.write_session() as tx:
        store_id = (await tx.execute(text("SELECT id FROM store"))).scalar_one()
        await tx.execute(t_store_currencies.insert().values(store_id=store_id, currency_code=code))
        await tx.commit()


async def country_region(db: Database, iso_2: str) -> str | None:
    async with db.read_session() as tx:
        region_id: str | None = (
            await tx.execute(select(Country.region_id).where(Country.iso_2 == iso_2))
        ).scalar_one()
        return region_id


# ---- POST /admin/regions -----------------------------------------------------------------------


async def test_create_region_answers_with_default_relations(admin: httpx.AsyncClient, db: Database) -> None:
    await add_store_currency(db, "eur")
    res = await admin.post(
        "/admin/regions",
        json=region_body(
            currency_code="EUR",
            tax_rate=12.5,
            tax_code="EU-VAT",
            countries=["PT", "nl"],
            metadata={"a": 1, "b": ""},
            includes_tax=True,
        ),
    )
    assert res.status_code == 200
    region = res.json()["region"]
    assert set(region) == REGION_KEYS
    assert region["id"].startswith("reg_")
    assert region["name"] == "Europe"
    assert region["currency_code"] == "eur"
    assert region["tax_rate"] == 12.5
    assert region["tax_code"] == "EU-VAT"
    assert region["gift_cards_taxable"] is True
    assert region["automatic_taxes"] is True
    assert region["includes_tax"] is True
    assert region["tax_provider_id"] is None
    assert region["deleted_at"] is None
    assert region["metadata"] == {"a": 1}
    assert region["currency"] == {
        "code": "eur",
        "symbol": "€",
        "symbol_native": "€",
        "name": "Euro",
        "includes_tax": False,
    }
    assert region["payment_providers"] == [{"id": "manual", "is_installed": True}]
    assert region["fulfillment_providers"] == [{"id": "manual", "is_installed": True}]
    assert sorted(c["iso_2"] for c in region["countries"]) == ["nl", "pt"]
    portugal = next(c for c in region["countries"] if c["iso_2"] == "pt")
    assert portugal == {
        "id": portugal["id"],
        "iso_2": "pt",
        "iso_3": "prt",
        "num_code": 620,
        "name": "PORTUGAL",
        "display_name": "Portugal",
        "region_id": region["id"],
    }
    assert await country_region(db, "nl") == region["id"]


async def test_create_region_keeps_a_real_tax_rate_exact(admin: httpx.AsyncClient) -> None:
    # tax_rate is a PostgreSQL `real`: 0.1 must come back as 0.1, as Medusa prints it
    region = await create_region(admin, tax_rate=0.1)
    assert region["tax_rate"] == 0.1
    res = await admin.get(f"/admin/regions/{region['id']}")
    assert res.json()["region"]["tax_rate"] == 0.1


async def test_create_region_with_empty_lists_and_metadata(admin: httpx.AsyncClient) -> None:
    region = await create_region(
        admin, payment_providers=[], fulfillment_providers=[], countries=[], metadata={}
    )
    assert region["countries"] == []
    assert region["payment_providers"] == []
    assert region["fulfillment_providers"] == []
    assert region["metadata"] == {}
    assert region["includes_tax"] is False


async def test_create_region_body_errors_are_class_validator_messages(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/regions", json={})
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "name must be a string, currency_code must be a string, tax_rate must be a number "
        "conforming to the specified constraints, each value in payment_providers must be a string, "
        "payment_providers must be an array, each value in fulfillment_providers must be a string, "
        "fulfillment_providers must be an array, each value in countries must be a string, "
        "countries must be an array",
    }
    res = await admin.post(
        "/admin/regions",
        json={
            "name": None,
            "currency_code": 1,
            "tax_rate": "5",
            "payment_providers": "manual",
            "fulfillment_providers": [1],
            "countries": None,
            "tax_code": 5,
        },
    )
    assert res.status_code == 400
    assert res.json()["message"] == (
        "name must be a string, currency_code must be a string, tax_code must be a string, tax_rate must be "
        "a number conforming to the specified constraints, payment_providers must be an array, each value "
        "in fulfillment_providers must be a string, each value in countries must be a string, countries "
        "must be an array"
    )
    res = await admin.post(
        "/admin/regions", json=region_body(countries=[], foo=1, includes_tax="x", metadata=[])
    )
    assert res.json()["message"] == (
        "property foo should not exist, metadata must be an object, includes_tax must be a boolean value"
    )
    # Properties of the update validator are not accepted on create
    res = await admin.post("/admin/regions", json=region_body(gift_cards_taxable=False))
    assert res.json()["message"] == "property gift_cards_taxable should not exist"
    res = await admin.post("/admin/regions", json=[1])
    assert res.json() == {
        "type": "invalid_data",
        "message": "an unknown value was passed to the validate function",
    }


@pytest.mark.parametrize(
    ("overrides", "status", "body"),
    [
        ({"currency_code": "gbp"}, 400, {"type": "invalid_data", "message": "Invalid currency code"}),
        ({"currency_code": "xxx"}, 400, {"type": "invalid_data", "message": "Invalid currency code"}),
        ({"currency_code": ""}, 400, {"type": "invalid_data", "message": "Invalid currency code"}),
        ({"countries": ["zz"]}, 400, {"type": "invalid_data", "message": "Invalid country code"}),
        ({"tax_rate": 500}, 400, {"type": "invalid_data", "message": "The tax_rate must be between 0 and 1"}),
        ({"tax_rate": -1}, 400, {"type": "invalid_data", "message": "The tax_rate must be between 0 and 1"}),
        (
            {"payment_providers": ["nope"]},
            400,
            {"type": "invalid_data", "message": "Payment provider not found"},
        ),
        (
            {"payment_providers": [], "fulfillment_providers": ["x"]},
            400,
            {"type": "invalid_data", "message": "Fulfillment provider not found"},
        ),
        (
            {"includes_tax": None},
            400,
            {
                "type": "invalid_data",
                "message": "Can't insert null value in field includes_tax on insert in table region",
            },
        ),
    ],
)
async def test_create_region_refusals(
    admin: httpx.AsyncClient, db: Database, overrides: dict[str, Any], status: int, body: dict[str, Any]
) -> None:
    res = await admin.post("/admin/regions", json=region_body(**overrides))
    assert res.status_code == status
    assert res.json() == body
    async with db.read_session() as tx:
        assert (await tx.execute(select(Region))).first() is None
    assert await country_region(db, "dk") is None


async def test_country_of_another_region_is_a_duplicate(admin: httpx.AsyncClient, db: Database) -> None:
    first = await create_region(admin, countries=["de"])
    res = await admin.post("/admin/regions", json=region_body(name="Other", countries=["dk", "de", "zz"]))
    assert res.status_code == 422
    # Medusa reports the first failing country in list order
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": f"Germany already exists in region {first['id']}",
    }
    assert await country_region(db, "dk") is None


async def test_concurrent_creates_never_share_a_country(admin: httpx.AsyncClient, db: Database) -> None:
    import asyncio

    results = await asyncio.gather(
        *(admin.post("/admin/regions", json=region_body(name=f"R{i}", countries=["dk"])) for i in range(4))
    )
    assert sorted(r.status_code for r in results) == [200, 422, 422, 422]
    winner = next(r.json()["region"] for r in results if r.status_code == 200)
    assert await country_region(db, "dk") == winner["id"]
    for loser in (r for r in results if r.status_code == 422):
        assert loser.json()["message"] == f"Denmark already exists in region {winner['id']}"


# ---- GET /admin/regions/{id} -------------------------------------------------------------------


async def test_get_region(admin: httpx.AsyncClient) -> None:
    created = await create_region(admin)
    res = await admin.get(f"/admin/regions/{created['id']}")
    assert res.status_code == 200
    assert res.json() == {"region": created}


async def test_get_region_expand_and_fields(admin: httpx.AsyncClient) -> None:
    created = await create_region(admin)
    rid = created["id"]
    res = await admin.get(f"/admin/regions/{rid}", params={"expand": "countries"})
    region = res.json()["region"]
    assert set(region) == REGION_KEYS - {"currency", "fulfillment_providers", "payment_providers"}
    assert [c["iso_2"] for c in region["countries"]] == ["dk"]

    res = await admin.get(f"/admin/regions/{rid}", params={"fields": "name,currency_code"})
    assert set(res.json()["region"]) == {
        "id",
        "name",
        "currency_code",
        "countries",
        "currency",
        "fulfillment_providers",
        "payment_providers",
    }

    res = await admin.get(f"/admin/regions/{rid}", params={"expand": ""})
    assert set(res.json()["region"]) == REGION_KEYS - {
        "countries",
        "currency",
        "fulfillment_providers",
        "payment_providers",
    }

    res = await admin.get(f"/admin/regions/{rid}", params={"expand": "tax_rates,countries"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Requested fields [tax_rates] are not valid"}

    res = await admin.get(f"/admin/regions/{rid}", params={"limit": "1"})
    assert res.json() == {"type": "invalid_data", "message": "property limit should not exist"}


async def test_get_unknown_region_is_404(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/regions/reg_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}


# ---- GET /admin/regions ------------------------------------------------------------------------


async def test_list_regions(admin: httpx.AsyncClient) -> None:
    a = await create_region(admin, name="Alpha", countries=["dk"])
    b = await create_region(admin, name="Beta", countries=["se"])
    c = await create_region(admin, name="Gamma", countries=["no"])

    res = await admin.get("/admin/regions")
    assert res.status_code == 200
    body = res.json()
    assert body["count"] == 3 and body["offset"] == 0 and body["limit"] == 50
    # newest first
    assert [r["id"] for r in body["regions"]] == [c["id"], b["id"], a["id"]]
    assert body["regions"][2] == a

    res = await admin.get("/admin/regions", params={"limit": 1, "offset": 1})
    body = res.json()
    assert [r["name"] for r in body["regions"]] == ["Beta"]
    assert (body["count"], body["offset"], body["limit"]) == (3, 1, 1)

    res = await admin.get("/admin/regions", params={"q": "MM"})
    assert [r["name"] for r in res.json()["regions"]] == ["Gamma"]
    assert res.json()["count"] == 1

    res = await admin.get("/admin/regions", params={"order": "name"})
    assert [r["name"] for r in res.json()["regions"]] == ["Alpha", "Beta", "Gamma"]
    res = await admin.get("/admin/regions", params={"order": "-name"})
    assert [r["name"] for r in res.json()["regions"]] == ["Gamma", "Beta", "Alpha"]

    # TypeORM reads take 0 as "no limit"
    res = await admin.get("/admin/regions", params={"limit": 0})
    assert len(res.json()["regions"]) == 3 and res.json()["limit"] == 0

    res = await admin.get("/admin/regions", params={"fields": "name", "expand": "countries"})
    first = res.json()["regions"][0]
    assert set(first) == {"id", "created_at", "name", "countries"}


async def test_list_regions_date_filters_and_deleted(admin: httpx.AsyncClient) -> None:
    kept = await create_region(admin, name="Kept", countries=["dk"])
    gone = await create_region(admin, name="Gone", countries=["se"])
    assert (await admin.delete(f"/admin/regions/{gone['id']}")).status_code == 200

    res = await admin.get("/admin/regions", params={"created_at[gt]": "2000-01-01T00:00:00Z"})
    assert [r["id"] for r in res.json()["regions"]] == [kept["id"]]
    res = await admin.get("/admin/regions", params={"created_at[lt]": "2000-01-01"})
    assert res.json() == {"regions": [], "count": 0, "offset": 0, "limit": 50}
    # Medusa's buildQuery: a deleted_at filter includes soft-deleted rows
    res = await admin.get("/admin/regions", params={"deleted_at[gt]": "2000-01-01"})
    assert [r["id"] for r in res.json()["regions"]] == [gone["id"]]
    assert res.json()["regions"][0]["deleted_at"] is not None


async def test_list_regions_bad_query(admin: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/regions", params={"foo": "1"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "property foo should not exist"}
    res = await admin.get("/admin/regions", params={"limit": "abc"})
    assert res.json() == {
        "type": "invalid_data",
        "message": "limit must be a number conforming to the specified constraints",
    }
    res = await admin.get("/admin/regions", params={"created_at": "abc"})
    assert res.json()["message"] == "nested property created_at must be either object or array"
    res = await admin.get("/admin/regions", params={"created_at[gt]": "abc"})
    assert res.json()["message"] == "gt must be a Date instance"
    res = await admin.get("/admin/regions", params={"created_at[foo]": "2020-01-01"})
    assert res.json()["message"] == "property foo should not exist"
    res = await admin.get("/admin/regions", params={"expand": "tax_rates"})
    assert res.json()["message"] == "Requested fields [tax_rates] are not valid"
    res = await admin.get("/admin/regions", params={"limit": "-1"})
    assert res.status_code == 400


# ---- POST /admin/regions/{id} ------------------------------------------------------------------


async def test_update_region(admin: httpx.AsyncClient, db: Database) -> None:
    await add_store_currency(db, "eur")
    region = await create_region(admin, countries=["pt", "nl"], metadata={"a": 1, "keep": True})
    rid = region["id"]
    res = await admin.post(
        f"/admin/regions/{rid}",
        json={
            "name": "Renamed",
            "currency_code": "EUR",
            "tax_rate": 20,
            "tax_code": "VAT",
            "gift_cards_taxable": False,
            "automatic_taxes": False,
            "includes_tax": True,
            "countries": ["pt", "be"],
            "payment_providers": [],
            "metadata": {"a": "", "c": None, "d": {"x": 1}},
        },
    )
    assert res.status_code == 200
    updated = res.json()["region"]
    assert updated["name"] == "Renamed"
    assert updated["currency_code"] == "eur" and updated["currency"]["code"] == "eur"
    assert updated["tax_rate"] == 20 and updated["tax_code"] == "VAT"
    assert updated["gift_cards_taxable"] is False and updated["automatic_taxes"] is False
    assert updated["includes_tax"] is True
    assert sorted(c["iso_2"] for c in updated["countries"]) == ["be", "pt"]
    assert all(c["region_id"] == rid for c in updated["countries"])
    assert updated["payment_providers"] == []
    assert updated["fulfillment_providers"] == [{"id": "manual", "is_installed": True}]
    # set-metadata: "" removes a key, null is stored
    assert updated["metadata"] == {"keep": True, "c": None, "d": {"x": 1}}
    assert updated["updated_at"] >= region["updated_at"]
    assert await country_region(db, "nl") is None
    assert await country_region(db, "be") == rid

    res = await admin.post(f"/admin/regions/{rid}", json={"tax_code": None, "countries": []})
    assert res.json()["region"]["tax_code"] is None
    assert res.json()["region"]["countries"] == []
    assert await country_region(db, "pt") is None


async def test_update_region_without_column_change_keeps_updated_at(admin: httpx.AsyncClient) -> None:
    region = await create_region(admin)
    res = await admin.post(f"/admin/regions/{region['id']}", json={"countries": ["se"], "name": "Europe"})
    assert res.status_code == 200
    assert res.json()["region"]["updated_at"] == region["updated_at"]
    assert [c["iso_2"] for c in res.json()["region"]["countries"]] == ["se"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": 5}, 400, "name must be a string"),
        ({"foo": 1, "metadata": "x"}, 400, "property foo should not exist, metadata must be an object"),
        ({"countries": "pt"}, 400, "countries must be an array"),
        ({"tax_provider_id": "nope"}, 400, "Tax provider not found"),
        ({"currency_code": "gbp"}, 400, "Invalid currency code"),
        ({"tax_rate": 101}, 400, "The tax_rate must be between 0 and 1"),
        ({"countries": ["zz"]}, 400, "Invalid country code"),
        ({"payment_providers": ["nope"]}, 400, "Payment provider not found"),
        ({"fulfillment_providers": ["nope"]}, 400, "Fulfillment provider not found"),
        ({"name": None}, 400, "Can't insert null value in field name on insert in table region"),
        (
            {"tax_code": None, "tax_rate": None, "automatic_taxes": None},
            400,
            "Can't insert null value in field tax_rate on insert in table region",
        ),
        (
            {"includes_tax": None},
            400,
            "Can't insert null value in field includes_tax on insert in table region",
        ),
    ],
)
async def test_update_region_refusals(
    admin: httpx.AsyncClient, body: dict[str, Any], status: int, message: str
) -> None:
    region = await create_region(admin)
    res = await admin.post(f"/admin/regions/{region['id']}", json=body)
    assert res.status_code == status
    assert res.json() == {"type": "invalid_data", "message": message}
    assert (await admin.get(f"/admin/regions/{region['id']}")).json()["region"] == region


async def test_update_region_country_of_another_region(admin: httpx.AsyncClient) -> None:
    other = await create_region(admin, name="US", countries=["us"])
    region = await create_region(admin, countries=["dk"])
    res = await admin.post(f"/admin/regions/{region['id']}", json={"countries": ["dk", "us"]})
    assert res.status_code == 422
    assert res.json()["message"] == f"United States already exists in region {other['id']}"


async def test_update_unknown_region(admin: httpx.AsyncClient) -> None:
    res = await admin.post("/admin/regions/reg_nope", json={"name": "x"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}
    # the body is validated first
    res = await admin.post("/admin/regions/reg_nope", json={"name": 5})
    assert res.status_code == 400


# ---- DELETE /admin/regions/{id} ----------------------------------------------------------------


async def test_delete_region(admin: httpx.AsyncClient, db: Database) -> None:
    region = await create_region(admin, countries=["dk", "se"])
    res = await admin.delete(f"/admin/regions/{region['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": region["id"], "object": "region", "deleted": True}

    res = await admin.get(f"/admin/regions/{region['id']}")
    assert res.status_code == 404
    assert res.json()["message"] == f"Region with {region['id']} was not found"
    assert (await admin.delete(f"/admin/regions/{region['id']}")).status_code == 404
    assert (await admin.post(f"/admin/regions/{region['id']}", json={"name": "x"})).status_code == 404

    async with db.read_session() as tx:
        row = (await tx.execute(select(Region).where(Region.id == region["id"]))).scalar_one()
        assert row.deleted_at is not None
        # Medusa leaves the provider join rows in place
        links = (await tx.execute(select(t_region_payment_providers))).all()
        assert [tuple(link) for link in links] == [(region["id"], "manual")]
    # its countries are free again
    assert await country_region(db, "dk") is None
    again = await create_region(admin, countries=["dk", "se"])
    assert sorted(c["iso_2"] for c in again["countries"]) == ["dk", "se"]


async def test_delete_unknown_region(admin: httpx.AsyncClient) -> None:
    res = await admin.delete("/admin/regions/reg_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}


# ---- countries ---------------------------------------------------------------------------------


async def test_add_and_remove_country(admin: httpx.AsyncClient, db: Database) -> None:
    region = await create_region(admin, countries=["dk"])
    rid = region["id"]
    res = await admin.post(f"/admin/regions/{rid}/countries", json={"country_code": "PT"})
    assert res.status_code == 200
    body = res.json()["region"]
    assert set(body) == REGION_KEYS
    assert sorted(c["iso_2"] for c in body["countries"]) == ["dk", "pt"]
    # only the countries changed: no write to the region row
    assert body["updated_at"] == region["updated_at"]
    # adding it again changes nothing
    res = await admin.post(f"/admin/regions/{rid}/countries", json={"country_code": "pt"})
    assert sorted(c["iso_2"] for c in res.json()["region"]["countries"]) == ["dk", "pt"]

    # case-insensitive (Medusa removes nothing for "PT": docs/compatibility.md)
    res = await admin.delete(f"/admin/regions/{rid}/countries/PT")
    assert res.status_code == 200
    assert [c["iso_2"] for c in res.json()["region"]["countries"]] == ["dk"]
    assert await country_region(db, "pt") is None
    res = await admin.delete(f"/admin/regions/{rid}/countries/pt")
    assert res.status_code == 200
    assert [c["iso_2"] for c in res.json()["region"]["countries"]] == ["dk"]
    res = await admin.delete(f"/admin/regions/{rid}/countries/zz")
    assert res.status_code == 200


async def test_add_country_refusals(admin: httpx.AsyncClient) -> None:
    other = await create_region(admin, name="NA", countries=["us"])
    region = await create_region(admin, countries=["dk"])
    rid = region["id"]
    res = await admin.post(f"/admin/regions/{rid}/countries", json={"country_code": "us"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": f"United States already exists in region {other['id']}",
    }
    res = await admin.post(f"/admin/regions/{rid}/countries", json={"country_code": "zz"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Invalid country code"}
    res = await admin.post(f"/admin/regions/{rid}/countries", json={})
    assert res.json() == {"type": "invalid_data", "message": "country_code must be a string"}
    res = await admin.post(f"/admin/regions/{rid}/countries")
    assert res.json() == {"type": "invalid_data", "message": "country_code must be a string"}
    res = await admin.post(f"/admin/regions/{rid}/countries", json={"country_code": "se", "x": 1})
    assert res.json() == {"type": "invalid_data", "message": "property x should not exist"}

    # Medusa checks the country before the region
    res = await admin.post("/admin/regions/reg_nope/countries", json={"country_code": "se"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}
    res = await admin.post("/admin/regions/reg_nope/countries", json={"country_code": "us"})
    assert res.status_code == 422
    res = await admin.delete("/admin/regions/reg_nope/countries/dk")
    assert res.status_code == 404


# ---- payment and fulfillment providers ---------------------------------------------------------


async def test_payment_providers(admin: httpx.AsyncClient, db: Database) -> None:
    async with db.write_session() as tx:
        tx.add(PaymentProvider(id="stripe", is_installed=True))
        await tx.commit()
    region = await create_region(admin)
    rid = region["id"]
    res = await admin.post(f"/admin/regions/{rid}/payment-providers", json={"provider_id": "stripe"})
    assert res.status_code == 200
    assert res.json()["region"]["payment_providers"] == [
        {"id": "manual", "is_installed": True},
        {"id": "stripe", "is_installed": True},
    ]
    # idempotent
    res = await admin.post(f"/admin/regions/{rid}/payment-providers", json={"provider_id": "stripe"})
    assert len(res.json()["region"]["payment_providers"]) == 2

    res = await admin.delete(f"/admin/regions/{rid}/payment-providers/manual")
    assert res.status_code == 200
    assert res.json()["region"]["payment_providers"] == [{"id": "stripe", "is_installed": True}]
    res = await admin.delete(f"/admin/regions/{rid}/payment-providers/manual")
    assert res.status_code == 200
    assert res.json()["region"]["payment_providers"] == [{"id": "stripe", "is_installed": True}]

    res = await admin.post(f"/admin/regions/{rid}/payment-providers", json={"provider_id": "nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Payment provider nope was not found"}
    res = await admin.post(f"/admin/regions/{rid}/payment-providers", json={"provider_id": 5})
    assert res.json() == {"type": "invalid_data", "message": "provider_id must be a string"}
    res = await admin.post("/admin/regions/reg_nope/payment-providers", json={"provider_id": "nope"})
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}
    res = await admin.delete("/admin/regions/reg_nope/payment-providers/manual")
    assert res.status_code == 404


async def test_fulfillment_providers_and_options(admin: httpx.AsyncClient, db: Database) -> None:
    region = await create_region(admin)
    rid = region["id"]
    res = await admin.get(f"/admin/regions/{rid}/fulfillment-options")
    assert res.status_code == 200
    assert res.json() == {
        "fulfillment_options": [
            {
                "provider_id": "manual",
                "options": [
                    {"id": "manual-fulfillment"},
                    {"id": "manual-fulfillment-return", "is_return": True},
                ],
            }
        ]
    }

    res = await admin.delete(f"/admin/regions/{rid}/fulfillment-providers/manual")
    assert res.status_code == 200
    assert res.json()["region"]["fulfillment_providers"] == []
    assert (await admin.get(f"/admin/regions/{rid}/fulfillment-options")).json() == {
        "fulfillment_options": []
    }
    res = await admin.delete(f"/admin/regions/{rid}/fulfillment-providers/manual")
    assert res.status_code == 200

    res = await admin.post(f"/admin/regions/{rid}/fulfillment-providers", json={"provider_id": "manual"})
    assert res.status_code == 200
    assert res.json()["region"]["fulfillment_providers"] == [{"id": "manual", "is_installed": True}]
    res = await admin.post(f"/admin/regions/{rid}/fulfillment-providers", json={"provider_id": "manual"})
    assert res.json()["region"]["fulfillment_providers"] == [{"id": "manual", "is_installed": True}]

    res = await admin.post(f"/admin/regions/{rid}/fulfillment-providers", json={"provider_id": "nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Fulfillment provider nope was not found"}
    res = await admin.post(f"/admin/regions/{rid}/fulfillment-providers", json={})
    assert res.json() == {"type": "invalid_data", "message": "provider_id must be a string"}
    res = await admin.post("/admin/regions/reg_nope/fulfillment-providers", json={"provider_id": "manual"})
    assert res.status_code == 404
    res = await admin.delete("/admin/regions/reg_nope/fulfillment-providers/manual")
    assert res.status_code == 404
    res = await admin.get("/admin/regions/reg_nope/fulfillment-options")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with reg_nope was not found"}

    # a provider row whose implementation is not installed
    async with db.write_session() as tx:
        tx.add(FulfillmentProvider(id="webshipper", is_installed=True))
        await tx.commit()
    await admin.post(f"/admin/regions/{rid}/fulfillment-providers", json={"provider_id": "webshipper"})
    res = await admin.get(f"/admin/regions/{rid}/fulfillment-options")
    assert res.status_code == 404
    assert res.json() == {
        "type": "not_found",
        "message": "Could not find a fulfillment provider with id: webshipper",
    }


# ---- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/regions"),
        ("POST", "/admin/regions"),
        ("GET", "/admin/regions/reg_x"),
        ("POST", "/admin/regions/reg_x"),
        ("DELETE", "/admin/regions/reg_x"),
        ("POST", "/admin/regions/reg_x/countries"),
        ("DELETE", "/admin/regions/reg_x/countries/dk"),
        ("GET", "/admin/regions/reg_x/fulfillment-options"),
        ("POST", "/admin/regions/reg_x/fulfillment-providers"),
        ("DELETE", "/admin/regions/reg_x/fulfillment-providers/manual"),
        ("POST", "/admin/regions/reg_x/payment-providers"),
        ("DELETE", "/admin/regions/reg_x/payment-providers/manual"),
    ],
)
async def test_admin_routes_need_authentication(client: httpx.AsyncClient, method: str, path: str) -> None:
    res = await client.request(method, path, json={} if method == "POST" else None)
    assert res.status_code == 401
    assert res.text == "Unauthorized"


async def test_api_token_works(client: httpx.AsyncClient, admin_user: Any) -> None:
    res = await client.get("/admin/regions", headers={"x-medusa-access-token": "test_api_token"})
    assert res.status_code == 200
    assert res.json() == {"regions": [], "count": 0, "offset": 0, "limit": 50}
