"""Placing an order from a cart: Medusa v1's CartCompletionStrategy (strategies/cart-completion.ts),
CartService.authorizePayment / createTaxLines and OrderService.createFromCart, in ONE transaction.

Medusa 1.20 runs completion as three committed stages and bumps stock, discount usage and gift
card balances with reads followed by writes, so parallel completions make several orders,
oversell, and spend a gift card more than once. Here:

- the cart row is locked first (PostgreSQL `FOR UPDATE`; SQLite writers are serial), then a
  completed cart answers its order: twenty parallel completes make one order and twenty equal
  answers;
- the cart's gift cards are locked before the totals are read, stock, discount usage and gift
  card balances move with guarded single UPDATEs (never below zero, never past the limit), and
  rows are always locked in the same order (cart, gift cards, discounts, variants) so that two
  checkouts cannot deadlock;
- everything happens inside a savepoint: a refusal or a failure rolls all of it back (no half
  order, the cart stays completable) and a payment the provider already authorized is canceled
  at the provider.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, any_, bindparam, delete, exists, func, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import iso, utcnow
from mercato.core.errors import MedusaError, invalid_data, not_allowed, not_found
from mercato.core.events import discard_staged, emit, staged_mark
from mercato.core.ids import generate_id
from mercato.core.present import Tree, merge_trees, present, relation_tree
from mercato.core.rows import load_trees, row_dict, shape
from mercato.db import raw
from mercato.modules.carts.models import (
    Cart,
    LineItem,
    LineItemTaxLine,
    PaymentSession,
    ShippingMethod,
    ShippingMethodTaxLine,
    t_cart_gift_cards,
)
from mercato.modules.carts.service import CartView, cart_json_view
from mercato.modules.checkout import idempotency
from mercato.modules.discounts.usage import record_usage
from mercato.modules.gift_cards import service as gift_cards
from mercato.modules.gift_cards.models import GiftCard
from mercato.modules.orders import service as orders
from mercato.modules.orders.models import DraftOrder, Order, Payment, t_order_discounts, t_order_gift_cards
from mercato.modules.payments import sessions
from mercato.modules.payments.service import call_provider, provider_for
from mercato.modules.products.inventory import (
    covers,
    insufficient_inventory,
    reserve_stock,
    take_stock_step,
    taken_stock,
)
from mercato.pricing.taxes import float4
from mercato.providers.payment import AUTHORIZED, PENDING, REQUIRES_MORE

log = logging.getLogger("mercato.checkout")

ORDER_CART_ALREADY_EXISTS = "Order from cart already exists"
INSUFFICIENT_INVENTORY = "insufficient_inventory"


class InsufficientInventory(MedusaError):
    """Medusa's insufficient_inventory refusal for one or more items (`errors`: one per item)."""

    def __init__(self, errors: list[MedusaError]) -> None:
        first = errors[0]
        super().__init__(first.type, first.message, first.code)
        self.errors = errors


# ---- locking -----------------------------------------------------------------------------------


def _is_sqlite(tx: AsyncSession) -> bool:
    return tx.get_bind().dialect.name == "sqlite"


@dataclass(frozen=True)
class LockedCart:
    id: str
    type: str
    completed_at: datetime.datetime | None
    has_gift_cards: bool = True


# FOR UPDATE is not rendered on SQLite (one writer anyway)
_LOCK_CART = (
    select(
        Cart.id,
        Cart.type,
        Cart.completed_at,
        exists().where(t_cart_gift_cards.c.cart_id == Cart.id).label("has_gift_cards"),
    )
    .where(Cart.id == bindparam("id"), Cart.deleted_at.is_(None))
    .with_for_update(of=Cart)
)


# what lock_cart reads of the cart (the columns after LockedCart's id), for a statement that
# takes the cart together with the row it hangs from
LOCKED_CART_COLUMNS = tuple(_LOCK_CART.selected_columns)[1:]


async def lock_cart(tx: AsyncSession, cart_id: str) -> LockedCart:
    """Take the cart row for the rest of the transaction and read its state afresh."""
    found = await raw.rows(tx, _LOCK_CART, {"id": cart_id})
    if not found:
        raise not_found(f"Cart with {cart_id} was not found")
    row = found[0]
    return LockedCart(row[0], row[1], row[2], bool(row[3]))


async def _lock_gift_cards(tx: AsyncSession, cart_id: str) -> None:
    """The cart's gift cards, locked (in id order) before their balances are read for the totals."""
    if _is_sqlite(tx):
        return
    await tx.execute(
        select(GiftCard.id)
        .join(t_cart_gift_cards, t_cart_gift_cards.c.gift_card_id == GiftCard.id)
        .where(t_cart_gift_cards.c.cart_id == cart_id)
        .order_by(GiftCard.id)
        .with_for_update(of=GiftCard, key_share=True)
    )


async def _locked_view(tx: AsyncSession, locked: LockedCart, *, read_customer: bool = False) -> CartView:
    """The cart with its totals as the order will carry them (taxes computed, as createTaxLines
    followed by retrieveWithTotals gives), read after the locks were taken (the gift cards' when
    the locked cart has any). `read_customer`: see cart_json_view."""
    if locked.has_gift_cards:
        await _lock_gift_cards(tx, locked.id)
    return await cart_json_view(tx, locked.id, force_taxes=True, read_customer=read_customer)


# ---- payment -------------------------------------------------------------------------------------


def _selected_session(cart: dict[str, Any]) -> PaymentSession | None:
    """The selected session as an instance outside the ORM session (it is written with raw),
    from the view: read after the cart's lock, in this transaction. Its timestamps stay as the
    view prints them."""
    selected = next((s for s in cart["payment_sessions"] if s["is_selected"]), None)
    if selected is None:
        return None
    session: PaymentSession = raw.instance_of(PaymentSession, selected)
    return session


async def _set_cart(tx: AsyncSession, cart: dict[str, Any], **values: Any) -> None:
    """Cart columns written with one UPDATE (sent with the next statement); the view's tree
    keeps up (its rules read them)."""
    await raw.update_later(tx, Cart.__table__, {"id": cart["id"]}, values)
    cart.update(values)


async def _authorize(
    tx: AsyncSession,
    view: CartView,
    context: dict[str, Any],
    selected: PaymentSession | None = None,
    *,
    placing: bool = False,
) -> PaymentSession | None:
    """CartService.authorizePayment over a loaded cart (`selected`: its selected session, when
    the caller just made it; else read from the view's). `placing`: the caller places the order
    next, in this transaction; on PostgreSQL an authorized payment's row and the cart's payment
    columns are then left to the placement's statement (view.unwritten_cart): the payment is
    inserted already on the order, and the cart row updated once, instead of each written here
    and updated again there (a row written earlier in the transaction has every foreign key
    checked again when updated)."""
    cart = view.cart
    total = view.totals.total
    now = utcnow()
    if total <= 0:
        await _set_cart(tx, cart, payment_authorized_at=now, updated_at=now)
        emit(tx, "cart.updated", {"id": cart["id"]})
        return None
    session = selected if selected is not None else _selected_session(cart)
    if session is None:
        raise not_allowed("You cannot complete a cart without a payment session.")
    session = await sessions.authorize_session(
        tx, session, {**context, "cart_id": cart["id"]}, write=session is not view.unwritten_session
    )
    if session.status == AUTHORIZED:
        hold = placing and not _is_sqlite(tx)
        payment = await sessions.create_payment_from_session(
            tx,
            session,
            amount=total,
            currency_code=cart["region"]["currency_code"],
            cart_id=cart["id"],
            write=not hold,
        )
        view.payment = payment
        values = {"payment_id": payment.id, "payment_authorized_at": now, "updated_at": now}
        if hold:
            cart.update(values)
            view.unwritten_cart = values
        else:
            await _set_cart(tx, cart, **values)
    else:
        await _set_cart(tx, cart, updated_at=now)
    emit(tx, "cart.updated", {"id": cart["id"]})
    return session


async def authorize_cart_payment(
    tx: AsyncSession, cart_id: str, context: dict[str, Any] | None = None
) -> PaymentSession | None:
    """CartService.authorizePayment: a cart whose total (taxes included) is <= 0 only gets
    payment_authorized_at; otherwise its selected session is authorized at the provider and, when
    authorized, a Payment of the cart's total is created and set on the cart. Returns the
    selected session (None for a zero total)."""
    view = await _locked_view(tx, await lock_cart(tx, cart_id))
    return await _authorize(tx, view, context or {})


async def _cancel_at_provider(payment: tuple[str, dict[str, Any]] | None) -> Any:
    """A payment authorized in a completion that did not happen: the provider releases it.
    Best effort (the refusal the shopper gets is the news): the provider's answer, or None."""
    if payment is None:
        return None
    provider_id, data = payment
    try:
        return await call_provider(provider_for(provider_id).cancel_payment(data))
    except Exception:
        log.exception("could not cancel the %s payment of a failed cart completion", provider_id)
        return None


async def _keep_refused_payment(tx: AsyncSession, view: CartView, session: PaymentSession | None) -> None:
    """After a stock refusal, what Medusa's completion leaves: its authorization was committed
    (a recovery point) before the stock was checked, so the session stays authorized and the
    payment made from it stays on the cart, canceled at the provider (`canceled_at` set), while
    the cart's `payment_authorized_at` is cleared. A later completion authorizes again and makes a
    new payment; the canceled one stays with the cart (UniquePaymentActive ignores it)."""
    payment = view.payment
    if payment is None or session is None:
        return  # nothing was authorized (or the total was zero: Medusa clears what it set)
    row = raw.committed(payment)
    answer = await _cancel_at_provider((row["provider_id"], dict(row["data"] or {})))
    data = answer if answer is not None else row["data"]
    now = utcnow()
    await raw.update_entity(
        tx,
        session,
        {
            "status": session.status,
            "data": session.data,
            "payment_authorized_at": session.payment_authorized_at,
            "updated_at": now,
        },
        later=True,
    )
    await raw.insert_entity(
        tx,
        Payment,
        {**row, "data": data, "canceled_at": now, "order_id": None, "created_at": now, "updated_at": now},
        later=True,
    )
    await _set_cart(tx, view.cart, payment_id=row["id"], payment_authorized_at=None, updated_at=now)


# ---- the order -----------------------------------------------------------------------------------


_DROP_ITEM_TAX_LINES = delete(LineItemTaxLine).where(
    LineItemTaxLine.item_id.in_(bindparam("ids", expanding=True))
)
_DROP_METHOD_TAX_LINES = delete(ShippingMethodTaxLine).where(
    ShippingMethodTaxLine.shipping_method_id.in_(bindparam("ids", expanding=True))
)


_TAX_LINE_TABLES = (
    (LineItemTaxLine.__table__, LineItemTaxLine.__id_prefix__, "item_id"),
    (ShippingMethodTaxLine.__table__, ShippingMethodTaxLine.__id_prefix__, "shipping_method_id"),
)
_TAX_LINE_COLUMNS = ("id", "rate", "name", "code")
TaxLineRows = tuple[list[dict[str, Any]], list[dict[str, Any]]]


async def _new_tax_lines(tx: AsyncSession, view: CartView) -> TaxLineRows:
    """CartService.createTaxLines: the computed tax lines become the items' and shipping
    methods' rows (replacing older ones, dropped here); return items keep theirs. The new rows
    (items', methods') are returned for the order's placement to write."""
    cart = view.cart
    items = [i["id"] for i in cart["items"] if not i["is_return"] and i["id"] in view.totals.items]
    methods = [m["id"] for m in cart["shipping_methods"] if m["id"] in view.totals.shipping_methods]
    # older rows (the view read them, after the cart's lock) go first
    conn = await raw.flushed(tx)
    stale = [i["id"] for i in cart["items"] if i["id"] in items and i["tax_lines"]]
    if stale:
        await raw.execute(conn, _DROP_ITEM_TAX_LINES, {"ids": stale})
    stale = [m["id"] for m in cart["shipping_methods"] if m["id"] in methods and m["tax_lines"]]
    if stale:
        await raw.execute(conn, _DROP_METHOD_TAX_LINES, {"ids": stale})
    now = utcnow()
    found: TaxLineRows = ([], [])
    owners = (
        [(i, view.totals.items[i].tax_lines) for i in items],
        [(m, view.totals.shipping_methods[m].tax_lines) for m in methods],
    )
    for (_table, prefix, owner), lines, rows in zip(_TAX_LINE_TABLES, owners, found, strict=True):
        for owner_id, owned in lines:
            for line in owned:
                row = {"id": generate_id(prefix), "rate": line.rate, "name": line.name, "code": line.code}
                rows.append({**row, owner: owner_id, "created_at": now, "updated_at": now})
    return found


def _wanted_stock(cart: dict[str, Any]) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for item in cart["items"]:
        if item["variant_id"]:
            wanted[item["variant_id"]] = wanted.get(item["variant_id"], 0) + item["quantity"]
    return wanted


async def _reserve_items(tx: AsyncSession, cart: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """ProductVariantInventoryService.confirmInventory + reserveQuantity for every item, with one
    guarded UPDATE per variant (in variant id order: two checkouts never wait on each other in a
    circle). All refusals are collected, as Medusa does. Returns the changed columns by variant."""
    wanted = _wanted_stock(cart)
    errors: list[MedusaError] = []
    changed: dict[str, dict[str, Any]] = {}
    for variant_id in sorted(wanted):
        try:
            now = await reserve_stock(tx, variant_id, wanted[variant_id])
        except MedusaError as err:
            if err.code != INSUFFICIENT_INVENTORY:
                raise
            errors.append(err)
        else:
            if now is not None:
                changed[variant_id] = now
    if errors:
        raise InsufficientInventory(errors)
    return changed


async def _taken_items(tx: AsyncSession, view: CartView) -> dict[str, dict[str, Any]]:
    """_reserve_items' answer (or refusal) for the stock the placement's statement took."""
    assert view.take_stock is not None and view.placed is not None
    variant_id = view.take_stock[0]
    try:
        left = await taken_stock(tx, variant_id, view.stock_left, view.placed[1])
    except MedusaError as err:
        if err.code != INSUFFICIENT_INVENTORY:
            raise
        raise InsufficientInventory([err]) from None
    return {} if left is None else {variant_id: left}


def _stock_refusals(cart: dict[str, Any]) -> list[MedusaError]:
    """_reserve_items's refusals, judged on the stock read with the cart (in this transaction,
    after the cart's lock): what the guarded decrements would refuse had they run then."""
    wanted = _wanted_stock(cart)
    variants = {i["variant_id"]: i.get("variant") for i in cart["items"] if i["variant_id"]}
    errors: list[MedusaError] = []
    for variant_id in sorted(wanted):
        variant = variants[variant_id]
        if variant is not None and not covers(
            variant["manage_inventory"],
            variant["allow_backorder"],
            variant["inventory_quantity"],
            wanted[variant_id],
        ):
            errors.append(insufficient_inventory(variant_id))
    return errors


def _card_order(card: dict[str, Any]) -> tuple[str, int]:
    # ISO strings of one format (core.present) sort as the instants they name
    return card["ends_at"] or "2100-02-01T00:00:00.000Z", card["balance"]


async def _consume_gift_cards(tx: AsyncSession, cart: dict[str, Any], order_id: str, amount: int) -> None:
    """createFromCart's gift card loop: the cards ordered by end date then balance, each gives
    what it can (one guarded UPDATE: a balance never goes below zero), a transaction each."""
    remaining = amount
    for card in sorted(cart["gift_cards"], key=_card_order):
        balance = card["balance"]
        used = balance - max(0, balance - remaining)
        tax_rate = float4(card["tax_rate"]) if card["tax_rate"] is not None else None
        await gift_cards.consume_balance(tx, card["id"], used)
        await gift_cards.create_transaction(
            tx,
            gift_card_id=card["id"],
            order_id=order_id,
            amount=used,
            is_taxable=bool(tax_rate),
            tax_rate=tax_rate,
        )
        remaining -= used
        if remaining == 0:
            break


async def _gift_cards_from_items(tx: AsyncSession, view: CartView, order: Order) -> None:
    """OrderService.createGiftCardsFromLineItem_: one card per unit of a gift-card item, worth its
    tax-exclusive unit price, taxed at the sum of the item's tax rates."""
    cart = view.cart
    region = SimpleNamespace(**cart["region"])
    for item in cart["items"]:
        if not item["is_giftcard"]:
            continue
        totals = view.totals.items.get(item["id"])
        quantity = item["quantity"]
        if totals is None or not totals.subtotal or not quantity:
            continue
        value = round(totals.subtotal / quantity)
        rate = sum(line.rate for line in totals.tax_lines)
        for _ in range(quantity):
            card = GiftCard(
                code=gift_cards.generate_code(),
                value=value,
                balance=value,
                region_id=order.region_id,
                order_id=order.id,
                is_disabled=False,
                metadata_=item["metadata"],
                tax_rate=gift_cards.resolve_tax_rate(rate or None, region),  # type: ignore[arg-type]
            )
            tx.add(card)
            await tx.flush()
            emit(tx, gift_cards.CREATED, {"id": card.id})


async def _draft_of(tx: AsyncSession, cart_id: str) -> DraftOrder:
    draft = (await tx.execute(select(DraftOrder).where(DraftOrder.cart_id == cart_id))).scalar_one_or_none()
    if draft is None:
        raise not_found("Draft order was not found")
    return draft


# order.cart_id (and draft_order_id, the draft's cart's) is unique: a second order of a cart is
# refused by its INSERT (Medusa asks first; a completed cart or draft never gets here, so the
# question cost every order a round trip)
_ORDER_CART_UNIQUE = (
    "REL_c99a206eb11ad45f6b7f04f2dc",
    "order.cart_id",
    "UQ_727b872f86c7378474a8fa46147",
    "order.draft_order_id",
)
_ITEMS_TO_ORDER = (
    update(LineItem)
    .where(LineItem.id.in_(bindparam("ids", expanding=True)))
    .values(order_id=bindparam("order_id"), updated_at=bindparam("now"))
)
_METHODS_TO_ORDER = (
    update(ShippingMethod)
    .where(ShippingMethod.id.in_(bindparam("ids", expanding=True)))
    .values(order_id=bindparam("order_id"))
)


# PostgreSQL: the order's INSERT carries the rest of its placement as data-modifying CTEs, one
# round trip instead of six: the display_id from Medusa's sequence, the payment, items and
# shipping methods moved onto the order, the cart completed. Foreign keys are checked at the
# end of the statement, when the order row exists; a second order of the cart fails it whole.
def _placement(
    new_payment: tuple[str, ...] | None = None,
    new_session: tuple[str, ...] | None = None,
    draft: bool = False,
    take: bool = False,
) -> Any:
    """`new_payment`: the columns of a payment row to insert on the order (one authorization
    made in this transaction and left unwritten), the cart's payment columns set with its
    completion; else an existing payment (`payment_id`) is moved onto the order. `new_session`:
    the columns of a payment session row to insert too (`session_<column>`). `draft`: the
    cart's draft order (`draft_id`) is completed with the order (registerCartCompletion).
    `take`: the stock of the cart's one variant (`take_id`, `take_quantity`) is decremented by
    the same statement, under products.inventory's guard; its new quantity is returned after
    the display_id (NULL: nothing was taken)."""
    order: Any = Order.__table__
    now: Any = bindparam("now", type_=order.c.updated_at.type)
    order_id: Any = bindparam("id", type_=order.c.id.type)

    def moved(table: Any, key: Any, name: str, **values: Any) -> Any:
        return update(table).where(key).values(**values).returning(table.c.id).cte(name)

    def listed(table: Any, name: str) -> Any:
        # the cart's rows (its cart_id index) among them: the plan kept for `id = ANY(array)`
        # alone expects ten rows and scans the whole table while it is small, a scan that
        # grows with every order placed until the table's next ANALYZE
        return and_(
            table.c.cart_id == bindparam("cart_id", type_=table.c.cart_id.type),
            table.c.id == any_(bindparam(name, type_=postgresql.ARRAY(table.c.id.type))),
        )

    def tax_lines(table: Any, owner: str, name: str) -> Any:
        # any number of rows, one SQL text: the columns as arrays, unnested
        names = [*_TAX_LINE_COLUMNS, owner]
        arrays = [bindparam(f"{name}_{c}", type_=postgresql.ARRAY(table.c[c].type)) for c in names]
        rows = func.unnest(*arrays).table_valued(*names).render_derived()
        values = select(*(rows.c[c] for c in names), now, now)
        return (
            insert(table)
            .from_select([*names, "created_at", "updated_at"], values)
            .returning(table.c.id)
            .cte(name)
        )

    payment, items, methods, cart, drafts = (
        m.__table__ for m in (Payment, LineItem, ShippingMethod, Cart, DraftOrder)
    )
    columns: dict[str, Any] = {c.name: bindparam(c.name, type_=c.type) for c in order.columns}
    columns["display_id"] = orders.DISPLAY_ID_SEQUENCES["order"]
    completion: dict[str, Any] = {"completed_at": now, "updated_at": now}
    if new_payment is None:
        payment_step = moved(
            payment,
            payment.c.id == bindparam("payment_id"),
            "moved_payment",
            order_id=order_id,
            updated_at=now,
        )
    else:
        # the row's id is bound as `payment_id`, the very parameter the cart's column takes
        payment_step = raw.insert_cte(payment, new_payment, "payment_", "new_payment")
        completion.update(
            payment_id=bindparam("payment_id", type_=cart.c.payment_id.type),
            payment_authorized_at=bindparam("payment_authorized_at", type_=cart.c.payment_authorized_at.type),
        )
    returned: list[Any] = [order.c.display_id]
    steps: list[Any] = []
    if take:
        taken = take_stock_step(now).cte("taken_stock")
        steps.append(taken)
        returned.append(select(taken.c.inventory_quantity).scalar_subquery())
    return (
        insert(order)
        .values({name: value for name, value in columns.items() if name in _PLACED_COLUMNS})
        .returning(*returned)
        .add_cte(
            *steps,
            payment_step,
            moved(items, listed(items, "item_ids"), "moved_items", order_id=order_id, updated_at=now),
            moved(methods, listed(methods, "method_ids"), "moved_methods", order_id=order_id),
            moved(cart, cart.c.id == bindparam("cart_id"), "completed_cart", **completion),
            *([] if new_session is None else [_new_session_step(new_session)]),
            *(
                [
                    moved(
                        drafts,
                        drafts.c.id == bindparam("draft_id"),
                        "completed_draft",
                        status="completed",
                        completed_at=now,
                        order_id=order_id,
                        updated_at=now,
                    )
                ]
                if draft
                else []
            ),
            *(
                tax_lines(table, owner, name)
                for (table, _p, owner), name in zip(_TAX_LINE_TABLES, _TAX_CTES, strict=True)
            ),
        )
    )


_PLACED_COLUMNS = (
    "id", "created_at", "updated_at", "status", "fulfillment_status", "payment_status", "display_id",
    "shipping_address_id", "billing_address_id", "region_id", "email", "customer_id", "cart_id",
    "currency_code", "metadata", "sales_channel_id", "draft_order_id", "no_notification",
)  # fmt: skip
_TAX_CTES = ("item_tax_lines", "method_tax_lines")
_PLACEMENTS: dict[tuple[tuple[str, ...] | None, tuple[str, ...] | None, bool, bool], Any] = {}


def _new_session_step(columns: tuple[str, ...]) -> Any:
    return raw.insert_cte(PaymentSession.__table__, columns, "session_", "new_session")


def _placement_of(
    new_payment: tuple[str, ...] | None, new_session: tuple[str, ...] | None, draft: bool, take: bool
) -> Any:
    key = (new_payment, new_session, draft, take)
    found = _PLACEMENTS.get(key)
    if found is None:
        found = _PLACEMENTS[key] = _placement(new_payment, new_session, draft, take)
    return found


def _unwritten_row(obj: Any, **values: Any) -> dict[str, Any]:
    """The row an instance made and not written holds (its columns that are not NULL), with
    `values` over it."""
    row = {k: v for k, v in raw.committed(obj).items() if v is not None}
    row.update(values)
    return row


async def _write_placement(
    tx: AsyncSession,
    values: dict[str, Any],
    payment: Payment | None,
    view: CartView,
    tax_lines: TaxLineRows,
    now: Any,
) -> Order:
    """The order row (`values`) written, with its tax lines, its payment, items and shipping
    methods moved onto it and the cart completed: one statement (PostgreSQL). What authorization
    left unwritten (view.unwritten_cart, view.unwritten_session: see _authorize) is written in
    it too: the payment inserted on the order, the cart's payment columns, the session. The
    cart's draft order (values["draft_order_id"]) is completed by it as well."""
    cart = view.cart
    unwritten_cart = view.unwritten_cart
    row = raw.new_row(Order, values)
    params = {
        **row,
        "now": now,
        "payment_id": payment.id if payment is not None else None,
        "item_ids": [i["id"] for i in cart["items"]],
        "method_ids": [m["id"] for m in cart["shipping_methods"]],
    }
    new_payment: tuple[str, ...] | None = None
    if unwritten_cart is not None and payment is not None:
        # the row as its own INSERT would have written it, then moved onto the order
        written = _unwritten_row(payment, order_id=row["id"], updated_at=now)
        new_payment = tuple(sorted(written))
        params.update({f"payment_{k}": v for k, v in written.items()})
        params["payment_authorized_at"] = unwritten_cart["payment_authorized_at"]
    new_session: tuple[str, ...] | None = None
    if view.unwritten_session is not None:
        session_row = _unwritten_row(view.unwritten_session)
        new_session = tuple(sorted(session_row))
        params.update({f"session_{k}": v for k, v in session_row.items()})
    for (_table, _prefix, owner), name, rows in zip(_TAX_LINE_TABLES, _TAX_CTES, tax_lines, strict=True):
        for column in (*_TAX_LINE_COLUMNS, owner):
            params[f"{name}_{column}"] = [r[column] for r in rows]
    draft = row["draft_order_id"] is not None
    if draft:
        params["draft_id"] = row["draft_order_id"]
    take = view.take_stock
    if take is not None:
        params["take_id"], params["take_quantity"] = take
    placement = _placement_of(new_payment, new_session, draft, take is not None)
    returned = (await raw.rows(tx, placement, params))[0]
    row["display_id"] = returned[0]
    if take is not None:
        view.stock_left = returned[1]
    if payment is not None:
        raw.hold(payment, {"order_id": row["id"], "updated_at": now})
    cart.update(completed_at=now, updated_at=now)
    return raw.instance_of(Order, row)  # type: ignore[no-any-return]


async def _write_placement_sqlite(
    tx: AsyncSession,
    values: dict[str, Any],
    payment: Payment | None,
    view: CartView,
    tax_lines: TaxLineRows,
    now: Any,
) -> Order:
    """_write_placement a statement per step (SQLite: a round trip costs next to nothing, and
    its display_id is max + 1; authorization writes what it made itself)."""
    assert view.unwritten_cart is None and view.unwritten_session is None and view.take_stock is None
    cart = view.cart
    for (table, _prefix, _owner), rows in zip(_TAX_LINE_TABLES, tax_lines, strict=True):
        for row in rows:
            await raw.insert_row(tx, table, row)
    order: Order = await raw.insert_entity(
        tx, Order, {**values, "display_id": await orders.next_display_id(tx)}
    )
    if payment is not None:
        await raw.update_entity(tx, payment, {"order_id": order.id, "updated_at": now})
    conn = await raw.flushed(tx)
    items = [i["id"] for i in cart["items"]]
    await raw.execute(conn, _ITEMS_TO_ORDER, {"ids": items, "order_id": order.id, "now": now})
    if cart["shipping_methods"]:
        methods = [m["id"] for m in cart["shipping_methods"]]
        await raw.execute(conn, _METHODS_TO_ORDER, {"ids": methods, "order_id": order.id})
    await _set_cart(tx, cart, completed_at=now, updated_at=now)
    return order


async def _cart_payment(tx: AsyncSession, view: CartView) -> Payment | None:
    """The cart's payment row: the one authorization made in this transaction, else read."""
    payment_id = view.cart["payment_id"]
    if not payment_id:
        return None
    if view.payment is not None and view.payment.id == payment_id:
        return view.payment  # type: ignore[no-any-return]
    return await tx.get(Payment, payment_id)


async def _place_order(
    tx: AsyncSession,
    view: CartView,
    *,
    reserve_stock: bool = True,
    stock_later: bool = False,
    draft: DraftOrder | None = None,
    payment_status: str = "awaiting",
) -> Order:
    """OrderService.createFromCart (+ createTaxLines, stock and discount usage) over a cart
    loaded after its locks were taken. Stock is left alone for draft orders, as Medusa's Mark Paid
    does (the admin placing the order decides). `stock_later`: the stock as read is only checked
    here, and the caller reserves it (_reserve_items) before its transaction ends."""
    cart = view.cart
    cart_id: str = cart["id"]
    totals = view.totals
    tax_lines = await _new_tax_lines(tx, view)
    if reserve_stock and stock_later:
        refusals = _stock_refusals(cart)
        if refusals:
            raise InsufficientInventory(refusals)
    elif reserve_stock:
        await _reserve_items(tx, cart)
    if not cart["items"]:
        raise invalid_data("Cannot create order from empty cart")
    if not cart["customer_id"]:
        raise invalid_data("Cannot create an order from the cart without a customer")
    payment: Payment | None = await _cart_payment(tx, view)
    if totals.total != 0:
        if payment is None:
            raise MedusaError("invalid_argument", "Cart does not contain a payment method")
        status = await call_provider(
            provider_for(payment.provider_id).get_payment_status(dict(payment.data or {}))
        )
        if status != AUTHORIZED:
            raise MedusaError("invalid_argument", "Payment method is not authorized")
    discount_ids = sorted(d["id"] for d in cart["discounts"])
    # Medusa counts uses in an order.placed subscriber, unguarded; here the order that would pass
    # the limit is refused, in the order's own transaction.
    for discount_id in discount_ids:
        await record_usage(tx, discount_id)
    draft_order_id: str | None = None
    no_notification: bool | None = None
    if cart["type"] == "draft_order":
        if draft is None or draft.cart_id != cart_id:
            draft = await _draft_of(tx, cart_id)
        draft_order_id, no_notification = draft.id, draft.no_notification_order
    # written on the driver: the ORM's unit of work costs more than the INSERT
    values = {
        "status": "pending",
        "fulfillment_status": "not_fulfilled",
        "payment_status": payment_status,
        "shipping_address_id": cart["shipping_address_id"],
        "billing_address_id": cart["billing_address_id"],
        "region_id": cart["region_id"],
        "email": cart["email"],
        "customer_id": cart["customer_id"],
        "cart_id": cart_id,
        "currency_code": cart["region"]["currency_code"],
        "metadata": cart["metadata"] or {},
        "sales_channel_id": cart["sales_channel_id"] or None,
        "draft_order_id": draft_order_id,
        "no_notification": no_notification,
    }
    placed = payment if totals.total != 0 else None
    write = _write_placement_sqlite if _is_sqlite(tx) else _write_placement
    now = utcnow()
    for rows in tax_lines:
        for row in rows:  # as the placement's statement stamps them (PostgreSQL)
            row["created_at"] = row["updated_at"] = now
    try:
        order = await write(tx, values, placed, view, tax_lines, now)
        view.unwritten_cart = view.unwritten_session = None
        view.placed = (tax_lines, now, placed)
    except IntegrityError as err:
        if any(name in str(err.orig) for name in _ORDER_CART_UNIQUE):
            raise MedusaError("duplicate_error", ORDER_CART_ALREADY_EXISTS) from None
        raise
    if cart["discounts"]:
        await tx.execute(
            insert(t_order_discounts),
            [{"order_id": order.id, "discount_id": d["id"]} for d in cart["discounts"]],
        )
    if cart["gift_cards"]:
        await tx.execute(
            insert(t_order_gift_cards),
            [{"order_id": order.id, "gift_card_id": g["id"]} for g in cart["gift_cards"]],
        )
    await _consume_gift_cards(tx, cart, order.id, totals.gift_card_total or 0)
    await _gift_cards_from_items(tx, view, order)
    if draft_order_id is not None and _is_sqlite(tx):
        # DraftOrderService.registerCartCompletion, whichever way the draft's cart was completed
        # (Medusa: an order.placed subscriber; on PostgreSQL, part of the placement's statement)
        now = utcnow()
        done = {"status": "completed", "completed_at": now, "order_id": order.id, "updated_at": now}
        await raw.update_later(tx, DraftOrder.__table__, {"id": draft_order_id}, done)
    emit(tx, "order.placed", {"id": order.id, "no_notification": order.no_notification})
    await tx.flush()
    return order


async def locked_cart_view(
    tx: AsyncSession, cart_id: str, *, read_customer: bool = False, locked: LockedCart | None = None
) -> CartView:
    """lock_cart, the cart's gift cards locked, then the cart read once with its totals (taxes
    forced): what authorize_view and place_order work on. `locked`: the cart as the caller
    took and read it (LOCKED_CART_COLUMNS, FOR UPDATE) in this transaction."""
    if locked is None or locked.id != cart_id:
        locked = await lock_cart(tx, cart_id)
    return await _locked_view(tx, locked, read_customer=read_customer)


async def authorize_view(
    tx: AsyncSession,
    view: CartView,
    context: dict[str, Any] | None = None,
    *,
    selected: PaymentSession | None = None,
    placing: bool = False,
) -> PaymentSession | None:
    """authorize_cart_payment over a view from locked_cart_view (its selected session from the
    view, unless the caller gives the one it made in this transaction; `placing`: see
    _authorize)."""
    return await _authorize(tx, view, context or {}, selected, placing=placing)


async def place_order(
    tx: AsyncSession,
    view: CartView,
    *,
    reserve_stock: bool = True,
    draft: DraftOrder | None = None,
    payment_status: str = "awaiting",
) -> Order:
    """create_order_from_cart over a view from locked_cart_view, in the same transaction (the
    cart changed since only through authorize_view). `draft`: the cart's draft order, when the
    caller has it. `payment_status`: what the order's row is written with, when the caller
    captures its payment next in this transaction (see orders.capture_order_payment)."""
    return await _place_order(
        tx, view, reserve_stock=reserve_stock, draft=draft, payment_status=payment_status
    )


async def create_order_from_cart(tx: AsyncSession, cart_id: str, *, reserve_stock: bool = True) -> Order:
    """OrderService.createFromCart in the caller's transaction (see iface/checkout.md): the cart
    row is locked, tax lines persisted, stock reserved (InsufficientInventory), discount usage
    counted, the order written with its joins, payment, gift cards, items and shipping methods;
    order.placed is staged and the cart completed. The payment must be authorized already
    (authorize_cart_payment) unless the total is 0."""
    view = await _locked_view(tx, await lock_cart(tx, cart_id))
    return await _place_order(tx, view, reserve_stock=reserve_stock)


# ---- answers ------------------------------------------------------------------------------------

# complete-cart: retrieveWithTotals(order, {relations: ["shipping_address", "items", "payments"]})
# plus OrderService.getTotalsRelations; every column of the order.
COMPLETE_TREE: Tree = merge_trees(
    relation_tree(["shipping_address", "items", "payments"]),
    relation_tree(
        [
            "items.tax_lines",
            "items.adjustments",
            "items.variant",
            "swaps",
            "claims",
            "discounts.rule",
            "gift_cards",
            "gift_card_transactions",
            "refunds",
            "shipping_methods.tax_lines",
            "region",
            "payments",
        ]
    ),
)
_ORDER_COLUMNS = frozenset(c.name for c in Order.__table__.columns)


_TARGETS: dict[tuple[Any, str], Any] = {}


def _target(model: Any, name: str) -> Any:
    found = _TARGETS.get((model, name))
    if found is None:
        found = _TARGETS[(model, name)] = sa_inspect(model).relationships[name].mapper.class_
    return found


def _pruned(row: dict[str, Any], model: Any, tree: Tree) -> dict[str, Any]:
    """`row` with only the columns of `model` and the relations of `tree` (recursively), as
    load_trees(model, tree) gives it."""
    out = {name: row[name] for name in shape(model).names}
    for name, sub in tree.items():
        value = row[name]
        target = _target(model, name)
        if isinstance(value, list):
            out[name] = [_pruned(v, target, sub) for v in value]
        else:
            out[name] = None if value is None else _pruned(value, target, sub)
    return out


def placed_tree(view: CartView, order: Order, tree: Tree) -> dict[str, Any] | None:
    """The order just placed from `view` (in this transaction, PostgreSQL or SQLite) as
    load_trees(Order, tree) would read it now, built from the cart's tree and what the placement
    wrote instead of read back: the read was a round trip and the heaviest statement of a
    checkout's completion and of Mark Paid. None where the placement changed more than this
    knows (discount usage, gift cards and their transactions, return lines): the caller then
    reads the order."""
    cart = view.cart
    if view.placed is None or cart["discounts"] or cart["gift_cards"]:
        return None
    if any(i["is_return"] or i["is_giftcard"] for i in cart["items"]):
        return None
    (item_lines, method_lines), now, payment = view.placed
    stamp = shape(LineItem).conv_of["updated_at"](now)

    def grouped(rows: list[dict[str, Any]], model: Any, owner: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for row in sorted(rows, key=lambda r: r["id"]):  # the relation's order
            out.setdefault(row[owner], []).append(row_dict(model, row))
        return out

    # the tax lines of the items and methods _new_tax_lines replaced (those with totals)
    new_item_lines = grouped(item_lines, LineItemTaxLine, "item_id")
    new_method_lines = grouped(method_lines, ShippingMethodTaxLine, "shipping_method_id")
    items = []
    for item in cart["items"]:
        moved = {**item, "order_id": order.id, "updated_at": stamp}
        if item["id"] in view.totals.items:
            moved["tax_lines"] = new_item_lines.get(item["id"], [])
        items.append(moved)
    methods = []
    for method in cart["shipping_methods"]:
        moved = {**method, "order_id": order.id}
        if method["id"] in view.totals.shipping_methods:
            moved["tax_lines"] = new_method_lines.get(method["id"], [])
        methods.append(moved)
    row = shape(Order).of(order)
    row.update(
        items=items,
        shipping_methods=methods,
        payments=[] if payment is None else [shape(Payment).of(payment)],
        region=cart["region"],
        customer=cart.get("customer"),
        shipping_address=cart["shipping_address"],
        billing_address=cart["billing_address"],
        discounts=[],
        gift_cards=[],
        gift_card_transactions=[],
        fulfillments=[],
        refunds=[],
        returns=[],
        swaps=[],
        claims=[],
    )
    return _pruned(row, Order, tree)


async def _load_placed_order(tx: AsyncSession, order_id: str) -> dict[str, Any]:
    loaded = await load_trees(tx, Order, [order_id], COMPLETE_TREE)
    if not loaded:
        raise not_found(f"Order with id {order_id} was not found")
    return loaded[0]


def _render_placed_order(loaded: dict[str, Any]) -> dict[str, Any]:
    # decorateTotals gives every item its raw_discount_total, and complete-cart's cleaning step
    # never reaches inside the items to take it out again
    view = orders.View(COMPLETE_TREE, _ORDER_COLUMNS, frozenset(orders.TOTAL_FIELDS), item_raw_discount=True)
    return orders.render_order(loaded, view, with_object=True)


async def present_placed_order(tx: AsyncSession, order_id: str) -> dict[str, Any]:
    """The order as complete-cart answers it (`data` of `{type: "order"}`)."""
    return _render_placed_order(await _load_placed_order(tx, order_id))


async def _order_of_cart(tx: AsyncSession, cart_id: str) -> str:
    order_id = (await tx.execute(select(Order.id).where(Order.cart_id == cart_id))).scalar_one_or_none()
    if order_id is None:
        raise not_found(f"Order with cart id {cart_id} was not found")
    return order_id


async def _present_authorizing_cart(tx: AsyncSession, cart_id: str) -> dict[str, Any]:
    """authorizePayment's fresh cart (relations payment_sessions; payment_session: the selected)."""
    cart = (
        await tx.execute(select(Cart).where(Cart.id == cart_id).execution_options(populate_existing=True))
    ).scalar_one()
    rows = list(
        (
            await tx.execute(
                select(PaymentSession)
                .where(PaymentSession.cart_id == cart_id)
                .order_by(PaymentSession.created_at, PaymentSession.id)
                .execution_options(populate_existing=True)
            )
        ).scalars()
    )
    out: dict[str, Any] = {"object": "cart"}
    out.update(present(cart) or {})
    out["payment_sessions"] = [present(s) for s in rows]
    selected = next((s for s in rows if s.is_selected), None)
    out["payment_session"] = present(selected)
    return out


# ---- completion ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    status: int
    body: dict[str, Any]


async def _complete(tx: AsyncSession, locked: LockedCart, context: dict[str, Any]) -> Completion:
    cart_id = locked.id
    authorized: tuple[str, dict[str, Any]] | None = None
    session: PaymentSession | None = None
    staged = staged_mark(tx)
    # read before the savepoint (it writes nothing): the SAVEPOINT then goes out with the
    # authorization's writes instead of on a round trip of its own before this read
    view = await _locked_view(tx, locked)
    savepoint = await tx.begin_nested()
    try:
        session = await _authorize(tx, view, context, placing=True)
        if session is not None and session.status in (REQUIRES_MORE, PENDING):
            # The shopper has more to do: nothing of the order stays, the provider's answer does.
            session_id, status, data = session.id, session.status, dict(session.data or {})
            await savepoint.rollback()
            discard_staged(tx, staged)
            await tx.execute(
                update(PaymentSession)
                .where(PaymentSession.id == session_id)
                .values(status=status, data=data, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            emit(tx, "cart.updated", {"id": cart_id})
            await tx.flush()
            shown = await _present_authorizing_cart(tx, cart_id)
            return Completion(200, {"data": shown, "payment_status": status, "type": "cart"})
        payment_id = view.cart["payment_id"]
        if payment_id:
            payment = await _cart_payment(tx, view)
            if payment is not None:
                authorized = (payment.provider_id, dict(payment.data or {}))
        if not payment_id and view.totals.total > 0:
            raise invalid_data("Cart payment not authorized")
        # PostgreSQL: a variant's decrement holds its row lock until COMMIT, and every checkout of
        # a popular variant queues behind it; so it comes last, after the order was written and
        # read back, and the answer takes the new stock from the decrement itself.
        wanted = _wanted_stock(view.cart)
        if len(wanted) == 1 and not _is_sqlite(tx):
            # one variant: its stock is taken by the placement's statement (a round trip less,
            # and its row lock held no longer than the separate UPDATE held it)
            view.take_stock = next(iter(wanted.items()))
        order = await _place_order(tx, view, stock_later=True)
        placed = placed_tree(view, order, COMPLETE_TREE) or await _load_placed_order(tx, order.id)
        changed = await _taken_items(tx, view) if view.take_stock else await _reserve_items(tx, view.cart)
        for item in placed["items"]:
            variant = item.get("variant")
            if variant is not None and item["variant_id"] in changed:
                now = changed[item["variant_id"]]
                variant.update(
                    inventory_quantity=now["inventory_quantity"], updated_at=iso(now["updated_at"])
                )
        await savepoint.commit()
    except InsufficientInventory as err:
        await savepoint.rollback()
        discard_staged(tx, staged)
        await _keep_refused_payment(tx, view, session)
        errors = [{"message": e.message, "type": e.type, "code": e.code} for e in err.errors]
        return Completion(409, {"errors": errors})
    except BaseException:
        if savepoint.is_active:
            await savepoint.rollback()
        discard_staged(tx, staged)
        await _cancel_at_provider(authorized)
        raise
    return Completion(200, {"data": _render_placed_order(placed), "type": "order"})


async def complete_cart(
    tx: AsyncSession, cart_id: str, key: str, *, client_key: bool, context: dict[str, Any] | None = None
) -> Completion:
    """POST /store/carts/{id}/complete: the cart's order (placed now, or earlier), the cart when
    its payment needs more from the shopper, or 409 for insufficient inventory. `key` is the
    request's idempotency key (the client's when `client_key`): a finished key replays its answer;
    the answer is recorded under the key in the same transaction."""
    if client_key:
        stored = await idempotency.stored_answer(tx, key)
        if stored is not None:
            return Completion(stored.status, stored.body)
    locked = await lock_cart(tx, cart_id)
    if client_key:
        # a twin request with the same key may have finished while this one waited for the lock
        stored = await idempotency.stored_answer(tx, key)
        if stored is not None:
            return Completion(stored.status, stored.body)
    if locked.completed_at is not None:
        order_id = await _order_of_cart(tx, cart_id)
        result = Completion(200, {"data": await present_placed_order(tx, order_id), "type": "order"})
    else:
        result = await _complete(tx, locked, {**(context or {}), "idempotency_key": key})
    await idempotency.record_answer(
        tx,
        key,
        method="POST",
        path=f"/{cart_id}/complete",
        params={"id": cart_id},
        status=result.status,
        body=result.body,
    )
    return result
