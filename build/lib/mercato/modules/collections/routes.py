"""Product collections: the seven Admin routes (/admin/collections…) and the Store's two
(/store/collections…)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.collections import service
from mercato.modules.collections.schemas import (
    AdminDeleteProductsFromCollectionReq,
    AdminGetCollectionsParams,
    AdminPostCollectionsCollectionReq,
    AdminPostCollectionsReq,
    AdminPostProductsToCollectionReq,
    StoreGetCollectionsParams,
)

admin = admin_router("Product Collections")
store = public_router("/store", "Product Collections")


async def _answer(tx: Tx, collection_id: str) -> Response:
    return ok({"collection": await service.present_admin_collection(tx, collection_id)})


# ---- admin -----------------------------------------------------------------------------------


@admin.get("/collections")
@cacheable()
async def list_collections(
    p: Annotated[AdminGetCollectionsParams, Depends(params(AdminGetCollectionsParams))], tx: Tx
) -> Response:
    collections, count = await service.present_admin_list(tx, p)
    return ok({"collections": collections, "count": count, "offset": p.offset, "limit": p.limit})


@admin.post("/collections")
async def create_collection(
    tx: Tx, body: Annotated[AdminPostCollectionsReq | None, Body()] = None
) -> Response:
    collection = await service.create_collection(tx, body_or_empty(AdminPostCollectionsReq, body))
    return await _answer(tx, collection.id)


@admin.get("/collections/{collection_id}")
@cacheable()
async def get_collection(collection_id: str, tx: Tx) -> Response:
    # Medusa's route takes no query parameters (none are validated)
    return await _answer(tx, collection_id)


@admin.post("/collections/{collection_id}")
async def update_collection(
    collection_id: str, tx: Tx, body: Annotated[AdminPostCollectionsCollectionReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostCollectionsCollectionReq, body)
    await service.update_collection(tx, collection_id, data)
    return await _answer(tx, collection_id)


@admin.delete("/collections/{collection_id}")
async def delete_collection(collection_id: str, tx: Tx) -> Response:
    await service.delete_collection(tx, collection_id)
    return ok({"id": collection_id, "object": "product-collection", "deleted": True})


@admin.post("/collections/{collection_id}/products/batch")
async def add_products(
    collection_id: str, tx: Tx, body: Annotated[AdminPostProductsToCollectionReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostProductsToCollectionReq, body)
    await service.add_products(tx, collection_id, data.product_ids)
    return await _answer(tx, collection_id)


@admin.delete("/collections/{collection_id}/products/batch")
async def remove_products(
    collection_id: str, tx: Tx, body: Annotated[AdminDeleteProductsFromCollectionReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminDeleteProductsFromCollectionReq, body)
    await service.remove_products(tx, collection_id, data.product_ids)
    return ok({"id": collection_id, "object": "product-collection", "removed_products": data.product_ids})


# ---- store -----------------------------------------------------------------------------------


@store.get("/collections")
@cacheable()
async def store_list_collections(
    p: Annotated[StoreGetCollectionsParams, Depends(params(StoreGetCollectionsParams))], tx: Tx
) -> Response:
    collections, count = await service.present_store_list(tx, p)
    return ok({"collections": collections, "count": count, "limit": p.limit, "offset": p.offset})


@store.get("/collections/{collection_id}")
@cacheable()
async def store_get_collection(collection_id: str, tx: Tx) -> Response:
    collection = await service.retrieve_collection(tx, collection_id)
    return ok({"collection": service.present_collection(collection)})
