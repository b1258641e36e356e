"""Discount arithmetic and the pure part of discount validation, as Medusa v1.20 does them
(DiscountService.calculateDiscountForLineItem, validateDiscountForCartOrThrow, hasReachedLimit,
hasNotStarted, hasExpired, isDisabled). No database: the conditions/region/customer checks that
need rows live in mercato.modules.discounts.cart_rules."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from mercato.core.errors import MedusaError
from mercato.pricing.taxes import js_round
from mercato.pricing.totals import (
    Discount,
    LineItem,
    TaxLinesMap,
    _resolve_item_lines,
    line_item_totals,
)


def line_item_discount_amount(
    discount: Discount,
    item: LineItem,
    items: Sequence[LineItem],
    *,
    tax_lines: TaxLinesMap | None = None,
) -> float:
    """The adjustment Medusa persists for `item` when `discount` is applied to a cart holding `items`.

    - the item does not allow discounts, or the discount is free shipping: 0
    - tax-inclusive item: the price it discounts is its tax-exclusive subtotal
    - percentage: round(price / 100 * value)
    - fixed, allocation "total": min(value, subtotal of discountable items) * price / that subtotal
      (fractional, as Medusa stores it in a numeric column)
    - fixed, allocation "item": value * quantity
    and never more than the item's price.
    """
    if not item.allow_discounts or discount.rule_type == "free_shipping":
        return 0
    full_price: float = item.unit_price * item.quantity
    if item.includes_tax:
        lines = _resolve_item_lines([item], True, tax_lines)
        full_price = line_item_totals(item, include_tax=True, tax_lines=lines.get(item.id)).subtotal

    adjustment: float
    if discount.rule_type == "percentage":
        adjustment = js_round((full_price / 100) * discount.value)
    elif discount.rule_type == "fixed" and discount.allocation == "total":
        discounted = [i for i in items if i.allow_discounts]
        lines = _resolve_item_lines(discounted, item.includes_tax, tax_lines)
        subtotal = 0
        for other in discounted:
            subtotal += line_item_totals(
                other, include_tax=item.includes_tax, tax_lines=lines.get(other.id)
            ).subtotal
        if subtotal == 0:
            return 0  # Medusa would compute NaN here (0 * Infinity)
        nominator = min(discount.value, subtotal)
        adjustment = nominator * (full_price / subtotal)
    else:
        adjustment = discount.value * item.quantity
    result = min(adjustment, full_price)
    return int(result) if float(result).is_integer() else result


def has_reached_limit(usage_count: int | None, usage_limit: int | None) -> bool:
    return bool(usage_limit) and (usage_count or 0) >= (usage_limit or 0)


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def has_not_started(starts_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    return starts_at is not None and _aware(starts_at) > now


def has_expired(ends_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    return ends_at is not None and _aware(ends_at) < now


def check_discount_usable(
    *,
    code: str,
    usage_count: int | None,
    usage_limit: int | None,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    is_disabled: bool,
    now: datetime.datetime | None = None,
    region_id: str | None = None,
    region_ids: Sequence[str] | None = None,
    customer_id: str | None = None,
    has_customer_group_condition: bool = False,
) -> None:
    """validateDiscountForCartOrThrow without the database, in Medusa's order and words:
    usage limit, not started, expired, disabled (not_allowed), then — when given — a customer-group
    condition without a customer (not_allowed) and the region (`region_ids` are the discount's, or its
    parent's for a dynamic code; invalid_data). The customer-group membership check needs rows:
    see mercato.modules.discounts.cart_rules."""
    now = _aware(now) if now is not None else datetime.datetime.now(datetime.UTC)
    if has_reached_limit(usage_count, usage_limit):
        raise MedusaError("not_allowed", f"Discount {code} has been used maximum allowed times")
    if has_not_started(starts_at, now):
        raise MedusaError("not_allowed", f"Discount {code} is not valid yet")
    if has_expired(ends_at, now):
        raise MedusaError("not_allowed", f"Discount {code} is expired")
    if is_disabled:
        raise MedusaError("not_allowed", f"The discount code {code} is disabled")
    if not customer_id and has_customer_group_condition:
        raise MedusaError("not_allowed", f"Discount {code} is only valid for specific customer")
    if region_ids is not None and region_id not in region_ids:
        raise MedusaError("invalid_data", "The discount is not available in current region")
