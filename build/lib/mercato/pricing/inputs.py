"""The totals engine's inputs from row dicts, as `core.rows` (or `core.present`) prints rows:
one conversion for carts and orders alike. Pure: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mercato.pricing.taxes import float4
from mercato.pricing.totals import Discount, GiftCard, LineItem, ShippingMethod, TaxLine

Row = dict[str, Any]


def tax_lines(rows: Iterable[Row] | None) -> tuple[TaxLine, ...]:
    """Persisted *_tax_line rows (a REAL rate as JavaScript reads it; null reads as 0)."""
    return tuple(
        TaxLine(rate=float4(r["rate"]) or 0, name=r["name"] or "", code=r["code"]) for r in rows or ()
    )


def line_items(rows: Iterable[Row]) -> list[LineItem]:
    """line_item rows with their tax_lines, adjustments and variant (for its product id)."""
    out = []
    for item in rows:
        variant = item.get("variant")
        out.append(
            LineItem(
                id=item["id"],
                unit_price=item["unit_price"],
                quantity=item["quantity"],
                includes_tax=bool(item["includes_tax"]),
                is_return=bool(item["is_return"]),
                allow_discounts=bool(item["allow_discounts"]),
                is_giftcard=bool(item["is_giftcard"]),
                tax_lines=tax_lines(item.get("tax_lines")),
                adjustments=tuple(
                    (a["discount_id"], float(a["amount"])) for a in item.get("adjustments") or ()
                ),
                variant_id=item["variant_id"],
                product_id=variant["product_id"] if variant is not None else None,
                returned_quantity=item.get("returned_quantity"),
            )
        )
    return out


def shipping_methods(rows: Iterable[Row]) -> list[ShippingMethod]:
    return [
        ShippingMethod(
            id=m["id"],
            price=m["price"],
            includes_tax=bool(m["includes_tax"]),
            tax_lines=tax_lines(m.get("tax_lines")),
        )
        for m in rows
    ]


def discounts(rows: Iterable[Row]) -> list[Discount]:
    """discount rows with their rule (a discount without one takes no part)."""
    return [
        Discount(
            id=d["id"],
            code=d["code"],
            rule_type=d["rule"]["type"],
            value=d["rule"]["value"],
            allocation=d["rule"]["allocation"],
            is_disabled=bool(d["is_disabled"]),
        )
        for d in rows
        if d.get("rule") is not None
    ]


def gift_cards(rows: Iterable[Row]) -> list[GiftCard]:
    return [
        GiftCard(
            id=g["id"],
            balance=g["balance"],
            tax_rate=float4(g["tax_rate"]) if g["tax_rate"] is not None else None,
        )
        for g in rows
    ]
