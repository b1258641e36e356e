"""Creating a draft order (one variant item, one shipping method) and Mark Paid run a bounded
number of SQL statements (regression guard for issue 6's draft-order-pay throughput target:
Mark Paid reads the draft's cart once, not once per step)."""

from __future__ import annotations

from typing import Any

import httpx

from mercato.db.session import Database
from tests.modules.checkout.test_statement_counts import counting
from tests.modules.draft_orders.conftest import Shop

# Measured on SQLite and PostgreSQL; Mark Paid's order answer (the order module's loader) is
# part of its count. Each bound leaves a little room. (Fourth session: 44 and 48 measured;
# sixth session: 30 and 29 on SQLite, 30 and 30 on PostgreSQL.)
CREATE_BOUND = 33
PAY_BOUND = 33


async def test_create_and_mark_paid_run_a_bounded_number_of_statements(
    admin: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    body: dict[str, Any] = {
        "email": "count@drafts.test",
        "region_id": shop.eu,
        "items": [{"variant_id": shop.shirt, "quantity": 1}],
        "shipping_methods": [{"option_id": shop.standard}],
    }
    async with counting(db) as seen:
        res = await admin.post("/admin/draft-orders", json=body)
    assert res.status_code == 200, res.text
    created = len(seen)
    draft = res.json()["draft_order"]
    async with counting(db) as seen:
        res = await admin.post(f"/admin/draft-orders/{draft['id']}/pay")
    assert res.status_code == 200, res.text
    paid = len(seen)
    order = res.json()["order"]
    assert order["payment_status"] == "captured"
    assert order["total"] == draft["cart"]["total"]
    print({"create": created, "mark paid": paid})
    assert created <= CREATE_BOUND, (created, CREATE_BOUND)
    assert paid <= PAY_BOUND, (paid, PAY_BOUND)
