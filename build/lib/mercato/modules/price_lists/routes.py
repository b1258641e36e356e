"""Price Lists: the eleven Admin routes (/admin/price-lists…)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.price_lists import service
from mercato.modules.price_lists.schemas import (
    AdminDeletePriceListPricesPricesReq,
    AdminDeletePriceListsPriceListProductsPricesBatchReq,
    AdminGetPriceListPaginationParams,
    AdminGetPriceListsPriceListProductsParams,
    AdminPostPriceListPricesPricesReq,
    AdminPostPriceListsPriceListPriceListReq,
    AdminPostPriceListsPriceListReq,
)

admin = admin_router("Price Lists")


async def _answer(tx: Tx, price_list_id: str) -> Response:
    return ok({"price_list": await service.present_price_list(tx, price_list_id)})


def _deleted_prices(ids: list[str]) -> Response:
    return ok({"ids": ids, "object": "money-amount", "deleted": True})


@admin.get("/price-lists")
async def list_price_lists(
    p: Annotated[AdminGetPriceListPaginationParams, Depends(params(AdminGetPriceListPaginationParams))],
    tx: Tx,
) -> Response:
    tree = service.list_tree(p)
    price_lists, count = await service.list_price_lists(tx, p)
    return ok(
        {
            "price_lists": await service.present_price_lists(tx, price_lists, tree),
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/price-lists")
async def create_price_list(
    tx: Tx, body: Annotated[AdminPostPriceListsPriceListReq | None, Body()] = None
) -> Response:
    price_list = await service.create_price_list(tx, body_or_empty(AdminPostPriceListsPriceListReq, body))
    return await _answer(tx, price_list.id)


@admin.get("/price-lists/{price_list_id}")
async def get_price_list(price_list_id: str, tx: Tx) -> Response:
    return await _answer(tx, price_list_id)


@admin.post("/price-lists/{price_list_id}")
async def update_price_list(
    price_list_id: str,
    tx: Tx,
    body: Annotated[AdminPostPriceListsPriceListPriceListReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostPriceListsPriceListPriceListReq, body)
    await service.update_price_list(tx, price_list_id, data)
    return await _answer(tx, price_list_id)


@admin.delete("/price-lists/{price_list_id}")
async def delete_price_list(price_list_id: str, tx: Tx) -> Response:
    await service.delete_price_list(tx, price_list_id)
    return ok({"id": price_list_id, "object": "price-list", "deleted": True})


@admin.post("/price-lists/{price_list_id}/prices/batch")
async def add_prices_batch(
    price_list_id: str, tx: Tx, body: Annotated[AdminPostPriceListPricesPricesReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostPriceListPricesPricesReq, body)
    await service.add_prices(tx, price_list_id, data.prices, bool(data.override))
    return await _answer(tx, price_list_id)


@admin.delete("/price-lists/{price_list_id}/prices/batch")
async def delete_prices_batch(
    price_list_id: str, tx: Tx, body: Annotated[AdminDeletePriceListPricesPricesReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminDeletePriceListPricesPricesReq, body)
    await service.delete_prices(tx, price_list_id, data.price_ids)
    return _deleted_prices(data.price_ids)


@admin.get("/price-lists/{price_list_id}/products")
async def list_price_list_products(
    price_list_id: str,
    p: Annotated[
        AdminGetPriceListsPriceListProductsParams, Depends(params(AdminGetPriceListsPriceListProductsParams))
    ],
    tx: Tx,
) -> Response:
    products, count = await service.list_products(tx, price_list_id, p)
    return ok({"products": products, "count": count, "offset": p.offset, "limit": p.limit})


@admin.delete("/price-lists/{price_list_id}/products/prices/batch")
async def delete_products_prices_batch(
    price_list_id: str,
    tx: Tx,
    body: Annotated[AdminDeletePriceListsPriceListProductsPricesBatchReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeletePriceListsPriceListProductsPricesBatchReq, body)
    return _deleted_prices(await service.delete_product_prices(tx, price_list_id, data.product_ids))


@admin.delete("/price-lists/{price_list_id}/products/{product_id}/prices")
async def delete_product_prices(price_list_id: str, product_id: str, tx: Tx) -> Response:
    return _deleted_prices(await service.delete_product_prices(tx, price_list_id, [product_id]))


@admin.delete("/price-lists/{price_list_id}/variants/{variant_id}/prices")
async def delete_variant_prices(price_list_id: str, variant_id: str, tx: Tx) -> Response:
    return _deleted_prices(await service.delete_variant_prices(tx, price_list_id, [variant_id]))
