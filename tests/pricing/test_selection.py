"""Price selection (mercato.pricing.selection): Medusa's PriceSelectionStrategy cases, the taxes
PricingService adds, and properties that must hold for any set of prices."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.pricing.selection import (
    Candidate,
    PriceListRef,
    PricingContext,
    calculate_taxes,
    candidates,
    price_variant,
    select_price,
    valid_quantity,
)
from mercato.pricing.taxes import calculate_price_tax_amount, float4, js_round, tax_rate_sum

NOW = datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
EU = PricingContext(region_id="reg_eu", currency_code="eur")
SALE = PriceListRef(id="pl_sale", type="sale")
SALE2 = PriceListRef(id="pl_sale2", type="sale")
OVERRIDE = PriceListRef(id="pl_over", type="override")


def price(
    amount: int,
    *,
    id: str | None = None,
    currency: str = "eur",
    region: str | None = None,
    lst: PriceListRef | None = None,
    min_q: int | None = None,
    max_q: int | None = None,
    currency_tax: bool = False,
    region_tax: bool = False,
) -> Candidate:
    return Candidate(
        id=id or f"ma_{amount}_{region}_{lst.id if lst else ''}_{min_q}_{max_q}",
        currency_code=currency,
        amount=amount,
        region_id=region,
        min_quantity=min_q,
        max_quantity=max_q,
        price_list=lst,
        currency_includes_tax=currency_tax,
        region_includes_tax=region_tax,
    )


def select(prices: list[Candidate], ctx: PricingContext = EU, rate: float | None = None) -> tuple:
    chosen = select_price(candidates(prices, ctx, NOW), ctx, rate)
    return chosen.original_price, chosen.calculated_price, chosen.calculated_price_type


# ---- Medusa's cases --------------------------------------------------------------------------


def test_default_price_of_the_region() -> None:
    assert select([price(100, region="reg_eu")]) == (100, 100, "default")


def test_region_price_takes_precedence_over_currency_price_for_the_original() -> None:
    # in either order; the calculated price is the lowest of both, as Medusa
    for prices in ([price(900), price(950, region="reg_eu")], [price(950, region="reg_eu"), price(900)]):
        assert select(prices) == (950, 900, "default")


def test_currency_price_without_region() -> None:
    ctx = PricingContext(currency_code="usd")
    assert select([price(1000, currency="usd"), price(900, currency="eur")], ctx) == (1000, 1000, "default")


def test_a_price_of_another_region_never_applies() -> None:
    # Medusa #6091: an EU price in eur leaked into another eur region
    ctx = PricingContext(region_id="reg_mt", currency_code="eur")
    prices = [price(900), price(950, region="reg_eu"), price(850, region="reg_eu", lst=SALE)]
    assert [p.amount for p in candidates(prices, ctx, NOW)] == [900]
    assert select(prices, ctx) == (900, 900, "default")


def test_without_prices_of_its_own_a_region_takes_its_currencys_prices() -> None:
    # Medusa's "gets prices for currency if no region prices exist": another region's prices in
    # the currency, price lists included, when the region has none and no unbound price exists
    ctx = PricingContext(region_id="reg_mt", currency_code="eur")
    prices = [price(950, region="reg_eu"), price(850, region="reg_eu", lst=SALE), price(10, currency="usd")]
    assert [p.amount for p in candidates(prices, ctx, NOW)] == [950, 850]
    assert select(prices, ctx) == (950, 850, "sale")


def test_the_listed_prices_are_every_price_of_the_currency() -> None:
    # Medusa's `prices`: another region's prices in the currency are listed, never chosen here
    ctx = PricingContext(region_id="reg_mt", currency_code="eur")
    prices = [price(900), price(850, region="reg_eu", lst=SALE), price(10, currency="usd")]
    pricing = price_variant(prices, ctx, NOW)
    assert pricing is not None
    assert [p.amount for p in pricing.prices] == [900, 850]
    assert (pricing.calculated_price, pricing.calculated_price_type) == (900, "default")


def test_a_currency_alone_takes_every_price_in_it() -> None:
    # Medusa's "gets prices for multi currency product" (?currency_code=dkk, no region)
    ctx = PricingContext(currency_code="dkk")
    prices = [
        price(130, currency="dkk", region="reg_dk"),
        price(110, currency="dkk", region="reg_dk", lst=SALE),
    ]
    prices.append(price(120, currency="usd", region="reg_us"))
    assert select(prices, ctx) == (130, 110, "sale")


def test_equal_region_and_currency_prices_keep_the_region_price() -> None:
    # 1000 + 10 % tax equals the region's tax-inclusive 1100: neither is lower, and Medusa, which
    # stores region prices first, keeps the region's
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", tax_inclusive_pricing=True)
    prices = [price(1000, id="ma_1"), price(1100, id="ma_2", region="reg_eu", region_tax=True)]
    chosen = select_price(candidates(prices, ctx, NOW), ctx, 0.1)
    assert (chosen.calculated_price, chosen.calculated_price_includes_tax) == (1100, True)


def test_sale_price_applies_only_when_lower() -> None:
    assert select([price(1000, region="reg_eu"), price(800, region="reg_eu", lst=SALE)]) == (
        1000,
        800,
        "sale",
    )
    assert select([price(1000, region="reg_eu"), price(1200, region="reg_eu", lst=SALE)]) == (
        1000,
        1000,
        "default",
    )


def test_equal_sale_price_leaves_the_default() -> None:
    prices = [price(1000, region="reg_eu", lst=SALE), price(1000, region="reg_eu")]
    assert select(prices) == (1000, 1000, "default")


def test_lowest_of_several_sale_lists() -> None:
    prices = [
        price(1000, region="reg_eu"),
        price(900, region="reg_eu", lst=SALE),
        price(700, lst=SALE2),
    ]
    assert select(prices) == (1000, 700, "sale")


def test_override_wins_even_if_higher() -> None:
    prices = [price(1000, region="reg_eu"), price(800, lst=SALE), price(1500, region="reg_eu", lst=OVERRIDE)]
    assert select(prices) == (1000, 1500, "override")


def test_override_lower_is_override() -> None:
    assert select([price(1000, region="reg_eu"), price(600, lst=OVERRIDE)]) == (1000, 600, "override")


def test_no_price_for_the_market() -> None:
    assert select([price(1000, currency="usd")]) == (None, None, None)


def test_quantity_without_quantity_only_open_brackets() -> None:
    assert valid_quantity(price(1), None)
    assert valid_quantity(price(1, max_q=10), None)
    assert valid_quantity(price(1, min_q=0, max_q=10), None)
    assert not valid_quantity(price(1, min_q=5), None)
    assert not valid_quantity(price(1, min_q=5, max_q=10), None)


def test_quantity_brackets_are_inclusive() -> None:
    tier = price(1, min_q=5, max_q=10)
    assert [valid_quantity(tier, q) for q in (4, 5, 10, 11)] == [False, True, True, False]
    assert valid_quantity(price(1, min_q=5), 1000)


def test_quantity_tiers() -> None:
    prices = [
        price(1000, region="reg_eu"),
        price(900, region="reg_eu", min_q=10),
        price(800, region="reg_eu", lst=SALE, min_q=5, max_q=10),
    ]
    assert select(prices) == (1000, 1000, "default")
    assert select(prices, PricingContext(region_id="reg_eu", currency_code="eur", quantity=3)) == (
        1000,
        1000,
        "default",
    )
    assert select(prices, PricingContext(region_id="reg_eu", currency_code="eur", quantity=7)) == (
        1000,
        800,
        "sale",
    )
    assert select(prices, PricingContext(region_id="reg_eu", currency_code="eur", quantity=12)) == (
        1000,
        900,
        "default",
    )


def test_tightest_bracket_of_a_list() -> None:
    prices = [
        price(1000, region="reg_eu"),
        price(700, region="reg_eu", lst=OVERRIDE, min_q=1),
        price(900, region="reg_eu", lst=OVERRIDE, min_q=10, max_q=20),
        price(950, region="reg_eu", lst=OVERRIDE, min_q=10, max_q=50),
    ]
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", quantity=15)
    assert select(prices, ctx) == (1000, 900, "override")


def test_tax_inclusive_mixed_comparison() -> None:
    # Medusa's "test-basic-variant-mixed": 110 tax-inclusive beats 95 exclusive at 25 %
    incl = PriceListRef(id="pl_2", type="sale", includes_tax=True)
    prices = [
        price(100, region="reg_eu"),
        price(95, lst=SALE),
        price(110, lst=incl),
        price(150, lst=SALE2),
    ]
    chosen = select_price(prices, EU, 0.25)
    assert (chosen.calculated_price, chosen.calculated_price_includes_tax) == (110, True)
    assert chosen.original_price_includes_tax is False
    # without a rate, mixed prices cannot be compared: the first stays
    chosen = select_price(prices, EU, None)
    assert (chosen.calculated_price, chosen.calculated_price_includes_tax) == (95, False)


def test_includes_tax_comes_from_list_then_region_then_currency() -> None:
    assert select_price([price(100, region="reg_eu", region_tax=True)], EU).calculated_price_includes_tax
    assert select_price([price(100, currency_tax=True)], EU).original_price_includes_tax
    incl = PriceListRef(id="pl_i", type="sale", includes_tax=True)
    assert select_price([price(100, lst=incl)], EU).calculated_price_includes_tax
    assert select_price([price(100)], EU).calculated_price_includes_tax is False


def test_without_tax_inclusive_pricing_flag() -> None:
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", tax_inclusive_pricing=False)
    chosen = select_price([price(100, region="reg_eu", region_tax=True), price(90, lst=SALE)], ctx, 0.2)
    assert (chosen.calculated_price, chosen.calculated_price_type) == (90, "sale")
    assert chosen.calculated_price_includes_tax is None and chosen.original_price_includes_tax is None


# ---- which price lists apply -----------------------------------------------------------------


def test_price_list_status_dates_and_groups() -> None:
    def applies(lst: PriceListRef, groups: frozenset[str] | None = None) -> bool:
        ctx = PricingContext(region_id="reg_eu", currency_code="eur", customer_group_ids=groups)
        return bool(candidates([price(1, lst=lst)], ctx, NOW))

    assert applies(PriceListRef(id="a"))
    assert not applies(PriceListRef(id="a", status="draft"))
    assert applies(PriceListRef(id="a", starts_at=NOW - DAY, ends_at=NOW + DAY))
    assert not applies(PriceListRef(id="a", starts_at=NOW + DAY))
    assert not applies(PriceListRef(id="a", ends_at=NOW - DAY))
    assert not applies(PriceListRef(id="a", ends_at=NOW))
    vip = PriceListRef(id="a", customer_group_ids=frozenset({"cg_vip", "cg_b2b"}))
    assert not applies(vip)
    assert not applies(vip, frozenset())
    assert not applies(vip, frozenset({"cg_other"}))
    assert applies(vip, frozenset({"cg_b2b"}))


def test_without_market_only_default_prices_unless_discounts_or_customer() -> None:
    prices = [price(100), price(50, lst=SALE)]
    assert [p.amount for p in candidates(prices, PricingContext(), NOW)] == [100]
    discounts = PricingContext(include_discount_prices=True)
    assert [p.amount for p in candidates(prices, discounts, NOW)] == [100, 50]
    customer = PricingContext(customer_group_ids=frozenset())
    assert [p.amount for p in candidates(prices, customer, NOW)] == [100, 50]


# ---- taxes -----------------------------------------------------------------------------------


def test_js_round() -> None:
    assert [js_round(x) for x in (2.5, 3.5, -2.5, -2.6, 0.49999999999999994, 178.333)] == [
        3,
        4,
        -2,
        -3,
        0,
        178,
    ]


def test_float4() -> None:
    assert float4(7.699999809265137) == 7.7
    assert float4(20.0) == 20
    assert float4(0.1) == 0.1
    assert float4(None) is None


def test_tax_rate_sum_as_javascript() -> None:
    assert tax_rate_sum([{"rate": 20}, {"rate": None}, {"rate": 5.5}]) == 0.2 + 0.055
    assert tax_rate_sum([]) == 0


def test_taxes_as_medusa_answers_them() -> None:
    # GET /store/products/:id?region_id=… on Medusa 1.20.11: region rate 20 %, prices 900 and 850
    rates = [{"rate": 20, "name": "default", "code": "default"}]
    ctx = PricingContext(region_id="reg_mt", currency_code="eur", automatic_taxes=True)
    sale = PriceListRef(id="pl", type="sale")
    pricing = price_variant([price(900), price(850, lst=sale)], ctx, NOW, rates)
    assert pricing is not None
    assert pricing.fields() == {
        "original_price": 900,
        "calculated_price": 850,
        "calculated_price_type": "sale",
        "original_price_includes_tax": False,
        "calculated_price_includes_tax": False,
        "original_price_incl_tax": 1080,
        "calculated_price_incl_tax": 1020,
        "original_tax": 180,
        "calculated_tax": 170,
        "tax_rates": rates,
    }


def test_tax_inside_a_tax_inclusive_price() -> None:
    incl = PriceListRef(id="pl", type="sale", includes_tax=True)
    ctx = PricingContext(region_id="reg_mt", currency_code="eur", automatic_taxes=True)
    pricing = price_variant([price(900), price(1070, lst=incl)], ctx, NOW, [{"rate": 20}])
    assert pricing is not None
    assert (pricing.calculated_price, pricing.calculated_price_type) == (1070, "sale")
    assert (pricing.calculated_tax, pricing.calculated_price_incl_tax) == (178, 1070)
    assert (pricing.original_tax, pricing.original_price_incl_tax) == (180, 1080)


def test_no_taxes_without_automatic_taxes_or_region() -> None:
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", automatic_taxes=False)
    pricing = price_variant([price(900)], ctx, NOW, [{"rate": 20}])
    assert pricing is not None and pricing.tax_rates is None and pricing.calculated_tax is None
    admin = price_variant([price(900)], PricingContext(), NOW, None)
    assert admin is not None
    assert admin.fields() == {
        "original_price": None,
        "calculated_price": None,
        "original_price_includes_tax": None,
        "calculated_price_includes_tax": None,
        "original_price_incl_tax": None,
        "calculated_price_incl_tax": None,
        "original_tax": None,
        "calculated_tax": None,
        "tax_rates": None,
    }


def test_no_candidate_leaves_the_variant_undecorated() -> None:
    assert price_variant([price(900, currency="usd")], EU, NOW, []) is None


# ---- properties ------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=100_000)
quantities = st.one_of(st.none(), st.integers(min_value=1, max_value=60))
brackets = st.one_of(
    st.tuples(st.none(), st.none()),
    st.tuples(st.integers(0, 30), st.none()),
    st.tuples(st.none(), st.integers(1, 60)),
    st.integers(0, 30).flatmap(lambda lo: st.tuples(st.just(lo), st.integers(max(lo, 1), 60))),
)


@st.composite
def price_sets(draw: st.DrawFn, kinds: tuple[str, ...] = ("sale", "override")) -> list[Candidate]:
    lists = [
        PriceListRef(id=f"pl_{i}", type=draw(st.sampled_from(kinds))) for i in range(draw(st.integers(0, 3)))
    ]
    out = []
    for i in range(draw(st.integers(0, 8))):
        lo, hi = draw(brackets)
        out.append(
            Candidate(
                id=f"ma_{i}",
                currency_code=draw(st.sampled_from(["eur", "usd"])),
                amount=draw(amounts),
                region_id=draw(st.sampled_from([None, "reg_eu", "reg_other"])),
                min_quantity=lo,
                max_quantity=hi,
                price_list=draw(st.sampled_from([None, *lists])),
            )
        )
    return out


@settings(max_examples=300, deadline=None)
@given(price_sets(kinds=("sale",)), quantities)
def test_calculated_never_above_original_without_override(
    prices: list[Candidate], quantity: int | None
) -> None:
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", quantity=quantity)
    chosen = select_price(candidates(prices, ctx, NOW), ctx)
    if chosen.original_price is not None:
        assert chosen.calculated_price is not None
        assert chosen.calculated_price <= chosen.original_price
        if chosen.calculated_price_type == "sale":
            assert chosen.calculated_price < chosen.original_price


@settings(max_examples=300, deadline=None)
@given(price_sets(), quantities)
def test_calculated_is_a_valid_candidate(prices: list[Candidate], quantity: int | None) -> None:
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", quantity=quantity)
    found = candidates(prices, ctx, NOW)
    chosen = select_price(found, ctx)
    valid = [p for p in found if valid_quantity(p, quantity)]
    if not valid:
        assert chosen.calculated_price is None and chosen.chosen is None
        return
    assert chosen.chosen in valid
    assert chosen.calculated_price == chosen.chosen.amount
    # another region's price only when the region has none and the currency no unbound one
    own = [p for p in found if p.region_id in (None, "reg_eu")]
    assert own == found or not own
    assert all(p.region_id == "reg_eu" or p.currency_code == "eur" for p in found)


@settings(max_examples=300, deadline=None)
@given(price_sets(), quantities)
def test_an_override_wins(prices: list[Candidate], quantity: int | None) -> None:
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", quantity=quantity)
    found = candidates(prices, ctx, NOW)
    chosen = select_price(found, ctx)
    overrides = [
        p for p in found if p.price_list and p.price_list.type == "override" and valid_quantity(p, quantity)
    ]
    if overrides:
        assert chosen.calculated_price_type == "override"
        assert chosen.chosen in overrides
    else:
        assert chosen.calculated_price_type != "override"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(brackets, amounts), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=60),
    amounts,
)
def test_the_tightest_bracket_of_an_override_list(
    tiers: list[tuple[tuple[int | None, int | None], int]], quantity: int, default: int
) -> None:
    prices = [price(default, region="reg_eu")] + [
        price(amount, id=f"ma_{i}", region="reg_eu", lst=OVERRIDE, min_q=lo, max_q=hi)
        for i, ((lo, hi), amount) in enumerate(tiers)
    ]
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", quantity=quantity)
    chosen = select_price(prices, ctx)
    containing = [p for p in prices[1:] if valid_quantity(p, quantity)]
    if not containing:
        assert (chosen.calculated_price, chosen.calculated_price_type) == (default, "default")
        return

    def width(p: Candidate) -> float:
        return (p.max_quantity or float("inf")) - (p.min_quantity or 0)

    narrowest = min(width(p) for p in containing)
    assert chosen.chosen is not None and width(chosen.chosen) == narrowest
    assert chosen.calculated_price == min(p.amount for p in containing if width(p) == narrowest)


@settings(max_examples=200, deadline=None)
@given(price_sets(), quantities, st.randoms(use_true_random=False))
def test_order_of_prices_does_not_matter(prices: list[Candidate], quantity: int | None, rnd) -> None:  # type: ignore[no-untyped-def]
    ctx = PricingContext(region_id="reg_eu", currency_code="eur", quantity=quantity)
    shuffled = list(prices)
    rnd.shuffle(shuffled)
    assert select(prices, ctx) == select(shuffled, ctx)


@settings(deadline=None)
@given(st.integers(0, 10_000_000), st.floats(min_value=0, max_value=1), st.booleans())
def test_tax_amounts_add_up(amount: int, rate: float, included: bool) -> None:
    from mercato.pricing.selection import PriceSelection

    selection = PriceSelection(
        original_price=amount,
        calculated_price=amount,
        original_price_includes_tax=included,
        calculated_price_includes_tax=included,
    )
    taxed = calculate_taxes(selection, [{"rate": rate * 100}])
    assert taxed.calculated_tax is not None and taxed.calculated_price_incl_tax is not None
    assert taxed.calculated_tax >= 0
    if included:
        assert taxed.calculated_price_incl_tax == amount
        assert taxed.calculated_tax <= amount
    else:
        assert taxed.calculated_price_incl_tax == amount + taxed.calculated_tax
    assert abs(taxed.calculated_tax - calculate_price_tax_amount(amount, rate * 100 / 100, included)) <= 0.5
