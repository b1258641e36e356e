"""Gift cards: the five Admin routes (/admin/gift-cards…) and the Store lookup by code."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.gift_cards import service
from mercato.modules.gift_cards.schemas import (
    AdminGetGiftCardsParams,
    AdminPostGiftCardsGiftCardReq,
    AdminPostGiftCardsReq,
)

admin = admin_router("Gift Cards")
store = public_router("/store", "Gift Cards")


async def _answer(tx: Tx, gift_card_id: str) -> Response:
    card = await service.retrieve_gift_card(tx, gift_card_id, service.ADMIN_TREE)
    return ok({"gift_card": service.present_gift_card(card)})


# ---- admin -----------------------------------------------------------------------------------


@admin.get("/gift-cards")
@cacheable()
async def list_gift_cards(
    p: Annotated[AdminGetGiftCardsParams, Depends(params(AdminGetGiftCardsParams))], tx: Tx
) -> Response:
    cards, count = await service.list_gift_cards(tx, p)
    return ok(
        {
            "gift_cards": [service.present_gift_card(c) for c in cards],
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/gift-cards")
async def create_gift_card(tx: Tx, body: Annotated[AdminPostGiftCardsReq | None, Body()] = None) -> Response:
    card = await service.create_gift_card(tx, body_or_empty(AdminPostGiftCardsReq, body))
    return await _answer(tx, card.id)


@admin.get("/gift-cards/{gift_card_id}")
@cacheable()
async def get_gift_card(gift_card_id: str, tx: Tx) -> Response:
    """Medusa's route has no query validation: the query string is ignored."""
    return await _answer(tx, gift_card_id)


@admin.post("/gift-cards/{gift_card_id}")
async def update_gift_card(
    gift_card_id: str, tx: Tx, body: Annotated[AdminPostGiftCardsGiftCardReq | None, Body()] = None
) -> Response:
    await service.update_gift_card(tx, gift_card_id, body_or_empty(AdminPostGiftCardsGiftCardReq, body))
    return await _answer(tx, gift_card_id)


@admin.delete("/gift-cards/{gift_card_id}")
async def delete_gift_card(gift_card_id: str, tx: Tx) -> Response:
    await service.delete_gift_card(tx, gift_card_id)
    return ok({"id": gift_card_id, "object": "gift-card", "deleted": True})


# ---- store -----------------------------------------------------------------------------------


@store.get("/gift-cards/{code}")
@cacheable()
async def store_get_gift_card(code: str, tx: Tx) -> Response:
    card = await service.retrieve_by_code(tx, code, service.STORE_TREE)
    return ok({"gift_card": service.present_store_gift_card(card)})
