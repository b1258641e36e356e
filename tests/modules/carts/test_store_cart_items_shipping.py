"""Store carts: line items, shipping methods and the cart's shipping options."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Events
from tests.modules.carts.conftest import Shop
from tests.modules.carts.test_store_carts import new_cart


async def add(client: httpx.AsyncClient, cart_id: str, **body: Any) -> httpx.Response:
    return await client.post(f"/store/carts/{cart_id}/line-items", json=body)


# ---- line items ------------------------------------------------------------------------------


async def test_add_line_items_merge(client: httpx.AsyncClient, shop: Shop, events: Events) -> None:
    cart = await new_cart(client, region_id=shop.eu)
    res = await add(client, cart["id"], variant_id=shop.small, quantity=1)
    assert res.status_code == 200, res.text
    [item] = res.json()["cart"]["items"]
    assert (item["unit_price"], item["quantity"], item["includes_tax"]) == (1000, 1, False)
    res = await add(client, cart["id"], variant_id=shop.small, quantity=2)
    [merged] = res.json()["cart"]["items"]
    assert merged["id"] == item["id"] and merged["quantity"] == 3
    # other metadata: a line of its own
    res = await add(client, cart["id"], variant_id=shop.small, quantity=1, metadata={"gift": True})
    items = res.json()["cart"]["items"]
    assert [(i["quantity"], i["metadata"]) for i in items] == [(3, {}), (1, {"gift": True})]
    # backorders allowed: no stock needed
    res = await add(client, cart["id"], variant_id=shop.large, quantity=50)
    assert res.status_code == 200
    got = res.json()["cart"]
    assert got["subtotal"] == 4 * 1000 + 50 * 1500
    assert {"id": cart["id"]} in await events("cart.updated")


async def test_add_line_item_refusals(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 8}])
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (
            {"variant_id": shop.small, "quantity": 3},  # 8 + 3 > 10 in stock
            {
                "code": "insufficient_inventory",
                "type": "not_allowed",
                "message": f"Variant with id: {shop.small} does not have the required inventory",
            },
        ),
        (
            {"variant_id": "nope", "quantity": 1},
            {
                "type": "invalid_data",
                "message": "Unable to generate the line items, some variant has not been found: nope",
            },
        ),
        (
            {"variant_id": shop.unpriced, "quantity": 1},
            {"type": "invalid_data", "message": 'Cannot generate line item for variant "U" without a price'},
        ),
        (
            {"variant_id": shop.small, "quantity": 0},
            {
                "type": "invalid_data",
                "message": "Unable to generate the line item because one or more required argument(s) are "
                "missing. Ensure quantity, regionId, and variantId are passed",
            },
        ),
        (
            {"quantity": "x"},
            {
                "type": "invalid_data",
                "message": "variant_id must be a string, quantity must be an integer number",
            },
        ),
    ]
    for body, expected in cases:
        res = await add(client, cart["id"], **body)
        assert res.status_code == 400, body
        assert res.json() == expected
    res = await add(client, "cart_nope", variant_id=shop.small, quantity=1)
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Cart with cart_nope was not found"}
    res = await client.get(f"/store/carts/{cart['id']}")
    assert [i["quantity"] for i in res.json()["cart"]["items"]] == [8]  # nothing changed


async def test_add_line_item_outside_sales_channel(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop
) -> None:
    res = await admin.post("/admin/sales-channels", json={"name": "carts-other"})
    channel = res.json()["sales_channel"]["id"]
    cart = await new_cart(client, region_id=shop.eu, sales_channel_id=channel)
    assert cart["sales_channel_id"] == channel
    res = await add(client, cart["id"], variant_id=shop.small, quantity=1)
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": "The products [Carts Shirt] must belongs to the sales channel on which the cart has "
        "been created.",
    }


async def test_region_prices_serve_a_region_of_the_currency_without_its_own(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, shop: Shop
) -> None:
    """Medusa's "gets prices for currency if no region prices exist": a variant priced only for
    the EU region is sold in another eur region at that price; where the other region has a
    price of its own, the EU's does not leak in (Medusa #6091)."""
    res = await admin.post(
        "/admin/regions",
        json={
            "name": "carts-mt",
            "currency_code": "eur",
            "tax_rate": 0,
            "countries": ["mt"],
            "payment_providers": ["manual"],
            "fulfillment_providers": ["manual"],
        },
    )
    mt = res.json()["region"]["id"]
    body = {
        "title": "Regional",
        "inventory_quantity": 5,
        "prices": [{"region_id": shop.eu, "amount": 700}],
        "options": [{"option_id": None, "value": "R"}],
    }
    product = (await client.get(f"/store/products/{shop.product}")).json()["product"]
    body["options"] = [{"option_id": product["options"][0]["id"], "value": "R"}]
    res = await admin.post(f"/admin/products/{shop.product}/variants", json=body)
    assert res.status_code == 200, res.text
    regional = next(v["id"] for v in res.json()["product"]["variants"] if v["title"] == "Regional")

    cart = await new_cart(client, region_id=mt)
    res = await client.post(
        f"/store/carts/{cart['id']}/line-items", json={"variant_id": regional, "quantity": 1}
    )
    assert res.status_code == 200, res.text
    assert res.json()["cart"]["items"][0]["unit_price"] == 700

    # small has an unbound eur price (1000): the EU-only 600 added to it stays in the EU
    res = await admin.post(
        f"/admin/products/{shop.product}/variants/{shop.small}",
        json={"prices": [{"currency_code": "eur", "amount": 1000}, {"region_id": shop.eu, "amount": 600}]},
    )
    assert res.status_code == 200, res.text
    res = await client.post(
        f"/store/carts/{cart['id']}/line-items", json={"variant_id": shop.small, "quantity": 1}
    )
    small = next(i for i in res.json()["cart"]["items"] if i["variant_id"] == shop.small)
    assert small["unit_price"] == 1000


async def test_update_line_item(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    item_id = cart["items"][0]["id"]
    url = f"/store/carts/{cart['id']}/line-items/{item_id}"
    await client.post(f"/store/carts/{cart['id']}/shipping-methods", json={"option_id": shop.standard})
    res = await client.post(url, json={"quantity": 4, "metadata": {"note": "x"}})
    assert res.status_code == 200, res.text
    got = res.json()["cart"]
    assert (got["items"][0]["quantity"], got["items"][0]["metadata"]) == (4, {"note": "x"})
    assert got["shipping_methods"] == []  # Medusa drops them when an item changes
    assert got["subtotal"] == 4000
    # metadata merges into the line's (setMetadata), and is kept when the body has none
    res = await client.post(url, json={"quantity": 3})
    assert res.json()["cart"]["items"][0]["metadata"] == {"note": "x"}
    res = await client.post(url, json={"quantity": 3, "metadata": {"y": 2, "note": ""}})
    assert res.json()["cart"]["items"][0]["metadata"] == {"y": 2}
    res = await client.post(url, json={"quantity": 11})
    assert res.status_code == 400
    assert res.json() == {
        "code": "insufficient_inventory",
        "type": "not_allowed",
        "message": "Inventory doesn't cover the desired quantity",
    }
    res = await client.post(f"/store/carts/{cart['id']}/line-items/item_nope", json={"quantity": 1})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Could not find the line item"}
    res = await client.post(url, json={"quantity": "x"})
    assert res.json() == {"type": "invalid_data", "message": "quantity must be an integer number"}
    res = await client.post(url, json={"quantity": 0})
    assert res.status_code == 200 and res.json()["cart"]["items"] == []


async def test_delete_line_item(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(
        client,
        region_id=shop.eu,
        items=[{"variant_id": shop.small, "quantity": 1}, {"variant_id": shop.large, "quantity": 2}],
    )
    first = cart["items"][0]["id"]
    res = await client.delete(f"/store/carts/{cart['id']}/line-items/{first}")
    assert res.status_code == 200
    got = res.json()["cart"]
    assert [i["variant_id"] for i in got["items"]] == [shop.large]
    assert got["subtotal"] == 3000
    # an id that is not in the cart changes nothing
    res = await client.delete(f"/store/carts/{cart['id']}/line-items/item_nope")
    assert res.status_code == 200 and len(res.json()["cart"]["items"]) == 1
    res = await client.delete(f"/store/carts/cart_nope/line-items/{first}")
    assert res.status_code == 404


# ---- shipping --------------------------------------------------------------------------------


async def test_add_shipping_method(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 2}])
    url = f"/store/carts/{cart['id']}/shipping-methods"
    res = await client.post(url, json={"option_id": shop.standard, "data": {"slot": "am"}})
    assert res.status_code == 200, res.text
    got = res.json()["cart"]
    [method] = got["shipping_methods"]
    assert (method["shipping_option_id"], method["price"], method["data"]) == (
        shop.standard,
        800,
        {"slot": "am"},
    )
    assert method["shipping_option"]["name"] == "carts-standard"
    assert method["tax_lines"] == [
        {"rate": 20, "name": "default", "code": "default", "shipping_method_id": method["id"]}
    ]
    assert (method["subtotal"], method["tax_total"], method["total"], method["original_total"]) == (
        800,
        160,
        960,
        960,
    )
    assert got["items"][0]["has_shipping"] is True
    assert (got["shipping_total"], got["shipping_tax_total"], got["total"]) == (800, 160, 2000 + 400 + 960)
    # the same profile: the new method replaces the old one
    await client.post(f"/store/carts/{cart['id']}/line-items", json={"variant_id": shop.large, "quantity": 3})
    await client.post(url, json={"option_id": shop.standard})
    res = await client.post(url, json={"option_id": shop.express})  # subtotal 6500 >= 5000
    assert res.status_code == 200, res.text
    assert [m["shipping_option_id"] for m in res.json()["cart"]["shipping_methods"]] == [shop.express]


async def test_add_shipping_method_refusals(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    url = f"/store/carts/{cart['id']}/shipping-methods"
    region = "The shipping option is not available in the cart's region"
    requirements = "The Cart does not satisfy the shipping option's requirements"
    cases = [
        (shop.us_option, 400, {"type": "invalid_data", "message": region}),
        (shop.express, 400, {"type": "not_allowed", "message": requirements}),
        ("so_nope", 404, {"type": "not_found", "message": "Shipping Option with so_nope was not found"}),
    ]
    for option, status, expected in cases:
        res = await client.post(url, json={"option_id": option})
        assert res.status_code == status, option
        assert res.json() == expected
    res = await client.post(url, json={})
    assert res.json() == {"type": "invalid_data", "message": "option_id must be a string"}
    res = await client.post(url, json={"option_id": shop.standard, "data": None})
    assert (res.status_code, res.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": "Can't insert null value in field data on insert in table shipping_method",
        },
    )
    res = await client.post("/store/carts/cart_nope/shipping-methods", json={"option_id": shop.standard})
    assert res.status_code == 404
    res = await client.get(f"/store/carts/{cart['id']}")
    assert res.json()["cart"]["shipping_methods"] == []


async def test_cart_shipping_options(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 1}])
    res = await client.get(f"/store/shipping-options/{cart['id']}")
    assert res.status_code == 200
    [option] = res.json()["shipping_options"]  # express needs 5000, us_option is another region
    assert option["id"] == shop.standard
    assert option["profile"]["type"] == "default" and option["requirements"] == []
    assert (option["price_incl_tax"], option["tax_amount"]) == (960, 160)
    assert option["tax_rates"] == [{"rate": 20, "name": "default", "code": "default"}]
    await client.post(f"/store/carts/{cart['id']}/line-items", json={"variant_id": shop.large, "quantity": 4})
    res = await client.get(f"/store/shipping-options/{cart['id']}")
    assert [o["id"] for o in res.json()["shipping_options"]] == [shop.standard, shop.express]
    empty = await new_cart(client, region_id=shop.eu)
    res = await client.get(f"/store/shipping-options/{empty['id']}")
    assert res.json() == {"shipping_options": []}
    res = await client.get("/store/shipping-options/cart_nope")
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Cart with cart_nope was not found"}


async def test_negative_quantities(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.small, "quantity": 3}])
    # a negative quantity merged into an existing line lowers it, as in Medusa
    res = await add(client, cart["id"], variant_id=shop.small, quantity=-1)
    assert res.status_code == 200 and res.json()["cart"]["items"][0]["quantity"] == 2
    expected = {"type": "invalid_data", "message": "quantity must be greater than 0"}
    res = await add(client, cart["id"], variant_id=shop.large, quantity=-1)
    assert (res.status_code, res.json()) == (400, expected)
    item = cart["items"][0]["id"]
    res = await client.post(f"/store/carts/{cart['id']}/line-items/{item}", json={"quantity": -2})
    assert (res.status_code, res.json()) == (400, expected)


async def test_add_line_item_is_idempotent(client: httpx.AsyncClient, shop: Shop) -> None:
    cart = await new_cart(client, region_id=shop.eu)
    res = await add(client, cart["id"], variant_id=shop.small, quantity=1)
    assert res.headers["access-control-expose-headers"] == "Idempotency-Key"
    key = res.headers["idempotency-key"]
    assert res.json()["cart"]["customer"] is None  # this route loads the customer too
    first = res.json()
    # a retry with the key Mercato issued replays the answer and adds nothing
    res = await client.post(
        f"/store/carts/{cart['id']}/line-items",
        json={"variant_id": shop.small, "quantity": 1},
        headers={"Idempotency-Key": key},
    )
    assert res.status_code == 200 and res.json() == first and res.headers["idempotency-key"] == key
    # an unknown key is not honoured: a fresh one is issued
    res = await client.post(
        f"/store/carts/{cart['id']}/line-items",
        json={"variant_id": shop.small, "quantity": 1},
        headers={"Idempotency-Key": "made-up"},
    )
    assert res.headers["idempotency-key"] != "made-up"
    assert res.json()["cart"]["items"][0]["quantity"] == 2
    await client.post(f"/store/carts/{cart['id']}", json={"email": "li@example.com"})
    res = await add(client, cart["id"], variant_id=shop.small, quantity=1)
    assert res.json()["cart"]["customer"]["email"] == "li@example.com"
    assert "password_hash" not in res.json()["cart"]["customer"]


async def test_parallel_adds_lose_nothing(client: httpx.AsyncClient, shop: Shop) -> None:
    import asyncio

    cart = await new_cart(client, region_id=shop.eu, items=[{"variant_id": shop.large, "quantity": 1}])
    results = await asyncio.gather(
        *(add(client, cart["id"], variant_id=shop.large, quantity=1) for _ in range(5))
    )
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    res = await client.get(f"/store/carts/{cart['id']}")
    assert [i["quantity"] for i in res.json()["cart"]["items"]] == [6]


async def test_shipping_method_answer_equals_a_fresh_read(client: httpx.AsyncClient, shop: Shop) -> None:
    """The shipping-method route answers the cart it brought up to date in place (methods read
    again, has_shipping and updated_at changed, totals recomputed): the same JSON as a new read."""
    cart = await new_cart(
        client,
        region_id=shop.eu,
        items=[{"variant_id": shop.small, "quantity": 2}, {"variant_id": shop.large, "quantity": 1}],
    )
    path = f"/store/carts/{cart['id']}/shipping-methods"
    for option in (shop.standard, shop.standard):  # the second replaces the first (same profile)
        res = await client.post(path, json={"option_id": option})
        assert res.status_code == 200, res.text
        answered = res.json()["cart"]
        fresh = (await client.get(f"/store/carts/{cart['id']}")).json()["cart"]
        assert answered == fresh
        assert [m["shipping_option_id"] for m in answered["shipping_methods"]] == [option]
        assert all(i["has_shipping"] for i in answered["items"])
        assert answered["shipping_total"] == 800
