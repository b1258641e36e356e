"""Product options: add, rename, delete (ProductService.addOption / updateOption / deleteOption)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.products.models import ProductOption, ProductOptionValue
from tests.modules.products.helpers import create_product, events, invalid, shirt


async def test_add_option_gives_every_variant_a_default_value(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, **shirt())
    res = await admin.post(f"/admin/products/{product['id']}/options", json={"title": "Color"})
    assert res.status_code == 200, res.text
    body = res.json()["product"]
    assert [o["title"] for o in body["options"]] == ["Size", "Color"]
    color = body["options"][1]
    assert [v["value"] for v in color["values"]] == ["Default Value", "Default Value"]
    assert all(len(v["options"]) == 2 for v in body["variants"])
    (name, payload), *_ = await events(db, "product.updated")
    assert payload["id"] == product["id"] and payload["title"] == "Shirt"


async def test_add_option_refusals(admin: httpx.AsyncClient) -> None:
    product = await create_product(admin, **shirt())
    res = await admin.post(f"/admin/products/{product['id']}/options", json={"title": "Size"})
    assert res.status_code == 422
    assert res.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "An option with the title: Size already exists",
    }
    res = await admin.post(f"/admin/products/{product['id']}/options", json={})
    assert res.json() == invalid("title must be a string")
    res = await admin.post(f"/admin/products/{product['id']}/options", json={"title": 1, "x": 2})
    assert res.json() == invalid("property x should not exist, title must be a string")
    res = await admin.post("/admin/products/prod_nope/options", json={"title": "x"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Product with id: prod_nope was not found"}


async def test_update_option(admin: httpx.AsyncClient) -> None:
    product = await create_product(admin, **shirt(options=[{"title": "Size"}, {"title": "Fit"}], variants=[]))
    size, fit = product["options"]
    res = await admin.post(f"/admin/products/{product['id']}/options/{size['id']}", json={"title": "size"})
    assert res.status_code == 200
    assert [o["title"] for o in res.json()["product"]["options"]] == ["size", "Fit"]
    # a clashing title (case-insensitive) is Medusa's not_found
    res = await admin.post(f"/admin/products/{product['id']}/options/{size['id']}", json={"title": "FIT"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "An option with title FIT already exists"}
    res = await admin.post(f"/admin/products/{product['id']}/options/opt_nope", json={"title": "Other"})
    assert res.status_code == 404
    assert res.json() == {"type": "not_found", "message": "Option with id: opt_nope does not exist"}
    res = await admin.post(f"/admin/products/{product['id']}/options/{size['id']}", json={})
    assert res.json() == invalid("title must be a string")


async def test_delete_option(admin: httpx.AsyncClient, db: Database) -> None:
    product = await create_product(admin, **shirt())
    size = product["options"][0]
    # the variants differ in their size: deleting it would make them duplicates
    res = await admin.delete(f"/admin/products/{product['id']}/options/{size['id']}")
    assert res.status_code == 400
    assert res.json() == invalid(
        "To delete an option, first delete all variants, such that when an option is deleted, "
        "no duplicate variants will exist."
    )
    await admin.delete(f"/admin/products/{product['id']}/variants/{product['variants'][1]['id']}")
    res = await admin.delete(f"/admin/products/{product['id']}/options/{size['id']}")
    assert res.status_code == 200
    body = res.json()
    assert (body["option_id"], body["object"], body["deleted"]) == (size["id"], "option", True)
    assert body["product"]["options"] == []
    (variant,) = body["product"]["variants"]
    assert variant["options"] == []
    # the answer is not priced (delete-option.ts skips setAdminProductPricing)
    assert "original_price" not in variant and "variant_id" not in variant["prices"][0]
    async with db.read_session() as tx:
        option = (await tx.execute(select(ProductOption).where(ProductOption.id == size["id"]))).scalar_one()
        values = (
            (
                await tx.execute(
                    select(ProductOptionValue.deleted_at).where(ProductOptionValue.option_id == size["id"])
                )
            )
            .scalars()
            .all()
        )
    assert option.deleted_at is not None and all(v is not None for v in values)
    # unknown option: nothing to delete, same answer
    res = await admin.delete(f"/admin/products/{product['id']}/options/opt_nope")
    assert res.status_code == 200 and res.json()["option_id"] == "opt_nope"
    res = await admin.delete("/admin/products/prod_nope/options/opt_nope")
    assert res.status_code == 404
