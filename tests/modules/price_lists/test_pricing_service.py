"""The DB-facing pricing (price_lists.pricing_service): a context from request parameters, and the
pricing keys Medusa puts on variants, loaded in a bounded number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from sqlalchemy import event

from mercato.core.errors import MedusaError
from mercato.db.session import Database
from mercato.modules.carts.models import Cart
from mercato.modules.price_lists.models import PriceList, t_price_list_customer_groups
from mercato.modules.price_lists.pricing_service import price_variants, pricing_context
from mercato.modules.products.models import ProductTaxRate
from mercato.modules.taxes.models import TaxRate
from mercato.pricing.selection import PricingContext
from tests.modules.price_lists.conftest import Catalog, add_price

NOW = datetime.datetime.now(datetime.UTC)


async def make_list(db: Database, **values: Any) -> str:
    groups = values.pop("groups", [])
    async with db.write_session() as tx:
        pl = PriceList(name=values.pop("name", "list"), description="", **values)
        tx.add(pl)
        await tx.flush()
        for group in groups:
            await tx.execute(
                t_price_list_customer_groups.insert().values(price_list_id=pl.id, customer_group_id=group)
            )
        await tx.commit()
        return pl.id


async def priced(db: Database, variant_ids: list[str], **context: Any) -> dict[str, dict[str, Any]]:
    async with db.read_session() as tx:
        ctx = await pricing_context(tx, **context)
        return await price_variants(tx, variant_ids, ctx)


async def prices(db: Database, catalog: Catalog, list_id: str, *rows: tuple[Any, ...]) -> list[str]:
    async with db.write_session() as tx:
        ids = [
            await add_price(
                tx, *row[:3], *row[3:4], price_list_id=list_id, **(row[4] if len(row) > 4 else {})
            )
            for row in rows
        ]
        await tx.commit()
        return ids


async def test_region_context_with_taxes(db: Database, catalog: Catalog) -> None:
    sale = await make_list(db, type="sale", status="active")
    [sale_price] = await prices(db, catalog, sale, (catalog.v1, 850, "eur"))
    result = await priced(db, [catalog.v1, catalog.v2, catalog.v3], region_id=catalog.eu)
    v1 = result[catalog.v1]
    assert {k: v for k, v in v1.items() if k != "prices"} == {
        "original_price": 950,
        "calculated_price": 850,
        "calculated_price_type": "sale",
        "original_price_includes_tax": False,
        "calculated_price_includes_tax": False,
        "original_price_incl_tax": 1140,
        "calculated_price_incl_tax": 1020,
        "original_tax": 190,
        "calculated_tax": 170,
        "tax_rates": [{"rate": 20, "name": "default", "code": "default"}],
    }
    # the region's and the currency's default prices and the sale price, not the usd one
    assert {p["id"] for p in v1["prices"]} == {catalog.prices["v1_eur"], catalog.prices["v1_eu"], sale_price}
    listed = next(p for p in v1["prices"] if p["id"] == sale_price)
    assert listed["price_list"]["id"] == sale and listed["price_list"]["type"] == "sale"
    assert listed["variant_id"] == catalog.v1
    assert set(listed) == {
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        "currency_code",
        "amount",
        "min_quantity",
        "max_quantity",
        "price_list_id",
        "region_id",
        "price_list",
        "variant_id",
    }
    assert result[catalog.v2]["calculated_price"] == 2000
    assert result[catalog.v2]["calculated_price_type"] == "default"


async def test_currency_context_has_no_taxes(db: Database, catalog: Catalog) -> None:
    result = await priced(db, [catalog.v1, catalog.v2], currency_code="usd")
    assert set(result) == {catalog.v1}  # v2 has no usd price: left undecorated
    v1 = result[catalog.v1]
    assert (v1["original_price"], v1["calculated_price"], v1["calculated_price_type"]) == (
        1200,
        1200,
        "default",
    )
    assert v1["tax_rates"] is None and v1["calculated_price_incl_tax"] is None


async def test_region_without_automatic_taxes(db: Database, catalog: Catalog) -> None:
    async with db.write_session() as tx:
        await add_price(tx, catalog.v2, 2100, "usd", catalog.na)
        await tx.commit()
    result = await priced(db, [catalog.v2], region_id=catalog.na)
    assert result[catalog.v2]["calculated_price"] == 2100
    assert result[catalog.v2]["tax_rates"] is None


async def test_no_market_shows_default_prices_only(db: Database, catalog: Catalog) -> None:
    sale = await make_list(db, type="sale", status="active")
    await prices(db, catalog, sale, (catalog.v1, 1, "eur"))
    async with db.read_session() as tx:
        result = await price_variants(tx, [catalog.v1], PricingContext())
    v1 = result[catalog.v1]
    assert len(v1["prices"]) == 3 and all(p["price_list"] is None for p in v1["prices"])
    assert "calculated_price_type" not in v1
    assert v1["calculated_price"] is None and v1["original_price"] is None


async def test_customer_group_lists_need_the_customer(db: Database, catalog: Catalog) -> None:
    vip = await make_list(db, type="sale", status="active", groups=[catalog.group])
    await prices(db, catalog, vip, (catalog.v1, 500, "eur"))
    anonymous = await priced(db, [catalog.v1], region_id=catalog.eu)
    assert anonymous[catalog.v1]["calculated_price"] == 950
    member = await priced(db, [catalog.v1], region_id=catalog.eu, customer_id=catalog.customer)
    assert (member[catalog.v1]["calculated_price"], member[catalog.v1]["calculated_price_type"]) == (
        500,
        "sale",
    )


async def test_inactive_and_out_of_date_lists_do_not_apply(db: Database, catalog: Catalog) -> None:
    draft = await make_list(db, type="sale", status="draft")
    future = await make_list(db, type="sale", status="active", starts_at=NOW + datetime.timedelta(days=1))
    past = await make_list(db, type="override", status="active", ends_at=NOW - datetime.timedelta(days=1))
    current = await make_list(
        db,
        type="override",
        status="active",
        starts_at=NOW - datetime.timedelta(days=1),
        ends_at=NOW + datetime.timedelta(days=1),
    )
    for list_id in (draft, future, past):
        await prices(db, catalog, list_id, (catalog.v2, 10, "eur"))
    await prices(db, catalog, current, (catalog.v2, 2500, "eur"))
    result = await priced(db, [catalog.v2], region_id=catalog.eu)
    v2 = result[catalog.v2]
    assert (v2["original_price"], v2["calculated_price"], v2["calculated_price_type"]) == (
        2000,
        2500,
        "override",
    )
    assert {p["price_list_id"] for p in v2["prices"]} == {None, current}


async def test_quantity_tiers(db: Database, catalog: Catalog) -> None:
    sale = await make_list(db, type="sale", status="active")
    await prices(
        db,
        catalog,
        sale,
        (catalog.v2, 1800, "eur", None, {"min_quantity": 5, "max_quantity": 9}),
        (catalog.v2, 1500, "eur", None, {"min_quantity": 10}),
    )
    for quantity, expected in ((None, 2000), (1, 2000), (5, 1800), (9, 1800), (10, 1500), (100, 1500)):
        result = await priced(db, [catalog.v2], currency_code="eur", quantity=quantity)
        assert result[catalog.v2]["calculated_price"] == expected, quantity


async def test_tax_inclusive_list_and_product_tax_rates(db: Database, catalog: Catalog) -> None:
    incl = await make_list(db, type="sale", status="active", includes_tax=True)
    await prices(db, catalog, incl, (catalog.v1, 1100, "eur"))
    async with db.write_session() as tx:
        rate = TaxRate(name="Reduced", code="RED", rate=10, region_id=catalog.eu)
        tx.add(rate)
        await tx.flush()
        tx.add(ProductTaxRate(product_id=catalog.product, rate_id=rate.id))
        await tx.commit()
        rate_id = rate.id
    result = await priced(db, [catalog.v1, catalog.v3], region_id=catalog.eu)
    v1 = result[catalog.v1]
    # 1100 incl. 10 % beats 950 + 10 % = 1045? No: 1100 < 1.1 * 950 is false, the default stays
    assert (v1["calculated_price"], v1["calculated_price_type"], v1["calculated_price_includes_tax"]) == (
        950,
        "default",
        False,
    )
    assert (v1["calculated_tax"], v1["calculated_price_incl_tax"]) == (95, 1045)
    [tax_rate] = v1["tax_rates"]
    assert (tax_rate["id"], tax_rate["rate"], tax_rate["code"], tax_rate["name"]) == (
        rate_id,
        10,
        "RED",
        "Reduced",
    )
    # the other product keeps the region's default rate
    assert result[catalog.v3]["tax_rates"] == [{"rate": 20, "name": "default", "code": "default"}]
    await prices(db, catalog, incl, (catalog.v1, 1040, "eur"))
    v1 = (await priced(db, [catalog.v1], region_id=catalog.eu))[catalog.v1]
    assert (v1["calculated_price"], v1["calculated_price_includes_tax"]) == (1040, True)
    assert (v1["calculated_tax"], v1["calculated_price_incl_tax"]) == (95, 1040)  # round(1040 * .1 / 1.1)


async def test_context_from_a_cart_and_unknown_ids(db: Database, catalog: Catalog) -> None:
    async with db.write_session() as tx:
        cart = Cart(region_id=catalog.eu)
        tx.add(cart)
        await tx.commit()
        cart_id = cart.id
    async with db.read_session() as tx:
        ctx = await pricing_context(tx, cart_id=cart_id, currency_code="usd", customer_id=catalog.customer)
        assert (ctx.region_id, ctx.currency_code, ctx.automatic_taxes, ctx.region_tax_rate) == (
            catalog.eu,
            "eur",
            True,
            20,
        )
        assert ctx.customer_group_ids == frozenset({catalog.group})
        with pytest.raises(MedusaError) as err:
            await pricing_context(tx, region_id="reg_nope")
        assert (err.value.type, err.value.message) == ("not_found", "Region with reg_nope was not found")
        with pytest.raises(MedusaError) as err:
            await pricing_context(tx, cart_id="cart_nope")
        assert err.value.type == "not_found"
        assert await price_variants(tx, [], ctx) == {}


async def test_a_bounded_number_of_queries(db: Database, catalog: Catalog) -> None:
    sale = await make_list(db, type="sale", status="active", groups=[catalog.group])
    await prices(db, catalog, sale, (catalog.v1, 1, "eur"), (catalog.v2, 1, "eur"), (catalog.v3, 1, "eur"))
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engines = {id(e.sync_engine): e.sync_engine for e in (db.reader, db.writer)}
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        async with db.read_session() as tx:
            ctx = await pricing_context(tx, region_id=catalog.eu, customer_id=catalog.customer)
            seen.clear()
            result = await price_variants(tx, [catalog.v1, catalog.v2, catalog.v3], ctx)
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)
    assert {v["calculated_price"] for v in result.values()} == {1}
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # prices with their lists, the lists' groups, the tax rates
