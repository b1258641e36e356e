"""Fixtures of the categories tests: a category tree made through the API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Events  # noqa: F401  (re-exported for the tests)
from tests.modules.catalog_fixtures import MakeProduct, make_product  # noqa: F401


async def create(admin: httpx.AsyncClient, name: str, **body: Any) -> dict[str, Any]:
    res = await admin.post("/admin/product-categories", json={"name": name, **body})
    assert res.status_code == 200, res.text
    category: dict[str, Any] = res.json()["product_category"]
    return category


@pytest.fixture
async def tree(admin: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """Medusa's fixture of the comparison runs: roots A and B; A1, A2, A3 under A; A1x under A1;
    B1 (internal), B2, B3 (inactive) under B; B1a under B1; B2a (internal) and B2b under B2."""
    made: dict[str, dict[str, Any]] = {}
    made["A"] = await create(admin, "Root A")
    made["B"] = await create(
        admin, "Root B", is_active=True, is_internal=False, description="desc B", metadata={"k": "v"}
    )
    for name in ("A1", "A2", "A3"):
        made[name] = await create(admin, f"Cat {name}", parent_category_id=made["A"]["id"], is_active=True)
    made["A1x"] = await create(
        admin, "Cat A1x", parent_category_id=made["A1"]["id"], is_active=True, is_internal=True
    )
    made["B1"] = await create(
        admin, "Cat B1", parent_category_id=made["B"]["id"], is_active=True, is_internal=True
    )
    made["B2"] = await create(admin, "Cat B2", parent_category_id=made["B"]["id"], is_active=True)
    made["B3"] = await create(admin, "Cat B3", parent_category_id=made["B"]["id"])
    made["B1a"] = await create(admin, "Cat B1a", parent_category_id=made["B1"]["id"], is_active=True)
    made["B2a"] = await create(
        admin, "Cat B2a", parent_category_id=made["B2"]["id"], is_active=True, is_internal=True
    )
    made["B2b"] = await create(admin, "Cat B2b", parent_category_id=made["B2"]["id"], is_active=True)
    return made
