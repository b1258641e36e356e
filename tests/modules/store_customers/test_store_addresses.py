"""The customer's shipping addresses: /store/customers/me/addresses…"""

from __future__ import annotations

import httpx
import pytest_asyncio

ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "address_1": "Street 1",
    "city": "Berlin",
    "country_code": "DE",
    "postal_code": "10115",
}


@pytest_asyncio.fixture
async def shopper(client: httpx.AsyncClient) -> httpx.AsyncClient:
    body = {"email": "addr@example.com", "password": "pw", "first_name": "Jane", "last_name": "Doe"}
    res = await client.post("/store/customers", json=body)
    assert res.status_code == 200
    return client


async def test_add_update_delete(shopper: httpx.AsyncClient) -> None:
    res = await shopper.post("/store/customers/me/addresses", json={"address": ADDRESS})
    assert res.status_code == 200, res.text
    addresses = res.json()["customer"]["shipping_addresses"]
    assert len(addresses) == 1
    first = addresses[0]
    assert first["country_code"] == "de" and first["city"] == "Berlin" and first["address_2"] is None
    assert first["customer_id"] == res.json()["customer"]["id"]

    # a field left out never equals a stored one (JavaScript's null !== undefined): added again
    res = await shopper.post("/store/customers/me/addresses", json={"address": ADDRESS})
    assert len(res.json()["customer"]["shipping_addresses"]) == 2
    full = {**ADDRESS, "address_2": "b", "phone": "1", "province": "p"}
    await shopper.post("/store/customers/me/addresses", json={"address": full})
    res = await shopper.post("/store/customers/me/addresses", json={"address": full})
    assert len(res.json()["customer"]["shipping_addresses"]) == 3

    res = await shopper.post(
        f"/store/customers/me/addresses/{first['id']}",
        json={"city": "Munich", "country_code": "FR", "metadata": {"k": 1}},
    )
    assert res.status_code == 200, res.text
    updated = next(a for a in res.json()["customer"]["shipping_addresses"] if a["id"] == first["id"])
    assert updated["city"] == "Munich" and updated["country_code"] == "fr" and updated["metadata"] == {"k": 1}
    assert updated["address_1"] == "Street 1"

    res = await shopper.delete(f"/store/customers/me/addresses/{first['id']}")
    assert res.status_code == 200
    assert first["id"] not in [a["id"] for a in res.json()["customer"]["shipping_addresses"]]
    assert len(res.json()["customer"]["shipping_addresses"]) == 2
    # idempotent
    res = await shopper.delete(f"/store/customers/me/addresses/{first['id']}")
    assert res.status_code == 200 and len(res.json()["customer"]["shipping_addresses"]) == 2


async def test_refusals(shopper: httpx.AsyncClient) -> None:
    res = await shopper.post("/store/customers/me/addresses", json={"address": {"city": 1}})
    assert res.status_code == 400
    assert res.json()["message"] == (
        "first_name must be a string, last_name must be a string, address_1 must be a string, "
        "city must be a string, country_code must be a string, postal_code must be a string"
    )
    res = await shopper.post("/store/customers/me/addresses", json={"address": "x"})
    assert res.json() == {
        "type": "invalid_data",
        "message": "nested property address must be either object or array",
    }
    res = await shopper.post("/store/customers/me/addresses", json={"address": {**ADDRESS, "foo": 1}})
    assert res.json() == {"type": "invalid_data", "message": "property foo should not exist"}
    res = await shopper.post(
        "/store/customers/me/addresses", json={"address": {**ADDRESS, "country_code": "zz"}}
    )
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Country with country_code zz does not exist."}
    res = await shopper.post("/store/customers/me/addresses/addr_nope", json={"city": "X"})
    assert res.status_code == 400
    assert res.json() == {"type": "invalid_data", "message": "Could not find address for customer"}
    res = await shopper.post("/store/customers/me/addresses/addr_nope", json={"city": 1, "foo": 1})
    assert res.json() == {
        "type": "invalid_data",
        "message": "property foo should not exist, city must be a string",
    }
    res = await shopper.delete("/store/customers/me/addresses/addr_nope")
    assert res.status_code == 200 and res.json()["customer"]["shipping_addresses"] == []


async def test_other_customers_address(shopper: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    res = await shopper.post("/store/customers/me/addresses", json={"address": ADDRESS})
    address_id = res.json()["customer"]["shipping_addresses"][0]["id"]
    shopper.cookies.clear()
    body = {"email": "other@example.com", "password": "pw"}
    assert (await client.post("/store/customers", json=body)).status_code == 200
    res = await client.post(f"/store/customers/me/addresses/{address_id}", json={"city": "X"})
    assert res.status_code == 400
    res = await client.delete(f"/store/customers/me/addresses/{address_id}")
    assert res.status_code == 200 and res.json()["customer"]["shipping_addresses"] == []


async def test_no_auth(client: httpx.AsyncClient) -> None:
    res = await client.post("/store/customers/me/addresses", json={"address": ADDRESS})
    assert res.status_code == 401 and res.text == "Unauthorized"
    res = await client.delete("/store/customers/me/addresses/addr_x")
    assert res.status_code == 401 and res.text == "Unauthorized"


async def test_missing_address_is_medusas_500(shopper: httpx.AsyncClient) -> None:
    res = await shopper.post("/store/customers/me/addresses", json={})
    assert res.status_code == 500
    assert res.json() == {
        "code": "unknown_error",
        "type": "unknown_error",
        "message": "An unknown error occurred.",
    }


async def test_billing_address(shopper: httpx.AsyncClient) -> None:
    res = await shopper.post(
        "/store/customers/me",
        json={"billing_address": {"first_name": "B", "city": "Paris", "country_code": "FR"}},
    )
    assert res.status_code == 200, res.text
    customer = res.json()["customer"]
    billing = customer["billing_address"]
    assert customer["billing_address_id"] == billing["id"]
    assert billing["city"] == "Paris" and billing["country_code"] == "fr" and billing["customer_id"] is None
    # an object updates the current billing address, keeping what it leaves out
    res = await shopper.post(
        "/store/customers/me", json={"billing_address": {"city": "Lyon", "address_1": "x"}}
    )
    again = res.json()["customer"]["billing_address"]
    assert again["id"] == billing["id"]
    assert (again["city"], again["address_1"], again["country_code"], again["first_name"]) == (
        "Lyon",
        "x",
        "fr",
        "B",
    )
    # null unsets it
    res = await shopper.post("/store/customers/me", json={"billing_address": None})
    assert res.json()["customer"]["billing_address_id"] is None
    assert res.json()["customer"]["billing_address"] is None
    # an id points at an existing address
    res = await shopper.post("/store/customers/me", json={"billing_address": billing["id"]})
    assert res.json()["customer"]["billing_address"]["id"] == billing["id"]


async def test_billing_address_refusals(shopper: httpx.AsyncClient) -> None:
    res = await shopper.post("/store/customers/me", json={"billing_address": "addr_nope"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Address with id addr_nope was not found"}
    res = await shopper.post("/store/customers/me", json={"billing_address": {"country_code": "zz"}})
    assert res.status_code == 404
    assert res.json()["message"] == "Country with country_code zz does not exist."
    res = await shopper.post(
        "/store/customers/me", json={"billing_address": {"city": 1, "foo": 2}, "first_name": 3}
    )
    assert res.status_code == 400
    assert res.json() == {
        "type": "invalid_data",
        "message": '{"message":"billing_address must be one of: AddressPayload,String","details":'
        '{"String":["String validation failed: [object Object] is not a string"],'
        '"AddressPayload":["property foo should not exist"," city must be a string"]}}',
    }
    res = await shopper.post("/store/customers/me", json={"first_name": 3, "billing_address": [1, "a"]})
    assert res.json()["message"] == (
        '{"message":"billing_address must be one of: AddressPayload,String","details":'
        '{"String":["String validation failed: 1","a is not a string"],'
        '"AddressPayload":["an unknown value was passed to the validate function"]}}'
    )
