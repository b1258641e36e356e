"""Price selection: which of a variant's money amounts apply in a context, and which one is charged.

Medusa v1's PriceSelectionStrategy (strategies/price-selection.ts, `calculateVariantPrice_new` with
tax-inclusive pricing on, `_old` with it off), the candidate filter of
MoneyAmountRepository.findManyForVariantsInRegion and PricingService's tax decoration, as pure
functions over plain values (no database, no HTTP).

Where Mercato deliberately differs from Medusa 1.20 (docs/compatibility.md):
- an `override` price list wins even when it is higher than the default price (Medusa 1.20 keeps
  the lowest price whatever the list type, so an override list can only lower a price);
- a price bound to another region never applies, even when its currency matches (Medusa #6091);
- within one price list, of several quantity tiers that all contain the quantity, the tightest
  bracket applies (Medusa takes the lowest amount); across sources, a sale price applies only if
  lower, as in Medusa;
- equal amounts: the default price wins a tie with a sale price (Medusa: whichever row the
  database returned first).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mercato.pricing.taxes import calculate_price_tax_amount, js_round, tax_rate_sum

SALE = "sale"
OVERRIDE = "override"
DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class PriceListRef:
    """What price selection needs of a price list."""

    id: str
    type: str = SALE
    status: str = "active"
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    customer_group_ids: frozenset[str] = frozenset()
    includes_tax: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """One money amount of a variant (a default price, or a price of a price list)."""

    id: str
    currency_code: str
    amount: int
    region_id: str | None = None
    min_quantity: int | None = None
    max_quantity: int | None = None
    price_list: PriceListRef | None = None
    # currency.includes_tax and region.includes_tax of the price's own currency and region
    currency_includes_tax: bool = False
    region_includes_tax: bool = False

    @property
    def price_list_id(self) -> str | None:
        return self.price_list.id if self.price_list is not None else None


@dataclass(frozen=True, slots=True)
class PricingContext:
    """Medusa's PriceSelectionContext as collected by PricingService.collectPricingContext.

    `customer_group_ids` is None when no customer is known (Medusa: no customer_id); with a
    customer, the groups it belongs to (possibly none). With a region, `currency_code` is the
    region's currency. `automatic_taxes` is the region's flag: taxes are only decorated then."""

    region_id: str | None = None
    currency_code: str | None = None
    customer_group_ids: frozenset[str] | None = None
    quantity: int | None = None
    include_discount_prices: bool = False
    automatic_taxes: bool = False
    # the region's own rate, the default when a product has no specific tax rates
    region_tax_rate: float | None = None
    tax_inclusive_pricing: bool = True


@dataclass(slots=True)
class PriceSelection:
    """PriceSelectionResult."""

    original_price: int | None = None
    calculated_price: int | None = None
    calculated_price_type: str | None = None
    original_price_includes_tax: bool | None = None
    calculated_price_includes_tax: bool | None = None
    chosen: Candidate | None = None


@dataclass(slots=True)
class TaxedPricing:
    original_tax: int | None = None
    calculated_tax: int | None = None
    original_price_incl_tax: int | None = None
    calculated_price_incl_tax: int | None = None
    tax_rates: list[Any] | None = None


@dataclass(slots=True)
class VariantPricing:
    """Everything Medusa's PricingService assigns onto a variant (`Object.assign(variant, pricing)`)."""

    prices: list[Candidate] = field(default_factory=list)
    original_price: int | None = None
    calculated_price: int | None = None
    calculated_price_type: str | None = None
    original_price_includes_tax: bool | None = None
    calculated_price_includes_tax: bool | None = None
    original_price_incl_tax: int | None = None
    calculated_price_incl_tax: int | None = None
    original_tax: int | None = None
    calculated_tax: int | None = None
    tax_rates: list[Any] | None = None

    def fields(self) -> dict[str, Any]:
        """The scalar keys as Medusa serialises them (`calculated_price_type` is left out when no
        price was calculated: it is `undefined` there). `prices` is the caller's to present."""
        out: dict[str, Any] = {
            "original_price": self.original_price,
            "calculated_price": self.calculated_price,
        }
        if self.calculated_price_type is not None:
            out["calculated_price_type"] = self.calculated_price_type
        out.update(
            original_price_includes_tax=self.original_price_includes_tax,
            calculated_price_includes_tax=self.calculated_price_includes_tax,
            original_price_incl_tax=self.original_price_incl_tax,
            calculated_price_incl_tax=self.calculated_price_incl_tax,
            original_tax=self.original_tax,
            calculated_tax=self.calculated_tax,
            tax_rates=self.tax_rates,
        )
        return out


# ---- which money amounts are candidates (the repository's WHERE clause) ----------------------


def price_list_applies(
    price_list: PriceListRef, customer_group_ids: frozenset[str] | None, now: datetime.datetime
) -> bool:
    """Active, within its dates, and open to everyone or to one of the customer's groups."""
    if price_list.status != "active":
        return False
    if price_list.ends_at is not None and not price_list.ends_at > now:
        return False
    if price_list.starts_at is not None and not price_list.starts_at < now:
        return False
    if not price_list.customer_group_ids:
        return True
    return customer_group_ids is not None and not price_list.customer_group_ids.isdisjoint(customer_group_ids)


def _matches_market(price: Candidate, ctx: PricingContext, *, loose: bool) -> bool:
    """The price is for the context's region, or for its currency: `loose`, whatever region it is
    bound to (Medusa's findManyForVariantsInRegion); otherwise only when bound to no region."""
    if ctx.region_id is not None and price.region_id == ctx.region_id:
        return True
    return (
        ctx.currency_code is not None
        and price.currency_code == ctx.currency_code
        and (loose or price.region_id is None)
    )


def _applicable(prices: Iterable[Candidate], ctx: PricingContext, now: datetime.datetime) -> list[Candidate]:
    """The prices whose list (if any) applies to the context's customer and moment."""
    out: list[Candidate] = []
    has_market = ctx.region_id is not None or ctx.currency_code is not None
    for price in prices:
        if price.price_list is not None:
            if not price_list_applies(price.price_list, ctx.customer_group_ids, now):
                continue
            if not has_market and ctx.customer_group_ids is None and not ctx.include_discount_prices:
                continue
        out.append(price)
    return out


def _listed(applicable: list[Candidate], ctx: PricingContext) -> list[Candidate]:
    """findManyForVariantsInRegion's filter: the prices a variant shows (`prices`), every price of
    the context's region or currency, whichever region that one is bound to."""
    if ctx.region_id is None and ctx.currency_code is None:
        return applicable
    return [p for p in applicable if _matches_market(p, ctx, loose=True)]


def _chosen_from(applicable: list[Candidate], ctx: PricingContext) -> list[Candidate]:
    if ctx.region_id is None:
        return _listed(applicable, ctx)
    strict = [p for p in applicable if _matches_market(p, ctx, loose=False)]
    return strict or _listed(applicable, ctx)


def candidates(prices: Iterable[Candidate], ctx: PricingContext, now: datetime.datetime) -> list[Candidate]:
    """The prices a variant's price is chosen from.

    Medusa chooses among every price in the context's currency, whichever region it is bound to,
    so a region's price leaks into every other region of that currency and the lowest wins
    (Medusa #6091). With a region, Mercato keeps to the region's prices and the currency's
    unbound ones, and falls back to Medusa's rule only when there is none of those (Medusa's own
    test "gets prices for currency if no region prices exist"). Without a region, Medusa's rule."""
    return _chosen_from(_applicable(prices, ctx, now), ctx)


# ---- quantity --------------------------------------------------------------------------------


def valid_quantity(price: Candidate, quantity: int | None) -> bool:
    """isValidQuantity: with a quantity, the bracket contains it (0 and null bounds are open);
    without one, only unbracketed prices or brackets starting at the first unit."""
    if quantity is None:
        return (not price.max_quantity and not price.min_quantity) or (
            not price.min_quantity and bool(price.max_quantity)
        )
    return (not price.min_quantity or price.min_quantity <= quantity) and (
        not price.max_quantity or price.max_quantity >= quantity
    )


def bracket_width(price: Candidate) -> float:
    low = price.min_quantity or 0
    high = price.max_quantity or math.inf
    return high - low


def _tightest(prices: Sequence[Candidate]) -> list[Candidate]:
    """Of one price list's tiers that all contain the quantity, those of the narrowest bracket."""
    if not prices:
        return []
    narrowest = min(bracket_width(p) for p in prices)
    return [p for p in prices if bracket_width(p) == narrowest]


# ---- choosing ----------------------------------------------------------------------------------


def _includes_tax(price: Candidate) -> bool:
    """A price list's setting, else the region's for a region price, else the currency's."""
    included = price.currency_includes_tax
    if price.price_list is not None and price.price_list.includes_tax:
        included = True
    elif price.region_includes_tax:
        included = True
    return included


def _is_lower(
    amount: int,
    includes_tax: bool,
    current: int | None,
    current_includes_tax: bool | None,
    rate: float | None,
) -> bool:
    """isValidAmount: lower than the price chosen so far, comparing tax-inclusive with
    tax-exclusive amounts through the combined rate (impossible without a rate)."""
    if current is None:
        return True
    if includes_tax == current_includes_tax:
        return amount < current
    if rate is not None:
        return amount < (1 + rate) * current if includes_tax else (1 + rate) * amount < current
    return False


def select_price(
    prices: Sequence[Candidate], ctx: PricingContext, rate: float | None = None
) -> PriceSelection:
    """The strategy's loop over a variant's candidates.

    `rate` is the combined tax rate (a fraction) of the region's rates for the product, or None
    when unknown (then a tax-inclusive and a tax-exclusive price cannot be compared)."""
    result = PriceSelection()
    tax_aware = ctx.tax_inclusive_pricing
    # a fixed order (Medusa: whatever order the database returned) makes duplicates deterministic;
    # region prices first, as Medusa stores a variant's region prices before its currency prices
    # (of two equal prices, the first stays chosen)
    prices = sorted(prices, key=lambda p: (p.region_id is None, p.id))
    for price in prices:
        if price.price_list is None and price.min_quantity is None and price.max_quantity is None:
            region_price = ctx.region_id is not None and price.region_id == ctx.region_id
            currency_price = (
                ctx.currency_code is not None
                and price.currency_code == ctx.currency_code
                and result.original_price is None
            )
            if region_price or currency_price:
                result.original_price = price.amount
                result.original_price_includes_tax = _includes_tax(price) if tax_aware else None

    # `prices` are candidates(): the market rule is theirs; this only keeps out other currencies
    valid = [p for p in prices if valid_quantity(p, ctx.quantity) and _matches_market(p, ctx, loose=True)]
    defaults = [p for p in valid if p.price_list is None]
    by_list: dict[str, list[Candidate]] = {}
    for p in valid:
        if p.price_list is not None:
            by_list.setdefault(p.price_list.id, []).append(p)
    overrides: list[Candidate] = []
    sales: list[Candidate] = []
    for list_prices in by_list.values():
        chosen = _tightest(list_prices)
        assert list_prices[0].price_list is not None
        (overrides if list_prices[0].price_list.type == OVERRIDE else sales).extend(chosen)

    # an override list replaces the price; otherwise the lowest of the default and sale prices
    pool = overrides if overrides else defaults + sales
    for price in pool:
        included = _includes_tax(price) if tax_aware else False
        current_included = result.calculated_price_includes_tax if tax_aware else False
        if _is_lower(
            price.amount, included, result.calculated_price, current_included, rate if tax_aware else None
        ):
            result.calculated_price = price.amount
            result.calculated_price_type = price.price_list.type if price.price_list is not None else DEFAULT
            result.calculated_price_includes_tax = included if tax_aware else None
            result.chosen = price
    return result


def calculate_taxes(
    selection: PriceSelection, tax_rates: Sequence[Mapping[str, Any]], tax_inclusive_pricing: bool = True
) -> TaxedPricing:
    """PricingService.calculateTaxes: the tax in (or on top of) each price, and each price with tax."""
    rate = tax_rate_sum(tax_rates)
    taxed = TaxedPricing(tax_rates=list(tax_rates))
    if selection.calculated_price is not None:
        included = bool(tax_inclusive_pricing and selection.calculated_price_includes_tax)
        taxed.calculated_tax = js_round(
            calculate_price_tax_amount(selection.calculated_price, rate, included)
        )
        taxed.calculated_price_incl_tax = (
            selection.calculated_price
            if selection.calculated_price_includes_tax
            else selection.calculated_price + taxed.calculated_tax
        )
    if selection.original_price is not None:
        included = bool(tax_inclusive_pricing and selection.original_price_includes_tax)
        taxed.original_tax = js_round(calculate_price_tax_amount(selection.original_price, rate, included))
        taxed.original_price_incl_tax = (
            selection.original_price
            if selection.original_price_includes_tax
            else selection.original_price + taxed.original_tax
        )
    return taxed


def price_variant(
    prices: Iterable[Candidate],
    ctx: PricingContext,
    now: datetime.datetime,
    tax_rates: Sequence[Mapping[str, Any]] | None = None,
) -> VariantPricing | None:
    """A variant's pricing in a context, as PricingService decorates it.

    `tax_rates` are the region's rates for the variant's product (TaxProviderService.
    getRegionRatesForProduct: the product's and its type's rates, else the region's default
    `{rate, name: "default", code: "default"}`); they are used only with a region.

    None when no price is a candidate: Medusa then leaves the variant undecorated (no pricing keys,
    its own `prices` relation untouched)."""
    applicable = _applicable(prices, ctx, now)
    found = _chosen_from(applicable, ctx)
    if not found:
        return None
    with_region = ctx.region_id is not None
    rates = list(tax_rates) if (tax_rates is not None and with_region) else None
    rate = tax_rate_sum(rates) if rates is not None else None
    selection = select_price(found, ctx, rate)
    pricing = VariantPricing(
        prices=_listed(applicable, ctx),
        original_price=selection.original_price,
        calculated_price=selection.calculated_price,
        calculated_price_type=selection.calculated_price_type,
        original_price_includes_tax=selection.original_price_includes_tax,
        calculated_price_includes_tax=selection.calculated_price_includes_tax,
    )
    if ctx.automatic_taxes and with_region:
        taxed = calculate_taxes(selection, rates or [], ctx.tax_inclusive_pricing)
        pricing.original_tax = taxed.original_tax
        pricing.calculated_tax = taxed.calculated_tax
        pricing.original_price_incl_tax = taxed.original_price_incl_tax
        pricing.calculated_price_incl_tax = taxed.calculated_price_incl_tax
        pricing.tax_rates = taxed.tax_rates
    return pricing
