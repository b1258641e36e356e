"""Discounts applied to a cart: validation (DiscountService.validateDiscountForCartOrThrow,
isValidForRegion, canApplyForCustomer, DiscountConditionRepository.isValidForProduct /
canApplyForCustomer) and the line item adjustments Medusa persists
(LineItemAdjustmentService.generateAdjustments / createAdjustments, CartService.refreshAdjustments_).

Services only flush; the request's transaction commits."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import MedusaError
from mercato.modules.carts.models import LineItemAdjustment
from mercato.modules.customers.models import Customer, t_customer_group_customers
from mercato.modules.discounts.models import (
    Discount,
    DiscountCondition,
    DiscountConditionCustomerGroup,
    DiscountConditionProduct,
    DiscountConditionProductCollection,
    DiscountConditionProductTag,
    DiscountConditionProductType,
    DiscountRule,
    t_discount_regions,
)
from mercato.modules.products.models import Product, ProductVariant, t_product_tags
from mercato.pricing import totals as t
from mercato.pricing.discounts import check_discount_usable, line_item_discount_amount


async def _conditions(tx: AsyncSession, rule_id: str | None, cond_type: str | None = None) -> list[Any]:
    if not rule_id:
        return []
    query = select(DiscountCondition.id, DiscountCondition.type, DiscountCondition.operator).where(
        DiscountCondition.discount_rule_id == rule_id, DiscountCondition.deleted_at.is_(None)
    )
    if cond_type is not None:
        query = query.where(DiscountCondition.type == cond_type)
    return list((await tx.execute(query.order_by(DiscountCondition.created_at))).all())


async def _count(tx: AsyncSession, cond_type: str, condition_id: str, resource_id: str) -> int:
    """DiscountConditionRepository.queryConditionTable: rows of the condition matching the resource."""
    query: Any
    if cond_type == "products":
        query = (
            select(func.count())
            .select_from(DiscountConditionProduct)
            .join(
                Product,
                and_(DiscountConditionProduct.product_id == Product.id, Product.id == resource_id),
            )
            .where(DiscountConditionProduct.condition_id == condition_id)
        )
    elif cond_type == "product_types":
        query = (
            select(func.count())
            .select_from(DiscountConditionProductType)
            .join(
                Product,
                and_(
                    DiscountConditionProductType.product_type_id == Product.type_id, Product.id == resource_id
                ),
            )
            .where(DiscountConditionProductType.condition_id == condition_id)
        )
    elif cond_type == "product_collections":
        query = (
            select(func.count())
            .select_from(DiscountConditionProductCollection)
            .join(
                Product,
                and_(
                    DiscountConditionProductCollection.product_collection_id == Product.collection_id,
                    Product.id == resource_id,
                ),
            )
            .where(DiscountConditionProductCollection.condition_id == condition_id)
        )
    elif cond_type == "product_tags":
        query = (
            select(func.count())
            .select_from(DiscountConditionProductTag)
            .join(
                t_product_tags,
                and_(
                    DiscountConditionProductTag.product_tag_id == t_product_tags.c.product_tag_id,
                    t_product_tags.c.product_id == resource_id,
                ),
            )
            .where(DiscountConditionProductTag.condition_id == condition_id)
        )
    elif cond_type == "customer_groups":
        query = (
            select(func.count())
            .select_from(DiscountConditionCustomerGroup)
            .join(
                t_customer_group_customers,
                and_(
                    DiscountConditionCustomerGroup.customer_group_id
                    == t_customer_group_customers.c.customer_group_id,
                    t_customer_group_customers.c.customer_id == resource_id,
                ),
            )
            .where(DiscountConditionCustomerGroup.condition_id == condition_id)
        )
    else:
        return 0
    return int((await tx.execute(query)).scalar_one())


def _passes(operator: str, count: int) -> bool:
    if operator == "in" and count == 0:
        return False
    return not (operator == "not_in" and count > 0)


async def is_valid_for_product(
    tx: AsyncSession, discount_rule_id: str | None, product_id: str | None
) -> bool:
    """DiscountService.validateDiscountForProduct: custom items (no product) are not discounted;
    no conditions means valid for all; customer-group conditions are ignored here."""
    if not product_id:
        return False
    for condition in await _conditions(tx, discount_rule_id):
        if condition.type == "customer_groups":
            continue
        if not _passes(condition.operator, await _count(tx, condition.type, condition.id, product_id)):
            return False
    return True


async def can_apply_for_customer(
    tx: AsyncSession, discount_rule_id: str | None, customer_id: str | None
) -> bool:
    """DiscountService.canApplyForCustomer (404 when the customer does not exist)."""
    if not customer_id:
        return False
    found = await tx.scalar(
        select(Customer.id).where(Customer.id == customer_id, Customer.deleted_at.is_(None))
    )
    if found is None:
        raise MedusaError("not_found", f"Customer with id: {customer_id} was not found")
    for condition in await _conditions(tx, discount_rule_id, "customer_groups"):
        if not _passes(condition.operator, await _count(tx, "customer_groups", condition.id, customer_id)):
            return False
    return True


async def is_valid_for_region(tx: AsyncSession, discount: Any, region_id: str | None) -> bool:
    """DiscountService.isValidForRegion: a dynamic code uses its parent's regions."""
    owner = discount.parent_discount_id or discount.id
    found = await tx.scalar(
        select(t_discount_regions.c.region_id).where(
            t_discount_regions.c.discount_id == owner, t_discount_regions.c.region_id == region_id
        )
    )
    return found is not None


async def validate_discount_for_cart(tx: AsyncSession, discount: Any, cart: Any) -> None:
    """DiscountService.validateDiscountForCartOrThrow for one discount (or a list of them).

    discount: Discount ORM row (its rule/conditions are read here); cart: any object with
    `region_id` and `customer_id`."""
    discounts = discount if isinstance(discount, list | tuple) else [discount]
    for disc in discounts:
        customer_id = getattr(cart, "customer_id", None)
        group_conditions = await _conditions(tx, disc.rule_id, "customer_groups")
        owner = disc.parent_discount_id or disc.id
        region_ids = (
            await tx.execute(
                select(t_discount_regions.c.region_id).where(t_discount_regions.c.discount_id == owner)
            )
        ).scalars()
        check_discount_usable(
            code=disc.code,
            usage_count=disc.usage_count,
            usage_limit=disc.usage_limit,
            starts_at=disc.starts_at,
            ends_at=disc.ends_at,
            is_disabled=disc.is_disabled,
            region_id=cart.region_id,
            region_ids=list(region_ids),
            customer_id=customer_id,
            has_customer_group_condition=bool(group_conditions),
        )
        if customer_id and not await can_apply_for_customer(tx, disc.rule_id, customer_id):
            raise MedusaError("not_allowed", f"Discount {disc.code} is not valid for customer")


def to_discount(discount: Any) -> t.Discount:
    """A Discount ORM row (with `rule` loaded) as the pricing dataclass."""
    rule: DiscountRule = discount.rule
    return t.Discount(
        id=discount.id,
        code=discount.code,
        rule_type=rule.type,  # type: ignore[arg-type]
        value=rule.value,
        allocation=rule.allocation,  # type: ignore[arg-type]
        is_disabled=discount.is_disabled,
    )


def _pricing_item(item: Any, product_id: str | None) -> t.LineItem:
    return t.LineItem(
        id=item.id,
        unit_price=item.unit_price,
        quantity=item.quantity,
        includes_tax=bool(item.includes_tax),
        is_return=bool(item.is_return),
        allow_discounts=bool(item.allow_discounts),
        is_giftcard=bool(item.is_giftcard),
        variant_id=item.variant_id,
        product_id=product_id,
    )


async def line_item_adjustments(
    tx: AsyncSession, cart: Any, discounts: Sequence[Any]
) -> list[dict[str, Any]]:
    """LineItemAdjustmentService.createAdjustments(cart), without writing: one row per item the
    cart's first non-free-shipping discount applies to (amount != 0).

    cart: object with `items` (LineItem rows) and `region` (Region row; its rates decide the
    tax-exclusive price of tax-inclusive items). discounts: Discount rows with `rule` loaded."""
    from mercato.modules.taxes.lines import tax_lines_map

    items = list(getattr(cart, "items", None) or [])
    if not items or not discounts:
        return []
    discount = next((d for d in discounts if d.rule.type != "free_shipping"), None)
    if discount is None:
        return []

    variant_ids = sorted({i.variant_id for i in items if i.variant_id})
    product_of: dict[str, str] = {}
    if variant_ids:
        rows = await tx.execute(
            select(ProductVariant.id, ProductVariant.product_id).where(ProductVariant.id.in_(variant_ids))
        )
        product_of = {row[0]: row[1] for row in rows.all()}
    pricing_items = [_pricing_item(i, product_of.get(i.variant_id or "")) for i in items]
    lines: t.TaxLinesMap | None = None
    if any(i.includes_tax and i.allow_discounts and not i.is_return for i in pricing_items):
        lines = await tax_lines_map(tx, cart.region, pricing_items)

    rule = to_discount(discount)
    validity: dict[str | None, bool] = {}
    result: list[dict[str, Any]] = []
    for item in pricing_items:
        if not item.allow_discounts or item.is_return:
            continue
        if item.product_id not in validity:
            validity[item.product_id] = await is_valid_for_product(tx, discount.rule_id, item.product_id)
        if not validity[item.product_id]:
            continue
        amount = line_item_discount_amount(rule, item, pricing_items, tax_lines=lines)
        if amount == 0:
            continue
        result.append(
            {"item_id": item.id, "discount_id": discount.id, "amount": amount, "description": "discount"}
        )
    return result


def numeric(amount: float) -> decimal.Decimal:
    """A JS number as TypeORM writes it into a numeric column (its shortest repr)."""
    return decimal.Decimal(repr(float(amount)))


async def refresh_adjustments(
    tx: AsyncSession, cart: Any, discounts: Sequence[Any]
) -> list[LineItemAdjustment]:
    """CartService.refreshAdjustments_: drop the discount adjustments of the cart's non-return items
    and insert the freshly generated ones. Flushes; returns the new rows."""
    item_ids = [i.id for i in (getattr(cart, "items", None) or []) if not i.is_return]
    if item_ids:
        await tx.execute(
            delete(LineItemAdjustment).where(
                LineItemAdjustment.item_id.in_(item_ids), LineItemAdjustment.discount_id.is_not(None)
            )
        )
    rows = [
        LineItemAdjustment(
            item_id=r["item_id"],
            discount_id=r["discount_id"],
            amount=numeric(r["amount"]),
            description=r["description"],
        )
        for r in await line_item_adjustments(tx, cart, discounts)
    ]
    tx.add_all(rows)
    await tx.flush()
    return rows


__all__ = [
    "Discount",
    "can_apply_for_customer",
    "is_valid_for_product",
    "is_valid_for_region",
    "line_item_adjustments",
    "numeric",
    "refresh_adjustments",
    "to_discount",
    "validate_discount_for_cart",
]
