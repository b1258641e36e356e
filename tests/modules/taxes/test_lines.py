"""mercato.modules.taxes.lines.tax_lines_map: the system tax provider's lines for cart items and
shipping methods (product rates, product type rates, shipping option rates, else the region's
default rate named "default")."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert

from mercato.core.clock import utcnow
from mercato.db.registry import load_all_models
from mercato.db.session import Database
from mercato.modules.regions.models import Region
from mercato.modules.taxes.lines import tax_lines_map
from mercato.pricing.totals import TaxLine

TABLES = load_all_models().metadata.tables


async def _insert(db: Database, table: str, **values: Any) -> str:
    now = utcnow()
    if "created_at" in TABLES[table].columns:
        values.setdefault("created_at", now)
        values.setdefault("updated_at", now)
    async with db.write_session() as tx:
        await tx.execute(insert(TABLES[table]).values(**values))
        await tx.commit()
    return str(values.get("id"))


async def _world(db: Database) -> None:
    await _insert(db, "region", id="reg_t", name="reg_t", currency_code="usd", tax_rate=7.7)
    await _insert(db, "region", id="reg_o", name="reg_o", currency_code="usd", tax_rate=10)
    await _insert(db, "product_type", id="ptyp_books", value="books")
    await _insert(db, "product", id="prod_plain", title="p", handle="plain")
    await _insert(db, "product", id="prod_rated", title="r", handle="rated")
    await _insert(db, "product", id="prod_book", title="b", handle="book", type_id="ptyp_books")
    await _insert(db, "product", id="prod_both", title="x", handle="both", type_id="ptyp_books")
    for pid in ("prod_plain", "prod_rated", "prod_book", "prod_both"):
        await _insert(db, "product_variant", id=f"var_{pid}", title="v", product_id=pid, inventory_quantity=1)
    await _insert(db, "tax_rate", id="txr_reduced", name="Reduced", code="RED", rate=5.5, region_id="reg_t")
    await _insert(db, "tax_rate", id="txr_books", name="Books", code="BOOK", rate=2.1, region_id="reg_t")
    await _insert(db, "tax_rate", id="txr_other", name="Other", code="OTH", rate=1, region_id="reg_o")
    await _insert(db, "tax_rate", id="txr_ship", name="Ship", code="SHIP", rate=0, region_id="reg_t")
    await _insert(db, "product_tax_rate", product_id="prod_rated", rate_id="txr_reduced")
    await _insert(db, "product_tax_rate", product_id="prod_rated", rate_id="txr_other")  # other region
    await _insert(db, "product_tax_rate", product_id="prod_both", rate_id="txr_reduced")
    await _insert(db, "product_type_tax_rate", product_type_id="ptyp_books", rate_id="txr_books")
    profile = await _insert(db, "shipping_profile", id="sp_lines", name="lines", type="custom")
    await _insert(db, "fulfillment_provider", id="fp_lines", is_installed=True)
    for so in ("so_plain", "so_rated"):
        await _insert(
            db,
            "shipping_option",
            id=so,
            name=so,
            region_id="reg_t",
            profile_id=profile,
            provider_id="fp_lines",
            price_type="flat_rate",
            amount=100,
            data={},
        )
    await _insert(db, "shipping_tax_rate", shipping_option_id="so_rated", rate_id="txr_ship")


def item(id: str, **kw: Any) -> Any:
    return SimpleNamespace(
        id=id,
        is_return=kw.get("is_return", False),
        variant_id=kw.get("variant_id"),
        product_id=kw.get("product_id"),
    )


async def test_tax_lines_map(db: Database) -> None:
    await _world(db)
    default = TaxLine(rate=7.7, name="default", code="default")
    async with db.read_session() as tx:
        region = await tx.get(Region, "reg_t")
        result = await tax_lines_map(
            tx,
            region,
            [
                item("i_plain", variant_id="var_prod_plain"),
                item("i_rated", variant_id="var_prod_rated"),
                item("i_book", variant_id="var_prod_book"),
                item("i_both", product_id="prod_both"),
                item("i_custom"),
                item("i_return", variant_id="var_prod_rated", is_return=True),
            ],
            [
                SimpleNamespace(id="sm_plain", shipping_option_id="so_plain"),
                SimpleNamespace(id="sm_rated", shipping_option_id="so_rated"),
            ],
        )
    assert result.items == {
        "i_plain": [default],
        "i_rated": [TaxLine(rate=5.5, name="Reduced", code="RED")],
        "i_book": [TaxLine(rate=2.1, name="Books", code="BOOK")],
        "i_both": [
            TaxLine(rate=5.5, name="Reduced", code="RED"),
            TaxLine(rate=2.1, name="Books", code="BOOK"),
        ],
    }
    # the real-typed rates read back as JavaScript reads PostgreSQL's real (7.7, not 7.699999809265137)
    assert result.shipping_methods == {
        "sm_plain": [default],
        "sm_rated": [TaxLine(rate=0, name="Ship", code="SHIP")],
    }


async def test_tax_lines_map_empty(db: Database) -> None:
    await _world(db)
    async with db.read_session() as tx:
        region = await tx.get(Region, "reg_o")
        result = await tax_lines_map(tx, region, [item("i", variant_id="var_prod_rated")], [])
    assert result.items == {"i": [TaxLine(rate=1, name="Other", code="OTH")]}
    assert result.shipping_methods == {}
