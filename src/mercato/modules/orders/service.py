"""Orders: Medusa v1's services/order.ts (retrieve, list, update, complete, archive, cancel,
capture, refund, shipping methods, fulfillments, shipments) and services/fulfillment.ts.

Statuses move only through `mercato.modules.orders.states` (explicit transition tables). Every
amount comes from `mercato.pricing.totals.order_totals` over the order's persisted rows (tax lines,
line item adjustments, gift card transactions, payments, refunds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, cast, delete, func, insert, or_, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from mercato.core.clock import utcnow
from mercato.core.errors import duplicate, invalid_data, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, merge_trees, present, relation_tree, with_profile
from mercato.core.query import apply_date_filter, apply_order, apply_page, count_rows
from mercato.core.rows import dictify, load_trees
from mercato.db import raw
from mercato.modules.carts.models import LineItem, ShippingMethod, ShippingMethodTaxLine
from mercato.modules.customers.models import Address, Customer
from mercato.modules.orders import states
from mercato.modules.orders.models import (
    DraftOrder,
    Fulfillment,
    FulfillmentItem,
    Order,
    Payment,
    TrackingLink,
    t_order_discounts,
)
from mercato.modules.orders.schemas import (
    AdminGetOrdersParams,
    AdminPostOrdersOrderFulfillmentsReq,
    AdminPostOrdersOrderReq,
    AdminPostOrdersOrderShipmentReq,
    AdminPostOrdersOrderShippingMethodsReq,
    OrderFindParams,
)
from mercato.modules.products.inventory import release_stock
from mercato.pricing import inputs
from mercato.pricing import totals as T
from mercato.providers.fulfillment import get_fulfillment_provider

# types/orders.ts defaultAdminOrdersRelations (+ sales_channel: the feature flag is on). The
# returns/swaps/claims sub-relations are not loaded: Mercato does not create those yet.
DEFAULT_RELATIONS = [
    "billing_address",
    "claims",
    "customer",
    "discounts",
    "discounts.rule",
    "fulfillments",
    "fulfillments.items",
    "fulfillments.tracking_links",
    "gift_card_transactions",
    "gift_cards",
    "items",
    "payments",
    "refunds",
    "region",
    "returns",
    "sales_channel",
    "shipping_address",
    "shipping_methods",
    "shipping_methods.shipping_option",
    "shipping_methods.tax_lines",
    "swaps",
]
# OrderService.getTotalsRelations + transformQueryForTotals: always loaded, whatever `expand` says
TOTALS_RELATIONS = [
    "items",
    "items.tax_lines",
    "items.adjustments",
    "items.variant",
    "items.variant.product",
    "items.variant.product.profiles",
    "swaps",
    "claims",
    "discounts",
    "discounts.rule",
    "gift_cards",
    "gift_card_transactions",
    "refunds",
    "shipping_methods",
    "shipping_methods.tax_lines",
    "region",
    "payments",
]
_NESTED_ONLY_TOP = ("returns", "swaps", "claims")

# types/orders.ts defaultAdminOrdersFields (+ sales_channel_id)
DEFAULT_FIELDS = (
    "id",
    "status",
    "fulfillment_status",
    "payment_status",
    "display_id",
    "cart_id",
    "draft_order_id",
    "customer_id",
    "email",
    "region_id",
    "currency_code",
    "tax_rate",
    "canceled_at",
    "created_at",
    "updated_at",
    "metadata",
    "no_notification",
    "sales_channel_id",
)
TOTAL_FIELDS = (
    "subtotal",
    "discount_total",
    "shipping_total",
    "refunded_total",
    "paid_total",
    "refundable_amount",
    "item_tax_total",
    "shipping_tax_total",
    "tax_total",
    "gift_card_total",
    "gift_card_tax_total",
    "total",
)


# ---- query configuration ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class View:
    """What one answer shows: relations to load, columns, relations and totals to print."""

    tree: Tree
    fields: frozenset[str] | None  # None: Medusa's default columns
    totals: frozenset[str]
    shown: frozenset[str] | None = None  # top-level relations printed (None: all loaded)
    # False: items show only `refundable` and shipping methods no totals (a list's default)
    line_totals: bool = True
    # items also carry `raw_discount_total` (decorateTotals sets it on every item; the admin order
    # routes' cleanResponseData strips it, cart completion's answer keeps it)
    item_raw_discount: bool = False
    # a list whose `fields` name totals goes through decorateTotalsLegacy, which computes only
    # those: the items' totals with `subtotal` or `total`, their `refundable` with
    # `items.refundable`, and no shipping method's totals
    item_refundable: bool = True
    method_totals: bool = True
    # cleanResponseData with `expand` and no `fields`: items not expanded keep only these keys
    # (defaultAdminOrdersFields names `items.refundable`; `expand=items.variant` adds `variant`)
    item_keys: frozenset[str] | None = None
    # includes.returnable_items (GET /admin/orders/{id}?expand=returnable_items): the items
    # shipped and not all returned, with their totals
    returnable_items: bool = False


def _chosen(p: OrderFindParams | AdminGetOrdersParams | None) -> set[str] | None:
    """The names in `fields`, or None without it."""
    if p is None or p.fields is None:
        return None
    return {f.strip() for f in p.fields.split(",") if f.strip()}


def _selects_totals(chosen: set[str] | None) -> bool:
    """Whether the selection holds a total (no `fields`: the defaults, which do), which sends
    Medusa's retrieve through transformQueryForTotals."""
    return chosen is None or bool(chosen & set(TOTAL_FIELDS))


# eager relations of the entities: a fulfillment always comes with its items (Fulfillment.items)
_EAGER = {"fulfillments": ("fulfillments.items",)}


def with_eager(relations: list[str]) -> list[str]:
    """The relations and what their entities load eagerly wherever they are loaded."""
    heads = {r.split(".", 1)[0] for r in relations}
    return relations + [e for head, eager in _EAGER.items() if head in heads for e in eager]


def _clean_relation(path: str) -> str:
    head = path.split(".", 1)[0]
    return head if head in _NESTED_ONLY_TOP else path


# transformQueryForTotals, when the selected fields hold a total (the default ones do): the
# gift card of each gift card transaction comes along
_WITH_GIFT_CARDS = relation_tree(["gift_card_transactions.gift_card"])

DEFAULT_VIEW = View(
    merge_trees(relation_tree(DEFAULT_RELATIONS), relation_tree(TOTALS_RELATIONS), _WITH_GIFT_CARDS),
    None,
    frozenset(TOTAL_FIELDS),
)


# OrderService.listAndCount with the default fields: decorateTotals only computes items.refundable
LIST_VIEW = dataclasses.replace(DEFAULT_VIEW, totals=frozenset(), line_totals=False)


RETURNABLE_ITEMS = "returnable_items"


def _includes(
    p: OrderFindParams | AdminGetOrdersParams | None, allowed: bool
) -> tuple[OrderFindParams | AdminGetOrdersParams | None, bool]:
    """transformIncludesOptions: `returnable_items` taken out of `expand` (the first one) as an
    include, which only GET /admin/orders/{id} accepts; the rest of `expand` stays, and when
    nothing is left, no relation is shown but the include (allowedProperties then holds it)."""
    if p is None or p.expand is None:
        return p, False
    parts = p.expand.split(",")
    if RETURNABLE_ITEMS not in parts:
        return p, False
    if not allowed:
        raise invalid_data(f'The field "{RETURNABLE_ITEMS}" is not supported by this end point. ')
    parts.remove(RETURNABLE_ITEMS)
    return p.model_copy(update={"expand": ",".join(parts)}), True


def view_for(
    p: OrderFindParams | AdminGetOrdersParams | None, *, is_list: bool = False, includes_ok: bool = False
) -> View:
    """utils/get-query-config.ts + OrderService for the orders routes: `expand` replaces the
    default relations (the totals relations are still loaded; the answer shows the expanded ones
    plus items, swaps and claims, and a list then shows no order totals); `fields` picks columns
    and totals (the default relations stay). `includes_ok`: the route takes `returnable_items`."""
    p, returnable = _includes(p, includes_ok)
    if returnable:
        return dataclasses.replace(view_for(p, is_list=is_list), returnable_items=True)
    if p is None or (p.expand is None and p.fields is None):
        return LIST_VIEW if is_list else DEFAULT_VIEW
    relations = list(DEFAULT_RELATIONS)
    shown: frozenset[str] | None = None
    totals = frozenset(TOTAL_FIELDS)
    item_keys: frozenset[str] | None = None
    if p.expand is not None:
        relations = [_clean_relation(r.strip()) for r in p.expand.split(",") if r.strip()]
        shown = frozenset({r.split(".", 1)[0] for r in relations} | {"items", "swaps", "claims"})
        if p.fields is None and "items" not in relations:
            item_keys = frozenset(
                {"refundable"} | {r.split(".")[1] for r in relations if r.startswith("items.")}
            )
    tree = merge_trees(relation_tree(with_eager(relations)), relation_tree(TOTALS_RELATIONS))
    fields: frozenset[str] | None = None
    refundable = method_totals = line_totals = True
    chosen = _chosen(p)
    if _selects_totals(chosen):
        tree = merge_trees(tree, _WITH_GIFT_CARDS)
    elif not any(r == "items.variant.product" or r.startswith("items.variant.product.") for r in relations):
        # getTotalsRelations alone loads the items' variants without their product (only
        # transformQueryForTotals adds items.variant.product.profiles), unless `expand` names it
        variant = dict(tree["items"]["variant"])
        variant.pop("product", None)
        tree = {**tree, "items": {**tree["items"], "variant": variant}}
    if chosen is not None:
        named = frozenset(chosen & set(TOTAL_FIELDS))
        if is_list and named:
            # a list decorates only the totals it selects (see View); selecting none, like
            # retrieveWithTotals, decorates them all
            totals, method_totals = named, False
            line_totals = bool(named & {"subtotal", "total"})
            refundable = "items.refundable" in chosen
        fields = frozenset({c for c in chosen if "." not in c and c not in TOTAL_FIELDS} | {"id"})
        if is_list:
            fields = fields | {"created_at"}
        if p.expand is not None:
            # cleanResponseData keeps only the fields and the expanded relations
            shown = frozenset(r.split(".", 1)[0] for r in relations)
    elif is_list:
        totals = frozenset()
    # cleanResponseData: with `fields` it picks them (and the totals) from the decorated order,
    # whose items keep `raw_discount_total` unless an item field is named; without, it strips it
    raw_discount = chosen is not None and not any(f.startswith("items.") for f in chosen)
    # unknown relation names are Medusa's 400
    load_options(Order, tree)
    return View(
        tree,
        fields,
        totals,
        shown,
        line_totals=line_totals and not (is_list and not totals),
        item_raw_discount=raw_discount,
        item_refundable=refundable,
        method_totals=method_totals,
        item_keys=item_keys,
    )


# ---- reading ---------------------------------------------------------------------------------


async def retrieve_order(
    tx: AsyncSession, order_id: str, *, lock: bool = False, legacy: bool = False
) -> Order:
    """OrderService.retrieve: 404 "Order with id <id> was not found". `lock` takes the row for
    the rest of the transaction (PostgreSQL FOR UPDATE; SQLite writers are serialized anyway).
    `legacy`: Medusa's caller reads through retrieveLegacy (retrieveWithTotals), whose message
    lists the selector as "id: <id>"."""
    stmt = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    if lock and tx.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update(of=Order)
    order = (await tx.execute(stmt)).scalar_one_or_none()
    if order is None:
        raise not_found(f"Order with id{':' if legacy else ''} {order_id} was not found")
    return order


def _options(model: type, tree: Tree) -> list[Any]:
    """Loader options for a relation tree: a single row (many-to-one) is joined into its parent's
    query, a collection costs one query; so a page costs one query per collection, whatever its
    size."""
    load_options(model, tree)  # Medusa's 400 for an unknown relation
    mapper: Any = sa_inspect(model)
    out: list[Any] = []
    for name, sub in tree.items():
        rel = mapper.relationships[name]
        attr = getattr(model, name)
        loader = selectinload(attr) if rel.uselist else joinedload(attr)
        children = _options(rel.mapper.class_, sub)
        out.append(loader.options(*children) if children else loader)
    return out


async def load_orders(tx: AsyncSession, ids: Sequence[str], tree: Tree) -> list[Order]:
    """Orders with the relations of `tree` (one query per collection, whatever the number)."""
    if not ids:
        return []
    stmt = (
        select(Order)
        .where(Order.id.in_(list(ids)))
        .options(*_options(Order, tree))
        .execution_options(populate_existing=True)
    )
    rows = {o.id: o for o in (await tx.execute(stmt)).scalars()}
    return [rows[i] for i in ids if i in rows]


def _make(cls: type, **values: Any) -> Any:
    """A totals dataclass, leaving out fields an older version of the contract lacks."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names})


def _loaded(obj: Any, name: str) -> Any:
    """A relation's value if it was loaded, else None (never a lazy load)."""
    return obj.__dict__.get(name)


_TOTALS_TREE = relation_tree(TOTALS_RELATIONS)


def order_totals(order: Order) -> T.Totals:
    """OrderService.decorateTotals over the loaded rows (TOTALS_RELATIONS must be loaded)."""
    data = dictify(order, _TOTALS_TREE)
    assert data is not None
    return _totals(data)


def _totals(order: dict[str, Any]) -> T.Totals:
    """decorateTotals over an order dict (see rows.py): REAL rates already read as float4."""
    items = inputs.line_items(order.get("items") or ())
    methods = inputs.shipping_methods(order.get("shipping_methods") or ())
    discounts = inputs.discounts(order.get("discounts") or ())
    region = order.get("region")
    cards = order.get("gift_cards") or ()
    gift_cards = inputs.gift_cards(cards)
    rates = {g["id"]: g["tax_rate"] for g in cards}
    transactions = [
        _make(
            T.GiftCardTransaction,
            amount=t["amount"],
            tax_rate=t["tax_rate"],
            is_taxable=t["is_taxable"],
            gift_card_tax_rate=rates.get(t["gift_card_id"]),
        )
        for t in order.get("gift_card_transactions") or ()
    ]
    paid_total = sum(p["amount"] for p in order.get("payments") or ())
    refunded_total = round(sum(r["amount"] for r in order.get("refunds") or ()))
    return T.order_totals(
        items,
        methods,
        discounts=discounts,
        gift_card_transactions=transactions,
        gift_cards=gift_cards,
        paid_total=paid_total,
        refunded_total=refunded_total,
        tax_rate=order["tax_rate"],
        gift_cards_taxable=bool(region["gift_cards_taxable"]) if region is not None else True,
        region_tax_rate=float(region["tax_rate"]) if region is not None else 0,
    )


_ITEM_TOTALS = ("subtotal", "discount_total", "total", "original_total", "original_tax_total", "tax_total")
_METHOD_TOTALS = ("original_total", "total", "subtotal", "original_tax_total", "tax_total")
_ORDER_COLUMNS = frozenset(c.name for c in Order.__table__.columns)
_DEFAULT_COLUMNS = frozenset(DEFAULT_FIELDS) & _ORDER_COLUMNS


def _present_product(product: dict[str, Any] | None, sub: Tree) -> dict[str, Any] | None:
    if product is None:
        return None
    out = _copy(product, sub)
    if "profiles" in sub:
        with_profile(out)
    return out


def _copy(row: dict[str, Any] | None, sub: Tree) -> Any:
    """A loaded dict as printed: it holds exactly the relations of `sub` (the view's tree is what
    was loaded), so it is used as is. Rows shared between parents (a variant, a region) are only
    ever given the same keys and values."""
    return row


def _present_item(item: dict[str, Any], sub: Tree, totals: T.Totals, view: View) -> dict[str, Any]:
    out = _copy(item, {k: v for k, v in sub.items() if k != "variant"})
    if "variant" in sub:
        variant = item.get("variant")
        vsub = sub["variant"]
        shown = _copy(variant, {k: v for k, v in vsub.items() if k != "product"})
        if shown is not None and "product" in vsub:
            shown["product"] = _present_product(variant.get("product") if variant else None, vsub["product"])
        out["variant"] = shown
    # decorateTotals: the answer's quantity is what was not returned
    out["quantity"] = item["quantity"] - (item["returned_quantity"] or 0)
    line = totals.items.get(item["id"])
    if line is not None:
        if view.item_refundable:
            out["refundable"] = line.refundable
        if view.line_totals:
            for key in _ITEM_TOTALS:
                out[key] = getattr(line, key)
            if view.item_raw_discount:
                out["raw_discount_total"] = line.raw_discount_total
    return out


def _present_method(method: dict[str, Any], sub: Tree, totals: T.Totals) -> dict[str, Any]:
    out = _copy(method, sub)
    line = totals.shipping_methods.get(method["id"])
    if line is not None:
        for key in _METHOD_TOTALS:
            out[key] = getattr(line, key)
    return out


def render_order(
    order: dict[str, Any], view: View = DEFAULT_VIEW, *, with_object: bool = False
) -> dict[str, Any]:
    """Medusa's admin order JSON from an order dict (rows.load_trees / rows.dictify): columns,
    relations of the view, every total (computed once per order)."""
    totals = _totals(order)
    out: dict[str, Any] = {"object": "order"} if with_object else {}
    columns = (view.fields & _ORDER_COLUMNS) | {"id"} if view.fields is not None else _DEFAULT_COLUMNS
    for key, value in order.items():
        if key in columns:
            out[key] = value
    for name, sub in sorted(view.tree.items()):
        hidden = view.shown is not None and name not in view.shown
        if hidden and not (name == "items" and view.returnable_items):
            continue
        value = order.get(name)
        if name == "items":
            presented = [_present_item(i, sub, totals, view) for i in value or ()]
            if view.returnable_items:
                # the items with their totals, before cleanResponseData picks from `items`
                out[RETURNABLE_ITEMS] = [
                    i for i in presented if (i["returned_quantity"] or 0) < (i["shipped_quantity"] or 0)
                ]
            if view.item_keys is not None:
                presented = [{k: v for k, v in i.items() if k in view.item_keys} for i in presented]
            if not hidden:
                out[name] = presented
        elif name == "shipping_methods" and view.line_totals and view.method_totals:
            out[name] = [_present_method(m, sub, totals) for m in value or ()]
        elif isinstance(value, list):
            out[name] = [_copy(v, sub) for v in value]
        else:
            out[name] = _copy(value, sub)
    for key in TOTAL_FIELDS:
        if key in view.totals:
            out[key] = getattr(totals, key)
    return out


def present_order(order: Order, view: View = DEFAULT_VIEW, *, with_object: bool = False) -> dict[str, Any]:
    """Medusa's admin order JSON of an ORM order loaded with the view's relations."""
    data = dictify(order, view.tree)
    assert data is not None
    return render_order(data, view, with_object=with_object)


async def order_response(
    tx: AsyncSession,
    order_id: str,
    p: OrderFindParams | None = None,
    *,
    with_object: bool = False,
    includes_ok: bool = False,
    cleaned: bool = True,
) -> dict[str, Any]:
    """`{"order": …}`: fresh rows, Medusa's default relations and totals. `cleaned` False: an
    action's answer, which Medusa passes through cleanResponseData(order, []): every loaded
    relation shows (the totals' ones too), and a selection naming a total keeps the tax_rate
    transformQueryForTotals adds."""
    view = view_for(p, includes_ok=includes_ok)
    if not cleaned and p is not None and (p.expand is not None or p.fields is not None):
        fields = view.fields
        if fields is not None and _selects_totals(_chosen(p)):
            fields = fields | {"tax_rate"}
        view = dataclasses.replace(view, shown=None, item_keys=None, fields=fields)
    found = await load_trees(tx, Order, [order_id], view.tree)
    if not found:
        if _selects_totals(_chosen(p)):
            # selecting totals sends Medusa's retrieve through retrieveLegacy, whose message
            # lists the selector as "key: value"
            raise not_found(f"Order with id: {order_id} was not found")
        raise not_found(f"Order with id {order_id} was not found")
    return {"order": render_order(found[0], view, with_object=with_object)}


def _list_statement(p: AdminGetOrdersParams) -> Select[Any]:
    stmt: Select[Any] = select(Order.id, Order.created_at)  # type: ignore[assignment]
    if p.id is not None:
        stmt = stmt.where(Order.id == p.id)
    for name in ("status", "fulfillment_status", "payment_status"):
        values = getattr(p, name)
        if values is not None:
            stmt = stmt.where(getattr(Order, name).in_(values))
    if p.sales_channel_id is not None:
        stmt = stmt.where(Order.sales_channel_id.in_([str(v) for v in p.sales_channel_id]))
    if p.region_id is not None:
        regions = p.region_id if isinstance(p.region_id, list) else [p.region_id]
        stmt = stmt.where(Order.region_id.in_(regions))
    for name in ("cart_id", "customer_id", "currency_code"):
        value = getattr(p, name)
        if value is not None:
            stmt = stmt.where(getattr(Order, name) == value)
    return apply_shared_order_filters(stmt, p)


def apply_shared_order_filters(stmt: Any, p: Any) -> Any:
    """The filters the admin list and the customer's store list share (both are Medusa's
    OrderService.listAndCount): tax_rate, date ranges, and `q`, which replaces display_id and email."""
    if p.tax_rate is not None:
        stmt = stmt.where(cast(Order.tax_rate, String) == p.tax_rate)
    for name in ("canceled_at", "created_at", "updated_at"):
        value = getattr(p, name)
        if value is not None:
            stmt = apply_date_filter(stmt, getattr(Order, name), value)
    if p.q:
        # listAndCount: q replaces the display_id and email filters; customer and shipping address
        # must exist (inner joins)
        pattern = f"%{p.q}%"
        stmt = (
            stmt.join(Customer, Customer.id == Order.customer_id)
            .join(Address, Address.id == Order.shipping_address_id)
            .where(
                or_(
                    Address.first_name.ilike(pattern),
                    Order.email.ilike(pattern),
                    cast(Order.display_id, String).ilike(pattern),
                    Customer.first_name.ilike(pattern),
                    Customer.last_name.ilike(pattern),
                    Customer.phone.ilike(pattern),
                )
            )
        )
    else:
        if p.display_id is not None:
            try:
                stmt = stmt.where(Order.display_id == int(p.display_id))
            except ValueError:
                raise invalid_data(f'invalid input syntax for type integer: "{p.display_id}"') from None
        if p.email is not None:
            stmt = stmt.where(Order.email == p.email)
    return stmt


async def list_orders(tx: AsyncSession, p: AdminGetOrdersParams) -> tuple[list[dict[str, Any]], int]:
    """OrderService.listAndCount, newest first unless `order` says otherwise: the page's ids, then
    the orders as plain rows (rows.load_trees: a fixed number of statements whatever the page
    size), totals computed once per order."""
    view = view_for(p, is_list=True)
    stmt = _list_statement(p)
    count = await count_rows(tx, stmt)
    page = apply_page(apply_order(stmt, Order, p.order, default="-created_at"), p.offset, p.limit)
    ids = [row[0] for row in (await tx.execute(page)).all()]
    orders = await load_trees(tx, Order, ids, view.tree)
    return [render_order(o, view) for o in orders], count


# ---- actions ---------------------------------------------------------------------------------


def _set_status(order: Order, machine: str, event: str, target: str) -> None:
    setattr(order, machine, states.move(machine, event, getattr(order, machine), target))


async def complete_order(tx: AsyncSession, order_id: str) -> Order:
    order = await retrieve_order(tx, order_id, lock=True)
    _set_status(order, "status", "complete", "completed")
    emit(tx, "order.completed", {"id": order.id, "no_notification": order.no_notification})
    order.updated_at = utcnow()
    await tx.flush()
    return order


async def archive_order(tx: AsyncSession, order_id: str) -> Order:
    order = await retrieve_order(tx, order_id, lock=True)
    _set_status(order, "status", "archive", "archived")
    order.updated_at = utcnow()
    await tx.flush()
    return order


async def cancel_order(tx: AsyncSession, order_id: str) -> Order:
    """OrderService.cancel: refused with refunds, or with fulfillments/returns/swaps/claims that
    are not canceled; payments are canceled through their provider."""
    from mercato.modules.payments.service import cancel_payment

    await retrieve_order(tx, order_id, lock=True)
    tree = relation_tree(["refunds", "fulfillments", "payments", "returns", "claims", "swaps", "items"])
    (order,) = await load_orders(tx, [order_id], tree)
    if order.refunds:  # type: ignore[attr-defined]
        raise not_allowed("Order with refund(s) cannot be canceled")
    checks: list[tuple[str, Sequence[Any], Any]] = [
        ("fulfillments", order.fulfillments, lambda f: f.canceled_at is None),  # type: ignore[attr-defined]
        ("returns", order.returns, lambda r: r.status != "canceled"),  # type: ignore[attr-defined]
        ("swaps", order.swaps, lambda s: s.canceled_at is None),  # type: ignore[attr-defined]
        ("claims", order.claims, lambda c: c.canceled_at is None),  # type: ignore[attr-defined]
    ]
    for kind, rows, pending in checks:
        if any(pending(r) for r in rows):
            raise not_allowed(f"All {kind} must be canceled before canceling an order")
    states.check("status", "cancel", order.status)
    if order.status != "canceled" and order.draft_order_id is None:
        # ProductVariantInventoryService.deleteReservationsByLineItem without an inventory
        # module: each line's quantity goes back to its variant (managed inventory only).
        # Only what was taken goes back: Medusa repeats it at every repeated cancel, and gives
        # back units a draft order's Mark Paid never took (it reserves nothing).
        for item in order.items:  # type: ignore[attr-defined]
            if item.variant_id is not None:
                await release_stock(tx, item.variant_id, item.quantity)
    for payment in order.payments:  # type: ignore[attr-defined]
        await cancel_payment(tx, payment.id)
    _set_status(order, "status", "cancel", "canceled")
    _set_status(order, "fulfillment_status", "cancel", "canceled")
    _set_status(order, "payment_status", "cancel", "canceled")
    now = utcnow()
    order.canceled_at = now
    order.updated_at = now
    await tx.flush()
    emit(tx, "order.canceled", {"id": order.id, "no_notification": order.no_notification})
    return order


async def capture_order_payment(
    tx: AsyncSession, order_id: str, *, placed: tuple[Order, list[Payment]] | None = None
) -> Order:
    """OrderService.capturePayment: every uncaptured payment is captured; payment_status becomes
    captured when all are, requires_action otherwise. `placed`: the order and its payments as the
    caller made them in this transaction (no one else can hold them: nothing to lock or read)."""
    from mercato.core.errors import MedusaError
    from mercato.modules.payments.service import capture_payment

    if placed is not None:
        order, payments = placed
    else:
        await retrieve_order(tx, order_id, lock=True)
        (order,) = await load_orders(tx, [order_id], relation_tree(["payments"]))
        payments = list(order.payments)  # type: ignore[attr-defined]
    states.guard("capture", order.status)
    captured: list[bool] = []
    for payment in payments:
        if payment.captured_at is not None:
            captured.append(True)
            continue
        try:
            # read just now with the order (its row locked): no need to read it again
            done = await capture_payment(tx, payment.id, loaded=payment, made_here=placed is not None)
            captured.append(done.captured_at is not None)
        except MedusaError as err:
            emit(
                tx,
                "order.payment_capture_failed",
                {
                    "id": order.id,
                    "payment_id": payment.id,
                    "error": {"type": err.type, "message": err.message},
                    "no_notification": order.no_notification,
                },
            )
            captured.append(False)
    status = states.move("payment_status", "capture", order.payment_status, states.capture_target(captured))
    if placed is None or status != order.payment_status:
        # sent with the next statement (the order's read for the answer, or the COMMIT); an
        # order the caller placed already holds the status it expected
        await raw.update_entity(tx, order, {"payment_status": status, "updated_at": utcnow()}, later=True)
    if status == "captured":
        emit(tx, "order.payment_captured", {"id": order.id, "no_notification": order.no_notification})
    return order


async def refund_order(
    tx: AsyncSession,
    order_id: str,
    amount: int,
    reason: str,
    note: str | None = None,
    no_notification: bool | None = None,
) -> Order:
    """OrderService.createRefund: never beyond refundable_amount (paid − refunded), checked on the
    locked order and again by the payments' guarded UPDATE."""
    from mercato.modules.payments.service import refund_payments

    await retrieve_order(tx, order_id, lock=True, legacy=True)
    tree = merge_trees(relation_tree(TOTALS_RELATIONS))
    (order,) = await load_orders(tx, [order_id], tree)
    states.guard("refund", order.status)
    if amount < 0:
        # Medusa stores a negative refund, which makes refunded money refundable again; refused
        raise invalid_data("amount must not be less than 0")
    totals = order_totals(order)
    if amount > (totals.refundable_amount or 0):
        raise not_allowed("Cannot refund more than the original order amount")
    if reason not in ("discount", "return", "swap", "claim", "other"):
        raise invalid_data(f'invalid input value for enum refund_reason_enum: "{reason}"')
    refund = await refund_payments(tx, [p.id for p in order.payments], amount, reason, note)  # type: ignore[attr-defined]
    if refund.order_id is None:
        refund.order_id = order.id
    await tx.flush()
    (order,) = await load_orders(tx, [order_id], tree)
    after = order_totals(order)
    target = states.refund_target(order.payment_status, after.paid_total or 0, after.refunded_total or 0)
    _set_status(order, "payment_status", "refund", target)
    order.updated_at = utcnow()
    await tx.flush()
    emit(
        tx,
        "order.refund_created",
        {
            "id": order.id,
            "refund_id": refund.id,
            "no_notification": no_notification if no_notification is not None else order.no_notification,
        },
    )
    return order


async def _address(tx: AsyncSession, order: Order, attr: str, data: dict[str, Any]) -> None:
    """OrderService.updateShippingAddress / updateBillingAddress."""
    from mercato.modules.regions.models import Country

    values = dict(data)
    code = values.get("country_code")
    values["country_code"] = code.lower() if isinstance(code, str) else None
    in_region = (
        await tx.execute(
            select(Country.iso_2).where(
                Country.region_id == order.region_id, Country.iso_2 == values["country_code"]
            )
        )
    ).first()
    if in_region is None:
        raise invalid_data("Shipping country must be in the order region")
    metadata = values.pop("metadata", None)
    existing_id = getattr(order, attr)
    if existing_id:
        address = (await tx.execute(select(Address).where(Address.id == existing_id))).scalar_one_or_none()
    else:
        address = None
    if address is None:
        address = Address()
        tx.add(address)
        if metadata is not None:
            address.metadata_ = merge_metadata(None, metadata) if attr == "billing_address_id" else metadata
    elif metadata is not None:
        address.metadata_ = (
            merge_metadata(address.metadata_, metadata) if attr == "billing_address_id" else metadata
        )
    for key, value in values.items():
        setattr(address, key, value)
    await tx.flush()
    setattr(order, attr, address.id)


_ITEM_COLUMNS = {("metadata_" if c.name == "metadata" else c.name) for c in LineItem.__table__.columns} - {
    "id",
    "created_at",
    "updated_at",
}


async def update_order(tx: AsyncSession, order_id: str, data: AdminPostOrdersOrderReq) -> Order:
    """OrderService.update."""
    order = await retrieve_order(tx, order_id, lock=True)
    states.guard("update", order.status)
    # Medusa tests `update.payment`, a key its validator never lets through: only items count
    if data.items and (
        order.fulfillment_status != "not_fulfilled"
        or order.payment_status != "awaiting"
        or order.status != "pending"
    ):
        raise not_allowed("Can't update shipping, billing, items and payment method when order is processed")
    if data.shipping_address:
        await _address(tx, order, "shipping_address_id", data.shipping_address)
    if data.billing_address:
        await _address(tx, order, "billing_address_id", data.billing_address)
    if data.no_notification:
        order.no_notification = True
    for item in data.items or []:
        values = {("metadata_" if k == "metadata" else k): v for k, v in item.items()}
        values = {k: v for k, v in values.items() if k in _ITEM_COLUMNS}
        tx.add(LineItem(**{**values, "order_id": order.id}))
    if data.email is not None:
        order.email = data.email
    elif "email" in data.model_fields_set:
        # Medusa assigns the null, and the NOT NULL column refuses it
        raise invalid_data("Can't insert null value in field email on insert in table order")
    if data.region is not None:
        # Medusa assigns the text to the `region` relation, which saves region_id as null
        raise invalid_data("Can't insert null value in field region_id on insert in table order")
    if data.discounts is not None:
        # Medusa assigns the objects to the `discounts` relation (TypeORM cascades them)
        if any(not isinstance(d, dict) or not d.get("id") for d in data.discounts):
            raise invalid_data("Can't insert null value in field id on insert in table discount")
        await tx.execute(delete(t_order_discounts).where(t_order_discounts.c.order_id == order.id))
        ids = list(dict.fromkeys(str(d["id"]) for d in data.discounts))
        if ids:
            await tx.execute(
                insert(t_order_discounts), [{"order_id": order.id, "discount_id": i} for i in ids]
            )
    if data.customer_id is not None:
        exists = (await tx.execute(select(Customer.id).where(Customer.id == data.customer_id))).first()
        if exists is None:
            # the foreign key violation, as Medusa's error handler words it
            raise not_found(f"Customer with customer_id {data.customer_id} does not exist.")
        order.customer_id = data.customer_id
    if tx.is_modified(order):
        order.updated_at = utcnow()
    await tx.flush()
    emit(tx, "order.updated", {"id": order.id, "no_notification": order.no_notification})
    return order


async def add_shipping_method(
    tx: AsyncSession, order_id: str, data: AdminPostOrdersOrderShippingMethodsReq
) -> Order:
    """OrderService.addShippingMethod + ShippingOptionService.createShippingMethod: a method of
    the same shipping profile replaces the order's existing one."""
    from mercato.modules.shipping.models import ShippingOption
    from mercato.modules.shipping.service_options import validate_fulfillment_data

    order = await retrieve_order(tx, order_id, lock=True)
    states.guard("add_shipping_method", order.status)
    option = (
        await tx.execute(
            select(ShippingOption).where(
                ShippingOption.id == data.option_id, ShippingOption.deleted_at.is_(None)
            )
        )
    ).scalar_one_or_none()
    if option is None:
        raise not_found(f"Shipping Option with {data.option_id} was not found")
    validated = validate_fulfillment_data(option, dict(data.data or {}))
    existing = (
        await tx.execute(
            select(ShippingMethod, ShippingOption.profile_id)
            .join(ShippingOption, ShippingOption.id == ShippingMethod.shipping_option_id)
            .where(ShippingMethod.order_id == order.id)
        )
    ).all()
    method = ShippingMethod(
        shipping_option_id=option.id,
        order_id=order.id,
        price=data.price,
        data=validated,
        includes_tax=bool(getattr(option, "includes_tax", False)),
    )
    tx.add(method)
    replaced = [old.id for old, profile_id in existing if profile_id == option.profile_id]
    if replaced:
        # the tax lines go with their method. Deliberate: Medusa 1.20.11 deletes the method
        # alone, fails on the tax lines' foreign key and answers 404 "null" (compatibility.md)
        await tx.execute(
            delete(ShippingMethodTaxLine).where(ShippingMethodTaxLine.shipping_method_id.in_(replaced))
        )
        await tx.execute(delete(ShippingMethod).where(ShippingMethod.id.in_(replaced)))
    await tx.flush()
    emit(tx, "order.updated", {"id": order.id})
    return order


# ---- fulfillments ----------------------------------------------------------------------------


async def create_fulfillment(
    tx: AsyncSession, order_id: str, data: AdminPostOrdersOrderFulfillmentsReq
) -> Order:
    """OrderService.createFulfillment + FulfillmentService.createFulfillment: items are checked
    against what is left to fulfil, partitioned per shipping method (by shipping profile), sent to
    each method's provider; fulfilled_quantity and fulfillment_status follow."""
    await retrieve_order(tx, order_id, lock=True)
    tree = relation_tree(
        [
            "items",
            "items.variant",
            "items.variant.product",
            "items.variant.product.profiles",
            "shipping_methods",
            "shipping_methods.shipping_option",
            "shipping_address",
            "billing_address",
            "payments",
            "region",
        ]
    )
    (order,) = await load_orders(tx, [order_id], tree)
    states.guard("fulfill", order.status)
    methods = list(order.shipping_methods)  # type: ignore[attr-defined]
    if not methods:
        raise not_allowed("Cannot fulfill an order that lacks shipping methods")
    by_id = {i.id: i for i in order.items}  # type: ignore[attr-defined]
    wanted: list[tuple[LineItem, int]] = []
    for entry in data.items:
        item = by_id.get(entry["item_id"])
        if item is None:
            continue  # Medusa lets unknown items through (webhooks)
        if entry["quantity"] > item.quantity - (item.fulfilled_quantity or 0):
            raise not_allowed("Cannot fulfill more items than have been purchased")
        wanted.append((item, int(entry["quantity"])))

    partitions: list[tuple[ShippingMethod, list[tuple[LineItem, int]]]]
    if len(methods) == 1:
        partitions = [(methods[0], wanted)]
    else:
        partitions = []
        for method in methods:
            profile = method.shipping_option.profile_id if method.shipping_option is not None else None  # type: ignore[attr-defined]
            partitions.append((method, [(i, q) for i, q in wanted if _product_profile_id(i) == profile]))

    order_view = present(order, {"shipping_address": {}, "billing_address": {}, "region": {}}) or {}
    created: list[Fulfillment] = []
    for method, items in partitions:
        option = method.shipping_option  # type: ignore[attr-defined]
        provider_id = option.provider_id if option is not None else None
        fulfillment = Fulfillment(
            order_id=order.id,
            provider_id=provider_id,
            data={},
            metadata_=data.metadata or {},
            no_notification=data.no_notification,
            location_id=data.location_id,
            tracking_numbers=[],
        )
        tx.add(fulfillment)
        await tx.flush()
        seen: set[str] = set()
        for item, quantity in items:
            if item.id in seen:
                # the same item twice: Medusa's INSERT breaks fulfillment_item's primary key
                raise duplicate(
                    "Fulfillment_item with fulfillment_id, item_id "
                    f"{fulfillment.id}, {item.id} already exists."
                )
            seen.add(item.id)
            tx.add(FulfillmentItem(fulfillment_id=fulfillment.id, item_id=item.id, quantity=quantity))
        if provider_id is not None:
            provider = get_fulfillment_provider(provider_id)
            fulfillment.data = provider.create_fulfillment(
                dict(method.data or {}),
                [{**(present(i) or {}), "quantity": q} for i, q in items],
                order_view,
                present(fulfillment) or {},
            )
        created.append(fulfillment)

    fulfilled: dict[str, int] = {}
    for _, items in partitions:
        for item, quantity in items:
            fulfilled[item.id] = fulfilled.get(item.id, 0) + quantity
    quantities: list[tuple[int, int | None]] = []
    for item in order.items:  # type: ignore[attr-defined]
        if item.id in fulfilled:
            item.fulfilled_quantity = (item.fulfilled_quantity or 0) + fulfilled[item.id]
            item.updated_at = utcnow()
        quantities.append((item.quantity, item.fulfilled_quantity))
    _set_status(order, "fulfillment_status", "fulfill", states.fulfillment_target(quantities))
    order.updated_at = utcnow()
    await tx.flush()
    notify = data.no_notification if data.no_notification is not None else order.no_notification
    for fulfillment in created:
        emit(
            tx,
            "order.fulfillment_created",
            {"id": order.id, "fulfillment_id": fulfillment.id, "no_notification": notify},
        )
    return order


def _product_profile_id(item: LineItem) -> str | None:
    variant = _loaded(item, "variant")
    if variant is None:
        return None
    profiles = variant.product.profiles
    return profiles[0].id if profiles else None


async def _fulfillment(tx: AsyncSession, fulfillment_id: str) -> Fulfillment:
    found = (
        await tx.execute(
            select(Fulfillment)
            .where(Fulfillment.id == fulfillment_id)
            .options(*load_options(Fulfillment, relation_tree(["items"])))
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if found is None:
        raise not_found(f"Fulfillment with id: {fulfillment_id} was not found")
    return found


async def cancel_fulfillment(tx: AsyncSession, order_id: str, fulfillment_id: str) -> Order:
    """cancel-fulfillment route + OrderService.cancelFulfillment + FulfillmentService.cancelFulfillment."""
    fulfillment = await _fulfillment(tx, fulfillment_id)
    if fulfillment.order_id != order_id:
        raise not_found(
            f"no fulfillment was found with the id: {fulfillment_id} related to order: {order_id}"
        )
    order = await retrieve_order(tx, order_id, lock=True)
    if fulfillment.shipped_at is not None:
        raise not_allowed("The fulfillment has already been shipped. Shipped fulfillments cannot be canceled")
    if fulfillment.provider_id:
        get_fulfillment_provider(fulfillment.provider_id).cancel_fulfillment(present(fulfillment) or {})
    now = utcnow()
    fulfillment.canceled_at = now
    fulfillment.updated_at = now
    for fitem in fulfillment.items:  # type: ignore[attr-defined]
        await tx.execute(
            update(LineItem)
            .where(LineItem.id == fitem.item_id)
            .values(
                fulfilled_quantity=func.coalesce(LineItem.fulfilled_quantity, 0) - fitem.quantity,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    _set_status(order, "fulfillment_status", "cancel_fulfillment", "canceled")
    order.updated_at = now
    await tx.flush()
    emit(
        tx,
        "order.fulfillment_canceled",
        {"id": order.id, "fulfillment_id": fulfillment.id, "no_notification": fulfillment.no_notification},
    )
    return order


async def create_shipment(tx: AsyncSession, order_id: str, data: AdminPostOrdersOrderShipmentReq) -> Order:
    """OrderService.createShipment + FulfillmentService.createShipment: tracking links, shipped_at,
    shipped_quantity; fulfillment_status shipped or partially_shipped."""
    await retrieve_order(tx, order_id, lock=True)
    (order,) = await load_orders(tx, [order_id], relation_tree(["items"]))
    fulfillment = (
        await tx.execute(
            select(Fulfillment)
            .where(Fulfillment.id == data.fulfillment_id)
            .options(*load_options(Fulfillment, relation_tree(["items"])))
        )
    ).scalar_one_or_none()
    if fulfillment is None:
        raise not_found(f"Fulfillment with id: {data.fulfillment_id} was not found")
    states.guard("ship", order.status)
    if fulfillment.order_id != order_id:
        raise not_found("Could not find fulfillment")
    if fulfillment.canceled_at is not None:
        raise not_allowed("Fulfillment has been canceled")
    linked = select(TrackingLink.id).where(TrackingLink.fulfillment_id == fulfillment.id).limit(1)
    if (await tx.execute(linked)).first() is not None:
        # Medusa saves the fulfillment with its new tracking links in place of the old ones,
        # which TypeORM orphans by nulling their NOT NULL fulfillment_id: a second shipment of
        # a fulfillment that has links fails with this (formatted not-null violation) error
        raise invalid_data("Can't insert null value in field fulfillment_id on insert in table tracking_link")
    notify = data.no_notification if data.no_notification is not None else fulfillment.no_notification
    now = utcnow()
    fulfillment.shipped_at = now
    fulfillment.updated_at = now
    if data.no_notification is not None:
        fulfillment.no_notification = data.no_notification
    fulfillment.metadata_ = {**(fulfillment.metadata_ or {})}
    for number in data.tracking_numbers or []:
        tx.add(TrackingLink(tracking_number=number, fulfillment_id=fulfillment.id))
    shipped = {f.item_id: f.quantity for f in fulfillment.items}  # type: ignore[attr-defined]
    quantities: list[tuple[int, int | None]] = []
    for item in order.items:  # type: ignore[attr-defined]
        if item.id in shipped:
            item.shipped_quantity = (item.shipped_quantity or 0) + shipped[item.id]
            item.updated_at = now
        quantities.append((item.quantity, item.shipped_quantity))
    _set_status(order, "fulfillment_status", "ship", states.shipment_target(quantities))
    order.updated_at = now
    await tx.flush()
    emit(
        tx,
        "order.shipment_created",
        {"id": order.id, "fulfillment_id": fulfillment.id, "no_notification": notify},
    )
    return order


# (SQLite: max + 1, PostgreSQL: Medusa's sequence) per table with a display id
# Medusa's display_id sequences (the columns' defaults on PostgreSQL), as SQL expressions
DISPLAY_ID_SEQUENCES = {
    "order": func.nextval("order_display_id_seq"),
    "draft_order": func.nextval("draft_order_display_id_seq"),
}
_DISPLAY_IDS = {
    "order": (select(func.max(Order.display_id)), select(DISPLAY_ID_SEQUENCES["order"])),
    "draft_order": (select(func.max(DraftOrder.display_id)), select(DISPLAY_ID_SEQUENCES["draft_order"])),
}


async def next_display_id(tx: AsyncSession, table: str = "order") -> int:
    """The next display_id of an order or a draft order (PostgreSQL: Medusa's sequence, the
    column's default there; SQLite: max + 1, safe because SQLite serializes writers)."""
    conn = await raw.flushed(tx)
    largest, sequence = _DISPLAY_IDS[table]
    if conn.dialect.name == "sqlite":
        current = (await raw.fetch_all(conn, largest, {}))[0][0]
        return int(current or 0) + 1
    return int((await raw.fetch_all(conn, sequence, {}))[0][0])
