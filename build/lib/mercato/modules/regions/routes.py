"""Regions: the twelve Admin routes (/admin/regions…) and the Store's two (/store/regions…)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, Response

from mercato.core.cache import cacheable
from mercato.core.http import Tx, ok
from mercato.core.present import Tree
from mercato.core.query import params
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.regions import service
from mercato.modules.regions.schemas import (
    AdminGetRegionsParams,
    AdminGetRegionsRegionParams,
    AdminPostRegionsRegionCountriesReq,
    AdminPostRegionsRegionFulfillmentProvidersReq,
    AdminPostRegionsRegionPaymentProvidersReq,
    AdminPostRegionsRegionReq,
    AdminPostRegionsReq,
    StoreGetRegionsParams,
)

admin = admin_router("Regions")
store = public_router("/store", "Regions")


async def _answer(tx: Tx, region_id: str, tree: Tree = service.DEFAULT_TREE) -> Response:
    region = await service.retrieve_region(tx, region_id, tree)
    return ok({"region": service.present_region(region, tree)})


# ---- admin -----------------------------------------------------------------------------------


@admin.get("/regions")
@cacheable()
async def list_regions(
    p: Annotated[AdminGetRegionsParams, Depends(params(AdminGetRegionsParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p, is_list=True)
    regions, count = await service.list_regions(tx, p, tree)
    return ok(
        {
            "regions": [service.present_region(r, tree, fields) for r in regions],
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/regions")
async def create_region(tx: Tx, body: Annotated[AdminPostRegionsReq | None, Body()] = None) -> Response:
    region = await service.create_region(tx, body_or_empty(AdminPostRegionsReq, body))
    return await _answer(tx, region.id)


@admin.get("/regions/{region_id}")
@cacheable()
async def get_region(
    region_id: str,
    p: Annotated[AdminGetRegionsRegionParams, Depends(params(AdminGetRegionsRegionParams))],
    tx: Tx,
) -> Response:
    tree, fields = service.query_config(p, is_list=False)
    region = await service.retrieve_region(tx, region_id, tree)
    return ok({"region": service.present_region(region, tree, fields)})


@admin.post("/regions/{region_id}")
async def update_region(
    region_id: str, tx: Tx, body: Annotated[AdminPostRegionsRegionReq | None, Body()] = None
) -> Response:
    await service.update_region(tx, region_id, body_or_empty(AdminPostRegionsRegionReq, body))
    return await _answer(tx, region_id)


@admin.delete("/regions/{region_id}")
async def delete_region(region_id: str, tx: Tx) -> Response:
    await service.delete_region(tx, region_id)
    return ok({"id": region_id, "object": "region", "deleted": True})


@admin.get("/regions/{region_id}/fulfillment-options")
@cacheable()
async def list_fulfillment_options(region_id: str, tx: Tx) -> Response:
    options = await service.list_fulfillment_options(tx, region_id)
    return ok({"fulfillment_options": options})


@admin.post("/regions/{region_id}/countries")
async def add_country(
    region_id: str, tx: Tx, body: Annotated[AdminPostRegionsRegionCountriesReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostRegionsRegionCountriesReq, body)
    await service.add_country(tx, region_id, data.country_code)
    return await _answer(tx, region_id)


@admin.delete("/regions/{region_id}/countries/{country_code}")
async def remove_country(region_id: str, country_code: str, tx: Tx) -> Response:
    await service.remove_country(tx, region_id, country_code)
    return await _answer(tx, region_id)


@admin.post("/regions/{region_id}/payment-providers")
async def add_payment_provider(
    region_id: str, tx: Tx, body: Annotated[AdminPostRegionsRegionPaymentProvidersReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostRegionsRegionPaymentProvidersReq, body)
    await service.add_payment_provider(tx, region_id, data.provider_id)
    return await _answer(tx, region_id)


@admin.delete("/regions/{region_id}/payment-providers/{provider_id}")
async def remove_payment_provider(region_id: str, provider_id: str, tx: Tx) -> Response:
    await service.remove_payment_provider(tx, region_id, provider_id)
    return await _answer(tx, region_id)


@admin.post("/regions/{region_id}/fulfillment-providers")
async def add_fulfillment_provider(
    region_id: str,
    tx: Tx,
    body: Annotated[AdminPostRegionsRegionFulfillmentProvidersReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostRegionsRegionFulfillmentProvidersReq, body)
    await service.add_fulfillment_provider(tx, region_id, data.provider_id)
    return await _answer(tx, region_id)


@admin.delete("/regions/{region_id}/fulfillment-providers/{provider_id}")
async def remove_fulfillment_provider(region_id: str, provider_id: str, tx: Tx) -> Response:
    await service.remove_fulfillment_provider(tx, region_id, provider_id)
    return await _answer(tx, region_id)


# ---- store -----------------------------------------------------------------------------------


@store.get("/regions")
@cacheable()
async def store_list_regions(
    p: Annotated[StoreGetRegionsParams, Depends(params(StoreGetRegionsParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p, is_list=True)
    regions, count = await service.list_regions(tx, p, tree)
    payload: dict[str, Any] = {
        "regions": [service.present_region(r, tree, fields) for r in regions],
        "count": count,
        "limit": p.limit,
        "offset": p.offset,
    }
    return ok(payload)


@store.get("/regions/{region_id}")
@cacheable()
async def store_get_region(
    region_id: str, p: Annotated[StoreGetRegionsParams, Depends(params(StoreGetRegionsParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p, is_list=False)
    region = await service.retrieve_region(tx, region_id, tree)
    return ok({"region": service.present_region(region, tree, fields)})
