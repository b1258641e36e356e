"""Product categories: the seven Admin routes (/admin/product-categories…) and the Store's two
(/store/product-categories…). Medusa's product_categories feature flag is on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.categories import service
from mercato.modules.categories.schemas import (
    AdminDeleteProductCategoriesCategoryProductsBatchReq,
    AdminGetProductCategoriesParams,
    AdminPostProductCategoriesCategoryProductsBatchReq,
    AdminPostProductCategoriesCategoryReq,
    AdminPostProductCategoriesReq,
    CategoryRetrieveParams,
    StoreGetProductCategoriesParams,
)

admin = admin_router("Product Categories")
store = public_router("/store", "Product Categories")

Retrieve = Annotated[CategoryRetrieveParams, Depends(params(CategoryRetrieveParams))]


async def _answer(tx: Tx, category_id: str, config: service.QueryConfig) -> Response:
    return ok({"product_category": await service.present_admin_category(tx, category_id, config)})


# ---- admin -----------------------------------------------------------------------------------


@admin.get("/product-categories")
@cacheable()
async def list_categories(
    p: Annotated[AdminGetProductCategoriesParams, Depends(params(AdminGetProductCategoriesParams))], tx: Tx
) -> Response:
    config = service.admin_config(p, is_list=True)
    categories, count = await service.present_list(tx, p, config, store=False)
    return ok({"count": count, "product_categories": categories, "offset": p.offset, "limit": p.limit})


@admin.post("/product-categories")
async def create_category(
    p: Retrieve, tx: Tx, body: Annotated[AdminPostProductCategoriesReq | None, Body()] = None
) -> Response:
    config = service.admin_config(p, is_list=False)
    category = await service.create_category(tx, body_or_empty(AdminPostProductCategoriesReq, body))
    return await _answer(tx, category.id, config)


@admin.get("/product-categories/{category_id}")
@cacheable()
async def get_category(category_id: str, p: Retrieve, tx: Tx) -> Response:
    # the query is validated, but Medusa's handler answers with the default relations
    service.admin_config(p, is_list=False)
    return await _answer(tx, category_id, service.ADMIN_RETRIEVE_DEFAULTS)


@admin.post("/product-categories/{category_id}")
async def update_category(
    category_id: str,
    p: Retrieve,
    tx: Tx,
    body: Annotated[AdminPostProductCategoriesCategoryReq | None, Body()] = None,
) -> Response:
    config = service.admin_config(p, is_list=False)
    data = body_or_empty(AdminPostProductCategoriesCategoryReq, body)
    await service.update_category(tx, category_id, data)
    return await _answer(tx, category_id, config)


@admin.delete("/product-categories/{category_id}")
async def delete_category(category_id: str, tx: Tx) -> Response:
    await service.delete_category(tx, category_id)
    return ok({"id": category_id, "object": "product-category", "deleted": True})


@admin.post("/product-categories/{category_id}/products/batch")
async def add_products(
    category_id: str,
    p: Retrieve,
    tx: Tx,
    body: Annotated[AdminPostProductCategoriesCategoryProductsBatchReq | None, Body()] = None,
) -> Response:
    config = service.admin_config(p, is_list=False)
    data = body_or_empty(AdminPostProductCategoriesCategoryProductsBatchReq, body)
    product_ids = [item.id for item in data.product_ids]
    await service.add_products(tx, category_id, product_ids)
    return await _answer(tx, category_id, config)


@admin.delete("/product-categories/{category_id}/products/batch")
async def remove_products(
    category_id: str,
    p: Retrieve,
    tx: Tx,
    body: Annotated[AdminDeleteProductCategoriesCategoryProductsBatchReq | None, Body()] = None,
) -> Response:
    config = service.admin_config(p, is_list=False)
    data = body_or_empty(AdminDeleteProductCategoriesCategoryProductsBatchReq, body)
    product_ids = [item.id for item in data.product_ids]
    await service.remove_products(tx, category_id, product_ids)
    return await _answer(tx, category_id, config)


# ---- store -----------------------------------------------------------------------------------


@store.get("/product-categories")
@cacheable()
async def store_list_categories(
    p: Annotated[StoreGetProductCategoriesParams, Depends(params(StoreGetProductCategoriesParams))], tx: Tx
) -> Response:
    config = service.store_config(p, is_list=True)
    categories, count = await service.present_list(tx, p, config, store=True)
    return ok({"count": count, "offset": p.offset, "limit": p.limit, "product_categories": categories})


@store.get("/product-categories/{category_id}")
@cacheable()
async def store_get_category(category_id: str, p: Retrieve, tx: Tx) -> Response:
    config = service.store_config(p, is_list=False)
    return ok({"product_category": await service.present_store_category(tx, category_id, config)})
