"""rows.load_trees: the tree of one row (one JSON statement on PostgreSQL) equals the same row's
tree read level by level (the form of several rows), whatever the tree. (`client`: the app,
which registers the providers the orders refer to.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import event

from mercato.core import rows
from mercato.core.present import Tree, merge_trees, relation_tree
from mercato.db.session import Database
from mercato.modules.orders.models import Order
from mercato.modules.orders.service import DEFAULT_VIEW
from mercato.modules.regions.models import Region
from tests.modules.orders.helpers import build_order

# the default admin order tree and, beyond it, secondary relations and nested many-to-ones
RICH_TREE: Tree = merge_trees(
    DEFAULT_VIEW.tree,
    relation_tree(
        [
            "region.countries",
            "region.payment_providers",
            "region.fulfillment_providers",
            "items.variant.product",
        ]
    ),
)


async def _trees(db: Database, ids: list[str], tree: Tree) -> tuple[list[dict[str, Any]], int]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = db.read_session.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        async with db.read_session() as tx:
            found = await rows.load_trees(tx, Order, ids, tree)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return found, len(seen)


async def test_one_row_tree_equals_the_level_by_level_tree(db: Database, client: httpx.AsyncClient) -> None:
    first = await build_order(db, items=[("Shirt", 1000, 3), ("Mug", 500, 2), ("Cap", 250, 1)])
    second = await build_order(db, email="other@example.com")
    one, one_statements = await _trees(db, [first.order_id], RICH_TREE)
    both, both_statements = await _trees(db, [first.order_id, second.order_id], RICH_TREE)
    assert one == [both[0]]
    order = one[0]
    assert len(order["items"]) == 3
    assert {len(item["tax_lines"]) for item in order["items"]} == {1}
    assert order["region"]["countries"] and order["shipping_methods"][0]["tax_lines"]
    assert order["created_at"].endswith("Z") and order["items"][0]["created_at"].endswith("Z")
    if db.url.startswith("postgresql"):
        assert (one_statements, both_statements > 5) == (1, True)
    else:
        assert one_statements == both_statements


async def test_long_rows_are_read_in_chunks(
    db: Database, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """json_build_array takes 100 arguments: rows wider than the chunk size come back whole."""
    built = await build_order(db)
    expected, _ = await _trees(db, [built.order_id, built.order_id], RICH_TREE)
    monkeypatch.setattr(rows, "_ARGS", 4)
    monkeypatch.setattr(rows, "_LEVELS", {})
    monkeypatch.setattr(rows, "_BY_TREE", {})
    found, _ = await _trees(db, [built.order_id], RICH_TREE)
    assert found == expected[:1]


async def test_missing_row_and_empty_collections(db: Database, client: httpx.AsyncClient) -> None:
    built = await build_order(db)
    found, _ = await _trees(db, ["order_missing", built.order_id], RICH_TREE)
    assert [o["id"] for o in found] == [built.order_id]
    alone, _ = await _trees(db, ["order_missing"], RICH_TREE)
    assert alone == []
    order = found[0]
    assert (order["claims"], order["swaps"], order["refunds"], order["returns"]) == ([], [], [], [])
    assert order["discounts"] == [] and order["gift_cards"] == []


async def test_region_tree_with_secondary_relations(db: Database, client: httpx.AsyncClient) -> None:
    built = await build_order(db)
    tree = relation_tree(["countries", "currency", "payment_providers", "fulfillment_providers"])
    async with db.read_session() as tx:
        one = await rows.load_trees(tx, Region, [built.region_id], tree)
        both = await rows.load_trees(tx, Region, [built.region_id, "reg_missing"], tree)
    assert one == both and len(one) == 1
    assert {c["iso_2"] for c in one[0]["countries"]} >= {"de", "fr"}


async def test_relation_of_one_row_equals_the_level_by_level_relation(
    db: Database, client: httpx.AsyncClient
) -> None:
    first = await build_order(db)
    second = await build_order(db, email="other@example.com")
    tree = relation_tree(["tax_lines", "variant.product"])
    async with db.read_session() as tx:
        one = await rows.load_trees(tx, Order, [first.order_id, second.order_id], {})
        alone = [dict(one[0])]
        await rows.load_relation(tx, Order, alone, "items", tree)
        await rows.load_relation(tx, Order, one, "items", tree)
        await rows.load_relation(tx, Order, alone, "region", {"countries": {}})
        await rows.load_relation(tx, Order, one, "region", {"countries": {}})
    assert alone[0] == one[0]
    assert len(alone[0]["items"]) == 2 and alone[0]["items"][0]["tax_lines"]
    assert alone[0]["region"]["countries"]
