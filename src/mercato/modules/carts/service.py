"""Store carts: Medusa's CartService / LineItemService / ShippingOptionService rules for carts
(services/cart.ts, services/line-item.ts, services/shipping-option.ts, v1.20).

Every amount shown comes from `mercato.pricing.totals.cart_totals`; this module only gathers the
rows (in a bounded number of queries) and writes what Medusa writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

import orjson
from sqlalchemy import String, bindparam, delete, exists, func, insert, literal_column, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import MANYTOONE, joinedload, selectinload

from mercato.core import refcache
from mercato.core.clock import iso, utcnow
from mercato.core.errors import MedusaError, RequestErrors, invalid_data, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, relation_tree, with_profile
from mercato.core.rows import load_relation, load_trees, row_dict, shape
from mercato.db import raw
from mercato.modules.carts.models import (
    Cart,
    CustomShippingOption,
    LineItem,
    LineItemAdjustment,
    LineItemTaxLine,
    PaymentSession,
    ShippingMethod,
    ShippingMethodTaxLine,
    t_cart_discounts,
    t_cart_gift_cards,
)
from mercato.modules.customers.models import Address, Customer
from mercato.modules.customers.service import guest_customer, insert_address, insert_address_row
from mercato.modules.discounts import cart_rules
from mercato.modules.discounts.models import Discount
from mercato.modules.gift_cards.models import GiftCard
from mercato.modules.price_lists.pricing_service import price_variants, pricing_context
from mercato.modules.products.inventory import covers, insufficient_inventory
from mercato.modules.products.models import Product, ProductSalesChannel, ProductVariant
from mercato.modules.regions.models import Region
from mercato.modules.sales_channels.models import SalesChannel
from mercato.modules.shipping.models import ShippingOption
from mercato.modules.store.models import Store
from mercato.modules.taxes.lines import tax_lines_map
from mercato.modules.taxes.models import TaxRate
from mercato.pricing import inputs
from mercato.pricing import totals as T
from mercato.pricing.taxes import float4

# api/routes/store/carts/index.ts defaultStoreCartRelations (+ sales_channel, the flag is on) and
# the relations CartService.retrieveWithTotals adds for its totals.
CART_TREE: Tree = relation_tree(
    [
        "billing_address",
        "discounts.rule",
        "gift_cards",
        "items.adjustments",
        "items.tax_lines",
        "items.variant.product.profiles",
        "payment",
        "payment_sessions",
        "region.countries",
        "region.payment_providers",
        "sales_channel",
        "shipping_address",
        "shipping_methods.shipping_option",
        "shipping_methods.tax_lines",
    ]
)

INSUFFICIENT_INVENTORY = "insufficient_inventory"


# ---- reading ---------------------------------------------------------------------------------


@dataclass
class CartView:
    """A cart with its totals: `cart` is its dict tree (CART_TREE, columns as `core.present`
    prints them, read with Core statements, no ORM rows), what the totals and the JSON are
    computed from and what the checkout rules read."""

    cart: dict[str, Any]
    totals: T.Totals
    include_tax: bool
    region_tax_rates: list[dict[str, Any]]
    with_customer: bool = False
    # the Payment row object authorization created in this transaction (the session's identity
    # map only keeps objects someone holds: without this one, reading it again is a SELECT)
    payment: Any = None
    # cart["payment_sessions"] holds the rows as a change of them in this transaction left
    # them (the change wrote them and set them here): reload_payment_sessions has nothing to read
    sessions_known: bool = False
    # what authorization made for the order's placement and did not write (PostgreSQL): `payment`
    # is not inserted yet, and these cart columns (set in `cart` already) not updated; the
    # placement's statement writes both
    unwritten_cart: dict[str, Any] | None = None
    # a payment session made for the placement and not written (Mark Paid's `system` one): the
    # placement's statement inserts it
    unwritten_session: Any = None
    # what the order's placement wrote besides the order row: the new tax lines (items',
    # methods') and its timestamp (see checkout.service.placed_tree)
    placed: Any = None
    # PostgreSQL: the variant and quantity whose stock the placement's statement takes (the
    # cart's only variant), then the quantity it left, or None when it took nothing
    take_stock: tuple[str, int] | None = None
    stock_left: int | None = None


def _joined_options(model: type, tree: Tree) -> list[Any]:
    """load_options, with the many-to-one relations joined into their parent's statement (one
    query fewer each); collections stay selectinload (bounded, no row multiplication)."""
    options: list[Any] = []
    mapper: Any = sa_inspect(model)
    for name, sub in tree.items():
        rel = mapper.relationships[name]
        attr = getattr(model, name)
        loader = joinedload(attr) if rel.direction is MANYTOONE else selectinload(attr)
        children = _joined_options(rel.mapper.class_, sub)
        options.append(loader.options(*children) if children else loader)
    return options


async def _cart_row(tx: AsyncSession, cart_id: str, tree: Tree | None = None, *, lock: bool = False) -> Cart:
    stmt = select(Cart).where(Cart.id == cart_id, Cart.deleted_at.is_(None))
    if lock:
        # concurrent changes of one cart queue up (PostgreSQL); SQLite has one writer anyway
        stmt = stmt.with_for_update(of=Cart)
    if tree:
        stmt = stmt.options(*_joined_options(Cart, tree)).execution_options(populate_existing=True)
    cart = (await tx.execute(stmt)).scalar_one_or_none()
    if cart is None:
        raise not_found(f"Cart with {cart_id} was not found")
    return cart


async def compute_totals(
    tx: AsyncSession,
    cart: dict[str, Any],
    *,
    force_taxes: bool = False,
    region_has_rates: bool | None = None,
) -> tuple[T.Totals, bool]:
    """CartService.decorateTotals for a cart's dict tree (CART_TREE). `region_has_rates` False:
    the region has no tax rate rows, so no product-rate query is needed."""
    region = cart["region"]
    include_tax = bool(force_taxes or region["automatic_taxes"])
    items = inputs.line_items(cart["items"])
    tax_lines = None
    if include_tax:
        # the engine's line items carry what tax_lines_map reads (id, is_return, product_id)
        tax_lines = await tax_lines_map(
            tx,
            SimpleNamespace(id=region["id"], tax_rate=region["tax_rate"]),
            items,
            [
                SimpleNamespace(id=m["id"], shipping_option_id=m["shipping_option_id"])
                for m in cart["shipping_methods"]
            ],
            region_has_rates=region_has_rates,
        )
    totals = T.cart_totals(
        items,
        inputs.shipping_methods(cart["shipping_methods"]),
        discounts=inputs.discounts(cart["discounts"]),
        gift_cards=inputs.gift_cards(cart["gift_cards"]),
        include_tax=include_tax,
        gift_cards_taxable=bool(region["gift_cards_taxable"]),
        region_tax_rate=float4(region["tax_rate"]) or 0,
        tax_lines=tax_lines,
    )
    return totals, include_tax


# The region's reference rows come from the in-process cache (core.refcache), not the tree.
_REGION_REFERENCE: Tree = {"countries": {}, "payment_providers": {}}
# So do the products' shipping profiles (items.variant.product.profiles).
_PRODUCT_TREE: Tree = CART_TREE["items"]["variant"]["product"]
_CART_READ_TREE: Tree = {
    **CART_TREE,
    "region": {k: v for k, v in CART_TREE["region"].items() if k not in _REGION_REFERENCE},
    "items": {
        **CART_TREE["items"],
        "variant": {
            "product": {k: v for k, v in CART_TREE["items"]["variant"]["product"].items() if k != "profiles"}
        },
    },
}
_CART_READ_TREE_CUSTOMER: Tree = {**_CART_READ_TREE, "customer": {}}


async def _region_reference(
    tx: AsyncSession, region_id: str
) -> tuple[Any, Any, list[dict[str, Any]], dict[str, Any] | None]:
    """(countries, payment providers, tax rates, the region's own columns or None) of a region,
    as dict rows."""

    async def load() -> tuple[Any, Any, list[dict[str, Any]], dict[str, Any] | None]:
        found = await load_trees(tx, Region, [region_id], _REGION_REFERENCE)
        rate = shape(TaxRate)
        table = TaxRate.__table__
        columns = [table.c[n] for n in rate.names]
        rows = await tx.execute(select(*columns).where(table.c.region_id == region_id).order_by(table.c.id))
        rates = [rate.make(row) for row in rows.all()]
        if not found:
            return [], [], rates, None
        row = found[0]
        own = {k: v for k, v in row.items() if k not in _REGION_REFERENCE}
        return row["countries"], row["payment_providers"], rates, own

    return await refcache.cached(tx, ("region_reference", region_id), load)


async def _fill_profiles(tx: AsyncSession, items: list[dict[str, Any]]) -> None:
    """items[].variant.product.profiles, as the tree would read them, from core.refcache."""
    products = [i["variant"]["product"] for i in items if i["variant"] and i["variant"]["product"]]
    if not products:
        return
    ids = tuple(sorted({p["id"] for p in products}))

    async def load() -> dict[str, list[dict[str, Any]]]:
        holders: list[dict[str, Any]] = [{"id": pid} for pid in ids]
        await load_relation(tx, Product, holders, "profiles")
        return {h["id"]: h["profiles"] for h in holders}

    by_product = await refcache.cached(tx, ("product_profiles", ids), load)
    for product in products:
        product["profiles"] = [dict(p) for p in by_product.get(product["id"], ())]


async def cart_json_view(
    tx: AsyncSession,
    cart_id: str,
    *,
    force_taxes: bool = False,
    with_customer: bool = False,
    read_customer: bool = False,
) -> CartView:
    """The cart as a dict tree with its totals, read with Core statements only (no ORM rows):
    for answers. Sees the transaction's flushed changes. `with_customer`: the cart's customer is
    read and answered; `read_customer`: read only (cart["customer"], for a payment provider's
    context: joined into the cart's statement instead of a SELECT of its own)."""
    loaded = await load_trees(
        tx, Cart, [cart_id], _CART_READ_TREE_CUSTOMER if with_customer or read_customer else _CART_READ_TREE
    )
    if not loaded or loaded[0]["deleted_at"] is not None:
        raise not_found(f"Cart with {cart_id} was not found")
    data = loaded[0]
    await _fill_profiles(tx, data["items"])
    countries, providers, rates, _row = await _region_reference(tx, data["region_id"])
    region = data["region"]
    if region is not None:
        region["countries"] = [dict(c) for c in countries]
        region["payment_providers"] = [dict(p) for p in providers]
    totals, include_tax = await compute_totals(
        tx, data, force_taxes=force_taxes, region_has_rates=bool(rates)
    )
    return CartView(data, totals, include_tax, list(rates), with_customer)


async def reload_payment_sessions(tx: AsyncSession, view: CartView) -> None:
    """After a change of the cart's payment sessions only: they are read anew into the view
    (totals do not depend on them), unless the change already put them there (sessions_known)."""
    if view.sessions_known:
        return
    await load_relation(tx, Cart, [view.cart], "payment_sessions")


# ---- rendering -------------------------------------------------------------------------------


def _tax_line_json(line: Any, owner_key: str, owner_id: str) -> dict[str, Any]:
    return {"rate": line.rate, "name": line.name, "code": line.code, owner_key: owner_id}


def _columns_of(row: dict[str, Any], relations: Tree) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in relations}


_ITEM_RELATIONS = CART_TREE["items"]
_METHOD_RELATIONS = CART_TREE["shipping_methods"]


def _item_json(item: dict[str, Any], view: CartView) -> dict[str, Any]:
    out = _columns_of(item, _ITEM_RELATIONS)
    out["adjustments"] = list(item["adjustments"])
    totals = view.totals.items.get(item["id"])
    if view.include_tax and not item["is_return"] and totals is not None:
        out["tax_lines"] = [_tax_line_json(t, "item_id", item["id"]) for t in totals.tax_lines]
    else:
        out["tax_lines"] = [_persisted_tax_line(t) for t in item["tax_lines"]]
    variant = item["variant"]
    if variant is None:
        out["variant"] = None
    else:
        v = _columns_of(variant, _ITEM_RELATIONS["variant"])
        product = variant["product"]
        if product is not None:
            v["product"] = with_profile(dict(product))
        else:
            v["product"] = None
        out["variant"] = v
    if totals is not None:
        out.update(
            subtotal=totals.subtotal,
            discount_total=totals.discount_total,
            total=totals.total,
            original_total=totals.original_total,
            original_tax_total=totals.original_tax_total,
            tax_total=totals.tax_total,
            raw_discount_total=totals.raw_discount_total,
        )
    return out


def _persisted_tax_line(line: dict[str, Any]) -> dict[str, Any]:
    return {**line, "rate": float4(line["rate"])}


def _method_json(method: dict[str, Any], view: CartView, *, with_option: bool = True) -> dict[str, Any]:
    out = _columns_of(method, _METHOD_RELATIONS)
    if with_option:
        out["shipping_option"] = method["shipping_option"]
    totals = view.totals.shipping_methods.get(method["id"])
    if view.include_tax and totals is not None:
        out["tax_lines"] = [_tax_line_json(t, "shipping_method_id", method["id"]) for t in totals.tax_lines]
    else:
        out["tax_lines"] = [_persisted_tax_line(t) for t in method["tax_lines"]]
    if totals is not None:
        out.update(
            original_total=totals.original_total,
            total=totals.total,
            subtotal=totals.subtotal,
            original_tax_total=totals.original_tax_total,
            tax_total=totals.tax_total,
        )
    return out


# The store cart routes' default relations beyond what CartService.retrieveWithTotals always
# loads (getTotalsRelations): what `expand` may leave out or name again
DEFAULT_EXTRA = frozenset(
    {
        "billing_address",
        "payment",
        "payment_sessions",
        "region.countries",
        "region.payment_providers",
        "sales_channel",
        "shipping_methods.shipping_option",
    }
)


# Cart's relations (models/cart.ts): what an `expand` may start with
_CART_RELATION_NAMES = frozenset(
    {
        "billing_address",
        "customer",
        "discounts",
        "gift_cards",
        "items",
        "payment",
        "payment_sessions",
        "region",
        "sales_channel",
        "shipping_address",
        "shipping_methods",
    }
)


def cart_relations(expand: str | None) -> tuple[frozenset[str], bool]:
    """`expand` of GET /store/carts/{id} as (extra relations for present_cart, with customer).

    Medusa loads the named relations besides getTotalsRelations' own; without `expand` the route's
    defaults. A name that is no relation of Cart is a 400 here (Medusa: TypeORM's 500)."""
    if expand is None:
        return DEFAULT_EXTRA, False
    names = {x.strip() for x in expand.split(",") if x.strip()}
    for name in names:
        if name.split(".")[0] not in _CART_RELATION_NAMES:
            raise invalid_data(f"Relation {name.split('.')[0]} is not a valid relation of Cart")
    with_customer = any(n.split(".")[0] == "customer" for n in names)
    return frozenset(DEFAULT_EXTRA & names), with_customer


def present_cart(
    view: CartView, *, extra: frozenset[str] = DEFAULT_EXTRA, fields: set[str] | None = None
) -> dict[str, Any]:
    """Medusa's store cart JSON: columns, relations, computed tax lines and every total.

    `extra`: which of DEFAULT_EXTRA are loaded besides the relations retrieveWithTotals always
    adds (POST /store/carts/{id}/taxes: none; GET with `expand`: those it names). `fields`: the
    columns selected (`id` always; relations and totals stay). `view.customer` set: a `customer`
    key too (POST /store/carts/{id}/line-items loads it). The cart-level raw_discount_total is
    left out: Medusa's cleanResponseData omits it (the items keep theirs)."""
    cart = view.cart
    out: dict[str, Any] = {"object": "cart"}
    columns = _columns_of(cart, _CART_RELATIONS)
    if fields is not None:
        columns = {k: v for k, v in columns.items() if k in fields or k == "id"}
    out.update(columns)
    if "billing_address" in extra:
        out["billing_address"] = cart["billing_address"]
    if view.with_customer:
        out["customer"] = cart["customer"]
    out["discounts"] = list(cart["discounts"])
    out["gift_cards"] = list(cart["gift_cards"])
    out["items"] = [_item_json(i, view) for i in cart["items"]]
    if "payment" in extra:
        out["payment"] = cart["payment"]
    if "payment_sessions" in extra:
        sessions = list(cart["payment_sessions"])
        out["payment_sessions"] = sessions
        # Cart.afterLoad: the selected session as `payment_session`; the key is absent when none is
        selected = next((s for s in sessions if s is not None and s.get("is_selected")), None)
        if selected is not None:
            out["payment_session"] = selected
    source = cart["region"]
    region: dict[str, Any] | None = None
    if source is not None:
        region = _columns_of(source, CART_TREE["region"])
        for name in ("countries", "payment_providers"):
            if f"region.{name}" in extra:
                region[name] = source[name]
        region["tax_rate"] = float4(region["tax_rate"])
        region["tax_rates"] = [_rate_json(r) for r in view.region_tax_rates]
    out["region"] = region
    if "sales_channel" in extra:
        out["sales_channel"] = cart["sales_channel"]
    out["shipping_address"] = cart["shipping_address"]
    with_option = "shipping_methods.shipping_option" in extra
    out["shipping_methods"] = [
        _method_json(m, view, with_option=with_option) for m in cart["shipping_methods"]
    ]
    t = view.totals
    out.update(
        subtotal=t.subtotal,
        discount_total=t.discount_total,
        item_tax_total=t.item_tax_total,
        shipping_total=t.shipping_total,
        shipping_tax_total=t.shipping_tax_total,
        tax_total=t.tax_total,
        gift_card_total=t.gift_card_total,
        gift_card_tax_total=t.gift_card_tax_total,
        total=t.total,
    )
    return out


_CART_RELATIONS: Tree = {**CART_TREE, "customer": {}}


def _rate_json(rate: dict[str, Any]) -> dict[str, Any]:
    return {**rate, "rate": float4(rate["rate"])}


async def cart_response(
    tx: AsyncSession,
    cart_id: str,
    *,
    force_taxes: bool = False,
    with_customer: bool = False,
    extra: frozenset[str] = DEFAULT_EXTRA,
    fields: set[str] | None = None,
) -> dict[str, Any]:
    """`{"cart": ...}` as the store cart routes answer (see present_cart for the options)."""
    view = await cart_json_view(tx, cart_id, force_taxes=force_taxes, with_customer=with_customer)
    return {"cart": present_cart(view, extra=extra, fields=fields)}


# ---- helpers ---------------------------------------------------------------------------------


_REGION_ALIVE = select(Region.id).where(Region.id == bindparam("id"), Region.deleted_at.is_(None))


async def region_country_codes(tx: AsyncSession, region_id: str) -> list[str]:
    """The region's country codes (RegionService.retrieve's not-found refusal for an unknown or
    deleted region)."""

    # regions are admin data: no pending change of a store request concerns them
    async def alive() -> bool:
        return bool(await raw.rows(tx, _REGION_ALIVE, {"id": region_id}, flush=False))

    if not await refcache.cached(tx, ("region alive", region_id), alive):
        raise not_found(f"Region with {region_id} was not found")
    countries, _providers, _rates, _row = await _region_reference(tx, region_id)
    return [c["iso_2"] for c in countries]


@dataclass(frozen=True)
class ChannelRow:
    id: str
    name: str
    is_disabled: bool


_CHANNEL_COLUMNS = (SalesChannel.id, SalesChannel.name, SalesChannel.is_disabled)
_CHANNEL = select(*_CHANNEL_COLUMNS).where(
    SalesChannel.id == bindparam("id"), SalesChannel.deleted_at.is_(None)
)
_DEFAULT_CHANNEL = (
    select(*_CHANNEL_COLUMNS)
    .join(Store, Store.default_sales_channel_id == SalesChannel.id)
    .where(SalesChannel.deleted_at.is_(None))
    .limit(1)
)


async def validated_sales_channel(tx: AsyncSession, sales_channel_id: str | None) -> ChannelRow:
    """CartService.getValidatedSalesChannel: the given channel, else the store's default."""

    # channels and the store are admin data, read through the reference cache
    async def read() -> list[Any]:
        if sales_channel_id is not None:
            return await raw.rows(tx, _CHANNEL, {"id": sales_channel_id})
        return await raw.rows(tx, _DEFAULT_CHANNEL)

    found = await refcache.cached(tx, ("sales channel", sales_channel_id), read)
    if not found:
        if sales_channel_id is not None:
            raise not_found(f"Sales channel with id: {sales_channel_id} was not found")
        raise invalid_data("The store has no default sales channel")
    channel = ChannelRow(found[0][0], found[0][1], bool(found[0][2]))
    if channel.is_disabled:
        raise invalid_data(f'Unable to assign the cart to a disabled Sales Channel "{channel.name}"')
    return channel


async def _customer(tx: AsyncSession, customer_id: str) -> Customer:
    customer = (
        await tx.execute(select(Customer).where(Customer.id == customer_id, Customer.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if customer is None:
        raise not_found(f"Customer with id: {customer_id} was not found")
    return customer


_TAXED_METHOD = (
    select(ShippingMethodTaxLine.id)
    .where(ShippingMethodTaxLine.shipping_method_id.in_(bindparam("ids", expanding=True)))
    .limit(1)
)


async def delete_shipping_methods(tx: AsyncSession, method_ids: Sequence[str]) -> None:
    if not method_ids:
        return
    # Only a placed order's methods have tax lines (written with the order), and they reference
    # the methods without ON DELETE CASCADE. In Medusa that DELETE fails on the foreign key, and
    # its error formatter, which expects an insert's "is not present" detail, answers 404
    # not_found with the message "null": a completed cart's items and methods cannot change.
    if (await tx.execute(_TAXED_METHOD, {"ids": list(method_ids)})).first() is not None:
        raise not_found("null")
    await tx.execute(delete(ShippingMethod).where(ShippingMethod.id.in_(method_ids)))


_METHOD_IDS = select(ShippingMethod.id).where(ShippingMethod.cart_id == bindparam("cart_id"))


async def _cart_method_ids(tx: AsyncSession, cart_id: str) -> list[str]:
    return [row[0] for row in await raw.rows(tx, _METHOD_IDS, {"cart_id": cart_id})]


async def _delete_items(tx: AsyncSession, item_ids: Sequence[str]) -> None:
    if not item_ids:
        return
    await tx.execute(delete(LineItemAdjustment).where(LineItemAdjustment.item_id.in_(item_ids)))
    await tx.execute(delete(LineItemTaxLine).where(LineItemTaxLine.item_id.in_(item_ids)))
    await tx.execute(delete(LineItem).where(LineItem.id.in_(item_ids)))


_ADJUST_TREE: Tree = relation_tree(["items.variant.product", "items.adjustments", "discounts.rule", "region"])


_HAS_DISCOUNT = (
    select(t_cart_discounts.c.discount_id).where(t_cart_discounts.c.cart_id == bindparam("cart_id")).limit(1)
)
_DROP_DISCOUNT_ADJUSTMENTS = delete(LineItemAdjustment).where(
    LineItemAdjustment.item_id.in_(
        select(LineItem.id).where(LineItem.cart_id == bindparam("cart_id"), LineItem.is_return.is_not(True))
    ),
    LineItemAdjustment.discount_id.is_not(None),
)


async def refresh_adjustments(tx: AsyncSession, cart_id: str, *, reload: bool = True) -> None:
    """CartService.refreshAdjustments_: drop the discount adjustments of the non-return items and
    create them anew for the cart's discounts.

    `reload=False` (the caller uses no loaded relation of the cart afterwards): a cart without
    discounts only loses its items' discount adjustments, in one statement, without reading the
    cart (no discount: no adjustment is created)."""
    if not reload:
        if not await raw.rows(tx, _HAS_DISCOUNT, {"cart_id": cart_id}):
            await raw.execute(await raw.flushed(tx), _DROP_DISCOUNT_ADJUSTMENTS, {"cart_id": cart_id})
            return
    await tx.flush()
    cart: Any = await _cart_row(tx, cart_id, _ADJUST_TREE)
    await cart_rules.refresh_adjustments(tx, cart, cart.discounts)


def _updated(tx: AsyncSession, cart_id: str) -> None:
    emit(tx, "cart.updated", {"id": cart_id})


async def _touch(tx: AsyncSession, cart_id: str) -> None:
    await raw.update_where(tx, Cart.__table__, {"id": cart_id}, {"updated_at": utcnow()})


_HAS_SESSION = select(PaymentSession.id).where(PaymentSession.cart_id == bindparam("cart_id")).limit(1)


async def sync_payment_sessions(tx: AsyncSession, cart_id: str, *, has_sessions: bool | None = None) -> None:
    """What the store cart routes do after a change: a cart with payment sessions gets them set
    anew for its new total (CartService.setPaymentSessions, owned by the payments module).
    `has_sessions`: what the caller already knows (read in this transaction), else one query."""
    if has_sessions is None:
        has_sessions = bool(await raw.rows(tx, _HAS_SESSION, {"cart_id": cart_id}))
    if not has_sessions:
        return
    from mercato.modules.payments.cart_sessions import set_payment_sessions

    await set_payment_sessions(tx, cart_id)


# ---- line items ------------------------------------------------------------------------------


@dataclass
class NewLine:
    variant_id: str
    quantity: int
    metadata: Any = None


async def _variant_price(
    tx: AsyncSession, variant_id: str, quantity: int, region_id: str, customer_id: str | None
) -> dict[str, Any]:
    ctx = await pricing_context(
        tx, region_id=region_id, customer_id=customer_id, quantity=quantity, include_discount_prices=True
    )
    return (await price_variants(tx, [variant_id], ctx)).get(variant_id, {})


class _VariantRow(NamedTuple):
    id: str
    title: str | None
    product_id: str
    inventory_quantity: int
    allow_backorder: bool
    manage_inventory: bool
    product_title: str | None
    thumbnail: str | None
    discountable: bool
    is_giftcard: bool


# the variant's stock columns and the product columns a line copies
_LINE_VARIANTS = (
    select(
        ProductVariant.id,
        ProductVariant.title,
        ProductVariant.product_id,
        ProductVariant.inventory_quantity,
        ProductVariant.allow_backorder,
        ProductVariant.manage_inventory,
        Product.title.label("product_title"),
        Product.thumbnail,
        Product.discountable,
        Product.is_giftcard,
    )
    .join(Product, Product.id == ProductVariant.product_id)
    .where(ProductVariant.id.in_(bindparam("ids", expanding=True)), ProductVariant.deleted_at.is_(None))
)


async def generate_lines(
    tx: AsyncSession,
    lines: Sequence[NewLine],
    region_id: str,
    customer_id: str | None,
    found: Sequence[Sequence[Any]] | None = None,
) -> list[dict[str, Any]]:
    """LineItemService.generate: a line item (unsaved values) per requested variant. `found`:
    the variants' _LINE_VARIANTS rows, read by the caller in this transaction."""
    ids = list(dict.fromkeys(line.variant_id for line in lines))
    if found is None:
        found = await raw.rows(tx, _LINE_VARIANTS, {"ids": ids})
    variants = {row[0]: _VariantRow(*row) for row in found}
    missing = [v for v in ids if v not in variants]
    if missing:
        raise invalid_data(
            f"Unable to generate the line items, some variant has not been found: {', '.join(missing)}"
        )
    out: list[dict[str, Any]] = []
    for line in lines:
        variant = variants[line.variant_id]
        pricing = await _variant_price(tx, variant.id, line.quantity, region_id, customer_id)
        unit_price = pricing.get("calculated_price")
        if unit_price is None:
            name = variant.title if variant.title is not None else (variant.product_title or variant.id)
            raise invalid_data(f'Cannot generate line item for variant "{name}" without a price')
        out.append(
            {
                "unit_price": unit_price,
                "title": variant.product_title,
                "description": variant.title,
                "thumbnail": variant.thumbnail,
                "variant_id": variant.id,
                "quantity": line.quantity or 1,
                "allow_discounts": bool(variant.discountable),
                "is_giftcard": bool(variant.is_giftcard),
                "metadata_": line.metadata or {},
                "should_merge": True,
                "includes_tax": bool(pricing.get("calculated_price_includes_tax")),
                "_product_id": variant.product_id,
                "_variant": variant,
            }
        )
    return out


def _covers(variant: Any, quantity: int) -> bool:
    return covers(variant.manage_inventory, variant.allow_backorder, variant.inventory_quantity, quantity)


class _CartKeys(NamedTuple):
    id: str
    region_id: str
    customer_id: str | None
    sales_channel_id: str | None
    # what a line change must clean up, read with the row instead of one query each
    has_methods: bool
    has_discounts: bool
    has_discount_adjustments: bool
    has_sessions: bool
    has_items: bool
    # any custom shipping option row (live or not): without one, none is read
    has_custom_options: bool


def _cart_has(table: Any, column: Any) -> Any:
    return select(table.c.cart_id).where(column == Cart.id).exists()


_CART_KEYS = (
    select(
        Cart.id,
        Cart.region_id,
        Cart.customer_id,
        Cart.sales_channel_id,
        _cart_has(ShippingMethod.__table__, ShippingMethod.cart_id),
        _cart_has(t_cart_discounts, t_cart_discounts.c.cart_id),
        select(LineItemAdjustment.id)
        .join(LineItem, LineItem.id == LineItemAdjustment.item_id)
        .where(
            LineItem.cart_id == Cart.id,
            LineItem.is_return.is_not(True),
            LineItemAdjustment.discount_id.is_not(None),
        )
        .exists(),
        _cart_has(PaymentSession.__table__, PaymentSession.cart_id),
        _cart_has(LineItem.__table__, LineItem.cart_id),
        _cart_has(CustomShippingOption.__table__, CustomShippingOption.cart_id),
    )
    .where(Cart.id == bindparam("id"), Cart.deleted_at.is_(None))
    .with_for_update(of=Cart)
)
_IN_CHANNEL = select(ProductSalesChannel.product_id).where(
    ProductSalesChannel.product_id.in_(bindparam("ids", expanding=True)),
    ProductSalesChannel.sales_channel_id == bindparam("channel"),
)
_MERGEABLE = select(LineItem.id, LineItem.variant_id, LineItem.quantity, LineItem.metadata_).where(
    LineItem.cart_id == bindparam("cart_id"),
    LineItem.variant_id.in_(bindparam("variants", expanding=True)),
    LineItem.should_merge.is_(True),
)


# PostgreSQL: _CART_KEYS with the _LINE_VARIANTS row of `variant_id` as a JSON array, for a
# line's addition (one round trip instead of two). One variant, compared with `=`: the plan kept
# for `= ANY(array)` expects ten variants and, on a store of a thousand products, joined them to
# a hash of the whole product table (0.8 ms of the database's time per added line, growing
# with the catalog) where one row takes an index lookup.
_CART_KEYS_AND_VARIANTS = _CART_KEYS.add_columns(
    select(
        func.coalesce(
            func.json_agg(func.json_build_array(*_LINE_VARIANTS.selected_columns)),
            literal_column("'[]'::json"),
        )
    )
    .select_from(ProductVariant)
    .join(Product, Product.id == ProductVariant.product_id)
    .where(
        ProductVariant.id == bindparam("variant_id", type_=String),
        ProductVariant.deleted_at.is_(None),
    )
    .scalar_subquery()
)


def _keys_of(row: Sequence[Any]) -> _CartKeys:
    return _CartKeys(*row[:4], *(bool(flag) for flag in row[4:10]))


async def _cart_keys(tx: AsyncSession, cart_id: str) -> _CartKeys:
    """The cart's id, region, customer and sales channel (one Core row), the row taken for the
    transaction (PostgreSQL FOR UPDATE; SQLite has one writer)."""
    found = await raw.rows(tx, _CART_KEYS, {"id": cart_id})
    if not found:
        raise not_found(f"Cart with {cart_id} was not found")
    return _keys_of(found[0])


async def _cart_keys_and_variants(
    tx: AsyncSession, cart_id: str, variant_id: str | None
) -> tuple[_CartKeys, list[Sequence[Any]] | None]:
    """_cart_keys, and on PostgreSQL the variant's _LINE_VARIANTS row (none for None or an
    unknown id) read by the same statement
    (None elsewhere: generate_lines reads them). Where the cart's lock had to wait, the variants
    are as they were when the statement began: their stock is only checked ahead of the order's
    placement, which decrements it under its own guard."""
    if (await raw.connection(tx)).dialect.name != "postgresql":
        return await _cart_keys(tx, cart_id), None
    found = await raw.rows(tx, _CART_KEYS_AND_VARIANTS, {"id": cart_id, "variant_id": variant_id or None})
    if not found:
        raise not_found(f"Cart with {cart_id} was not found")
    row = found[0]
    variants = row[10]
    if isinstance(variants, str | bytes):
        variants = orjson.loads(variants)
    return _keys_of(row), [tuple(v) for v in variants]


def line_columns(values: dict[str, Any]) -> dict[str, Any]:
    """A line's values by column name (the ORM attribute `metadata_` is the column `metadata`)."""
    return {("metadata" if k == "metadata_" else k): v for k, v in values.items() if not k.startswith("_")}


async def add_or_update_lines(
    tx: AsyncSession, cart_id: str, lines: list[dict[str, Any]], *, cart: _CartKeys | None = None
) -> None:
    """CartService.addOrUpdateLineItems (validateSalesChannels on); `cart`: its _cart_keys when
    the caller read them already in this transaction."""
    if cart is None or cart.id != cart_id:
        cart = await _cart_keys(tx, cart_id)
    if cart.sales_channel_id:
        product_ids = sorted({line["_product_id"] for line in lines})
        channel = cart.sales_channel_id

        async def load() -> frozenset[str]:
            found = await raw.rows(tx, _IN_CHANNEL, {"ids": product_ids, "channel": channel}, flush=False)
            return frozenset(row[0] for row in found)

        # a product's channels change with the catalogue, not with the carts (core.refcache)
        in_channel = await refcache.cached(tx, ("in_channel", channel, tuple(product_ids)), load)
        invalid = [line["title"] for line in lines if line["_product_id"] not in in_channel]
        if invalid:
            raise invalid_data(
                f"The products [{' - '.join(invalid)}] must belongs to the sales channel on which "
                "the cart has been created."
            )
    variant_ids = list(dict.fromkeys(line["variant_id"] for line in lines))
    # a cart without lines has none to merge with, nor any whose has_shipping to reset
    mergeable = []
    if cart.has_items:
        mergeable = await raw.rows(tx, _MERGEABLE, {"cart_id": cart_id, "variants": variant_ids})
    # (id, quantity, metadata) of the cart's mergeable line per variant
    existing = {row[1]: (row[0], row[2], row[3]) for row in mergeable}
    table = LineItem.__table__
    for line in lines:
        variant = line["_variant"]
        current = existing.get(line["variant_id"]) if line["should_merge"] else None
        if current is not None and (current[2] or {}) != (line["metadata_"] or {}):
            current = None
        quantity = line["quantity"] + (current[1] if current is not None else 0)
        if quantity < 1:
            # Medusa lets the database refuse it (a 500); Mercato answers 400
            raise invalid_data("quantity must be greater than 0")
        if not _covers(variant, quantity):
            raise insufficient_inventory(variant.id)
        now = utcnow()
        if current is not None:
            changes: dict[str, Any] = {"quantity": quantity, "has_shipping": False, "updated_at": now}
            pricing = await _variant_price(tx, variant.id, quantity, cart.region_id, cart.customer_id)
            if pricing.get("calculated_price") is not None:
                changes["unit_price"] = pricing["calculated_price"]
            await raw.update_where(tx, table, {"id": current[0]}, changes)
            existing[line["variant_id"]] = (current[0], quantity, current[2])
        else:
            row = line_columns(line)
            row.update(
                id=generate_id(LineItem.__id_prefix__ or "item"),
                has_shipping=False,
                cart_id=cart_id,
                created_at=now,
                updated_at=now,
            )
            await raw.insert_row(tx, table, row)
    if cart.has_items:
        await raw.update_where(tx, table, {"cart_id": cart_id}, {"has_shipping": False})
    if cart.has_methods:
        await delete_shipping_methods(tx, await _cart_method_ids(tx, cart_id))
    if cart.has_discounts:
        await refresh_adjustments(tx, cart_id)
    elif cart.has_discount_adjustments:
        await raw.execute(await raw.flushed(tx), _DROP_DISCOUNT_ADJUSTMENTS, {"cart_id": cart_id})
    _updated(tx, cart_id)


async def add_line_item(
    tx: AsyncSession, cart_id: str, variant_id: str, quantity: int, metadata: Any, customer_id: str | None
) -> None:
    """POST /store/carts/{id}/line-items."""
    cart, variants = await _cart_keys_and_variants(tx, cart_id, variant_id)
    if not quantity:
        raise invalid_data(
            "Unable to generate the line item because one or more required argument(s) are missing. "
            "Ensure quantity, regionId, and variantId are passed"
        )
    if not variant_id:
        raise invalid_data(
            "Unable to generate the line item because one or more required argument(s) are missing. "
            "Ensure variant id is passed"
        )
    lines = await generate_lines(
        tx,
        [NewLine(variant_id, quantity, metadata)],
        cart.region_id,
        customer_id or cart.customer_id,
        variants,
    )
    await add_or_update_lines(tx, cart_id, lines, cart=cart)
    await sync_payment_sessions(tx, cart_id, has_sessions=cart.has_sessions)


async def update_line_item(
    tx: AsyncSession, cart_id: str, line_id: str, quantity: int, metadata: Any
) -> None:
    """POST /store/carts/{id}/line-items/{line_id}: quantity 0 removes the line."""
    if quantity == 0:
        await remove_line_item(tx, cart_id, line_id)
        return
    cart = await _cart_row(tx, cart_id, {"items": {"variant": {}}}, lock=True)
    item = next((i for i in cart.items if i.id == line_id), None)  # type: ignore[attr-defined]
    if item is None:
        raise invalid_data("Could not find the line item")
    if quantity < 0:
        raise invalid_data("quantity must be greater than 0")
    variant = item.variant
    if variant is not None:
        if not _covers(variant, quantity):
            raise MedusaError(
                "not_allowed", "Inventory doesn't cover the desired quantity", INSUFFICIENT_INVENTORY
            )
        pricing = await _variant_price(tx, variant.id, quantity, cart.region_id, cart.customer_id)
        if pricing.get("calculated_price") is not None:
            item.unit_price = pricing["calculated_price"]
    await delete_shipping_methods(tx, await _cart_method_ids(tx, cart_id))
    item.quantity = quantity
    # LineItemService.update merges into the line's metadata (setMetadata: "" removes a key);
    # a body without metadata leaves it as it was
    item.metadata_ = merge_metadata(item.metadata_, metadata or {})
    await tx.flush()
    await refresh_adjustments(tx, cart_id, reload=False)
    _updated(tx, cart_id)
    await sync_payment_sessions(tx, cart_id)


async def remove_line_item(tx: AsyncSession, cart_id: str, line_id: str) -> None:
    """CartService.removeLineItem: an id that is not in the cart changes nothing."""
    cart = await _cart_row(tx, cart_id, {"items": {}}, lock=True)
    if any(i.id == line_id for i in cart.items):  # type: ignore[attr-defined]
        await delete_shipping_methods(tx, await _cart_method_ids(tx, cart_id))
        await tx.execute(update(LineItem).where(LineItem.cart_id == cart_id).values(has_shipping=False))
        await _delete_items(tx, [line_id])
        await refresh_adjustments(tx, cart_id, reload=False)
        _updated(tx, cart_id)
    await sync_payment_sessions(tx, cart_id)


# ---- cart create / update --------------------------------------------------------------------


async def _first_region_id(tx: AsyncSession) -> str:
    region_id = (
        await tx.execute(
            select(Region.id)
            .where(Region.deleted_at.is_(None))
            .order_by(Region.created_at, Region.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if region_id is None:
        raise invalid_data("A region is required to create a cart")
    return region_id


async def create_cart(
    tx: AsyncSession,
    data: Any,
    *,
    ip: str | None,
    user_agent: str | None,
    customer_id: str | None,
    key_channels: list[str] | None,
) -> tuple[str, CartView | None]:
    """POST /store/carts (create-cart.ts + CartService.create). Returns the cart's id and, for a
    cart created without items, its view as a read of it would give (see _new_cart_view)."""
    sales_channel_id = data.sales_channel_id
    if key_channels and sales_channel_id and sales_channel_id not in key_channels:
        # validateSalesChannelParam: collected in req.errors, answered by Medusa's wrap
        raise RequestErrors(
            [
                f"Provided sales channel id param: {sales_channel_id} is not associated with the "
                "Publishable API Key passed in the header of the request."
            ]
        )
    # create-cart: the first region only when no region_id is sent at all (isDefined: a null or
    # "" counts), then CartService.create refuses a falsy one
    region_id = data.region_id if "region_id" in data.model_fields_set else await _first_region_id(tx)
    if not region_id:
        raise invalid_data("A region_id must be provided when creating a cart")
    if not sales_channel_id and key_channels:
        if len(key_channels) > 1:
            raise MedusaError(
                "unexpected_state",
                "The PublishableApiKey provided in the request header has multiple associated sales "
                "channels.",
            )
        sales_channel_id = key_channels[0]
    context: dict[str, Any] = {"ip": ip, "user_agent": user_agent}
    if isinstance(data.context, dict):
        context.update(data.context)
    channel = await validated_sales_channel(tx, sales_channel_id)
    now = utcnow()
    cart_id = generate_id(Cart.__id_prefix__ or "cart")
    cart: dict[str, Any] = {
        "id": cart_id,
        "region_id": region_id,
        "context": context,
        "sales_channel_id": channel.id,
        "created_at": now,
        "updated_at": now,
    }
    if customer_id:
        customer = await _customer(tx, customer_id)
        cart["customer_id"] = customer.id
        cart["email"] = customer.email
    codes = await region_country_codes(tx, region_id)
    shipping_country: str | None = None
    if data.country_code:
        shipping_country = data.country_code.lower()
        if shipping_country not in codes:
            raise not_allowed("Shipping country not in region")
    elif len(codes) == 1:
        shipping_country = codes[0]
    # rows written on the driver: the ORM's unit of work costs more than these INSERTs
    address: dict[str, Any] | None = None
    if shipping_country is not None:
        address = await insert_address_row(tx, {"country_code": shipping_country})
        cart["shipping_address_id"] = address["id"]
    emit(tx, "cart.created", {"id": cart_id})
    if data.items:
        await raw.insert_row(tx, Cart.__table__, cart)
        lines = await generate_lines(
            tx,
            [NewLine(i["variant_id"], i["quantity"]) for i in data.items],
            region_id,
            customer_id,
        )
        await add_or_update_lines(tx, cart_id, lines)
        return cart_id, None
    # nothing reads the row before the answer: it goes out with the COMMIT
    await raw.insert_later(tx, Cart.__table__, cart)
    return cart_id, await _new_cart_view(tx, cart, address)


# the columns a new cart's row holds that create_cart does not write (the table's defaults)
_NEW_CART_DEFAULTS = {"type": "default"}


async def _new_cart_view(
    tx: AsyncSession, cart: dict[str, Any], address: dict[str, Any] | None
) -> CartView | None:
    """The view of a cart this transaction has just created, empty (no items, methods, sessions,
    discounts or gift cards), built from the values written and the region's and the sales
    channel's rows (reference data, from core.refcache) instead of read back: a read was a
    round trip and a statement of its own for every new cart. None when a row it needs is not
    at hand (the caller then reads the cart)."""
    region_id = cart["region_id"]

    async def read_channel() -> list[dict[str, Any]]:
        return await load_trees(tx, SalesChannel, [cart["sales_channel_id"]], {})

    countries, providers, rates, row = await _region_reference(tx, region_id)
    channels = await refcache.cached(tx, ("sales channel row", cart["sales_channel_id"]), read_channel)
    if row is None or row["deleted_at"] is not None or not channels:
        return None
    if channels[0]["deleted_at"] is not None:
        return None
    data = row_dict(Cart, {**_NEW_CART_DEFAULTS, **cart})
    region = dict(row)
    region["countries"] = [dict(c) for c in countries]
    region["payment_providers"] = [dict(p) for p in providers]
    data.update(
        region=region,
        sales_channel=dict(channels[0]),
        shipping_address=row_dict(Address, address) if address is not None else None,
        billing_address=None,
        payment=None,
        items=[],
        shipping_methods=[],
        payment_sessions=[],
        discounts=[],
        gift_cards=[],
    )
    totals, include_tax = await compute_totals(tx, data, region_has_rates=bool(rates))
    return CartView(data, totals, include_tax, list(rates), False)


_UPDATE_TREE: Tree = relation_tree(
    [
        "items.variant.product",
        "shipping_methods.shipping_option",
        "shipping_address",
        "billing_address",
        "gift_cards",
        "region.countries",
        "payment_sessions",
        "discounts.rule",
    ]
)


# what update_cart reads when the body changes none of _WHOLE_TREE_FIELDS
# with whether the cart has payment sessions (the update's sync needs to know)
_LOCKED_ROW = raw.Entities(
    Cart,
    Cart.id == bindparam("id"),
    Cart.deleted_at.is_(None),
    for_update=True,
    extra=[exists().where(PaymentSession.cart_id == Cart.id)],
)
_WHOLE_TREE_FIELDS = frozenset(
    {"customer_id", "region_id", "country_code", "sales_channel_id", "discounts", "gift_cards"}
)


async def _reprice_items(tx: AsyncSession, cart: Any, region_id: str, customer_id: str | None) -> None:
    """CartService.updateUnitPrices_: each item at its price in the region/for the customer; an item
    whose variant has no price there is removed."""
    await region_country_codes(tx, region_id)
    for item in list(cart.items):
        if not item.variant_id:
            continue
        pricing = await _variant_price(tx, item.variant_id, item.quantity, region_id, customer_id)
        if pricing.get("calculated_price") is not None:
            item.unit_price = pricing["calculated_price"]
            item.has_shipping = False
        else:
            await _delete_items(tx, [item.id])
    await tx.flush()


async def _address_by_id(tx: AsyncSession, address_id: str) -> Address:
    address = (await tx.execute(select(Address).where(Address.id == address_id))).scalar_one_or_none()
    if address is None:
        raise not_found(f"Address with id {address_id} was not found")
    return address


def _address_values(payload: dict[str, Any]) -> dict[str, Any]:
    values = {("metadata_" if k == "metadata" else k): v for k, v in payload.items()}
    if isinstance(values.get("country_code"), str):
        values["country_code"] = values["country_code"].lower()
    return values


async def _set_address(
    tx: AsyncSession, cart: Any, kind: str, value: dict[str, Any] | str | None, region_codes: list[str] | None
) -> None:
    """updateBillingAddress_ / updateShippingAddress_ (region_codes: the shipping country check)."""
    column = f"{kind}_address_id"
    if value is None:
        if kind == "shipping":
            setattr(cart, column, None)
        return
    if isinstance(value, str):
        address = await _address_by_id(tx, value)
        if (
            region_codes is not None
            and address.country_code
            and address.country_code.lower() not in region_codes
        ):
            raise invalid_data("Shipping country must be in the cart region")
        setattr(cart, column, address.id)
        return
    values = _address_values(value)
    if region_codes is not None and values.get("country_code") and values["country_code"] not in region_codes:
        raise invalid_data("Shipping country must be in the cart region")
    current_id = getattr(cart, column)
    if current_id:
        if values:  # `{}` changes nothing (Medusa saves the address as it was)
            await tx.execute(update(Address).where(Address.id == current_id).values(**values))
    else:
        by_column = {("metadata" if k == "metadata_" else k): v for k, v in values.items()}
        setattr(cart, column, await insert_address(tx, by_column))


async def _set_region(tx: AsyncSession, cart: Any, region_id: str, country_code: str | None) -> None:
    """CartService.setRegion_."""
    if cart.completed_at or cart.payment_authorized_at:
        raise not_allowed("Cannot change the region of a completed cart")
    codes = await region_country_codes(tx, region_id)
    cart.region_id = region_id
    current = await tx.get(Address, cart.shipping_address_id) if cart.shipping_address_id else None
    if country_code is not None:
        code = country_code.lower()
        if code not in codes:
            raise not_allowed("Country not available in region")
        if current is not None:
            current.country_code = code
        else:
            address = Address(country_code=code)
            tx.add(address)
            await tx.flush()
            cart.shipping_address_id = address.id
    else:
        new_code = codes[0] if len(codes) == 1 else None
        if current is not None:
            current.country_code = new_code
        else:
            address = Address(country_code=new_code)
            tx.add(address)
            await tx.flush()
            cart.shipping_address_id = address.id
    await delete_shipping_methods(tx, [m.id for m in cart.shipping_methods])
    if cart.discounts:
        from mercato.modules.discounts.models import t_discount_regions

        valid = set(
            (
                await tx.execute(
                    select(t_discount_regions.c.discount_id).where(
                        t_discount_regions.c.discount_id.in_([d.id for d in cart.discounts]),
                        t_discount_regions.c.region_id == region_id,
                    )
                )
            ).scalars()
        )
        dropped = [d.id for d in cart.discounts if d.id not in valid]
        if dropped:
            await tx.execute(
                delete(t_cart_discounts).where(
                    t_cart_discounts.c.cart_id == cart.id, t_cart_discounts.c.discount_id.in_(dropped)
                )
            )
    await tx.execute(delete(t_cart_gift_cards).where(t_cart_gift_cards.c.cart_id == cart.id))
    if cart.payment_sessions:
        await tx.execute(delete(PaymentSession).where(PaymentSession.cart_id == cart.id))
    await tx.flush()
    await refresh_adjustments(tx, cart.id)


async def _restore_shipping_prices(tx: AsyncSession, cart_id: str) -> None:
    """adjustFreeShipping_(cart, false): each method back at its option's amount."""
    rows = (
        await tx.execute(
            select(ShippingMethod.id, ShippingOption.amount)
            .join(ShippingOption, ShippingOption.id == ShippingMethod.shipping_option_id)
            .where(ShippingMethod.cart_id == cart_id)
        )
    ).all()
    for method_id, amount in rows:
        await tx.execute(
            update(ShippingMethod).where(ShippingMethod.id == method_id).values(price=amount or 0)
        )


async def _free_shipping(tx: AsyncSession, cart_id: str) -> None:
    await tx.execute(update(ShippingMethod).where(ShippingMethod.cart_id == cart_id).values(price=0))


async def _discounts_by_codes(tx: AsyncSession, codes: Sequence[str]) -> list[Discount]:
    """DiscountService.listByCodes. Its query has no ORDER BY, and PostgreSQL's scan returns the
    rows as they were written: the oldest first (which decides the one non-free-shipping
    discount applyDiscounts keeps)."""
    normalized = [c.upper().strip() for c in codes]
    found = list(
        (
            await tx.execute(
                select(Discount)
                .where(Discount.code.in_(normalized), Discount.deleted_at.is_(None))
                .order_by(Discount.created_at, Discount.id)
                .options(*load_options(Discount, {"rule": {}}))
            )
        ).scalars()
    )
    if len(found) != len(codes):
        raise not_found(f"Discounts with code [{', '.join(normalized)}] was not found")
    return found


async def apply_discounts(tx: AsyncSession, cart: Any, current: list[Any], codes: Sequence[str]) -> list[Any]:
    """CartService.applyDiscounts: the cart's new discount list (at most one non-free-shipping
    discount, at most one free-shipping one; the new ones win)."""
    discounts = await _discounts_by_codes(tx, codes)
    for discount in discounts:
        await cart_rules.validate_discount_for_cart(tx, discount, cart)
    rules = {d.id: d.rule for d in discounts}
    new_map = {d.id: d for d in discounts}
    for d in current:
        new_map.pop(d.id, None)
    to_parse = [*current, *new_map.values()]
    saw_not_shipping = False
    result: list[Any] = []
    for d in to_parse:
        rule_type = d.rule.type if d.rule is not None else None
        chosen: Any
        if rule_type == "free_shipping":
            # Medusa compares with the rule of the same id among the new codes; for a discount that
            # is not among them the lookup fails (it only works because new discounts come last)
            new_rule = rules.get(d.id)
            chosen = new_map.get(d.id) if new_rule is not None and new_rule.type == rule_type else d
        else:
            if saw_not_shipping:
                continue
            saw_not_shipping = True
            new_rule = rules.get(d.id)
            chosen = new_map.get(d.id) if new_rule is not None and new_rule.type != "free_shipping" else d
        if chosen is not None:
            result.append(chosen)
    return result


async def _save_discounts(tx: AsyncSession, cart_id: str, discount_ids: Sequence[str]) -> None:
    await tx.execute(delete(t_cart_discounts).where(t_cart_discounts.c.cart_id == cart_id))
    unique = list(dict.fromkeys(discount_ids))
    if unique:
        await tx.execute(insert(t_cart_discounts), [{"cart_id": cart_id, "discount_id": d} for d in unique])


async def _apply_gift_card(tx: AsyncSession, cart: Any, code: str, chosen: list[GiftCard]) -> None:
    """CartService.applyGiftCard_."""
    card = (
        await tx.execute(select(GiftCard).where(GiftCard.code == code, GiftCard.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if card is None:
        raise not_found(f"Gift card with code: {code} was not found")
    if card.is_disabled:
        raise not_allowed("The gift card is disabled")
    if card.region_id != cart.region_id:
        raise invalid_data("The gift card cannot be used in the current region")
    if all(c.id != card.id for c in chosen):
        chosen.append(card)


async def update_cart(
    tx: AsyncSession, cart_id: str, data: Any, fields: set[str], *, sync_sessions: bool = True
) -> None:
    """CartService.update for the store's StorePostCartsCartReq (`fields`: the keys the body had)."""
    # a checkout's usual update (email, addresses, context) reads only what it uses; the others
    # read the whole tree (a customer or region change reads it again after repricing anyway)
    contact_only = not fields & _WHOLE_TREE_FIELDS
    cart: Any
    if contact_only:
        # the row alone, read-only, its changes written below with one UPDATE of their own
        cart, extra = await _LOCKED_ROW.first_with(tx, {"id": cart_id})
        if cart is None:
            raise not_found(f"Cart with {cart_id} was not found")
        before = raw.committed(cart)
        had_sessions = bool(extra[0])
    else:
        cart = await _cart_row(tx, cart_id, _UPDATE_TREE, lock=True)
        # only a region change (which skips the sync below) adds or drops sessions in here
        had_sessions = bool(cart.payment_sessions)
    original_email = cart.email
    original_customer = cart.customer_id
    if data.customer_id:
        customer = await _customer(tx, data.customer_id)
        cart.customer_id = customer.id
        cart.email = customer.email
    elif data.email is not None:
        customer = await guest_customer(tx, data.email)
        cart.customer_id = customer.id
        cart.email = customer.email
    elif "email" in fields:
        # `email: null` is defined for Medusa's isDefined, and validateEmail(null) refuses it
        raise invalid_data("The email is not valid")
    if data.region_id is None and "region_id" in fields:
        # `region_id: null` is defined for isDefined: setRegion_ then retrieves region null
        raise not_found("Region with null was not found")
    if data.customer_id is not None or data.region_id is not None:
        await _reprice_items(tx, cart, data.region_id or cart.region_id, data.customer_id or cart.customer_id)
        # autoflush writes the customer change before the reload
        cart = await _cart_row(tx, cart_id, _UPDATE_TREE)
    if data.region_id is not None and cart.region_id != data.region_id:
        shipping = data.shipping_address if isinstance(data.shipping_address, dict) else {}
        country = data.country_code or (shipping or {}).get("country_code")
        await _set_region(tx, cart, data.region_id, country)
        cart = await _cart_row(tx, cart_id, _UPDATE_TREE)
    if "billing_address" in fields:
        await _set_address(tx, cart, "billing", data.billing_address, None)
    if "shipping_address" in fields:
        codes = await region_country_codes(tx, cart.region_id)
        await _set_address(tx, cart, "shipping", data.shipping_address, codes)
    if data.sales_channel_id is not None and data.sales_channel_id != cart.sales_channel_id:
        channel = await validated_sales_channel(tx, data.sales_channel_id)
        await _drop_items_outside_channel(tx, cart, channel.id)
        cart.sales_channel_id = channel.id
    if "context" in fields:
        merged = dict(cart.context or {})
        if isinstance(data.context, dict):
            merged.update(data.context)
        cart.context = merged
    # every column change above goes out in this one UPDATE (the reads and inserts since the
    # customer change did not need it flushed)
    cart.updated_at = utcnow()
    if contact_only:
        # sent with the next statement (the cart's read for the answer, at the latest)
        await raw.write_changes(tx, cart, before, later=True)
    await tx.flush()
    if data.discounts is not None:
        previous = list(cart.discounts)
        if data.discounts:
            new = await apply_discounts(tx, cart, [], [d["code"] for d in data.discounts])
            await _save_discounts(tx, cart_id, [d.id for d in new])
            has_free = any(d.rule is not None and d.rule.type == "free_shipping" for d in new)
            if any(d.rule is not None and d.rule.type == "free_shipping" for d in previous) and not has_free:
                await _restore_shipping_prices(tx, cart_id)
            if has_free:
                await _free_shipping(tx, cart_id)
            if any(d.rule is not None and d.rule.type != "free_shipping" for d in new):
                await refresh_adjustments(tx, cart_id)
        else:
            await _save_discounts(tx, cart_id, [])
            await refresh_adjustments(tx, cart_id)
    if "gift_cards" in fields:
        chosen: list[GiftCard] = []
        for entry in data.gift_cards or []:
            await _apply_gift_card(tx, cart, entry["code"], chosen)
        await tx.execute(delete(t_cart_gift_cards).where(t_cart_gift_cards.c.cart_id == cart_id))
        if chosen:
            await tx.execute(
                insert(t_cart_gift_cards), [{"cart_id": cart_id, "gift_card_id": c.id} for c in chosen]
            )
    await tx.flush()
    if (data.email and data.email.lower() != (original_email or "")) or (
        data.customer_id and data.customer_id != original_customer
    ):
        emit(tx, "cart.customer_updated", {"id": cart_id})
    _updated(tx, cart_id)
    if data.region_id is None and sync_sessions:
        await sync_payment_sessions(tx, cart_id, has_sessions=had_sessions)


async def _drop_items_outside_channel(tx: AsyncSession, cart: Any, channel_id: str) -> None:
    """CartService.onSalesChannelChange."""
    product_of = {i.id: i.variant.product_id for i in cart.items if i.variant is not None}
    if not product_of:
        return
    keep = set(
        (
            await tx.execute(
                select(ProductSalesChannel.product_id).where(
                    ProductSalesChannel.product_id.in_(set(product_of.values())),
                    ProductSalesChannel.sales_channel_id == channel_id,
                )
            )
        ).scalars()
    )
    drop = [item_id for item_id, product_id in product_of.items() if product_id not in keep]
    if not drop:
        return
    await delete_shipping_methods(tx, [m.id for m in cart.shipping_methods])
    await tx.execute(update(LineItem).where(LineItem.cart_id == cart.id).values(has_shipping=False))
    await _delete_items(tx, drop)
    await refresh_adjustments(tx, cart.id)


async def assign_customer(tx: AsyncSession, cart_id: str, customer_id: str) -> None:
    """GET /store/carts/{id} with a logged-in customer: the cart becomes theirs."""
    cart = await _cart_row(tx, cart_id)
    if cart.customer_id and cart.email and cart.customer_id == customer_id:
        return

    class _Data:
        region_id = None
        email = None
        customer_id = None
        discounts = None
        sales_channel_id = None
        billing_address = None
        shipping_address = None
        gift_cards = None
        context = None
        country_code = None

    data = _Data()
    data.customer_id = customer_id  # type: ignore[assignment]
    await update_cart(tx, cart_id, data, {"customer_id"}, sync_sessions=False)


async def remove_discount(tx: AsyncSession, cart_id: str, code: str) -> None:
    """CartService.removeDiscount."""
    cart: Any = await _cart_row(tx, cart_id, {"discounts": {"rule": {}}}, lock=True)
    if any(d.rule is not None and d.rule.type == "free_shipping" for d in cart.discounts):
        await _restore_shipping_prices(tx, cart_id)
    keep = [d.id for d in cart.discounts if d.code != code]
    await _save_discounts(tx, cart_id, keep)
    await _touch(tx, cart_id)
    await refresh_adjustments(tx, cart_id)
    _updated(tx, cart_id)
    await sync_payment_sessions(tx, cart_id)


# ---- shipping --------------------------------------------------------------------------------


async def _option(tx: AsyncSession, option_id: str) -> Any:
    """The shipping option (with its requirements) as attribute rows."""
    found = await refcache.cached(
        tx,
        ("shipping_option", option_id),
        lambda: load_trees(tx, ShippingOption, [option_id], {"requirements": {}}),
    )
    if not found or found[0]["deleted_at"] is not None:
        raise not_found(f"Shipping Option with {option_id} was not found")
    row = found[0]
    # fresh objects (and JSON columns): the cached rows are shared
    return SimpleNamespace(
        **{
            **row,
            "data": dict(row["data"] or {}),
            "metadata": dict(row["metadata"]) if row["metadata"] is not None else None,
            "requirements": [SimpleNamespace(**r) for r in row["requirements"]],
        }
    )


def check_cart_option(option: Any, region_id: str, totals: T.Totals) -> bool:
    """ShippingOptionService.validateCartOption: False for a return option (Medusa answers null);
    raises when the option is not for the cart."""
    if option.is_return:
        return False
    if region_id != option.region_id:
        raise invalid_data("The shipping option is not available in the cart's region")
    amount = totals.subtotal + totals.item_tax_total if option.includes_tax else totals.subtotal
    for requirement in option.requirements:
        if requirement.type == "max_subtotal" and not requirement.amount > amount:
            break
        if requirement.type == "min_subtotal" and not requirement.amount <= amount:
            break
    else:
        return True
    raise not_allowed("The Cart does not satisfy the shipping option's requirements")


_CUSTOM_OPTIONS = select(CustomShippingOption.shipping_option_id, CustomShippingOption.price).where(
    CustomShippingOption.cart_id == bindparam("cart_id"), CustomShippingOption.deleted_at.is_(None)
)


async def _custom_options(tx: AsyncSession, cart_id: str) -> list[tuple[str, int]]:
    """(shipping option id, price) of the cart's custom shipping options."""
    return [(row[0], row[1]) for row in await raw.rows(tx, _CUSTOM_OPTIONS, {"cart_id": cart_id})]


async def add_shipping_method(
    tx: AsyncSession,
    cart_id: str,
    option_id: str,
    data: dict[str, Any],
    *,
    with_customer: bool = False,
    custom_options: bool | None = None,
) -> CartView | None:
    """CartService.addShippingMethod. Returns the cart's view brought up to date (its shipping
    methods as written, the rest changed in place), or None when the change went further (free
    shipping, payment sessions) and the cart must be read anew. `custom_options` given: the
    caller created the cart in this transaction (no one else can see it: nothing to lock) and
    says whether it gave it custom shipping options."""
    from mercato.modules.shipping.service_options import validate_fulfillment_data

    if custom_options is None:
        custom_options = (await _lock_cart(tx, cart_id)).has_custom_options
    view = await cart_json_view(tx, cart_id, with_customer=with_customer)
    cart = view.cart
    had_sessions = bool(cart["payment_sessions"])
    customs = await _custom_options(tx, cart_id) if custom_options else []
    custom = next((c for c in customs if c[0] == option_id), None)
    if customs and custom is None:
        raise invalid_data("Wrong shipping option")
    option = await _option(tx, option_id)
    if custom is None:
        check_cart_option(option, cart["region_id"], view.totals)
    validated = validate_fulfillment_data(option, data)
    price = custom[1] if custom is not None else (option.amount or 0)
    methods = cart["shipping_methods"]
    same_profile = [m["id"] for m in methods if m["shipping_option"]["profile_id"] == option.profile_id]
    await delete_shipping_methods(tx, same_profile)
    # the writes below go out with the next statement (the COMMIT, when nothing else changes)
    method = {
        "id": generate_id(ShippingMethod.__id_prefix__ or "sm"),
        "shipping_option_id": option.id,
        "data": validated,
        "price": price,
        "includes_tax": bool(option.includes_tax),
        "cart_id": cart_id,
    }
    await raw.insert_later(tx, ShippingMethod.__table__, method)
    profiles = {m["shipping_option"]["profile_id"] for m in methods if m["id"] not in same_profile}
    profiles.add(option.profile_id)
    for item in cart["items"]:
        profile_id = _profile_of(item)
        has_shipping = True if not profile_id else profile_id in profiles
        if item["has_shipping"] != has_shipping:
            await raw.update_later(tx, LineItem.__table__, {"id": item["id"]}, {"has_shipping": has_shipping})
            item["has_shipping"] = has_shipping
    free = any(d["rule"] is not None and d["rule"]["type"] == "free_shipping" for d in cart["discounts"])
    if free:
        await _free_shipping(tx, cart_id)
    now = utcnow()
    await raw.update_later(tx, Cart.__table__, {"id": cart_id}, {"updated_at": now})
    _updated(tx, cart_id)
    await sync_payment_sessions(tx, cart_id, has_sessions=had_sessions)
    if free or had_sessions:
        return None
    cart["updated_at"] = iso(now)
    # the methods as a read of them would give (ordered by id: the new id is the newest), made
    # from what was written instead of read back
    added = row_dict(ShippingMethod, method)
    added["shipping_option"] = {k: v for k, v in vars(option).items() if k != "requirements"}
    added["tax_lines"] = []  # a cart's methods get tax lines only when the order is placed
    cart["shipping_methods"] = [m for m in methods if m["id"] not in same_profile] + [added]
    totals, include_tax = await compute_totals(tx, cart, region_has_rates=bool(view.region_tax_rates))
    return CartView(cart, totals, include_tax, view.region_tax_rates, view.with_customer)


def _profile_of(item: dict[str, Any]) -> str | None:
    """The shipping profile of a line item's product (dict tree), if any."""
    variant = item["variant"]
    product = variant["product"] if variant is not None else None
    profiles = product["profiles"] if product is not None else None
    return profiles[0]["id"] if profiles else None


async def _lock_cart(tx: AsyncSession, cart_id: str) -> _CartKeys:
    """The cart row, taken for the transaction (PostgreSQL FOR UPDATE; SQLite has one writer)."""
    return await _cart_keys(tx, cart_id)


async def cart_shipping_options(tx: AsyncSession, cart_id: str) -> list[dict[str, Any]]:
    """GET /store/shipping-options/{cart_id}: ShippingProfileService.fetchCartOptions, priced by
    PricingService.setShippingOptionPrices."""
    from mercato.modules.shipping.service_options import present_option, price_options

    view = await cart_json_view(tx, cart_id)
    cart = view.cart
    profile_ids = sorted({p for i in cart["items"] if (p := _profile_of(i))})
    if not profile_ids:
        return []
    customs = await _custom_options(tx, cart_id)
    stmt = select(ShippingOption).where(
        ShippingOption.deleted_at.is_(None),
        ShippingOption.admin_only.is_(False),
        ShippingOption.profile_id.in_(profile_ids),
    )
    if customs:
        stmt = stmt.where(ShippingOption.id.in_([option_id for option_id, _price in customs]))
    tree = relation_tree(["profile", "requirements"])
    options = list(
        (
            await tx.execute(
                stmt.options(*load_options(ShippingOption, tree)).order_by(
                    ShippingOption.created_at, ShippingOption.id
                )
            )
        ).scalars()
    )
    chosen: list[ShippingOption] = []
    shown: list[dict[str, Any]] = []
    custom_price = dict(customs)
    for option in options:
        if customs:
            out = present_option(option, tree)
            out["amount"] = custom_price.get(option.id)
        else:
            try:
                if not check_cart_option(option, cart["region_id"], view.totals):
                    continue
            except MedusaError:
                continue
            out = present_option(option, tree)
        chosen.append(option)
        shown.append(out)
    await price_options(tx, chosen, shown)
    return shown
