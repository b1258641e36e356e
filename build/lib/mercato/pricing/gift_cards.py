"""Gift card totals as Medusa v1.20 computes them (NewTotalsService.getGiftCardTotals and
getGiftCardTransactionsTotals). Pure functions, integer cents."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.core.errors import MedusaError
from mercato.pricing.taxes import js_round
from mercato.pricing.totals import GiftCard, GiftCardTransaction


def gift_card_transactions_totals(
    gift_card_transactions: Sequence[GiftCardTransaction],
    *,
    gift_cards_taxable: bool = True,
    region_tax_rate: float = 0,
) -> tuple[int, int]:
    """(total, tax_total) of an order's gift card transactions. Rows with is_taxable null predate
    the per-card tax rate: they are taxed at the gift card's rate, else the region's when the
    region's gift cards are taxable."""
    total = 0
    tax_total = 0
    for tx in gift_card_transactions:
        multiplier = (tx.tax_rate or 0) / 100
        if tx.is_taxable is None and (gift_cards_taxable or tx.gift_card_tax_rate):
            rate = tx.gift_card_tax_rate if tx.gift_card_tax_rate is not None else region_tax_rate
            multiplier = rate / 100
        total = total + tx.amount
        tax_total = js_round(tax_total + tx.amount * multiplier)
    return total, tax_total


def gift_card_totals(
    gift_cardable_amount: float,
    *,
    gift_cards: Sequence[GiftCard] | None = None,
    gift_card_transactions: Sequence[GiftCardTransaction] | None = None,
    gift_cards_taxable: bool = True,
    region_tax_rate: float = 0,
) -> tuple[int, int]:
    """(total, tax_total) of the gift cards applied to an amount (NewTotalsService.getGiftCardTotals).

    Transactions (orders) win when present. Otherwise each card, in order, covers at most what is
    left; a taxable card (tax_rate set) adds round(covered * rate) of tax. The total is
    min(amount, sum of balances)."""
    if gift_cards is None and gift_card_transactions is None:
        raise MedusaError(
            "unexpected_state",
            "Cannot calculate the gift card totals. "
            "Neither the gift cards or gift card transactions have been provided",
        )
    if gift_card_transactions:
        return gift_card_transactions_totals(
            gift_card_transactions, gift_cards_taxable=gift_cards_taxable, region_tax_rate=region_tax_rate
        )
    if not gift_cards:
        return 0, 0
    balance_total = 0
    tax_total = 0
    remaining = gift_cardable_amount
    for card in gift_cards:
        balance_total += card.balance
        taxable = min(remaining, card.balance)
        if taxable <= 0 or not card.tax_rate:
            continue
        tax_total += js_round(taxable * (card.tax_rate / 100))
        remaining -= taxable
    total = min(gift_cardable_amount, balance_total)
    return _int(total), js_round(tax_total)


def _int(value: float) -> int:
    return int(value) if float(value).is_integer() else value  # type: ignore[return-value]
