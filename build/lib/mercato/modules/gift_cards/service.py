"""Gift cards (Medusa's services/gift-card.ts and repositories/gift-card.ts)."""

from __future__ import annotations

import secrets
import string
from typing import Any

from sqlalchemy import String, case, cast, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, invalid_data, not_allowed, not_found
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, present, relation_tree, with_object
from mercato.core.query import apply_order, apply_page, count_rows
from mercato.modules.gift_cards.models import GiftCard, GiftCardTransaction
from mercato.modules.gift_cards.schemas import (
    AdminGetGiftCardsParams,
    AdminPostGiftCardsGiftCardReq,
    AdminPostGiftCardsReq,
)
from mercato.modules.orders.models import Order
from mercato.modules.regions.models import Region
from mercato.modules.regions.service import _float4, retrieve_region

CREATED = "gift_card.created"

# api/routes/admin/gift-cards/index.ts: defaultAdminGiftCardRelations
ADMIN_TREE = relation_tree(["order", "region"])
# api/routes/store/gift-cards/index.ts: defaultStoreGiftCardFields / Relations
STORE_FIELDS = {"id", "code", "value", "balance"}
# defaultAdminGiftCardFields: `order_id` is not among them (the `order` relation is)
ADMIN_FIELDS = {
    "id",
    "code",
    "value",
    "balance",
    "region_id",
    "is_disabled",
    "ends_at",
    "tax_rate",
    "created_at",
    "updated_at",
    "deleted_at",
    "metadata",
}
STORE_TREE = relation_tree(["region"])

_CODE_ALPHABET = string.ascii_uppercase + string.digits


def generate_code() -> str:
    """GiftCardService.generateCode: four groups of four of randomatic("A0") (A-Z, 0-9)."""
    return "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(4))


def resolve_tax_rate(gift_card_tax_rate: float | None, region: Region) -> float | None:
    """GiftCardService.resolveTaxRate: null unless the region taxes gift cards; then the given
    rate, else the region's (a rate of 0 is null, as JavaScript's `||`)."""
    if not region.gift_cards_taxable:
        return None
    if gift_card_tax_rate:
        return gift_card_tax_rate
    return region.tax_rate or None


# ---- reading ---------------------------------------------------------------------------------


def _null_column(column: str) -> MedusaError:
    """TypeORM's save of a null into a NOT NULL column (Medusa says "insert" on updates too)."""
    return invalid_data(f"Can't insert null value in field {column} on insert in table gift_card")


def _js_entries(value: Any) -> dict[str, Any]:
    """JavaScript's Object.entries as setMetadata reads it: a string or an array by index."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str | list):
        return {str(i): item for i, item in enumerate(value)}
    return {}


def _not_found_id(gift_card_id: str) -> MedusaError:
    return not_found(f"Gift card with id: {gift_card_id} was not found")


async def retrieve_gift_card(tx: AsyncSession, gift_card_id: str, tree: Tree | None = None) -> GiftCard:
    stmt = select(GiftCard).where(GiftCard.id == gift_card_id, GiftCard.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(GiftCard, tree)).execution_options(populate_existing=True)
    card = (await tx.execute(stmt)).scalar_one_or_none()
    if card is None:
        raise _not_found_id(gift_card_id)
    return card


async def retrieve_by_code(tx: AsyncSession, code: str, tree: Tree | None = None) -> GiftCard:
    """retrieveByCode: any card with that code (disabled ones too), except soft-deleted ones."""
    stmt = select(GiftCard).where(GiftCard.code == code, GiftCard.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(GiftCard, tree))
    card = (await tx.execute(stmt)).scalar_one_or_none()
    if card is None:
        raise not_found(f"Gift card with code: {code} was not found")
    return card


async def list_gift_cards(
    tx: AsyncSession, p: AdminGetGiftCardsParams, tree: Tree = ADMIN_TREE
) -> tuple[list[GiftCard], int]:
    """listGiftCardsAndCount: `q` matches the code or the order's display_id (ILIKE)."""
    stmt = select(GiftCard).where(GiftCard.deleted_at.is_(None))
    if p.q:
        pattern = f"%{p.q}%"
        stmt = stmt.outerjoin(Order, Order.id == GiftCard.order_id).where(
            or_(GiftCard.code.ilike(pattern), cast(Order.display_id, String).ilike(pattern))
        )
    count = await count_rows(tx, stmt)
    stmt = apply_page(apply_order(stmt, GiftCard, p.order, default="-created_at"), p.offset, p.limit)
    rows = (await tx.execute(stmt.options(*load_options(GiftCard, tree)))).scalars().all()
    return list(rows), count


def present_gift_card(
    card: GiftCard, tree: Tree = ADMIN_TREE, fields: set[str] | None = ADMIN_FIELDS
) -> dict[str, Any]:
    out = present(card, tree, fields)
    assert out is not None
    if "tax_rate" in out:
        out["tax_rate"] = _float4(out["tax_rate"])
    region = out.get("region")
    if isinstance(region, dict) and "tax_rate" in region:
        region["tax_rate"] = _float4(region["tax_rate"])
    if isinstance(out.get("order"), dict):
        out["order"] = with_object(out["order"], "order")
    return out


def present_store_gift_card(card: GiftCard) -> dict[str, Any]:
    return present_gift_card(card, STORE_TREE, STORE_FIELDS)


# ---- writing ---------------------------------------------------------------------------------


async def create_gift_card(
    tx: AsyncSession,
    data: AdminPostGiftCardsReq,
    *,
    tax_rate: float | None = None,
    order_id: str | None = None,
) -> GiftCard:
    """GiftCardService.create (balance = value, as the admin route sets it)."""
    region = await retrieve_region(tx, data.region_id)
    if data.value is None:
        raise _null_column("value")
    if "is_disabled" in data.model_fields_set and data.is_disabled is None:
        raise _null_column("is_disabled")
    card = GiftCard(
        code=generate_code(),
        value=data.value,
        balance=data.value,
        region_id=region.id,
        is_disabled=bool(data.is_disabled),
        ends_at=data.ends_at,
        metadata_=data.metadata,
        tax_rate=resolve_tax_rate(tax_rate, region),
        order_id=order_id,
    )
    tx.add(card)
    await tx.flush()
    emit(tx, CREATED, {"id": card.id})
    return card


async def update_gift_card(
    tx: AsyncSession, gift_card_id: str, data: AdminPostGiftCardsGiftCardReq
) -> GiftCard:
    """GiftCardService.update."""
    card = await retrieve_gift_card(tx, gift_card_id)
    given = data.model_fields_set
    if data.region_id and data.region_id != card.region_id:
        region = await retrieve_region(tx, data.region_id)
        card.region_id = region.id
    if data.metadata:
        card.metadata_ = merge_metadata(card.metadata_, _js_entries(data.metadata))
    if "balance" in given:
        # isDefined(null) is true in medusa-core-utils: a null balance reaches the database
        if data.balance is None:
            raise _null_column("balance")
        if data.balance < 0 or card.value < data.balance:
            raise MedusaError("invalid_argument", "new balance is invalid")
        card.balance = data.balance
    if "is_disabled" in given:
        if data.is_disabled is None:
            raise _null_column("is_disabled")
        card.is_disabled = data.is_disabled  # type: ignore[assignment]
    if "ends_at" in given:
        card.ends_at = data.ends_at
    card.updated_at = utcnow()
    await tx.flush()
    return card


async def delete_gift_card(tx: AsyncSession, gift_card_id: str) -> None:
    """GiftCardService.delete: a soft delete; an unknown id is no error."""
    card = (
        await tx.execute(select(GiftCard).where(GiftCard.id == gift_card_id, GiftCard.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if card is None:
        return
    now = utcnow()
    card.deleted_at = now
    card.updated_at = now
    await tx.flush()


async def consume_balance(tx: AsyncSession, gift_card_id: str, amount: int) -> int:
    """Take `amount` from a card's balance in ONE guarded UPDATE (no read-modify-write), so that
    concurrent checkouts can never spend more than the balance: the row lock (PostgreSQL) or the
    single writer (SQLite) serialises the updates, and each re-checks `balance >= amount`.

    As Medusa's OrderService.createFromCart, the card is disabled when its balance reaches 0.
    Returns the amount consumed; raises not_found for an unknown (or deleted) card and
    not_allowed when the balance does not cover `amount`."""
    if amount < 0:
        raise invalid_data("amount must not be less than 0")
    result = await tx.execute(
        update(GiftCard)
        .where(
            GiftCard.id == gift_card_id,
            GiftCard.deleted_at.is_(None),
            GiftCard.balance >= amount,
        )
        .values(
            balance=GiftCard.balance - amount,
            is_disabled=case((GiftCard.balance - amount == 0, True), else_=False),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        # rows of this card already in the session must not show the old balance
        existing = tx.identity_key(GiftCard, gift_card_id)
        if existing in tx.identity_map:
            tx.expire(tx.identity_map[existing], ["balance", "is_disabled", "updated_at"])
        return amount
    found = (
        await tx.execute(
            select(GiftCard.id).where(GiftCard.id == gift_card_id, GiftCard.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    if found is None:
        raise _not_found_id(gift_card_id)
    raise not_allowed("The gift card balance is insufficient")


async def create_transaction(
    tx: AsyncSession,
    *,
    gift_card_id: str,
    order_id: str,
    amount: int,
    is_taxable: bool | None = None,
    tax_rate: float | None = None,
) -> str:
    """GiftCardService.createTransaction: the record of an order's use of a card."""
    row = GiftCardTransaction(
        gift_card_id=gift_card_id, order_id=order_id, amount=amount, is_taxable=is_taxable, tax_rate=tax_rate
    )
    tx.add(row)
    await tx.flush()
    return row.id
