"""Completion under retries and races, with requests really in flight together (each from its
own client, on its own database connection): one order per cart, stock never below zero, a
discount's usage limit and a gift card's balance never exceeded."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from mercato.db.session import Database
from mercato.modules.discounts.models import Discount
from mercato.modules.gift_cards.models import GiftCard, GiftCardTransaction
from mercato.modules.orders.models import Order, Payment
from mercato.modules.products.models import ProductVariant
from tests.modules.checkout.conftest import Race, Shop, ok, ready_cart


async def scalar(db: Database, stmt: Any) -> Any:
    async with db.read_session() as tx:
        return (await tx.execute(stmt)).scalar_one()


async def orders_count(db: Database) -> int:
    return int(await scalar(db, select(func.count()).select_from(Order)))


async def test_twenty_parallel_completes_make_one_order(
    client: httpx.AsyncClient, shop: Shop, db: Database, race: Race
) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt)
    answers = await race([(f"/store/carts/{cid}/complete", {})] * 20)
    assert [a.status_code for a in answers] == [200] * 20, [a.text for a in answers if a.status_code != 200]
    bodies = [a.json() for a in answers]
    assert {b["type"] for b in bodies} == {"order"}
    assert len({b["data"]["id"] for b in bodies}) == 1
    assert all(b == bodies[0] for b in bodies)
    assert len({a.headers["idempotency-key"] for a in answers}) == 20
    assert await orders_count(db) == 1
    assert await scalar(db, select(func.count()).select_from(Payment)) == 1
    stock = await scalar(db, select(ProductVariant.inventory_quantity).where(ProductVariant.id == shop.shirt))
    assert stock == 99


async def test_parallel_completes_with_one_key(
    client: httpx.AsyncClient, shop: Shop, db: Database, race: Race
) -> None:
    cid = await ready_cart(client, shop.excl, "de", shop.shirt)
    answers = await race([(f"/store/carts/{cid}/complete", {"Idempotency-Key": "co-race-key"})] * 10)
    assert [a.status_code for a in answers] == [200] * 10
    assert {a.headers["idempotency-key"] for a in answers} == {"co-race-key"}
    bodies = [a.json() for a in answers]
    assert all(b == bodies[0] for b in bodies)
    assert await orders_count(db) == 1


async def test_ten_shoppers_for_the_last_unit(
    client: httpx.AsyncClient, shop: Shop, db: Database, race: Race
) -> None:
    carts = [await ready_cart(client, shop.excl, "de", shop.last, email=f"s{i}@co.test") for i in range(10)]
    answers = await race([(f"/store/carts/{c}/complete", {}) for c in carts])
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 9, [a.text for a in answers]
    refusal = {
        "errors": [
            {
                "message": f"Variant with id: {shop.last} does not have the required inventory",
                "type": "not_allowed",
                "code": "insufficient_inventory",
            }
        ]
    }
    assert all(a.json() == refusal for a in answers if a.status_code == 409)
    assert await orders_count(db) == 1
    # one live payment; each refused cart keeps its own, canceled (as Medusa leaves it)
    assert await scalar(db, select(func.count()).select_from(Payment)) == 10
    live = select(func.count()).select_from(Payment).where(Payment.canceled_at.is_(None))
    assert await scalar(db, live) == 1
    stock = await scalar(db, select(ProductVariant.inventory_quantity).where(ProductVariant.id == shop.last))
    assert stock == 0
    # the refused carts are not completed and their payment is canceled
    loser = next(c for c, a in zip(carts, answers, strict=True) if a.status_code == 409)
    cart = await ok(await client.get(f"/store/carts/{loser}"), "cart")
    assert cart["completed_at"] is None and cart["payment_authorized_at"] is None
    assert cart["payment"]["canceled_at"] is not None


async def test_discount_usage_limit_under_a_race(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop, db: Database, race: Race
) -> None:
    res = await admin.post(
        "/admin/discounts",
        json={
            "code": "CO-ONCE",
            "rule": {"type": "percentage", "value": 10, "allocation": "total"},
            "regions": [shop.excl],
            "usage_limit": 1,
        },
    )
    discount = await ok(res, "discount")
    carts = [
        await ready_cart(client, shop.excl, "de", shop.shirt, email=f"d{i}@co.test", discounts=["CO-ONCE"])
        for i in range(10)
    ]
    answers = await race([(f"/store/carts/{c}/complete", {}) for c in carts])
    placed = [a.json()["data"] for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code != 200]
    assert len(placed) == 1, [a.text for a in answers]
    assert [d["code"] for d in placed[0]["discounts"]] == ["CO-ONCE"]
    assert placed[0]["discount_total"] == 250
    assert {a.status_code for a in refused} == {400}
    assert all(
        a.json() == {"type": "not_allowed", "message": "Discount has been used maximum allowed times"}
        for a in refused
    )
    usage = await scalar(db, select(Discount.usage_count).where(Discount.id == discount["id"]))
    assert usage == 1
    assert await orders_count(db) == 1
    # a refused shopper drops the code and checks out
    loser = next(c for c, a in zip(carts, answers, strict=True) if a.status_code != 200)
    await ok(await client.delete(f"/store/carts/{loser}/discounts/CO-ONCE"))
    res = await client.post(f"/store/carts/{loser}/complete")
    assert res.status_code == 200, res.text
    assert res.json()["data"]["discounts"] == []
    assert await scalar(db, select(Discount.usage_count).where(Discount.id == discount["id"])) == 1


async def test_gift_card_spent_once_under_a_race(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop, db: Database, race: Race
) -> None:
    card = await ok(
        await admin.post("/admin/gift-cards", json={"value": 1000, "region_id": shop.excl}), "gift_card"
    )
    carts = [
        await ready_cart(
            client, shop.excl, "de", shop.shirt, email=f"g{i}@co.test", gift_cards=[card["code"]]
        )
        for i in range(5)
    ]
    for cid in carts:
        cart = await ok(await client.get(f"/store/carts/{cid}"), "cart")
        assert cart["gift_card_total"] == 1000
    answers = await race([(f"/store/carts/{c}/complete", {}) for c in carts])
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    orders = [a.json()["data"] for a in answers]
    async with db.read_session() as tx:
        spent = (await tx.execute(select(func.sum(GiftCardTransaction.amount)))).scalar_one()
        balance = (await tx.execute(select(GiftCard.balance).where(GiftCard.id == card["id"]))).scalar_one()
        disabled = (
            await tx.execute(select(GiftCard.is_disabled).where(GiftCard.id == card["id"]))
        ).scalar_one()
    assert spent == 1000
    assert balance == 0 and disabled is True
    assert sorted(o["gift_card_total"] for o in orders) == [0, 0, 0, 0, 1000]
    for order in orders:
        # what was not covered by the card was authorized
        assert order["paid_total"] == order["total"]
        assert order["total"] == 3600 - order["gift_card_total"] - order["gift_card_tax_total"]
    winner = next(o for o in orders if o["gift_card_total"])
    assert winner["gift_card_tax_total"] == 200 and winner["total"] == 2400
