"""The whole checkout through the Store API (create cart, add item, email + address, shipping
method, payment sessions, select manual, complete) in a tax-exclusive and a tax-inclusive
region, with a discount and a gift card: the order's totals are the cart's, to the cent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.core.errors import MedusaError
from mercato.db.session import Database
from mercato.modules.carts.models import Cart
from mercato.modules.checkout.service import authorize_cart_payment, create_order_from_cart
from mercato.modules.gift_cards.models import GiftCard
from mercato.modules.orders.models import DraftOrder
from tests.conftest import Events
from tests.modules.checkout.conftest import Shop, ok, ready_cart

CART_TOTALS = (
    "subtotal",
    "discount_total",
    "item_tax_total",
    "shipping_total",
    "shipping_tax_total",
    "tax_total",
    "gift_card_total",
    "gift_card_tax_total",
    "total",
)
ITEM_TOTALS = ("subtotal", "discount_total", "tax_total", "total", "original_total", "original_tax_total")
METHOD_TOTALS = ("subtotal", "tax_total", "total", "original_total", "original_tax_total")


def picked(obj: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: obj[k] for k in keys}


# The same checkouts on the real Medusa 1.20.11 (regions co-test-excl/-incl, 20 % tax, a 10 %
# discount, a 1000 gift card, 2 units) gave these totals; the order's tax_total is the cart's minus
# the gift card's tax, as Medusa's OrderService.decorateTotals computes it.
MEDUSA = {
    "excl": {
        "subtotal": 2000,
        "discount_total": 200,
        "item_tax_total": 360,
        "shipping_total": 500,
        "shipping_tax_total": 100,
        "tax_total": 460,
        "gift_card_total": 1000,
        "gift_card_tax_total": 200,
        "total": 1560,
    },
    "incl": {
        "subtotal": 4000,
        "discount_total": 400,
        "item_tax_total": 720,
        "shipping_total": 500,
        "shipping_tax_total": 100,
        "tax_total": 820,
        "gift_card_total": 1000,
        "gift_card_tax_total": 200,
        "total": 3720,
    },
}


@pytest.mark.parametrize("which", ["excl", "incl"])
async def test_full_checkout_order_totals_equal_cart_totals(
    client: httpx.AsyncClient,
    admin: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    events: Events,
    which: str,
) -> None:
    region = shop.excl if which == "excl" else shop.incl
    country = "de" if which == "excl" else "fr"
    await ok(
        await admin.post(
            "/admin/discounts",
            json={
                "code": "CO-TEN",
                "rule": {"type": "percentage", "value": 10, "allocation": "total"},
                "regions": [region],
            },
        )
    )
    card = await ok(
        await admin.post("/admin/gift-cards", json={"value": 1000, "region_id": region}), "gift_card"
    )
    # excl: 2 x 1000 + 500 shipping; incl: 2 x 2400 + 600 shipping, taxes included
    variant = shop.mug if which == "excl" else shop.shirt
    cid = await ready_cart(
        client, region, country, variant, quantity=2, discounts=["CO-TEN"], gift_cards=[card["code"]]
    )
    cart = await ok(await client.get(f"/store/carts/{cid}"), "cart")
    assert cart["items"][0]["includes_tax"] is (which == "incl")
    assert picked(cart, CART_TOTALS) == MEDUSA[which]
    [session] = cart["payment_sessions"]
    assert session["amount"] == cart["total"]

    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    order = res.json()["data"]
    placed = {**MEDUSA[which], "tax_total": MEDUSA[which]["tax_total"] - MEDUSA[which]["gift_card_tax_total"]}
    assert picked(order, CART_TOTALS) == placed
    assert order["paid_total"] == cart["total"]
    assert order["payments"][0]["amount"] == cart["total"]
    assert order["items"][0]["includes_tax"] is (which == "incl")
    for mine, theirs in zip(order["items"], cart["items"], strict=True):
        assert picked(mine, ITEM_TOTALS) == picked(theirs, ITEM_TOTALS)
        assert [(t["rate"], t["code"]) for t in mine["tax_lines"]] == [
            (t["rate"], t["code"]) for t in theirs["tax_lines"]
        ]
        assert [a["amount"] for a in mine["adjustments"]] == [a["amount"] for a in theirs["adjustments"]]
    for mine, theirs in zip(order["shipping_methods"], cart["shipping_methods"], strict=True):
        assert picked(mine, METHOD_TOTALS) == picked(theirs, METHOD_TOTALS)
    assert [d["code"] for d in order["discounts"]] == ["CO-TEN"]
    assert [g["id"] for g in order["gift_cards"]] == [card["id"]]
    [transaction] = order["gift_card_transactions"]
    assert transaction["amount"] == 1000
    assert transaction["is_taxable"] is True and transaction["tax_rate"] == 20
    # the admin sees the same order
    admin_order = await ok(await admin.get(f"/admin/orders/{order['id']}"), "order")
    assert picked(admin_order, CART_TOTALS) == placed
    # selecting totals (the default) brings each transaction's gift card (transformQueryForTotals)
    [transaction] = admin_order["gift_card_transactions"]
    assert (transaction["gift_card"]["id"], transaction["gift_card"]["balance"]) == (card["id"], 0)
    plain = await ok(await admin.get(f"/admin/orders/{order['id']}?fields=id,email"), "order")
    assert "gift_card" not in plain["gift_card_transactions"][0]
    # nor the variants' product (getTotalsRelations alone loads items.variant)
    assert "product" in admin_order["items"][0]["variant"]
    assert "product" not in plain["items"][0]["variant"]
    payment_id = admin_order["payments"][0]["id"]
    payment = await ok(await admin.get(f"/admin/payments/{payment_id}?expand=order,cart"), "payment")
    assert (payment["order"]["object"], payment["order"]["id"]) == ("order", order["id"])
    assert (payment["cart"]["object"], payment["cart"]["id"]) == ("cart", cid)
    gift = await ok(await admin.get(f"/admin/gift-cards/{card['id']}"), "gift_card")
    assert gift["balance"] == 0 and gift["is_disabled"] is True
    discount = await ok(await admin.get("/admin/discounts/code/CO-TEN"), "discount")
    assert discount["usage_count"] == 1
    assert len(await events("order.placed")) == 1


async def test_zero_total_needs_no_payment(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop
) -> None:
    card = await ok(
        await admin.post("/admin/gift-cards", json={"value": 10000, "region_id": shop.excl}), "gift_card"
    )
    cid = await ready_cart(client, shop.excl, "de", shop.shirt, gift_cards=[card["code"]])
    cart = await ok(await client.get(f"/store/carts/{cid}"), "cart")
    assert cart["total"] == 0
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    order = res.json()["data"]
    assert order["payments"] == []
    assert order["total"] == 0 and order["paid_total"] == 0
    assert order["gift_card_total"] == 3000  # 2500 + 500 shipping, before the card's own tax
    gift = await ok(await admin.get(f"/admin/gift-cards/{card['id']}"), "gift_card")
    assert gift["balance"] == 10000 - 3000 and gift["is_disabled"] is False


async def test_gift_card_items_become_gift_cards(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop, db: Database, events: Events
) -> None:
    product = await ok(
        await admin.post(
            "/admin/products",
            json={
                "title": "Checkout Gift Card",
                "is_giftcard": True,
                "discountable": False,
                "options": [{"title": "Value"}],
                "variants": [
                    {
                        "title": "50",
                        "inventory_quantity": 0,
                        "manage_inventory": False,
                        "prices": [{"currency_code": "eur", "amount": 5000}],
                        "options": [{"value": "50"}],
                    }
                ],
            },
        ),
        "product",
    )
    variant = product["variants"][0]["id"]
    await ok(
        await admin.post(
            "/admin/shipping-options",
            json={
                "name": "co-gift-delivery",
                "region_id": shop.excl,
                "provider_id": "manual",
                "profile_id": product["profile_id"],
                "data": {},
                "price_type": "flat_rate",
                "amount": 0,
            },
        )
    )
    cid = await ready_cart(client, shop.excl, "de", variant, quantity=2)
    res = await client.post(f"/store/carts/{cid}/complete")
    assert res.status_code == 200, res.text
    order = res.json()["data"]
    async with db.read_session() as tx:
        cards = list((await tx.execute(select(GiftCard).where(GiftCard.order_id == order["id"]))).scalars())
    assert len(cards) == 2
    assert {(c.value, c.balance, c.region_id, round(c.tax_rate or 0)) for c in cards} == {
        (5000, 5000, shop.excl, 20)
    }
    assert len({c.code for c in cards}) == 2
    assert len(await events("gift_card.created")) == 2
    # Medusa decrements unmanaged stock too (it may go below zero)
    stock = await ok(await client.get(f"/store/variants/{variant}"), "variant")
    assert stock["inventory_quantity"] == -2


async def test_create_order_from_a_draft_order_cart(
    client: httpx.AsyncClient, shop: Shop, db: Database, events: Events
) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt)
    async with db.write_session() as tx:
        cart = await tx.get(Cart, cid)
        assert cart is not None
        cart.type = "draft_order"
        draft = DraftOrder(display_id=7, cart_id=cid, no_notification_order=True)
        tx.add(draft)
        await tx.commit()
    async with db.write_session() as tx:
        session = await authorize_cart_payment(tx, cid)
        assert session is not None and session.status == "authorized"
        order = await create_order_from_cart(tx, cid)
        await tx.commit()
    assert order.draft_order_id == draft.id
    assert order.no_notification is True
    assert order.payment_status == "awaiting"
    assert (await events("order.placed")) == [{"id": order.id, "no_notification": True}]
    async with db.write_session() as tx:
        with pytest.raises(MedusaError) as refused:
            await create_order_from_cart(tx, cid)
    assert refused.value.type == "duplicate_error"
    assert refused.value.message == "Order from cart already exists"
