"""Admin tax rates: the eleven routes of Medusa's api/routes/admin/tax-rates, checked against the
answers of a real Medusa 1.20.11 (messages verbatim)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, insert, select

from mercato.core.clock import utcnow
from mercato.db.registry import load_all_models
from mercato.db.session import Database
from mercato.modules.taxes.models import TaxRate

TABLES = load_all_models().metadata.tables
DEFAULT_KEYS = {"id", "rate", "code", "name", "region_id", "created_at", "updated_at"}


# ---- fixtures: rows of other domains, written directly ---------------------------------------


async def _insert(db: Database, table: str, **values: Any) -> str:
    now = utcnow()
    columns = TABLES[table].columns
    if "created_at" in columns:
        values.setdefault("created_at", now)
        values.setdefault("updated_at", now)
    async with db.write_session() as tx:
        await tx.execute(insert(TABLES[table]).values(**values))
        await tx.commit()
    return str(values["id"])


async def make_region(db: Database, region_id: str, **values: Any) -> str:
    return await _insert(
        db, "region", id=region_id, name=region_id, currency_code="usd", tax_rate=0, **values
    )


async def make_product(db: Database, product_id: str, **values: Any) -> str:
    return await _insert(db, "product", id=product_id, title=product_id, handle=product_id, **values)


async def make_product_type(db: Database, type_id: str, **values: Any) -> str:
    return await _insert(db, "product_type", id=type_id, value=type_id, **values)


async def make_option(db: Database, option_id: str, region_id: str, **values: Any) -> str:
    async with db.read_session() as tx:
        profile_id = (
            await tx.execute(
                select(TABLES["shipping_profile"].c.id).where(TABLES["shipping_profile"].c.type == "default")
            )
        ).scalar_one()
    return await _insert(
        db,
        "shipping_option",
        id=option_id,
        name=option_id,
        region_id=region_id,
        profile_id=profile_id,
        provider_id="manual",
        price_type="flat_rate",
        amount=100,
        data={},
        **values,
    )


@pytest.fixture
async def world(db: Database) -> dict[str, str]:
    """Two regions, products, a product type and shipping options in each region."""
    await make_region(db, "reg_eu")
    await make_region(db, "reg_na")
    await make_product(db, "prod_mug")
    await make_product(db, "prod_shirt")
    await make_product(db, "prod_gone", deleted_at=utcnow())
    await make_product_type(db, "ptyp_cups")
    await make_product_type(db, "ptyp_gone", deleted_at=utcnow())
    await make_option(db, "so_eu_std", "reg_eu")
    await make_option(db, "so_eu_exp", "reg_eu")
    await make_option(db, "so_na_std", "reg_na")
    await make_option(db, "so_eu_gone", "reg_eu", deleted_at=utcnow())
    return {}


async def create_rate(admin: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": "tx-std", "name": "Standard", "region_id": "reg_eu", "rate": 12.5}
    body.update(overrides)
    res = await admin.post("/admin/tax-rates", json=body)
    assert res.status_code == 200, res.text
    rate: dict[str, Any] = res.json()["tax_rate"]
    return rate


async def links(db: Database, table: str, rate_id: str) -> list[str]:
    t = TABLES[table]
    column = next(c for c in t.columns if c.name.endswith("_id") and c.name != "rate_id")
    async with db.read_session() as tx:
        rows = (await tx.execute(select(column).where(t.c.rate_id == rate_id).order_by(column))).scalars()
        return list(rows)


def is_type_message(res: httpx.Response) -> dict[str, Any]:
    assert res.status_code == 400, res.text
    body = res.json()
    assert body["type"] == "invalid_data"
    parsed: dict[str, Any] = json.loads(body["message"])
    return parsed


# ---- POST /admin/tax-rates ---------------------------------------------------------------------


async def test_create_answers_the_seven_default_fields(admin: httpx.AsyncClient, world: Any) -> None:
    res = await admin.post(
        "/admin/tax-rates", json={"code": "tx-std", "name": "Standard", "region_id": "reg_eu", "rate": 12.3}
    )
    assert res.status_code == 200
    rate = res.json()["tax_rate"]
    assert set(rate) == DEFAULT_KEYS  # no metadata: Medusa selects seven columns
    assert rate["id"].startswith("txr_")
    assert rate["rate"] == 12.3  # a `real` column, printed as PostgreSQL prints it
    assert (rate["code"], rate["name"], rate["region_id"]) == ("tx-std", "Standard", "reg_eu")


async def test_create_without_rate_stores_null(admin: httpx.AsyncClient, world: Any) -> None:
    rate = await create_rate(admin, rate=None, code="", name="")
    assert rate["rate"] is None
    assert (rate["code"], rate["name"]) == ("", "")


async def test_create_with_links_and_query_config(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    res = await admin.post(
        "/admin/tax-rates?fields[]=product_count&fields[]=product_type_count&fields[]=shipping_option_count"
        "&expand[]=products&expand[]=shipping_options&expand[]=region",
        json={
            "code": "tx-b",
            "name": "B",
            "region_id": "reg_eu",
            "products": ["prod_mug", "prod_mug"],
            "product_types": ["ptyp_cups"],
            "shipping_options": ["so_eu_std"],
        },
    )
    assert res.status_code == 200, res.text
    rate = res.json()["tax_rate"]
    assert list(rate)[:4] == ["id", "product_count", "product_type_count", "shipping_option_count"]
    assert (rate["product_count"], rate["product_type_count"], rate["shipping_option_count"]) == (1, 1, 1)
    assert [p["id"] for p in rate["products"]] == ["prod_mug"]
    assert rate["products"][0]["title"] == "prod_mug"
    assert [o["id"] for o in rate["shipping_options"]] == ["so_eu_std"]
    assert rate["region"]["id"] == "reg_eu"
    assert "name" not in rate
    assert await links(db, "product_type_tax_rate", rate["id"]) == ["ptyp_cups"]


async def test_create_refuses_an_unknown_region(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    res = await admin.post("/admin/tax-rates", json={"code": "c", "name": "n", "region_id": "reg_nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Region with region_id reg_nope does not exist."}
    async with db.read_session() as tx:
        assert (await tx.execute(select(func.count()).select_from(TaxRate))).scalar_one() == 0


async def test_create_accepts_a_soft_deleted_region(
    admin: httpx.AsyncClient, db: Database, world: Any
) -> None:
    # only the foreign key guards region_id
    await make_region(db, "reg_old", deleted_at=utcnow())
    rate = await create_rate(admin, region_id="reg_old")
    assert rate["region_id"] == "reg_old"


async def test_create_refuses_unknown_links_and_writes_nothing(
    admin: httpx.AsyncClient, db: Database, world: Any
) -> None:
    res = await admin.post(
        "/admin/tax-rates",
        json={"code": "c", "name": "n", "region_id": "reg_eu", "products": ["prod_mug", "prod_nope"]},
    )
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: prod_nope was not found"}
    res = await admin.post(
        "/admin/tax-rates",
        json={"code": "c", "name": "n", "region_id": "reg_eu", "shipping_options": ["so_na_std"]},
    )
    assert res.status_code == 400
    message = res.json()["message"]
    assert res.json()["type"] == "not_allowed"
    assert message.startswith(
        "Shipping Option and Tax Rate must belong to the same Region to be associated. "
        "Shipping Option with id: so_na_std belongs to Region with id: reg_na and Tax Rate with id: txr_"
    )
    assert message.endswith("belongs to Region with id: reg_eu")
    async with db.read_session() as tx:
        assert (await tx.execute(select(func.count()).select_from(TaxRate))).scalar_one() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "code must be a string, name must be a string, region_id must be a string"),
        (
            {"code": None, "name": 1, "region_id": "r", "rate": "1", "products": {}, "x": 1},
            "property x should not exist, code must be a string, name must be a string, "
            "rate must be a number conforming to the specified constraints, products must be an array",
        ),
        (
            {"code": "c", "name": "n", "region_id": "r", "shipping_options": "so", "product_types": 1},
            "shipping_options must be an array, product_types must be an array",
        ),
        (
            {"code": "c", "name": "n", "region_id": "r", "metadata": {}},
            "property metadata should not exist",
        ),
    ],
)
async def test_create_validation(
    admin: httpx.AsyncClient, world: Any, body: dict[str, Any], message: str
) -> None:
    res = await admin.post("/admin/tax-rates", json=body)
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


async def test_create_without_body_and_with_array_body(admin: httpx.AsyncClient, world: Any) -> None:
    res = await admin.post("/admin/tax-rates")
    assert res.json()["message"] == "code must be a string, name must be a string, region_id must be a string"
    res = await admin.post("/admin/tax-rates", json=[])
    assert res.status_code == 400
    assert res.json()["message"] == "an unknown value was passed to the validate function"


async def test_create_checks_the_body_before_the_query(admin: httpx.AsyncClient, world: Any) -> None:
    res = await admin.post("/admin/tax-rates?expand=products", json={})
    assert res.json()["message"].startswith("code must be a string")
    res = await admin.post(
        "/admin/tax-rates?expand=products", json={"code": "c", "name": "n", "region_id": "reg_eu"}
    )
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "expand must be an array"}


async def test_create_requires_auth(client: httpx.AsyncClient, world: Any) -> None:
    res = await client.post("/admin/tax-rates", json={"code": "c", "name": "n", "region_id": "reg_eu"})
    assert res.status_code == 401
    assert res.text == "Unauthorized"


# ---- GET /admin/tax-rates/{id} -----------------------------------------------------------------


async def test_get_with_fields_and_expand(admin: httpx.AsyncClient, world: Any) -> None:
    created = await create_rate(admin, products=["prod_mug", "prod_shirt", "prod_gone"])
    res = await admin.get(f"/admin/tax-rates/{created['id']}")
    assert res.status_code == 200
    assert res.json()["tax_rate"] == created
    res = await admin.get(
        f"/admin/tax-rates/{created['id']}?fields[]=name&fields[]=metadata&fields[]=product_count"
    )
    # soft-deleted products are not counted
    assert res.json()["tax_rate"] == {
        "id": created["id"],
        "metadata": None,
        "name": "Standard",
        "product_count": 2,
    }
    res = await admin.get(f"/admin/tax-rates/{created['id']}?expand[]=products&expand[]=product_types")
    rate = res.json()["tax_rate"]
    assert sorted(p["id"] for p in rate["products"]) == ["prod_mug", "prod_shirt"]
    assert rate["product_types"] == []
    assert set(rate) == DEFAULT_KEYS | {"products", "product_types"}


async def test_get_counts_are_zero_without_links(admin: httpx.AsyncClient, world: Any) -> None:
    created = await create_rate(admin)
    res = await admin.get(
        f"/admin/tax-rates/{created['id']}?fields[]=shipping_option_count&fields[]=product_type_count"
    )
    assert res.json()["tax_rate"] == {
        "id": created["id"],
        "product_type_count": 0,
        "shipping_option_count": 0,
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fields=name", "fields must be an array"),
        ("expand=products", "expand must be an array"),
        ("foo=1", "property foo should not exist"),
        ("expand[]=nope", "Relation nope is not a valid relation of TaxRate"),
    ],
)
async def test_get_refuses_bad_query(admin: httpx.AsyncClient, world: Any, query: str, message: str) -> None:
    created = await create_rate(admin)
    res = await admin.get(f"/admin/tax-rates/{created['id']}?{query}")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


async def test_get_unknown_and_unauthenticated(admin: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await admin.get("/admin/tax-rates/txr_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "TaxRate with txr_nope was not found"}
    client.headers.pop("Authorization", None)
    res = await client.get("/admin/tax-rates/txr_nope")
    assert res.status_code == 401
    assert res.text == "Unauthorized"


# ---- GET /admin/tax-rates ----------------------------------------------------------------------


@pytest.fixture
async def three(admin: httpx.AsyncClient, world: Any) -> dict[str, dict[str, Any]]:
    a = await create_rate(admin, code="txc-1", name="txc rate A", rate=0.1)
    b = await create_rate(admin, code="txc-2", name="txc rate B", region_id="reg_na", rate=-5)
    z = await create_rate(admin, code="", name="", region_id="reg_na", rate=None)
    return {"a": a, "b": b, "z": z}


async def ids(admin: httpx.AsyncClient, query: str) -> list[str]:
    res = await admin.get(f"/admin/tax-rates?{query}")
    assert res.status_code == 200, res.text
    return [r["id"] for r in res.json()["tax_rates"]]


async def test_list_newest_first_with_envelope(admin: httpx.AsyncClient, three: dict[str, Any]) -> None:
    res = await admin.get("/admin/tax-rates")
    body = res.json()
    assert body["count"] == 3 and body["offset"] == 0 and body["limit"] == 50
    assert [r["id"] for r in body["tax_rates"]] == [three["z"]["id"], three["b"]["id"], three["a"]["id"]]
    assert body["tax_rates"][2] == three["a"]
    res = await admin.get("/admin/tax-rates?offset=1&limit=1")
    body = res.json()
    assert (body["count"], body["offset"], body["limit"]) == (3, 1, 1)
    assert [r["id"] for r in body["tax_rates"]] == [three["b"]["id"]]
    # `limit=0` is no limit for TypeORM
    assert len(await ids(admin, "limit=0")) == 3


async def test_list_order_puts_nulls_as_postgresql(admin: httpx.AsyncClient, three: dict[str, Any]) -> None:
    a, b, z = three["a"]["id"], three["b"]["id"], three["z"]["id"]
    assert await ids(admin, "order=rate") == [b, a, z]
    assert await ids(admin, "order=-rate") == [z, a, b]
    assert await ids(admin, "order=-name") == [b, a, z]
    res = await admin.get("/admin/tax-rates?order=-name&fields[]=name")
    assert res.json()["tax_rates"][0] == {
        "created_at": three["b"]["created_at"],
        "id": b,
        "name": "txc rate B",
    }


async def test_list_filters(admin: httpx.AsyncClient, three: dict[str, Any]) -> None:
    a, b, z = three["a"]["id"], three["b"]["id"], three["z"]["id"]
    assert await ids(admin, "region_id=reg_na") == [z, b]
    assert await ids(admin, "region_id[]=reg_na&region_id[]=reg_eu&limit=1&offset=2") == [a]
    assert await ids(admin, "region_id[]=") == []
    assert await ids(admin, "code=txc-2") == [b]
    assert await ids(admin, "name=txc%20rate%20A") == [a]
    assert await ids(admin, "rate=0.1") == [a]
    assert await ids(admin, "rate[]=0.1") == [a]
    assert await ids(admin, "rate[lt]=0") == [b]
    assert await ids(admin, "rate[gte]=-5&rate[lte]=0.1") == [b, a]
    assert await ids(admin, "rate[gt]=0") == [a]
    # empty values filter nothing (lodash pickBy)
    assert await ids(admin, "rate=&code=&name=&region_id=&q=") == [z, b, a]
    assert await ids(admin, "created_at[gt]=2020-01-01&updated_at[lt]=2999-01-01") == [z, b, a]
    assert await ids(admin, "created_at[lt]=2020-01-01") == []


async def test_list_search(admin: httpx.AsyncClient, three: dict[str, Any]) -> None:
    a, b = three["a"]["id"], three["b"]["id"]
    assert await ids(admin, "q=TXC%20RATE") == [b, a]
    assert await ids(admin, "q=rate%20b") == [b]
    # `q` replaces the name filter
    assert await ids(admin, "name=txc%20rate%20A&q=rate%20b") == [b]


async def test_list_fields_and_expand(admin: httpx.AsyncClient, three: dict[str, Any]) -> None:
    await admin.post(f"/admin/tax-rates/{three['a']['id']}/products/batch", json={"products": ["prod_mug"]})
    res = await admin.get("/admin/tax-rates?q=txc&fields[]=name&fields[]=product_count&expand[]=products")
    rates = res.json()["tax_rates"]
    assert [list(r) for r in rates] == [["created_at", "id", "name", "product_count", "products"]] * 2
    assert [(r["product_count"], [p["id"] for p in r["products"]]) for r in rates] == [
        (0, []),
        (1, ["prod_mug"]),
    ]
    res = await admin.get("/admin/tax-rates?expand[]=region&limit=1")
    assert res.json()["tax_rates"][0]["region"]["id"] == "reg_na"
    assert res.json()["tax_rates"][0]["region"]["tax_rate"] == 0


async def test_list_is_type_messages(admin: httpx.AsyncClient, world: Any) -> None:
    assert is_type_message(await admin.get("/admin/tax-rates?rate=abc")) == {
        "message": "rate must be one of: NumericalComparisonOperator,Number",
        "details": {
            "Number": ["Number validation failed: abc is not a number"],
            "NumericalComparisonOperator": ["an unknown value was passed to the validate function"],
        },
    }
    assert is_type_message(await admin.get("/admin/tax-rates?rate[gt]=a&rate[lt]=b&rate[foo]=1")) == {
        "message": "rate must be one of: NumericalComparisonOperator,Number",
        "details": {
            "Number": ["Number validation failed: [object Object] is not a number"],
            "NumericalComparisonOperator": [
                "property foo should not exist",
                " lt must be a number conforming to the specified constraints",
                " gt must be a number conforming to the specified constraints",
            ],
        },
    }
    assert is_type_message(await admin.get("/admin/tax-rates?rate[]=1&rate[]=2"))["details"]["Number"] == [
        "Number validation failed: 1",
        "2 is not a number",
    ]
    # the thrown @IsType message replaces every other message, region_id's first
    assert is_type_message(await admin.get("/admin/tax-rates?foo=1&name[]=a&region_id[x]=1&rate=abc")) == {
        "message": "region_id must be one of: String,String",
        "details": {
            "String": ["String validation failed: [object Object] is not a string"],
            "undefined": ["Cannot read properties of undefined (reading 'constructor')"],
        },
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "name[]=a&offset=x",
            "name must be a string, offset must be a number conforming to the specified constraints",
        ),
        ("code[]=a", "code must be a string"),
        ("q[]=a", "q must be a string"),
        ("created_at[gt]=abc", "gt must be a Date instance"),
        ("expand=region", "expand must be an array"),
        ("foo=1", "property foo should not exist"),
        ("limit=-1", "limit must not be less than 0"),
        ("order=nope", "Order field nope is not valid"),
    ],
)
async def test_list_refuses_bad_query(admin: httpx.AsyncClient, world: Any, query: str, message: str) -> None:
    res = await admin.get(f"/admin/tax-rates?{query}")
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": message}


async def test_list_requires_auth(client: httpx.AsyncClient) -> None:
    res = await client.get("/admin/tax-rates")
    assert res.status_code == 401
    assert res.text == "Unauthorized"


# ---- POST /admin/tax-rates/{id} ----------------------------------------------------------------


async def test_update_fields(admin: httpx.AsyncClient, world: Any) -> None:
    created = await create_rate(admin, rate=12.3)
    res = await admin.post(f"/admin/tax-rates/{created['id']}", json={})
    assert res.json()["tax_rate"] == created  # nothing changed: updated_at stays
    res = await admin.post(f"/admin/tax-rates/{created['id']}", json={"rate": 12.3})
    assert res.json()["tax_rate"]["updated_at"] == created["updated_at"]
    res = await admin.post(
        f"/admin/tax-rates/{created['id']}",
        json={"name": "Reduced", "code": None, "rate": None, "region_id": "reg_na"},
    )
    assert res.status_code == 200
    rate = res.json()["tax_rate"]
    assert (rate["name"], rate["code"], rate["rate"], rate["region_id"]) == ("Reduced", None, None, "reg_na")
    assert rate["updated_at"] > created["updated_at"]


async def test_update_replaces_links(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    created = await create_rate(admin, products=["prod_mug"], shipping_options=["so_eu_std"])
    rate_id = created["id"]
    res = await admin.post(
        f"/admin/tax-rates/{rate_id}?fields[]=product_count&fields[]=shipping_option_count",
        json={"products": ["prod_shirt", "prod_mug"], "shipping_options": ["so_eu_exp"]},
    )
    assert res.json()["tax_rate"] == {"id": rate_id, "product_count": 2, "shipping_option_count": 1}
    assert await links(db, "shipping_tax_rate", rate_id) == ["so_eu_exp"]
    res = await admin.post(
        f"/admin/tax-rates/{rate_id}?fields[]=product_count",
        json={"products": [], "product_types": ["ptyp_cups"]},
    )
    assert res.json()["tax_rate"] == {"id": rate_id, "product_count": 0}
    assert await links(db, "product_tax_rate", rate_id) == []
    assert await links(db, "product_type_tax_rate", rate_id) == ["ptyp_cups"]
    # links not named in the body stay
    assert await links(db, "shipping_tax_rate", rate_id) == ["so_eu_exp"]


async def test_update_refusals(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    created = await create_rate(admin, products=["prod_mug"])
    rate_id = created["id"]
    res = await admin.post(f"/admin/tax-rates/{rate_id}", json={"name": None, "region_id": None})
    assert res.json() == {
        "type": "invalid_data",
        "message": "Can't insert null value in field name on insert in table tax_rate",
    }
    res = await admin.post(f"/admin/tax-rates/{rate_id}", json={"region_id": None})
    assert res.json()["message"] == "Can't insert null value in field region_id on insert in table tax_rate"
    res = await admin.post(f"/admin/tax-rates/{rate_id}", json={"region_id": "reg_nope"})
    assert res.status_code == 404
    assert res.json()["message"] == "Region with region_id reg_nope does not exist."
    # the region changes first, then the options are checked against it; all is rolled back
    res = await admin.post(
        f"/admin/tax-rates/{rate_id}", json={"region_id": "reg_na", "shipping_options": ["so_eu_std"]}
    )
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Shipping Option and Tax Rate must belong to the same Region to be associated. "
        "Shipping Option with id: so_eu_std belongs to Region with id: reg_eu and "
        f"Tax Rate with id: {rate_id} belongs to Region with id: reg_na",
    }
    res = await admin.post(f"/admin/tax-rates/{rate_id}", json={"name": "X", "products": ["prod_nope"]})
    assert res.status_code == 404
    assert res.json()["message"] == "Product with id: prod_nope was not found"
    res = await admin.post(f"/admin/tax-rates/{rate_id}", json={"products": [None]})
    assert res.status_code == 400
    assert (
        res.json()["message"]
        == "Can't insert null value in field product_id on insert in table product_tax_rate"
    )
    res = await admin.get(f"/admin/tax-rates/{rate_id}")
    assert res.json()["tax_rate"] == created
    assert await links(db, "product_tax_rate", rate_id) == ["prod_mug"]


async def test_update_validation_unknown_and_auth(admin: httpx.AsyncClient, world: Any) -> None:
    created = await create_rate(admin)
    res = await admin.post(f"/admin/tax-rates/{created['id']}", json={"rate": "x", "products": "x", "foo": 1})
    assert res.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist, rate must be a number conforming to the specified "
        "constraints, products must be an array",
    }
    res = await admin.post(f"/admin/tax-rates/{created['id']}?expand=x", json={})
    assert res.json() == {"type": "invalid_data", "message": "expand must be an array"}
    res = await admin.post("/admin/tax-rates/txr_nope", json={"rate": 1})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "TaxRate with txr_nope was not found"}
    admin.headers.pop("Authorization")
    res = await admin.post(f"/admin/tax-rates/{created['id']}", json={})
    assert res.status_code == 401


# ---- DELETE /admin/tax-rates/{id} --------------------------------------------------------------


async def test_delete_is_hard_and_removes_links(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    created = await create_rate(
        admin, products=["prod_mug"], product_types=["ptyp_cups"], shipping_options=["so_eu_std"]
    )
    res = await admin.delete(f"/admin/tax-rates/{created['id']}")
    assert res.status_code == 200
    assert res.json() == {"id": created["id"], "object": "tax-rate", "deleted": True}
    async with db.read_session() as tx:
        assert await tx.get(TaxRate, created["id"]) is None
    for table in ("product_tax_rate", "product_type_tax_rate", "shipping_tax_rate"):
        assert await links(db, table, created["id"]) == []
    res = await admin.get(f"/admin/tax-rates/{created['id']}")
    assert res.status_code == 404


async def test_delete_unknown_still_answers_deleted(
    admin: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    res = await admin.delete("/admin/tax-rates/txr_nope")
    assert res.status_code == 200
    assert res.json() == {"id": "txr_nope", "object": "tax-rate", "deleted": True}
    client.headers.pop("Authorization")
    assert (await client.delete("/admin/tax-rates/txr_nope")).status_code == 401


# ---- products/batch ----------------------------------------------------------------------------


async def test_products_batch_add_and_remove(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    rate_id = (await create_rate(admin))["id"]
    res = await admin.post(
        f"/admin/tax-rates/{rate_id}/products/batch?fields[]=product_count",
        json={"products": ["prod_mug", "prod_mug", "prod_shirt"]},
    )
    assert res.status_code == 200
    assert res.json() == {"tax_rate": {"id": rate_id, "product_count": 2}}
    # adding again is ignored; a soft-deleted product still passes the foreign key
    res = await admin.post(
        f"/admin/tax-rates/{rate_id}/products/batch?fields[]=product_count",
        json={"products": ["prod_mug", "prod_gone"]},
    )
    assert res.json()["tax_rate"]["product_count"] == 2
    assert await links(db, "product_tax_rate", rate_id) == ["prod_gone", "prod_mug", "prod_shirt"]
    res = await admin.request(
        "DELETE",
        f"/admin/tax-rates/{rate_id}/products/batch",
        json={"products": ["prod_mug", "prod_nope"]},
    )
    assert res.status_code == 200
    assert set(res.json()["tax_rate"]) == DEFAULT_KEYS
    assert await links(db, "product_tax_rate", rate_id) == ["prod_gone", "prod_shirt"]


async def test_products_batch_refusals(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    rate_id = (await create_rate(admin))["id"]
    url = f"/admin/tax-rates/{rate_id}/products/batch"
    res = await admin.post(url, json={"products": ["prod_mug", "prod_nope", "prod_nope2"]})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: prod_nope was not found"}
    # on a foreign key failure Medusa retrieves each product: a soft-deleted one is then "not found"
    res = await admin.post(url, json={"products": ["prod_gone", "prod_nope"]})
    assert res.json()["message"] == "Product with id: prod_gone was not found"
    res = await admin.post(url, json={"products": [1]})
    assert res.json()["message"] == "Product with id: 1 was not found"
    assert await links(db, "product_tax_rate", rate_id) == []
    for body in ({}, None, {"products": "x"}):
        res = await admin.post(url, json=body) if body is not None else await admin.post(url)
        assert res.status_code == 400
        assert res.json() == {"type": "invalid_data", "message": "products must be an array"}
    res = await admin.request("DELETE", url, json={"products": "x"})
    assert res.json() == {"type": "invalid_data", "message": "products must be an array"}


async def test_products_batch_unknown_rate(admin: httpx.AsyncClient, world: Any) -> None:
    expected = {"type": "not_found", "message": "TaxRate with txr_nope was not found"}
    for body in ({"products": ["prod_nope"]}, {"products": ["prod_mug"]}, {"products": []}):
        res = await admin.post("/admin/tax-rates/txr_nope/products/batch", json=body)
        assert (res.status_code, res.json()) == (404, expected)
    res = await admin.request("DELETE", "/admin/tax-rates/txr_nope/products/batch", json={"products": []})
    assert (res.status_code, res.json()) == (404, expected)


async def test_products_batch_requires_auth(client: httpx.AsyncClient) -> None:
    res = await client.post("/admin/tax-rates/txr_1/products/batch", json={"products": []})
    assert (res.status_code, res.text) == (401, "Unauthorized")
    res = await client.request("DELETE", "/admin/tax-rates/txr_1/products/batch", json={"products": []})
    assert (res.status_code, res.text) == (401, "Unauthorized")


# ---- product-types/batch -----------------------------------------------------------------------


async def test_product_types_batch(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    rate_id = (await create_rate(admin))["id"]
    url = f"/admin/tax-rates/{rate_id}/product-types/batch"
    res = await admin.post(
        f"{url}?fields[]=product_type_count&expand[]=product_types", json={"product_types": ["ptyp_cups"]}
    )
    assert res.status_code == 200
    rate = res.json()["tax_rate"]
    assert rate["product_type_count"] == 1
    assert [t["value"] for t in rate["product_types"]] == ["ptyp_cups"]
    res = await admin.post(url, json={"product_types": ["ptyp_nope"]})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product type with id: ptyp_nope was not found"}
    res = await admin.post(url, json={"product_types": ["ptyp_gone", "ptyp_nope"]})
    assert res.json()["message"] == "Product type with id: ptyp_gone was not found"
    res = await admin.post(url, json={})
    assert res.json() == {"type": "invalid_data", "message": "product_types must be an array"}
    res = await admin.request(
        "DELETE", f"{url}?fields[]=product_type_count", json={"product_types": ["ptyp_cups"]}
    )
    assert res.json() == {"tax_rate": {"id": rate_id, "product_type_count": 0}}
    res = await admin.post(
        "/admin/tax-rates/txr_nope/product-types/batch", json={"product_types": ["ptyp_nope"]}
    )
    assert res.json() == {"type": "not_found", "message": "TaxRate with txr_nope was not found"}
    admin.headers.pop("Authorization")
    assert (await admin.post(url, json={"product_types": []})).status_code == 401
    assert (await admin.request("DELETE", url, json={"product_types": []})).status_code == 401


# ---- shipping-options/batch --------------------------------------------------------------------


async def test_shipping_options_batch(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    rate_id = (await create_rate(admin))["id"]
    url = f"/admin/tax-rates/{rate_id}/shipping-options/batch"
    res = await admin.post(
        f"{url}?fields[]=shipping_option_count&expand[]=shipping_options",
        json={"shipping_options": ["so_eu_std", "so_eu_exp"]},
    )
    assert res.status_code == 200
    rate = res.json()["tax_rate"]
    assert rate["shipping_option_count"] == 2
    assert sorted(o["id"] for o in rate["shipping_options"]) == ["so_eu_exp", "so_eu_std"]
    res = await admin.request(
        "DELETE", f"{url}?fields[]=shipping_option_count", json={"shipping_options": ["so_eu_std"]}
    )
    assert res.json() == {"tax_rate": {"id": rate_id, "shipping_option_count": 1}}
    assert await links(db, "shipping_tax_rate", rate_id) == ["so_eu_exp"]


async def test_shipping_options_batch_refusals(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    rate_id = (await create_rate(admin))["id"]
    url = f"/admin/tax-rates/{rate_id}/shipping-options/batch"
    res = await admin.post(url, json={"shipping_options": ["so_eu_std", "so_na_std"]})
    assert res.status_code == 400
    assert res.json() == {
        "type": "not_allowed",
        "message": "Shipping Option and Tax Rate must belong to the same Region to be associated. "
        "Shipping Option with id: so_na_std belongs to Region with id: reg_na and "
        f"Tax Rate with id: {rate_id} belongs to Region with id: reg_eu",
    }
    res = await admin.post(url, json={"shipping_options": ["so_nope"]})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Shipping Option with so_nope was not found"}
    res = await admin.post(url, json={"shipping_options": ["so_eu_gone", "so_nope"]})
    assert res.json()["message"] == "Shipping Option with so_eu_gone was not found"
    assert await links(db, "shipping_tax_rate", rate_id) == []
    res = await admin.post(url, json={"shipping_options": [None]})
    assert res.json() == {
        "type": "invalid_data",
        "message": "Can't insert null value in field shipping_option_id on insert in table shipping_tax_rate",
    }
    res = await admin.request("DELETE", url)
    assert res.json() == {"type": "invalid_data", "message": "shipping_options must be an array"}
    res = await admin.post("/admin/tax-rates/txr_nope/shipping-options/batch", json={"shipping_options": []})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "TaxRate with txr_nope was not found"}
    admin.headers.pop("Authorization")
    assert (await admin.post(url, json={"shipping_options": []})).status_code == 401
    assert (await admin.request("DELETE", url, json={"shipping_options": []})).status_code == 401


async def test_rate_is_stored_as_real(admin: httpx.AsyncClient, db: Database, world: Any) -> None:
    created = await create_rate(admin, rate=0.1)
    res = await admin.get(f"/admin/tax-rates/{created['id']}")
    assert res.json()["tax_rate"]["rate"] == 0.1
    assert await ids(admin, "rate=0.1") == [created["id"]]
