"""Admin draft orders: Medusa v1.20's DraftOrderService (services/draft-order.ts) and the admin
draft-orders routes (api/routes/admin/draft-orders/*.ts).

A draft order is a cart of type `draft_order` plus a `draft_order` row. The cart's rules (line
items, shipping methods, discounts, totals) are the carts module's; Mark Paid goes through the
payments module (the `system` provider), the checkout module (order from the cart) and the orders
module (capture)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, duplicate, invalid_data, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, present, relation_tree, with_object
from mercato.core.query import apply_date_filter, apply_order, apply_page, count_rows
from mercato.core.rows import assign, load_trees
from mercato.db import raw
from mercato.modules.carts import service as carts
from mercato.modules.carts.models import Cart, CustomShippingOption, LineItem, PaymentSession
from mercato.modules.customers.models import Address, Customer
from mercato.modules.customers.service import guest_customer, insert_address
from mercato.modules.draft_orders.schemas import (
    AdminGetDraftOrdersParams,
    AdminPostDraftOrdersDraftOrderLineItemsItemReq,
    AdminPostDraftOrdersDraftOrderLineItemsReq,
    AdminPostDraftOrdersDraftOrderReq,
    AdminPostDraftOrdersReq,
)
from mercato.modules.orders.models import DraftOrder, Order, Payment
from mercato.modules.orders.service import DISPLAY_ID_SEQUENCES, next_display_id
from mercato.modules.products.models import ProductVariant
from mercato.modules.regions.models import Country

OPEN_ONLY = "You are only allowed to update open draft orders"

# api/routes/admin/draft-orders/index.ts
DEFAULT_FIELDS = frozenset(
    {
        "id",
        "status",
        "display_id",
        "cart_id",
        "order_id",
        "canceled_at",
        "created_at",
        "updated_at",
        "metadata",
        "no_notification_order",
    }
)
DEFAULT_RELATIONS = ["order", "cart", "cart.items", "cart.items.adjustments"]


# ---- reading ---------------------------------------------------------------------------------


async def retrieve_draft(tx: AsyncSession, draft_id: str, *, lock: bool = False) -> DraftOrder:
    """DraftOrderService.retrieve: 404 "Draft order with <id> was not found". `lock` holds the row
    for the rest of the transaction (PostgreSQL FOR UPDATE; SQLite writers are serialized)."""
    stmt = select(DraftOrder).where(DraftOrder.id == draft_id).execution_options(populate_existing=True)
    if lock and tx.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()
    draft = (await tx.execute(stmt)).scalar_one_or_none()
    if draft is None:
        raise not_found(f"Draft order with {draft_id} was not found")
    return draft


# read-only instances (outside the ORM session) for the paths that only read the draft: its
# answer, and Mark Paid (which writes it with one UPDATE of its own)
_DRAFT = raw.Entities(DraftOrder, DraftOrder.id == bindparam("id"))
_LOCKED_DRAFT = raw.Entities(DraftOrder, DraftOrder.id == bindparam("id"), for_update=True)


@functools.cache
def _paying_draft() -> raw.Entities:
    """Mark Paid's first read: the draft and its live cart in one statement, both rows taken
    (FOR UPDATE on PostgreSQL, the draft's first, as two statements would take them), the cart
    read as checkout.lock_cart reads it."""
    from mercato.modules.checkout.service import LOCKED_CART_COLUMNS

    return raw.Entities(
        DraftOrder,
        DraftOrder.id == bindparam("id"),
        for_update=True,
        extra=LOCKED_CART_COLUMNS,
        join=[(Cart, and_(Cart.id == DraftOrder.cart_id, Cart.deleted_at.is_(None)))],
    )


async def read_draft(tx: AsyncSession, draft_id: str, *, lock: bool = False) -> DraftOrder:
    """retrieve_draft's row as a read-only instance (`lock`: FOR UPDATE on PostgreSQL)."""
    draft: DraftOrder | None = await (_LOCKED_DRAFT if lock else _DRAFT).first(tx, {"id": draft_id})
    if draft is None:
        raise not_found(f"Draft order with {draft_id} was not found")
    return draft


def _open(draft: DraftOrder) -> None:
    if draft.status == "completed":
        raise not_allowed(OPEN_ONLY)


def _present_tree(value: Any, name: str, sub: Tree) -> Any:
    if isinstance(value, list | tuple):
        return [_present_tree(v, name, sub) for v in value]
    if value is None:
        return None
    out = present(value, None)
    assert out is not None
    for child, child_sub in sub.items():
        out[child] = _present_tree(getattr(value, child), child, child_sub)
    if name in ("cart", "order"):
        out = with_object(out, name) or out
    return out


def present_draft(
    draft: DraftOrder, tree: Tree, fields: frozenset[str] | None = DEFAULT_FIELDS
) -> dict[str, Any]:
    out = present(draft, None, set(fields) if fields is not None else None)
    assert out is not None
    for name, sub in tree.items():
        out[name] = _present_tree(getattr(draft, name), name, sub)
    return out


async def draft_cart_json(
    tx: AsyncSession, cart_id: str, view: carts.CartView | None = None
) -> dict[str, Any]:
    """The cart of a draft order as Medusa answers it: defaultAdminDraftOrdersCartRelations
    (region with payment providers and tax rates, items with adjustments and variant, payment,
    addresses with their country, shipping methods with their option, payment sessions,
    discounts with rule, customer) and the cart totals. `view`: the cart as the caller has it
    up to date (read with its customer)."""
    if view is None or view.cart["id"] != cart_id or not view.with_customer:
        view = await carts.cart_json_view(tx, cart_id, with_customer=True)
    out = carts.present_cart(view)
    out.pop("sales_channel", None)
    # Medusa's cart carries its selected session (after Mark Paid: the system one)
    out.pop("payment_session", None)
    selected = next((p for p in out.get("payment_sessions") or [] if p.get("is_selected")), None)
    if selected is not None:
        out["payment_session"] = selected
    region = out.get("region")
    if isinstance(region, dict):
        region.pop("countries", None)
    codes = {
        a["country_code"]
        for a in (out.get("shipping_address"), out.get("billing_address"))
        if isinstance(a, dict) and a.get("country_code")
    }
    countries: dict[str, Any] = {}
    if codes:
        rows = (await tx.execute(select(Country).where(Country.iso_2.in_(codes)))).scalars()
        countries = {c.iso_2: present(c) for c in rows}
    for key in ("shipping_address", "billing_address"):
        address = out.get(key)
        if isinstance(address, dict):
            address["country"] = countries.get(address.get("country_code") or "")
    items = out.get("items") or []
    if items and not any(i.get("variant_id") for i in items):
        # getLineItemTotals gives the items the tax lines it computes for the cart, keyed by the
        # items with a variant: with none, every item's tax_lines is undefined (not in the JSON)
        for item in items:
            if not item.get("tax_lines"):
                item.pop("tax_lines", None)
    out["raw_discount_total"] = view.totals.raw_discount_total
    return out


async def draft_response(
    tx: AsyncSession,
    draft_id: str,
    *,
    tree: Tree | None = None,
    fields: frozenset[str] | None = DEFAULT_FIELDS,
    draft: DraftOrder | None = None,
    view: carts.CartView | None = None,
) -> dict[str, Any]:
    """`{"draft_order": …}`: the draft's columns (`fields`), its `order` when `tree` names it, and
    the cart with its totals. `draft` and `view`: the draft and its cart as the caller has them
    up to date in this transaction (else read)."""
    tree = tree or {}
    if draft is None or draft.id != draft_id:
        draft = await read_draft(tx, draft_id)
    if fields is None:
        out = present(draft)  # type: ignore[assignment]
        assert out is not None
    else:
        out = present_draft(draft, {}, fields)
    if "order" in tree:
        order = await tx.get(Order, draft.order_id) if draft.order_id else None
        out["order"] = with_object(present(order), "order")
    out["cart"] = await draft_cart_json(tx, draft.cart_id, view) if draft.cart_id else None
    return {"draft_order": out}


def _list_statement(p: AdminGetDraftOrdersParams) -> Select[Any]:
    stmt: Select[Any] = select(DraftOrder.id, DraftOrder.created_at)  # type: ignore[assignment]
    if p.status is not None:
        stmt = stmt.where(DraftOrder.status.in_(p.status))
    if p.created_at is not None:
        stmt = apply_date_filter(stmt, DraftOrder.created_at, p.created_at)
    if p.updated_at is not None:
        stmt = apply_date_filter(stmt, DraftOrder.updated_at, p.updated_at)
    if p.q:
        pattern = f"%{p.q}%"
        stmt = stmt.join(Cart, Cart.id == DraftOrder.cart_id).where(
            or_(Cart.email.ilike(pattern), cast(DraftOrder.display_id, String).ilike(pattern))
        )
    return stmt


async def list_drafts(tx: AsyncSession, p: AdminGetDraftOrdersParams) -> tuple[list[dict[str, Any]], int]:
    """DraftOrderService.listAndCount: newest first; `q` matches the cart's email or the display
    id (case-insensitive substring); `expand` replaces the default relations."""
    # `expand=` (empty) loads no relation; `q` joins the cart, and DraftOrderService then
    # loads it whatever `expand` says
    relations = DEFAULT_RELATIONS
    if p.expand is not None:
        relations = [r.strip() for r in p.expand.split(",") if r.strip()]
    if p.q and not any(r.split(".")[0] == "cart" for r in relations):
        relations = [*relations, "cart"]
    tree = relation_tree(relations)
    options = load_options(DraftOrder, tree)
    stmt = _list_statement(p)
    count = await count_rows(tx, stmt)
    stmt = apply_order(stmt, DraftOrder, p.order, default="-created_at")
    stmt = apply_page(stmt, p.offset, p.limit)
    ids = [row[0] for row in (await tx.execute(stmt)).all()]
    if not ids:
        return [], count
    rows = {
        d.id: d
        for d in (
            await tx.execute(
                select(DraftOrder)
                .where(DraftOrder.id.in_(ids))
                .options(*options)
                .execution_options(populate_existing=True)
            )
        ).scalars()
    }
    return [present_draft(rows[i], tree) for i in ids if i in rows], count


# ---- create ----------------------------------------------------------------------------------


async def _create_cart(
    tx: AsyncSession, data: AdminPostDraftOrdersReq, *, write: bool = True
) -> tuple[Cart, dict[str, Any]]:
    """CartService.create({type: "draft_order", ...}) as DraftOrderService.create calls it. Rows
    are written on the driver; the cart returned is outside the ORM session (read-only), with
    its row. `write` False: the cart's own row is left to the caller to write."""
    channel = await carts.validated_sales_channel(tx, None)
    cart: dict[str, Any] = {
        "type": "draft_order",
        "context": {},
        "sales_channel_id": channel.id,
        "region_id": data.region_id,
        # the validator's default (`metadata = {}`) unless the body names it
        "metadata": data.metadata if "metadata" in data.model_fields_set else {},
    }
    if data.customer_id:
        # Medusa swallows an unknown customer id (retrieve(...).catch(() => undefined))
        customer = (
            await tx.execute(
                select(Customer).where(Customer.id == data.customer_id, Customer.deleted_at.is_(None))
            )
        ).scalar_one_or_none()
        if customer is not None:
            cart["customer_id"] = customer.id
            cart["email"] = customer.email
    if not cart.get("email") and data.email:
        guest = await guest_customer(tx, data.email)
        cart["customer_id"] = guest.id
        cart["email"] = guest.email
    codes = await carts.region_country_codes(tx, data.region_id)
    shipping = data.shipping_address
    if shipping is None:
        if len(codes) == 1:
            cart["shipping_address_id"] = await insert_address(tx, {"country_code": codes[0]})
    elif isinstance(shipping, dict):
        if shipping.get("country_code") not in codes:
            raise not_allowed("Shipping country not in region")
        cart["shipping_address_id"] = await insert_address(tx, shipping)
    else:
        found = await tx.get(Address, shipping)
        if found is None:
            raise _unknown_address("shipping_address_id", shipping)
        if found.country_code and found.country_code not in codes:
            raise not_allowed("Shipping country not in region")
        cart["shipping_address_id"] = shipping
    billing = data.billing_address
    if isinstance(billing, dict):
        if billing.get("country_code") not in codes:
            raise not_allowed("Billing country not in region")
        cart["billing_address_id"] = await insert_address(tx, billing)
    elif isinstance(billing, str):
        found = await tx.get(Address, billing)
        if found is None:
            raise _unknown_address("billing_address_id", billing)
        if found.country_code and found.country_code not in codes:
            raise not_allowed("Billing country not in region")
        cart["billing_address_id"] = billing
    row = raw.new_row(Cart, cart)
    if write:
        await raw.insert_row(tx, Cart.__table__, row)
    emit(tx, "cart.created", {"id": row["id"]})
    made: Cart = raw.instance_of(Cart, row)
    return made, row


def _unknown_address(column: str, address_id: str) -> MedusaError:
    # Medusa inserts the cart and its error handler words the foreign key's violation
    return not_found(f"Address with {column} {address_id} does not exist.")


async def _generate_priced_lines(
    tx: AsyncSession, requested: Sequence[dict[str, Any]], region_id: str, customer_id: str | None
) -> list[dict[str, Any]]:
    """LineItemService.generate for draft order items: an item with its own `unit_price` is not
    priced (a negative price becomes 0; should_merge false, includes_tax false), the others are
    priced by the carts module's generate_lines."""
    priced = [r for r in requested if r.get("unit_price") is None]
    generated = iter(
        await carts.generate_lines(
            tx,
            [carts.NewLine(r["variant_id"], r["quantity"], r.get("metadata")) for r in priced],
            region_id,
            customer_id,
        )
        if priced
        else []
    )
    custom_ids = [r["variant_id"] for r in requested if r.get("unit_price") is not None]
    variants: dict[str, Any] = {}
    if custom_ids:
        variants = {
            v.id: v
            for v in (
                await tx.execute(
                    select(ProductVariant)
                    .where(ProductVariant.id.in_(custom_ids), ProductVariant.deleted_at.is_(None))
                    .options(*load_options(ProductVariant, {"product": {}}))
                )
            ).scalars()
        }
        missing = [v for v in dict.fromkeys(custom_ids) if v not in variants]
        if missing:
            raise invalid_data(
                f"Unable to generate the line items, some variant has not been found: {', '.join(missing)}"
            )
    out: list[dict[str, Any]] = []
    for r in requested:
        if r.get("unit_price") is None:
            out.append(next(generated))
            continue
        variant = variants[r["variant_id"]]
        product = variant.product
        out.append(
            {
                "unit_price": max(int(r["unit_price"]), 0),
                "title": product.title,
                "description": variant.title,
                "thumbnail": product.thumbnail,
                "variant_id": variant.id,
                "quantity": r["quantity"] or 1,
                "allow_discounts": bool(product.discountable),
                "is_giftcard": bool(product.is_giftcard),
                "metadata_": r.get("metadata") or {},
                "should_merge": False,
                "includes_tax": False,
                "_product_id": variant.product_id,
                "_variant": variant,
            }
        )
    return out


async def _insert_line(tx: AsyncSession, values: dict[str, Any], cart_id: str) -> None:
    """A new line of the draft's cart, written on the driver (its ids and dates given here)."""
    now = utcnow()
    row = carts.line_columns(values)
    row.update(
        id=generate_id(LineItem.__id_prefix__ or "item"), cart_id=cart_id, created_at=now, updated_at=now
    )
    await raw.insert_row(tx, LineItem.__table__, row)


def _custom_line(title: str | None, unit_price: Any, quantity: int, metadata: Any) -> dict[str, Any]:
    """A custom line item of a draft order (no variant, never discounted)."""
    price = 0 if unit_price is None or unit_price < 0 else int(unit_price)
    return {
        "has_shipping": True,
        "title": title or "Custom item",
        "allow_discounts": False,
        "unit_price": price,
        "quantity": quantity,
        "metadata_": metadata if metadata is not None else {},
        "should_merge": True,
        "is_giftcard": False,
        "is_return": False,
        "includes_tax": False,
    }


def _cart_update(**values: Any) -> SimpleNamespace:
    """The object carts.update_cart reads (StorePostCartsCartReq's attributes)."""
    base: dict[str, Any] = {
        "region_id": None,
        "country_code": None,
        "email": None,
        "billing_address": None,
        "shipping_address": None,
        "gift_cards": None,
        "discounts": None,
        "customer_id": None,
        "context": None,
        "sales_channel_id": None,
    }
    base.update(values)
    return SimpleNamespace(**base)


_DRAFT_DISPLAY_ID = {"display_id": DISPLAY_ID_SEQUENCES["draft_order"]}


async def create_draft(
    tx: AsyncSession, data: AdminPostDraftOrdersReq
) -> tuple[DraftOrder, carts.CartView | None]:
    """DraftOrderService.create. Returns the draft and, when the last change left one, its cart's
    view up to date (with its customer, for draft_response)."""

    if not data.region_id:
        raise invalid_data("region_id is required to create a draft order")
    postgresql = tx.get_bind().dialect.name == "postgresql"
    cart, cart_row = await _create_cart(tx, data, write=not postgresql)
    values: dict[str, Any] = {
        "cart_id": cart.id,
        "no_notification_order": data.no_notification_order,
        "status": "open",
    }
    draft: DraftOrder
    if postgresql:
        # the display_id from Medusa's sequence in the INSERT itself, and the cart's INSERT in
        # the same statement: two round trips less
        draft = await raw.insert_entity_computing(
            tx, DraftOrder, values, _DRAFT_DISPLAY_ID, with_row=(Cart.__table__, cart_row)
        )
    else:
        values["display_id"] = await next_display_id(tx, "draft_order")
        draft = await raw.insert_entity(tx, DraftOrder, values)
    emit(tx, "draft_order.created", {"id": draft.id})

    items = data.items or []
    # Medusa creates the custom lines first, then adds the generated ones (so carts list them
    # in that order)
    for item in items:
        if item.get("variant_id"):
            continue
        await _insert_line(
            tx,
            _custom_line(item.get("title"), item.get("unit_price"), item["quantity"], item.get("metadata")),
            cart.id,
        )
    variant_items = [i for i in items if i.get("variant_id")]
    if variant_items:
        # DraftOrderService.create generates them with the region alone: no customer, so no
        # customer-group price list (a line added later is priced for the customer)
        lines = await _generate_priced_lines(tx, variant_items, data.region_id, None)
        for line in lines:
            await _insert_line(tx, line, cart.id)

    for method in data.shipping_methods:
        if method.get("price") is not None:
            tx.add(
                CustomShippingOption(
                    shipping_option_id=method["option_id"], cart_id=cart.id, price=int(method["price"])
                )
            )
    await tx.flush()
    view: carts.CartView | None = None
    customs = any(method.get("price") is not None for method in data.shipping_methods)
    for method in data.shipping_methods:
        view = await carts.add_shipping_method(
            tx,
            cart.id,
            method["option_id"],
            method.get("data") or {},
            with_customer=True,
            custom_options=customs,  # the cart was made above
        )

    if data.discounts:
        await carts.update_cart(tx, cart.id, _cart_update(discounts=data.discounts), {"discounts"})
        view = None
    return draft, view


# ---- update / delete -------------------------------------------------------------------------


async def update_draft(
    tx: AsyncSession, draft_id: str, data: AdminPostDraftOrdersDraftOrderReq
) -> dict[str, Any]:
    """POST /admin/draft-orders/{id}: the draft's no_notification_order, then CartService.update
    of its cart. Returns the draft's columns as Medusa prints them (read before the change)."""
    draft = await retrieve_draft(tx, draft_id)
    _open(draft)
    before = present(draft)
    assert before is not None
    fields = set(data.model_fields_set)
    if data.no_notification_order is not None:
        draft.no_notification_order = data.no_notification_order
        draft.updated_at = utcnow()
        await tx.flush()
        emit(tx, "draft_order.updated", {"id": draft.id})
    fields.discard("no_notification_order")
    if draft.cart_id is None:
        raise not_found(f"Cart with {draft.cart_id} was not found")
    values = {k: getattr(data, k) for k in fields}
    await carts.update_cart(tx, draft.cart_id, _cart_update(**values), fields)
    return before


async def delete_draft(tx: AsyncSession, draft_id: str) -> None:
    """DraftOrderService.delete: an unknown id changes nothing (Medusa still answers deleted)."""
    draft = await tx.get(DraftOrder, draft_id)
    if draft is None:
        return
    referenced = (await tx.execute(select(Order.id).where(Order.draft_order_id == draft_id).limit(1))).first()
    if referenced is not None or draft.order_id is not None:
        # TypeORM's remove of a draft that an order points at: the real Medusa answers this
        raise not_found("null")
    await tx.execute(delete(DraftOrder).where(DraftOrder.id == draft_id))


# ---- line items ------------------------------------------------------------------------------


async def create_line_item(
    tx: AsyncSession, draft_id: str, data: AdminPostDraftOrdersDraftOrderLineItemsReq
) -> DraftOrder:
    """POST /admin/draft-orders/{id}/line-items: a variant item through addOrUpdateLineItems, a
    custom item inserted as is."""
    draft = await retrieve_draft(tx, draft_id)
    _open(draft)
    assert draft.cart_id is not None
    cart = await tx.get(Cart, draft.cart_id)
    if cart is None:
        raise not_found(f"Cart with {draft.cart_id} was not found")
    if data.variant_id:
        if not data.quantity:
            # LineItemService.generate's check of its arguments (a quantity of 0 is missing)
            raise invalid_data(
                "Unable to generate the line item because one or more required argument(s) are missing. "
                "Ensure quantity, regionId, and variantId are passed"
            )
        lines = await _generate_priced_lines(
            tx,
            [
                {
                    "variant_id": data.variant_id,
                    "quantity": data.quantity,
                    "metadata": data.metadata if data.metadata is not None else {},
                    "unit_price": data.unit_price,
                }
            ],
            cart.region_id,
            None,
        )
        await carts.add_or_update_lines(tx, cart.id, lines)
    else:
        line = _custom_line(
            data.title if data.title is not None else "Custom item",
            data.unit_price or 0,
            data.quantity,
            data.metadata if data.metadata is not None else {},
        )
        # this route takes the price as given (`unit_price || 0`): only creating the draft
        # turns a negative price into 0
        line["unit_price"] = data.unit_price or 0
        await _insert_line(tx, line, cart.id)
    return draft


async def update_line_item(
    tx: AsyncSession, draft_id: str, line_id: str, data: AdminPostDraftOrdersDraftOrderLineItemsItemReq
) -> DraftOrder:
    """POST /admin/draft-orders/{id}/line-items/{line_id}: quantity 0 removes the item; otherwise
    CartService.updateLineItem (inventory check, shipping methods dropped, no repricing)."""
    draft = await retrieve_draft(tx, draft_id)
    _open(draft)
    assert draft.cart_id is not None
    cart_id = draft.cart_id
    if data.quantity == 0:
        await carts.remove_line_item(tx, cart_id, line_id)
        return draft
    item = (
        await tx.execute(
            select(LineItem)
            .where(LineItem.id == line_id, LineItem.cart_id == cart_id)
            .options(*load_options(LineItem, {"variant": {}}))
        )
    ).scalar_one_or_none()
    if item is None:
        raise invalid_data("Could not find the line item")
    variant: Any = item.variant  # type: ignore[attr-defined]
    if data.quantity and variant is not None and not carts._covers(variant, data.quantity):
        raise MedusaError(
            "not_allowed", "Inventory doesn't cover the desired quantity", carts.INSUFFICIENT_INVENTORY
        )
    await carts.delete_shipping_methods(tx, await carts._cart_method_ids(tx, cart_id))
    if data.title is not None:
        item.title = data.title
    if data.unit_price is not None:
        item.unit_price = data.unit_price
    if data.quantity is not None:
        if data.quantity < 0:
            raise invalid_data("quantity must be greater than 0")
        item.quantity = data.quantity
    if data.metadata:
        item.metadata_ = merge_metadata(item.metadata_, data.metadata)
    item.updated_at = utcnow()
    await tx.flush()
    await carts.refresh_adjustments(tx, cart_id)
    emit(tx, "cart.updated", {"id": cart_id})
    return draft


async def delete_line_item(tx: AsyncSession, draft_id: str, line_id: str) -> DraftOrder:
    draft = await retrieve_draft(tx, draft_id)
    _open(draft)
    assert draft.cart_id is not None
    await carts.remove_line_item(tx, draft.cart_id, line_id)
    return draft


# ---- Mark Paid -------------------------------------------------------------------------------


_UNSELECT_ALL = (
    update(PaymentSession).where(PaymentSession.cart_id == bindparam("cart_id")).values(is_selected=None)
)


async def register_payment(tx: AsyncSession, draft_id: str) -> dict[str, Any]:
    """POST /admin/draft-orders/{id}/pay (register-payment.ts): a `system` payment session is
    created, selected and authorized, the order is created from the cart, the draft order is
    completed and the order's payment captured. Returns the answer, `{"order": …}`.

    The draft row is locked first, so that parallel calls create one order: the others then find
    the session and answer as Medusa does on a completed draft order (its unique index on
    payment_session(cart_id, provider_id))."""
    from mercato.modules.checkout.service import (
        LockedCart,
        authorize_view,
        locked_cart_view,
        place_order,
        placed_tree,
    )
    from mercato.modules.orders.service import capture_order_payment
    from mercato.modules.payments import sessions as ps
    from mercato.modules.payments.cart_sessions import cart_context

    found, cart_row = await _paying_draft().first_with(tx, {"id": draft_id})
    if found is None:
        # no draft, or one without a live cart: the reads one by one give the refusal
        draft: DraftOrder = await read_draft(tx, draft_id, lock=True)
        taken = None
    else:
        draft = found
        taken = LockedCart(found.cart_id, cart_row[0], cart_row[1], bool(cart_row[2]))
    cart_id = draft.cart_id
    assert cart_id is not None
    # the cart is read once (taxes forced, as authorization and the order need it); the
    # session's amount is the total as the cart shows it (taxes only when automatic)
    locked = await locked_cart_view(tx, cart_id, read_customer=True, locked=taken)
    cart = locked.cart
    totals = locked.totals
    if not cart["region"]["automatic_taxes"]:
        totals, _ = await carts.compute_totals(tx, cart)
    # the view was read after the draft's and the cart's locks: its sessions are the cart's
    sessions = cart["payment_sessions"]
    if any(s["provider_id"] == "system" for s in sessions):
        raise duplicate(f"Payment_session with cart_id, provider_id {cart_id}, system already exists.")
    if cart["payment_id"]:
        # a cart completed through the store API has its live payment: Medusa's createPayment
        # then breaks the UniquePaymentActive index (a canceled payment does not count)
        live = await tx.execute(
            select(Payment.id).where(Payment.id == cart["payment_id"], Payment.canceled_at.is_(None))
        )
        if live.first() is not None:
            raise duplicate(f"Payment with cart_id {cart_id} already exists.")
    customer = await ps.load_customer(tx, cart["customer_id"], cart.get("customer"))
    context = cart_context(cart, totals.total, customer)
    # CartService.setPaymentSession(cart, "system"): the new session is the only selected one (the
    # system provider has nothing to update; the cart is not reloaded for it). The others are
    # unselected first: one selected session per cart is a unique index.
    if any(s["is_selected"] for s in sessions):
        await raw.execute(await raw.flushed(tx), _UNSELECT_ALL, {"cart_id": cart_id})
    # PostgreSQL: the row is written by the order's placement, already authorized (an INSERT
    # here would cost the placement a round trip before it, and its authorization an UPDATE)
    write = tx.get_bind().dialect.name != "postgresql"
    session = await ps.create_session(
        tx, "system", context, cart_id=cart_id, customer=customer, selected=True, write=write
    )
    if not write:
        locked.unwritten_session = session
    emit(tx, "cart.updated", {"id": cart_id})
    # authorized as made (the order carries no session: the view's list is not read again)
    await authorize_view(tx, locked, selected=session, placing=True)
    # written as captured: the capture below follows in this transaction (an order row updated
    # in the transaction that inserted it has every foreign key checked again); a capture that
    # fails writes requires_action over it
    order = await place_order(tx, locked, reserve_stock=False, draft=draft, payment_status="captured")
    # (the placement completed the draft order.) The answer's order is read now, before the
    # capture's writes: they then go out with the COMMIT instead of on a round trip of their own
    # before this read, and the answer is given what they wrote.
    loaded = placed_tree(locked, order, _paid_order_view().tree) or await _load_paid_order(tx, order.id)
    # the order and its payment were made in this transaction: no one else can hold them
    payment = locked.payment if totals.total != 0 else None
    await capture_order_payment(tx, order.id, placed=(order, [payment] if payment is not None else []))
    if payment is not None:
        if payment.captured_at is None or order.payment_status != "captured":
            # the capture failed (requires_action): read what it wrote
            loaded = await _load_paid_order(tx, order.id)
        else:
            captured = {
                "data": payment.data,
                "captured_at": payment.captured_at,
                "updated_at": payment.updated_at,
            }
            for shown in loaded["payments"]:
                if shown["id"] == payment.id:
                    assign(Payment, shown, captured)
    return _render_paid_order(loaded)


# types/orders.ts defaultAdminOrdersRelations / defaultAdminOrdersFields, as register-payment.ts
# answers (no sales channel), plus the columns the reference page marks required.
PAID_ORDER_RELATIONS = [
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
    "shipping_address",
    "shipping_methods",
    "shipping_methods.shipping_option",
    "shipping_methods.tax_lines",
    "swaps",
]
PAID_ORDER_EXTRA_FIELDS = ("billing_address_id", "shipping_address_id", "external_id", "idempotency_key")


@functools.cache
def _paid_order_view() -> Any:
    """What Mark Paid answers of its order: OrderService.retrieveWithTotals with the default
    admin order relations and fields, every total, `object: "order"`."""
    from mercato.core.present import merge_trees
    from mercato.modules.orders import service as orders

    fields = (set(orders.DEFAULT_FIELDS) - {"sales_channel_id"}) | set(PAID_ORDER_EXTRA_FIELDS)
    shown = frozenset(r.split(".", 1)[0] for r in PAID_ORDER_RELATIONS)
    return orders.View(
        merge_trees(relation_tree(PAID_ORDER_RELATIONS), relation_tree(orders.TOTALS_RELATIONS)),
        frozenset(fields),
        frozenset(orders.TOTAL_FIELDS),
        shown,
    )


async def _load_paid_order(tx: AsyncSession, order_id: str) -> dict[str, Any]:
    found = await load_trees(tx, Order, [order_id], _paid_order_view().tree)
    if not found:
        raise not_found(f"Order with id {order_id} was not found")
    return found[0]


def _render_paid_order(loaded: dict[str, Any]) -> dict[str, Any]:
    from mercato.modules.orders import service as orders

    return {"order": orders.render_order(loaded, _paid_order_view(), with_object=True)}
