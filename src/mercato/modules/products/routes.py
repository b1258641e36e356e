"""Products (15 admin routes), Product Variants (3), Product Tags and Product Types (admin and
store): api/routes/admin/products, admin/variants, admin|store/product-tags, product-types."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Body, Depends, Response
from pydantic import BaseModel, ValidationError

from mercato.core.cache import cacheable
from mercato.core.errors import invalid_data, validation_message
from mercato.core.http import JSON, Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router, public_router
from mercato.modules.products import service
from mercato.modules.products.models import ProductTag, ProductType
from mercato.modules.products.schemas import (
    AdminGetProductsParams,
    AdminGetProductsVariantsParams,
    AdminGetProductTagsParams,
    AdminGetProductTypesParams,
    AdminGetVariantsParams,
    AdminPostProductsProductMetadataReq,
    AdminPostProductsProductOptionsOption,
    AdminPostProductsProductOptionsReq,
    AdminPostProductsProductReq,
    AdminPostProductsProductVariantsReq,
    AdminPostProductsProductVariantsVariantReq,
    AdminPostProductsReq,
    FindParams,
    PriceSelectionParams,
    StoreGetProductTagsParams,
    StoreGetProductTypesParams,
    TagTypeListParams,
)
from mercato.modules.products.store_routes import store as store_products  # noqa: F401 (found by app.py)
from mercato.modules.products.store_routes import store_variants  # noqa: F401

admin = admin_router("Products")
variants_admin = admin_router("Product Variants")
tags_admin = admin_router("Product Tags")
types_admin = admin_router("Product Types")
store_tags = public_router("/store", "Product Tags")
store_types = public_router("/store", "Product Types")

M = TypeVar("M", bound=BaseModel)

RawBody = Annotated[Any, Body()]


def validate(model: type[M], raw: Any) -> M:
    """Medusa's validator(Class, req.body): Express hands `{}` when there is no body."""
    try:
        return model.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        raise invalid_data(validation_message([dict(e) for e in exc.errors()])) from None


def raw_json(text: str, status_code: int = 200) -> Response:
    return Response(text.encode(), status_code=status_code, media_type=JSON.media_type)


async def _product(tx: Tx, product_id: str) -> Response:
    """{product} with the default relations, after a write (the product must still exist)."""
    text = await service.retrieve_product_json(tx, product_id)
    return raw_json('{"product":' + text + "}")


async def _sales_channels_exist(tx: Tx, raw: Any) -> Response | None:
    missing = await service.missing_sales_channels(tx, raw)
    if not missing:
        return None
    return ok(
        {
            "errors": [f"Sales Channels {', '.join(missing)} do not exist"],
            "message": "Provided request body contains errors. Please check the data and retry the request",
        },
        status_code=400,
    )


# ---- /admin/products (routes without an id first: Express matches in order) ----------------


@admin.get("/products/types")
async def list_types(tx: Tx) -> Response:
    return ok({"types": await service.list_types(tx)})


@admin.get("/products/tag-usage")
async def list_tag_usage(tx: Tx) -> Response:
    return ok({"tags": await service.list_tags_by_usage(tx)})


@admin.get("/products")
@cacheable()
async def list_products(
    p: Annotated[AdminGetProductsParams, Depends(params(AdminGetProductsParams))], tx: Tx
) -> Response:
    selection = service.query_config(
        p.expand, p.fields, service.DEFAULT_RELATIONS, service.PRODUCT_COLUMNS, is_list=True
    )
    ids, count = await service.list_products(tx, p)
    if p.q:
        # the free-text search reloads its matches whole: `fields` does not apply
        selection = service.Selection(selection.tree)
    products = await service.products_json(tx, ids, selection, pricing=service.wants_pricing(p.expand))
    tail = orjson.dumps({"count": count, "offset": p.offset, "limit": p.limit}).decode()
    return raw_json('{"products":' + products + "," + tail[1:])


@admin.post("/products")
async def create_product(tx: Tx, body: RawBody = None) -> Response:
    refused = await _sales_channels_exist(tx, body)
    if refused is not None:
        return refused
    data = validate(AdminPostProductsReq, body)
    product_id = await service.create_product(tx, data)
    return await _product(tx, product_id)


@admin.get("/products/{product_id}")
async def get_product(
    product_id: str, p: Annotated[FindParams, Depends(params(FindParams))], tx: Tx
) -> Response:
    selection = service.query_config(
        p.expand, p.fields, service.DEFAULT_RELATIONS, service.PRODUCT_COLUMNS, is_list=False
    )
    text = await service.retrieve_product_json(
        tx, product_id, selection, pricing=service.wants_pricing(p.expand)
    )
    return raw_json('{"product":' + text + "}")


@admin.post("/products/{product_id}")
async def update_product(product_id: str, tx: Tx, body: RawBody = None) -> Response:
    refused = await _sales_channels_exist(tx, body)
    if refused is not None:
        return refused
    data = validate(AdminPostProductsProductReq, body)
    await service.update_product(tx, product_id, data)
    return await _product(tx, product_id)


@admin.delete("/products/{product_id}")
async def delete_product(product_id: str, tx: Tx) -> Response:
    await service.delete_product(tx, product_id)
    return ok({"id": product_id, "object": "product", "deleted": True})


@admin.post("/products/{product_id}/metadata")
async def set_metadata(product_id: str, tx: Tx, body: RawBody = None) -> Response:
    data = validate(AdminPostProductsProductMetadataReq, body)
    await service.set_metadata(tx, product_id, data.key, data.value)
    return await _product(tx, product_id)


@admin.post("/products/{product_id}/options")
async def add_option(product_id: str, tx: Tx, body: RawBody = None) -> Response:
    data = validate(AdminPostProductsProductOptionsReq, body)
    await service.add_option(tx, product_id, data.title)
    return await _product(tx, product_id)


@admin.post("/products/{product_id}/options/{option_id}")
async def update_option(product_id: str, option_id: str, tx: Tx, body: RawBody = None) -> Response:
    data = validate(AdminPostProductsProductOptionsOption, body)
    await service.update_option(tx, product_id, option_id, data.title)
    return await _product(tx, product_id)


@admin.delete("/products/{product_id}/options/{option_id}")
async def delete_option(product_id: str, option_id: str, tx: Tx) -> Response:
    await service.delete_option(tx, product_id, option_id)
    # delete-option.ts answers the product without setAdminProductPricing
    text = await service.retrieve_product_json(tx, product_id, pricing=False)
    head = orjson.dumps({"option_id": option_id, "object": "option", "deleted": True}).decode()
    return raw_json(head[:-1] + ',"product":' + text + "}")


@admin.get("/products/{product_id}/variants")
async def list_product_variants(
    product_id: str,
    p: Annotated[AdminGetProductsVariantsParams, Depends(params(AdminGetProductsVariantsParams))],
    tx: Tx,
) -> Response:
    selection = service.query_config(
        p.expand, p.fields, service.PRODUCT_VARIANTS_RELATIONS, service.VARIANT_COLUMNS, is_list=True
    )
    ids, count = await service.list_product_variants(tx, product_id, p)
    text = await service.variants_text(tx, ids, selection)
    tail = orjson.dumps({"offset": p.offset, "limit": p.limit}).decode()
    return raw_json('{"count":' + str(count) + ',"variants":' + text + "," + tail[1:])


@admin.post("/products/{product_id}/variants")
async def create_variant(product_id: str, tx: Tx, body: RawBody = None) -> Response:
    data = validate(AdminPostProductsProductVariantsReq, body)
    options = [{"option_id": o.option_id, "value": o.value} for o in data.options or []]
    await service.create_variants(tx, product_id, [(data, options, None)])
    return await _product(tx, product_id)


@admin.post("/products/{product_id}/variants/{variant_id}")
async def update_variant(
    product_id: str,
    variant_id: str,
    p: Annotated[PriceSelectionParams, Depends(params(PriceSelectionParams))],
    tx: Tx,
    body: RawBody = None,
) -> Response:
    data = validate(AdminPostProductsProductVariantsVariantReq, body)
    variant = await service.get_product_variant(tx, product_id, variant_id)
    fields = ["product_id", *data.model_fields_set]
    await service.update_variant(tx, variant, data, fields=fields)
    return await _product(tx, product_id)


@admin.delete("/products/{product_id}/variants/{variant_id}")
async def delete_variant(product_id: str, variant_id: str, tx: Tx) -> Response:
    await service.delete_variant(tx, product_id, variant_id)
    text = await service.retrieve_product_json(tx, product_id)
    head = orjson.dumps({"variant_id": variant_id, "object": "product-variant", "deleted": True}).decode()
    return raw_json(head[:-1] + ',"product":' + text + "}")


# ---- /admin/variants -------------------------------------------------------------------------


async def _priced_variants(
    tx: Tx, ids: list[str], selection: service.Selection, ctx: Any
) -> list[dict[str, Any]]:
    from mercato.modules.price_lists.pricing_service import price_variants

    # setAdminVariantPricing runs whatever the relations: a variant with candidate prices gets
    # them (and the pricing keys) even when `prices` was not asked for
    variants = await service.variants_json(tx, ids, selection)
    priced = await price_variants(tx, ids, ctx)
    for variant in variants:
        variant.update(priced.get(variant["id"], {}))
    return variants


@variants_admin.get("/variants")
async def list_variants(
    p: Annotated[AdminGetVariantsParams, Depends(params(AdminGetVariantsParams))], tx: Tx
) -> Response:
    from mercato.modules.price_lists.pricing_service import pricing_context

    selection = service.query_config(
        p.expand,
        p.fields,
        service.VARIANT_RELATIONS,
        service.VARIANT_COLUMNS,
        is_list=True,
        default_fields=service.VARIANT_FIELDS,
    )
    if p.q:
        # ProductVariantService.listAndCount joins the product to search it, and loads it
        tree = {**selection.tree, "product": selection.tree.get("product", {})}
        selection = service.Selection(tree, selection.fields, selection.nested)
    ids, count = await service.list_variants(tx, p)
    ctx = await pricing_context(
        tx,
        region_id=p.region_id,
        currency_code=p.currency_code,
        cart_id=p.cart_id,
        customer_id=p.customer_id,
        include_discount_prices=True,
    )
    variants = await _priced_variants(tx, ids, selection, ctx)
    # Medusa answers req.listConfig.offset / .limit, which do not exist: no offset, no limit
    return ok({"variants": variants, "count": count})


@variants_admin.get("/variants/{variant_id}")
async def get_variant(
    variant_id: str, p: Annotated[FindParams, Depends(params(FindParams))], tx: Tx
) -> Response:
    from mercato.modules.price_lists.pricing_service import pricing_context

    selection = service.query_config(
        p.expand,
        p.fields,
        service.VARIANT_RELATIONS,
        service.VARIANT_COLUMNS,
        is_list=False,
        default_fields=service.VARIANT_FIELDS,
    )
    await service.get_variant(tx, variant_id)
    variants = await _priced_variants(tx, [variant_id], selection, await pricing_context(tx))
    return ok({"variant": variants[0]})


@variants_admin.get("/variants/{variant_id}/inventory")
async def get_variant_inventory(variant_id: str, tx: Tx) -> Response:
    """Without an inventory module no variant has inventory items, so no availability either
    (Medusa 1.20 without one answers 500 "Inventory is not enabled")."""
    variant = await service.get_variant(tx, variant_id)
    return ok({"variant": {"id": variant.id, "inventory": [], "sales_channel_availability": []}})


# ---- product tags and types ------------------------------------------------------------------


async def _tags_or_types(tx: Tx, model: Any, key: str, p: TagTypeListParams) -> Response:
    rows, count = await service.list_tags_or_types(tx, model, p)
    return ok({key: rows, "count": count, "offset": p.offset, "limit": p.limit})


@tags_admin.get("/product-tags")
async def admin_list_tags(
    p: Annotated[AdminGetProductTagsParams, Depends(params(AdminGetProductTagsParams))], tx: Tx
) -> Response:
    return await _tags_or_types(tx, ProductTag, "product_tags", p)


@types_admin.get("/product-types")
async def admin_list_types(
    p: Annotated[AdminGetProductTypesParams, Depends(params(AdminGetProductTypesParams))], tx: Tx
) -> Response:
    return await _tags_or_types(tx, ProductType, "product_types", p)


@store_tags.get("/product-tags")
async def store_list_tags(
    p: Annotated[StoreGetProductTagsParams, Depends(params(StoreGetProductTagsParams))], tx: Tx
) -> Response:
    return await _tags_or_types(tx, ProductTag, "product_tags", p)


@store_types.get("/product-types")
async def store_list_types(
    p: Annotated[StoreGetProductTypesParams, Depends(params(StoreGetProductTypesParams))], tx: Tx
) -> Response:
    return await _tags_or_types(tx, ProductType, "product_types", p)
