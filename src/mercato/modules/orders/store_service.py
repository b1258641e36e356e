"""Store orders: Medusa v1's store/orders routes (retrieve, look up, by cart, claim by token)
and GET /store/customers/me/orders, over the public pieces of orders/service.py.

The answer's shape follows Medusa 1.20.11 per route (checked against the real server):
- GET /store/orders/{id} and the lookup: `cleanResponseData` keeps the allowed store fields
  (or the requested `fields`) and the allowed relations (or `expand`); every total is printed.
- GET /store/orders/cart/{cart_id} and /store/customers/me/orders are not cleaned: every
  relation loaded for the totals (claims, swaps, gift cards, refunds, …) is printed too.
- A list whose `fields` select totals (OrderService.transformQueryForTotals) decorates only
  those (legacy totals: items without `refundable`, shipping methods without totals) and
  loads items.variant.product.profiles.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

import jwt
from sqlalchemy import Select, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.config import get_settings
from mercato.core.auth import sign_token
from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, invalid_data, not_found
from mercato.core.events import emit
from mercato.core.present import Tree, load_options, merge_trees, present, relation_tree
from mercato.core.query import apply_page, count_rows
from mercato.modules.carts.models import LineItem, ShippingMethod
from mercato.modules.customers.models import Customer
from mercato.modules.orders import states
from mercato.modules.orders.models import Order
from mercato.modules.orders.service import apply_shared_order_filters, load_orders, order_totals, with_eager
from mercato.modules.orders.store_schemas import (
    StoreGetCustomersCustomerOrdersParams,
    StoreGetOrderParams,
    StoreGetOrdersParams,
)
from mercato.pricing import totals as T

# api/routes/store/orders/index.ts
DEFAULT_RELATIONS = (
    "shipping_address",
    "fulfillments",
    "fulfillments.tracking_links",
    "items",
    "items.variant",
    "shipping_methods",
    "shipping_methods.shipping_option",
    "discounts",
    "discounts.rule",
    "customer",
    "payments",
    "region",
)
ALLOWED_RELATIONS = (*DEFAULT_RELATIONS, "billing_address")
DEFAULT_FIELDS = (
    "id",
    "status",
    "fulfillment_status",
    "payment_status",
    "display_id",
    "cart_id",
    "customer_id",
    "email",
    "region_id",
    "currency_code",
    "tax_rate",
    "created_at",
)
ALLOWED_FIELDS = (
    *DEFAULT_FIELDS,
    "object",
    "shipping_total",
    "discount_total",
    "tax_total",
    "refunded_total",
    "total",
    "subtotal",
    "paid_total",
    "refundable_amount",
    "gift_card_total",
    "gift_card_tax_total",
    "items.refundable",
)
# OrderService.getTotalsRelations (swaps/claims additional items: Mercato creates none yet)
TOTALS_RELATIONS = (
    "items",
    "items.tax_lines",
    "items.adjustments",
    "items.variant",
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
)
# transformQueryForTotals: totals a `fields` list can select, and what selecting one loads more
_SELECTABLE_TOTALS = (
    "subtotal",
    "tax_total",
    "shipping_total",
    "discount_total",
    "gift_card_total",
    "total",
    "paid_total",
    "refunded_total",
    "refundable_amount",
    "items.refundable",
)
_LEGACY_RELATIONS = ("items.variant.product.profiles",)
# the order totals in the order Medusa prints them
ORDER_TOTALS = (
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
_ITEM_TOTALS = (
    "subtotal",
    "discount_total",
    "total",
    "original_total",
    "original_tax_total",
    "tax_total",
    "raw_discount_total",
)
_METHOD_TOTALS = ("original_total", "total", "subtotal", "original_tax_total", "tax_total")
_COLUMNS = frozenset(c.name for c in Order.__table__.columns)
# a relation's name in `fields` of the customer's list selects nothing (Medusa answers 200)
_RELATION_NAMES = frozenset(sa_inspect(Order).relationships.keys())

RETRIEVE, LOOKUP, BY_CART, CUSTOMER_LIST = "retrieve", "lookup", "cart", "customer_list"


@dataclasses.dataclass(frozen=True)
class StoreView:
    """What one store answer loads and prints."""

    tree: Tree
    columns: frozenset[str]
    shown: frozenset[str] | None  # top-level relations printed (None: every loaded one)
    totals: frozenset[str]  # order totals printed
    object: bool = True
    raw_discount_total: bool = False  # top-level raw_discount_total (answers not cleaned)
    line_totals: bool = True  # shipping methods' totals (off with legacy totals)
    refundable: bool = True  # items' `refundable`
    # items' totals: decorateTotalsLegacy (a list whose `fields` name totals) computes them only
    # for `subtotal` or `total`
    item_totals: bool = True
    # cleanResponseData: naming an item field in `fields` drops the items' raw_discount_total
    item_raw_discount: bool = True


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def store_view(
    p: StoreGetOrderParams | StoreGetOrdersParams | StoreGetCustomersCustomerOrdersParams, kind: str
) -> StoreView:
    """transformStoreQuery + OrderService + cleanResponseData for one store orders route."""
    fields = _split(p.fields)
    expand = _split(p.expand)
    is_list = kind in (LOOKUP, CUSTOMER_LIST)
    checked = kind != CUSTOMER_LIST  # the customer's list has no allowed fields / relations
    if checked and fields is not None:
        bad = [f for f in fields if not any(f.startswith(a) for a in ALLOWED_FIELDS)]
        if bad:
            raise invalid_data(f"Requested fields [{', '.join(bad)}] are not valid")
    if checked and expand:
        bad = [r for r in expand if r not in ALLOWED_RELATIONS]
        if bad:
            raise invalid_data(f"Requested fields [{', '.join(bad)}] are not valid")

    relations: list[str] = list(expand) if expand is not None else list(DEFAULT_RELATIONS)
    if fields is None:
        chosen: set[str] = set(DEFAULT_FIELDS)
        selected_totals: set[str] = set()
    else:
        chosen = {f for f in fields} | {"id"}
        if is_list:
            chosen.add("created_at")
        if not checked:
            unknown = [
                f
                for f in chosen
                if "." not in f
                and f not in _COLUMNS
                and f not in ORDER_TOTALS
                and f != "object"
                and f not in _RELATION_NAMES
            ]
            if unknown:
                raise invalid_data(f"Requested fields [{', '.join(sorted(unknown))}] are not valid")
        selected_totals = chosen & set(_SELECTABLE_TOTALS)
        # "items.refundable" and the like select a relation
        relations.extend(f.rsplit(".", 1)[0] for f in chosen if "." in f and f not in _SELECTABLE_TOTALS)
    columns = frozenset((chosen & _COLUMNS) | {"id"})
    legacy = bool(selected_totals) and kind != BY_CART
    if legacy:
        relations.extend(_LEGACY_RELATIONS)
    if isinstance(p, StoreGetCustomersCustomerOrdersParams) and p.q:
        relations.extend(("shipping_address", "customer"))
    tree = merge_trees(relation_tree(with_eager(relations)), relation_tree(TOTALS_RELATIONS))
    load_options(Order, tree)  # an unknown relation is a 400, even when no order is loaded
    list_legacy = legacy and is_list

    if kind in (RETRIEVE, LOOKUP):
        # cleanResponseData: the allowed (or requested) fields and relations
        shown = frozenset(r.split(".", 1)[0] for r in (expand or ALLOWED_RELATIONS))
        if fields is None:
            # the totals loaded the items, and the store's cleaning keeps them whatever is
            # expanded (the admin's reduces them to `refundable`)
            shown |= {"items"}
        return StoreView(
            tree=tree,
            columns=columns,
            shown=shown,
            totals=frozenset(t for t in selected_totals if t in ORDER_TOTALS)
            if list_legacy
            else frozenset(ORDER_TOTALS),
            object=fields is None or "object" in chosen,
            line_totals=not list_legacy,
            refundable=not list_legacy or "items.refundable" in chosen,
            item_raw_discount=fields is None or not any(f.startswith("items.") for f in fields),
        )
    if kind == BY_CART:
        return StoreView(tree=tree, columns=columns, shown=None, totals=frozenset(ORDER_TOTALS))
    # the customer's list: the select gets tax_rate (transformQueryForTotals), nothing is cleaned
    return StoreView(
        tree=tree,
        columns=columns | {"tax_rate"},
        shown=None,
        totals=frozenset(t for t in selected_totals if t in ORDER_TOTALS)
        if list_legacy
        else frozenset(ORDER_TOTALS),
        raw_discount_total=not list_legacy,
        line_totals=not list_legacy,
        refundable=not list_legacy or "items.refundable" in chosen,
        item_totals=not list_legacy or bool(selected_totals & {"subtotal", "total"}),
    )


# ---- presenting --------------------------------------------------------------------------------


def _present_item(item: LineItem, sub: Tree, totals: T.Totals, view: StoreView) -> dict[str, Any]:
    # present() gives a product loaded with its profiles its profile (Product.afterLoad)
    out = present(item, sub)
    assert out is not None
    # decorateTotals: the answer's quantity is what was not returned
    out["quantity"] = item.quantity - (item.returned_quantity or 0)
    line = totals.items.get(item.id)
    if line is not None:
        if view.item_totals:
            for key in _ITEM_TOTALS:
                if key != "raw_discount_total" or view.item_raw_discount:
                    out[key] = getattr(line, key)
        if view.refundable:
            out["refundable"] = line.refundable
    return out


def _present_method(method: ShippingMethod, sub: Tree, totals: T.Totals, view: StoreView) -> dict[str, Any]:
    out = present(method, sub)
    assert out is not None
    line = totals.shipping_methods.get(method.id)
    if line is not None and view.line_totals:
        for key in _METHOD_TOTALS:
            out[key] = getattr(line, key)
    return out


def present_store_order(order: Order, view: StoreView) -> dict[str, Any]:
    totals = order_totals(order)
    out: dict[str, Any] = {"object": "order"} if view.object else {}
    columns = present(order, None, set(view.columns))
    assert columns is not None
    out.update(columns)
    for name, sub in sorted(view.tree.items()):
        if view.shown is not None and name not in view.shown:
            continue
        value = getattr(order, name)
        if name == "items":
            out[name] = [_present_item(i, sub, totals, view) for i in value]
        elif name == "shipping_methods":
            out[name] = [_present_method(m, sub, totals, view) for m in value]
        elif isinstance(value, list | tuple):
            out[name] = [present(v, sub) for v in value]
        else:
            out[name] = present(value, sub)
    for key in ORDER_TOTALS:
        if key in view.totals:
            out[key] = getattr(totals, key)
    if view.raw_discount_total:
        out["raw_discount_total"] = totals.raw_discount_total
    return out


# ---- reading -------------------------------------------------------------------------------------


async def retrieve_store_order(tx: AsyncSession, order_id: str, p: StoreGetOrderParams) -> dict[str, Any]:
    """GET /store/orders/{id}: OrderService.retrieveWithTotals."""
    view = store_view(p, RETRIEVE)
    orders = await load_orders(tx, [order_id], view.tree)
    if not orders:
        raise not_found(f"Order with id {order_id} was not found")
    return present_store_order(orders[0], view)


async def retrieve_store_order_by_cart(
    tx: AsyncSession, cart_id: str, p: StoreGetOrderParams
) -> dict[str, Any]:
    """GET /store/orders/cart/{cart_id}: OrderService.retrieveByCartIdWithTotals."""
    view = store_view(p, BY_CART)
    found = (await tx.execute(select(Order.id).where(Order.cart_id == cart_id).limit(1))).scalar_one_or_none()
    if found is None:
        raise not_found(f"Order with cart id {cart_id} was not found")
    (order,) = await load_orders(tx, [found], view.tree)
    return present_store_order(order, view)


async def lookup_store_order(tx: AsyncSession, p: StoreGetOrdersParams) -> dict[str, Any] | None:
    """GET /store/orders: OrderService.list({display_id, email}); None unless exactly one order
    matches. As Medusa, the shipping_address filter is validated but not applied."""
    view = store_view(p, LOOKUP)
    ids = list(
        (
            await tx.execute(
                select(Order.id)
                .where(Order.display_id == p.display_id, Order.email == p.email)
                .order_by(Order.created_at.desc())
                .limit(2)
            )
        ).scalars()
    )
    if len(ids) != 1:
        return None
    (order,) = await load_orders(tx, ids, view.tree)
    return present_store_order(order, view)


def _as_list(value: str | list[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _customer_orders_statement(customer_id: str, p: StoreGetCustomersCustomerOrdersParams) -> Select[Any]:
    stmt: Select[Any] = select(Order.id, Order.created_at).where(Order.customer_id == customer_id)  # type: ignore[assignment]
    if p.id is not None:
        stmt = stmt.where(Order.id == p.id)
    for name in ("status", "fulfillment_status", "payment_status"):
        values = _as_list(getattr(p, name))
        if values is not None:
            stmt = stmt.where(getattr(Order, name).in_(values))
    for name in ("cart_id", "region_id", "currency_code"):
        value = getattr(p, name)
        if value is not None:
            stmt = stmt.where(getattr(Order, name) == value)
    return apply_shared_order_filters(stmt, p)


async def list_customer_orders(
    tx: AsyncSession, customer_id: str, p: StoreGetCustomersCustomerOrdersParams
) -> tuple[list[dict[str, Any]], int]:
    """GET /store/customers/me/orders: OrderService.listAndCount over the customer's orders,
    newest first."""
    view = store_view(p, CUSTOMER_LIST)
    stmt = _customer_orders_statement(customer_id, p)
    count = await count_rows(tx, stmt)
    page = apply_page(stmt.order_by(Order.created_at.desc(), Order.id.asc()), p.offset, p.limit)
    ids = [row[0] for row in (await tx.execute(page)).all()]
    orders = await load_orders(tx, ids, view.tree)
    return [present_store_order(o, view) for o in orders], count


# ---- claiming orders -------------------------------------------------------------------------------

CLAIM_TOKEN_TTL = datetime.timedelta(minutes=15)
ORDER_UPDATE_TOKEN_CREATED = "order-update-token.created"


async def _customer(tx: AsyncSession, customer_id: str) -> Customer:
    customer = (
        await tx.execute(select(Customer).where(Customer.id == customer_id, Customer.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if customer is None:
        raise not_found(f"Customer with id: {customer_id} was not found")
    return customer


async def request_order_claim(tx: AsyncSession, customer_id: str, order_ids: str | list[str]) -> None:
    """POST /store/orders/batch/customer/token (request-order.ts): for each email of the
    requested orders, a token {claimingCustomerId, orders} signed with the JWT secret (15 min)
    is announced by `order-update-token.created` (a notification mails it to that address)."""
    customer = await _customer(tx, customer_id)
    if not customer.has_account:
        raise MedusaError("unauthorized", "Customer does not have an account")
    ids = _as_list(order_ids) or []
    rows = (await tx.execute(select(Order.id, Order.email).where(Order.id.in_(ids)))).all() if ids else []
    rank = {order_id: i for i, order_id in enumerate(ids)}
    by_email: dict[str, list[str]] = {}
    for order_id, email in sorted(rows, key=lambda r: rank.get(r[0], 0)):
        by_email.setdefault(email, []).append(order_id)
    for email, claimed in by_email.items():
        token = sign_token({"claimingCustomerId": customer.id, "orders": claimed}, CLAIM_TOKEN_TTL)
        emit(
            tx,
            ORDER_UPDATE_TOKEN_CREATED,
            {"old_email": email, "new_customer_id": customer.id, "orders": claimed, "token": token},
        )


def _verify_claim_token(token: str) -> dict[str, Any]:
    """TokenService.verifyToken(token, {maxAge: "15m"}). Medusa answers a bad token with a 500
    unknown_error; Mercato answers 400 invalid_data (docs/compatibility.md: no 500 for bad input)."""
    try:
        claims: dict[str, Any] = jwt.decode(token, get_settings().jwt_secret, algorithms=["HS256"])
    except jwt.ExpiredSignatureError:
        raise invalid_data("jwt expired") from None
    except jwt.PyJWTError:
        raise invalid_data("invalid token") from None
    iat = claims.get("iat")
    if not isinstance(iat, int | float):
        raise invalid_data("iat required when maxAge is specified")
    if utcnow().timestamp() > iat + CLAIM_TOKEN_TTL.total_seconds():
        raise invalid_data("maxAge exceeded")
    return claims


async def confirm_order_claim(tx: AsyncSession, token: str) -> None:
    """POST /store/orders/customer/confirm (confirm-order-request.ts): the token's orders move to
    the claiming customer (customer_id and email), each through OrderService.update."""
    claims = _verify_claim_token(token)
    customer_id = claims.get("claimingCustomerId")
    if customer_id is None:
        raise not_found('"customerId" must be defined')
    customer = await _customer(tx, str(customer_id))
    # Medusa lists every order when the token has no `orders`; none here
    raw = claims.get("orders")
    ids: Sequence[str] = (
        [raw] if isinstance(raw, str) else [str(i) for i in raw or [] if isinstance(raw, list)]
    )
    if not ids:
        return
    stmt = select(Order).where(Order.id.in_(list(ids))).order_by(Order.id)
    if tx.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update(of=Order)
    orders = list((await tx.execute(stmt.execution_options(populate_existing=True))).scalars())
    for order in orders:
        states.guard("update", order.status)
        order.customer_id = customer.id
        order.email = customer.email
        order.updated_at = utcnow()
    await tx.flush()
    for order in orders:
        emit(tx, "order.updated", {"id": order.id, "no_notification": order.no_notification})
