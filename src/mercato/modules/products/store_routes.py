"""Store Products (GET /store/products, GET /store/products/{id}, POST /store/products/search) and
Store Product Variants (GET /store/variants, GET /store/variants/{id}): api/routes/store/products
and api/routes/store/variants."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.errors import invalid_data
from mercato.core.http import Tx, ok
from mercato.core.query import DateFilter, params
from mercato.core.routing import public_router
from mercato.core.validation import (
    Prop,
    check_rules,
    is_int,
    is_non_negative_integer,
    is_number,
    is_string,
    js_number,
)
from mercato.modules.products import store_service
from mercato.modules.products.schemas import (
    _DATES,
    _OPT_ARRAY,
    _OPT_STRING,
    _QUERY_BOOLEAN,
    Rules,
    is_number_or_operator,
    is_string_or_strings,
)
from mercato.modules.sales_channels.deps import PublishableKeyScope
from mercato.modules.store_customers.deps import OptionalCustomer

store = public_router("/store", "Products")
store_variants = public_router("/store", "Product Variants")

_NUMBER = Prop((is_number,), optional=True, convert=js_number)
# a negative or fractional page bound fails in Medusa's database (500): 400 here, as elsewhere
_PAGE = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)


class StoreGetProductsParams(Rules):
    """list-products.ts: PriceSelectionParams, the page keys, the filters (and transformStoreQuery's
    expand/fields)."""

    __rules__ = {
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
        "offset": _PAGE,
        "limit": _PAGE,
        "order": _OPT_STRING,
        "id": Prop((is_string_or_strings,), optional=True),
        "q": _OPT_STRING,
        "collection_id": _OPT_ARRAY,
        "tags": _OPT_ARRAY,
        "title": _OPT_STRING,
        "description": _OPT_STRING,
        "handle": _OPT_STRING,
        "is_giftcard": _QUERY_BOOLEAN,
        "type_id": _OPT_ARRAY,
        "sales_channel_id": _OPT_ARRAY,
        "category_id": _OPT_ARRAY,
        "include_category_children": _QUERY_BOOLEAN,
        "created_at": _DATES,
        "updated_at": _DATES,
    }
    __query_booleans__ = ("is_giftcard", "include_category_children")
    expand: str | None = None
    fields: str | None = None
    cart_id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None
    offset: int = 0
    limit: int = 100
    order: str | None = None
    id: str | list[str] | None = None
    q: str | None = None
    collection_id: list[str] | None = None
    tags: list[str] | None = None
    title: str | None = None
    description: str | None = None
    handle: str | None = None
    is_giftcard: bool | None = None
    type_id: list[str] | None = None
    sales_channel_id: list[str] | None = None
    category_id: list[str] | None = None
    include_category_children: bool | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None


class StoreGetProductsProductParams(Rules):
    """get-product.ts: PriceSelectionParams and sales_channel_id (and expand/fields)."""

    __rules__ = {
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
        "sales_channel_id": Prop((is_string,), optional=True),
    }
    expand: str | None = None
    fields: str | None = None
    cart_id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None
    sales_channel_id: str | None = None


def _refused(exc: store_service.RequestErrors) -> Response:
    return ok(
        {
            "errors": exc.errors,
            "message": "Provided request body contains errors. Please check the data and retry the request",
        },
        status_code=400,
    )


@store.get("/products")
@cacheable()
async def store_list_products(
    p: Annotated[StoreGetProductsParams, Depends(params(StoreGetProductsParams))],
    scope: PublishableKeyScope,
    customer_id: OptionalCustomer,
    tx: Tx,
) -> Response:
    selection, keep = store_service.store_selection(p.expand, p.fields, is_list=True)
    try:
        ids, count, scoped = await store_service.list_store_products(tx, p, scope)
    except store_service.RequestErrors as exc:
        return _refused(exc)
    if scoped:
        # list-products.ts always adds `sales_channels` to the relations under a key's scope
        tree = {**selection.tree, "sales_channels": selection.tree.get("sales_channels", {})}
        selection = store_service.Selection(tree, selection.fields, selection.nested)
        keep = keep | {"sales_channels"}
    if p.q and selection.nested:
        # the free-text search reloads its matches' relations whole: `variants.title` selects no
        # variant columns there (the answer still keeps only the fields named)
        selection = store_service.Selection(selection.tree, selection.fields)
    products = await store_service.store_products(
        tx,
        ids,
        selection,
        keep,
        region_id=p.region_id,
        currency_code=p.currency_code,
        cart_id=p.cart_id,
        customer_id=customer_id,
        # the list joins categories under defaultStoreCategoryScope (its search does not)
        public_categories=not p.q,
        with_pricing=store_service.service.wants_pricing(p.expand),
    )
    store_service.no_inventory_items(products, p.expand)
    return Response(
        orjson.dumps({"products": products, "count": count, "offset": p.offset, "limit": p.limit}),
        media_type="application/json",
    )


@store.get("/products/{product_id}")
@cacheable()
async def store_get_product(
    product_id: str,
    p: Annotated[StoreGetProductsProductParams, Depends(params(StoreGetProductsProductParams))],
    scope: PublishableKeyScope,
    customer_id: OptionalCustomer,
    tx: Tx,
) -> Response:
    try:
        await store_service.check_product_in_scope(tx, product_id, scope)
    except store_service.RequestErrors as exc:
        return _refused(exc)
    selection, keep = store_service.store_selection(p.expand, p.fields, is_list=False)
    await store_service.get_store_product(tx, product_id)
    products = await store_service.store_products(
        tx,
        [product_id],
        selection,
        keep,
        region_id=p.region_id,
        currency_code=p.currency_code,
        cart_id=p.cart_id,
        customer_id=customer_id,
        with_pricing=store_service.service.wants_pricing(p.expand),
    )
    store_service.no_inventory_items(products, p.expand)
    return Response(orjson.dumps({"product": products[0]}), media_type="application/json")


@store.post("/products/search")
async def store_search_products(body: Annotated[Any, Body()] = None) -> Response:
    """search.ts with Medusa's DefaultSearchService (no search plugin): the body is checked
    (unknown keys allowed), the answer is always `{hits: []}`."""
    data = body if isinstance(body, dict) else {}
    messages, _ = check_rules(data, _SEARCH_RULES)
    messages = [m for m in messages if not m.endswith(" should not exist")]
    if messages:
        raise invalid_data(", ".join(messages))
    return ok({"hits": []})


_SEARCH_RULES = {
    "q": _OPT_STRING,
    "offset": _NUMBER,
    "limit": _NUMBER,
    "filter": Prop((), optional=True),
}


# ---- /store/variants ------------------------------------------------------------------------

_INT = Prop((is_int,), optional=True, convert=js_number)


class StoreGetVariantsParams(Rules):
    """list-variants.ts: PriceSelectionParams, then its own keys (and expand/fields)."""

    __rules__ = {
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
        "limit": _INT,
        "offset": _INT,
        "ids": _OPT_STRING,
        "sales_channel_id": _OPT_STRING,
        "id": Prop((is_string_or_strings,), optional=True),
        "title": Prop((is_string_or_strings,), optional=True),
        "inventory_quantity": Prop((is_number_or_operator,), optional=True),
    }
    expand: str | None = None
    fields: str | None = None
    cart_id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None
    limit: int = 100
    offset: int = 0
    ids: str | None = None
    sales_channel_id: str | None = None
    id: str | list[str] | None = None
    title: str | list[str] | None = None
    inventory_quantity: Any = None


class StoreGetVariantsVariantParams(Rules):
    __rules__ = {
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
        "sales_channel_id": _OPT_STRING,
    }
    expand: str | None = None
    fields: str | None = None
    cart_id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None
    sales_channel_id: str | None = None


@store_variants.get("/variants")
@cacheable()
async def store_list_variants(
    p: Annotated[StoreGetVariantsParams, Depends(params(StoreGetVariantsParams))],
    scope: PublishableKeyScope,
    customer_id: OptionalCustomer,
    tx: Tx,
) -> Response:
    try:
        store_service.check_channel_param(scope, p.sales_channel_id)
    except store_service.RequestErrors as exc:
        return _refused(exc)
    selection = store_service.variant_selection(p.expand, p.fields, is_list=True)
    # ProductVariantService.list takes `prices` out of the relations: only the pricing puts the
    # key back, on the variants that have a price in the context
    tree = {k: v for k, v in selection.tree.items() if k != "prices"}
    selection = store_service.Selection(tree, selection.fields, selection.nested)
    ids = await store_service.list_store_variants(tx, p)
    variants = await store_service.store_variants(
        tx,
        ids,
        selection,
        region_id=p.region_id,
        currency_code=p.currency_code,
        cart_id=p.cart_id,
        customer_id=customer_id,
    )
    return Response(orjson.dumps({"variants": variants}), media_type="application/json")


@store_variants.get("/variants/{variant_id}")
@cacheable()
async def store_get_variant(
    variant_id: str,
    p: Annotated[StoreGetVariantsVariantParams, Depends(params(StoreGetVariantsVariantParams))],
    scope: PublishableKeyScope,
    customer_id: OptionalCustomer,
    tx: Tx,
) -> Response:
    try:
        store_service.check_channel_param(scope, p.sales_channel_id)
        await store_service.check_variant_in_scope(tx, variant_id, scope)
    except store_service.RequestErrors as exc:
        return _refused(exc)
    selection = store_service.variant_selection(p.expand, p.fields, is_list=False)
    await store_service.get_store_variant(tx, variant_id)
    variants = await store_service.store_variants(
        tx,
        [variant_id],
        selection,
        region_id=p.region_id,
        currency_code=p.currency_code,
        cart_id=p.cart_id,
        customer_id=customer_id,
    )
    return Response(orjson.dumps({"variant": variants[0]}), media_type="application/json")
