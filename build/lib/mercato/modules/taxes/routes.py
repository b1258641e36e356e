"""Tax rates: the eleven Admin routes (/admin/tax-rates…).

Medusa validates the body before the query string on these routes, so the query string is
parsed inside each handler, after FastAPI has validated the body."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Request, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.query import params, parse_params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.taxes import service
from mercato.modules.taxes.schemas import (
    AdminDeleteTaxRatesTaxRateProductsReq,
    AdminDeleteTaxRatesTaxRateProductTypesReq,
    AdminDeleteTaxRatesTaxRateShippingOptionsReq,
    AdminGetTaxRatesParams,
    AdminGetTaxRatesTaxRateParams,
    AdminPostTaxRatesReq,
    AdminPostTaxRatesTaxRateProductsReq,
    AdminPostTaxRatesTaxRateProductTypesReq,
    AdminPostTaxRatesTaxRateReq,
    AdminPostTaxRatesTaxRateShippingOptionsReq,
)

admin = admin_router("Tax Rates")


def _retrieve_config(request: Request) -> service.QueryConfig:
    q = parse_params(request, AdminGetTaxRatesTaxRateParams)
    return service.query_config(q.fields, q.expand, is_list=False)


async def _answer(tx: Tx, rate_id: str, config: service.QueryConfig) -> Response:
    return ok({"tax_rate": await service.answer(tx, rate_id, config)})


@admin.get("/tax-rates")
@cacheable()
async def list_tax_rates(
    p: Annotated[AdminGetTaxRatesParams, Depends(params(AdminGetTaxRatesParams))], tx: Tx
) -> Response:
    config = service.query_config(p.fields, p.expand, is_list=True)
    rates, count = await service.list_tax_rates(tx, p, config)
    return ok(
        {
            "tax_rates": await service.present_tax_rates(tx, rates, config),
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/tax-rates")
async def create_tax_rate(
    request: Request, tx: Tx, body: Annotated[AdminPostTaxRatesReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostTaxRatesReq, body)
    config = _retrieve_config(request)
    rate_id = await service.create_tax_rate(tx, data)
    return await _answer(tx, rate_id, config)


@admin.get("/tax-rates/{rate_id}")
@cacheable()
async def get_tax_rate(
    rate_id: str,
    p: Annotated[AdminGetTaxRatesTaxRateParams, Depends(params(AdminGetTaxRatesTaxRateParams))],
    tx: Tx,
) -> Response:
    config = service.query_config(p.fields, p.expand, is_list=False)
    return await _answer(tx, rate_id, config)


@admin.post("/tax-rates/{rate_id}")
async def update_tax_rate(
    rate_id: str, request: Request, tx: Tx, body: Annotated[AdminPostTaxRatesTaxRateReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostTaxRatesTaxRateReq, body)
    config = _retrieve_config(request)
    await service.update_tax_rate(tx, rate_id, data)
    return await _answer(tx, rate_id, config)


@admin.delete("/tax-rates/{rate_id}")
async def delete_tax_rate(rate_id: str, tx: Tx) -> Response:
    await service.delete_tax_rate(tx, rate_id)
    return ok({"id": rate_id, "object": "tax-rate", "deleted": True})


# ---- products ----------------------------------------------------------------------------------


@admin.post("/tax-rates/{rate_id}/products/batch")
async def add_products(
    rate_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminPostTaxRatesTaxRateProductsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostTaxRatesTaxRateProductsReq, body)
    config = _retrieve_config(request)
    await service.add_products(tx, rate_id, data.products)
    return await _answer(tx, rate_id, config)


@admin.delete("/tax-rates/{rate_id}/products/batch")
async def remove_products(
    rate_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminDeleteTaxRatesTaxRateProductsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeleteTaxRatesTaxRateProductsReq, body)
    config = _retrieve_config(request)
    await service.remove_products(tx, rate_id, data.products)
    return await _answer(tx, rate_id, config)


# ---- product types -----------------------------------------------------------------------------


@admin.post("/tax-rates/{rate_id}/product-types/batch")
async def add_product_types(
    rate_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminPostTaxRatesTaxRateProductTypesReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostTaxRatesTaxRateProductTypesReq, body)
    config = _retrieve_config(request)
    await service.add_product_types(tx, rate_id, data.product_types)
    return await _answer(tx, rate_id, config)


@admin.delete("/tax-rates/{rate_id}/product-types/batch")
async def remove_product_types(
    rate_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminDeleteTaxRatesTaxRateProductTypesReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeleteTaxRatesTaxRateProductTypesReq, body)
    config = _retrieve_config(request)
    await service.remove_product_types(tx, rate_id, data.product_types)
    return await _answer(tx, rate_id, config)


# ---- shipping options --------------------------------------------------------------------------


@admin.post("/tax-rates/{rate_id}/shipping-options/batch")
async def add_shipping_options(
    rate_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminPostTaxRatesTaxRateShippingOptionsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostTaxRatesTaxRateShippingOptionsReq, body)
    config = _retrieve_config(request)
    await service.add_shipping_options(tx, rate_id, data.shipping_options)
    return await _answer(tx, rate_id, config)


@admin.delete("/tax-rates/{rate_id}/shipping-options/batch")
async def remove_shipping_options(
    rate_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminDeleteTaxRatesTaxRateShippingOptionsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeleteTaxRatesTaxRateShippingOptionsReq, body)
    config = _retrieve_config(request)
    await service.remove_shipping_options(tx, rate_id, data.shipping_options)
    return await _answer(tx, rate_id, config)
