"""Cart and order totals, to the cent, as Medusa v1.20 computes them.

Pure functions over plain data: no database, no HTTP. Every consumer (carts, draft orders,
orders, swaps, claims, returns) gathers its rows into these inputs and renders the outputs,
so one implementation decides every amount Mercato shows or charges.

Authority: Medusa v1's NewTotalsService, TotalsService, TaxCalculationStrategy,
CartService.decorateTotals, OrderService.decorateTotals, DiscountService.calculateDiscountForLineItem,
GiftCardService. The tax-inclusive pricing feature is on (as in the reference server).

INTERFACE CONTRACT (other modules code against these names; extend with optional fields, never rename).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from mercato.pricing.taxes import calculate_price_tax_amount, js_round


@dataclass(frozen=True)
class TaxLine:
    """One tax line of a line item or a shipping method (Medusa's *_tax_line rows)."""

    rate: float
    name: str = ""
    code: str | None = None


@dataclass(frozen=True)
class LineItem:
    id: str
    unit_price: int
    quantity: int
    includes_tax: bool = False
    is_return: bool = False
    allow_discounts: bool = True
    is_giftcard: bool = False
    # Persisted tax lines (orders, or a cart whose taxes were computed); empty means "no tax".
    tax_lines: Sequence[TaxLine] = ()
    # Sum of this item's line_item_adjustment amounts per discount id (Medusa persists them when a
    # discount is applied to a cart; see line_item_discount_amount()).
    adjustments: Sequence[tuple[str | None, float]] = ()
    # For discount conditions and tax-rate overrides; not used by the arithmetic.
    variant_id: str | None = None
    product_id: str | None = None
    # Orders: quantity already returned (refundable uses quantity - returned_quantity).
    returned_quantity: int | None = None


@dataclass(frozen=True)
class ShippingMethod:
    id: str
    price: int
    includes_tax: bool = False
    tax_lines: Sequence[TaxLine] = ()


@dataclass(frozen=True)
class Discount:
    id: str
    code: str
    rule_type: Literal["fixed", "percentage", "free_shipping"]
    value: int
    allocation: Literal["total", "item"] | None = None
    is_disabled: bool = False


@dataclass(frozen=True)
class GiftCard:
    id: str
    balance: int
    tax_rate: float | None = None  # null when the gift card is not taxable


@dataclass(frozen=True)
class GiftCardTransaction:
    amount: int
    tax_rate: float | None = None
    is_taxable: bool | None = None
    # The transaction's gift_card.tax_rate (used for legacy rows where is_taxable is null).
    gift_card_tax_rate: float | None = None


@dataclass
class LineItemTotals:
    unit_price: int
    quantity: int
    subtotal: int
    discount_total: int
    total: int
    original_total: int
    original_tax_total: int
    tax_total: int
    raw_discount_total: float
    tax_lines: Sequence[TaxLine] = ()
    refundable: int | None = None  # set for order items


@dataclass
class ShippingMethodTotals:
    price: int
    subtotal: int
    total: int
    original_total: int
    original_tax_total: int
    tax_total: int
    tax_lines: Sequence[TaxLine] = ()


@dataclass
class Totals:
    """The cart/draft-order/order level totals, with per-item and per-method breakdowns."""

    subtotal: int = 0
    discount_total: int = 0
    raw_discount_total: float = 0
    item_tax_total: int = 0
    shipping_total: int = 0
    shipping_tax_total: int = 0
    gift_card_total: int = 0
    gift_card_tax_total: int = 0
    tax_total: int = 0
    total: int = 0
    # orders only (None for carts)
    paid_total: int | None = None
    refunded_total: int | None = None
    refundable_amount: int | None = None
    items: dict[str, LineItemTotals] = field(default_factory=dict)
    shipping_methods: dict[str, ShippingMethodTotals] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Computation (NewTotalsService, TaxCalculationStrategy, TotalsService.getAllocationMap,
# CartService.decorateTotals, OrderService.decorateTotals). The tax-inclusive flag is ON.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxLinesMap:
    """TaxProviderService.getTaxLinesMap's result: tax lines per item id and per shipping method id."""

    items: dict[str, list[TaxLine]] = field(default_factory=dict)
    shipping_methods: dict[str, list[TaxLine]] = field(default_factory=dict)


@dataclass(frozen=True)
class Allocation:
    """One entry of Medusa's allocation map (`allocation_map[item.id].discount`)."""

    amount: float
    unit_amount: float


def _num(value: float) -> int | float:
    """A JS number as Python shows it: integral floats become ints (money stays int)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rate_fraction(tax_lines: Sequence[TaxLine]) -> float:
    total = 0.0
    for line in tax_lines:
        total = total + (line.rate or 0) / 100
    return total


def _item_tax(item: LineItem, tax_lines: Sequence[TaxLine], discount_amount: float) -> int:
    """TaxCalculationStrategy.calculate([item], tax_lines, ctx) for one line item."""
    if item.includes_tax:
        tax_included = js_round(calculate_price_tax_amount(item.unit_price, _rate_fraction(tax_lines), True))
        taxable: float = (item.unit_price - tax_included) * item.quantity
    else:
        taxable = item.unit_price * item.quantity
    taxable -= discount_amount
    tax_total = 0
    for line in tax_lines:
        tax_total += js_round(calculate_price_tax_amount(taxable, line.rate / 100, False))
    return js_round(tax_total)


def _shipping_tax(method: ShippingMethod, tax_lines: Sequence[TaxLine]) -> int:
    """TaxCalculationStrategy.calculate([], tax_lines, {shipping_methods: [method]})."""
    tax_total = 0.0
    for line in tax_lines:
        tax_total += calculate_price_tax_amount(method.price, line.rate / 100, method.includes_tax)
    return js_round(tax_total)


def line_item_totals(
    item: LineItem,
    *,
    include_tax: bool = True,
    tax_lines: Sequence[TaxLine] | None = None,
    discount_amount: float = 0,
) -> LineItemTotals:
    """NewTotalsService.getLineItemTotals_ for one item (new tax system).

    `tax_lines` are the lines Medusa would fetch from the tax provider when the item has none
    persisted; they are used only when `include_tax` is true and `item.tax_lines` is empty.
    `discount_amount` is the item's allocation (raw, possibly fractional).
    """
    subtotal = 0 if item.includes_tax else item.unit_price * item.quantity
    discount_total = js_round(discount_amount)
    totals = LineItemTotals(
        unit_price=item.unit_price,
        quantity=item.quantity,
        subtotal=subtotal,
        discount_total=discount_total,
        total=subtotal - discount_total,
        original_total=subtotal,
        original_tax_total=0,
        tax_total=0,
        raw_discount_total=_num(discount_amount),
        tax_lines=tuple(item.tax_lines),
    )
    lines: Sequence[TaxLine] = tuple(item.tax_lines)
    if include_tax and not lines:
        lines = tuple(tax_lines or ())
        totals.tax_lines = lines
    if lines:
        totals.tax_total = _item_tax(item, lines, discount_amount)
        totals.original_tax_total = _item_tax(item, lines, 0)
        if item.includes_tax:
            totals.subtotal += item.unit_price * item.quantity - totals.original_tax_total
            totals.total += totals.subtotal
            totals.original_total += totals.subtotal
        totals.total += totals.tax_total
        totals.original_total += totals.original_tax_total
    return totals


def line_item_totals_legacy(item: LineItem, *, tax_rate: float, discount_amount: float = 0) -> LineItemTotals:
    """NewTotalsService.getLineItemTotalsLegacy (orders with a non-null, non-zero order.tax_rate)."""
    discount_total = js_round(discount_amount)
    rate = tax_rate / 100
    tax_included = (
        js_round(calculate_price_tax_amount(item.unit_price, rate, True)) if item.includes_tax else 0
    )
    subtotal = js_round((item.unit_price - tax_included) * item.quantity)
    original_total = 0 if item.includes_tax else item.unit_price * item.quantity
    original_tax_total = js_round(subtotal * rate)
    tax_total = js_round((subtotal - discount_total) * rate)
    if item.includes_tax:
        original_total += subtotal
    original_total += original_tax_total
    return LineItemTotals(
        unit_price=item.unit_price,
        quantity=item.quantity,
        subtotal=subtotal,
        discount_total=discount_total,
        total=subtotal + tax_total,
        original_total=original_total,
        original_tax_total=original_tax_total,
        tax_total=tax_total,
        raw_discount_total=_num(discount_amount),
        tax_lines=(),
    )


def _has_free_shipping(discounts: Sequence[Discount]) -> bool:
    return any(d.rule_type == "free_shipping" for d in discounts)


def shipping_method_totals(
    method: ShippingMethod,
    *,
    include_tax: bool = True,
    tax_lines: Sequence[TaxLine] | None = None,
    discounts: Sequence[Discount] = (),
) -> ShippingMethodTotals:
    """NewTotalsService.getShippingMethodTotals_ for one method (new tax system)."""
    totals = ShippingMethodTotals(
        price=method.price,
        subtotal=method.price,
        total=method.price,
        original_total=method.price,
        original_tax_total=0,
        tax_total=0,
        tax_lines=tuple(method.tax_lines),
    )
    lines: Sequence[TaxLine] = tuple(method.tax_lines)
    if include_tax and not lines:
        lines = tuple(tax_lines or ())
        totals.tax_lines = lines
    if lines:
        totals.original_tax_total = _shipping_tax(method, lines)
        totals.tax_total = totals.original_tax_total
        if method.includes_tax:
            totals.subtotal -= totals.tax_total
        else:
            totals.original_total += totals.original_tax_total
            totals.total += totals.tax_total
    if _has_free_shipping(discounts):
        totals.total = 0
        totals.subtotal = 0
        totals.tax_total = 0
    return totals


def shipping_method_totals_legacy(
    method: ShippingMethod, *, tax_rate: float, discounts: Sequence[Discount] = ()
) -> ShippingMethodTotals:
    """NewTotalsService.getShippingMethodTotalsLegacy (total does not include the tax, as Medusa)."""
    tax = js_round(method.price * (tax_rate / 100))
    totals = ShippingMethodTotals(
        price=method.price,
        subtotal=method.price,
        total=method.price,
        original_total=method.price,
        original_tax_total=tax,
        tax_total=tax,
        tax_lines=(),
    )
    if _has_free_shipping(discounts):
        totals.total = 0
        totals.subtotal = 0
        totals.tax_total = 0
    return totals


def allocation_map(items: Sequence[LineItem], discounts: Sequence[Discount]) -> dict[str, Allocation]:
    """TotalsService.getAllocationMap: per item, the adjustments of the cart's first non-free-shipping
    discount (only if the item allows discounts) plus its custom adjustments (discount_id null)."""
    discount = next((d for d in discounts if d.rule_type != "free_shipping"), None)
    result: dict[str, Allocation] = {}
    for item in items:
        amount: float = 0
        if discount is not None and item.allow_discounts:
            for discount_id, value in item.adjustments:
                if discount_id == discount.id:
                    amount += value
        custom: float = 0
        for discount_id, value in item.adjustments:
            if discount_id is None:
                custom += value
        adjustment = amount + custom
        if item.id in result:
            result[item.id] = Allocation(adjustment, adjustment / item.quantity)
        else:
            result[item.id] = Allocation(adjustment, js_round(adjustment / item.quantity))
    return result


def line_item_refund(
    item: LineItem, *, unit_discount: float = 0, discount_amount: float = 0, tax_rate: float | None = None
) -> int | float:
    """NewTotalsService.getLineItemRefund. `unit_discount` is the allocation's unit_amount (new tax
    system), `discount_amount` the allocation's amount (legacy path, order.tax_rate not null)."""
    if tax_rate is not None:
        included = (
            js_round(calculate_price_tax_amount(item.unit_price, tax_rate / 100, True))
            if item.includes_tax
            else 0
        )
        legacy_subtotal = (item.unit_price - included) * item.quantity - discount_amount
        return js_round(legacy_subtotal * (1 + tax_rate / 100))
    discount = (unit_discount or 0) * item.quantity
    included = (
        js_round(calculate_price_tax_amount(item.unit_price, _rate_fraction(item.tax_lines), True))
        if item.includes_tax
        else 0
    )
    line_subtotal = (item.unit_price - included) * item.quantity - discount
    tax_total = 0
    for line in item.tax_lines:
        tax_total += js_round(line_subtotal * (line.rate / 100))
    return _num(line_subtotal + tax_total)


def gift_cardable_amount(
    *, gift_cards_taxable: bool, subtotal: int, shipping_total: int, discount_total: int, tax_total: int
) -> int:
    """NewTotalsService.getGiftCardableAmount."""
    if gift_cards_taxable:
        return subtotal + shipping_total - discount_total
    return subtotal + shipping_total + tax_total - discount_total


def _resolve_item_lines(
    items: Sequence[LineItem], include_tax: bool, tax_lines: TaxLinesMap | None
) -> dict[str, Sequence[TaxLine]]:
    """getLineItemTotals: persisted lines when any item has some, else the provider's lines."""
    if not include_tax:
        return {}
    if any(item.tax_lines for item in items):
        return {item.id: tuple(item.tax_lines) for item in items}
    source = tax_lines.items if tax_lines is not None else {}
    return {item.id: tuple(source.get(item.id, ())) for item in items}


def _resolve_method_lines(
    methods: Sequence[ShippingMethod], include_tax: bool, tax_lines: TaxLinesMap | None
) -> dict[str, Sequence[TaxLine]]:
    if not include_tax:
        return {}
    if any(method.tax_lines for method in methods):
        return {method.id: tuple(method.tax_lines) for method in methods}
    source = tax_lines.shipping_methods if tax_lines is not None else {}
    return {method.id: tuple(source.get(method.id, ())) for method in methods}


def items_totals(
    items: Sequence[LineItem],
    *,
    include_tax: bool,
    allocations: dict[str, Allocation] | None = None,
    tax_lines: TaxLinesMap | None = None,
    tax_rate: float | None = None,
) -> dict[str, LineItemTotals]:
    """NewTotalsService.getLineItemTotals for several items (legacy path when tax_rate is truthy)."""
    allocations = allocations or {}
    result: dict[str, LineItemTotals] = {}
    if tax_rate:
        for item in items:
            alloc = allocations.get(item.id)
            result[item.id] = line_item_totals_legacy(
                item, tax_rate=tax_rate, discount_amount=alloc.amount if alloc else 0
            )
        return result
    lines = _resolve_item_lines(items, include_tax, tax_lines)
    for item in items:
        alloc = allocations.get(item.id)
        result[item.id] = line_item_totals(
            item,
            include_tax=include_tax,
            tax_lines=lines.get(item.id),
            discount_amount=alloc.amount if alloc else 0,
        )
    return result


def cart_totals(
    items: Sequence[LineItem],
    shipping_methods: Sequence[ShippingMethod],
    *,
    discounts: Sequence[Discount] = (),
    gift_cards: Sequence[GiftCard] = (),
    include_tax: bool,
    gift_cards_taxable: bool = True,
    region_tax_rate: float = 0,
    tax_lines: TaxLinesMap | None = None,
) -> Totals:
    """CartService.decorateTotals. `include_tax` = force_taxes or region.automatic_taxes; then
    `tax_lines` (the system provider's lines, see modules.taxes.lines.tax_lines_map) replace the
    items' (except returns) and methods' persisted lines, as Medusa does."""
    from mercato.pricing.gift_cards import gift_card_totals

    if include_tax:
        item_map = tax_lines.items if tax_lines is not None else {}
        method_map = tax_lines.shipping_methods if tax_lines is not None else {}
        items = [
            item if item.is_return else replace(item, tax_lines=tuple(item_map.get(item.id, ())))
            for item in items
        ]
        shipping_methods = [replace(m, tax_lines=tuple(method_map.get(m.id, ()))) for m in shipping_methods]
    allocations = allocation_map(items, discounts)
    per_item = items_totals(items, include_tax=include_tax, allocations=allocations, tax_lines=tax_lines)
    method_lines = _resolve_method_lines(shipping_methods, include_tax, tax_lines)
    per_method = {
        m.id: shipping_method_totals(
            m, include_tax=include_tax, tax_lines=method_lines.get(m.id), discounts=discounts
        )
        for m in shipping_methods
    }

    totals = Totals(items=per_item, shipping_methods=per_method)
    raw_discount: float = 0
    for item in items:
        it = per_item[item.id]
        totals.subtotal += it.subtotal
        raw_discount += it.raw_discount_total
        totals.item_tax_total += it.tax_total
    for m in shipping_methods:
        mt = per_method[m.id]
        totals.shipping_total += mt.subtotal
        totals.shipping_tax_total += mt.tax_total
    totals.tax_total = totals.item_tax_total + totals.shipping_tax_total
    totals.raw_discount_total = _num(raw_discount)
    totals.discount_total = js_round(raw_discount)

    amount = gift_cardable_amount(
        gift_cards_taxable=gift_cards_taxable,
        subtotal=totals.subtotal,
        shipping_total=totals.shipping_total,
        discount_total=totals.discount_total,
        tax_total=totals.tax_total,
    )
    gc_total, gc_tax = gift_card_totals(
        amount, gift_cards=gift_cards, gift_cards_taxable=gift_cards_taxable, region_tax_rate=region_tax_rate
    )
    totals.gift_card_total = gc_total or 0
    totals.gift_card_tax_total = gc_tax or 0
    totals.total = (
        totals.subtotal
        + totals.shipping_total
        + totals.tax_total
        - (totals.gift_card_total + totals.discount_total + totals.gift_card_tax_total)
    )
    return totals


def order_totals(
    items: Sequence[LineItem],
    shipping_methods: Sequence[ShippingMethod],
    *,
    discounts: Sequence[Discount] = (),
    gift_card_transactions: Sequence[GiftCardTransaction] = (),
    gift_cards: Sequence[GiftCard] = (),
    paid_total: int = 0,
    refunded_total: int = 0,
    tax_rate: float | None = None,
    gift_cards_taxable: bool = True,
    region_tax_rate: float = 0,
    additional_items: Sequence[LineItem] = (),
    tax_lines: TaxLinesMap | None = None,
) -> Totals:
    """OrderService.decorateTotals (new path). Items carry their persisted tax lines; `tax_rate` is
    order.tax_rate (legacy arithmetic when truthy). `paid_total` = sum of order.payments amounts,
    `refunded_total` = sum of order.refunds amounts. `additional_items` (swaps'/claims' additional
    items) get per-item totals and `refundable` but are not summed into the order."""
    from mercato.pricing.gift_cards import gift_card_totals

    all_items = [*items, *additional_items]
    allocations = allocation_map(all_items, discounts)
    per_item = items_totals(
        all_items, include_tax=True, allocations=allocations, tax_lines=tax_lines, tax_rate=tax_rate
    )
    if tax_rate:
        per_method = {
            m.id: shipping_method_totals_legacy(m, tax_rate=tax_rate, discounts=discounts)
            for m in shipping_methods
        }
    else:
        method_lines = _resolve_method_lines(shipping_methods, True, tax_lines)
        per_method = {
            m.id: shipping_method_totals(
                m, include_tax=True, tax_lines=method_lines.get(m.id), discounts=discounts
            )
            for m in shipping_methods
        }

    totals = Totals(items=per_item, shipping_methods=per_method)
    totals.refunded_total = js_round(refunded_total) or 0
    totals.paid_total = paid_total or 0
    totals.refundable_amount = totals.paid_total - totals.refunded_total or 0

    for item in all_items:
        remaining = replace(item, quantity=item.quantity - (item.returned_quantity or 0))
        alloc = allocations.get(item.id)
        refundable = line_item_refund(
            remaining,
            unit_discount=alloc.unit_amount if alloc else 0,
            discount_amount=alloc.amount if alloc else 0,
            tax_rate=tax_rate,
        )
        per_item[item.id].refundable = refundable  # type: ignore[assignment]

    raw_discount: float = 0
    for item in items:
        it = per_item[item.id]
        totals.subtotal += it.subtotal
        raw_discount += it.raw_discount_total
        totals.item_tax_total += it.tax_total
    for m in shipping_methods:
        mt = per_method[m.id]
        totals.shipping_total += mt.subtotal
        totals.shipping_tax_total += mt.tax_total
    totals.tax_total = totals.item_tax_total + totals.shipping_tax_total

    # Medusa computes the gift-cardable amount with the UNROUNDED discount sum here.
    amount = gift_cardable_amount(
        gift_cards_taxable=gift_cards_taxable,
        subtotal=totals.subtotal,
        shipping_total=totals.shipping_total,
        discount_total=raw_discount,  # type: ignore[arg-type]
        tax_total=totals.tax_total,
    )
    gc_total, gc_tax = gift_card_totals(
        amount,
        gift_cards=gift_cards,
        gift_card_transactions=gift_card_transactions,
        gift_cards_taxable=gift_cards_taxable,
        region_tax_rate=region_tax_rate,
    )
    totals.gift_card_total = gc_total or 0
    totals.gift_card_tax_total = gc_tax or 0
    totals.tax_total -= totals.gift_card_tax_total
    totals.raw_discount_total = _num(raw_discount)
    totals.discount_total = js_round(raw_discount)
    totals.total = (
        totals.subtotal
        + totals.shipping_total
        + totals.tax_total
        - (totals.gift_card_total + totals.discount_total)
    )
    return totals
