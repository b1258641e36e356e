"""mercato.modules.discounts.cart_rules: discount validation for a cart (Medusa's
validateDiscountForCartOrThrow, conditions in/not_in on products, types, collections, tags and
customer groups) and the line item adjustments Medusa persists for a cart's discount."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError
from mercato.db.registry import load_all_models
from mercato.db.session import Database
from mercato.modules.carts.models import LineItemAdjustment
from mercato.modules.discounts import cart_rules
from mercato.modules.discounts.models import Discount
from mercato.modules.regions.models import Region

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


async def _discount(
    db: Database,
    code: str,
    rule_type: str = "percentage",
    value: int = 10,
    allocation: str = "total",
    regions: tuple[str, ...] = ("reg_a",),
    conditions: tuple[tuple[str, str, str, list[str]], ...] = (),
    **kw: Any,
) -> str:
    rule = await _insert(
        db, "discount_rule", id=f"dru_{code}", type=rule_type, value=value, allocation=allocation
    )
    kw.setdefault("is_disabled", False)
    did = await _insert(db, "discount", id=f"disc_{code}", code=code, is_dynamic=False, rule_id=rule, **kw)
    for region in regions:
        await _insert(db, "discount_regions", discount_id=did, region_id=region)
    join = {
        "products": ("discount_condition_product", "product_id"),
        "product_types": ("discount_condition_product_type", "product_type_id"),
        "product_collections": ("discount_condition_product_collection", "product_collection_id"),
        "product_tags": ("discount_condition_product_tag", "product_tag_id"),
        "customer_groups": ("discount_condition_customer_group", "customer_group_id"),
    }
    for n, (ctype, operator, _, ids) in enumerate(conditions):
        cid = await _insert(
            db,
            "discount_condition",
            id=f"discon_{code}_{n}",
            type=ctype,
            operator=operator,
            discount_rule_id=rule,
        )
        table, column = join[ctype]
        for rid in ids:
            await _insert(db, table, condition_id=cid, **{column: rid})
    return did


@pytest.fixture
async def world(db: Database) -> None:
    await _insert(db, "region", id="reg_a", name="a", currency_code="usd", tax_rate=20)
    await _insert(db, "region", id="reg_b", name="b", currency_code="usd", tax_rate=0)
    await _insert(db, "product_type", id="ptyp_1", value="t1")
    await _insert(db, "product_collection", id="pcol_1", title="c1")
    await _insert(db, "product_tag", id="ptag_1", value="tag1")
    await _insert(
        db, "product", id="prod_1", title="p1", handle="p1", type_id="ptyp_1", collection_id="pcol_1"
    )
    await _insert(db, "product", id="prod_2", title="p2", handle="p2")
    await _insert(db, "product_tags", product_id="prod_1", product_tag_id="ptag_1")
    for pid in ("prod_1", "prod_2"):
        await _insert(db, "product_variant", id=f"var_{pid}", title="v", product_id=pid, inventory_quantity=1)
    await _insert(db, "customer", id="cus_in", email="in@x.com")
    await _insert(db, "customer", id="cus_out", email="out@x.com")
    await _insert(db, "customer_group", id="cgrp_1", name="vip")
    await _insert(db, "customer_group_customers", customer_group_id="cgrp_1", customer_id="cus_in")


async def _load(db: Database, did: str) -> Any:
    async with db.read_session() as tx:
        return (
            await tx.execute(select(Discount).where(Discount.id == did).options(selectinload(Discount.rule)))
        ).scalar_one()


async def _validate(db: Database, did: str, region_id: str = "reg_a", customer_id: str | None = None) -> None:
    discount = await _load(db, did)
    async with db.read_session() as tx:
        await cart_rules.validate_discount_for_cart(
            tx, discount, SimpleNamespace(region_id=region_id, customer_id=customer_id)
        )


async def _error(db: Database, did: str, **kw: Any) -> tuple[str, str]:
    with pytest.raises(MedusaError) as err:
        await _validate(db, did, **kw)
    return err.value.type, err.value.message


async def test_validate_dates_limit_disabled_region(db: Database, world: None) -> None:
    now = utcnow()
    ok = await _discount(db, "OK")
    await _validate(db, ok)
    used = await _discount(db, "USED", usage_limit=2, usage_count=2)
    assert await _error(db, used) == ("not_allowed", "Discount USED has been used maximum allowed times")
    future = await _discount(db, "SOON", starts_at=now + datetime.timedelta(days=1))
    assert await _error(db, future) == ("not_allowed", "Discount SOON is not valid yet")
    past = await _discount(db, "OLD", ends_at=now - datetime.timedelta(days=1))
    assert await _error(db, past) == ("not_allowed", "Discount OLD is expired")
    off = await _discount(db, "OFF", is_disabled=True)
    assert await _error(db, off) == ("not_allowed", "The discount code OFF is disabled")
    assert await _error(db, ok, region_id="reg_b") == (
        "invalid_data",
        "The discount is not available in current region",
    )
    # a dynamic code uses its parent's regions
    await _insert(
        db,
        "discount",
        id="disc_DYN",
        code="DYN",
        is_dynamic=True,
        is_disabled=False,
        rule_id="dru_OK",
        parent_discount_id=ok,
    )
    await _validate(db, "disc_DYN")


async def test_validate_customer_groups(db: Database, world: None) -> None:
    only_vip = await _discount(db, "VIP", conditions=(("customer_groups", "in", "", ["cgrp_1"]),))
    assert await _error(db, only_vip) == ("not_allowed", "Discount VIP is only valid for specific customer")
    await _validate(db, only_vip, customer_id="cus_in")
    assert await _error(db, only_vip, customer_id="cus_out") == (
        "not_allowed",
        "Discount VIP is not valid for customer",
    )
    not_vip = await _discount(db, "NOVIP", conditions=(("customer_groups", "not_in", "", ["cgrp_1"]),))
    await _validate(db, not_vip, customer_id="cus_out")
    assert await _error(db, not_vip, customer_id="cus_in") == (
        "not_allowed",
        "Discount NOVIP is not valid for customer",
    )
    assert await _error(db, not_vip, customer_id="cus_nope") == (
        "not_found",
        "Customer with id: cus_nope was not found",
    )


@pytest.mark.parametrize(
    ("ctype", "operator", "ids", "valid1", "valid2"),
    [
        ("products", "in", ["prod_1"], True, False),
        ("products", "not_in", ["prod_1"], False, True),
        ("product_types", "in", ["ptyp_1"], True, False),
        ("product_collections", "in", ["pcol_1"], True, False),
        ("product_collections", "not_in", ["pcol_1"], False, True),
        ("product_tags", "in", ["ptag_1"], True, False),
        ("product_tags", "not_in", ["ptag_1"], False, True),
        ("customer_groups", "in", ["cgrp_1"], True, True),  # ignored for products
    ],
)
async def test_is_valid_for_product(
    db: Database, world: None, ctype: str, operator: str, ids: list[str], valid1: bool, valid2: bool
) -> None:
    await _discount(db, "C", conditions=((ctype, operator, "", ids),))
    async with db.read_session() as tx:
        assert await cart_rules.is_valid_for_product(tx, "dru_C", "prod_1") is valid1
        assert await cart_rules.is_valid_for_product(tx, "dru_C", "prod_2") is valid2
        assert await cart_rules.is_valid_for_product(tx, "dru_C", None) is False


def _item(id: str, price: int, qty: int, variant: str | None, **kw: Any) -> Any:
    return SimpleNamespace(
        id=id,
        unit_price=price,
        quantity=qty,
        variant_id=variant,
        includes_tax=kw.get("includes_tax", False),
        is_return=kw.get("is_return", False),
        allow_discounts=kw.get("allow_discounts", True),
        is_giftcard=False,
    )


async def test_line_item_adjustments(db: Database, world: None) -> None:
    items = [
        _item("i1", 1999, 1, "var_prod_1"),
        _item("i2", 333, 3, "var_prod_2"),
        _item("i3", 1000, 1, "var_prod_1", allow_discounts=False),
        _item("i4", 500, 1, None),  # custom item: never discounted
        _item("i5", 1200, 1, "var_prod_1", includes_tax=True),  # 20% included: priced 1000
    ]
    fixed = await _discount(db, "FIX", rule_type="fixed", value=1000, allocation="total")
    pct = await _discount(db, "PCT", conditions=(("products", "in", "", ["prod_1"]),))
    free = await _discount(db, "FREE", rule_type="free_shipping", value=0)
    async with db.read_session() as tx:
        region = await tx.get(Region, "reg_a")
        cart = SimpleNamespace(items=items, region=region)
        rows = await cart_rules.line_item_adjustments(
            tx, cart, [await _load(db, free), await _load(db, fixed)]
        )
        # Medusa computes the discountable subtotal with includeTax = the CURRENT item's includes_tax:
        # for tax-exclusive items the inclusive item (no persisted tax lines) counts 0 -> 1999+999+500;
        # for the inclusive item every item is taxed -> 1999 + 999 + 500 + 1000 = 4498.
        # (custom items count in the subtotal but never get an adjustment)
        assert rows == [
            {
                "item_id": "i1",
                "discount_id": fixed,
                "amount": 1000 * (1999 / 3498),
                "description": "discount",
            },
            {"item_id": "i2", "discount_id": fixed, "amount": 1000 * (999 / 3498), "description": "discount"},
            {
                "item_id": "i5",
                "discount_id": fixed,
                "amount": 1000 * (1000 / 4498),
                "description": "discount",
            },
        ]
        rows = await cart_rules.line_item_adjustments(tx, cart, [await _load(db, pct)])
        assert rows == [
            {"item_id": "i1", "discount_id": pct, "amount": 200, "description": "discount"},
            {"item_id": "i5", "discount_id": pct, "amount": 100, "description": "discount"},
        ]
        assert await cart_rules.line_item_adjustments(tx, cart, [await _load(db, free)]) == []


async def test_refresh_adjustments_replaces_discount_rows(db: Database, world: None) -> None:
    await _insert(db, "cart", id="cart_1", region_id="reg_a")
    await _insert(
        db,
        "line_item",
        id="item_1",
        title="t",
        unit_price=1000,
        quantity=3,
        cart_id="cart_1",
        variant_id="var_prod_2",
    )
    pct = await _discount(db, "P15", value=15)
    old = await _discount(db, "OLDD", value=50)
    await _insert(
        db,
        "line_item_adjustment",
        id="lia_old",
        item_id="item_1",
        description="discount",
        amount=1500,
        discount_id=old,
    )
    await _insert(
        db,
        "line_item_adjustment",
        id="lia_custom",
        item_id="item_1",
        description="custom",
        amount=7,
        discount_id=None,
    )
    async with db.write_session() as tx:
        region = await tx.get(Region, "reg_a")
        cart = SimpleNamespace(items=[_item("item_1", 1000, 3, "var_prod_2")], region=region)
        await cart_rules.refresh_adjustments(tx, cart, [await _load(db, pct)])
        await tx.commit()
    async with db.read_session() as tx:
        rows = (
            (await tx.execute(select(LineItemAdjustment).order_by(LineItemAdjustment.amount))).scalars().all()
        )
        got = [(r.item_id, r.discount_id, float(r.amount), r.description) for r in rows]
    assert got == [("item_1", None, 7.0, "custom"), ("item_1", pct, 450.0, "discount")]


async def test_numeric_round_trip() -> None:
    value = 1000 * (1999 / 4498)
    assert float(cart_rules.numeric(value)) == value
